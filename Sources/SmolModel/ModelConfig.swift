import Foundation
import SmolFormats

/// The hyper-parameters the forward pass needs, from an HF `config.json` or GGUF metadata.
public struct ModelConfig: Sendable, Equatable {
    public var architecture: String
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var kvHeadCount: Int
    public var headDim: Int
    public var vocabSize: Int
    public var ropeTheta: Double
    public var ropeScaling: RopeScaling?
    public var rmsNormEps: Float
    public var maxPositions: Int
    public var tieWordEmbeddings: Bool
    /// Per layer: does it rotate q and k? (false = a NoPE layer)
    public var layerUsesRoPE: [Bool]
    /// Where `layerUsesRoPE` came from, for `info` and `layers`.
    public var noPERule: String
    public var bosTokenId: Int?
    public var eosTokenIds: [Int]

    public var queriesPerKVHead: Int { headCount / kvHeadCount }
    public var noPELayers: [Int] { layerUsesRoPE.indices.filter { !layerUsesRoPE[$0] } }

    public init(architecture: String, hiddenSize: Int, intermediateSize: Int, layerCount: Int, headCount: Int,
                kvHeadCount: Int, headDim: Int? = nil, vocabSize: Int, ropeTheta: Double, ropeScaling: RopeScaling? = nil,
                rmsNormEps: Float, maxPositions: Int, tieWordEmbeddings: Bool, layerUsesRoPE: [Bool]? = nil,
                noPERule: String = "every 4th layer", bosTokenId: Int? = nil, eosTokenIds: [Int] = []) {
        self.architecture = architecture
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.kvHeadCount = kvHeadCount
        self.headDim = headDim ?? (headCount > 0 ? hiddenSize / headCount : 0)
        self.vocabSize = vocabSize
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.rmsNormEps = rmsNormEps
        self.maxPositions = maxPositions
        self.tieWordEmbeddings = tieWordEmbeddings
        self.layerUsesRoPE = layerUsesRoPE ?? (0..<layerCount).map { ($0 + 1) % 4 != 0 }
        self.noPERule = noPERule
        self.bosTokenId = bosTokenId
        self.eosTokenIds = eosTokenIds
    }

    /// Checks that the numbers describe a buildable model; `file` names the source in errors.
    public func validate(file: String) throws(ModelError) {
        func positive(_ v: Int, _ field: String) throws(ModelError) {
            guard v > 0 else { throw .config(file: file, field: field, problem: "must be positive (got \(v))") }
        }
        try positive(hiddenSize, "hidden_size")
        try positive(intermediateSize, "intermediate_size")
        try positive(layerCount, "num_hidden_layers")
        try positive(headCount, "num_attention_heads")
        try positive(kvHeadCount, "num_key_value_heads")
        try positive(headDim, "head_dim")
        try positive(vocabSize, "vocab_size")
        try positive(maxPositions, "max_position_embeddings")
        guard layerCount <= 1024, hiddenSize <= 1 << 16, intermediateSize <= 1 << 18, headCount <= 1024 else {
            throw .config(file: file, field: "num_hidden_layers/hidden_size", problem: "is out of range")
        }
        guard headCount % kvHeadCount == 0 else {
            throw .config(file: file, field: "num_key_value_heads", problem: "(\(kvHeadCount)) must divide num_attention_heads (\(headCount))")
        }
        guard headDim % 2 == 0 else { throw .config(file: file, field: "head_dim", problem: "must be even for RoPE (got \(headDim))") }
        guard ropeTheta > 0, ropeTheta.isFinite else { throw .config(file: file, field: "rope_theta", problem: "must be positive (got \(ropeTheta))") }
        guard rmsNormEps >= 0, rmsNormEps < 1 else { throw .config(file: file, field: "rms_norm_eps", problem: "is out of range (got \(rmsNormEps))") }
        guard layerUsesRoPE.count == layerCount else {
            throw .config(file: file, field: "no_rope_layers", problem: "has \(layerUsesRoPE.count) entries for \(layerCount) layers")
        }
        if let s = ropeScaling, !(s.factor > 0) || s.originalMaxPositions <= 0 {
            throw .config(file: file, field: "rope_scaling", problem: "needs a positive factor and original_max_position_embeddings")
        }
    }
}

// MARK: - config.json

