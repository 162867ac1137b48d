import Foundation
import SmolScope
import Synchronization
import Testing
@testable import SmolJupyter

/// The SmolScope session as a kernel interpreter, on the bundled tiny model: what a notebook cell
/// shows for each kind of command output, and how errors, completion, help and interrupts behave.
@Suite("SmolScope session kernel", .serialized)
struct SessionKernelTests {
    let kernel = SessionKernel(session: Session())

    /// Runs a cell, collecting its outputs.
    func run(_ code: String, onOutput: @escaping @Sendable (CellOutput) -> Void = { _ in }) -> (ExecutionOutcome, [CellOutput]) {
        let outputs = Mutex<[CellOutput]>([])
        let outcome = kernel.execute(code, output: CellSink { output in
            outputs.withLock { $0.append(output) }
            onOutput(output)
        })
        return (outcome, outputs.withLock { $0 })
    }

    static func text(_ outputs: [CellOutput]) -> String {
        outputs.map { output in
            switch output {
            case .stream(_, let text): text
            case .display(let bundle): bundle.plain + "\n"
            }
        }.joined()
    }

    static func displays(_ outputs: [CellOutput]) -> [DisplayBundle] {
        outputs.compactMap { if case .display(let bundle) = $0 { bundle } else { nil } }
    }

    @Test("text is streamed as stdout and tables come as HTML with their terminal text")
    func textAndTables() {
        let (outcome, outputs) = run("load tiny\nlayers")
        #expect(outcome == .success)
        guard case .stream(.stdout, let loaded)? = outputs.first else {
            Issue.record("expected the load message first, got \(outputs)")
            return
        }
        #expect(loaded.contains("tiny") && loaded.hasSuffix("\n"))
        let table = try? #require(Self.displays(outputs).first)
        #expect(table?.html?.hasPrefix("<table>") == true)
        #expect(table?.plain.contains("NoPE") == true)
        #expect(table?.png == nil)
    }

    @Test("a heatmap is a PNG with one square cell per token, and its text form")
    func heatmap() throws {
        let (outcome, outputs) = run("load tiny\nprompt \"one two three four\"\nattn 0 --heatmap")
        #expect(outcome == .success)
        let bundle = try #require(Self.displays(outputs).last)
        let png = try #require(bundle.png)
        let rows = bundle.plain.split(separator: "\n").filter { $0.hasSuffix("|") && $0.contains(" |") }.count
        #expect(rows > 1)
        let cell = Rasterizer.heatmapCellSize(rows: rows, columns: rows)
        #expect(png.width == rows * cell && png.height == rows * cell)
        #expect(bundle.html?.contains("data:image/png;base64,") == true)
    }

    @Test("histograms and the logit-lens chart come as bar-chart PNGs")
    func charts() throws {
        let (outcome, outputs) = run("load tiny\ntensor model.norm.weight\nprompt \"a b\"\nlogitlens --chart")
        #expect(outcome == .success)
        let pictures = Self.displays(outputs).compactMap(\.png)
        #expect(pictures.count == 2)
        #expect(pictures.allSatisfy { $0.height == 2 * Rasterizer.barMargin + Rasterizer.barPlotHeight })
    }

    @Test("the first error ends the cell; in a multi-line cell the traceback names the line")
    func errors() {
        let (outcome, outputs) = run("load tiny\nprompt \"hi\"\nattn 99\nlayers")
        guard case .failure(let error) = outcome else {
            Issue.record("expected a failure, got \(outcome)")
            return
        }
        #expect(error.name == "OutOfRange")
        #expect(error.traceback == ["line 3: error: \(error.value)"])
        #expect(Self.displays(outputs).isEmpty, "layers did not run")

        let (single, _) = run("stpe")
        #expect(single == .failure(ExecutionError(name: "UnknownCommand", value: "unknown command 'stpe' (did you mean 'step'?)",
                                                  traceback: ["error: unknown command 'stpe' (did you mean 'step'?)"])))
        let (syntax, _) = run("prompt \"unterminated")
        if case .failure(let e) = syntax { #expect(e.name == "SyntaxError") } else { Issue.record("expected a syntax error") }
    }

    @Test("streamed generation ends its line before the next output, as in the terminal")
    func streamedLines() {
        let (outcome, outputs) = run("load tiny\nset stop=off\nprompt \"x\"\ngenerate 3\ninfo")
        #expect(outcome == .success)
        let text = Self.text(outputs)
        #expect(text.contains("(3 tokens)\n"))
        #expect(!text.contains("\n\n\n"))
    }

    @Test("completion offers command names and tensor names with the range they replace")
    func completion() {
        let commands = kernel.complete("lay", cursor: "lay".endIndex)
        #expect(commands.matches.contains("layers"))
        #expect(commands.range == "lay".startIndex..<"lay".endIndex)
        _ = run("load tiny")
        let code = "layers; tensor model.norm"
        let tensors = kernel.complete(code, cursor: code.endIndex)
        #expect(tensors.matches == ["model.norm.weight"])
        #expect(code[tensors.range] == "model.norm")
    }

    @Test("inspect gives help for the command under the cursor, or for the statement's command")
    func inspect() throws {
        let code = "attn 0 --heatmap"
        let onArgument = try #require(kernel.inspect(code, cursor: code.endIndex, detailLevel: 0))
        #expect(onArgument.plain.hasPrefix("usage: attn"))
        let onCommand = try #require(kernel.inspect("layers; help", cursor: "lay".endIndex, detailLevel: 0))
        #expect(onCommand.plain.hasPrefix("usage: layers"))
        #expect(kernel.inspect("zzz", cursor: "zzz".endIndex, detailLevel: 0) == nil)
        #expect(kernel.inspect("help syntax", cursor: "help syntax".endIndex, detailLevel: 0)?.plain == Commands.syntaxHelp)
    }

    @Test("a cell is incomplete while a triple-quoted string or a line continuation is open")
    func isComplete() {
        #expect(kernel.isComplete("layers") == .complete)
        #expect(kernel.isComplete("prompt \"\"\"once") == .incomplete(indent: ""))
        #expect(kernel.isComplete("prompt \\") == .incomplete(indent: ""))
    }

    @Test("an interrupt from another thread stops generate between tokens; the session stays usable")
    func interruptGenerate() {
        _ = run("load tiny\nset stop=off\nprompt \"once\"")
        let kernel = self.kernel
        let asked = Atomic<Bool>(false)
        let (outcome, outputs) = run("generate 4000") { output in
            if case .stream = output, !asked.exchange(true, ordering: .sequentiallyConsistent) {
                Thread { kernel.interrupt() }.start()
            }
        }
        guard case .failure(let error) = outcome else {
            Issue.record("generate was not interrupted: \(outcome)")
            return
        }
        #expect(error.name == "Interrupted")
        #expect(error.value.contains("interrupted"))
        #expect(!outputs.isEmpty)
        let (after, _) = run("info")
        #expect(after == .success)
    }
}
