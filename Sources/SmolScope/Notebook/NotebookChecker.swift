/// Re-executes a notebook and compares every cell's output with the one recorded in the file:
/// what `smol notebook check` and CI run, so a change in the engine that changes what a lesson
/// shows cannot go unnoticed.
public struct NotebookChecker {
    public var runner: NotebookRunner

    public init(runner: NotebookRunner = NotebookRunner()) {
        self.runner = runner
    }

    public func check(_ document: NotebookDocument) -> NotebookCheck {
        NotebookCheck(run: runner.run(document))
    }
}

/// What a check found: cells whose output changed, and cells that failed (or did not fail)
/// against their `expect-error` declaration.
public struct NotebookCheck: Sendable {
    public let run: NotebookRun
    public let problems: [Problem]

    public struct Problem: Sendable, CustomStringConvertible {
        public enum Kind: Sendable, Equatable {
            /// `diff` is unified-style: `-` the recorded line, `+` the line printed now.
            case outputChanged(diff: String)
            /// The cell has no output block yet (`smol notebook run` writes one).
            case notRecorded
            /// The cell failed without `expect-error`, or declared it and succeeded.
            case unexpectedOutcome(String)
        }

        public let cell: CodeCell
        public let file: String
        public let kind: Kind

        public var description: String {
            let name = cell.label(in: file)
            switch kind {
            case .outputChanged(let diff): return "\(name): output changed\n--- recorded\n+++ now\n\(diff)"
            case .notRecorded: return "\(name): no recorded output (run 'smol notebook run \(file)')"
            case .unexpectedOutcome(let why): return why
            }
        }
    }

    init(run: NotebookRun) {
        self.run = run
        var problems: [Problem] = []
        for (cell, output) in zip(run.cells, run.outputs) {
            if let surprise = cell.surprise {
                problems.append(Problem(cell: cell.cell, file: run.document.name, kind: .unexpectedOutcome(surprise)))
            }
            guard let recorded = cell.cell.output else {
                problems.append(Problem(cell: cell.cell, file: run.document.name, kind: .notRecorded))
                continue
            }
            if recorded.text != output {
                let diff = LineDiff.unified(old: recorded.text, new: output)
                problems.append(Problem(cell: cell.cell, file: run.document.name, kind: .outputChanged(diff: diff)))
            }
        }
        self.problems = problems
    }

    public var passed: Bool { problems.isEmpty }

    /// Every problem, separated by blank lines; or one line saying the notebook is unchanged.
    public var report: String {
        if passed {
            return "\(run.document.name): \(run.cells.count) cell\(run.cells.count == 1 ? "" : "s"), all outputs as recorded"
        }
        return problems.map(\.description).joined(separator: "\n\n")
    }
}
