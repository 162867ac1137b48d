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
}
