import Testing
@testable import SmolScope

/// `step` and `generate` are the same generator with the same observer: they produce the same
/// tokens and recordings. What stepping costs over generating is a speed goal, measured by
/// `Benchmarks/step-cost.smol` on the 3B shapes rather than timed here.
@Suite("step runs what generate runs")
struct StepMatchesGenerateTests {
    static func session() throws -> Session {
        let s = try tinySession()
        try s.run("set stop=off; prompt ids=456,283,437", sink: CollectingSink())
        return s
    }

    @Test("greedy step N and generate N give the same tokens and the same recorded attention")
    func samePath() throws {
        let a = try Self.session(), b = try Self.session()
        try a.run("step 40", sink: CollectingSink())
        try b.run("generate 40", sink: CollectingSink())
        let ma = try #require(a.current), mb = try #require(b.current)
        #expect(ma.tokens == mb.tokens)
        for p in [3, 20, 42] {
            #expect(ma.recorder.attentionRow(layer: 3, position: p) == mb.recorder.attentionRow(layer: 3, position: p))
            #expect(ma.recorder.hiddenRow(stage: 8, position: p) == mb.recorder.hiddenRow(stage: 8, position: p))
        }
    }
}
