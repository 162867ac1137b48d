import SmolCore
import SmolFormats

/// Models with real shapes and random weights, made in memory in seconds: benchmark the 3B model's
/// speed without downloading 6 GB, and smoke-test every storage type on a tiny one.
///
/// The weights are what `SyntheticGGUF` writes for the same spec, with one difference that
/// cancels out: `attn_q`/`attn_k` are held in transformers' row order here, while the file gets
/// llama.cpp's permuted order, which `ModelLoader` undoes.
public enum SyntheticModel {
    /// The model `spec` names (`synthetic:smollm3-3b:Q8_0`, …).
    /// - Throws: `SyntheticSpecError` for a name it does not know, `WeightError` if a preset's type
    ///   has no codec registered in `MatrixFactory`.
    public static func make(spec: String, numerics: Numerics = .fast) throws -> Model {
        try make(SyntheticSpec(parsing: spec), numerics: numerics)
    }

    public static func make(shape: SyntheticShape, preset: WeightPreset, numerics: Numerics = .fast) throws(WeightError) -> Model {
        try make(SyntheticSpec(shape: shape, preset: preset), numerics: numerics)
    }

    public static func make(_ spec: SyntheticSpec, numerics: Numerics = .fast) throws(WeightError) -> Model {
        let config = spec.shape.config
        let plan = SyntheticTensor.plan(spec.shape, spec.preset)
        let (offsets, total) = SyntheticArena.layout(plan.map(\.byteCount))
        let arena = SyntheticArena(byteCount: total)
        let source = spec.description

        var matrices: [String: any WeightMatrix] = [:]
        var vectors: [String: [Float]] = [:]
        var named: [NamedWeight] = []
        for (t, offset) in zip(plan, offsets) {
            let base = arena.base + offset
            RandomWeights.fill(t, into: base)
            let m = try MatrixFactory.matrix(type: t.type, rows: t.rows, cols: t.cols, base: UnsafeRawPointer(base),
                                              owner: arena, name: t.name, file: source)
            if t.role == .norm {
                let v = m.row(0)
                vectors[t.name] = v
                named.append(NamedWeight(name: t.name, shape: t.shape, type: t.type, vector: v))
            } else {
                matrices[t.name] = m
                named.append(NamedWeight(name: t.name, shape: t.shape, type: t.type, matrix: m))
            }
        }

        let rope = RoPE(theta: config.ropeTheta, headDim: config.headDim, scaling: config.ropeScaling)
        let layers = (0..<config.layerCount).map { i in
            let p = "blk.\(i)."
            return DecoderLayer(
                index: i,
                inputNorm: vectors[p + "attn_norm.weight"]!,
                attention: Attention(q: matrices[p + "attn_q.weight"]!, k: matrices[p + "attn_k.weight"]!,
                                     v: matrices[p + "attn_v.weight"]!, o: matrices[p + "attn_output.weight"]!,
                                     headCount: config.headCount, kvHeadCount: config.kvHeadCount, headDim: config.headDim,
                                     positionEncoding: config.layerUsesRoPE[i] ? .rope(rope) : .none),
                postAttentionNorm: vectors[p + "ffn_norm.weight"]!,
                mlp: MLP(gate: matrices[p + "ffn_gate.weight"]!, up: matrices[p + "ffn_up.weight"]!,
                         down: matrices[p + "ffn_down.weight"]!))
        }
        let embedding = matrices["token_embd.weight"]!
        return Model(config: config, embedding: embedding, layers: layers, finalNorm: vectors["output_norm.weight"]!,
                     lmHead: embedding, numerics: numerics, weights: named)
    }

    /// `make(spec:)` with the `ModelSource` that `ModelLoader.load` reports for files.
    public static func load(spec: String, numerics: Numerics? = nil) throws -> (Model, ModelSource) {
        let parsed = try SyntheticSpec(parsing: spec)
        let plan = SyntheticTensor.plan(parsed.shape, parsed.preset)
        let model = try make(parsed, numerics: numerics ?? .fast)
        var counts: [TensorType: Int] = [:]
        for t in plan { counts[t.type, default: 0] += 1 }
        let summary = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key.rawValue < $1.key.rawValue) }
            .map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
        return (model, ModelSource(path: parsed.description, format: .synthetic, typeSummary: summary))
    }
}
