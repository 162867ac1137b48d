import SmolCore
import SmolFormats
import SmolModel

extension Commands {
    static let architectureCommands = [layers, rope]

    static let layers = Command(
        "layers", group: .models, usage: "layers",
        summary: "Table of every layer: RoPE or NoPE, rope theta/scaling, heads, KV heads, head dim, weight types.",
        details: "SmolLM3 leaves every 4th layer without positional encoding (NoPE); 'rope LAYER on|off' flips one."
    ) { _, ctx in
        let m = try ctx.session.requireModel()
        let c = m.config
        var t = Table(columns: [.init("layer", .right), .init("position"), .init("theta", .right), .init("scaling"),
                                .init("heads", .right), .init("kv heads", .right), .init("head dim", .right), .init("weights")])
        for layer in m.model.layers {
            let a = layer.attention
            var position = a.positionEncoding.usesRoPE ? "RoPE" : "NoPE"
            if a.positionEncoding.usesRoPE != c.layerUsesRoPE[layer.index] { position += " (flipped)" }
            var theta = "-", scaling = "-"
            if case .rope(let r) = a.positionEncoding {
                theta = Format.short(r.theta)
                scaling = r.scaling.map { "\($0)" } ?? "none"
            }
            t.append([.integer(layer.index), .text(position), .text(theta), .text(scaling), .integer(a.headCount),
                      .integer(a.kvHeadCount), .integer(a.headDim), .text(weightTypes(layer))])
        }
        t.note = "NoPE layers: " + (c.noPELayers.isEmpty ? "none" : c.noPELayers.map(String.init).joined(separator: ", "))
            + " (\(c.noPERule))"
        ctx.table(t)
    }

    /// `BF16`, or `q,k,gate,up Q4_K; v,down Q6_K; o Q4_K` when the layer mixes types.
    static func weightTypes(_ layer: DecoderLayer) -> String {
        let a = layer.attention, mlp = layer.mlp
        let parts: [(String, TensorType)] = [("q", a.q.type), ("k", a.k.type), ("v", a.v.type), ("o", a.o.type),
                                             ("gate", mlp.gate.type), ("up", mlp.up.type), ("down", mlp.down.type)]
        var order: [TensorType] = []
        var byType: [TensorType: [String]] = [:]
        for (n, t) in parts {
            if byType[t] == nil { order.append(t) }
            byType[t, default: []].append(n)
        }
        if order.count == 1 { return "\(order[0])" }
        return order.map { byType[$0]!.joined(separator: ",") + " \($0)" }.joined(separator: "; ")
    }

    static let rope = Command(
        "rope", group: .models, usage: "rope LAYER on|off",
        summary: "Turn RoPE on or off for one layer (an experiment) and re-run the current sequence.",
        details: """
        Changes the current model in memory only; 'layers' marks flipped layers and 'rope LAYER on|off' back
        to the file's setting undoes it. The sequence is re-run so the KV cache matches the new model.
        """,
        examples: ["rope 3 on    # give NoPE layer 3 positions", "rope 0 off"],
        positionals: 2...2, arguments: [.none, .words(["on", "off"])]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireModel()
        let l = try s.layer(args, at: 0, of: m)
        let on = try args.onOff(args[1]!, "the setting")
        var model = m.model
        let c = m.config
        model.layers[l].attention.positionEncoding = on ? .rope(RoPE(theta: c.ropeTheta, headDim: c.headDim, scaling: c.ropeScaling)) : .none
        m.update(model)
        let note = on == c.layerUsesRoPE[l] ? "as in the file" : "flipped; the file says \(c.layerUsesRoPE[l] ? "RoPE" : "NoPE")"
        ctx.text("layer \(l): \(on ? "RoPE" : "NoPE") (\(note))")
        let tokens = m.tokens
        if !tokens.isEmpty {
            let conversation = m.conversation
            try s.start(tokens, on: m)
            m.conversation = conversation
            ctx.text("re-ran the \(tokens.count) tokens of the sequence")
        }
    }
}

extension Session {
    /// Positional `i` as a layer index of `m`.
    func layer(_ args: Arguments, at i: Int, of m: LoadedModel) throws(ScopeError) -> Int {
        guard let text = args[i] else { throw args.usageError("missing LAYER") }
        return try Arguments.check(try args.int(text, "LAYER"), in: 0..<m.config.layerCount, "layer")
    }

    /// Positional `i` as a query-head index of `m` (nil when absent).
    func head(_ args: Arguments, at i: Int, of m: LoadedModel, count: Int? = nil, what: String = "head") throws(ScopeError) -> Int? {
        guard let text = args[i] else { return nil }
        return try Arguments.check(try args.int(text, what.uppercased()), in: 0..<(count ?? m.config.headCount), what)
    }

    /// `pos=` as a position of the sequence (default: the last).
    func position(_ args: Arguments, of m: LoadedModel) throws(ScopeError) -> Int {
        guard let p = try args.intOption("pos") else { return m.tokens.count - 1 }
        // Negative positions count from the end, as in numpy.
        let resolved = p < 0 ? m.tokens.count + p : p
        guard resolved >= 0, resolved < m.tokens.count else {
            throw ScopeError.outOfRange(what: "position", value: String(p), valid: "0...\(m.tokens.count - 1)")
        }
        return resolved
    }
}
