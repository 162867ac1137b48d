import SmolModel
import SmolTokenizer

extension Commands {
    static let stepCommands = [step, generate, force, rewind, reset]

    static let step = Command(
        "step", group: .generation, usage: "step [N]",
        summary: "Generate N tokens (default 1) one at a time, showing each token, its probability and the top alternatives.",
        details: """
        Probabilities are the model's softmax at temperature 1; the token itself is chosen with the sampling settings
        ('set temperature=… top_k=… top_p=… seed=…'; temperature 0 = greedy). 'set top=K' sets how many alternatives
        are shown. Stops at an end-of-sequence token (set stop=off to go on).
        """,
        examples: ["step", "step 10"], positionals: 0...1
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let n = try args.int(at: 0, "N") ?? 1
        guard n >= 1 else { throw args.usageError("N must be at least 1") }
        var table = stepTable(m)
        var ended = false
        do {
            ended = try s.advance(m, count: n) { table.append(stepRow($0, m)) }
        } catch {
            if !table.rows.isEmpty { ctx.table(table) }
            throw error
        }
        if ended { table.note = "(end of sequence)" }
        ctx.table(table)
    }

    static let generate = Command(
        "generate", aliases: ["gen"], group: .generation, usage: "generate [N]",
        summary: "Generate up to N tokens (default: set max_tokens), streaming the text as it comes.",
        details: "Uses the same generator as 'step', so everything it produces can be inspected afterwards.",
        examples: ["generate 32"], positionals: 0...1
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let n = try args.int(at: 0, "N") ?? s.settings.maxTokens
        guard n >= 1 else { throw args.usageError("N must be at least 1") }
        var decoder = m.tokenizer.map { StreamingDecoder(tokenizer: $0) }
        var count = 0
        let ended: Bool
        do {
            ended = try s.advance(m, count: n) { step in
                count += 1
                if decoder != nil {
                    ctx.emit(.stream(decoder!.push(step.token)))
                } else {
                    ctx.emit(.stream((count > 1 ? " " : "") + String(step.token)))
                }
            }
        } catch {
            if let rest = decoder?.finish() { ctx.emit(.stream(rest)) }
            if case .interrupted? = error as? ScopeError {
                throw ScopeError.failed("interrupted after \(count) token\(count == 1 ? "" : "s")")
            }
            throw error
        }
        if let rest = decoder?.finish() { ctx.emit(.stream(rest)) }
        ctx.text(ended ? "(end of sequence after \(count) token\(count == 1 ? "" : "s"))" : "(\(count) tokens)")
    }

    static let force = Command(
        "force", group: .generation, usage: "force TOKEN",
        summary: "Choose the next token by hand (an id, or text that is exactly one token) and run it.",
        details: "Shows what the model would have chosen. The text is matched as a token spelling too (e.g. Ġthe).",
        examples: ["force 262", "force \" the\""], positionals: 1...1
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let id = try m.tokenId(args[0]!)
        var table = stepTable(m)
        try s.advance(m, count: 1, forcing: id) { table.append(stepRow($0, m)) }
        ctx.table(table)
    }

    static let rewind = Command(
        "rewind", group: .generation, usage: "rewind [N] | rewind to=POSITION",
        summary: "Drop the last N tokens (default 1) from the sequence and the KV cache; to= keeps the first POSITION.",
        examples: ["rewind", "rewind 5", "rewind to=42"], positionals: 0...1, options: ["to": []]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireSequence()
        let keep: Int
        if let to = try args.intOption("to") {
            guard args.positionals.isEmpty else { throw args.usageError("give N or to=, not both") }
            keep = try Arguments.check(to, in: 0..<(m.tokens.count + 1), "position")
        } else {
            let n = try args.int(at: 0, "N") ?? 1
            keep = m.tokens.count - (try Arguments.check(n, in: 0..<(m.tokens.count + 1), "N"))
        }
        if keep == 0 {
            s.resetSequence(m)
            ctx.text("sequence cleared")
            return
        }
        try s.rewind(m, to: keep)
        ctx.text("\(keep) tokens kept; " + m.nextPrediction)
    }

    static let reset = Command(
        "reset", group: .generation, usage: "reset",
        summary: "Clear the sequence, the KV cache and the chat of the current model (the sampler is reseeded)."
    ) { _, ctx in
        let m = try ctx.session.requireModel()
        ctx.session.resetSequence(m)
        ctx.text("sequence cleared")
    }

    // MARK: - Step rows

    static func stepTable(_ m: LoadedModel) -> Table {
        Table(columns: [.init("pos", .right), .init("id", .right), .init("token"), .init("prob", .right),
                        .init("logit", .right), .init("top alternatives")])
    }

    static func stepRow(_ step: Step, _ m: LoadedModel) -> [Cell] {
        let alternatives = step.top.filter { $0.id != step.token }.prefix(max(0, m.generator.topCount - 1))
            .map { "\(m.piece($0.id)) \(Format.percent($0.probability))" }.joined(separator: "  ")
        var token = m.piece(step.token)
        if step.forced { token += " (forced)" }
        if m.isEnd(step.token) { token += " (end)" }
        return [.integer(step.position), .integer(step.token), .text(token), .number(Double(step.probability), .percent(1)),
                .fixed(step.logit, 3), .text(alternatives)]
    }
}

extension LoadedModel {
    /// A token given as an id, as text that encodes to one token, or as a vocabulary spelling.
    func tokenId(_ text: String) throws(ScopeError) -> Int {
        if let id = Int(text) {
            guard id >= 0, id < config.vocabSize else {
                throw .outOfRange(what: "token id", value: text, valid: "0...\(config.vocabSize - 1)")
            }
            return id
        }
        guard let tk = tokenizer else { throw .noTokenizer(model: name) }
        let ids = tk.encode(text, addSpecialTokens: false)
        if ids.count == 1 { return ids[0] }
        if let id = tk.id(of: text) { return id }
        throw .failed("\(Format.quoted(text)) is \(ids.count) tokens (\(ids.map { piece($0) }.joined(separator: " "))); give one token or an id")
    }
}
