import ArgumentParser
import Foundation
import SmolScope

/// `smol run FILE.smol`: replays a script and prints its transcript.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a SmolScope script and print the transcript.",
        discussion: """
        Each statement is echoed after the prompt 'smol> ' and followed by its output. Errors go to stderr as \
        FILE:LINE: error: MESSAGE; the run stops at the first one (exit code 1) unless --keep-going. \
        Scripts start with no model loaded: begin with 'load tiny' (or use --model). FILE '-' reads stdin. \
        Relative paths in the script are resolved against the current directory.
        """)

    @Argument(help: "The script (.smol), or - for stdin.") var file: String
    @Flag(name: .customLong("keep-going"), help: "Continue after errors (the exit code is still 1).") var keepGoing = false
    @Flag(name: .customLong("no-echo"), help: "Print outputs only, not the statements.") var noEcho = false
    @Option(help: "Load this model (a path, tiny or smollm2) before the script.") var model: String?

    func run() throws {
        let source: String
        if file == "-" {
            source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw ValidationError("cannot read \(file)")
            }
            source = String(decoding: data, as: UTF8.self)
        }
        let session = Session()
        let sink = TerminalSink()
        if let model { try Repl.preload(model, session: session, sink: sink) }
        let runner = ScriptRunner(fileName: file == "-" ? "<stdin>" : file, echo: !noEcho, keepGoing: keepGoing)
        let result = Repl.withInterruptHandler(session) {
            runner.run(source, in: session, sink: sink) { sink.error($0.description) }
        }
        sink.finishLine()
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
