import Foundation
import Testing
import SmolCore
import SmolFormats
import SmolModel

/// Synthetic models (tiny shapes only): they run, export to GGUF losslessly, and `bench` reports
/// what scripts read. No timing assertions: this machine's timings are too noisy to test.
/// Serialized: two tests set the process-wide thread count.
@Suite("Synthetic models", .serialized)
struct SyntheticModelTests {
    static let types = ["F32", "F16", "BF16", "Q8_0", "Q4_K_M"]

    @Test("a tiny synthetic model gives finite, non-constant logits", arguments: types)
    func finiteLogits(type: String) throws {
        let model = try SyntheticModel.make(spec: "synthetic:tiny:\(type)")
        let logits = try model.forward([1, 2, 3, 300], cache: model.makeCache(), logits: .all)
        #expect(logits.count == 4 * model.config.vocabSize)
        let finite = logits.allSatisfy { $0.isFinite }
        #expect(finite)
        #expect(Set(logits.prefix(model.config.vocabSize)).count > 100)
    }

    @Test("the 3B shape has SmolLM3-3B's hyper-parameters and Q4_K_M puts Q6_K where llama.cpp does")
    func smolLM3Shape() {
        let c = SyntheticShape.smollm3_3B.config
        let sizes: [Int] = [c.hiddenSize, c.intermediateSize, c.layerCount, c.headCount, c.kvHeadCount, c.headDim, c.vocabSize]
        #expect(sizes == [2048, 11008, 36, 16, 4, 128, 128_256])
        #expect(c.noPELayers == [3, 7, 11, 15, 19, 23, 27, 31, 35])
        let plan = SyntheticTensor.plan(.smollm3_3B, .q4_K_M)
        #expect(plan.count == 326)
        let counts = Dictionary(grouping: plan, by: \.type).mapValues(\.count)
        #expect(counts == [.f32: 73, .q4_K: 216, .q6_K: 37])
        let q6Layers = plan.filter { $0.name.hasSuffix("attn_v.weight") && $0.type == .q6_K }
            .map { Int($0.name.split(separator: ".")[1])! }
        #expect(q6Layers == [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 31, 32, 33, 34, 35])
    }

    @Test("the same spec gives the same weights, whatever the thread count")
    func deterministic() throws {
        let saved = Parallel.threadCount
        defer { Parallel.threadCount = saved }
        Parallel.threadCount = 1
        // ffn_up is 512 rows of 272 bytes: three 64 KiB chunks, split differently by 1 and 3 threads.
        let a = try SyntheticModel.make(spec: "synthetic:tiny:Q8_0").layers[1].mlp.up.dequantized()
        Parallel.threadCount = 3
        let b = try SyntheticModel.make(spec: "synthetic:tiny:Q8_0").layers[1].mlp.up.dequantized()
        #expect(a == b)
    }

    @Test("export-synthetic round trip: the GGUF loads to the same logits as the in-memory model",
          arguments: ["Q8_0", "F16", "Q4_K_M"])
    func ggufRoundTrip(type: String) throws {
        let spec = try SyntheticSpec(parsing: "synthetic:tiny:\(type)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-\(type)-\(UUID()).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SyntheticGGUF.write(spec, to: path)

        let memory = try SyntheticModel.make(spec)
        let (file, source) = try ModelLoader.load(path: path)
        #expect(source.format == .gguf)
        #expect(file.config.layerUsesRoPE == memory.config.layerUsesRoPE)
        #expect(file.config.vocabSize == memory.config.vocabSize)
        let ids = [5, 77, 300, 2, 511]
        let expected = try memory.forward(ids, cache: memory.makeCache(), logits: .all)
        let actual = try file.forward(ids, cache: file.makeCache(), logits: .all)
        #expect(actual == expected)
    }

    @Test("the exported GGUF carries the keys and vocabulary llama.cpp needs")
    func ggufMetadata() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-meta-\(UUID()).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SyntheticGGUF.write(SyntheticSpec(parsing: "tiny:Q8_0"), to: path)
        let gguf = try GGUFFile(path: path)
        #expect(gguf.metadata["general.architecture"]?.string == "smollm3")
        #expect(gguf.metadata["general.file_type"]?.int == 7)
        #expect(gguf.metadata["tokenizer.ggml.pre"]?.string == "smaug-bpe")
        let tokens = try #require(gguf.metadata["tokenizer.ggml.tokens"]?.stringArray)
        #expect(tokens.count == 512 && Set(tokens).count == 512)
        #expect(tokens[32] == "Ġ" && tokens[10] == "Ċ" && tokens[65] == "A")
        #expect(gguf.tensor("blk.0.attn_q.weight")?.type == .q8_0)
        #expect(gguf.tensor("output.weight") == nil)
    }

