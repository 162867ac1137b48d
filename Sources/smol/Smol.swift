import ArgumentParser

/// `smol`: the SmolScope command line. With no subcommand it opens the REPL.
@main
struct Smol: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smol",
        abstract: "SmolScope: run SmolLM3 and look inside it while it runs.",
        subcommands: [
            ReplCommand.self, RunCommand.self, NotebookCommand.self, KernelCommand.self,
            LogitsCommand.self, GenerateCommand.self, TokenizeCommand.self, DetokenizeCommand.self, FetchCommand.self, BenchCommand.self, ExportSyntheticCommand.self,
        ],
        defaultSubcommand: ReplCommand.self)
}
