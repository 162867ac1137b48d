/// The tokenizer metadata of a GGUF file (`tokenizer.ggml.*`), as plain values.
///
/// Separate from the GGUF reader so the tokenizer can be built from any source of these arrays
/// (a vocabulary-only GGUF, a test, a converted file) with llama.cpp's semantics.
public struct GGUFVocabulary: Sendable {
    /// `tokenizer.ggml.model`; only `"gpt2"` (byte-level BPE) is supported.
    public var model: String
    /// `tokenizer.ggml.pre`, llama.cpp's pre-tokenizer name (`smaug-bpe`, `llama-bpe`, `smollm` …).
    public var preTokenizer: String?
    /// `tokenizer.ggml.tokens`: byte-level spellings, added tokens verbatim.
    public var tokens: [String]
    /// `tokenizer.ggml.token_type`: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused,
    /// 6 byte. All normal when absent.
    public var tokenTypes: [Int32]?
    /// `tokenizer.ggml.merges`: `"a b"` in rank order.
    public var merges: [String]
    public var bosTokenId: Int?
    public var eosTokenId: Int?
    public var paddingTokenId: Int?
    /// `tokenizer.ggml.add_bos_token` / `add_eos_token`; when absent the pre-tokenizer's default
    /// applies (BOS for the Llama-3 names, nothing otherwise).
    public var addBOS: Bool?
    public var addEOS: Bool?
    /// `tokenizer.chat_template`.
    public var chatTemplate: String?

    public init(model: String = "gpt2", preTokenizer: String?, tokens: [String], tokenTypes: [Int32]? = nil,
                merges: [String], bosTokenId: Int? = nil, eosTokenId: Int? = nil, paddingTokenId: Int? = nil,
                addBOS: Bool? = nil, addEOS: Bool? = nil, chatTemplate: String? = nil) {
        self.model = model
        self.preTokenizer = preTokenizer
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.bosTokenId = bosTokenId
        self.eosTokenId = eosTokenId
        self.paddingTokenId = paddingTokenId
        self.addBOS = addBOS
        self.addEOS = addEOS
        self.chatTemplate = chatTemplate
    }
}

/// What llama.cpp derives from a `tokenizer.ggml.pre` name (`llama-vocab.cpp`).
struct LlamaCppPreTokenizerType {
    let preTokenizer: PreTokenizer
    let ignoresMerges: Bool
    let addsBOSByDefault: Bool

    init(name: String?) throws(TokenizerError) {
        switch name {
        case "llama3", "llama-v3", "llama-bpe":
            self.init(.llama3LlamaCpp, ignoresMerges: true, addsBOS: true)
        case "smaug-bpe":
            // SmolLM3: the Llama-3 split without Llama 3's flags.
            self.init(.llama3LlamaCpp, ignoresMerges: false, addsBOS: false)
        case "smollm":
            self.init(.smolLM, ignoresMerges: false, addsBOS: false)
        case "gpt-2", "gpt2":
            self.init(.gpt2, ignoresMerges: false, addsBOS: false)
        case nil, "default":
            throw .unsupported(component: "GGUF pre-tokenizer", detail: "llama.cpp's 'default' regex set")
        case let other?:
            throw .unsupported(component: "GGUF pre-tokenizer", detail: "'\(other)'")
        }
    }

    private init(_ preTokenizer: PreTokenizer, ignoresMerges: Bool, addsBOS: Bool) {
        self.preTokenizer = preTokenizer
        self.ignoresMerges = ignoresMerges
        self.addsBOSByDefault = addsBOS
    }
}

