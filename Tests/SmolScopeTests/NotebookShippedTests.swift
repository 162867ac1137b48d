import Foundation
import Testing
@testable import SmolScope

/// The lessons in notebooks/: their recorded outputs are what the engine prints today, and their
/// .ipynb twins are up to date. Notebooks that load only local models (the bundled tiny model,
/// files in the repository) are always checked; one that loads a downloaded model only when it is
/// in the cache.
@Suite("Shipped notebooks")
struct NotebookShippedTests {
    static let directory = Paths.repository + "/notebooks"

    static var notebooks: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted()
    }

    /// Models a notebook loads that are downloaded on first use: catalog names other than the
    /// bundled `tiny` (paths and `synthetic:` models are local).
    static func downloads(_ doc: NotebookDocument) -> [String] {
        doc.modelsLoaded.filter { $0 != "tiny" && ModelCatalog.standard.entry($0) != nil }
    }

    /// Whether a downloaded model is there already. scripts/test fetches SmolLM2 into the cache
    /// before the tests and names it in SMOL_SMOLLM2_GGUF (as the tokenizer and model tests expect).
    static func isCached(_ model: String) -> Bool {
        guard model == "smollm2", let path = ProcessInfo.processInfo.environment["SMOL_SMOLLM2_GGUF"] else { return false }
        return FileManager.default.fileExists(atPath: path)
    }

    /// Notebooks whose models are all local or already cached (a notebook that does not parse is
    /// included, so its error is reported).
    static var runnable: [String] {
        notebooks.filter { name in
            guard let doc = try? NotebookDocument(contentsOfFile: directory + "/" + name) else { return true }
            return downloads(doc).allSatisfy(isCached)
        }
    }

    @Test("the five lessons exist and use only local models, so CI always checks them")
    func lessonsAreLocal() throws {
        let lessons = ["01-tour.md", "02-rope-vs-nope.md", "03-gqa-and-kv-cache.md", "04-quantization.md", "05-thinking-mode.md"]
        for name in lessons {
            let doc = try NotebookDocument(contentsOfFile: Self.directory + "/" + name)
            #expect(Self.downloads(doc).isEmpty, "\(name) loads \(Self.downloads(doc))")
            #expect(doc.modelsLoaded.first == "tiny", "\(name) starts with the bundled model")
        }
    }

    @Test("notebook check passes", arguments: runnable)
    func checkPasses(_ name: String) throws {
        let check = NotebookChecker().check(try NotebookDocument(contentsOfFile: Self.directory + "/" + name))
        #expect(check.passed, "\(check.report)\n(after a deliberate change: smol notebook run notebooks/\(name), then review the diff)")
    }

    @Test("the .ipynb is the export of the .md", arguments: notebooks)
    func exportIsCurrent(_ name: String) throws {
        let doc = try NotebookDocument(contentsOfFile: Self.directory + "/" + name)
        let ipynb = Self.directory + "/" + (name as NSString).deletingPathExtension + ".ipynb"
        let committed = try String(contentsOfFile: ipynb, encoding: .utf8)
        #expect(committed == IPYNBExporter.export(doc), "regenerate: smol notebook export notebooks/\(name) --ipynb")
    }

    @Test("nbformat validates the .ipynb", .enabled(if: NBFormat.python != nil, "set SMOL_PYTHON to a python with nbformat"),
          arguments: notebooks)
    func nbformatValidates(_ name: String) throws {
        let result = try NBFormat.validate(Self.directory + "/" + (name as NSString).deletingPathExtension + ".ipynb")
        #expect(result.status == 0, "\(result.errors)")
    }

    @Test("editing one recorded output in a copy makes check fail with a diff naming that cell")
    func tamperedCopyFails() throws {
        let name = try #require(Self.runnable.first)
        let original = try NotebookDocument(contentsOfFile: Self.directory + "/" + name)
        // The copy keeps its name (recorded errors name the file) in a scratch notebooks/ whose
        // ../Tests is the repository's, so relative paths resolve as they do for the original.
        let scratch = try Paths.scratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch + "/notebooks", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch + "/Tests", withDestinationPath: Paths.tests)
        let copy = scratch + "/notebooks/" + name
        let target = try #require(original.codeCells.last { $0.output.map { !$0.text.isEmpty } ?? false })
        var outputs = original.codeCells.map { $0.output?.text ?? "" }
        outputs[target.index] += "\na line nobody printed"
        try original.rewritten(outputs: outputs).write(toFile: copy, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: copy) }

        let check = NotebookChecker().check(try NotebookDocument(contentsOfFile: copy))
        #expect(check.problems.map(\.cell.index) == [target.index])
        #expect(check.problems.first?.kind == .outputChanged(diff: LineDiff.unified(old: outputs[target.index], new: original.codeCells[target.index].output!.text)))
        #expect(check.report.contains(": cell \(target.index + 1) (\(target.title)): output changed"))
        #expect(check.report.contains("-a line nobody printed"))
    }
}
