import SmolModel

extension Commands {
    static let diffCommands = [diff]

    /// Two files of one model side by side (BF16 vs Q8_0 vs Q4_K_M): what quantization did to the
    /// weights, and what that did to the predictions. `compare` checks against a transformers dump;
    /// this compares two models loaded in the session.
    static let diff = Command(
        "diff", group: .files, usage: "diff weights MODEL [GLOB] | diff hidden|logits MODEL [top=K]",
        summary: "Compare the current model with another loaded one: weight errors, hidden states or logits on the same tokens.",
        details: """
        For two files of the same model (e.g. BF16 and Q4_K_M). Tensors are paired by their role in the model
        (a GGUF's blk.0.attn_q.weight is the safetensors' model.layers.0.self_attn.q_proj.weight), so names and
        storage types may differ. The current model is the reference.
          diff weights MODEL [GLOB]   per tensor: both types, max |error|, RMS error, and the RMS error relative to
                                      the RMS of the reference values. GLOB filters the current model's tensor names.
          diff hidden MODEL           runs the current sequence on MODEL too (replacing MODEL's sequence) and compares
                                      the residual stream after the embeddings, each layer and the final norm: how
                                      the difference grows through the network
          diff logits MODEL [top=K]   the same run, comparing the logits at every position: max and mean |difference|,
                                      whether the most likely token is the same, and how many of the K most likely
                                      (default 5) both share
        """,
        examples: ["diff weights q4 *.layers.0.*", "diff hidden q4", "diff logits q8", "diff logits q4 top=10"],
        positionals: 2...3, options: ["top": []], arguments: [.words(["weights", "hidden", "logits"]), .modelName, .tensorName]
    ) { args, ctx in
        let s = ctx.session
        let reference = try s.requireModel()
        guard let other = s.model(named: args[1]!) else {
            throw ScopeError.failed("no model named '\(args[1]!)'; loaded: " + s.models.map(\.name).joined(separator: ", "))
        }
        guard other !== reference else { throw args.usageError("'\(other.name)' is the current model; 'use' the reference first") }
        if args[0] != "logits", args.option("top") != nil { throw args.usageError("top= applies to diff logits") }
        switch args[0]! {
        case "weights":
            ctx.table(try weightDiff(reference, other, glob: args[2]))
        case "hidden", "logits":
            guard args[2] == nil else { throw args.usageError("diff \(args[0]!) takes no GLOB") }
            try rerun(reference, on: other, session: s)
            if args[0] == "hidden" {
                ctx.table(try hiddenDiff(reference, other))
            } else {
                let k = try args.intOption("top") ?? 5
                guard k >= 1 else { throw args.usageError("top must be at least 1") }
                ctx.table(try logitDiff(reference, other, top: k))
            }
        default:
            throw args.usageError("what to compare: weights, hidden or logits")
        }
    }

    /// Per-tensor quantization error of `other` against `reference`.
    static func weightDiff(_ reference: LoadedModel, _ other: LoadedModel, glob: String?) throws(ScopeError) -> Table {
        let ours = reference.model.weights, theirs = other.model.weights
        guard ours.count == theirs.count else {
            throw .failed("'\(other.name)' stores \(theirs.count) tensors and '\(reference.name)' \(ours.count): not two files of one model")
        }
        var t = Table(columns: [.init("tensor"), .init(reference.name), .init(other.name), .init("max |err|", .right),
                                .init("rms err", .right), .init("relative", .right)])
        var total = ErrorStats()
        for (a, b) in zip(ours, theirs) where glob == nil || Glob.matches(glob!, a.name) {
            guard a.shape == b.shape else {
                throw .failed("\(a.name) \(shapeText(a.shape)) pairs with \(b.name) \(shapeText(b.shape)): not two files of one model")
            }
            var stats = ErrorStats()
            if let ma = a.matrix, let mb = b.matrix {
                for r in 0..<ma.rows { stats.add(ma.row(r), mb.row(r)) }
            } else {
                stats.add(a.values(), b.values())
            }
            total.merge(stats)
            t.append([.text(a.name), .text("\(a.type)"), .text("\(b.type)"), .number(Double(stats.maxError), .scientific(2)),
                      .number(stats.rmsError, .scientific(2)), .text(Format.percent(stats.relativeError, 2))])
        }
        guard total.count > 0 else { throw .failed("no tensor of '\(reference.name)' matches '\(glob ?? "")'") }
        t.note = "\(t.rows.count) tensor\(t.rows.count == 1 ? "" : "s"), \(Format.grouped(total.count)) weights: "
            + "max |err| \(Format.scientific(Double(total.maxError), 2)), rms err \(Format.scientific(total.rmsError, 2)) "
            + "(\(Format.percent(total.relativeError, 2)) of the rms weight)"
        return t
    }

