import SmolCore

/// One transformer block: pre-norm attention and pre-norm MLP, each added to the residual stream.
public struct DecoderLayer: Sendable {
    public let index: Int
    public let inputNorm: [Float]
    public var attention: Attention
    public let postAttentionNorm: [Float]
    public let mlp: MLP

    /// Updates the residual stream `h` (`count` rows) in place.
    func callAsFunction(_ h: UnsafeMutablePointer<Float>, count: Int, start: Int, cache: KVCache, eps: Float,
                        numerics: Numerics, observer: ForwardObserver?) {
        let ws = cache.workspace
        let width = inputNorm.count
        let normed = ws.buffer(.normed, count * width), projected = ws.buffer(.projected, count * width)
        inputNorm.withUnsafeBufferPointer { w in
            for t in 0..<count { VectorOps.rmsNorm(h + t * width, weight: w.baseAddress!, eps: eps, into: normed + t * width, width) }
        }
        attention(normed, count: count, start: start, layer: index, cache: cache, numerics: numerics,
                  observer: observer, into: projected)
        VectorOps.add(projected, into: h, count * width)
        postAttentionNorm.withUnsafeBufferPointer { w in
            for t in 0..<count { VectorOps.rmsNorm(h + t * width, weight: w.baseAddress!, eps: eps, into: normed + t * width, width) }
        }
        mlp(normed, count: count, workspace: ws, numerics: numerics, into: projected)
        VectorOps.add(projected, into: h, count * width)
    }
}
