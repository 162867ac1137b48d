/// What a vocabulary entry is, in GGUF's terms (`tokenizer.ggml.token_type`: 1 normal,
/// 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte). A `tokenizer.json` maps onto the same
/// kinds: BPE entries are normal, added tokens marked `special` are control, other added tokens
/// are user-defined.
public enum TokenKind: UInt8, Sendable {
    case normal = 1
    case unknown = 2
    /// Special tokens: matched in text only when special tokens are parsed, skipped by
    /// `decode(skipSpecial: true)`.
    case control = 3
    /// Added tokens that are ordinary text (`<think>`, `<tool_call>` …): always matched, always kept.
    case userDefined = 4
    case unused = 5
    case byte = 6

    /// Whether the entry is a single piece of text that the BPE model never produces — it is found
    /// by matching its whole spelling before pre-tokenization.
    var isAddedToken: Bool { self == .control || self == .userDefined || self == .unknown }
}

/// How added tokens' spellings turn into bytes when decoding.
enum AddedTokenSpelling: Sendable {
    /// Their text, verbatim (llama.cpp).
    case verbatim
    /// Through the byte-level mapping when every character is part of it, verbatim otherwise —
    /// what HF's `ByteLevel` decoder does with every token string it is given.
    case byteLevelIfPossible
}

/// The id ↔ text tables of a tokenizer, independent of how text is split.
struct Vocabulary: Sendable {
    /// Token text as stored in the file, by id: byte-level spelling (`Ġthe`) for BPE entries,
    /// literal text for added tokens. Ids nobody defined hold an empty string.
    let tokens: [String]
    let kinds: [TokenKind]
    let addedTokenSpelling: AddedTokenSpelling
    /// Raw bytes → id for every byte-level spelling: what BPE looks its symbols up in. Normal
    /// entries win over added tokens with the same bytes (BPE produces model-vocabulary ids).
    let idsByBytes: [ByteString: Int]
    /// Spellings that are not byte-level (added tokens such as `<|im_end|>`), looked up verbatim.
    private let idsByLiteral: [String: Int]

    var count: Int { tokens.count }

    init(tokens: [String], kinds: [TokenKind], addedTokenSpelling: AddedTokenSpelling) {
        self.tokens = tokens
        self.kinds = kinds
        self.addedTokenSpelling = addedTokenSpelling
        var byBytes: [ByteString: Int] = [:]
        byBytes.reserveCapacity(tokens.count)
        var byLiteral: [String: Int] = [:]
        for (id, text) in tokens.enumerated() where !text.isEmpty {
            let isAdded = kinds[id].isAddedToken
            if isAdded, byLiteral[text] == nil { byLiteral[text] = id }
            guard let bytes = ByteString(byteLevelSpelling: text) else {
                if byLiteral[text] == nil { byLiteral[text] = id }
                continue
            }
            // First id wins among equals; a normal entry replaces an added one.
            if let existing = byBytes[bytes], !(kinds[existing].isAddedToken && !isAdded) { continue }
            byBytes[bytes] = id
        }
        idsByBytes = byBytes
        idsByLiteral = byLiteral
    }

    func contains(_ id: Int) -> Bool { id >= 0 && id < tokens.count }

    /// The id of a spelling as written in the file (`"<|im_end|>"`, `"Ġthe"`).
    func id(of spelling: String) -> Int? {
        if let id = idsByLiteral[spelling] { return id }
        return ByteString(byteLevelSpelling: spelling).flatMap { idsByBytes[$0] }
    }

    /// The raw bytes token `id` contributes to decoded text; empty for an unknown id.
    func bytes(of id: Int) -> [UInt8] {
        guard contains(id) else { return [] }
        let text = tokens[id]
        switch kinds[id] {
        case .normal, .byte, .unused:
            return ByteLevel.decode(text) ?? Array(text.utf8)
        case .control, .userDefined, .unknown:
            switch addedTokenSpelling {
            case .verbatim: return Array(text.utf8)
            case .byteLevelIfPossible: return ByteLevel.decode(text) ?? Array(text.utf8)
            }
        }
    }
}
