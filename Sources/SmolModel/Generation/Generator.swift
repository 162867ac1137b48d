/// One candidate for the next token.
public struct TokenCandidate: Sendable, Equatable {
    public let id: Int
    public let logit: Float
    /// Softmax probability at temperature 1 (what the model believes, before sampling filters).
    public let probability: Float
}

/// What one generation step did.
public struct Step: Sendable {
    public let token: Int
    /// Position the token was placed at.
    public let position: Int
    public let probability: Float
    public let logit: Float
    /// The most likely tokens at this step, best first.
    public let top: [TokenCandidate]
    /// True when the token was chosen by hand (`force`).
    public let forced: Bool
}

/// A sequence being generated: the model, its KV cache, the tokens so far and the logits for the
/// next position. Plain generation, the REPL's `step`, `force` and `rewind` all go through it, so
/// what you inspect is exactly what runs.
public final class Generator {
    public private(set) var model: Model
    public let cache: KVCache
    public private(set) var tokens: [Int] = []
    /// Logits predicting the token at position `tokens.count` (nil before any input).
    public private(set) var nextLogits: [Float]?
    public var sampler: Sampler
    public var observer: ForwardObserver?
    /// How many candidates each `Step` reports.
    public var topCount = 5

    public init(model: Model, sampling: SamplingSettings = SamplingSettings(), capacity: Int? = nil) {
        self.model = model
        cache = model.makeCache(capacity: capacity)
        sampler = Sampler(sampling)
    }

    /// Replaces the model (e.g. after flipping a layer's RoPE); the cache is kept.
    public func update(model: Model) {
        precondition(model.config.layerCount == self.model.config.layerCount)
        self.model = model
    }

    /// Appends `ids` to the sequence in one batched pass.
    public func feed(_ ids: [Int]) throws(InferenceError) {
        let logits = try model.forward(ids, cache: cache, observer: observer)
        tokens += ids
        nextLogits = logits
    }

    /// Chooses the next token (or takes `forced`), appends it, and computes the logits after it.
    @discardableResult
    public func step(forcing forced: Int? = nil) throws(InferenceError) -> Step {
        guard let logits = nextLogits else { throw .emptyInput }
        let token = forced ?? sampler.sample(logits, history: tokens)
        if token < 0 || token >= model.config.vocabSize { throw .tokenOutOfRange(id: token, vocabSize: model.config.vocabSize) }
        let logZ = Self.logSumExp(logits)
        let top = Self.topCandidates(logits, count: max(topCount, 1), logZ: logZ)
        let step = Step(token: token, position: tokens.count, probability: Float(exp(Double(logits[token]) - logZ)),
                        logit: logits[token], top: Array(top.prefix(topCount)), forced: forced != nil)
        try feed([token])
        return step
    }

    /// Tokens that end generation, as the model's config names them.
    public var endTokens: Set<Int> { Set(model.config.eosTokenIds) }

    public func isEnd(_ token: Int) -> Bool { model.config.eosTokenIds.contains(token) }

    /// Keeps the first `count` tokens and recomputes the logits that follow them.
    public func rewind(to count: Int) throws(InferenceError) {
        let keep = max(0, min(count, tokens.count))
        let kept = Array(tokens.prefix(keep))
        cache.truncate(to: max(0, keep - 1))
        tokens = Array(kept.dropLast())
        nextLogits = nil
        if let last = kept.last { try feed([last]) }
    }

    public func reset() {
        cache.reset()
        tokens = []
        nextLogits = nil
    }

    // MARK: - Probabilities

    /// The `count` highest-logit tokens with their softmax probabilities (`logZ`: the logits'
    /// log-sum-exp, if already known).
    public static func topCandidates(_ logits: [Float], count: Int, logZ: Double? = nil) -> [TokenCandidate] {
        let logZ = logZ ?? logSumExp(logits)
        var best: [(Int, Float)] = []
        for (i, l) in logits.enumerated() where best.count < count || l > best[best.count - 1].1 {
            let at = best.firstIndex { l > $0.1 } ?? best.count
            best.insert((i, l), at: at)
            if best.count > count { best.removeLast() }
        }
        return best.map { TokenCandidate(id: $0.0, logit: $0.1, probability: Float(exp(Double($0.1) - logZ))) }
    }

    static func logSumExp(_ logits: [Float]) -> Double {
        let m = Double(logits.max() ?? 0)
        var s = 0.0
        for l in logits { s += exp(Double(l) - m) }
        return m + log(s)
    }
}

import Foundation
