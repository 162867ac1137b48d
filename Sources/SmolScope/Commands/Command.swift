/// One command of the language: its name, documentation, the arguments it accepts and what it
/// does. Each command group lives in its own file as static members of ``Commands``.
public struct Command: Sendable {
    public enum Group: String, Sendable, CaseIterable {
        case models = "Models"
        case tensors = "Weights"
        case tokens = "Tokens"
        case generation = "Generation"
        case inspection = "Inspection"
        case files = "Saving and comparing"
        case session = "Session"
    }

    /// What a positional argument is, for tab completion.
    public enum ArgumentKind: Sendable, Equatable {
        case none
        case command
        case tensorName
        case path
        /// A catalog name (`tiny`, `smollm2`) or a path.
        case modelSource
        case modelName
        case words([String])
    }

    public let name: String
    public let aliases: [String]
    public let group: Group
    /// Synopsis, e.g. `attn LAYER [HEAD] [pos=P] [--heatmap]`.
    public let usage: String
    public let summary: String
    public let details: String
    public let examples: [String]
    /// How many positional arguments are accepted.
    public let positionals: ClosedRange<Int>
    /// Accepted `key=` options (with their possible values for completion, empty when free).
    public let options: [String: [String]]
    /// Accepted `--flags`.
    public let flags: [String]
    /// Completion kind of each positional (the last one repeats).
    public let argumentKinds: [ArgumentKind]
    let action: @Sendable (Arguments, CommandContext) throws -> Void

    init(_ name: String, aliases: [String] = [], group: Group, usage: String, summary: String, details: String = "",
         examples: [String] = [], positionals: ClosedRange<Int> = 0...0, options: [String: [String]] = [:],
         flags: [String] = [], arguments: [ArgumentKind] = [],
         action: @escaping @Sendable (Arguments, CommandContext) throws -> Void) {
        self.name = name
        self.aliases = aliases
        self.group = group
        self.usage = usage
        self.summary = summary
        self.details = details
        self.examples = examples
        self.positionals = positionals
        self.options = options
        self.flags = flags
        self.argumentKinds = arguments
        self.action = action
    }

    /// The full `help CMD` text.
    public var help: String {
        var out = ["usage: \(usage)", "", summary]
        if !details.isEmpty { out += ["", details] }
        if !aliases.isEmpty { out += ["", "aliases: " + aliases.joined(separator: ", ")] }
        if !examples.isEmpty { out += ["", "examples:"] + examples.map { "  " + $0 } }
        return out.joined(separator: "\n")
    }
}

/// Namespace for the built-in commands (one extension per command group).
public enum Commands {}

/// What a running command can reach: the session and where its output goes.
public struct CommandContext {
    public let session: Session
    public let sink: OutputSink

    public func emit(_ output: Output) { sink.emit(output) }
    public func text(_ s: String) { sink.emit(.text(s)) }
    public func table(_ t: Table) { sink.emit(.table(t)) }
}
