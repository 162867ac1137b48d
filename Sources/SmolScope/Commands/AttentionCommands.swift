import SmolModel

extension Commands {
    static let attentionCommands = [attn]

    static let attn = Command(
        "attn", group: .inspection, usage: "attn LAYER [HEAD] [pos=P] [top=K] [--heatmap [scale=row|global]]",
        summary: "Attention probabilities of a layer: from the last position (or pos=P) over every key position.",
        details: """
        Without HEAD: a table with one column per head and their mean. With HEAD: a bar chart. Long sequences show the
        top=K keys with the most weight (default 20 when there are more than 40 keys; top=0 shows all).
        --heatmap draws the query × key matrix of every recorded position (HEAD, or the mean over heads), each row
        shaded relative to its own largest weight (scale=global: one scale, 0 to 1, for the whole matrix).
        Values are the softmax probabilities the forward pass used (recorded while it ran; see 'set record=').
        Query head h reads KV head h / (heads / kv heads).
        """,
        examples: ["attn 3", "attn 0 1 pos=5", "attn 7 --heatmap", "attn 7 2 --heatmap"],
        positionals: 1...2, options: ["pos": [], "top": [], "scale": ["row", "global"]], flags: ["heatmap"]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let layer = try s.layer(args, at: 0, of: m)
        let head = try s.head(args, at: 1, of: m)
        let heads = m.config.headCount
        let encoding = m.model.layers[layer].attention.positionEncoding.usesRoPE ? "RoPE" : "NoPE"
        if args.has("heatmap") {
            guard args.option("pos") == nil else { throw args.usageError("--heatmap shows every position; drop pos=") }
            let n = m.tokens.count
            var values = [Float](repeating: .nan, count: n * n)
            var recorded = 0
            for q in 0..<n {
                guard let row = m.recorder.attentionRow(layer: layer, position: q) else { continue }
                recorded += 1
                let keys = row.count / heads
                for k in 0..<keys {
                    values[q * n + k] = head.map { row[$0 * keys + k] } ?? (0..<heads).reduce(0) { $0 + row[$1 * keys + k] } / Float(heads)
                }
            }
            guard recorded > 0 else { throw m.notRecorded("attention of layer \(layer)") }
            let labels = (0..<n).map { m.label(position: $0, digits: m.positionDigits) }
            let what = head.map { "head \($0)" } ?? "mean of \(heads) heads"
            let global = try args.option("scale").map { v throws(ScopeError) -> Bool in
                guard v == "row" || v == "global" else { throw args.usageError("scale is row or global (got '\(v)')") }
                return v == "global"
            } ?? false
            ctx.emit(.heatmap(Heatmap(title: "attention, layer \(layer) (\(encoding)), \(what): query rows × key columns",
                                      rowLabels: labels, columnLabels: labels, values: values, range: 0...1,
                                      scale: global ? .global : .row)))
            return
        }
        let p = try s.position(args, of: m)
        guard let row = m.recorder.attentionRow(layer: layer, position: p) else {
            throw m.notRecorded("attention of layer \(layer) at position \(p)")
        }
        let keys = row.count / heads
        let mean = (0..<keys).map { k in (0..<heads).reduce(0) { $0 + row[$1 * keys + k] } / Float(heads) }
        let weight = head.map { h in (0..<keys).map { row[h * keys + $0] } } ?? mean
        let top = try args.intOption("top") ?? (keys > 40 ? 20 : 0)
        guard top >= 0 else { throw args.usageError("top must be at least 0") }
        var shown = Array(0..<keys)
        if top > 0, top < keys {
            shown = Array(shown.sorted { weight[$0] > weight[$1] || (weight[$0] == weight[$1] && $0 < $1) }.prefix(top)).sorted()
        }
        let note = shown.count < keys ? "showing the \(shown.count) of \(keys) keys with the most weight; top=0 shows all" : nil
        let from = "from position \(m.label(position: p))"
        if let h = head {
            let group = heads / m.config.kvHeadCount
            var chart = BarChart(title: "attention, layer \(layer) (\(encoding)), head \(h) (KV head \(h / group)), \(from)",
                                 labels: shown.map { m.label(position: $0, digits: m.positionDigits) }, values: shown.map { Double(weight[$0]) })
            if let note { chart.title += "; " + note }
            ctx.emit(.chart(chart))
        } else {
            var t = Table(title: "attention, layer \(layer) (\(encoding)), \(from)",
                          columns: [.init("key", .right), .init("token")] + (0..<heads).map { .init("h\($0)", .right) } + [.init("mean", .right)])
            for k in shown {
                t.append([.integer(k), .text(m.piece(m.tokens[k]))] + (0..<heads).map { .fixed(row[$0 * keys + k], 4) } + [.fixed(mean[k], 4)])
            }
            t.note = note
            ctx.table(t)
        }
    }
}

extension LoadedModel {
    /// The error for data the recorder does not hold, saying why.
    func notRecorded(_ what: String) -> ScopeError {
        if recorder.wants.isEmpty || (what.hasPrefix("attention") && !recorder.wants.contains(.attention))
            || (what.hasPrefix("hidden") && !recorder.wants.contains(.hidden)) {
            return .notRecorded("\(what) was not recorded (recording is '\(recordingDescription)'); 'set record=attn,hidden' and run the prompt again")
        }
        return .notRecorded("\(what) was not recorded (dropped to stay under record_limit, or computed before recording was on); run the prompt again")
    }

    var recordingDescription: String {
        Recording(attention: recorder.wants.contains(.attention), hidden: recorder.wants.contains(.hidden),
                  queries: recorder.wants.contains(.queries)).description
    }
}
