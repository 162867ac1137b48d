import Foundation
import SmolCore

/// Grouped-query self-attention: `headCount` query heads share `kvHeadCount` key/value heads
/// (query head h reads KV head h / (headCount / kvHeadCount), as transformers' `repeat_kv`).
public struct Attention: Sendable {
    public let q: any WeightMatrix
    public let k: any WeightMatrix
    public let v: any WeightMatrix
    public let o: any WeightMatrix
    public let headCount: Int
    public let kvHeadCount: Int
    public let headDim: Int
    /// RoPE or NoPE for this layer; mutable so the REPL can flip it as an experiment.
    public var positionEncoding: PositionEncoding

    /// Attends `count` new rows of `x` (already normed) at positions `start...`, appending their
    /// keys and values to `layer`'s cache, and writes the projected output to `out`.
    func callAsFunction(_ x: UnsafePointer<Float>, count: Int, start: Int, layer: Int, cache: KVCache,
                        numerics: Numerics, observer: ForwardObserver?, into out: UnsafeMutablePointer<Float>) {
        let ws = cache.workspace
        let qWidth = headCount * headDim, kvWidth = kvHeadCount * headDim
        let qs = ws.buffer(.q, count * qWidth)
        let keyRows = cache.keyRows(layer) + start * kvWidth
        let valueRows = cache.valueRows(layer) + start * kvWidth
        let input = ws.batch(.attentionInput, x, count: count, cols: q.cols)
        q.product(input, into: qs, numerics: numerics)
        k.product(input, into: keyRows, numerics: numerics)
        v.product(input, into: valueRows, numerics: numerics)

        if case .rope(let rope) = positionEncoding {
            let half = headDim / 2
            let table = ws.buffer(.rotation, count * headDim)
            rope.fillTable(positions: start..<(start + count), into: table)
            for t in 0..<count {
                let cosSin = table + t * headDim
                for h in 0..<headCount { RoPE.apply(qs + t * qWidth + h * headDim, cosSin, half) }
                for h in 0..<kvHeadCount { RoPE.apply(keyRows + t * kvWidth + h * headDim, cosSin, half) }
            }
        }

        let wants = observer?.wants ?? []
        let positions = start..<(start + count)
        if wants.contains(.queries) {
            var data = [Float](repeating: 0, count: headCount * count * headDim)
            for h in 0..<headCount {
                for t in 0..<count {
                    for d in 0..<headDim { data[(h * count + t) * headDim + d] = qs[t * qWidth + h * headDim + d] }
                }
            }
            observer?.observe(.queries(layer: layer, positions: positions, queries: Tensor(shape: [headCount, count, headDim], data: data)))
        }

        let keys = start + count
        let capture = wants.contains(.attention)
        var probabilities = capture ? [Float](repeating: 0, count: headCount * count * keys) : []
        let mixed = ws.buffer(.attention, count * qWidth)
        let scores = ws.buffer(.scores, headCount * keys)
        let allKeys = UnsafePointer(cache.keyRows(layer)), allValues = UnsafePointer(cache.valueRows(layer))
        let scale = 1 / Float(headDim).squareRoot()
        let group = headCount / kvHeadCount
        let headDim = headDim
        probabilities.withUnsafeMutableBufferPointer { probs in
            // An empty array may still hand out a (shared, zero-length) base address.
            let probs = capture ? probs.baseAddress : nil
            Parallel.forRanges(headCount) { heads in
                for h in heads {
                    let kvOffset = (h / group) * headDim
                    let row = scores + h * keys
                    for t in 0..<count {
                        let query = qs + t * qWidth + h * headDim
                        let visible = start + t + 1  // causal: keys 0...start+t
                        for j in 0..<visible { row[j] = VectorOps.dot(query, allKeys + j * kvWidth + kvOffset, headDim) * scale }
                        VectorOps.softmax(row, visible)
                        let output = mixed + t * qWidth + h * headDim
                        output.initialize(repeating: 0, count: headDim)
                        for j in 0..<visible { VectorOps.axpy(row[j], allValues + j * kvWidth + kvOffset, output, headDim) }
                        if let probs { (probs + (h * count + t) * keys).update(from: row, count: visible) }
                    }
                }
            }
        }
        if capture {
            observer?.observe(.attention(layer: layer, positions: positions,
                                         probabilities: Tensor(shape: [headCount, count, keys], data: probabilities)))
        }
        o.product(ws.batch(.attentionOutput, mixed, count: count, cols: qWidth), into: out, numerics: numerics)
    }
}

extension RoPE {
    /// cos (first half) and sin (second half) of every rotation pair for each position, scaled by
    /// the attention factor: `[position][headDim]`.
    func fillTable(positions: Range<Int>, into table: UnsafeMutablePointer<Float>) {
        let half = headDim / 2
        for (t, p) in positions.enumerated() {
            for i in 0..<half {
                let angle = Double(Float(p) * inverseFrequencies[i])
                table[t * headDim + i] = Float(cos(angle)) * attentionScaling
                table[t * headDim + half + i] = Float(sin(angle)) * attentionScaling
            }
        }
    }

    /// Rotates pairs `(i, i + half)` of one head vector with a row of `fillTable`.
    @inline(__always)
    static func apply(_ x: UnsafeMutablePointer<Float>, _ cosSin: UnsafePointer<Float>, _ half: Int) {
        for i in 0..<half {
            let c = cosSin[i], s = cosSin[half + i]
            let a = x[i], b = x[i + half]
            x[i] = a * c - b * s
            x[i + half] = b * c + a * s
        }
    }
}
