import Foundation
import Testing
import SmolFormats
import SmolModel

/// `export-synthetic` to an HF directory (tiny shapes only): SmolScope reads back the model it was
/// made from, and the directory has what transformers needs to load it as SmolLM3.
@Suite("Synthetic safetensors export")
struct SyntheticSafetensorsTests {
    /// A fresh directory path under the temporary directory, removed by the caller.
    static func temporaryDirectory(_ label: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("synthetic-hf-\(label)-\(UUID())").path
    }

    static let ids = [5, 77, 300, 2, 511]

    @Test("the exported directory loads to exactly the in-memory model's logits", arguments: ["BF16", "F32"])
    func roundTrip(type: String) throws {
        let spec = try SyntheticSpec(parsing: "synthetic:tiny:\(type)")
        let directory = Self.temporaryDirectory(type)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticSafetensors.write(spec, toDirectory: directory)

        let memory = try SyntheticModel.make(spec, numerics: .exact)
        let (file, source) = try ModelLoader.load(path: directory, numerics: .exact)
        #expect(source.format == .safetensors)
        let expected = try memory.forward(Self.ids, cache: memory.makeCache(), logits: .all)
        let actual = try file.forward(Self.ids, cache: file.makeCache(), logits: .all)
        #expect(actual == expected)
    }

    @Test("the HF directory and the GGUF export of the same spec compute the same logits")
    func sameAsGGUF() throws {
        let spec = try SyntheticSpec(parsing: "synthetic:tiny:BF16")
        let directory = Self.temporaryDirectory("vs-gguf")
        let gguf = directory + ".gguf"
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: gguf)
        }
        try SyntheticSafetensors.write(spec, toDirectory: directory)
        try SyntheticGGUF.write(spec, to: gguf)

        let hf = try ModelLoader.load(path: directory, numerics: .exact).0
        let llama = try ModelLoader.load(path: gguf, numerics: .exact).0
        let a = try hf.forward(Self.ids, cache: hf.makeCache(), logits: .all)
        let b = try llama.forward(Self.ids, cache: llama.makeCache(), logits: .all)
        #expect(a == b)
    }

    @Test("config.json reads back as the synthetic shape's hyper-parameters")
    func configRoundTrip() throws {
        let directory = Self.temporaryDirectory("config")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticSafetensors.write(SyntheticSpec(parsing: "tiny:BF16"), toDirectory: directory)

        var read = try ModelConfig(huggingFaceConfig: directory + "/config.json")
        let expected = SyntheticShape.tiny.config
        #expect(read.noPELayers == [3])
        read.noPERule = expected.noPERule
        #expect(read == expected)
    }

    @Test("config.json names SmolLM3 the way transformers' AutoModelForCausalLM looks it up")
    func configForTransformers() throws {
        let directory = Self.temporaryDirectory("auto")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticSafetensors.write(SyntheticSpec(parsing: "tiny:BF16"), toDirectory: directory)

        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/config.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["model_type"] as? String == "smollm3")
        #expect(json["architectures"] as? [String] == ["SmolLM3ForCausalLM"])
        #expect(json["torch_dtype"] as? String == "bfloat16")
        #expect(json["tie_word_embeddings"] as? Bool == true)
        #expect(json["no_rope_layers"] as? [Int] == [1, 1, 1, 0])
        #expect(json["pad_token_id"] is NSNull)
    }

    @Test("model.safetensors holds transformers' tensor names, BF16 matrices, F32 norms and no lm_head")
    func tensorNames() throws {
        let directory = Self.temporaryDirectory("names")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try SyntheticSafetensors.write(SyntheticSpec(parsing: "tiny:BF16"), toDirectory: directory)

        let file = try SafetensorsFile(path: directory + "/model.safetensors")
        #expect(file.metadata["format"] == "pt")
        #expect(file.tensors.count == 1 + 4 * 9 + 1)
        #expect(file.tensors["model.embed_tokens.weight"]?.shape == [512, 256])
        #expect(file.tensors["model.layers.3.self_attn.k_proj.weight"]?.type == .bf16)
        #expect(file.tensors["model.layers.0.input_layernorm.weight"]?.type == .f32)
        #expect(file.tensors["model.norm.weight"]?.shape == [256])
        #expect(file.tensors["lm_head.weight"] == nil)
    }

    @Test("quantized types are refused before anything is written")
    func quantizedRefused() throws {
        let directory = Self.temporaryDirectory("q8")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = try SyntheticSpec(parsing: "tiny:Q8_0")
        #expect(throws: FormatError.self) { try SyntheticSafetensors.write(spec, toDirectory: directory) }
        #expect(!FileManager.default.fileExists(atPath: directory))
    }
}
