extension Commands {
    static let helpCommands = [help]

    /// The language in brief (`help syntax`; docs/repl.md has the long form).
    public static let syntaxHelp = """
    Syntax:
      command arg1 arg2 key=value --flag     one statement; words are separated by spaces
      a; b                                   several statements on one line
      # comment                              from a '#' that starts a word to the end of the line
      "text with spaces\\n"                   double quotes: escapes \\n \\t \\r \\\\ \\" \\' \\u{1F600}
      'raw text'                             single quotes: no escapes
      \"\"\"multi-line text\"\"\"                    triple quotes: raw, may span lines
      key="quoted value"                     an option; a quoted "a=b" is plain text
      end a line with \\                      to continue the statement on the next line
    Free text (tokenize, prompt, chat) is the rest of the line; quote it to keep spacing, '#', ';' or '='.
    Positions count from 0; pos=-1 is the last. Layers and heads count from 0.
    """

    static let help = Command(
        "help", aliases: ["?"], group: .session, usage: "help [COMMAND|syntax]",
        summary: "List the commands, or explain one (or the syntax).",
        examples: ["help", "help attn", "help syntax"],
        positionals: 0...1, arguments: [.command]
    ) { args, ctx in
        let registry = ctx.session.registry
        guard let topic = args[0] else {
            var lines = ["SmolScope commands (help COMMAND for details, help syntax for the language):"]
            for group in Command.Group.allCases {
                let commands = registry.commands.filter { $0.group == group }
                guard !commands.isEmpty else { continue }
                lines.append("")
                lines.append(group.rawValue + ":")
                let width = commands.map(\.name.count).max() ?? 0
                for c in commands {
                    lines.append("  " + c.name + String(repeating: " ", count: width - c.name.count) + "  " + c.summary)
                }
            }
            ctx.text(lines.joined(separator: "\n"))
            return
        }
        if topic == "syntax" || topic == "grammar" {
            ctx.text(syntaxHelp)
            return
        }
        guard let command = registry.command(named: topic) else {
            throw ScopeError.unknownCommand(topic, suggestion: registry.suggestion(for: topic))
        }
        ctx.text(command.help)
    }
}
