import Testing
import SmolModel

@Suite("RoPE and NoPE layers")
struct PositionEncodingTests {
    @Test("layers 3 and 7 of the tiny model are NoPE, read from config.json")
    func noPELayersFromConfig() throws {
        let model = try Fixtures.tiny()
        let hf = try Fixtures.json("hf.json")["model"] as! [String: Any]
        #expect(model.config.noPELayers == hf["nope_layer_indices"] as! [Int])
        #expect(model.layers.map(\.attention.positionEncoding.usesRoPE) == model.config.layerUsesRoPE)
        #expect(model.config.noPERule == "no_rope_layers in config.json")
    }

    @Test("turning RoPE on in a NoPE layer changes the logits (NoPE is really wired)")
    func ropeInNoPELayerChangesLogits() throws {
        var model = try Fixtures.tiny()
        let ids = try Fixtures.prompts().first { $0.name == "short_en" }!.ids
        let before = try model.forward(ids, cache: model.makeCache(), logits: .all)
        guard case .rope(let rope) = model.layers[0].attention.positionEncoding else { Issue.record("layer 0 should use RoPE"); return }
        model.layers[3].attention.positionEncoding = .rope(rope)
        let after = try model.forward(ids, cache: model.makeCache(), logits: .all)
        #expect(maxAbsDiff(before, after) > 0.01)
    }

    @Test("YaRN rope_scaling matches transformers over 300 positions (hf_yarn)")
    func yarnMatchesTransformers() throws {
        let directory = try YarnFixture.makeDirectory()
        let model = try ModelLoader.load(path: directory).0
        let ids = try Fixtures.json("hf_yarn.json")["input_ids"] as! [Int]
        let reference = try Fixtures.tensors("hf_yarn.safetensors")["yarn.logits"]!
        let logits = try model.forward(ids, cache: model.makeCache(), logits: .all)
        #expect(maxAbsDiff(logits, reference.data) <= 1e-4)
    }
}
