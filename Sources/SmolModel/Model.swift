import SmolCore
import SmolFormats

/// A SmolLM3 (or Llama) decoder: plain structs of layers over weight matrices of any storage type.
/// Weights are immutable and shared; everything that changes per sequence lives in a `KVCache`.
public struct Model: Sendable {
    public let config: ModelConfig
    public let embedding: any WeightMatrix
    public var layers: [DecoderLayer]
    public let finalNorm: [Float]
    public let lmHead: any WeightMatrix
    /// How products treat activations; see `Numerics`.
    public var numerics: Numerics
    /// Every stored tensor by its name in the file, for inspection.
    public let weights: [NamedWeight]

    public init(config: ModelConfig, embedding: any WeightMatrix, layers: [DecoderLayer], finalNorm: [Float],
                lmHead: any WeightMatrix, numerics: Numerics, weights: [NamedWeight]) {
        self.config = config
        self.embedding = embedding
        self.layers = layers
        self.finalNorm = finalNorm
        self.lmHead = lmHead
        self.numerics = numerics
        self.weights = weights
    }

    /// Which logits `forward` computes.
    public enum LogitRows: Sendable { case last, all, none }

    /// Runs `tokens` at the positions after the cache's current end, appending to the cache.
    /// - Returns: logits, `[vocab]` for `.last`, `[T, vocab]` row-major for `.all`.
    @discardableResult
    public func forward(_ tokens: [Int], cache: KVCache, logits rows: LogitRows = .last,
                        observer: ForwardObserver? = nil) throws(InferenceError) -> [Float] {
        guard !tokens.isEmpty else { throw .emptyInput }
        for id in tokens where id < 0 || id >= config.vocabSize {
            throw .tokenOutOfRange(id: id, vocabSize: config.vocabSize)
        }
        let start = cache.count, count = tokens.count
        guard start + count <= cache.capacity else { throw .contextFull(needed: start + count, capacity: cache.capacity) }

        let width = config.hiddenSize
        let ws = cache.workspace
        let h = ws.buffer(.hidden, count * width)
        for (t, id) in tokens.enumerated() { embedding.dequantizeRow(id, into: h + t * width) }
        let wants = observer?.wants ?? []
        let positions = start..<(start + count)
        if wants.contains(.hidden) {
            observer?.observe(.embeddings(positions: positions, hidden: Tensor(shape: [count, width], copying: h)))
        }
        for layer in layers {
            layer(h, count: count, start: start, cache: cache, eps: config.rmsNormEps, numerics: numerics, observer: observer)
            if wants.contains(.hidden) {
                observer?.observe(.layerOutput(layer: layer.index, positions: positions, hidden: Tensor(shape: [count, width], copying: h)))
            }
        }
        cache.advance(by: count)

        let first = rows == .all ? 0 : count - 1
        let n = rows == .none ? 0 : count - first
        let normed = ws.buffer(.normed, count * width)
        finalNorm.withUnsafeBufferPointer { w in
            for t in 0..<count {
                VectorOps.rmsNorm(h + t * width, weight: w.baseAddress!, eps: config.rmsNormEps, into: normed + t * width, width)
            }
        }
        if wants.contains(.hidden) {
            observer?.observe(.finalNorm(positions: positions, hidden: Tensor(shape: [count, width], copying: normed)))
        }
        guard n > 0 else { return [] }
        var out = [Float](repeating: 0, count: n * config.vocabSize)
        out.withUnsafeMutableBufferPointer { o in
            lmHead.product(ws.batch(.finalNormed, normed + first * width, count: n, cols: width), into: o.baseAddress!, numerics: numerics)
        }
        return out
    }

    /// A fresh cache sized for this model (or `capacity` positions).
    public func makeCache(capacity: Int? = nil) -> KVCache {
        KVCache(config: config, capacity: capacity)
    }

    /// Logits of the LM head applied to one hidden row (after the final norm): the logit lens.
    public func logits(forNormedHidden x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: config.vocabSize)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { lmHead.matvec(xp.baseAddress!, into: $0.baseAddress!, numerics: numerics) }
        }
        return out
    }

    /// Final RMSNorm of one residual-stream row.
    public func finalNormed(_ x: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xp in
            finalNorm.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer {
                    VectorOps.rmsNorm(xp.baseAddress!, weight: w.baseAddress!, eps: config.rmsNormEps, into: $0.baseAddress!, x.count)
                }
            }
        }
        return out
    }
}

/// A stored tensor as the file names it: a matrix, or a vector (norm weights).
public struct NamedWeight: Sendable {
    public let name: String
    /// Shape as PyTorch orders it (`[out, in]`).
    public let shape: [Int]
    public let type: TensorType
    public let matrix: (any WeightMatrix)?
    public let vector: [Float]?

    public init(name: String, shape: [Int], type: TensorType, matrix: (any WeightMatrix)? = nil, vector: [Float]? = nil) {
        self.name = name
        self.shape = shape
        self.type = type
        self.matrix = matrix
        self.vector = vector
    }

    /// All values widened to f32, row-major.
    public func values() -> [Float] { vector ?? matrix?.dequantized() ?? [] }
}
