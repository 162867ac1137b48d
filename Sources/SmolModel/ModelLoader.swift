import Foundation
import SmolCore
import SmolFormats

/// Where a model came from, for `info`.
public struct ModelSource: Sendable {
    public enum Format: String, Sendable { case safetensors, gguf, synthetic }
    public let path: String
    public let format: Format
    /// The storage types and how many tensors use each, e.g. `Q4_K ×48, Q6_K ×9, F32 ×17`.
    public let typeSummary: String
}

/// Builds a `Model` from an HF safetensors directory or a GGUF file. The two formats meet here and
/// nowhere else: past this point the model is the same structs over `WeightMatrix`es.
public enum ModelLoader {
    public static func load(path: String, numerics: Numerics? = nil) throws -> (Model, ModelSource) {
        if SyntheticSpec.isSynthetic(path) { return try SyntheticModel.load(spec: path, numerics: numerics) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FormatError(file: path, "no such file or directory")
        }
        if isDirectory.boolValue { return try loadHuggingFace(directory: path, numerics: numerics ?? .exact) }
        return try loadGGUF(GGUFFile(path: path), numerics: numerics ?? .fast)
    }

    // MARK: - Hugging Face directory

    public static func loadHuggingFace(directory: String, numerics: Numerics = .exact) throws -> (Model, ModelSource) {
        let config = try ModelConfig(huggingFaceConfig: directory + "/config.json")
        let checkpoint = try SafetensorsCheckpoint(directory: directory)
        let names = WeightNames.huggingFace
        let model = try assemble(config: config, tensors: checkpoint.tensors, names: names, numerics: numerics,
                                 file: directory, unpermuteQK: false)
        return (model, ModelSource(path: directory, format: .safetensors, typeSummary: typeSummary(Array(checkpoint.tensors.values))))
    }

    // MARK: - GGUF

    public static func loadGGUF(_ gguf: GGUFFile, numerics: Numerics = .fast) throws -> (Model, ModelSource) {
        let config = try ModelConfig(gguf: gguf)
        var tensors: [String: TensorData] = [:]
        for t in gguf.tensors { tensors[t.name] = t }
        // llama.cpp's converter permutes q/k rows for its interleaved RoPE; undo it so the same
        // split-half RoPE (and transformers-comparable q/k dumps) serve both formats.
        let model = try assemble(config: config, tensors: tensors, names: WeightNames.gguf, numerics: numerics,
                                 file: gguf.path, unpermuteQK: true)
        return (model, ModelSource(path: gguf.path, format: .gguf, typeSummary: typeSummary(gguf.tensors)))
    }

    // MARK: - Assembly

