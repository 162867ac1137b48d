import Foundation
import SmolCore
import SmolFormats

/// Writes a synthetic model as a Hugging Face checkpoint directory (`config.json` +
/// `model.safetensors`) that transformers' `AutoModelForCausalLM` and `ModelLoader` both load, so
/// SmolScope and PyTorch can be timed on the same bytes.
///
/// The bytes are exactly what `SyntheticModel.make` builds for the same spec. Unlike the GGUF
/// export there is no Q/K row permutation: the in-memory model already holds `attn_q`/`attn_k` in
/// transformers' order, which is the order safetensors checkpoints use. Norms stay F32, as in the
/// in-memory model (a trained checkpoint would store them in the model's dtype; transformers casts
/// them when it loads with `dtype=bfloat16`). One file, not shards: the 3B model's 6 GB loads fine
/// in one piece in both engines.
public enum SyntheticSafetensors {
    /// Storage types a checkpoint can hold: safetensors has no block-quantized dtypes.
    public static let types: [TensorType] = [.f32, .f16, .bf16]

    /// Creates `directory` if needed and writes `config.json` and `model.safetensors` into it,
    /// generating one tensor at a time into a reused buffer (memory stays at the largest tensor).
    /// - Parameter progress: called after each tensor with (bytes written, total bytes).
    public static func write(_ spec: SyntheticSpec, toDirectory directory: String,
                             progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(FormatError) {
        guard case .uniform(let type) = spec.preset, types.contains(type) else {
            throw FormatError(file: directory, "a safetensors checkpoint holds F32, F16 or BF16, not \(spec.preset); write a .gguf for quantized types")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try config(spec).write(to: URL(fileURLWithPath: directory + "/config.json"))
        } catch {
            throw FormatError(file: directory, "cannot write config.json: \(error.localizedDescription)")
        }

        let plan = SyntheticTensor.plan(spec.shape, spec.preset)
        let names = huggingFaceNames(spec.shape.config)
        let writer = try SafetensorsWriter(
            path: directory + "/model.safetensors",
            tensors: plan.map { SafetensorsWriter.Tensor(name: names[$0.name]!, shape: $0.shape, type: $0.type) })
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(plan.map(\.byteCount).max() ?? 0, 1), alignment: 64)
        defer { scratch.deallocate() }
        let total = plan.reduce(0) { $0 + $1.byteCount }
        var done = 0
        for t in plan {
            RandomWeights.fill(t, into: scratch)
            try writer.writeTensor(UnsafeRawBufferPointer(start: scratch, count: t.byteCount))
            done += t.byteCount
            progress?(done, total)
        }
        try writer.finish()
    }

    /// GGUF tensor name (the plan's) → transformers name, from the two conventions `ModelLoader`
    /// reads, so export and load cannot disagree on a name.
    static func huggingFaceNames(_ c: ModelConfig) -> [String: String] {
        let gguf = WeightNames.gguf, hf = WeightNames.huggingFace
        var map = [gguf.embedding: hf.embedding, gguf.finalNorm: hf.finalNorm, gguf.lmHead: hf.lmHead]
        for i in 0..<c.layerCount {
            let g = gguf.layer(i), h = hf.layer(i)
            for (from, to) in [(g.q, h.q), (g.k, h.k), (g.v, h.v), (g.o, h.o), (g.gate, h.gate), (g.up, h.up),
                               (g.down, h.down), (g.inputNorm, h.inputNorm), (g.postAttentionNorm, h.postAttentionNorm)] {
                map[from] = to
            }
        }
        return map
    }

    /// A `config.json` in the form SmolLM3-3B's own takes (`SmolLM3Config` fields), with the
    /// synthetic shape's numbers. `pad_token_id` is null because `SmolLM3Config`'s default (128004)
    /// would lie outside the tiny shape's vocabulary; synthetic shapes have no RoPE scaling.
    static func config(_ spec: SyntheticSpec) throws -> Data {
        let c = spec.shape.config
        let dtype: String = switch spec.preset {
        case .uniform(.f32): "float32"
        case .uniform(.f16): "float16"
        default: "bfloat16"
        }
        let json: [String: Any] = [
            "architectures": ["SmolLM3ForCausalLM"],
            "model_type": c.architecture,
            "hidden_size": c.hiddenSize,
            "intermediate_size": c.intermediateSize,
            "num_hidden_layers": c.layerCount,
            "num_attention_heads": c.headCount,
            "num_key_value_heads": c.kvHeadCount,
            "head_dim": c.headDim,
            "vocab_size": c.vocabSize,
            "max_position_embeddings": c.maxPositions,
            "rope_theta": c.ropeTheta,
            "rope_scaling": NSNull(),
            // Via the Float's shortest decimal, so 1e-6 is written as 1e-06, not 9.99999997e-07.
            "rms_norm_eps": Double("\(c.rmsNormEps)")!,
            "no_rope_layers": c.layerUsesRoPE.map { $0 ? 1 : 0 },  // 1 = uses RoPE
            "no_rope_layer_interval": 4,
            "layer_types": Array(repeating: "full_attention", count: c.layerCount),
            "use_sliding_window": false,
            "sliding_window": NSNull(),
            "max_window_layers": c.layerCount,
            "tie_word_embeddings": c.tieWordEmbeddings,
            "hidden_act": "silu",
            "attention_bias": false,
            "attention_dropout": 0.0,
            "mlp_bias": false,
            "initializer_range": 0.02,
            "bos_token_id": c.bosTokenId.map { $0 as Any } ?? NSNull(),
            "eos_token_id": c.eosTokenIds.first.map { $0 as Any } ?? NSNull(),
            "pad_token_id": NSNull(),
            "use_cache": true,
            "torch_dtype": dtype,
        ]
        return try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
    }
}
