/// Runs a script (a file, `-e` text, piped stdin, or one REPL line) statement by statement in a
/// session, echoing each statement for the transcript and reporting errors with `file:line`.
public struct ScriptRunner {
    /// An error at a place in a script: `demo.smol:3: error: unknown command 'stpe' (did you mean 'step'?)`.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let file: String?
        public let location: SourceLocation
        public let error: ScopeError

        public var description: String {
            (file.map { "\($0):\(location.line): " } ?? "") + "error: \(error)"
        }
    }

    public struct Result: Equatable {
        public var failures: [Failure] = []
        public var statementsRun = 0
        /// 0 when every statement succeeded, 1 otherwise (the `smol run` exit code).
        public var exitCode: Int32 { failures.isEmpty ? 0 : 1 }
    }

    /// Named in error messages (nil: errors carry no location, as in the interactive REPL).
    public var fileName: String?
    /// Emit each statement (`smol> step 3`) before its output.
    public var echo: Bool
    /// Continue after a failing statement (a script otherwise stops at the first error).
    public var keepGoing: Bool

    public init(fileName: String? = nil, echo: Bool = false, keepGoing: Bool = false) {
        self.fileName = fileName
        self.echo = echo
        self.keepGoing = keepGoing
    }

    /// Runs `source`; `onError` is called for each failure, in order with the outputs.
    @discardableResult
    public func run(_ source: String, in session: Session, sink: OutputSink, onError: (Failure) -> Void) -> Result {
        var result = Result()
        for item in Lexer.statements(source) {
            let failure: Failure?
            switch item {
            case .error(let e, let location):
                failure = Failure(file: fileName, location: location, error: e)
            case .statement(let statement):
                if echo { sink.emit(.echo(statement.text)) }
                result.statementsRun += 1
                do {
                    try session.run(statement, sink: sink)
                    failure = nil
                } catch {
                    failure = Failure(file: fileName, location: statement.location, error: error)
                }
            }
            if let failure {
                result.failures.append(failure)
                onError(failure)
                if !keepGoing { break }
            }
        }
        return result
    }
}