    /// Runs the reference's sequence on `other`, recording its residual stream (which logits are computed from).
    static func rerun(_ reference: LoadedModel, on other: LoadedModel, session s: Session) throws(ScopeError) {
        guard !reference.tokens.isEmpty else { throw .emptySequence }
        guard reference.config.vocabSize == other.config.vocabSize, reference.config.hiddenSize == other.config.hiddenSize,
              reference.config.layerCount == other.config.layerCount else {
            throw .failed("'\(other.name)' has another shape than '\(reference.name)': not two files of one model")
        }
        let saved = other.recorder.wants
        other.recorder.wants.insert(.hidden)
        defer { other.recorder.wants = saved }
        try s.start(reference.tokens, on: other)
    }

    /// The residual stream of both models after every stage, over the whole sequence.
    static func hiddenDiff(_ reference: LoadedModel, _ other: LoadedModel) throws(ScopeError) -> Table {
        let n = reference.tokens.count
        var t = Table(columns: [.init("after"), .init("max |diff|", .right), .init("rms diff", .right),
                                .init("rms (\(reference.name))", .right), .init("relative", .right)])
        let stages = ["hidden.embed"] + (0..<reference.config.layerCount).map { "hidden.layer.\($0)" } + ["hidden.final_norm"]
        for name in stages {
            guard case .float(let ours) = try reference.dumpArray(name, count: n).values,
                  case .float(let theirs) = try other.dumpArray(name, count: n).values else { throw .failed("no values for \(name)") }
            var stats = ErrorStats()
            stats.add(ours, theirs)
            let rms = (stats.squaredReference / Double(max(stats.count, 1))).squareRoot()
            let label = name == "hidden.embed" ? "embed" : name == "hidden.final_norm" ? "final norm" : "layer " + name.dropFirst("hidden.layer.".count)
            t.append([.text(label), .fixed(Double(stats.maxError), 4), .fixed(stats.rmsError, 4), .fixed(rms, 4),
                      .text(Format.percent(stats.relativeError, 2))])
        }
        return t
    }

    /// Logits of both models at every position of the reference's sequence.
    static func logitDiff(_ reference: LoadedModel, _ other: LoadedModel, top k: Int) throws(ScopeError) -> Table {
        let n = reference.tokens.count, vocab = reference.config.vocabSize
        guard case .float(let ours) = try reference.dumpArray("logits", count: n).values,
              case .float(let theirs) = try other.dumpArray("logits", count: n).values else { throw .failed("no logits") }

        var t = Table(columns: [.init("pos", .right), .init("token"), .init("top (\(reference.name))"), .init("top (\(other.name))"),
                                .init("same"), .init("top-\(k) shared", .right), .init("max |diff|", .right), .init("mean |diff|", .right)])
        var agree = 0, shared = 0, maxDiff: Float = 0, sum = 0.0
        for p in 0..<n {
            let a = ours[(p * vocab)..<((p + 1) * vocab)], b = theirs[(p * vocab)..<((p + 1) * vocab)]
            let topA = topIndices(a, k), topB = topIndices(b, k)
            var rowMax: Float = 0, rowSum = 0.0
            for (x, y) in zip(a, b) {
                rowMax = max(rowMax, abs(x - y))
                rowSum += Double(abs(x - y))
            }
            let same = topA[0] == topB[0], common = Set(topA).intersection(topB).count
            agree += same ? 1 : 0
            shared += common
            maxDiff = max(maxDiff, rowMax)
            sum += rowSum
            t.append([.integer(p), .text(reference.piece(reference.tokens[p])), .text(reference.piece(topA[0])),
                      .text(reference.piece(topB[0])), .text(same ? "yes" : "NO"), .text("\(common)/\(k)"),
                      .fixed(Double(rowMax), 3), .fixed(rowSum / Double(vocab), 4)])
        }
        t.note = "most likely token the same at \(agree) of \(n) positions; top-\(k) shared \(shared) of \(n * k) "
            + "(\(Format.percent(Double(shared) / Double(n * k)))); |diff| max \(Format.fixed(Double(maxDiff), 3)), "
            + "mean \(Format.fixed(sum / Double(n * vocab), 4))"
        return t
    }

    /// Indices of the `k` largest values, largest first (ties: lower index first).
    static func topIndices(_ values: ArraySlice<Float>, _ k: Int) -> [Int] {
        let base = values.startIndex
        return values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
            .prefix(k).map { $0 - base }
    }
}
