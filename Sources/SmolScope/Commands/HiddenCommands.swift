import Foundation
import SmolModel

extension Commands {
    static let hiddenCommands = [hidden, logitlens]

    static let hidden = Command(
        "hidden", group: .inspection, usage: "hidden LAYER|embed|final [pos=P]",
        summary: "The residual stream after a layer (or the embeddings, or after the final norm): per-position norms and one row.",
        details: """
        LAYER n is the output of decoder layer n: transformers' hidden_states[n+1], except for the last layer, whose
        hidden_states entry transformers returns after the final norm ('hidden final' here).
        """,
        examples: ["hidden 3", "hidden embed pos=0", "hidden final"],
        positionals: 1...1, options: ["pos": []], arguments: [.words(["embed", "final"])]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let (stage, name) = try m.stage(args[0]!, args)
        let p = try s.position(args, of: m)
        let n = m.tokens.count
        let shown = n > 40 ? Array(0..<16) + Array((n - 16)..<n) : Array(0..<n)
        var t = Table(title: "\(name): [\(n), \(m.config.hiddenSize)]",
                      columns: [.init("pos", .right), .init("token"), .init("norm", .right), .init("mean", .right),
                                .init("std", .right), .init("max |x|", .right)])
        for (i, q) in shown.enumerated() {
            if i > 0, q != shown[i - 1] + 1 { t.append([.text("…"), .empty, .empty, .empty, .empty, .empty]) }
            guard let row = m.recorder.hiddenRow(stage: stage, position: q) else {
                t.append([.integer(q), .text(m.piece(m.tokens[q])), .text("not recorded"), .empty, .empty, .empty])
                continue
            }
            let st = TensorStats.of(row)
            t.append([.integer(q), .text(m.piece(m.tokens[q])), .fixed(st.norm, 4), .fixed(st.mean, 4), .fixed(st.std, 4),
                      .fixed(Double(max(abs(st.minimum), abs(st.maximum))), 4)])
        }
        if shown.count < n { t.note = "showing the first and last 16 of \(n) positions" }
        guard let row = m.recorder.hiddenRow(stage: stage, position: p) else { throw m.notRecorded("hidden state (\(name)) at position \(p)") }
        ctx.table(t)
        ctx.text("position \(m.label(position: p)) (summarized; 'save hidden' for all values):\n"
                 + NumpyFormatter.format([row.count], row, threshold: 64))
    }

    static let logitlens = Command(
        "logitlens", aliases: ["lens"], group: .inspection, usage: "logitlens [pos=P] [top=K] [--chart]",
        summary: "The logit lens: the final norm and LM head applied to the residual stream after every layer.",
        details: """
        For each layer, the token the model would predict if it stopped there, its probability, the runners-up, and the
        probability of the model's actual prediction ('final'). --chart draws that probability per layer.
        """,
        examples: ["logitlens", "logitlens pos=3 top=5", "logitlens --chart"],
        options: ["pos": [], "top": []], flags: ["chart"]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let p = try s.position(args, of: m)
        let k = try args.intOption("top") ?? 3
        guard k >= 1, k <= 20 else { throw args.usageError("top must be 1...20") }
        let lens = try m.logitLens(position: p)
        let final = lens.last!.top[0].id
        var t = Table(title: "logit lens at position \(m.label(position: p)); final prediction \(m.piece(final))",
                      columns: [.init("after"), .init("top token"), .init("prob", .right), .init("p(final)", .right), .init("runners-up")])
        for stage in lens {
            let best = stage.top[0]
            let rest = stage.top.dropFirst().prefix(k - 1).map { "\(m.piece($0.id)) \(Format.percent($0.probability))" }.joined(separator: "  ")
            t.append([.text(stage.name), .text(m.piece(best.id)), .number(Double(best.probability), .percent(1)),
                      .number(Double(stage.probability(of: final)), .percent(1)), .text(rest)])
        }
        ctx.table(t)
        if args.has("chart") {
            ctx.emit(.chart(BarChart(title: "probability of \(m.piece(final)) after each layer (logit lens)",
                                     labels: lens.map(\.name), values: lens.map { Double($0.probability(of: final)) }, format: .percent(1))))
        }
    }
}

/// One row of the logit lens.
struct LensStage {
    let name: String
    let logits: [Float]
    let top: [TokenCandidate]
    let logZ: Double

    func probability(of id: Int) -> Float { Float(exp(Double(logits[id]) - logZ)) }
}

extension LoadedModel {
    /// `embed`, `0`…`L-1`, `final` → recorder stage index and a description.
    func stage(_ text: String, _ args: Arguments) throws(ScopeError) -> (Int, String) {
        switch text {
        case "embed", "embeddings": return (0, "embeddings")
        case "final", "norm": return (recorder.finalStage, "after the final norm")
        default:
            let l = try Arguments.check(try args.int(text, "LAYER"), in: 0..<config.layerCount, "layer")
            return (l + 1, "residual stream after layer \(l)")
        }
    }

    /// Final norm + LM head on the recorded residual stream at `position` after each layer.
    func logitLens(position p: Int, top: Int = 20) throws(ScopeError) -> [LensStage] {
        var stages: [LensStage] = []
        for stage in 0...config.layerCount {
            guard let row = recorder.hiddenRow(stage: stage, position: p) else {
                throw notRecorded("hidden state (\(stage == 0 ? "embeddings" : "layer \(stage - 1)")) at position \(p)")
            }
            let logits = model.logits(forNormedHidden: model.finalNormed(row))
            let m = Double(logits.max() ?? 0)
            var sum = 0.0
            for l in logits { sum += exp(Double(l) - m) }
            stages.append(LensStage(name: stage == 0 ? "embed" : "layer \(stage - 1)", logits: logits,
                                    top: Generator.topCandidates(logits, count: top), logZ: m + log(sum)))
        }
        return stages
    }
}
