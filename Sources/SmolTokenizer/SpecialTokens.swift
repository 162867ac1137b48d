/// The special token ids a tokenizer file names, and what it adds around encoded text.
struct SpecialTokens: Sendable, Equatable {
    var bos: Int?
    var eos: Int?
    var pad: Int?
    /// Tokens prepended / appended by `encode(addSpecialTokens: true)`: HF's post-processor
    /// template, or GGUF's `add_bos_token` / `add_eos_token`.
    var prefix: [Int] = []
    var suffix: [Int] = []

    /// Spellings that end a generation when they are in the vocabulary — llama.cpp's list
    /// (`llama-vocab.cpp`, "end-of-generation" tokens), so a chat model stops at `<|im_end|>`
    /// even when its file names `<|end_of_text|>` as eos, and vice versa.
    static let endOfGenerationSpellings: Set<String> = [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>",
        "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>",
    ]

    /// The eos id plus every end-of-generation spelling present in `vocabulary`.
    func endOfGenerationIds(in vocabulary: Vocabulary) -> Set<Int> {
        var ids = Set(Self.endOfGenerationSpellings.compactMap { vocabulary.id(of: $0) })
        if let eos { ids.insert(eos) }
        return ids
    }
}
