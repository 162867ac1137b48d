import Foundation
@testable import SmolModel
import Testing

/// The sampler as transformers' processors define it (repetition penalty, temperature, top-k,
/// top-p, a draw best first), and the lazily sorted ranking it reads candidates from.
@Suite("Sampling")
struct SamplerTests {
    /// Logits spread far past the ranking's bands, with ties and a masked (−∞) token.
    static func spreadLogits(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        var logits = (0..<count).map { _ in Float(Double(rng.next() % 100_000) / 1000 - 80) }
        logits[count / 2] = logits[1]
        logits[count / 3] = logits[1]
        logits[count - 1] = -.infinity
        return logits
    }

    /// Every token by logit, best first, ties by lower id: the whole sort the ranking avoids.
    static func fullRanking(_ logits: [Float]) -> [Int] {
        logits.indices.sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
    }

    /// The draw written out plainly: sort everything, cut, normalize, walk best first.
    static func referenceCandidates(_ logits: [Float], _ s: SamplingSettings) -> [(id: Int, probability: Float)] {
        var order = fullRanking(logits)
        if s.topK > 0 { order = Array(order.prefix(s.topK)) }
        let best = Double(logits[order[0]] / s.temperature)
        let weights = order.map { exp(Double(logits[$0] / s.temperature) - best) }
        let total = zip(order, weights).sorted { $0.0 < $1.0 }.reduce(0.0) { $0 + $1.1 }
        var probs = weights.map { $0 / total }
        if s.topP < 1 {
            var cumulative = 0.0, keep = 0
            while keep < probs.count && cumulative < Double(s.topP) {
                cumulative += probs[keep]
                keep += 1
            }
            order = Array(order.prefix(keep))
            let kept = probs.prefix(keep).reduce(0, +)
            probs = probs.prefix(keep).map { $0 / kept }
        }
        return zip(order, probs).map { ($0, Float($1)) }
    }

    static func referenceSample(_ logits: [Float], _ s: SamplingSettings, rng: inout SeededGenerator) -> Int {
        let candidates = referenceCandidates(logits, s)
        if candidates.count == 1 { return candidates[0].id }
        let u = Float(Double(rng.next() >> 11) / Double(1 << 53))
        var cumulative: Float = 0
        for c in candidates {
            cumulative += c.probability
            if u < cumulative { return c.id }
        }
        return candidates[candidates.count - 1].id
    }

    static let settings: [SamplingSettings] = [
        SamplingSettings(temperature: 1, seed: 7),
        SamplingSettings(temperature: 30, seed: 8),
        SamplingSettings(temperature: 0.6, topP: 0.95, seed: 9),
        SamplingSettings(temperature: 25, topP: 0.999, seed: 10),
        SamplingSettings(temperature: 0.8, topK: 40, seed: 11),
        SamplingSettings(temperature: 40, topK: 5000, topP: 0.5, seed: 12),
    ]

    @Test("the ranking lists every token once, best first, ties by lower id")
    func rankingIsTheFullSort() {
        for temperature: Float in [0.05, 1, 50] {
            let logits = Self.spreadLogits(3000, seed: 1)
            var ranking = Ranking(logits, temperature: temperature)
            var read: [Int] = []
            while let id = ranking.next() { read.append(id) }
            #expect(read == Self.fullRanking(logits), "temperature \(temperature)")
        }
    }

    @Test("tokens exactly on a band's edge are listed once")
    func bandEdges() {
        let edge = Ranking.bandWidth
        let logits = (0..<40).map { Float(10 - edge * Double($0 % 20)) }
        var ranking = Ranking(logits, temperature: 1)
        var read: [Int] = []
        while let id = ranking.next() { read.append(id) }
        #expect(read == Self.fullRanking(logits))
    }

    @Test("an infinite logit ranks first and the ranking still covers the vocabulary")
    func infiniteLogit() {
        var logits = Self.spreadLogits(500, seed: 2)
        logits[123] = .infinity
        var ranking = Ranking(logits, temperature: 1)
        var read: [Int] = []
        while let id = ranking.next() { read.append(id) }
        #expect(read == Self.fullRanking(logits))
    }

    @Test("the distribution is the plainly written one, best first", arguments: settings)
    func distributionMatchesReference(settings: SamplingSettings) {
        let logits = Self.spreadLogits(4000, seed: settings.seed)
        let got = Sampler(settings).distribution(logits), want = Self.referenceCandidates(logits, settings)
        #expect(got.map(\.id) == want.map(\.id))
        #expect(got.map(\.probability.bitPattern) == want.map(\.probability.bitPattern))
    }

