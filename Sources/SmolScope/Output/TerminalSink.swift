import Foundation

/// Renders outputs on the terminal: plain text to stdout (flushed as it streams), progress bars
/// to stderr only when stderr is a terminal, so a piped transcript stays clean.
public final class TerminalSink: OutputSink {
    private let renderer: PlainTextRenderer
    private let progressOnTTY: Bool
    private var progressShown = false

    public init() {
        renderer = PlainTextRenderer { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        progressOnTTY = isatty(2) != 0
    }

    public func emit(_ output: Output) {
        if case .progress(let label, let fraction) = output {
            guard progressOnTTY else { return }
            let width = 30, filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded())
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(Int(fraction * 100))%".utf8))
            progressShown = fraction < 1
            if fraction >= 1 { FileHandle.standardError.write(Data("\n".utf8)) }
            return
        }
        if progressShown {
            FileHandle.standardError.write(Data("\n".utf8))
            progressShown = false
        }
        renderer.emit(output)
    }

    /// Ends a streamed line, so the next prompt starts at column 0.
    public func finishLine() { renderer.finishLine() }

    /// Writes an error line to stderr (after ending any streamed line on stdout).
    public func error(_ message: String) {
        renderer.finishLine()
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
