import Testing
@testable import SmolScope

/// What the session's observer keeps: per position, as asked by `set record=`, within `record_limit`.
@Suite("Recording")
struct RecordingTests {
    func ids(_ n: Int) -> String { "ids=" + (0..<n).map { String(($0 * 37) % 1000) }.joined(separator: ",") }

    @Test("record=off keeps nothing, and inspection says how to turn it on")
    func off() throws {
        let s = try tinySession()
        try s.run("set record=off; prompt \(ids(5))", sink: CollectingSink())
        #expect(throws: ScopeError.self) { try s.run("attn 0", sink: CollectingSink()) }
        #expect(s.current?.recorder.bytes == 0)
        do {
            try s.run("hidden 0", sink: CollectingSink())
        } catch {
            #expect(error.description.contains("'set record=attn,hidden'"))
        }
    }

    @Test("rewinding forgets the recorded rows of dropped positions and records the re-run one")
    func rewind() throws {
        let s = try tinySession()
        try s.run("prompt \(ids(6)); step 3; rewind 4", sink: CollectingSink())
        let m = try #require(s.current)
        #expect(m.tokens.count == 5)
        #expect(m.recorder.attentionRow(layer: 0, position: 4) != nil)
        #expect(m.recorder.attentionRow(layer: 0, position: 5) == nil)
        #expect(try output(s, "attn 0").contains("from position 4"))
    }

    @Test("a prompt whose attention would pass half the record limit records hidden states only")
    func longPrompt() throws {
        let s = try tinySession()
        try s.run("set record_limit=1; prompt \(ids(300))", sink: CollectingSink())
        let m = try #require(s.current)
        #expect(m.recorder.attentionRow(layer: 0, position: 299) == nil)
        #expect(m.recorder.hiddenRow(stage: 1, position: 299) != nil)
        #expect(m.recorder.bytes <= 1 << 20)
        try s.run("step", sink: CollectingSink())
        #expect(m.recorder.attentionRow(layer: 0, position: 300) != nil, "single steps are recorded again")
    }
}
