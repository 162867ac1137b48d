import SmolFormats

/// Which storage type each tensor gets: one type for every matrix, or a llama.cpp mixture.
public enum WeightPreset: Sendable, Equatable, CustomStringConvertible {
    /// Every matrix in `type`; norms stay F32 (llama.cpp never quantizes 1-D tensors).
    case uniform(TensorType)
    /// llama-quantize's Q4_K_M for a tied-embedding model (`llama_tensor_get_type_impl`):
    /// Q4_K by default, the tied `token_embd` Q6_K, and `attn_v`/`ffn_down` Q6_K on the
    /// `use_more_bits` layers.
    case q4_K_M

    /// Types a uniform preset may use: those `MatrixFactory` multiplies and `RandomWeights` knows
    /// how to fill with finite values.
    public static let uniformTypes: [TensorType] = [
        .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K,
    ]

    /// Parses `F32`, `Q8_0`, `Q4_K_M`, … (case-insensitive).
    public init?(name: String) {
        let upper = name.uppercased()
        if upper == "Q4_K_M" {
            self = .q4_K_M
            return
        }
        guard let type = Self.uniformTypes.first(where: { $0.description == upper }) else { return nil }
        self = .uniform(type)
    }

    public var description: String {
        switch self {
        case .uniform(let t): t.description
        case .q4_K_M: "Q4_K_M"
        }
    }

    /// All names `init(name:)` accepts, for error messages.
    public static var names: [String] { uniformTypes.map(\.description) + ["Q4_K_M"] }

    /// The storage type of a matrix; `layer` is nil for the embedding.
    public func type(of role: TensorRole, layer: Int?, layerCount: Int) -> TensorType {
        if role == .norm { return .f32 }
        switch self {
        case .uniform(let t):
            return t
        case .q4_K_M:
            switch role {
            case .embedding: return .q6_K
            case .attnV, .ffnDown:
                return Self.usesMoreBits(layer ?? 0, layerCount) ? .q6_K : .q4_K
            default: return .q4_K
            }
        }
    }

    /// llama.cpp's `use_more_bits(i, n)`: the first and last eighth of the layers and every third
    /// one between (C integer division and remainder).
    static func usesMoreBits(_ i: Int, _ n: Int) -> Bool {
        i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
    }

    /// `general.file_type` as llama.cpp numbers it (`llama_ftype`, not `ggml_ftype`). K-quants
    /// without a plain ftype get their `_S` variant's number; llama.cpp only displays it.
    public var llamaFileType: UInt32 {
        switch self {
        case .q4_K_M: 15
        case .uniform(let t):
            switch t {
            case .f32: 0
            case .f16: 1
            case .q4_0: 2
            case .q4_1: 3
            case .q8_0: 7
            case .q5_0: 8
            case .q5_1: 9
            case .q2_K: 10
            case .q3_K: 11
            case .q4_K: 14
            case .q5_K: 16
            case .q6_K: 18
            case .bf16: 32
            default: 0
            }
        }
    }
}

/// What a tensor is for, which is what quantization presets decide by.
public enum TensorRole: Sendable, Equatable {
    case embedding, attnQ, attnK, attnV, attnOutput, ffnGate, ffnUp, ffnDown, norm
}
