import Foundation
import Testing
@testable import SmolScope

/// Golden transcripts: every `Transcripts/NAME.smol` runs in a fresh session (working directory: a
/// scratch folder with `fixtures/` → Tests/Fixtures) and must print exactly `NAME.out`.
/// `[..]` in an expected line matches anything (timings). To accept new output after a deliberate
/// change: `SMOLSCOPE_UPDATE_TRANSCRIPTS=1 swift test --filter TranscriptTests`, then review the diff.
@Suite("Golden transcripts")
struct TranscriptTests {
    static var scripts: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Paths.transcripts)) ?? [])
            .filter { $0.hasSuffix(".smol") }.sorted()
    }

    @Test("the transcript matches", arguments: scripts)
    func transcript(_ script: String) throws {
        let path = Paths.transcripts + "/" + script
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let run = try Transcript(source, file: script)
        let expectedPath = String(path.dropLast(".smol".count)) + ".out"
        if ProcessInfo.processInfo.environment["SMOLSCOPE_UPDATE_TRANSCRIPTS"] != nil,
           !((try? String(contentsOfFile: expectedPath, encoding: .utf8)).map { TranscriptMatch.matches(expected: $0, actual: run.text) } ?? false) {
            try run.text.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(TranscriptMatch.matches(expected: expected, actual: run.text),
                "\(script): \(TranscriptMatch.firstDifference(expected: expected, actual: run.text))")
    }
}
