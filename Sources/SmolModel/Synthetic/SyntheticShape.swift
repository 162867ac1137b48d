/// The architectures a synthetic model can take. Shapes are what decide speed (bytes streamed per
/// token, FLOPs per prompt token), so `smollm3_3B` copies SmolLM3-3B's exactly.
public enum SyntheticShape: String, Sendable, CaseIterable, CustomStringConvertible {
    /// HuggingFaceTB/SmolLM3-3B: 2048 hidden, 11008 intermediate, 36 layers, 16/4 heads of 128,
    /// 128256 tokens, θ = 5e6, NoPE every 4th layer, tied embeddings.
    case smollm3_3B = "smollm3-3b"
    /// A few-hundred-kilobyte model of the same structure, for tests and smoke runs. Widths are
    /// multiples of 256 so every K-quant fits; 4 layers give one NoPE layer and both kinds of
    /// Q4_K_M layer.
    case tiny

    public var description: String { rawValue }

    public var config: ModelConfig {
        switch self {
        case .smollm3_3B:
            ModelConfig(architecture: "smollm3", hiddenSize: 2048, intermediateSize: 11008, layerCount: 36,
                        headCount: 16, kvHeadCount: 4, headDim: 128, vocabSize: 128_256, ropeTheta: 5_000_000,
                        rmsNormEps: 1e-6, maxPositions: 65536, tieWordEmbeddings: true,
                        noPERule: "every 4th layer (SmolLM3)", bosTokenId: 128_000, eosTokenIds: [128_012])
        case .tiny:
            ModelConfig(architecture: "smollm3", hiddenSize: 256, intermediateSize: 512, layerCount: 4,
                        headCount: 4, kvHeadCount: 2, headDim: 64, vocabSize: 512, ropeTheta: 5_000_000,
                        rmsNormEps: 1e-6, maxPositions: 4096, tieWordEmbeddings: true,
                        noPERule: "every 4th layer (SmolLM3)", bosTokenId: 509, eosTokenIds: [510])
        }
    }
}
