import ArgumentParser
import Foundation
import SmolScope

/// `smol` with no subcommand: the interactive REPL (readline on a terminal), `smol -e 'cmd; cmd'`
/// for inline commands, or a script on a non-terminal stdin. All three start with the bundled
/// tiny model loaded unless told otherwise.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Open the SmolScope REPL (the default when smol gets no subcommand).",
        discussion: """
        On a terminal: an interactive session with line editing, history (~/.smolscope_history) and tab completion. \
        With -e: run the commands and exit. With a piped stdin: run it as a script (like 'smol run -'). \
        Type 'help' inside for the command list.
        """)

    @Option(name: [.customShort("e"), .customLong("execute")], help: "Commands to run (separated by ;), then exit. May repeat.")
    var execute: [String] = []
    @Option(help: "Load this model (a path, tiny or smollm2) at start instead of the bundled tiny one.") var model: String?
    @Flag(name: .customLong("no-model"), help: "Start with no model loaded.") var noModel = false
    @Flag(name: .customLong("keep-going"), help: "With -e or a piped script: continue after errors.") var keepGoing = false
    @Flag(name: .customLong("echo"), help: "With -e: echo each statement before its output.") var echo = false

    func run() throws {
        let session = Session()
        let sink = TerminalSink()
        let interactive = execute.isEmpty && isatty(0) != 0
        if !noModel {
            do {
                try Repl.preload(model ?? "tiny", session: session, sink: sink, quiet: true)
            } catch {
                sink.error("error: \(error)")
                if !interactive { throw ExitCode(1) }
            }
        }
        if !execute.isEmpty {
            let runner = ScriptRunner(fileName: "-e", echo: echo, keepGoing: keepGoing)
            var failed = false
            for text in execute {
                let r = Repl.withInterruptHandler(session) { runner.run(text, in: session, sink: sink) { sink.error($0.description) } }
                failed = failed || r.exitCode != 0
                if failed && !keepGoing { break }
            }
            sink.finishLine()
            if failed { throw ExitCode(1) }
            return
        }
        if !interactive {
            let source = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            let runner = ScriptRunner(fileName: "<stdin>", echo: true, keepGoing: keepGoing)
            let r = Repl.withInterruptHandler(session) { runner.run(source, in: session, sink: sink) { sink.error($0.description) } }
            sink.finishLine()
            if r.exitCode != 0 { throw ExitCode(r.exitCode) }
            return
        }
        Repl.interactive(session, sink: sink)
    }
}

/// The pieces the REPL, `-e` and `run` share.
enum Repl {
    /// The one-line banner: what is loaded and where to start.
    static func banner(_ session: Session) -> String {
        let loaded = session.current.map { m in
            m.origin == "tiny" ? "the bundled tiny SmolLM3 (random weights) is loaded" : "'\(m.name)' is loaded"
        } ?? "no model is loaded"
        return "SmolScope: look inside SmolLM3 while it runs; \(loaded). Type 'help', or 'load smollm2' for a real model."
    }

    static func preload(_ spec: String, session: Session, sink: TerminalSink, quiet: Bool = false) throws {
        let statement = Statement(name: "load", arguments: [.positional(spec)])
        try session.run(statement, sink: quiet ? CollectingSink() : sink)
    }

    /// The interactive loop: one line (or more, while a """ string or a trailing \ is open) at a
    /// time; an error is shown and the session goes on.
    static func interactive(_ session: Session, sink: TerminalSink) {
        print(banner(session))
        guard let editor = LineEditor(completer: { session.complete($0) }) else { return }
        let runner = ScriptRunner(fileName: nil, echo: false, keepGoing: false)
        var pending = ""
        while let line = editor.readLine(prompt: pending.isEmpty ? PlainTextRenderer.prompt : "  ... ") {
            pending += (pending.isEmpty ? "" : "\n") + line
            if Lexer.completeness(pending) == .incomplete { continue }
            let source = pending
            pending = ""
            editor.addHistory(source)
            let trimmed = source.trimmingCharacters(in: .whitespaces)
            if trimmed == "exit" || trimmed == "quit" { break }
            withInterruptHandler(session) {
                runner.run(source, in: session, sink: sink) { sink.error($0.description) }
            }
            sink.finishLine()
        }
        print("")
    }

    /// Runs `body` with Ctrl-C raising the session's interrupt flag (a second Ctrl-C exits).
    @discardableResult
    static func withInterruptHandler<T>(_ session: Session, _ body: () -> T) -> T {
        interruptTarget = session.interrupt.rawValue
        signal(SIGINT, raiseInterrupt)
        defer {
            signal(SIGINT, SIG_DFL)
            interruptTarget = nil
        }
        return body()
    }

    nonisolated(unsafe) static var interruptTarget: UnsafeMutablePointer<sig_atomic_t>?
}

private func raiseInterrupt(_ signal: Int32) {
    guard let target = Repl.interruptTarget else { return }
    if target.pointee != 0 { _exit(130) }
    target.pointee = 1
}
