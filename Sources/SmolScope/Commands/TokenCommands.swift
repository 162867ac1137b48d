import SmolTokenizer

extension Commands {
    static let tokenCommands = [tokenize, detokenize]

    static let tokenize = Command(
        "tokenize", group: .tokens, usage: "tokenize TEXT [special=on|off]",
        summary: "Show the tokens of TEXT: position, id and piece.",
        details: """
        TEXT is the rest of the line; quote it to keep spaces, '#', ';' or '=' (escapes such as \\n work in "double quotes").
        special=off spells special tokens like <|im_start|> out as text instead of matching them.
        """,
        examples: ["tokenize \"def fibonacci(n):\"", "tokenize Hello world", "tokenize \"<|im_start|>user\" special=off"],
        positionals: 1...Int.max, options: ["special": ["on", "off"]]
    ) { args, ctx in
        let m = try ctx.session.requireModel()
        let tk = try m.requireTokenizer()
        let text = args.rest(from: 0)!
        let ids = tk.encode(text, parseSpecial: try args.onOffOption("special") ?? true)
        var t = Table(columns: [.init("pos", .right), .init("id", .right), .init("token")])
        for (i, id) in ids.enumerated() { t.append([.integer(i), .integer(id), .text(m.piece(id))]) }
        t.note = "\(ids.count) token\(ids.count == 1 ? "" : "s"): ids=" + ids.map(String.init).joined(separator: ",")
        ctx.table(t)
    }

    static let detokenize = Command(
        "detokenize", group: .tokens, usage: "detokenize IDS [skip_special=on|off]",
        summary: "Decode token ids (comma- or space-separated) to text.",
        examples: ["detokenize 456 283 437", "detokenize 456,283,437 skip_special=on"],
        positionals: 1...Int.max, options: ["skip_special": ["on", "off"]]
    ) { args, ctx in
        let m = try ctx.session.requireModel()
        let tk = try m.requireTokenizer()
        let ids = try parseIds(args.positionals, args)
        try ctx.session.checkIds(ids, on: m)
        ctx.text(Format.quoted(tk.decode(ids, skipSpecial: try args.onOffOption("skip_special") ?? false)))
    }

    /// Ids written as `1,2,3`, `1 2 3` or a mix.
    static func parseIds(_ parts: [String], _ args: Arguments) throws(ScopeError) -> [Int] {
        var ids: [Int] = []
        for part in parts {
            for piece in part.split(whereSeparator: { $0 == "," || $0 == " " }) {
                guard let id = Int(piece) else { throw args.usageError("'\(piece)' is not a token id") }
                ids.append(id)
            }
        }
        guard !ids.isEmpty else { throw args.usageError("no token ids given") }
        return ids
    }
}

extension LoadedModel {
    func requireTokenizer() throws(ScopeError) -> Tokenizer {
        guard let tokenizer else { throw .noTokenizer(model: name) }
        return tokenizer
    }
}
