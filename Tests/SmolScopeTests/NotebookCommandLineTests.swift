import Foundation
import Testing
@testable import SmolScope

/// `smol notebook run|check|export` as a person runs them: files in, files and exit codes out.
@Suite("smol notebook", .enabled(if: SmolBinary.exists, "the smol executable is not built"))
struct NotebookCommandLineTests {
    static let notebook = "# CLI\n\n```smol\nload tiny\nprompt ids=3,4\n```\n\nThe end.\n"

    /// A scratch directory holding `nb.md`.
    static func scratch(_ text: String = notebook) throws -> (dir: String, path: String) {
        let dir = try Paths.scratchDirectory()
        try text.write(toFile: dir + "/nb.md", atomically: true, encoding: .utf8)
        return (dir, dir + "/nb.md")
    }

    @Test("run records the outputs in place; running again changes nothing")
    func runRewrites() throws {
        let (dir, path) = try Self.scratch()
        let (status, out, _) = try SmolBinary.run(["notebook", "run", "nb.md"], directory: dir)
        #expect(status == 0)
        #expect(out == "nb.md: 1 cell run, 1 output changed\n")
        let first = try String(contentsOfFile: path, encoding: .utf8)
        #expect(try NotebookDocument(text: first, path: path).codeCells[0].output?.text.hasPrefix("loaded 'tiny'") == true)

        let (again, out2, _) = try SmolBinary.run(["notebook", "run", "nb.md"], directory: dir)
        #expect(again == 0)
        #expect(out2 == "nb.md: 1 cell run, 0 outputs changed\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == first)
    }

    @Test("check exits 0 on a recorded notebook and 1 with the diff on an edited one")
    func checkExitCodes() throws {
        let (dir, path) = try Self.scratch()
        _ = try SmolBinary.run(["notebook", "run", path])
        #expect(try SmolBinary.run(["notebook", "check", path]).0 == 0)

        let recorded = try String(contentsOfFile: path, encoding: .utf8)
        try recorded.replacingOccurrences(of: "2 tokens at positions", with: "2 tokens near positions")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (status, out, _) = try SmolBinary.run(["notebook", "check", "nb.md"], directory: dir)
        #expect(status == 1)
        #expect(out.contains("nb.md:3: cell 1 (load tiny): output changed"))
        #expect(out.contains("-2 tokens near positions"))
        #expect(out.contains("+2 tokens at positions"))
    }

    @Test("run exits 1 when a cell fails unexpectedly, and still records the error")
    func runReportsFailures() throws {
        let (dir, path) = try Self.scratch("```smol\nlayers\n```\n")
        let (status, _, err) = try SmolBinary.run(["notebook", "run", "nb.md"], directory: dir)
        #expect(status == 1)
        #expect(err.contains("nb.md:2: error: no model loaded"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("```output\nnb.md:2: error: no model loaded"))
    }

    @Test("export writes the .ipynb next to the notebook, or to -o")
    func export() throws {
        let (dir, path) = try Self.scratch()
        _ = try SmolBinary.run(["notebook", "run", path])
        let expected = IPYNBExporter.export(try NotebookDocument(contentsOfFile: path))

        #expect(try SmolBinary.run(["notebook", "export", "nb.md", "--ipynb"], directory: dir).0 == 0)
        #expect(try String(contentsOfFile: dir + "/nb.ipynb", encoding: .utf8) == expected)
        #expect(try SmolBinary.run(["notebook", "export", "nb.md", "--ipynb", "-o", "other.ipynb"], directory: dir).0 == 0)
        #expect(try String(contentsOfFile: dir + "/other.ipynb", encoding: .utf8) == expected)
    }

    @Test("export needs a format; a malformed notebook is reported at its line")
    func usageErrors() throws {
        let (dir, _) = try Self.scratch("text\n\n```output\nstray\n```\n")
        #expect(try SmolBinary.run(["notebook", "export", "nb.md"], directory: dir).0 != 0)
        let (status, _, err) = try SmolBinary.run(["notebook", "check", "nb.md"], directory: dir)
        #expect(status == 1)
        #expect(err == "nb.md:3: error: an ```output block must directly follow a ```smol cell (only blank lines between)\n")
    }
}
