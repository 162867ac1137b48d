import Foundation
import Testing
@testable import SmolScope

/// Running a notebook: one session for all cells, outputs as the REPL prints them, errors
/// recorded at the notebook's file and line.
@Suite("Notebook runner")
struct NotebookRunnerTests {
    /// Runs `text` as a notebook at `directory/name` (a scratch directory by default).
    static func run(_ text: String, name: String = "nb.md", directory: String? = nil) throws -> NotebookRun {
        let dir = try directory ?? Paths.scratchDirectory()
        let doc = try NotebookDocument(text: text, path: dir + "/" + name)
        return NotebookRunner().run(doc)
    }

    @Test("cells share one session, and each records what the REPL prints for it")
    func oneSession() throws {
        let run = try Self.run("```smol\nload tiny\n```\n\n```smol\nprompt ids=1,2,3\n```\n\n```smol\nsequence\n```\n")
        #expect(run.cells.count == 3)
        let session = try tinySession()
        try session.run("prompt ids=1,2,3", sink: CollectingSink())
        #expect(run.cells[2].printed == RecordedOutput.normalize(try output(session, "sequence")))
        #expect(run.surprises.isEmpty)
    }

    @Test("the session starts with no model, as the Jupyter kernel does")
    func startsEmpty() throws {
        let run = try Self.run("```smol expect-error\ninfo\n```\n")
        #expect(run.cells[0].failure?.error == .noModel)
        #expect(run.surprises.isEmpty)
    }

    @Test("an error ends its cell, is recorded at the notebook's line, and the next cell still runs")
    func errorsAreRecorded() throws {
        let text = "# t\n\n```smol\nload tiny\nrope 99 on\nlayers\n```\n\n```smol\nmodels\n```\n"
        let run = try Self.run(text, name: "errors.md")
        let failing = run.cells[0]
        #expect(failing.failure?.location.line == 5)
        #expect(failing.failure?.error == .outOfRange(what: "layer", value: "99", valid: "0...7"))
        // `load` printed before the error; `layers` never ran.
        let out = run.outputs[0]
        #expect(out.hasPrefix("loaded 'tiny'"))
        #expect(out.hasSuffix("\nerrors.md:5: error: layer 99 is out of range (0...7)"))
        #expect(!out.contains("head dim"), "the layers table never printed")
        #expect(run.cells[1].failure == nil)
        #expect(run.outputs[1].contains("tiny"))
        #expect(run.surprises.map(\.cell.index) == [0])
    }

    @Test("error lines name the line in the rewritten file, where inserted outputs moved the cells")
    func errorLinesFollowTheRewrite() throws {
        let text = "```smol\nload tiny\nlayers\n```\n\n```smol expect-error\nrope 99 on\n```\n"
        let run = try Self.run(text, name: "moved.md")
        let rewritten = run.rewrittenText
        let lines = rewritten.components(separatedBy: "\n")
        let cited = try #require(run.outputs[1].split(separator: ":").dropFirst().first.flatMap { Int($0) })
        #expect(lines[cited - 1] == "rope 99 on")
        #expect(cited > 7, "the first cell's new output block pushed the second cell down")
    }

    @Test("expect-error cells must fail; other cells must not")
    func declaredFailures() throws {
        let run = try Self.run("```smol expect-error\nhelp\n```\n\n```smol\nstpe\n```\n", name: "x.md")
        #expect(run.surprises.count == 2)
        #expect(run.cells[0].surprise == "x.md:1: cell 1 (help): expected an error (```smol expect-error), but the cell succeeded")
        #expect(run.cells[1].surprise?.hasPrefix("x.md:6: error: unknown command 'stpe' (did you mean 'step'?)") == true)
    }

    @Test("relative paths resolve against the notebook's directory, as in Jupyter")
    func pathsRelativeToNotebook() throws {
        let dir = try Paths.scratchDirectory()   // holds fixtures/ → Tests/Fixtures
        let run = try Self.run("```smol\nload fixtures/tiny-smollm3-gguf/tiny-smollm3-Q8_0.gguf as q8\n```\n", directory: dir)
        #expect(run.cells[0].failure == nil)
        #expect(run.outputs[0].hasPrefix("loaded 'q8': tiny-smollm3-Q8_0.gguf"))
    }
}
