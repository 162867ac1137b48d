import Foundation
import Testing
@testable import SmolScope

/// The notebook format: ```smol cells, each followed by its ```output block, inside ordinary
/// Markdown; and rewriting that touches nothing but the outputs.
@Suite("Notebook documents")
struct NotebookDocumentTests {
    static let sample = """
        # Title

        Prose with `inline` code.

        ```smol
        load tiny
        layers
        ```

        ```output
        old output
        ```

        ````sh
        ```smol
        not a cell: inside another fenced block
        ```
        ````

        ```smol expect-error
        attn 99
        ```
        Closing prose.

        """

    @Test("code cells are the smol blocks; each takes the output block that follows it")
    func parsesCells() throws {
        let doc = try NotebookDocument(text: Self.sample, path: "nb/sample.md")
        let cells = doc.codeCells
        #expect(cells.map(\.source) == ["load tiny\nlayers", "attn 99"])
        #expect(cells.map(\.line) == [5, 20])
        #expect(cells.map(\.sourceLine) == [6, 21])
        #expect(cells[0].output?.text == "old output")
        #expect(cells[0].output?.line == 10)
        #expect(!cells[0].expectsError)
        #expect(cells[1].expectsError)
        #expect(cells[1].output == nil, "prose, not blank lines, follows the second cell")
        #expect(doc.name == "sample.md")
    }

    @Test("prose between cells is kept as markdown cells, including fenced blocks of other languages")
    func parsesProse() throws {
        let doc = try NotebookDocument(text: Self.sample, path: "sample.md")
        let prose = doc.cells.compactMap { if case .markdown(let m) = $0 { m.text } else { nil } }
        #expect(prose.count == 3)
        #expect(prose[0].contains("# Title"))
        #expect(prose[1].contains("not a cell: inside another fenced block"))
        #expect(prose[2].contains("Closing prose."))
    }

    @Test("rewriting with the recorded outputs gives back the file byte for byte", arguments: [
        sample,
        sample.replacingOccurrences(of: "\n", with: "\r\n"),
        "no cells at all",
        "```smol\nhelp\n```",
        "```smol\nhelp\n```\n\n```output\nx\n```",
    ])
    func roundTrip(_ text: String) throws {
        let doc = try NotebookDocument(text: text, path: "t.md")
        let recorded = doc.codeCells.map { $0.output?.text ?? "" }
        guard doc.codeCells.allSatisfy({ $0.output != nil }) else { return }
        #expect(doc.rewritten(outputs: recorded) == text)
    }

    @Test("rewriting changes the output blocks and nothing else")
    func rewritesOnlyOutputs() throws {
        let doc = try NotebookDocument(text: Self.sample, path: "t.md")
        let rewritten = doc.rewritten(outputs: ["new line 1\nnew line 2", "t.md:21: error: no"])
        let expected = Self.sample
            .replacingOccurrences(of: "```output\nold output\n```", with: "```output\nnew line 1\nnew line 2\n```")
            .replacingOccurrences(of: "attn 99\n```\n", with: "attn 99\n```\n\n```output\nt.md:21: error: no\n```\n")
        #expect(rewritten == expected)
        // And the result parses back to the same cells with the new outputs.
        let again = try NotebookDocument(text: rewritten, path: "t.md")
        #expect(again.codeCells.map { $0.output?.text } == ["new line 1\nnew line 2", "t.md:21: error: no"])
        #expect(again.codeCells.map(\.source) == doc.codeCells.map(\.source))
    }

    @Test("a missing output block is inserted after the cell, even at the end of a file without a final newline")
    func insertsAtEndOfFile() throws {
        let doc = try NotebookDocument(text: "```smol\nhelp\n```", path: "t.md")
        #expect(doc.rewritten(outputs: ["out"]) == "```smol\nhelp\n```\n\n```output\nout\n```\n")
    }

    @Test("an empty output is an empty block, so a check can tell 'prints nothing' from 'never run'")
    func emptyOutput() throws {
        let doc = try NotebookDocument(text: "```smol\nreset\n```\n", path: "t.md")
        let rewritten = doc.rewritten(outputs: [""])
        #expect(rewritten == "```smol\nreset\n```\n\n```output\n```\n")
        #expect(try NotebookDocument(text: rewritten, path: "t.md").codeCells[0].output?.text == "")
    }

    @Test("output containing backticks gets a longer fence, so it cannot close the block early")
    func lengthensFence() throws {
        let doc = try NotebookDocument(text: "```smol\nx\n```\n\n```output\nold\n```\n", path: "t.md")
        let text = "a\n```\nb"
        let rewritten = doc.rewritten(outputs: [text])
        #expect(rewritten == "```smol\nx\n```\n\n````output\na\n```\nb\n````\n")
        #expect(try NotebookDocument(text: rewritten, path: "t.md").codeCells[0].output?.text == text)
    }

    @Test("CRLF files keep CRLF line breaks in inserted blocks")
    func keepsLineEndings() throws {
        let doc = try NotebookDocument(text: "```smol\r\nhelp\r\n```\r\n", path: "t.md")
        #expect(doc.codeCells[0].source == "help")
        #expect(doc.rewritten(outputs: ["a\nb"]) == "```smol\r\nhelp\r\n```\r\n\r\n```output\r\na\r\nb\r\n```\r\n")
    }

    @Test("indented fences (up to three spaces) are cells; the indentation is removed and restored")
    func indentedFences() throws {
        let text = "- item\n\n   ```smol\n   help\n   ```\n\n   ```output\n   old\n   ```\n"
        let doc = try NotebookDocument(text: text, path: "t.md")
        #expect(doc.codeCells[0].source == "help")
        #expect(doc.codeCells[0].output?.text == "old")
        #expect(doc.rewritten(outputs: ["new"]) == text.replacingOccurrences(of: "   old", with: "   new"))
    }

    @Test("mistakes in the format are errors naming the file and line", arguments: [
        ("text\n\n```output\nx\n```\n", NotebookError.strayOutput(file: "bad.md", line: 3)),
        ("```smol\nhelp\n```\nprose\n```output\nx\n```\n", .strayOutput(file: "bad.md", line: 5)),
        ("```smol\nhelp\n```\n```output\nx\n```\n```output\ny\n```\n", .strayOutput(file: "bad.md", line: 7)),
        ("intro\n```smol\nhelp\n", .unterminatedFence(file: "bad.md", line: 2, tag: "smol")),
        ("```smol\nhelp\n```\n```output\nx\n", .unterminatedFence(file: "bad.md", line: 4, tag: "output")),
        ("```smol expect-eror\nhelp\n```\n", .unknownAttribute(file: "bad.md", line: 1, attribute: "expect-eror")),
    ])
    func formatErrors(_ text: String, _ expected: NotebookError) {
        #expect(throws: expected) { try NotebookDocument(text: text, path: "bad.md") }
        #expect(expected.description.hasPrefix("bad.md:"))
    }

    @Test("a file that is not UTF-8 is refused")
    func notUTF8() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString).md").path
        try Data([0x60, 0x60, 0x60, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: NotebookError.notUTF8(path: path)) { try NotebookDocument(contentsOfFile: path) }
    }

    @Test("recorded outputs lose trailing spaces and trailing blank lines, nothing else")
    func normalizesOutput() {
        #expect(RecordedOutput.normalize("a  \n\n  b\t\r\n\n\n") == "a\n\n  b")
        #expect(RecordedOutput.normalize("") == "")
    }
}
