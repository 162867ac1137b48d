/// Turns a Markdown notebook and its recorded outputs into a Jupyter notebook (nbformat 4.5):
/// prose becomes markdown cells, each ` ```smol ` cell a code cell whose outputs are what the file
/// recorded: the printed text as a `stream`, and a recorded error as an `error` output. Nothing is
/// re-run, so an export shows exactly what `smol notebook check` verified.
public enum IPYNBExporter {
    /// The kernelspec Jupyter looks for to run the notebook.
    public static let kernelspec: [String: String] = ["name": "smol", "display_name": "SmolScope", "language": "smol"]

    /// The `.ipynb` file text.
    public static func export(_ document: NotebookDocument) -> String {
        notebook(document).fileText
    }

    static func notebook(_ document: NotebookDocument) -> NotebookJSON {
        var cells: [NotebookJSON] = []
        var executed = 0
        for cell in document.cells {
            let id = "cell-\(cells.count + 1)"
            switch cell {
            case .markdown(let prose):
                cells.append(.object([
                    "cell_type": .string("markdown"), "id": .string(id), "metadata": .object([:]),
                    "source": .lines(trimmingBlankLines(prose.text)),
                ]))
            case .code(let code):
                // A cell counts as executed once it has recorded output; counts follow run order.
                var count = NotebookJSON.null
                if code.output != nil {
                    executed += 1
                    count = .int(executed)
                }
                let tags: [NotebookJSON] = code.expectsError ? [.string("raises-exception")] : []
                cells.append(.object([
                    "cell_type": .string("code"), "id": .string(id), "execution_count": count,
                    "metadata": .object(tags.isEmpty ? [:] : ["tags": .array(tags)]),
                    "source": .lines(code.source),
                    "outputs": .array(outputs(code, file: document.name)),
                ]))
            }
        }
        return .object([
            "cells": .array(cells),
            "metadata": .object([
                "kernelspec": .object(kernelspec.mapValues(NotebookJSON.string)),
                "language_info": .object([
                    "name": .string("smol"), "file_extension": .string(".smol"), "mimetype": .string("text/x-smol"),
                ]),
                "smolscope": .object(["source": .string(document.name)]),
            ]),
            "nbformat": .int(4),
            "nbformat_minor": .int(5),
        ])
    }

    /// The recorded text as a stdout stream; a final `FILE:LINE: error: MESSAGE` line (what the
    /// runner records when a cell fails) as an `error` output, as the kernel would report it.
    static func outputs(_ cell: CodeCell, file: String) -> [NotebookJSON] {
        guard let recorded = cell.output, !recorded.text.isEmpty else { return [] }
        var lines = recorded.text.lines
        var error: NotebookJSON?
        if let last = lines.last, let message = errorMessage(last, file: file) {
            lines.removeLast()
            error = .object([
                "output_type": .string("error"), "ename": .string("SmolScopeError"), "evalue": .string(message),
                "traceback": .array([.string(last)]),
            ])
        }
        var outputs: [NotebookJSON] = []
        if !lines.isEmpty {
            outputs.append(.object([
                "output_type": .string("stream"), "name": .string("stdout"),
                "text": .lines(lines.joined(separator: "\n") + "\n"),
            ]))
        }
        if let error { outputs.append(error) }
        return outputs
    }

    /// `MESSAGE` from `FILE:LINE: error: MESSAGE` naming this notebook, else nil.
    static func errorMessage(_ line: String, file: String) -> String? {
        guard line.hasPrefix(file + ":") else { return nil }
        let rest = line.dropFirst(file.count + 1)
        guard let colon = rest.firstIndex(of: ":"), !rest[..<colon].isEmpty, rest[..<colon].allSatisfy(\.isNumber) else { return nil }
        let after = rest[colon...]
        guard after.hasPrefix(": error: ") else { return nil }
        return String(after.dropFirst(": error: ".count))
    }

    /// `text` without blank lines at its start and end (the spacing around fenced blocks).
    static func trimmingBlankLines(_ text: String) -> String {
        var lines = text.lines
        while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
