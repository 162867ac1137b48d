import SmolCore
import SmolFormats

/// Writes a synthetic model as a GGUF v3 file llama.cpp loads (arch `smollm3`), holding exactly
/// the weights `SyntheticModel.make` builds for the same spec, so both engines can be timed on
/// the same bytes.
public enum SyntheticGGUF {
    /// Streams the model to `path`: each tensor is generated into one reused buffer and written,
    /// so memory stays at the largest tensor (the embedding), not the model.
    /// - Parameter progress: called after each tensor with (bytes written, total bytes).
    public static func write(_ spec: SyntheticSpec, to path: String,
                             progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws(FormatError) {
        let plan = SyntheticTensor.plan(spec.shape, spec.preset)
        let writer = try GGUFWriter(path: path, metadata: metadata(spec),
                                    tensors: plan.map { GGUFWriter.Tensor(name: $0.name, shape: $0.shape, type: $0.type) })
        let largest = plan.map(\.byteCount).max() ?? 0
        let largestPermuted = plan.filter { $0.ropeHeads != nil }.map(\.byteCount).max() ?? 0
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(largest, 1), alignment: 64)
        let permuted = UnsafeMutableRawPointer.allocate(byteCount: max(largestPermuted, 1), alignment: 64)
        defer {
            scratch.deallocate()
            permuted.deallocate()
        }
        let total = plan.reduce(0) { $0 + $1.byteCount }
        var done = 0
        for t in plan {
            RandomWeights.fill(t, into: scratch)
            var data = UnsafeRawBufferPointer(start: scratch, count: t.byteCount)
            if let heads = t.ropeHeads {
                permuteForLlamaCpp(data, rows: t.rows, rowBytes: t.rowBytes, heads: heads, into: permuted)
                data = UnsafeRawBufferPointer(start: permuted, count: t.byteCount)
            }
            try writer.writeTensor(data)
            done += t.byteCount
            progress?(done, total)
        }
        try writer.finish()
    }

    /// llama.cpp's converter permutation (`LlamaModel.permute`, reference §3.4): per head, GGUF
    /// row `2i + j` is transformers row `j·D/2 + i`, so rotation pairs sit next to each other for
    /// its interleaved RoPE. `ModelLoader` applies the inverse.
    static func permuteForLlamaCpp(_ hf: UnsafeRawBufferPointer, rows: Int, rowBytes: Int, heads: Int,
                                   into out: UnsafeMutableRawPointer) {
        let headDim = rows / heads, half = headDim / 2
        for r in 0..<rows {
            let h = r / headDim, rem = r % headDim
            let source = h * headDim + (rem % 2) * half + rem / 2
            (out + r * rowBytes).copyMemory(from: hf.baseAddress! + source * rowBytes, byteCount: rowBytes)
        }
    }

    /// General keys, the `smollm3.*` hyper-parameters llama.cpp reads (reference §3.2) and the
    /// placeholder vocabulary.
    static func metadata(_ spec: SyntheticSpec) -> [(String, GGUFValue)] {
        let c = spec.shape.config
        let a = c.architecture
        return [
            ("general.architecture", .string(a)),
            ("general.name", .string("SmolScope synthetic \(spec.shape) \(spec.preset)")),
            ("general.file_type", .uint32(spec.preset.llamaFileType)),
            ("general.quantization_version", .uint32(2)),
            ("\(a).block_count", .uint32(UInt32(c.layerCount))),
            ("\(a).context_length", .uint32(UInt32(c.maxPositions))),
            ("\(a).embedding_length", .uint32(UInt32(c.hiddenSize))),
            ("\(a).feed_forward_length", .uint32(UInt32(c.intermediateSize))),
            ("\(a).attention.head_count", .uint32(UInt32(c.headCount))),
            ("\(a).attention.head_count_kv", .uint32(UInt32(c.kvHeadCount))),
            ("\(a).rope.freq_base", .float32(Float(c.ropeTheta))),
            ("\(a).attention.layer_norm_rms_epsilon", .float32(c.rmsNormEps)),
            ("\(a).vocab_size", .uint32(UInt32(c.vocabSize))),
            ("\(a).rope.dimension_count", .uint32(UInt32(c.headDim))),
        ] + SyntheticVocabulary.metadata(c)
    }
}
