import SmolModel

/// Sequence operations shared by `prompt`, `chat`, `step`, `generate`, `force`, `rewind`: all of
/// them go through the current model's ``Generator`` with the recorder attached.
extension Session {
    /// Starts a new sequence with `ids` (the sampler is reseeded, so a seed reproduces a run).
    func start(_ ids: [Int], on m: LoadedModel) throws(ScopeError) {
        try checkIds(ids, on: m)
        guard ids.count <= m.generator.cache.capacity else {
            throw .failed("\(ids.count) tokens do not fit the KV cache (\(m.generator.cache.capacity) positions)")
        }
        resetSequence(m)
        try append(ids, on: m)
    }

    /// Feeds `ids` after the current sequence in one batched pass.
    func append(_ ids: [Int], on m: LoadedModel) throws(ScopeError) {
        guard !ids.isEmpty else { return }
        try checkIds(ids, on: m)
        // A long prompt's attention is heads × T × T per layer; past half the record limit it is
        // not asked for (the forward pass would allocate it), and 'attn' says it was not recorded.
        let wants = m.recorder.wants
        let attentionBytes = m.config.headCount * ids.count * (m.tokens.count + ids.count) * 4
        if wants.contains(.attention), attentionBytes > m.recorder.limit / 2 { m.recorder.wants.remove(.attention) }
        defer { m.recorder.wants = wants }
        do {
            try m.generator.feed(ids)
        } catch {
            throw ScopeError.failed(error.description)
        }
    }

    func resetSequence(_ m: LoadedModel) {
        m.generator.reset()
        m.recorder.reset()
        m.generator.sampler = Sampler(settings.sampling)
        m.conversation = nil
    }

    /// Keeps the first `count` tokens (the logits after them are recomputed).
    func rewind(_ m: LoadedModel, to count: Int) throws(ScopeError) {
        m.recorder.truncate(to: max(0, count - 1))
        do {
            try m.generator.rewind(to: count)
        } catch {
            throw ScopeError.failed(error.description)
        }
        if let c = m.conversation, count < c.promptLength { m.conversation = nil }
    }

    /// Runs `count` generation steps (or one forced step), calling `each` after every token.
    /// Stops early at an end token (when ``SessionSettings/stopAtEnd``) or on interrupt; returns
    /// whether it stopped at an end token.
    @discardableResult
    func advance(_ m: LoadedModel, count: Int, forcing: Int? = nil, each: (Step) -> Void) throws(ScopeError) -> Bool {
        guard m.generator.nextLogits != nil else { throw .emptySequence }
        if let f = forcing { try checkIds([f], on: m) }
        for _ in 0..<count {
            if interrupt.isRaised { throw .interrupted }
            guard m.generator.tokens.count < m.generator.cache.capacity else {
                throw .failed("the KV cache is full (\(m.generator.cache.capacity) positions); rewind or reset")
            }
            let step: Step
            do {
                step = try m.generator.step(forcing: forcing)
            } catch {
                throw ScopeError.failed(error.description)
            }
            each(step)
            if settings.stopAtEnd && m.isEnd(step.token) { return true }
        }
        return false
    }

    func checkIds(_ ids: [Int], on m: LoadedModel) throws(ScopeError) {
        for id in ids where id < 0 || id >= m.config.vocabSize {
            throw .outOfRange(what: "token id", value: String(id), valid: "0...\(m.config.vocabSize - 1)")
        }
    }

    /// The current model with a non-empty sequence.
    func requireSequence() throws(ScopeError) -> LoadedModel {
        let m = try requireModel()
        guard !m.tokens.isEmpty else { throw .emptySequence }
        return m
    }
}

extension LoadedModel {
    /// Whether `id` ends generation for this model (config or tokenizer end tokens).
    func isEnd(_ id: Int) -> Bool { generator.isEnd(id) || (tokenizer?.eosTokenIds.contains(id) ?? false) }
}
