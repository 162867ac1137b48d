import Foundation
@testable import SmolScope

/// Paths of the repository's fixtures (Tests/Fixtures, see its README).
enum Paths {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let fixtures = tests + "/Fixtures"
    static let transcripts = tests + "/SmolScopeTests/Transcripts"
    static let repository = URL(fileURLWithPath: tests).deletingLastPathComponent().path

    /// A fresh temporary directory holding a `fixtures` link to Tests/Fixtures, so scripts can
    /// read fixtures and write files without touching the repository.
    static func scratchDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("smolscope-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir + "/fixtures", withDestinationPath: fixtures)
        return dir
    }
}

/// Runs command-language text in a fresh session the way `smol run` does and returns the
/// transcript: echoed statements, outputs, and errors as `FILE:LINE: error: …` lines in order.
struct Transcript {
    let text: String
    let result: ScriptRunner.Result
    let session: Session

    init(_ source: String, file: String = "test.smol", keepGoing: Bool = true, echo: Bool = true,
         session: Session? = nil, workingDirectory: String? = nil) throws {
        let session = try session ?? Session(workingDirectory: workingDirectory ?? Paths.scratchDirectory())
        let renderer = PlainTextRenderer()
        let runner = ScriptRunner(fileName: file, echo: echo, keepGoing: keepGoing)
        result = runner.run(source, in: session, sink: renderer) { failure in
            renderer.emit(.text(failure.description))
        }
        renderer.finishLine()
        text = renderer.text
        self.session = session
    }
}

/// Runs one statement and returns its plain-text output, or throws its error.
func output(_ session: Session, _ source: String) throws -> String {
    let sink = CollectingSink()
    try session.run(source, sink: sink)
    return sink.plainText
}

/// A session with the bundled tiny model loaded.
func tinySession() throws -> Session {
    let s = Session(workingDirectory: try Paths.scratchDirectory())
    try s.run("load tiny", sink: CollectingSink())
    return s
}

/// The `code` reference prompt's ids (Tests/Fixtures/reference/hf.json).
func codePromptIds() throws -> [Int] {
    let data = try Data(contentsOf: URL(fileURLWithPath: Paths.fixtures + "/reference/hf.json"))
    let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    let prompts = json["prompts"] as! [[String: Any]]
    return prompts.first { $0["name"] as? String == "code" }!["input_ids"] as! [Int]
}

/// Matches an expected transcript against actual output. In expected lines `[..]` matches any
/// run of characters within the line (timings, speeds).
enum TranscriptMatch {
    static func matches(expected: String, actual: String) -> Bool {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        guard e.count == a.count else { return false }
        return zip(e, a).allSatisfy { line($0, $1) }
    }

    static func line(_ pattern: Substring, _ text: Substring) -> Bool {
        guard pattern.contains("[..]") else { return pattern == text }
        let parts = pattern.components(separatedBy: "[..]")
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for (i, part) in parts.enumerated().dropFirst() {
            if i == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard let r = rest.range(of: part) else { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }

    /// The first differing line, for failure messages.
    static func firstDifference(expected: String, actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<end>", al = i < a.count ? String(a[i]) : "<end>"
            if i >= e.count || i >= a.count || !line(Substring(el), Substring(al)) {
                return "line \(i + 1):\n  expected: \(el)\n  actual:   \(al)"
            }
        }
        return "no difference"
    }
}
