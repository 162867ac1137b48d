import SmolFormats

/// One tensor of a synthetic model: its GGUF name, shape, storage type and the seed its bytes come
/// from. The in-memory model and the GGUF export both generate bytes from this plan, so they hold
/// the same model without either having to keep the other's copy.
public struct SyntheticTensor: Sendable {
    public let name: String
    /// PyTorch order: `[out, in]` for matrices, `[n]` for norms.
    public let shape: [Int]
    public let type: TensorType
    public let role: TensorRole
    /// For `attn_q`/`attn_k`: heads whose rows llama.cpp's converter permutes (GGUF order differs
    /// from the in-memory order by this permutation).
    public let ropeHeads: Int?
    let seed: UInt64

    public var rows: Int { shape.count == 2 ? shape[0] : 1 }
    public var cols: Int { shape.last ?? 0 }
    public var rowBytes: Int { type.byteCount(elements: cols)! }
    public var byteCount: Int { rows * rowBytes }
}

extension SyntheticTensor {
    /// Every tensor of `shape` under `preset`, in the order llama.cpp's converter writes them
    /// (`token_embd`, then each block, then `output_norm`). No `output.weight`: embeddings are tied.
    public static func plan(_ shape: SyntheticShape, _ preset: WeightPreset) -> [SyntheticTensor] {
        let c = shape.config
        var tensors: [SyntheticTensor] = []
        func add(_ name: String, _ dims: [Int], _ role: TensorRole, layer: Int?, ropeHeads: Int? = nil) {
            let type = preset.type(of: role, layer: layer, layerCount: c.layerCount)
            // Seeds follow the tensor's position, not its type, so Q8_0 and F16 models of a shape
            // differ only in storage.
            let seed = 0x5EED_0000_0000 &+ UInt64(tensors.count) &* 0x9E37_79B9_7F4A_7C15
            tensors.append(SyntheticTensor(name: name, shape: dims, type: type, role: role, ropeHeads: ropeHeads, seed: seed))
        }
        let q = c.headCount * c.headDim, kv = c.kvHeadCount * c.headDim
        add("token_embd.weight", [c.vocabSize, c.hiddenSize], .embedding, layer: nil)
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            add(p + "attn_norm.weight", [c.hiddenSize], .norm, layer: i)
            add(p + "attn_q.weight", [q, c.hiddenSize], .attnQ, layer: i, ropeHeads: c.headCount)
            add(p + "attn_k.weight", [kv, c.hiddenSize], .attnK, layer: i, ropeHeads: c.kvHeadCount)
            add(p + "attn_v.weight", [kv, c.hiddenSize], .attnV, layer: i)
            add(p + "attn_output.weight", [c.hiddenSize, q], .attnOutput, layer: i)
            add(p + "ffn_norm.weight", [c.hiddenSize], .norm, layer: i)
            add(p + "ffn_gate.weight", [c.intermediateSize, c.hiddenSize], .ffnGate, layer: i)
            add(p + "ffn_up.weight", [c.intermediateSize, c.hiddenSize], .ffnUp, layer: i)
            add(p + "ffn_down.weight", [c.hiddenSize, c.intermediateSize], .ffnDown, layer: i)
        }
        add("output_norm.weight", [c.hiddenSize], .norm, layer: nil)
        return tensors
    }
}
