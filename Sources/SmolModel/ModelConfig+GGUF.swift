import SmolFormats

extension ModelConfig {
    /// Reads llama.cpp's `ARCH.*` hyper-parameter keys (architectures `smollm3` and `llama`).
    public init(gguf: GGUFFile) throws(ModelError) {
        let file = gguf.path
        let m = gguf.metadata
        guard let arch = m["general.architecture"]?.string else {
            throw .config(file: file, field: "general.architecture", problem: "is missing")
        }
        guard arch == "smollm3" || arch == "llama" else {
            throw .unsupported(file: file, what: "architecture '\(arch)' is not supported (smollm3, llama)")
        }
        func int(_ key: String) throws(ModelError) -> Int {
            guard let v = m["\(arch).\(key)"] else { throw .config(file: file, field: "\(arch).\(key)", problem: "is missing") }
            guard let i = v.int else { throw .config(file: file, field: "\(arch).\(key)", problem: "must be an integer (got \(v))") }
            return i
        }
        func double(_ key: String) -> Double? { m["\(arch).\(key)"]?.double }

        let layers = try int("block_count")
        let heads = try int("attention.head_count")
        let hidden = try int("embedding_length")
        let vocab = m["\(arch).vocab_size"]?.int ?? m["tokenizer.ggml.tokens"]?.array?.count
            ?? gguf.tensor("token_embd.weight")?.shape.first ?? 0
        let headDim = m["\(arch).attention.key_length"]?.int ?? m["\(arch).rope.dimension_count"]?.int ?? (heads > 0 ? hidden / heads : 0)

        var usesRoPE: [Bool]
        var rule: String
        if arch == "llama" {
            usesRoPE = Array(repeating: true, count: max(layers, 0))
            rule = "none (llama: RoPE on every layer)"
        } else if let list = m["smollm3.no_rope_layers"]?.intArray {
            usesRoPE = list.map { $0 != 0 }
            rule = "smollm3.no_rope_layers in the GGUF"
        } else {
            // GGUF has no key for the schedule; llama.cpp hard-codes every 4th layer for smollm3.
            usesRoPE = (0..<max(layers, 0)).map { ($0 + 1) % 4 != 0 }
            rule = "every 4th layer (llama.cpp's rule for smollm3; the GGUF has no NoPE key)"
        }

        var scaling: RopeScaling?
        if let kind = m["\(arch).rope.scaling.type"]?.string, kind != "none" {
            guard kind == "yarn" else { throw .config(file: file, field: "\(arch).rope.scaling.type", problem: "'\(kind)' is not supported") }
            var original = try int("context_length")
            if let o = m["\(arch).rope.scaling.original_context_length"]?.int { original = o }
            scaling = RopeScaling(factor: double("rope.scaling.factor") ?? 1, originalMaxPositions: original)
        }
        var eos: [Int] = []
        if let e = m["tokenizer.ggml.eos_token_id"]?.int { eos.append(e) }
        if let e = m["tokenizer.ggml.eot_token_id"]?.int, !eos.contains(e) { eos.append(e) }

        self.init(architecture: arch, hiddenSize: hidden, intermediateSize: try int("feed_forward_length"),
                  layerCount: layers, headCount: heads,
                  kvHeadCount: m["\(arch).attention.head_count_kv"]?.int ?? heads, headDim: headDim,
                  vocabSize: vocab, ropeTheta: double("rope.freq_base") ?? 10000, ropeScaling: scaling,
                  rmsNormEps: Float(double("attention.layer_norm_rms_epsilon") ?? 1e-5),
                  maxPositions: try int("context_length"),
                  tieWordEmbeddings: gguf.tensor("output.weight") == nil,
                  layerUsesRoPE: usesRoPE, noPERule: rule,
                  bosTokenId: m["tokenizer.ggml.bos_token_id"]?.int, eosTokenIds: eos)
        try validate(file: file)
    }
}
