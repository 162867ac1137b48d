import Foundation
import Testing
import SmolCore
import SmolModel

/// Quantized GGUFs: `exact` numerics reproduce transformers on the dequantized weights
/// (`hf_dequant`, ≤ 1e-4); `fast` numerics track llama.cpp on the same file (README §4:
/// max ≤ 0.5, mean ≤ 0.06).
@Suite("Quantized GGUF parity")
struct LlamaCppParityTests {
    static let types = ["F16", "Q8_0", "Q6_K", "Q5_K_M", "Q5_1", "Q5_0", "Q4_K_M", "Q4_1", "Q4_0", "Q3_K_M", "Q2_K"]

    /// Logits at every position of `ids`, with the given numerics.
    func logits(_ type: String, _ numerics: Numerics, _ ids: [Int]) throws -> [Float] {
        let model = try ModelLoader.load(path: Fixtures.gguf(type), numerics: numerics).0
        return try model.forward(ids, cache: model.makeCache(), logits: .all)
    }

    func dequantReference(_ type: String) throws -> (greedy: [Int], margin: Double) {
        let entry = (try Fixtures.json("hf_dequant.json")["types"] as! [String: Any])[type] as! [String: Any]
        let code = (entry["prompts"] as! [[String: Any]]).first { $0["name"] as! String == "code" }!
        return (code["greedy"] as! [Int], code["min_greedy_margin"] as! Double)
    }

    @Test("exact numerics match transformers on the dequantized weights, teacher-forced over the greedy run", arguments: types)
    func exactMatchesDequantizedTransformers(type: String) throws {
        let code = try Fixtures.prompts().first { $0.name == "code" }!.ids
        let (greedy, _) = try dequantReference(type)
        let reference = try Fixtures.tensors("hf_dequant.safetensors")
        let ids = code + greedy.dropLast()
        let ours = try logits(type, .exact, ids)
        let vocab = reference["\(type).code.logits"]!.shape[1]
        #expect(maxAbsDiff(Array(ours.prefix(code.count * vocab)), reference["\(type).code.logits"]!.data) <= 1e-4)
        #expect(maxAbsDiff(Array(ours.suffix(greedy.count * vocab)), reference["\(type).code.greedy_logits"]!.data) <= 1e-4)
    }

    @Test("fast numerics track llama.cpp's logits on the same file", arguments: types)
    func fastTracksLlamaCpp(type: String) throws {
        let reference = try Fixtures.tensors("llamacpp_\(type).safetensors")
        let prompts = try Fixtures.prompts().filter { reference["\($0.name).logits"] != nil }
        #expect(!prompts.isEmpty)
        for prompt in prompts {
            let ours = try logits(type, .fast, prompt.ids)
            let theirs = reference["\(prompt.name).logits"]!.data
            #expect(maxAbsDiff(ours, theirs) <= 0.5, "\(prompt.name)")
            #expect(meanAbsDiff(ours, theirs) <= 0.06, "\(prompt.name)")
        }
    }

    @Test("fast greedy tokens equal llama.cpp's until its margin drops below 0.5", arguments: types)
    func fastGreedyFollowsLlamaCpp(type: String) throws {
        let model = try ModelLoader.load(path: Fixtures.gguf(type), numerics: .fast).0
        let runs = try Fixtures.json("llamacpp_\(type).json")["prompts"] as! [[String: Any]]
        for run in runs {
            let name = run["name"] as! String
            let ids = try Fixtures.prompts().first { $0.name == name }!.ids
            let expected = run["greedy"] as! [Int], margins = run["greedy_margins"] as! [Double]
            let trusted = margins.firstIndex { $0 < 0.5 } ?? expected.count
            let (tokens, _) = try greedy(model, prompt: ids, steps: trusted)
            #expect(tokens == Array(expected.prefix(trusted)), "\(name)")
        }
    }
}