    @Test("a seeded draw picks what the plainly written sampler picks, token for token", arguments: settings)
    func drawsMatchReference(settings: SamplingSettings) {
        var sampler = Sampler(settings)
        var rng = SeededGenerator(seed: settings.seed)
        for step in 0..<40 {
            let logits = Self.spreadLogits(2000, seed: 100 + UInt64(step))
            #expect(sampler.sample(logits, history: []) == Self.referenceSample(logits, settings, rng: &rng), "step \(step)")
        }
    }

    @Test("top-k keeps exactly the k most likely tokens")
    func topK() {
        let logits = Self.spreadLogits(1000, seed: 3)
        let got = Sampler(SamplingSettings(temperature: 1, topK: 7)).distribution(logits)
        #expect(got.map(\.id) == Array(Self.fullRanking(logits).prefix(7)))
        #expect(abs(got.reduce(0) { $0 + $1.probability } - 1) < 1e-5)
    }

    @Test("top-p keeps the smallest best-first prefix whose mass reaches p")
    func topP() {
        let logits: [Float] = [2, 1, 0, 3]  // softmax ≈ 0.644, 0.237, 0.087, 0.032 for ids 3, 0, 1, 2
        #expect(Sampler(SamplingSettings(temperature: 1, topP: 0.6)).distribution(logits).map(\.id) == [3])
        #expect(Sampler(SamplingSettings(temperature: 1, topP: 0.85)).distribution(logits).map(\.id) == [3, 0])
        #expect(Sampler(SamplingSettings(temperature: 1, topP: 0.9)).distribution(logits).map(\.id) == [3, 0, 1])
        #expect(Sampler(SamplingSettings(temperature: 1, topP: 0.97)).distribution(logits).map(\.id) == [3, 0, 1, 2])
    }

    @Test("draws follow the softmax at the temperature")
    func frequencies() {
        let logits: [Float] = [1, 2, 0.5, 1.5]
        var sampler = Sampler(SamplingSettings(temperature: 0.7, seed: 42))
        var counts = [0, 0, 0, 0]
        let draws = 20_000
        for _ in 0..<draws { counts[sampler.sample(logits, history: [])] += 1 }
        let weights = logits.map { exp(Double($0) / 0.7) }
        for (id, count) in counts.enumerated() {
            #expect(abs(Double(count) / Double(draws) - weights[id] / weights.reduce(0, +)) < 0.015, "token \(id)")
        }
    }

    @Test("greedy takes the highest logit, the lowest id among ties, and draws no random number")
    func greedy() {
        let logits: [Float] = [0, 5, 1, 5, -2]
        var sampler = Sampler(SamplingSettings(temperature: 0, seed: 5))
        #expect(sampler.sample(logits, history: []) == 1)
        sampler.settings.temperature = 1
        var fresh = Sampler(SamplingSettings(temperature: 1, seed: 5))
        let wide = Self.spreadLogits(200, seed: 6)
        #expect(sampler.sample(wide, history: []) == fresh.sample(wide, history: []))
    }

    @Test("a lone candidate (top-k 1) is taken without drawing a random number")
    func loneCandidate() {
        var sampler = Sampler(SamplingSettings(temperature: 1, topK: 1, seed: 9))
        let flat = Self.spreadLogits(200, seed: 8).map { $0 / 30 }
        #expect(sampler.sample(flat, history: []) == Self.fullRanking(flat)[0])
        sampler.settings.topK = 0
        var fresh = Sampler(SamplingSettings(temperature: 1, seed: 9))
        #expect(sampler.sample(flat, history: []) == fresh.sample(flat, history: []))
    }

    @Test("a seed reproduces a run; another seed gives another")
    func seeds() {
        func run(_ seed: UInt64) -> [Int] {
            var sampler = Sampler(SamplingSettings(temperature: 1, seed: seed))
            return (0..<50).map { sampler.sample(Self.spreadLogits(300, seed: 1_000 + UInt64($0)).map { $0 / 20 }, history: []) }
        }
        #expect(run(3) == run(3))
        #expect(run(3) != run(4))
    }

    @Test("the repetition penalty divides positive and multiplies negative logits of seen tokens")
    func repetitionPenalty() {
        let sampler = Sampler(SamplingSettings(repetitionPenalty: 2))
        #expect(sampler.penalized([4, -4, 4, -4], history: [0, 1, 1]) == [2, -8, 4, -4])
    }
}