    static func assemble(config: ModelConfig, tensors: [String: TensorData], names: WeightNames, numerics: Numerics,
                         file: String, unpermuteQK: Bool) throws -> Model {
        var named: [NamedWeight] = []
        func tensor(_ name: String, _ shape: [Int]) throws -> TensorData {
            guard let t = tensors[name] else { throw ModelError.missingTensor(file: file, name: name) }
            guard t.shape == shape else { throw ModelError.tensorShape(file: file, name: name, shape: t.shape, expected: shape) }
            return t
        }
        func matrix(_ name: String, _ rows: Int, _ cols: Int, permuteHeads: Int? = nil) throws -> any WeightMatrix {
            let t = try tensor(name, [rows, cols])
            let m: any WeightMatrix
            if let heads = permuteHeads, unpermuteQK {
                m = try MatrixFactory.unpermutedRoPERows(t, heads: heads)
            } else {
                m = try MatrixFactory.matrix(t)
            }
            named.append(NamedWeight(name: name, shape: t.shape, type: t.type, matrix: m))
            return m
        }
        func vector(_ name: String, _ count: Int) throws -> [Float] {
            let t = try tensor(name, [count])
            let v = try MatrixFactory.vector(t)
            named.append(NamedWeight(name: name, shape: t.shape, type: t.type, vector: v))
            return v
        }

        let c = config
        let embedding = try matrix(names.embedding, c.vocabSize, c.hiddenSize)
        let rope = RoPE(theta: c.ropeTheta, headDim: c.headDim, scaling: c.ropeScaling)
        var layers: [DecoderLayer] = []
        for i in 0..<c.layerCount {
            let n = names.layer(i)
            let attention = Attention(
                q: try matrix(n.q, c.headCount * c.headDim, c.hiddenSize, permuteHeads: c.headCount),
                k: try matrix(n.k, c.kvHeadCount * c.headDim, c.hiddenSize, permuteHeads: c.kvHeadCount),
                v: try matrix(n.v, c.kvHeadCount * c.headDim, c.hiddenSize),
                o: try matrix(n.o, c.hiddenSize, c.headCount * c.headDim),
                headCount: c.headCount, kvHeadCount: c.kvHeadCount, headDim: c.headDim,
                positionEncoding: c.layerUsesRoPE[i] ? .rope(rope) : .none)
            layers.append(DecoderLayer(
                index: i,
                inputNorm: try vector(n.inputNorm, c.hiddenSize),
                attention: attention,
                postAttentionNorm: try vector(n.postAttentionNorm, c.hiddenSize),
                mlp: MLP(gate: try matrix(n.gate, c.intermediateSize, c.hiddenSize),
                         up: try matrix(n.up, c.intermediateSize, c.hiddenSize),
                         down: try matrix(n.down, c.hiddenSize, c.intermediateSize))))
        }
        let finalNorm = try vector(names.finalNorm, c.hiddenSize)
        // A separate head when the file has one; otherwise (tied) the embedding doubles as the head.
        let lmHead: any WeightMatrix
        if tensors[names.lmHead] != nil {
            lmHead = try matrix(names.lmHead, c.vocabSize, c.hiddenSize)
        } else if c.tieWordEmbeddings || names.tiesWhenAbsent {
            lmHead = embedding
        } else {
            throw ModelError.missingTensor(file: file, name: names.lmHead)
        }
        return Model(config: config, embedding: embedding, layers: layers, finalNorm: finalNorm, lmHead: lmHead,
                     numerics: numerics, weights: named)
    }

    static func typeSummary(_ tensors: [TensorData]) -> String {
        var counts: [TensorType: Int] = [:]
        for t in tensors { counts[t.type, default: 0] += 1 }
        return counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.rawValue < $1.key.rawValue) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}

/// Tensor names of one file convention.
struct WeightNames: Sendable {
    struct Layer: Sendable { let q, k, v, o, gate, up, down, inputNorm, postAttentionNorm: String }
    let embedding: String
    let finalNorm: String
    let lmHead: String
    /// GGUF files omit `output.weight` for tied models without saying so.
    let tiesWhenAbsent: Bool
    let layer: @Sendable (Int) -> Layer

    static let huggingFace = WeightNames(
        embedding: "model.embed_tokens.weight", finalNorm: "model.norm.weight", lmHead: "lm_head.weight",
        tiesWhenAbsent: false,
        layer: { i in
            let p = "model.layers.\(i)."
            return Layer(q: p + "self_attn.q_proj.weight", k: p + "self_attn.k_proj.weight",
                         v: p + "self_attn.v_proj.weight", o: p + "self_attn.o_proj.weight",
                         gate: p + "mlp.gate_proj.weight", up: p + "mlp.up_proj.weight", down: p + "mlp.down_proj.weight",
                         inputNorm: p + "input_layernorm.weight", postAttentionNorm: p + "post_attention_layernorm.weight")
        })

    static let gguf = WeightNames(
        embedding: "token_embd.weight", finalNorm: "output_norm.weight", lmHead: "output.weight",
        tiesWhenAbsent: true,
        layer: { i in
            let p = "blk.\(i)."
            return Layer(q: p + "attn_q.weight", k: p + "attn_k.weight", v: p + "attn_v.weight",
                         o: p + "attn_output.weight", gate: p + "ffn_gate.weight", up: p + "ffn_up.weight",
                         down: p + "ffn_down.weight", inputNorm: p + "attn_norm.weight", postAttentionNorm: p + "ffn_norm.weight")
        })
}
