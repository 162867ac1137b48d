/// What a command produces. Commands never print: they emit `Output` values to an ``OutputSink``,
/// and a front end renders them — the terminal as plain text (``PlainTextRenderer``), the Jupyter
/// kernel as HTML tables and PNG pictures from the same numbers.
public enum Output: Sendable, Equatable {
    /// A block of text; rendered on its own line(s).
    case text(String)
    /// A fragment of streamed text (generation), rendered as it comes with no line break added.
    case stream(String)
    case table(Table)
    case heatmap(Heatmap)
    case histogram(Histogram)
    case chart(BarChart)
    /// Progress of a long operation (a download), `fraction` in 0...1. Front ends may show or drop it.
    case progress(label: String, fraction: Double)
    /// The statement a script runner is about to run, for transcripts.
    case echo(String)
}

extension Output {
    /// The deterministic plain-text form used by the terminal, transcripts and notebooks; nil for
    /// `.progress`, which has no place in a transcript.
    public var plainText: String? {
        switch self {
        case .text(let s), .stream(let s): s
        case .table(let t): t.plainText
        case .heatmap(let h): h.plainText
        case .histogram(let h): h.plainText
        case .chart(let c): c.plainText
        case .progress: nil
        case .echo(let s): PlainTextRenderer.prompt + s
        }
    }
}

/// Receives the outputs of commands as they are produced (so generation can stream).
public protocol OutputSink: AnyObject {
    func emit(_ output: Output)
}

/// Keeps every output, for tests, notebooks and the kernel.
public final class CollectingSink: OutputSink {
    public private(set) var outputs: [Output] = []
    public init() {}
    public func emit(_ output: Output) { outputs.append(output) }

    /// Everything rendered as plain text, as a terminal would show it.
    public var plainText: String {
        let renderer = PlainTextRenderer()
        for o in outputs { renderer.emit(o) }
        return renderer.text
    }
}

/// Renders outputs as deterministic plain text: blocks end with a newline; streamed fragments are
/// joined and closed with a newline before the next block.
public final class PlainTextRenderer: OutputSink {
    /// The REPL prompt, also used to echo statements in transcripts.
    public static let prompt = "smol> "

    private let write: (String) -> Void
    private var buffer = ""
    private var midLine = false

    /// Renders into ``text``.
    public init() {
        write = { _ in }
        collecting = true
    }

    /// Renders through `write` (e.g. to stdout), flushing as it goes.
    public init(write: @escaping (String) -> Void) {
        self.write = write
        collecting = false
    }

    private let collecting: Bool

    /// What has been rendered (only for the collecting renderer).
    public var text: String { buffer }

    public func emit(_ output: Output) {
        guard let body = output.plainText else { return }
        if case .stream = output {
            guard !body.isEmpty else { return }
            put(body)
            midLine = !body.hasSuffix("\n")
            return
        }
        if midLine { put("\n") }
        put(body.hasSuffix("\n") ? body : body + "\n")
        midLine = false
    }

    /// Ends a pending streamed line (call when a command finishes).
    public func finishLine() {
        if midLine { put("\n") }
        midLine = false
    }

    private func put(_ s: String) {
        if collecting { buffer += s } else { write(s) }
    }
}
