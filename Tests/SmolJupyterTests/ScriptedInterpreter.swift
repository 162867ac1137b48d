import Foundation
@testable import SmolJupyter

/// A test double for `KernelInterpreter` with a tiny language, so the protocol can be specified
/// without a model:
/// - `say TEXT` streams TEXT on stdout; `warn TEXT` on stderr
/// - `show TEXT` displays a value (text/plain + text/html)
/// - `fail TEXT` fails with ename `ScriptError`
/// - `wait` blocks until interrupted (then fails with `Interrupted`), or 20 s pass
/// Lines run in order; the first failure stops the cell.
final class ScriptedInterpreter: KernelInterpreter, @unchecked Sendable {
    static let commands = ["say", "warn", "show", "fail", "wait"]
    private let interrupted = NSCondition()
    private var interruptRequested = false
    /// Signalled when `wait` blocks, so tests know when to interrupt.
    private let waiting = DispatchSemaphore(value: 0)

    /// Blocks until a cell is inside `wait`; false after 10 s (a test failure, not a hang).
    func waitUntilBlocked() -> Bool {
        waiting.wait(timeout: .now() + 10) == .success
    }

    var info: KernelInfo {
        KernelInfo(implementation: "scripted", implementationVersion: "1.0", languageName: "script",
                   languageVersion: "1", mimeType: "text/x-script", fileExtension: ".script", banner: "Scripted test kernel")
    }

    func execute(_ code: String, output: CellSink) -> ExecutionOutcome {
        interrupted.lock()
        interruptRequested = false
        interrupted.unlock()
        for line in code.split(separator: "\n") {
            let (word, rest) = Self.split(line)
            switch word {
            case "say": output(.stream(.stdout, rest + "\n"))
            case "warn": output(.stream(.stderr, rest + "\n"))
            case "show": output(.display(DisplayBundle(plain: rest, html: "<b>\(rest)</b>")))
            case "fail": return .failure(ExecutionError(name: "ScriptError", value: rest))
            case "wait":
                waiting.signal()
                interrupted.lock()
                let deadline = Date().addingTimeInterval(20)
                while !interruptRequested && interrupted.wait(until: deadline) {}
                let wasInterrupted = interruptRequested
                interrupted.unlock()
                if wasInterrupted { return .failure(ExecutionError(name: "Interrupted", value: "stopped")) }
            default: return .failure(ExecutionError(name: "UnknownCommand", value: word))
            }
        }
        return .success
    }

    func complete(_ code: String, cursor: String.Index) -> Completion {
        let start = code[..<cursor].lastIndex(of: " ").map { code.index(after: $0) } ?? code.startIndex
        let prefix = code[start..<cursor]
        return Completion(matches: Self.commands.filter { $0.hasPrefix(prefix) }, range: start..<cursor)
    }

    func inspect(_ code: String, cursor: String.Index, detailLevel: Int) -> DisplayBundle? {
        let word = Self.split(code[...]).word
        return Self.commands.contains(word) ? DisplayBundle(plain: "help for \(word)") : nil
    }

    func isComplete(_ code: String) -> CodeCompleteness {
        code.hasSuffix("\\") ? .incomplete(indent: "  ") : .complete
    }

    func interrupt() {
        interrupted.lock()
        interruptRequested = true
        interrupted.broadcast()
        interrupted.unlock()
    }

    private static func split(_ line: Substring) -> (word: String, rest: String) {
        let parts = line.split(separator: " ", maxSplits: 1)
        return (parts.first.map(String.init) ?? "", parts.count > 1 ? String(parts[1]) : "")
    }
}
