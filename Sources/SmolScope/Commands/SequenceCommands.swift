import Foundation
import SmolModel
import SmolTokenizer

extension Commands {
    static let sequenceCommands = [prompt, chat, sequence]

    static let prompt = Command(
        "prompt", group: .generation, usage: "prompt TEXT | ids=ID,ID,… [--append]",
        summary: "Start a new sequence with TEXT (or token ids) and run it through the model in one pass.",
        details: """
        The text is tokenized as is (no template, nothing added). --append adds to the current sequence instead.
        Attention, hidden states and the KV cache of these positions can then be inspected.
        """,
        examples: ["prompt \"def fibonacci(n):\"", "prompt ids=456,283,437", "prompt \" and more\" --append"],
        positionals: 0...Int.max, options: ["ids": []], flags: ["append"]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireModel()
        let ids: [Int]
        if let list = args.option("ids") {
            guard args.positionals.isEmpty else { throw args.usageError("give TEXT or ids=, not both") }
            ids = try parseIds([list], args)
        } else {
            guard let text = args.rest(from: 0) else { throw args.usageError("missing TEXT") }
            ids = try m.requireTokenizer().encode(text, addSpecialTokens: false)
            guard !ids.isEmpty else { throw args.usageError("the text has no tokens") }
        }
        let before = args.has("append") ? m.tokens.count : 0
        if args.has("append") {
            try s.append(ids, on: m)
        } else {
            try s.start(ids, on: m)
        }
        let where_ = ids.count == 1 ? "position \(before)" : "positions \(before)...\(m.tokens.count - 1)"
        ctx.text("\(ids.count) token\(ids.count == 1 ? "" : "s") at \(where_); " + m.nextPrediction)
    }

    static let chat = Command(
        "chat", group: .generation, usage: "chat TEXT [think=on|off] [system=TEXT] [--new] [--show]",
        summary: "Add a user turn with the model's chat template and run it; then 'generate' or 'step' the answer.",
        details: """
        The first chat starts a conversation (a new sequence). A later chat adds the model's reply so far and the new
        user turn, re-renders the template, and feeds only the tokens that changed. think=off asks for no reasoning
        (SmolLM3's enable_thinking=false); system= sets the system message (it may carry /think or /no_think).
        --new starts over; --show prints the rendered prompt. 'set date=YYYY-MM-DD' pins the template's date.
        """,
        examples: ["chat \"What is the capital of France?\" think=off", "chat Why? --show", "chat hello system=\"Be brief. /no_think\" --new"],
        positionals: 1...Int.max, options: ["think": ["on", "off"], "system": []], flags: ["new", "show"]
    ) { args, ctx in
        let s = ctx.session
        let m = try s.requireModel()
        let tk = try m.requireTokenizer()
        guard let source = tk.chatTemplate else {
            throw ScopeError.failed("model '\(m.name)' has no chat template; use 'prompt' with the text you want")
        }
        let template = try ChatTemplate(source)
        var conversation = args.has("new") ? nil : m.conversation
        if var c = conversation, m.tokens.count >= c.promptLength {
            var replyIds = Array(m.tokens[c.promptLength...])
            while let last = replyIds.last, m.isEnd(last) { replyIds.removeLast() }
            c.messages.append(("assistant", tk.decode(replyIds)))
            conversation = c
        } else {
            conversation = nil
        }
        var c = conversation ?? Conversation(system: nil, thinking: true, messages: [], promptLength: 0)
        if let t = try args.onOffOption("think") { c.thinking = t }
        if let sys = args.option("system") { c.system = sys }
        c.messages.append(("user", args.rest(from: 0)!))
        let messages = (c.system.map { [ChatMessage(role: "system", content: $0)] } ?? [])
            + c.messages.map { ChatMessage(role: $0.role, content: $0.content) }
        let rendered = try template.render(messages: messages, addGenerationPrompt: true,
                                           variables: ["enable_thinking": .bool(c.thinking)], now: s.settings.date ?? Date())
        let ids = tk.encode(rendered, addSpecialTokens: false)
        // Keep what is already in the cache and feed the rest.
        let old = conversation == nil ? [] : m.tokens
        var common = 0
        while common < min(old.count, ids.count) - 1, old[common] == ids[common] { common += 1 }
        if common == 0 {
            try s.start(ids, on: m)
        } else {
            try s.rewind(m, to: common)
            try s.append(Array(ids[common...]), on: m)
        }
        c.promptLength = ids.count
        m.conversation = c
        if args.has("show") { ctx.text(Format.quoted(rendered)) }
        let turn = c.messages.filter { $0.role == "user" }.count
        // SmolLM3's template lets /think or /no_think in the system message override enable_thinking.
        var thinking = c.thinking
        if let sys = c.system, sys.contains("/no_think") { thinking = false } else if let sys = c.system, sys.contains("/think") { thinking = true }
        ctx.text("chat turn \(turn): \(ids.count) tokens (\(ids.count - common) new), thinking \(thinking ? "on" : "off"); " + m.nextPrediction)
    }

    static let sequence = Command(
        "sequence", aliases: ["seq"], group: .generation, usage: "sequence [--text]",
        summary: "Show the current sequence: position, id and piece of every token (--text: the decoded text).",
        flags: ["text"]
    ) { args, ctx in
        let m = try ctx.session.requireSequence()
        if args.has("text") {
            ctx.text(m.tokenizer.map { Format.quoted($0.decode(m.tokens)) } ?? m.tokens.map(String.init).joined(separator: " "))
            return
        }
        var t = Table(columns: [.init("pos", .right), .init("id", .right), .init("token")])
        for (i, id) in m.tokens.enumerated() { t.append([.integer(i), .integer(id), .text(m.piece(id))]) }
        t.note = "\(m.tokens.count) tokens; " + m.nextPrediction
        ctx.table(t)
    }
}

extension LoadedModel {
    /// `next: ' a' (23.1%)` — the most likely next token.
    var nextPrediction: String {
        guard let logits = generator.nextLogits, let best = Generator.topCandidates(logits, count: 1).first else { return "nothing to predict" }
        return "most likely next: \(piece(best.id)) (\(Format.percent(best.probability)))"
    }
}
