import Foundation
import SmolModel

extension Commands {
    static let kvCommands = [kv]

    static let kv = Command(
        "kv", group: .inspection, usage: "kv LAYER [KVHEAD] [pos=P]",
        summary: "The KV cache of a layer: shapes, memory, per-position key/value norms, and raw vectors with pos=.",
        details: """
        Keys are stored after RoPE on RoPE layers and raw on NoPE layers, as transformers caches them, in its layout
        [kv_head, position, head_dim]. KVHEAD selects one KV head (query heads share them in groups). pos=P prints the
        key and value vectors at that position numpy-style.
        """,
        examples: ["kv 0", "kv 3 1", "kv 3 0 pos=5"],
        positionals: 1...2, options: ["pos": []]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let layer = try s.layer(args, at: 0, of: m)
        let c = m.config
        let head = try s.head(args, at: 1, of: m, count: c.kvHeadCount, what: "kv head")
        let cache = m.generator.cache
        let keys = cache.keys(layer: layer), values = cache.values(layer: layer)
        let n = cache.count
        let encoding = m.model.layers[layer].attention.positionEncoding.usesRoPE ? "RoPE: keys rotated" : "NoPE: keys unrotated"
        let heads = head.map { [$0] } ?? Array(0..<c.kvHeadCount)
        if args.option("pos") != nil {
            let p = try s.position(args, of: m)
            for h in heads {
                let k = Array(keys.data[((h * n + p) * c.headDim)..<((h * n + p + 1) * c.headDim)])
                let v = Array(values.data[((h * n + p) * c.headDim)..<((h * n + p + 1) * c.headDim)])
                ctx.text("layer \(layer) kv head \(h), position \(m.label(position: p)) (\(encoding))")
                ctx.text("k =\n" + NumpyFormatter.format([c.headDim], k))
                ctx.text("v =\n" + NumpyFormatter.format([c.headDim], v))
            }
            return
        }
        let layerBytes = cache.bytesUsed / max(c.layerCount, 1)
        ctx.text("layer \(layer) (\(encoding)): keys \(shapeText(keys.shape)), values \(shapeText(values.shape)) f32 "
                 + "[kv_head, position, head_dim]; \(Format.bytes(layerBytes)) in this layer, \(Format.bytes(cache.bytesUsed)) in all "
                 + "\(c.layerCount) (\(Format.bytes(cache.bytesUsed / max(n, 1))) per token); \(n) of \(cache.capacity) positions used")
        var t = Table(columns: [.init("pos", .right), .init("token")]
                      + heads.map { .init("|k| h\($0)", .right) } + heads.map { .init("|v| h\($0)", .right) })
        func norm(_ x: Tensor, _ h: Int, _ p: Int) -> Double {
            var s = 0.0
            for d in 0..<c.headDim { let v = Double(x.data[(h * n + p) * c.headDim + d]); s += v * v }
            return s.squareRoot()
        }
        let shown = n > 40 ? Array(0..<16) + Array((n - 16)..<n) : Array(0..<n)
        for (i, p) in shown.enumerated() {
            if i > 0, p != shown[i - 1] + 1 { t.append([.text("…")] + Array(repeating: .empty, count: 1 + 2 * heads.count)) }
            t.append([.integer(p), .text(m.piece(m.tokens[p]))] + heads.map { .fixed(norm(keys, $0, p), 4) }
                     + heads.map { .fixed(norm(values, $0, p), 4) })
        }
        if shown.count < n { t.note = "showing the first and last 16 of \(n) positions" }
        ctx.table(t)
    }
}