extension Tokenizer {
    /// Builds a tokenizer from GGUF tokenizer metadata, behaving as llama.cpp does: added tokens
    /// are the CONTROL, USER_DEFINED and UNKNOWN entries, matched longest first; CONTROL ones only
    /// when special tokens are parsed; tokens decode verbatim unless they are normal BPE entries.
    public convenience init(ggufVocabulary gguf: GGUFVocabulary) throws(TokenizerError) {
        guard gguf.model == "gpt2" else {
            throw .unsupported(component: "GGUF tokenizer model", detail: "'\(gguf.model)' (only 'gpt2' byte-level BPE)")
        }
        let type = try LlamaCppPreTokenizerType(name: gguf.preTokenizer)
        var kinds = try Self.tokenKinds(gguf)
        // llama.cpp forces end-of-generation spellings to CONTROL (warning that the file is wrong).
        for spelling in SpecialTokens.endOfGenerationSpellings {
            if let id = gguf.tokens.firstIndex(where: { $0.utf8.elementsEqual(spelling.utf8) }) { kinds[id] = .control }
        }
        let vocabulary = Vocabulary(tokens: gguf.tokens, kinds: kinds, addedTokenSpelling: .verbatim)
        let merges = try Self.splitMerges(gguf.merges)
        let encoder = try BytePairEncoder(vocabulary: vocabulary, merges: merges, ignoreMerges: type.ignoresMerges)

        var special = SpecialTokens()
        for (key, id) in [("bos_token_id", gguf.bosTokenId), ("eos_token_id", gguf.eosTokenId),
                          ("padding_token_id", gguf.paddingTokenId)] {
            if let id, !vocabulary.contains(id) {
                throw .invalidMetadata(key: "tokenizer.ggml.\(key)", reason: "\(id) is outside the vocabulary")
            }
        }
        special.bos = gguf.bosTokenId
        special.eos = gguf.eosTokenId
        special.pad = gguf.paddingTokenId
        if gguf.addBOS ?? type.addsBOSByDefault, let bos = gguf.bosTokenId { special.prefix = [bos] }
        if gguf.addEOS ?? false, let eos = gguf.eosTokenId { special.suffix = [eos] }

        let added = gguf.tokens.indices.compactMap { id -> AddedToken? in
            guard kinds[id].isAddedToken else { return nil }
            return AddedToken(id: id, content: Array(gguf.tokens[id].utf8), isSpecial: kinds[id] != .userDefined)
        }
        self.init(vocabulary: vocabulary, encoder: encoder, preTokenizer: type.preTokenizer,
                  addedTokens: AddedTokenMatcher(tokens: added, strategy: .longestFirst),
                  specialTokens: special, chatTemplate: gguf.chatTemplate)
    }

    private static func tokenKinds(_ gguf: GGUFVocabulary) throws(TokenizerError) -> [TokenKind] {
        guard let types = gguf.tokenTypes else {
            return [TokenKind](repeating: .normal, count: gguf.tokens.count)
        }
        guard types.count == gguf.tokens.count else {
            throw .invalidMetadata(key: "tokenizer.ggml.token_type",
                                   reason: "\(types.count) types for \(gguf.tokens.count) tokens")
        }
        var kinds: [TokenKind] = []
        kinds.reserveCapacity(types.count)
        for (id, type) in types.enumerated() {
            // 0 is llama.cpp's "undefined", treated as normal text.
            guard let kind = type == 0 ? .normal : UInt8(exactly: type).flatMap(TokenKind.init(rawValue:)) else {
                throw .invalidMetadata(key: "tokenizer.ggml.token_type", reason: "token \(id) has unknown type \(type)")
            }
            kinds.append(kind)
        }
        return kinds
    }

    /// Splits `"a b"` at the first space after the first character, as llama.cpp does.
    private static func splitMerges(_ merges: [String]) throws(TokenizerError) -> [(Substring, Substring)] {
        var pairs: [(Substring, Substring)] = []
        pairs.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            guard let space = merge.utf8.dropFirst().firstIndex(of: UInt8(ascii: " ")) else {
                throw .invalidMerge(rank: rank, merge: merge, reason: "expected two tokens separated by a space")
            }
            pairs.append((merge[..<space], merge[merge.index(after: space)...]))
        }
        return pairs
    }
}
