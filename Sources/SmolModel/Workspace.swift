import SmolCore

/// Reusable f32 buffers for one forward pass. Each grows to the largest batch seen and then stays,
/// so the per-token loop never allocates.
final class Workspace {
    enum Slot: Int, CaseIterable {
        case hidden, normed, q, k, v, attention, projected, gate, up, scores, logits, rotation
    }

    /// Inputs of the projections, each prepared (quantized or rounded) once for all matrices reading it.
    enum BatchSlot: Int, CaseIterable {
        case attentionInput, attentionOutput, mlpInput, mlpHidden, finalNormed
    }

    private let batches = BatchSlot.allCases.map { _ in ActivationBatch() }

    /// The batch for `slot`, pointed at `count` rows of `cols` floats at `x`.
    func batch(_ slot: BatchSlot, _ x: UnsafePointer<Float>, count: Int, cols: Int) -> ActivationBatch {
        let b = batches[slot.rawValue]
        b.reset(x, count: count, cols: cols)
        return b
    }

    private var pointers = [UnsafeMutablePointer<Float>?](repeating: nil, count: Slot.allCases.count)
    private var capacities = [Int](repeating: 0, count: Slot.allCases.count)

    /// At least `count` floats for `slot` (contents undefined).
    func buffer(_ slot: Slot, _ count: Int) -> UnsafeMutablePointer<Float> {
        let i = slot.rawValue
        if let p = pointers[i], capacities[i] >= count { return p }
        pointers[i]?.deallocate()
        let p = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        pointers[i] = p
        capacities[i] = max(count, 1)
        return p
    }

    deinit {
        for p in pointers { p?.deallocate() }
    }
}
