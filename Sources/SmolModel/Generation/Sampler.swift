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

    /// The distribution the draw is made from: temperature-scaled softmax restricted by top-k/top-p,
    /// best first. Greedy settings give all mass to the argmax.
    public func distribution(_ logits: [Float]) -> [(id: Int, probability: Float)] {
        guard !logits.isEmpty else { return [] }
        if settings.isGreedy { return [(Self.argmax(logits), 1)] }
        var candidates = Candidates(logits, settings)
        var out: [(id: Int, probability: Float)] = []
        while let c = candidates.next() { out.append(c) }
        return out
    }

    /// Draws the next token: the first candidate, best first, whose cumulative probability passes a
    /// uniform draw (none is drawn when only one candidate is left).
    public mutating func sample(_ logits: [Float], history: [Int]) -> Int {
        let logits = penalized(logits, history: history)
        guard !logits.isEmpty else { return 0 }
        if settings.isGreedy { return Self.argmax(logits) }
        var candidates = Candidates(logits, settings)
        if candidates.isSingle { return candidates.next()!.id }
        let u = Float(Double(rng.next() >> 11) / Double(1 << 53))
        var cumulative: Float = 0, last = 0
        while let c = candidates.next() {
            cumulative += c.probability
            last = c.id
            if u < cumulative { break }
        }
        return last
    }

    /// Highest logit, the lowest id among ties.
    static func argmax(_ logits: [Float]) -> Int {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best
    }
}

/// The candidates of one draw with their probabilities, best first. The softmax total is summed
/// over every candidate in id order; the ranking is only sorted as far as it is read (`Ranking`),
/// so a draw costs one pass over the vocabulary plus a sort of the few tokens it reaches, where
/// sorting the whole vocabulary took longer than a small model's forward pass.
struct Candidates {
    private var ranking: Ranking
    private let logits: [Float]
    private let temperature: Float
    private let best: Double
    private let total: Double
    /// Top-k or top-p cut: the whole list, its probabilities final. Nil: every token, read lazily.
    private var list: [(id: Int, probability: Float)]?
    private var position = 0

    init(_ logits: [Float], _ settings: SamplingSettings) {
        self.logits = logits
        temperature = settings.temperature
        ranking = Ranking(logits, temperature: temperature)
        best = ranking.best
        var topK: [Int]?
        if settings.topK > 0 {
            var ids: [Int] = []
            while ids.count < settings.topK, let id = ranking.next() { ids.append(id) }
            topK = ids
        }
        var sum = 0.0
        if let ids = topK {
            for id in ids.sorted() { sum += Self.weight(logits[id], temperature, best) }
        } else {
            for l in logits { sum += Self.weight(l, temperature, best) }
        }
        total = sum
        if settings.topP < 1 {
            // The smallest prefix reaching p, renormalized.
            var kept: [(id: Int, probability: Double)] = [], cumulative = 0.0
            while cumulative < Double(settings.topP) {
                let next: Int?
                if let ids = topK { next = kept.count < ids.count ? ids[kept.count] : nil } else { next = ranking.next() }
                guard let id = next else { break }
                let p = Self.weight(logits[id], temperature, best) / total
                kept.append((id, p))
                cumulative += p
            }
            let s = kept.reduce(0) { $0 + $1.probability }
            list = kept.map { ($0.id, Float($0.probability / s)) }
        } else if let ids = topK {
            list = ids.map { ($0, Float(Self.weight(logits[$0], temperature, best) / total)) }
        }
    }

    /// exp(scaled logit − best scaled logit): the softmax's unnormalized term.
    private static func weight(_ logit: Float, _ temperature: Float, _ best: Double) -> Double {
        exp(Double(logit / temperature) - best)
    }

    /// Exactly one candidate: the draw is decided without a random number.
    var isSingle: Bool { list.map { $0.count == 1 } ?? (logits.count == 1) }

    mutating func next() -> (id: Int, probability: Float)? {
        if let list {
            guard position < list.count else { return nil }
            position += 1
            return list[position - 1]
        }
        return ranking.next().map { ($0, Float(Self.weight(logits[$0], temperature, best) / total)) }
    }
}

/// Token ids by logit, best first, ties by lower id, sorted one band of scaled logits at a time:
/// `bandWidth` wide from the best down, then everything left once the band passes `floor` below it.
/// Reading the first few candidates sorts only the top band.
struct Ranking {
    static let bandWidth = 4.0, floor = 64.0
    private let logits: [Float]
    private let temperature: Float
    /// The highest scaled logit, `Double(logit / temperature)`.
    let best: Double
    /// The sorted bands so far hold every token with a scaled logit ≥ this.
    private var upper = Double.infinity
    private var band: [Int] = []
    private var position = 0

    init(_ logits: [Float], temperature: Float) {
        self.logits = logits
        self.temperature = temperature
        best = logits.isEmpty ? 0 : Double(logits[Sampler.argmax(logits)] / temperature)
    }

    mutating func next() -> Int? {
        while position == band.count {
            guard upper > -.infinity else { return nil }
            var lower = (upper == .infinity ? best : upper) - Self.bandWidth
            // The last band takes what is left, non-finite logits included (they fail every `>=`).
            if !best.isFinite || lower < best - Self.floor { lower = -.infinity }
            let upper = upper, t = temperature
            band = logits.indices.filter { i in
                let s = Double(logits[i] / t)
                return !(upper != .infinity && s >= upper) && (lower == -.infinity || s >= lower)
            }
            band.sort { logits[$0] > logits[$1] || (logits[$0] == logits[$1] && $0 < $1) }
            self.upper = lower
            position = 0
        }
        position += 1
        return band[position - 1]
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
