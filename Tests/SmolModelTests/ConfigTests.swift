import Foundation
import Testing
import SmolModel

/// config.json problems are typed errors naming the field, never a crash.
@Suite("Reading config.json")
struct ConfigTests {
    /// Writes the tiny config with `change` applied and reads it back.
    func read(_ change: (inout [String: Any]) -> Void) throws -> ModelConfig {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.tinyModel + "/config.json"))) as! [String: Any]
        change(&json)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString).json").path
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return try ModelConfig(huggingFaceConfig: path)
    }

    func field(of error: any Error) -> String? {
        if case .config(_, let field, _) = error as? ModelError { return field }
        return nil
    }

    @Test("the tiny config reads as transformers saw it (hf.json model block)")
    func tinyConfig() throws {
        let c = try read { _ in }
        let hf = try Fixtures.json("hf.json")["model"] as! [String: Any]
        let sizes: [Int] = [c.hiddenSize, c.intermediateSize, c.layerCount, c.headCount, c.kvHeadCount, c.headDim, c.vocabSize]
        let expected = ["hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                        "num_key_value_heads", "head_dim", "vocab_size"].map { hf[$0] as! Int }
        #expect(sizes == expected)
        #expect(c.ropeTheta == hf["rope_theta"] as! Double)
        #expect(Double(c.rmsNormEps) == Double(Float(hf["rms_norm_eps"] as! Double)))
        #expect(c.tieWordEmbeddings == hf["tie_word_embeddings"] as! Bool)
    }

    @Test("head counts that do not divide name num_key_value_heads")
    func headCountsMustDivide() {
        let error = #expect(throws: ModelError.self) { try read { $0["num_key_value_heads"] = 3 } }
        #expect(field(of: error!) == "num_key_value_heads")
    }

    @Test("a missing required field is named")
    func missingField() {
        let error = #expect(throws: ModelError.self) { try read { $0.removeValue(forKey: "hidden_size") } }
        #expect(field(of: error!) == "hidden_size")
    }

    @Test("a field of the wrong type is named")
    func wrongType() {
        let error = #expect(throws: ModelError.self) { try read { $0["num_hidden_layers"] = "eight" } }
        #expect(field(of: error!) == "num_hidden_layers")
    }

    @Test("a negative size is out of range")
    func negativeSize() {
        let error = #expect(throws: ModelError.self) { try read { $0["intermediate_size"] = -5 } }
        #expect(field(of: error!) == "intermediate_size")
    }

    @Test("a no_rope_layers list of the wrong length is rejected")
    func noRopeListLength() {
        let error = #expect(throws: ModelError.self) { try read { $0["no_rope_layers"] = [1, 1, 0] } }
        #expect(field(of: error!) == "no_rope_layers")
    }

    @Test("without no_rope_layers the interval rule makes every 4th layer NoPE")
    func intervalRule() throws {
        let c = try read { $0.removeValue(forKey: "no_rope_layers") }
        #expect(c.noPELayers == [3, 7])
    }

    @Test("transformers 5's rope_parameters spelling of theta is accepted")
    func ropeParameters() throws {
        let c = try read {
            $0.removeValue(forKey: "rope_theta")
            $0["rope_parameters"] = ["rope_theta": 1234.0, "rope_type": "default"]
        }
        #expect(c.ropeTheta == 1234)
    }

    @Test("an unknown rope scaling type is rejected")
    func unknownScaling() {
        let error = #expect(throws: ModelError.self) { try read { $0["rope_scaling"] = ["rope_type": "longrope", "factor": 2.0] } }
        #expect(field(of: error!) == "rope_scaling.rope_type")
    }
}
