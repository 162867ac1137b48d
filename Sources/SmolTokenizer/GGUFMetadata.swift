import Foundation
import SmolFormats

extension GGUFVocabulary {
    /// Reads the `tokenizer.*` keys of a GGUF file's metadata.
    public init(ggufMetadata metadata: [String: GGUFValue]) throws(TokenizerError) {
        func value(_ key: String) -> GGUFValue? { metadata[key] }
        func string(_ key: String) throws(TokenizerError) -> String? {
            guard let entry = value(key) else { return nil }
            guard let text = entry.string else { throw .invalidMetadata(key: key, reason: "expected a string") }
            return text
        }
        func int(_ key: String) throws(TokenizerError) -> Int? {
            guard let entry = value(key) else { return nil }
            guard let number = entry.int else { throw .invalidMetadata(key: key, reason: "expected an integer") }
            return number
        }
        func bool(_ key: String) throws(TokenizerError) -> Bool? {
            guard let entry = value(key) else { return nil }
            guard let flag = entry.bool else { throw .invalidMetadata(key: key, reason: "expected a boolean") }
            return flag
        }
        func strings(_ key: String) throws(TokenizerError) -> [String] {
            guard let entry = value(key) else { throw .missingMetadata(key) }
            guard let list = entry.stringArray else { throw .invalidMetadata(key: key, reason: "expected an array of strings") }
            return list
        }

        guard let model = try string("tokenizer.ggml.model") else { throw .missingMetadata("tokenizer.ggml.model") }
        var types: [Int32]?
        if let entry = value("tokenizer.ggml.token_type") {
            let list = entry.intArray ?? []
            let narrowed = list.compactMap(Int32.init(exactly:))
            guard entry.intArray != nil, narrowed.count == list.count else {
                throw .invalidMetadata(key: "tokenizer.ggml.token_type", reason: "expected an array of 32-bit integers")
            }
            types = narrowed
        }
        self.init(
            model: model,
            preTokenizer: try string("tokenizer.ggml.pre"),
            tokens: try strings("tokenizer.ggml.tokens"),
            tokenTypes: types,
            merges: value("tokenizer.ggml.merges") == nil ? [] : try strings("tokenizer.ggml.merges"),
            bosTokenId: try int("tokenizer.ggml.bos_token_id"),
            eosTokenId: try int("tokenizer.ggml.eos_token_id"),
            paddingTokenId: try int("tokenizer.ggml.padding_token_id"),
            addBOS: try bool("tokenizer.ggml.add_bos_token"),
            addEOS: try bool("tokenizer.ggml.add_eos_token"),
            chatTemplate: try string("tokenizer.chat_template"))
    }
}

extension Tokenizer {
    /// Builds a tokenizer from a GGUF file's metadata (see ``init(ggufVocabulary:)``).
    public convenience init(ggufMetadata metadata: [String: GGUFValue]) throws(TokenizerError) {
        try self.init(ggufVocabulary: GGUFVocabulary(ggufMetadata: metadata))
    }

    /// Loads the tokenizer of a model source: a GGUF file (including a vocabulary-only GGUF), a
    /// `tokenizer.json`, or a model directory containing `tokenizer.json`.
    public static func load(source path: String) throws -> Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TokenizerError.unreadableFile(path: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            return try load(tokenizerFile: path + "/tokenizer.json")
        }
        if path.hasSuffix(".gguf") {
            return try Tokenizer(ggufMetadata: GGUFFile(path: path).metadata)
        }
        return try load(tokenizerFile: path)
    }
}
