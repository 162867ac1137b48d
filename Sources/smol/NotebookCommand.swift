import ArgumentParser
import Foundation
import SmolScope

/// `smol notebook run|check|export`: Markdown notebooks (notebooks/README.md) run, verified and
/// converted for Jupyter.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run, check or export Markdown notebooks (```smol cells with recorded ```output blocks).",
        discussion: """
        Every cell runs in order in one session that starts with no model loaded; relative paths resolve \
        against the notebook's directory. See notebooks/README.md for the format.
        """,
        subcommands: [Run.self, Check.self, Export.self])

    /// `smol notebook run NB.md…`: executes and rewrites the output blocks in place.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every cell and rewrite the recorded outputs in place (nothing else in the file changes).",
            discussion: "Exits 1 if a cell failed without being marked ```smol expect-error (its error is still recorded).")

        @Argument(help: "Notebook files (.md).") var notebooks: [String]

        func run() throws {
            var surprised = false
            for path in notebooks {
                let document = try Notebooks.read(path)
                let run = Notebooks.runner(for: document) { $0.run(document) }
                let outputs = run.outputs
                let text = document.rewritten(outputs: outputs)
                let changed = zip(document.codeCells, outputs).filter { $0.output?.text != $1 }.count
                if text != document.text {
                    try Notebooks.write(text, to: path)
                }
                print("\(path): \(Notebooks.count(run.cells.count, "cell")) run, \(Notebooks.count(changed, "output")) changed")
                for cell in run.surprises { Notebooks.printError(cell.surprise ?? "") }
                surprised = surprised || !run.surprises.isEmpty
            }
            if surprised { throw ExitCode(1) }
        }
    }

    /// `smol notebook check NB.md…`: executes and compares with the recorded outputs.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every cell and compare with the recorded outputs; exit 1 with a diff when any changed.")

        @Argument(help: "Notebook files (.md).") var notebooks: [String]

        func run() throws {
            var failed = false
            for path in notebooks {
                let document = try Notebooks.read(path)
                let check = Notebooks.runner(for: document) { NotebookChecker(runner: $0).check(document) }
                print(check.report)
                failed = failed || !check.passed
            }
            if failed { throw ExitCode(1) }
        }
    }

    /// `smol notebook export NB.md --ipynb [-o OUT]`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert notebooks with their recorded outputs (nothing is re-run) to Jupyter .ipynb files.")

        @Argument(help: "Notebook files (.md).") var notebooks: [String]
        @Flag(help: "Write an nbformat 4.5 .ipynb (the only format so far).") var ipynb = false
        @Option(name: .shortAndLong, help: "Output file (one notebook only); default: the notebook's path with .ipynb.")
        var output: String?

        func validate() throws {
            guard ipynb else { throw ValidationError("choose the format: --ipynb") }
            if output != nil, notebooks.count != 1 { throw ValidationError("-o takes one notebook; export several without it") }
        }

        func run() throws {
            for path in notebooks {
                let document = try Notebooks.read(path)
                let destination = output ?? ((path as NSString).deletingPathExtension + ".ipynb")
                try Notebooks.write(IPYNBExporter.export(document), to: destination)
                print("\(path) → \(destination)")
            }
        }
    }
}

/// What the notebook subcommands share.
enum Notebooks {
    /// Calls `body` with a runner whose session Ctrl-C interrupts (stopping the running command).
    static func runner<T>(for document: NotebookDocument, _ body: (NotebookRunner) -> T) -> T {
        let session = Session(workingDirectory: document.directory)
        let runner = NotebookRunner(makeSession: { _ in session })
        return Repl.withInterruptHandler(session) { body(runner) }
    }

    /// The parsed notebook; a parse error is printed as `FILE:LINE: error: …` (exit code 1).
    static func read(_ path: String) throws -> NotebookDocument {
        do {
            return try NotebookDocument(contentsOfFile: path)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            printError(NotebookError.unwritable(path: path, reason: (error as NSError).localizedDescription).description)
            throw ExitCode(1)
        }
    }

    /// `1 cell`, `3 cells`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