    @Test("GGUFWriter refuses wrong sizes and leaves no file behind when a write is incomplete")
    func writerErrors() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID()).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let tensor = GGUFWriter.Tensor(name: "w", shape: [2, 32], type: .q8_0)
        #expect(throws: FormatError.self) { try GGUFWriter(path: path, metadata: [], tensors: [tensor, tensor]) }
        #expect(throws: FormatError.self) {
            try GGUFWriter(path: path, metadata: [], tensors: [GGUFWriter.Tensor(name: "odd", shape: [2, 33], type: .q8_0)])
        }
        do {
            let writer = try GGUFWriter(path: path, metadata: [("general.architecture", .string("smollm3"))], tensors: [tensor])
            let short = [UInt8](repeating: 0, count: 67)
            #expect(throws: FormatError.self) { try short.withUnsafeBytes { try writer.writeTensor($0) } }
            #expect(throws: FormatError.self) { try writer.finish() }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))

        let writer = try GGUFWriter(path: path, metadata: [("general.architecture", .string("smollm3"))], tensors: [tensor])
        try [UInt8](repeating: 0, count: 68).withUnsafeBytes { try writer.writeTensor($0) }
        try writer.finish()
        let file = try GGUFFile(path: path)
        #expect(file.tensor("w")?.shape == [2, 32])
        #expect(file.metadata["general.architecture"]?.string == "smollm3")
    }

    @Test("bad synthetic names are reported, not crashed on",
          arguments: ["synthetic:nope:Q8_0", "synthetic:tiny:Q9", "synthetic:tiny", "synthetic:tiny:Q8_0:x"])
    func badSpecs(spec: String) {
        #expect(throws: SyntheticSpecError.self) { try SyntheticModel.make(spec: spec) }
        #expect(throws: SyntheticSpecError.self) { try ModelLoader.load(path: spec) }
    }

    @Test("bench --json has the keys scripts read")
    func benchJSON() throws {
        let settings = BenchmarkSettings(promptTokens: 4, generatedTokens: 2, threads: Parallel.threadCount, repetitions: 1,
                                         probe: true, probeBytes: 1 << 20)
        let result = try Benchmark.run("synthetic:tiny:Q8_0", settings: settings)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.json.utf8)) as? [String: Any])
        for key in ["pp_tokens_per_s", "tg_tokens_per_s", "load_s", "peak_rss_bytes", "threads", "model",
                    "weight_bytes_per_token", "read_bandwidth_gbs", "bandwidth_fraction"] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(object["model"] as? String == "synthetic:tiny:Q8_0")
        #expect(result.markdown.contains("| tg2 |"))
        #expect(throws: BenchmarkError.self) {
            try Benchmark.run("synthetic:tiny:Q8_0", settings: BenchmarkSettings(promptTokens: 0, generatedTokens: 0))
        }
    }

    @Test("bench -d decodes after that many cached positions and says so")
    func benchDepth() throws {
        let settings = BenchmarkSettings(promptTokens: 0, generatedTokens: 2, depth: 40, threads: Parallel.threadCount, repetitions: 2)
        let result = try Benchmark.run("synthetic:tiny:Q8_0", settings: settings)
        #expect(result.depth == 40)
        #expect(result.tgSamples.count == 2)
        #expect(result.markdown.contains("| tg2 @ d40 |"))
        #expect(result.json.contains("\"n_depth\":40"))
        #expect(throws: BenchmarkError.self) { try BenchmarkSettings(depth: -1).validate() }
    }
}
