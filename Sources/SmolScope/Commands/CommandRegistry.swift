/// Every command by name and alias, with "did you mean" for typos.
public struct CommandRegistry: Sendable {
    public let commands: [Command]
    private let index: [String: Int]

    public init(_ commands: [Command]) {
        self.commands = commands
        var index: [String: Int] = [:]
        for (i, c) in commands.enumerated() {
            for n in [c.name] + c.aliases {
                precondition(index[n] == nil, "command name '\(n)' defined twice")
                index[n] = i
            }
        }
        self.index = index
    }

    /// The built-in command set.
    public static let standard = CommandRegistry(
        Commands.modelCommands + Commands.architectureCommands + Commands.tensorCommands + Commands.tokenCommands
        + Commands.sequenceCommands + Commands.stepCommands + Commands.attentionCommands + Commands.kvCommands
        + Commands.hiddenCommands + Commands.saveCommands + Commands.compareCommands + Commands.diffCommands + Commands.settingsCommands
        + Commands.timingCommands + Commands.helpCommands)

    public func command(named name: String) -> Command? { index[name].map { commands[$0] } }

    /// Names and aliases, sorted.
    public var names: [String] { index.keys.sorted() }

    public func suggestion(for name: String) -> String? { Suggest.closest(to: name, in: names) }
}
