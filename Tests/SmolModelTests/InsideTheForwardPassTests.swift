import Testing
import SmolModel

/// What observers and the KV cache expose agrees with transformers' intermediate tensors
/// (hidden ≤ 1e-4; attention probabilities and KV ≤ 1e-5).
@Suite("Observed internals match transformers")
struct InsideTheForwardPassTests {
    static let hiddenPrompts = ["one_token", "short_en", "code", "multilingual", "chat_no_think"]

    @Test("embeddings, every layer's output and the final norm match hf_f32_hidden", arguments: hiddenPrompts)
    func hiddenStates(prompt name: String) throws {
        let model = try Fixtures.tiny()
        let ids = try Fixtures.prompts().first { $0.name == name }!.ids
        let reference = try Fixtures.tensors("hf_f32_hidden.safetensors")
        let recorder = Recorder(.hidden)
        try model.forward(ids, cache: model.makeCache(), observer: recorder)
        #expect(recorder.embeddings!.maxAbsDifference(reference["\(name).hidden.embed"]!) <= 1e-4)
        for layer in 0..<model.config.layerCount {
            #expect(recorder.layerOutput(layer)!.maxAbsDifference(reference["\(name).hidden.layer.\(layer)"]!) <= 1e-4, "layer \(layer)")
        }
        #expect(recorder.finalNorm!.maxAbsDifference(reference["\(name).hidden.final_norm"]!) <= 1e-4)
    }

    @Test("attention probabilities of every layer and head match hf_f32_attn for the code prompt")
    func attentionProbabilities() throws {
        let model = try Fixtures.tiny()
        let ids = try Fixtures.prompts().first { $0.name == "code" }!.ids
        let reference = try Fixtures.tensors("hf_f32_attn.safetensors")
        let recorder = Recorder(.attention)
        try model.forward(ids, cache: model.makeCache(), observer: recorder)
        for layer in 0..<model.config.layerCount {
            #expect(recorder.attention(layer)!.maxAbsDifference(reference["code.attn.\(layer)"]!) <= 1e-5, "layer \(layer)")
        }
    }

    @Test("the KV cache of a RoPE layer (0) and a NoPE layer (3) matches transformers' cache", arguments: try Fixtures.prompts().map(\.name))
    func kvCache(prompt name: String) throws {
        let model = try Fixtures.tiny()
        let ids = try Fixtures.prompts().first { $0.name == name }!.ids
        let reference = try Fixtures.tensors("hf_f32.safetensors")
        let cache = model.makeCache()
        try model.forward(ids, cache: cache)
        for layer in [0, 3] {
            #expect(cache.keys(layer: layer).maxAbsDifference(reference["\(name).kv.\(layer).k"]!) <= 1e-5, "K layer \(layer)")
            #expect(cache.values(layer: layer).maxAbsDifference(reference["\(name).kv.\(layer).v"]!) <= 1e-5, "V layer \(layer)")
        }
    }

    @Test("decoding token by token gives the same logits as one batched pass")
    func incrementalEqualsBatched() throws {
        let model = try Fixtures.tiny()
        let ids = try Fixtures.prompts().first { $0.name == "short_en" }!.ids
        let batched = try model.forward(ids, cache: model.makeCache(), logits: .all)
        let cache = model.makeCache()
        var last: [Float] = []
        for id in ids { last = try model.forward([id], cache: cache) }
        let vocab = model.config.vocabSize
        #expect(maxAbsDiff(last, Array(batched.suffix(vocab))) <= 1e-4)
    }

    /// Prompts of 64 or more tokens take the tiled (sgemm) attention; decode steps the per-key loop
    /// below 512 keys and the grouped sgemm from there. 100 tokens: tiles against the per-key loop;
    /// 520: the last steps run grouped. The batched pass is split 10 + the rest, so the tiles also
    /// see keys cached before them.
    static func longPrompt(_ n: Int) -> [Int] { (0..<n).map { ($0 * 37 + 11) % 1000 } }

    @Test("long prompts in tiles give the logits of decoding token by token", arguments: [100, 520])
    func tiledAttentionEqualsDecoding(tokens n: Int) throws {
        let model = try Fixtures.tiny()
        let ids = Self.longPrompt(n)
        let cache = model.makeCache()
        try model.forward(Array(ids[..<10]), cache: cache)
        let batched = try model.forward(Array(ids[10...]), cache: cache, logits: .all)
        let stepCache = model.makeCache()
        var last: [Float] = []
        for id in ids { last = try model.forward([id], cache: stepCache) }
        #expect(maxAbsDiff(last, Array(batched.suffix(model.config.vocabSize))) <= 1e-4)
    }

    @Test("tiled and grouped attention report the probabilities a decode step computes", arguments: [100, 520])
    func tiledAttentionProbabilities(tokens n: Int) throws {
        let model = try Fixtures.tiny()
        let ids = Self.longPrompt(n)
        let batched = Recorder(.attention)
        try model.forward(ids, cache: model.makeCache(), observer: batched)
        let cache = model.makeCache()
        try model.forward(Array(ids.dropLast()), cache: cache)
        let step = Recorder(.attention)
        try model.forward([ids.last!], cache: cache, observer: step)
        for layer in 0..<model.config.layerCount {
            let all = try #require(batched.attention(layer)), last = try #require(step.attention(layer))
            let (heads, n) = (all.shape[0], all.shape[1])
            var lastRows: [Float] = []
            for h in 0..<heads {
                let rowStart = (h * n + n - 1) * n
                lastRows += all.data[rowStart..<(rowStart + n)]
            }
            #expect(maxAbsDiff(lastRows, last.data) <= 1e-5, "layer \(layer)")
        }
    }
}
