import Foundation

/// Runs a notebook's code cells in order in one ``Session``, capturing for each cell the text the
/// REPL would print for it. The session starts with no model loaded (as the Jupyter kernel does)
/// and resolves relative paths against the notebook's directory (as Jupyter does).
///
/// A failing statement ends its cell; the error becomes the cell's last output line, named by
/// the notebook's file and line (`02-rope-vs-nope.md:57: error: …`), and the next cell runs.
public struct NotebookRunner {
    /// Makes the session a notebook runs in, given the notebook's directory.
    public var makeSession: (_ directory: String) -> Session

    public init(makeSession: @escaping (_ directory: String) -> Session = { Session(workingDirectory: $0) }) {
        self.makeSession = makeSession
    }

    /// Runs every code cell of `document` in a fresh session.
    public func run(_ document: NotebookDocument) -> NotebookRun {
        let session = makeSession(document.directory)
        return NotebookRun(document: document, cells: document.codeCells.map { run($0, of: document, in: session) })
    }

    /// Runs one cell in `session`; statements stop at the first error.
    public func run(_ cell: CodeCell, of document: NotebookDocument, in session: Session) -> CellRun {
        let renderer = PlainTextRenderer()
        var failure: ScriptRunner.Failure?
        ScriptRunner(fileName: nil, echo: false, keepGoing: false).run(cell.source, in: session, sink: renderer) { f in
            // Lines count from the cell's first command line; report them as lines of the notebook.
            let location = SourceLocation(line: cell.sourceLine + f.location.line - 1, column: f.location.column)
            failure = ScriptRunner.Failure(file: document.name, location: location, error: f.error)
        }
        renderer.finishLine()
        return CellRun(cell: cell, file: document.name, printed: RecordedOutput.normalize(renderer.text), failure: failure)
    }
}

/// The outcome of running a whole notebook.
public struct NotebookRun: Sendable {
    public let document: NotebookDocument
    /// One per code cell, in order.
    public let cells: [CellRun]

    /// Each cell's output as the rewritten file records it. Errors name lines of the rewritten
    /// file, where new output blocks may have moved the cells: the file is laid out once to find
    /// where each cell lands (an error is one line whatever its number, so the layout holds).
    public var outputs: [String] {
        let draft = document.rewritten(outputs: cells.map { $0.output(sourceLine: $0.cell.sourceLine) })
        guard let placed = try? NotebookDocument(text: draft, path: document.path).codeCells,
              placed.count == cells.count else { return cells.map { $0.output(sourceLine: $0.cell.sourceLine) } }
        return zip(cells, placed).map { $0.output(sourceLine: $1.sourceLine) }
    }

    /// The notebook file with every output block holding this run's output.
    public var rewrittenText: String { document.rewritten(outputs: outputs) }

    /// Cells that failed without declaring `expect-error`, or declared it and did not fail.
    public var surprises: [CellRun] { cells.filter { !$0.failedAsDeclared } }
}

/// One executed code cell.
public struct CellRun: Sendable {
    public let cell: CodeCell
    /// The notebook's file name.
    public let file: String
    /// What the cell printed before any error, normalized as outputs are recorded (``RecordedOutput``).
    public let printed: String
    /// The error that ended the cell, if one did, at its line in the notebook as it was read.
    public let failure: ScriptRunner.Failure?

    /// The recorded output: what the cell printed, then its error as `FILE:LINE: error: …`, the
    /// line counted as if the cell's first command line were `sourceLine`.
    public func output(sourceLine: Int) -> String {
        guard var failure else { return printed }
        failure = ScriptRunner.Failure(
            file: failure.file, location: SourceLocation(line: failure.location.line - cell.sourceLine + sourceLine,
                                                         column: failure.location.column),
            error: failure.error)
        return printed.isEmpty ? failure.description : printed + "\n" + failure.description
    }

    /// Whether the cell failed exactly when it said it would (`smol expect-error`).
    public var failedAsDeclared: Bool { (failure != nil) == cell.expectsError }

    /// Why the cell's outcome is a surprise (nil when it is not).
    public var surprise: String? {
        guard !failedAsDeclared else { return nil }
        if let failure { return failure.description + " (the cell is not marked ```smol expect-error)" }
        return "\(cell.label(in: file)): expected an error (```smol expect-error), but the cell succeeded"
    }
}

extension CodeCell {
    /// How reports name the cell: `01-tour.md:42: cell 3 (layers)`, numbered from 1 as people count.
    public func label(in file: String) -> String {
        "\(file):\(line): cell \(index + 1) (\(title))"
    }
}
