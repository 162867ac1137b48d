import Foundation
import Testing
@testable import SmolScope

/// `notebook check`: re-run, compare with what the file recorded, and explain every difference.
@Suite("Notebook checker")
struct NotebookCheckerTests {
    /// A notebook run once, so its outputs are recorded.
    static func recorded(_ text: String, name: String = "nb.md") throws -> (text: String, directory: String) {
        let dir = try Paths.scratchDirectory()
        let run = NotebookRunner().run(try NotebookDocument(text: text, path: dir + "/" + name))
        return (run.rewrittenText, dir)
    }

    static func check(_ text: String, name: String = "nb.md", in directory: String) throws -> NotebookCheck {
        NotebookChecker().check(try NotebookDocument(text: text, path: directory + "/" + name))
    }

    static let notebook = "# Check me\n\n```smol\nload tiny\n```\n\nProse.\n\n```smol\nprompt ids=5,6,7\nstep 2\n```\n"

    @Test("a freshly run notebook passes")
    func passes() throws {
        let (text, dir) = try Self.recorded(Self.notebook)
        let check = try Self.check(text, in: dir)
        #expect(check.passed)
        #expect(check.report == "nb.md: 2 cells, all outputs as recorded")
    }

    @Test("an edited output fails the check with a diff naming the cell")
    func editedOutputFails() throws {
        let (text, dir) = try Self.recorded(Self.notebook)
        let doc = try NotebookDocument(text: text, path: dir + "/nb.md")
        let original = try #require(doc.codeCells[1].output?.text)
        var lines = original.components(separatedBy: "\n")
        let edited = lines[0]
        lines[0] = "3 tokens, edited by hand"
        let tampered = doc.rewritten(outputs: [doc.codeCells[0].output!.text, lines.joined(separator: "\n")])

        let check = try Self.check(tampered, in: dir)
        #expect(!check.passed)
        #expect(check.problems.count == 1)
        let problem = try #require(check.problems.first)
        #expect(problem.cell.index == 1)
        #expect(problem.kind == .outputChanged(diff: """
            @@ -1,4 +1,4 @@
            -3 tokens, edited by hand
            +\(edited)
             \(lines[1])
             \(lines[2])
             \(lines[3])
            """))
        #expect(check.report.hasPrefix("nb.md:\(doc.codeCells[1].line): cell 2 (prompt ids=5,6,7): output changed\n--- recorded\n+++ now\n@@ -1,4 +1,4 @@\n"))
    }

    @Test("a cell without a recorded output fails the check")
    func unrecordedFails() throws {
        let dir = try Paths.scratchDirectory()
        let check = try Self.check("```smol\nhelp syntax\n```\n", in: dir)
        #expect(check.problems.map(\.kind) == [.notRecorded])
        #expect(check.report == "nb.md:1: cell 1 (help syntax): no recorded output (run 'smol notebook run nb.md')")
    }

    @Test("a recorded error is fine in an expect-error cell and a failure anywhere else")
    func errorsMustBeDeclared() throws {
        let (expected, dir) = try Self.recorded("```smol expect-error\nattn 0\n```\n")
        #expect(try Self.check(expected, in: dir).passed)

        let (unexpected, _) = try Self.recorded("```smol\nattn 0\n```\n")
        let check = try Self.check(unexpected, in: dir)
        #expect(check.problems.count == 1)
        guard case .unexpectedOutcome(let why) = check.problems[0].kind else {
            Issue.record("expected an unexpected-outcome problem, got \(check.problems[0].kind)")
            return
        }
        #expect(why == "nb.md:2: error: no model loaded; try 'load tiny' or 'load smollm2' (the cell is not marked ```smol expect-error)")
    }
}

@Suite("Line diffs")
struct LineDiffTests {
    @Test("equal texts have no diff")
    func equal() {
        #expect(LineDiff.unified(old: "a\nb", new: "a\nb") == "")
    }

    @Test("changes come with three lines of context and diff -u hunk headers")
    func hunks() {
        let old = (1...10).map(String.init).joined(separator: "\n")
        let new = old.replacingOccurrences(of: "5", with: "five")
        #expect(LineDiff.unified(old: old, new: new) == "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8")
    }

    @Test("distant changes get separate hunks; nearby ones share one")
    func separateHunks() {
        let old = (1...20).map(String.init).joined(separator: "\n")
        let new = old.replacingOccurrences(of: "\n2\n", with: "\nTWO\n").replacingOccurrences(of: "\n19\n", with: "\nNINETEEN\n")
        let diff = LineDiff.unified(old: old, new: new)
        #expect(diff.components(separatedBy: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,5 +1,5 @@", "@@ -16,5 +16,5 @@"])
    }

    @Test("added and removed lines, and empty texts")
    func insertions() {
        #expect(LineDiff.unified(old: "", new: "x") == "@@ -0,0 +1 @@\n+x")
        #expect(LineDiff.unified(old: "a\nc", new: "a\nb\nc") == "@@ -1,2 +1,3 @@\n a\n+b\n c")
        #expect(LineDiff.unified(old: "a\nb", new: "a") == "@@ -1,2 +1 @@\n a\n-b")
    }
}
