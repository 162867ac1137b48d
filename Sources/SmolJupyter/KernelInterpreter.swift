/// What a language must provide to be served as a Jupyter kernel: the interpreter side of the
/// xeus/evcxr split. It knows nothing about sockets, signing or message ids; `Kernel` turns its
/// answers into protocol messages. `SessionKernel` adapts a SmolScope `Session`; tests use doubles.
///
/// Threading: `execute`, `complete`, `inspect` and `isComplete` are called one at a time (the kernel
/// serialises them); `interrupt` is called from another thread while `execute` runs, and must only
/// set a flag that the running command checks.
public protocol KernelInterpreter: AnyObject, Sendable {
    /// Static facts for `kernel_info_reply`.
    var info: KernelInfo { get }

    /// Runs one cell. Output produced along the way goes to `output` as it happens (so a long
    /// `generate` streams); the return value says whether the cell succeeded.
    func execute(_ code: String, output: CellSink) -> ExecutionOutcome

    /// Completion candidates for the word at `cursor`, and the range of `code` they replace.
    func complete(_ code: String, cursor: String.Index) -> Completion

    /// Help for the word at `cursor` (Shift-Tab in JupyterLab), or nil when there is none.
    func inspect(_ code: String, cursor: String.Index, detailLevel: Int) -> DisplayBundle?

    /// Whether `code` is a complete cell (the console asks before running what was typed).
    func isComplete(_ code: String) -> CodeCompleteness

    /// Asks the running `execute` to stop at its next check (between generated tokens).
    func interrupt()
}

/// The language description in `kernel_info_reply`.
public struct KernelInfo: Sendable, Equatable {
    public var implementation: String
    public var implementationVersion: String
    public var languageName: String
    public var languageVersion: String
    public var mimeType: String
    public var fileExtension: String
    public var banner: String

    public init(implementation: String, implementationVersion: String, languageName: String,
                languageVersion: String, mimeType: String, fileExtension: String, banner: String) {
        self.implementation = implementation
        self.implementationVersion = implementationVersion
        self.languageName = languageName
        self.languageVersion = languageVersion
        self.mimeType = mimeType
        self.fileExtension = fileExtension
        self.banner = banner
    }
}

/// One piece of a cell's output.
public enum CellOutput: Sendable, Equatable {
    /// Text for the cell's stdout or stderr stream.
    case stream(StreamName, String)
    /// A value to display: a table, a chart, with a text form.
    case display(DisplayBundle)
}

public enum StreamName: String, Sendable {
    case stdout, stderr
}

/// Where an executing cell sends its output; called on the executing thread.
public struct CellSink: Sendable {
    private let emit: @Sendable (CellOutput) -> Void

    public init(_ emit: @escaping @Sendable (CellOutput) -> Void) { self.emit = emit }

    public func callAsFunction(_ output: CellOutput) { emit(output) }
}

/// How a cell ended.
public enum ExecutionOutcome: Sendable, Equatable {
    case success
    case failure(ExecutionError)
}

/// A failed cell, as Jupyter shows it: an error name, a message and traceback lines.
public struct ExecutionError: Error, Sendable, Equatable {
    public var name: String
    public var value: String
    public var traceback: [String]

    public init(name: String, value: String, traceback: [String]? = nil) {
        self.name = name
        self.value = value
        self.traceback = traceback ?? ["\(name): \(value)"]
    }
}

/// Completion candidates and the code range they replace.
public struct Completion: Sendable, Equatable {
    public var matches: [String]
    public var range: Range<String.Index>

    public init(matches: [String], range: Range<String.Index>) {
        self.matches = matches
        self.range = range
    }
}

/// The answer to `is_complete_request`.
public enum CodeCompleteness: Sendable, Equatable {
    case complete
    /// More lines are needed; `indent` is what the console should pre-type on the next line.
    case incomplete(indent: String)
    case invalid
    case unknown
}
