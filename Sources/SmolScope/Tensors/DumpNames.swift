import SmolModel

/// The tensor names `save` writes and `compare` reads — the names of `scripts/dump_transformers.py`
/// and of the reference fixtures (which prefix them with a prompt name, e.g. `code.attn.0`):
///
/// | name | shape | content |
/// |---|---|---|
/// | `input_ids` | `[T]` | token ids (I64) |
/// | `hidden.embed` | `[T, hidden]` | token embeddings |
/// | `hidden.layer.<i>` | `[T, hidden]` | residual stream after decoder layer i (transformers `hidden_states[i+1]`) |
/// | `hidden.final_norm` | `[T, hidden]` | after the final RMSNorm (LM-head input) |
/// | `q.<i>` | `[head, T, head_dim]` | queries after RoPE (RoPE layers) |
/// | `attn.<i>` | `[head, T, T]` | softmax attention probabilities, future keys 0 |
/// | `kv.<i>.k`, `kv.<i>.v` | `[kv_head, T, head_dim]` | KV cache (keys after RoPE on RoPE layers) |
/// | `logits` | `[T, vocab]` | logits at every position |
enum DumpNames {
    /// Every name for a model with `layers` layers, in forward order.
    static func all(layers: Int) -> [String] {
        var names = ["input_ids", "hidden.embed"]
        for l in 0..<layers { names += ["q.\(l)", "attn.\(l)", "kv.\(l).k", "kv.\(l).v", "hidden.layer.\(l)"] }
        return names + ["hidden.final_norm", "logits"]
    }

    /// The roots a dump's names start with (to recognise a prompt prefix such as `code.`).
    static let roots: Set<String> = ["input_ids", "hidden", "q", "attn", "kv", "logits"]

    /// `attn.3` → `layer 3 attention`.
    static func describe(_ name: String) -> String {
        let parts = name.split(separator: ".").map(String.init)
        switch parts.first {
        case "input_ids": return "token ids"
        case "hidden":
            if parts.count >= 3 { return "layer \(parts[2]) output" }
            return parts.last == "embed" ? "embeddings" : "final norm"
        case "q": return "layer \(parts[1]) queries"
        case "attn": return "layer \(parts[1]) attention"
        case "kv": return "layer \(parts[1]) \(parts.last == "k" ? "keys" : "values")"
        case "logits": return "logits"
        default: return name
        }
    }
}

extension LoadedModel {
    /// The session's value of dump tensor `name` over positions `0..<count`, from the recorder
    /// (hidden, attention, queries), the KV cache, or the LM head on the recorded final norm (logits).
    func dumpArray(_ name: String, count n: Int) throws(ScopeError) -> NamedArray {
        let c = config
        let parts = name.split(separator: ".").map(String.init)
        func layerIndex(_ s: String) throws(ScopeError) -> Int {
            guard let l = Int(s), l >= 0, l < c.layerCount else { throw .failed("'\(name)': no such layer") }
            return l
        }
        func rows(stage: Int, what: String) throws(ScopeError) -> [Float] {
            var out: [Float] = []
            out.reserveCapacity(n * c.hiddenSize)
            for p in 0..<n {
                guard let r = recorder.hiddenRow(stage: stage, position: p) else { throw notRecorded("hidden state (\(what)) at position \(p)") }
                out += r
            }
            return out
        }
        switch (parts.first, parts.count) {
        case ("input_ids", 1):
            return NamedArray(name: name, shape: [n], values: .int(Array(tokens.prefix(n))))
        case ("hidden", 2) where parts[1] == "embed":
            return NamedArray(name: name, shape: [n, c.hiddenSize], values: .float(try rows(stage: 0, what: "embeddings")))
        case ("hidden", 2) where parts[1] == "final_norm":
            return NamedArray(name: name, shape: [n, c.hiddenSize], values: .float(try rows(stage: recorder.finalStage, what: "final norm")))
        case ("hidden", 3) where parts[1] == "layer":
            let l = try layerIndex(parts[2])
            return NamedArray(name: name, shape: [n, c.hiddenSize], values: .float(try rows(stage: l + 1, what: "layer \(l)")))
        case ("attn", 2):
            let l = try layerIndex(parts[1])
            let h = c.headCount
            var out = [Float](repeating: 0, count: h * n * n)
            for q in 0..<n {
                guard let row = recorder.attentionRow(layer: l, position: q) else { throw notRecorded("attention of layer \(l) at position \(q)") }
                let keys = row.count / h
                for head in 0..<h {
                    for k in 0..<min(keys, n) { out[(head * n + q) * n + k] = row[head * keys + k] }
                }
            }
            return NamedArray(name: name, shape: [h, n, n], values: .float(out))
        case ("q", 2):
            let l = try layerIndex(parts[1])
            let (h, d) = (c.headCount, c.headDim)
            var out = [Float](repeating: 0, count: h * n * d)
            for p in 0..<n {
                guard let row = recorder.queryRow(layer: l, position: p) else { throw notRecorded("queries of layer \(l) at position \(p) ('set record=all')") }
                for head in 0..<h {
                    for i in 0..<d { out[(head * n + p) * d + i] = row[head * d + i] }
                }
            }
            return NamedArray(name: name, shape: [h, n, d], values: .float(out))
        case ("kv", 3) where parts[2] == "k" || parts[2] == "v":
            let l = try layerIndex(parts[1])
            let cache = generator.cache
            let full = parts[2] == "k" ? cache.keys(layer: l) : cache.values(layer: l)
            let (h, total, d) = (c.kvHeadCount, cache.count, c.headDim)
            guard n <= total else { throw .failed("the KV cache holds \(total) positions, not \(n)") }
            var out = [Float](repeating: 0, count: h * n * d)
            for head in 0..<h {
                for p in 0..<n {
                    for i in 0..<d { out[(head * n + p) * d + i] = full.data[(head * total + p) * d + i] }
                }
            }
            return NamedArray(name: name, shape: [h, n, d], values: .float(out))
        case ("logits", 1):
            var out: [Float] = []
            out.reserveCapacity(n * c.vocabSize)
            for p in 0..<n {
                guard let r = recorder.hiddenRow(stage: recorder.finalStage, position: p) else {
                    throw notRecorded("hidden state (final norm) at position \(p)")
                }
                out += model.logits(forNormedHidden: r)
            }
            return NamedArray(name: name, shape: [n, c.vocabSize], values: .float(out))
        default:
            throw .failed("unknown tensor name '\(name)' (names: input_ids, hidden.embed, hidden.layer.N, hidden.final_norm, q.N, attn.N, kv.N.k, kv.N.v, logits)")
        }
    }
}
