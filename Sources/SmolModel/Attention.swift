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
        WeightMatrices.products(input, numerics: numerics, (q, qs), (k, keyRows), (v, valueRows))

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
        probabilities.withUnsafeMutableBufferPointer { probs in
            // An empty array may still hand out a (shared, zero-length) base address.
            let rows = AttentionRows(queries: qs, keys: cache.keyRows(layer), values: cache.valueRows(layer), output: mixed,
                                     probabilities: capture ? probs.baseAddress : nil, count: count, start: start,
                                     headDim: headDim, qWidth: qWidth, kvWidth: kvWidth, group: headCount / kvHeadCount)
            if count >= AttentionRows.batchedQueries {
                Parallel.forRanges(headCount) { heads in for h in heads { rows.attendTiles(head: h) } }
            } else if keys >= AttentionRows.batchedKeys {
                Parallel.forRanges(kvHeadCount) { kvHeads in for g in kvHeads { rows.attendGroup(kvHead: g) } }
            } else {
                let scores = ws.buffer(.scores, headCount * keys)
                Parallel.forRanges(headCount) { heads in for h in heads { rows.attendRows(head: h, scores: scores + h * keys) } }
            }
        }
        if capture {
            observer?.observe(.attention(layer: layer, positions: positions,
                                         probabilities: Tensor(shape: [headCount, count, keys], data: probabilities)))
        }
        o.product(ws.batch(.attentionOutput, mixed, count: count, cols: qWidth), into: out, numerics: numerics)
    }
}

/// The attention of `count` new queries at positions `start...` over the cached keys and values of
/// one layer, head by head (each head's rows are disjoint, so heads run in parallel): softmax of
/// the scaled query·key products over the visible (causal) keys, then the probability-weighted sum
/// of the values into `output`, and the probabilities into `probabilities` when captured.
struct AttentionRows: @unchecked Sendable {
    let queries: UnsafeMutablePointer<Float>
    let keys: UnsafeMutablePointer<Float>
    let values: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    /// `[head, query, key]` with room for every key, or nil when nobody observes them.
    let probabilities: UnsafeMutablePointer<Float>?
    let count: Int, start: Int, headDim: Int, qWidth: Int, kvWidth: Int, group: Int

    /// Prompts at least this long take `attendTiles`. Shorter ones and decode steps over fewer than
    /// `batchedKeys` keys keep the per-key loop, which does not depend on OpenBLAS's kernel choice,
    /// so recorded outputs of short sessions replay identically on any machine.
    static let batchedQueries = 64
    /// Queries per tile of `attendTiles`: bounds its scores to 64 × keys floats.
    static let queryTile = 64
    /// Decode steps (and short prompts) over at least this many keys take `attendGroup`.
    static let batchedKeys = 512

    var scale: Float { 1 / Float(headDim).squareRoot() }
    var keyCount: Int { start + count }

    /// One query at a time: a dot product per visible key, then an axpy per value.
    func attendRows(head h: Int, scores row: UnsafeMutablePointer<Float>) {
        let kvOffset = (h / group) * headDim, scale = scale
        for t in 0..<count {
            let query = queries + t * qWidth + h * headDim
            let visible = start + t + 1  // causal: keys 0...start+t
            VectorOps.scaledDots(query, rows: keys + kvOffset, stride: kvWidth, count: visible, headDim, scale: scale, into: row)
            VectorOps.softmax(row, visible)
            VectorOps.weightedSum(row, rows: values + kvOffset, stride: kvWidth, count: visible, headDim,
                                  into: output + t * qWidth + h * headDim)
            if let probabilities { (probabilities + (h * count + t) * keyCount).update(from: row, count: visible) }
        }
    }

    /// One query at a time, the `group` query heads that share KV head `g` (adjacent in a query
    /// row) together, as two sgemm calls with `group` rows: each key and value row is read once for
    /// the group and streamed through BLAS instead of one dot product and one axpy per key and head
    /// (at 2048 cached positions those made decode 40% slower than at an empty cache).
    func attendGroup(kvHead g: Int) {
        let kvOffset = g * headDim, scale = scale
        let scores = ScratchArena.current.buffer(.scores, bytes: group * keyCount * 4).assumingMemoryBound(to: Float.self)
        for t in 0..<count {
            let visible = start + t + 1, first = t * qWidth + g * group * headDim
            BLAS.gemm(queries + first, lda: headDim, keys + kvOffset, ldb: kvWidth, transposeB: true,
                      scores, ldc: visible, m: group, n: visible, k: headDim, alpha: scale)
            for i in 0..<group {
                VectorOps.softmax(scores + i * visible, visible)
                if let probabilities {
                    (probabilities + ((g * group + i) * count + t) * keyCount).update(from: scores + i * visible, count: visible)
                }
            }
            BLAS.gemm(scores, lda: visible, values + kvOffset, ldb: kvWidth, transposeB: false,
                      output + first, ldc: headDim, m: group, n: headDim, k: visible)
        }
    }

    /// Tiles of queries against the keys they can see, as two sgemm calls (scores = Q·Kᵀ, output =
    /// P·V) with the causal part masked in between. The per-key loop spends ~15% of a 512-token
    /// prompt in attention, and its share grows with the prompt.
    func attendTiles(head h: Int) {
        let kvOffset = (h / group) * headDim, tile = Self.queryTile, scale = scale
        let scores = ScratchArena.current.buffer(.scores, bytes: tile * keyCount * 4).assumingMemoryBound(to: Float.self)
        for t0 in stride(from: 0, to: count, by: tile) {
            let n = min(tile, count - t0), seen = start + t0 + n  // keys the tile's last query sees
            BLAS.gemm(queries + t0 * qWidth + h * headDim, lda: qWidth, keys + kvOffset, ldb: kvWidth, transposeB: true,
                      scores, ldc: seen, m: n, n: seen, k: headDim, alpha: scale)
            for i in 0..<n {
                let row = scores + i * seen, visible = start + t0 + i + 1
                VectorOps.softmax(row, visible)
                (row + visible).update(repeating: 0, count: seen - visible)
                if let probabilities { (probabilities + (h * count + t0 + i) * keyCount).update(from: row, count: visible) }
            }
            BLAS.gemm(scores, lda: seen, values + kvOffset, ldb: kvWidth, transposeB: false,
                      output + t0 * qWidth + h * headDim, ldc: qWidth, m: n, n: headDim, k: seen)
        }
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
