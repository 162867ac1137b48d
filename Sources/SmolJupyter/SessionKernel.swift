import Foundation
import SmolScope
import Synchronization

/// The SmolScope command language as a Jupyter kernel: adapts one `Session` (the same interpreter
/// and inference core as the terminal REPL) to `KernelInterpreter`.
///
/// A cell may hold several statements (lines, or `;`-separated); they run in order and the first
/// error ends the cell, naming its line when the cell has more than one.
public final class SessionKernel: KernelInterpreter, @unchecked Sendable {
    // Only the shell thread touches `session` (the kernel serialises execute/complete/inspect);
    // `interrupt()` touches only the two flags, both safe from any thread.
    private let session: Session
    /// Set by `interrupt()`, cleared when a cell starts: stops the cell between statements too, since
    /// the session clears its own flag as each statement starts.
    private let cellInterrupted = Atomic<Bool>(false)

    public init(session: Session) {
        self.session = session
    }

    public var info: KernelInfo {
        KernelInfo(implementation: "smolscope", implementationVersion: "0.1", languageName: "smol",
                   languageVersion: "1", mimeType: "text/x-smol", fileExtension: ".smol",
                   banner: "SmolScope: look inside SmolLM3 while it runs. Type 'help' for the commands.")
    }

    public func execute(_ code: String, output: CellSink) -> ExecutionOutcome {
        cellInterrupted.store(false, ordering: .sequentiallyConsistent)
        let sink = CellOutputAdapter(output)
        defer { sink.finishLine() }
        let items = Lexer.statements(code)
        let multiline = code.contains("\n")
        for item in items {
            if cellInterrupted.load(ordering: .sequentiallyConsistent) { return .failure(Self.error(.interrupted, line: nil)) }
            switch item {
            case .statement(let statement):
                do {
                    try session.run(statement, sink: sink)
                } catch {
                    // A command stopped by an interrupt may report it in its own words
                    // ("interrupted after 37 tokens"); the cell is still an interrupted one.
                    let interrupted = cellInterrupted.load(ordering: .sequentiallyConsistent)
                    return .failure(Self.error(error, line: multiline ? statement.location.line : nil,
                                               interrupted: interrupted))
                }
            case .error(let error, let location):
                return .failure(Self.error(error, line: multiline ? location.line : nil))
            }
        }
        return .success
    }

    public func interrupt() {
        cellInterrupted.store(true, ordering: .sequentiallyConsistent)
        session.interrupt.raise()
    }

    public func complete(_ code: String, cursor: String.Index) -> SmolJupyter.Completion {
        let completion = session.complete(String(code[..<cursor]))
        let scalars = code.unicodeScalars
        let start = scalars.index(cursor, offsetBy: -completion.replacing, limitedBy: scalars.startIndex) ?? cursor
        return SmolJupyter.Completion(matches: completion.candidates, range: start..<cursor)
    }

    public func inspect(_ code: String, cursor: String.Index, detailLevel: Int) -> DisplayBundle? {
        // The word under the cursor if it names a command or a help topic, else the statement's command.
        for word in Self.helpTopics(in: code, at: cursor) {
            if word == "syntax" { return DisplayBundle(plain: Commands.syntaxHelp) }
            if let command = session.registry.command(named: word) { return DisplayBundle(plain: command.help) }
        }
        return nil
    }

    /// The word around `cursor`, then the first word of the statement it is in.
    static func helpTopics(in code: String, at cursor: String.Index) -> [String] {
        let isBreak: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ";" }
        let wordStart = code[..<cursor].lastIndex(where: isBreak).map { code.index(after: $0) } ?? code.startIndex
        let wordEnd = code[cursor...].firstIndex(where: isBreak) ?? code.endIndex
        let statementStart = code[..<cursor].lastIndex(where: { $0 == "\n" || $0 == ";" }).map { code.index(after: $0) }
            ?? code.startIndex
        let command = code[statementStart...].split(whereSeparator: isBreak).first.map(String.init)
        return [String(code[wordStart..<wordEnd])] + (command.map { [$0] } ?? [])
    }

    public func isComplete(_ code: String) -> CodeCompleteness {
        switch Lexer.completeness(code) {
        case .complete: .complete
        case .incomplete: .incomplete(indent: "")
        case .invalid: .invalid
        }
    }

    /// A session error as Jupyter shows it. The name tells the kind of mistake at a glance; the
    /// value is the one-line message the terminal prints.
    static func error(_ error: ScopeError, line: Int?, interrupted: Bool = false) -> ExecutionError {
        let kind = switch error {
        case .syntax: "SyntaxError"
        case .unknownCommand: "UnknownCommand"
        case .usage: "UsageError"
        case .outOfRange: "OutOfRange"
        case .noModel: "NoModel"
        case .emptySequence: "EmptySequence"
        case .noTokenizer: "NoTokenizer"
        case .notRecorded: "NotRecorded"
        case .failed: "CommandFailed"
        case .interrupted: "Interrupted"
        }
        let name = interrupted ? "Interrupted" : kind
        let message = error.description
        // What the terminal prints, with the line as `smol run` names it (`demo.smol:3: error: …`).
        let shown = (line.map { "line \($0): " } ?? "") + "error: " + message
        return ExecutionError(name: name, value: message, traceback: [shown])
    }
}

/// Receives a running command's outputs and forwards them to the cell: text as stdout (with the
/// line breaks the terminal renderer would add, so the cell's text equals the transcript), values
/// as displays.
final class CellOutputAdapter: SmolScope.OutputSink {
    private let cell: CellSink
    /// True when streamed text (generation) has not ended its line.
    private var midLine = false

    init(_ cell: CellSink) { self.cell = cell }

    func emit(_ output: Output) {
        if case .stream(let fragment) = output {
            guard !fragment.isEmpty else { return }
            cell(.stream(.stdout, fragment))
            midLine = !fragment.hasSuffix("\n")
            return
        }
        guard let text = output.plainText, !isHidden(output) else { return }
        finishLine()
        if let bundle = DisplayRenderer.bundle(for: output) {
            cell(.display(bundle))
        } else {
            cell(.stream(.stdout, text.hasSuffix("\n") ? text : text + "\n"))
        }
    }

    /// Ends a line left open by streamed text.
    func finishLine() {
        if midLine { cell(.stream(.stdout, "\n")) }
        midLine = false
    }

    /// Statement echoes belong to script transcripts; a notebook shows the cell's code instead.
    private func isHidden(_ output: Output) -> Bool {
        if case .echo = output { return true }
        return false
    }
}
