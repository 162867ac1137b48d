import Foundation
import Testing
@testable import SmolScope

/// `step` and `generate` are the same generator with the same observer: they produce the same
/// tokens and recordings, and stepping costs no more than generating apart from formatting rows.
@Suite("step costs what generate costs")
struct StepCostTests {
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

    @Test("step 300 takes at most twice as long as generate 300 (best of 3)")
    func cost() throws {
        func best(_ command: String) throws -> Double {
            var times: [Double] = []
            for _ in 0..<3 {
                let s = try Self.session()
                let start = Date()
                try s.run(command, sink: CollectingSink())
                times.append(Date().timeIntervalSince(start))
            }
            return times.min()!
        }
        let generate = try best("generate 300"), step = try best("step 300")
        #expect(step <= 2 * generate + 0.05, "step \(step) s vs generate \(generate) s")
    }
}
