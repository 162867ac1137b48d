import SmolFormats

/// A placeholder vocabulary that llama.cpp accepts for a synthetic model: `gpt2` (byte-level BPE)
/// with SmolLM3's pre-tokenizer name, the 256 byte tokens first (so any text tokenizes, one token
/// per byte), SmolLM3's special tokens at their real ids where the vocabulary is large enough,
/// and unique filler names for the rest. No merges: benchmarks feed token ids, never text.
enum SyntheticVocabulary {
    /// SmolLM3's control tokens (reference §2.2), placed where the vocabulary has room.
    static let smolLM3Specials: [Int: String] = [
        128_000: "<|begin_of_text|>", 128_001: "<|end_of_text|>", 128_011: "<|im_start|>", 128_012: "<|im_end|>",
    ]

    /// The tokenizer keys of reference §3.5 for `config`'s vocabulary size and special ids.
    static func metadata(_ config: ModelConfig) -> [(String, GGUFValue)] {
        var specials = smolLM3Specials.filter { $0.key < config.vocabSize }
        if let bos = config.bosTokenId, specials[bos] == nil { specials[bos] = "<|begin_of_text|>" }
        if let eos = config.eosTokenIds.first, specials[eos] == nil { specials[eos] = "<|im_end|>" }

        let byteChars = byteLevelAlphabet()
        var tokens: [GGUFValue] = [], types: [GGUFValue] = []
        tokens.reserveCapacity(config.vocabSize)
        types.reserveCapacity(config.vocabSize)
        for id in 0..<config.vocabSize {
            if let name = specials[id] {
                tokens.append(.string(name))
                types.append(.int32(3))  // LLAMA_TOKEN_TYPE_CONTROL
            } else {
                tokens.append(.string(id < 256 ? byteChars[id] : "synthetic\(id)"))
                types.append(.int32(1))  // LLAMA_TOKEN_TYPE_NORMAL
            }
        }
        var keys: [(String, GGUFValue)] = [
            ("tokenizer.ggml.model", .string("gpt2")),
            ("tokenizer.ggml.pre", .string("smaug-bpe")),
            ("tokenizer.ggml.tokens", .array(tokens)),
            ("tokenizer.ggml.token_type", .array(types)),
            ("tokenizer.ggml.merges", .array([])),
            ("tokenizer.ggml.add_bos_token", .bool(false)),
        ]
        if let bos = config.bosTokenId { keys.append(("tokenizer.ggml.bos_token_id", .uint32(UInt32(bos)))) }
        if let eos = config.eosTokenIds.first { keys.append(("tokenizer.ggml.eos_token_id", .uint32(UInt32(eos)))) }
        return keys
    }

    /// GPT-2's byte-to-character table (`bytes_to_unicode`): printable Latin-1 bytes stand for
    /// themselves, the other 68 map to U+0100 onwards in byte order.
    static func byteLevelAlphabet() -> [String] {
        var shifted = 0
        return (0..<256).map { b in
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            let scalar = printable ? b : 256 + { defer { shifted += 1 }; return shifted }()
            return String(Character(Unicode.Scalar(UInt32(scalar))!))
        }
    }
}
