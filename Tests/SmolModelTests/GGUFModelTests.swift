import Testing
import SmolCore
import SmolModel
import SmolFormats

/// GGUF files load into the same model structs and compute what the safetensors model computes.
@Suite("GGUF models")
struct GGUFModelTests {
    @Test("the F16 GGUF with exact numerics matches transformers f32 within 1e-4", arguments: try Fixtures.prompts().map(\.name))
    func f16MatchesTransformers(prompt name: String) throws {
        let model = try ModelLoader.load(path: Fixtures.gguf("F16"), numerics: .exact).0
        let ids = try Fixtures.prompts().first { $0.name == name }!.ids
        let reference = try Fixtures.tensors("hf_f32.safetensors")["\(name).logits"]!
        let logits = try model.forward(ids, cache: model.makeCache(), logits: .all)
        #expect(maxAbsDiff(logits, reference.data) <= 1e-4)
    }

    @Test("GGUF q/k rows are un-permuted: the F16 K cache equals the safetensors model's")
    func qkPermutationUndone() throws {
        let gguf = try ModelLoader.load(path: Fixtures.gguf("F16"), numerics: .exact).0
        let hf = try Fixtures.tiny()
        let ids = try Fixtures.prompts().first { $0.name == "short_en" }!.ids
        let a = gguf.makeCache(), b = hf.makeCache()
        try gguf.forward(ids, cache: a)
        try hf.forward(ids, cache: b)
        #expect(a.keys(layer: 0).maxAbsDifference(b.keys(layer: 0)) <= 1e-4)
    }

    @Test("a smollm3 GGUF takes llama.cpp's every-4th-layer NoPE rule and says so")
    func noPERule() throws {
        let config = try ModelConfig(gguf: GGUFFile(path: Fixtures.gguf("F16")))
        #expect(config.noPELayers == [3, 7])
        #expect(config.noPERule.contains("llama.cpp"))
        #expect(config.tieWordEmbeddings)
    }
}
