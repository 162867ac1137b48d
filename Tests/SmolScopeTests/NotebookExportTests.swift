import Foundation
import Testing
@testable import SmolScope

/// `notebook export --ipynb`: nbformat 4.5 JSON built from the recorded outputs.
@Suite("Notebook export to .ipynb")
struct NotebookExportTests {
    static let notebook = """
        # Title

        Some *prose*.

        ```smol
        load tiny
        prompt ids=1,2
        ```

        ```output
        loaded 'tiny'
        2 tokens
        ```

        More prose.

        ```smol expect-error
        layers
        attn 99
        ```

        ```output
        NoPE layers: 3, 7
        nb.md:19: error: layer 99 is out of range (0...7)
        ```

        ```smol
        help
        ```
        """

    static func exported(_ text: String = notebook) throws -> [String: Any] {
        let json = IPYNBExporter.export(try NotebookDocument(text: text, path: "dir/nb.md"))
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test("the notebook is nbformat 4.5 with the SmolScope kernelspec")
    func topLevel() throws {
        let nb = try Self.exported()
        #expect(nb["nbformat"] as? Int == 4)
        #expect(nb["nbformat_minor"] as? Int == 5)
        let metadata = try #require(nb["metadata"] as? [String: Any])
        #expect(metadata["kernelspec"] as? [String: String] == ["name": "smol", "display_name": "SmolScope", "language": "smol"])
        #expect((metadata["language_info"] as? [String: String])?["name"] == "smol")
    }

    @Test("prose becomes markdown cells and smol cells code cells, in order, with unique ids")
    func cells() throws {
        let cells = try #require(try Self.exported()["cells"] as? [[String: Any]])
        #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code", "markdown", "code", "code"])
        #expect(cells[0]["source"] as? [String] == ["# Title\n", "\n", "Some *prose*."])
        #expect(cells[1]["source"] as? [String] == ["load tiny\n", "prompt ids=1,2"])
        let ids = cells.compactMap { $0["id"] as? String }
        #expect(Set(ids).count == cells.count)
        #expect(ids.allSatisfy { $0.range(of: "^[a-zA-Z0-9_-]{1,64}$", options: .regularExpression) != nil })
    }

    @Test("recorded text is a stdout stream; executed cells are numbered in order; unrun cells have none")
    func outputs() throws {
        let cells = try #require(try Self.exported()["cells"] as? [[String: Any]])
        #expect(cells[1]["execution_count"] as? Int == 1)
        let outputs = try #require(cells[1]["outputs"] as? [[String: Any]])
        #expect(outputs.count == 1)
        #expect(outputs[0]["output_type"] as? String == "stream")
        #expect(outputs[0]["name"] as? String == "stdout")
        #expect(outputs[0]["text"] as? [String] == ["loaded 'tiny'\n", "2 tokens\n"])
        #expect(cells[3]["execution_count"] as? Int == 2)
        #expect(cells[4]["execution_count"] is NSNull)
        #expect((cells[4]["outputs"] as? [Any])?.isEmpty == true)
    }

    @Test("a recorded error becomes an error output, and expect-error cells carry nbclient's raises-exception tag")
    func errors() throws {
        let cells = try #require(try Self.exported()["cells"] as? [[String: Any]])
        let failing = cells[3]
        #expect((failing["metadata"] as? [String: Any])?["tags"] as? [String] == ["raises-exception"])
        let outputs = try #require(failing["outputs"] as? [[String: Any]])
        #expect(outputs.map { $0["output_type"] as? String } == ["stream", "error"])
        #expect(outputs[0]["text"] as? [String] == ["NoPE layers: 3, 7\n"])
        #expect(outputs[1]["evalue"] as? String == "layer 99 is out of range (0...7)")
        #expect(outputs[1]["traceback"] as? [String] == ["nb.md:19: error: layer 99 is out of range (0...7)"])
        #expect((cells[1]["metadata"] as? [String: Any])?.isEmpty == true)
    }

    @Test("the JSON is written as Jupyter writes it: sorted keys, one-space indent, final newline")
    func jupyterLayout() throws {
        let json = IPYNBExporter.export(try NotebookDocument(text: "```smol\nhelp\n```\n", path: "x.md"))
        #expect(json.hasPrefix("{\n \"cells\": [\n  {\n   \"cell_type\": \"code\",\n   \"execution_count\": null,\n"))
        #expect(json.hasSuffix("\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n"))
    }

    @Test("strings are escaped as JSON requires, non-ASCII kept as is")
    func escaping() {
        let json = NotebookJSON.string("a\"b\\c\n\t\u{1}é✓").fileText
        #expect(json == "\"a\\\"b\\\\c\\n\\t\\u0001é✓\"\n")
    }

    @Test("nbformat validates the export", .enabled(if: NBFormat.python != nil, "set SMOL_PYTHON to a python with nbformat"))
    func nbformatValidates() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).ipynb").path
        try IPYNBExporter.export(try NotebookDocument(text: Self.notebook, path: "nb.md")).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try NBFormat.validate(path)
        #expect(result.status == 0, "\(result.errors)")
    }
}

/// The `nbformat` package, through the Python named by `SMOL_PYTHON` (CI's scripts/test makes a
/// virtualenv with nbformat and sets it).
enum NBFormat {
    static var python: String? {
        ProcessInfo.processInfo.environment["SMOL_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Runs `nbformat.validate(nbformat.read(path, 4))`; status 0 when the file is valid.
    static func validate(_ path: String) throws -> (status: Int32, errors: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python!)
        p.arguments = ["-c", "import nbformat,sys; nbformat.validate(nbformat.read(sys.argv[1], 4))", path]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
