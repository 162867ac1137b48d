import SmolModel

/// The session's ``ForwardObserver``: keeps what the forward passes reported, per position, so
/// `attn`, `hidden`, `logitlens`, `save` and `compare` can read it after the fact.
///
/// The same recorder is attached whether the tokens came from `prompt`, `step`, `generate` or
/// `force`, so inspecting costs the same as plain generation (one copy of each reported row).
/// Rows are dropped from the oldest position on when the total passes `limit` bytes.
final class Recorder: ForwardObserver {
    var wants: Observation
    var limit: Int
    let layerCount: Int
    let headCount: Int

    /// `attention[layer][position]`: probabilities `[head, position + 1]` (keys 0...position).
    private(set) var attention: [[[Float]?]]
    /// `hidden[stage][position]`: stage 0 = embeddings, 1...L = output of layer stage-1, L+1 = final norm.
    private(set) var hidden: [[[Float]?]]
    /// `queries[layer][position]`: `[head, headDim]`, after RoPE on RoPE layers.
    private(set) var queries: [[[Float]?]]
    /// Positions below this were dropped to stay under the limit.
    private(set) var oldest = 0
    private(set) var bytes = 0

    init(config: ModelConfig, wants: Observation, limit: Int) {
        self.wants = wants
        self.limit = limit
        layerCount = config.layerCount
        headCount = config.headCount
        attention = Array(repeating: [], count: config.layerCount)
        hidden = Array(repeating: [], count: config.layerCount + 2)
        queries = Array(repeating: [], count: config.layerCount)
    }

    var finalStage: Int { layerCount + 1 }

    func observe(_ event: ForwardEvent) {
        switch event {
        case .embeddings(let positions, let h):
            storeRows(&hidden[0], positions, h)
        case .layerOutput(let layer, let positions, let h):
            storeRows(&hidden[layer + 1], positions, h)
        case .finalNorm(let positions, let h):
            storeRows(&hidden[finalStage], positions, h)
        case .queries(let layer, let positions, let q):
            // [head, T, headDim] → per position [head, headDim]
            let (heads, count, dim) = (q.shape[0], q.shape[1], q.shape[2])
            for t in 0..<count {
                var row = [Float](repeating: 0, count: heads * dim)
                for h in 0..<heads {
                    let src = (h * count + t) * dim
                    for d in 0..<dim { row[h * dim + d] = q.data[src + d] }
                }
                put(&queries[layer], positions.lowerBound + t, row)
            }
        case .attention(let layer, let positions, let probs):
            let (heads, count, keys) = (probs.shape[0], probs.shape[1], probs.shape[2])
            for t in 0..<count {
                let p = positions.lowerBound + t
                let visible = min(p + 1, keys)
                var row = [Float](repeating: 0, count: heads * visible)
                probs.data.withUnsafeBufferPointer { src in
                    row.withUnsafeMutableBufferPointer { dst in
                        for h in 0..<heads {
                            let s = (h * count + t) * keys
                            for j in 0..<visible { dst[h * visible + j] = src[s + j] }
                        }
                    }
                }
                put(&attention[layer], p, row)
            }
        }
        evictIfNeeded(keeping: event.lastPosition)
    }

    private func storeRows(_ store: inout [[Float]?], _ positions: Range<Int>, _ t: Tensor) {
        let width = t.shape[1]
        for (i, p) in positions.enumerated() {
            put(&store, p, Array(t.data[(i * width)..<((i + 1) * width)]))
        }
    }

    private func put(_ store: inout [[Float]?], _ position: Int, _ row: [Float]) {
        while store.count <= position { store.append(nil) }
        if let old = store[position] { bytes -= old.count * 4 }
        store[position] = row
        bytes += row.count * 4
        if position < oldest { oldest = position }
    }

    private func evictIfNeeded(keeping newest: Int) {
        while bytes > limit, oldest < newest {
            for l in attention.indices { drop(&attention[l], oldest) }
            for s in hidden.indices { drop(&hidden[s], oldest) }
            for l in queries.indices { drop(&queries[l], oldest) }
            oldest += 1
        }
    }

    private func drop(_ store: inout [[Float]?], _ position: Int) {
        guard position < store.count, let old = store[position] else { return }
        bytes -= old.count * 4
        store[position] = nil
    }

    /// Forgets positions `count...` (after a rewind).
    func truncate(to count: Int) {
        func cut(_ store: inout [[Float]?]) {
            while store.count > count {
                if let old = store.removeLast() { bytes -= old.count * 4 }
            }
        }
        for l in attention.indices { cut(&attention[l]) }
        for s in hidden.indices { cut(&hidden[s]) }
        for l in queries.indices { cut(&queries[l]) }
        oldest = min(oldest, count)
    }

    func reset() {
        truncate(to: 0)
        oldest = 0
    }

    // MARK: - Reading

    func attentionRow(layer: Int, position: Int) -> [Float]? {
        position < attention[layer].count ? attention[layer][position] : nil
    }

    func hiddenRow(stage: Int, position: Int) -> [Float]? {
        position < hidden[stage].count ? hidden[stage][position] : nil
    }

    func queryRow(layer: Int, position: Int) -> [Float]? {
        position < queries[layer].count ? queries[layer][position] : nil
    }
}

private extension ForwardEvent {
    var lastPosition: Int {
        switch self {
        case .embeddings(let p, _), .layerOutput(_, let p, _), .attention(_, let p, _), .queries(_, let p, _), .finalNorm(let p, _):
            p.upperBound - 1
        }
    }
}
