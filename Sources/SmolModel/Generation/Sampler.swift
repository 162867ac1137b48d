import Foundation

/// How the next token is chosen from logits. Temperature 0 means greedy (argmax).
public struct SamplingSettings: Sendable, Equatable {
    public var temperature: Float = 0
    /// Keep only the k most likely tokens (0 = all).
    public var topK: Int = 0
    /// Keep the smallest set of tokens whose probability reaches p (1 = all).
    public var topP: Float = 1
    /// Divides positive (multiplies negative) logits of tokens already in the sequence (1 = off).
    public var repetitionPenalty: Float = 1
    public var seed: UInt64 = 0

    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, repetitionPenalty: Float = 1, seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.repetitionPenalty = repetitionPenalty
        self.seed = seed
    }

    public var isGreedy: Bool { temperature <= 0 }
}

/// Chooses tokens as transformers' logits processors do (repetition penalty, temperature, top-k,
/// top-p, then a draw), with a seeded generator so a seed reproduces a run exactly.
public struct Sampler: Sendable {
    public var settings: SamplingSettings {
        didSet { if settings.seed != oldValue.seed { rng = SeededGenerator(seed: settings.seed) } }
    }
    private var rng: SeededGenerator

    public init(_ settings: SamplingSettings = SamplingSettings()) {
        self.settings = settings
        rng = SeededGenerator(seed: settings.seed)
    }

    /// Logits after the repetition penalty for a sequence holding `history`.
    public func penalized(_ logits: [Float], history: [Int]) -> [Float] {
        guard settings.repetitionPenalty != 1 else { return logits }
        var out = logits
        for id in Set(history) where id >= 0 && id < out.count {
            out[id] = out[id] > 0 ? out[id] / settings.repetitionPenalty : out[id] * settings.repetitionPenalty
        }
        return out
    }

    /// The distribution the draw is made from: temperature-scaled softmax restricted by top-k/top-p.
    /// Greedy settings give all mass to the argmax.
    public func distribution(_ logits: [Float]) -> [(id: Int, probability: Float)] {
        guard !logits.isEmpty else { return [] }
        if settings.isGreedy {
            let best = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
            return [(best, 1)]
        }
        var order = Array(logits.indices).sorted { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
        if settings.topK > 0 { order = Array(order.prefix(settings.topK)) }
        let scaled = order.map { Double(logits[$0] / settings.temperature) }
        let m = scaled[0]
        var probs = scaled.map { exp($0 - m) }
        let total = probs.reduce(0, +)
        probs = probs.map { $0 / total }
        if settings.topP < 1 {
            var cumulative = 0.0, keep = 0
            for p in probs {
                keep += 1
                cumulative += p
                if cumulative >= Double(settings.topP) { break }
            }
            order = Array(order.prefix(keep))
            probs = Array(probs.prefix(keep))
            let s = probs.reduce(0, +)
            probs = probs.map { $0 / s }
        }
        return zip(order, probs).map { ($0, Float($1)) }
    }

    /// Draws the next token.
    public mutating func sample(_ logits: [Float], history: [Int]) -> Int {
        let candidates = distribution(penalized(logits, history: history))
        if candidates.count == 1 { return candidates[0].id }
        let u = Float(Double(rng.next() >> 11) / Double(1 << 53))
        var cumulative: Float = 0
        for c in candidates {
            cumulative += c.probability
            if u < cumulative { return c.id }
        }
        return candidates[candidates.count - 1].id
    }
}

/// xoshiro256** seeded through splitmix64: small, fast, and the same on every platform.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix(), splitmix(), splitmix(), splitmix())
    }

    public mutating func next() -> UInt64 {
        let result = ((s.1 &* 5) << 7 | (s.1 &* 5) >> 57) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = s.3 << 45 | s.3 >> 19
        return result
    }
}