extension ModelConfig {
    /// Reads a transformers `config.json` for `model_type` smollm3 or llama.
    public init(huggingFaceConfig path: String) throws(ModelError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .config(file: path, field: "(file)", problem: "cannot be read")
        }
        guard let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .config(file: path, field: "(file)", problem: "is not a JSON object")
        }
        let c = JSONFields(json, file: path)
        let modelType = try c.string("model_type")
        guard modelType == "smollm3" || modelType == "llama" else {
            throw .config(file: path, field: "model_type", problem: "is '\(modelType)'; SmolScope runs smollm3 and llama")
        }
        let layers = try c.int("num_hidden_layers")
        let heads = try c.int("num_attention_heads")
        let hidden = try c.int("hidden_size")
        // transformers >= 5 nests theta in rope_parameters.
        let ropeParameters = json["rope_parameters"] as? [String: Any]
        let theta = try c.optionalDouble("rope_theta") ?? (ropeParameters?["rope_theta"] as? NSNumber)?.doubleValue ?? 10000

        var usesRoPE: [Bool]
        var rule: String
        if modelType == "llama" {
            usesRoPE = Array(repeating: true, count: max(layers, 0))
            rule = "none (llama: RoPE on every layer)"
        } else if let list = json["no_rope_layers"] as? [Any] {
            usesRoPE = try list.enumerated().map { i, v throws(ModelError) in
                guard let n = v as? NSNumber else {
                    throw .config(file: path, field: "no_rope_layers[\(i)]", problem: "is not a number")
                }
                return n.intValue != 0  // 1 means "uses RoPE": the name is backwards
            }
            rule = "no_rope_layers in config.json"
        } else {
            let interval = try c.optionalInt("no_rope_layer_interval") ?? 4
            guard interval > 0 else { throw .config(file: path, field: "no_rope_layer_interval", problem: "must be positive") }
            usesRoPE = (0..<max(layers, 0)).map { ($0 + 1) % interval != 0 }
            rule = "every \(interval)th layer (no_rope_layer_interval)"
        }

        var scaling: RopeScaling?
        let scalingJSON = (json["rope_scaling"] as? [String: Any]) ?? ropeParameters.flatMap { ($0["rope_type"] as? String) == "yarn" ? $0 : nil }
        if let s = scalingJSON {
            let kind = (s["rope_type"] as? String) ?? (s["type"] as? String) ?? "default"
            switch kind {
            case "default": break
            case "yarn":
                let maxPositions = try c.optionalInt("max_position_embeddings") ?? 4096
                let sf = JSONFields(s, file: path, prefix: "rope_scaling.")
                var factor = try sf.optionalDouble("factor") ?? 1
                let original: Int
                if let o = try sf.optionalInt("original_max_position_embeddings") {
                    original = o
                    // transformers derives the factor from the two context lengths when both are given.
                    factor = Double(maxPositions) / Double(o)
                } else {
                    original = maxPositions
                }
                scaling = RopeScaling(factor: factor, originalMaxPositions: original,
                                      betaFast: try sf.optionalDouble("beta_fast") ?? 32,
                                      betaSlow: try sf.optionalDouble("beta_slow") ?? 1,
                                      attentionFactor: try sf.optionalDouble("attention_factor"),
                                      mscale: try sf.optionalDouble("mscale"),
                                      mscaleAllDim: try sf.optionalDouble("mscale_all_dim"),
                                      truncate: (s["truncate"] as? Bool) ?? true)
            default:
                throw .config(file: path, field: "rope_scaling.rope_type", problem: "'\(kind)' is not supported (default, yarn)")
            }
        }

        var eos: [Int] = []
        if let e = json["eos_token_id"] as? NSNumber { eos = [e.intValue] }
        if let e = json["eos_token_id"] as? [NSNumber] { eos = e.map(\.intValue) }

        self.init(architecture: modelType, hiddenSize: hidden, intermediateSize: try c.int("intermediate_size"),
                  layerCount: layers, headCount: heads,
                  kvHeadCount: try c.optionalInt("num_key_value_heads") ?? heads,
                  headDim: try c.optionalInt("head_dim") ?? (heads > 0 ? hidden / heads : 0),
                  vocabSize: try c.int("vocab_size"), ropeTheta: theta, ropeScaling: scaling,
                  rmsNormEps: Float(try c.optionalDouble("rms_norm_eps") ?? 1e-6),
                  maxPositions: try c.optionalInt("max_position_embeddings") ?? 4096,
                  tieWordEmbeddings: (json["tie_word_embeddings"] as? Bool) ?? false,
                  layerUsesRoPE: usesRoPE, noPERule: rule,
                  bosTokenId: (json["bos_token_id"] as? NSNumber)?.intValue, eosTokenIds: eos)
        if json["use_sliding_window"] as? Bool == true {
            throw .config(file: path, field: "use_sliding_window", problem: "is true; sliding-window attention is not supported")
        }
        if json["attention_bias"] as? Bool == true || json["mlp_bias"] as? Bool == true {
            throw .config(file: path, field: "attention_bias", problem: "is true; biased projections are not supported")
        }
        try validate(file: path)
    }
}

/// Typed field access on a JSON object, with errors that name the field.
struct JSONFields {
    let json: [String: Any]
    let file: String
    var prefix = ""

    init(_ json: [String: Any], file: String, prefix: String = "") {
        self.json = json
        self.file = file
        self.prefix = prefix
    }

    func string(_ key: String) throws(ModelError) -> String {
        guard let v = json[key] else { throw .config(file: file, field: prefix + key, problem: "is missing") }
        guard let s = v as? String else { throw .config(file: file, field: prefix + key, problem: "must be a string") }
        return s
    }

    func int(_ key: String) throws(ModelError) -> Int {
        guard let v = try optionalInt(key) else { throw .config(file: file, field: prefix + key, problem: "is missing") }
        return v
    }

    func optionalInt(_ key: String) throws(ModelError) -> Int? {
        guard let v = json[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber, !(v is Bool), n.doubleValue == n.doubleValue.rounded(), abs(n.doubleValue) < 1e15 else {
            throw .config(file: file, field: prefix + key, problem: "must be an integer (got \(v))")
        }
        return n.intValue
    }

    func optionalDouble(_ key: String) throws(ModelError) -> Double? {
        guard let v = json[key], !(v is NSNull) else { return nil }
        guard let n = v as? NSNumber else { throw .config(file: file, field: prefix + key, problem: "must be a number (got \(v))") }
        return n.doubleValue
    }
}
