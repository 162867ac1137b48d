import Testing
import SmolModel

/// The f32 engine on the tiny safetensors model against transformers (fixtures README §4:
/// logits/hidden ≤ 1e-4, attention and KV ≤ 1e-5, greedy exact).
@Suite("f32 inference matches transformers")
struct TransformersParityTests {
    @Test("logits at every prompt position match hf_f32 within 1e-4", arguments: try Fixtures.prompts().map(\.name))
    func promptLogits(prompt name: String) throws {
        let model = try Fixtures.tiny()
        let prompt = try Fixtures.prompts().first { $0.name == name }!
        let reference = try Fixtures.tensors("hf_f32.safetensors")["\(name).logits"]!
        let logits = try model.forward(prompt.ids, cache: model.makeCache(), logits: .all)
        #expect(maxAbsDiff(logits, reference.data) <= 1e-4)
    }

    @Test("16-token greedy continuation and its step logits match hf_f32", arguments: try Fixtures.prompts().map(\.name))
    func greedyContinuation(prompt name: String) throws {
        let model = try Fixtures.tiny()
        let prompt = try Fixtures.prompts().first { $0.name == name }!
        let reference = try Fixtures.tensors("hf_f32.safetensors")["\(name).greedy_logits"]!
        let (tokens, rows) = try greedy(model, prompt: prompt.ids, steps: prompt.greedy.count)
        #expect(tokens == prompt.greedy)
        for (i, row) in rows.enumerated() {
            #expect(maxAbsDiff(row, reference[i].data) <= 1e-4, "step \(i)")
        }
    }
}
