import Foundation
import SmolFormats
@testable import SmolTokenizer

/// Paths into `Tests/Fixtures` and typed views of the reference files there.
enum Fixtures {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SmolTokenizerTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    static func decode<T: Decodable>(_ type: T.Type, from relativePath: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: url(relativePath)))
    }

    static let tokenizerJSONPath = "tiny-smollm3/tokenizer.json"
    static let tokenizerConfigPath = "tiny-smollm3/tokenizer_config.json"
    static let tinyGGUFPath = "tiny-smollm3-gguf/tiny-smollm3-F16.gguf"

    /// The fixture model's tokenizer from `tokenizer.json` + `tokenizer_config.json`.
    static func hfTokenizer() throws -> Tokenizer { try loadedHF.get() }

    /// The same tokenizer from the F16 GGUF's metadata.
    static func ggufTokenizer() throws -> Tokenizer { try loadedGGUF.get() }

    /// The tokenizer metadata of the F16 GGUF, for tests that vary one field.
    static func ggufVocabulary() throws -> GGUFVocabulary { try loadedGGUFVocabulary.get() }

    /// The fixture `tokenizer.json` with `edit` applied to its parsed form, re-serialised.
    static func tokenizerJSON(editing edit: (inout [String: Any]) throws -> Void) throws -> String {
        let data = try Data(contentsOf: url(tokenizerJSONPath))
        guard var root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw MissingFixture(name: tokenizerJSONPath)
        }
        try edit(&root)
        return String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
    }

    // Loaded once: Swift Testing makes a suite instance per test.
    private static let loadedGGUFVocabulary = Result<GGUFVocabulary, any Error> {
        try GGUFVocabulary(ggufMetadata: GGUFFile(path: url(tinyGGUFPath).path).metadata)
    }
    private static let loadedHF = Result<Tokenizer, any Error> {
        try Tokenizer.load(tokenizerJSON: text(tokenizerJSONPath), config: text(tokenizerConfigPath))
    }
    private static let loadedGGUF = Result<Tokenizer, any Error> {
        try Tokenizer(ggufMetadata: GGUFFile(path: url(tinyGGUFPath).path).metadata)
    }

    /// Where CI puts the SmolLM2-135M GGUF (98 MB, not in the repository).
    static var smolLM2GGUFPath: String? {
        ProcessInfo.processInfo.environment["SMOL_SMOLLM2_GGUF"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The SmolLM2 tokenizer, loaded once; fails if `SMOL_SMOLLM2_GGUF` is unset.
    static func smolLM2Tokenizer() throws -> Tokenizer { try loadedSmolLM2.get() }

    private static let loadedSmolLM2 = Result<Tokenizer, any Error> {
        guard let path = smolLM2GGUFPath else { throw MissingFixture(name: "SMOL_SMOLLM2_GGUF") }
        return try Tokenizer(ggufMetadata: GGUFFile(path: path).metadata)
    }

    struct MissingFixture: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not set" }
    }
}

// MARK: - Reference file shapes

/// `reference/tokenizer_corpus.json`: HF `tokenizers` on the fixture tokenizer.json.
struct HFTokenizerCorpus: Decodable {
    struct Entry: Decodable {
        let index: Int
        let category: String
        let text: String
        let ids_no_special: [Int]
        let ids_with_special: [Int]
        let token_bytes_hex: [String]
        let decoded: String
        let decoded_skip_special: String
    }
    let count: Int
    let entries: [Entry]
}

/// What llama.cpp reported about a vocabulary (in both llama.cpp corpus files).
struct LlamaCppVocabInfo: Decodable {
    let add_bos: Bool
    let bos: Int
    let eos: Int
    let n_vocab: Int
}

/// `reference/llamacpp_tokenizer_corpus.json`: llama.cpp on the fixture GGUF.
struct LlamaCppTokenizerCorpus: Decodable {
    struct Entry: Decodable {
        let index: Int
        let text: String
        let ids_no_special: [Int]
        let ids_with_special: [Int]
        let ids_no_special_parse_special_false: [Int]
        let ids_with_special_parse_special_false: [Int]
        let detokenized: String
        let pieces_hex: [String]
    }
    let vocab_info: LlamaCppVocabInfo
    let entries: [Entry]
}

/// `reference/smollm2-135m/smollm2_tokenizer_corpus.json`: llama.cpp with the SmolLM2 vocabulary.
struct SmolLM2TokenizerCorpus: Decodable {
    struct Entry: Decodable {
        let index: Int
        let text: String
        let ids_no_special: [Int]
        let ids_with_special: [Int]
        let ids_parse_special_false: [Int]
        let detokenized: String
        let pieces_hex: [String]
    }
    let vocab_info: LlamaCppVocabInfo
    let tokenizer_pre: String
    let entries: [Entry]
}

/// `reference/smollm2-135m/smollm2_llamacpp.json`: chat prompts rendered and tokenized by llama.cpp.
struct SmolLM2ChatReference: Decodable {
    struct Message: Decodable {
        let role: String
        let content: String
    }
    struct Chat: Decodable {
        let name: String
        let messages: [Message]
        let rendered_jinja: String
        let input_ids: [Int]
    }
    let chats: [Chat]
}

extension Array where Element == UInt8 {
    /// Lower-case hex, as the reference files write bytes.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
