import SmolFormats

/// Quantizes an f32 activation row into the 8-bit block formats that quantized dot products take,
/// rounding exactly as llama.cpp's x86 CPU backend does, so `fast` results track llama.cpp.
///
/// ggml has two versions of Q8_0/Q8_1: the scalar reference (`roundf`, ties away from zero,
/// multiplier `1/d`) and the AVX2 one that x86 builds run (`_mm256_round_ps` to nearest, ties to
/// even, multiplier `127/amax`). They disagree on ties and, through the multiplier, in the last bit
/// of some products; we follow the AVX2 one. Q8_K has only the reference (`nearest_int`, ties to even).
public enum ActivationQuantizer {
    public static func quantize(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int, as type: TensorType) {
        switch type {
        case .q8_0: quantizeQ8_0(x, into: out, count: count)
        case .q8_1: quantizeQ8_1(x, into: out, count: count)
        case .q8_K: quantizeQ8_K(x, into: out, count: count)
        default: preconditionFailure("\(type) is not an activation format")
        }
    }

    /// Q8_0 (34 bytes per 32): `d = amax / 127` stored f16, `q = round(x · 127/amax)`.
    public static func quantizeQ8_0(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<(count / 32) {
            let block = out + b * 34
            let (d, _) = quantize32(x + b * 32, into: (block + 2).assumingMemoryBound(to: Int8.self))
            block.storeBytes(of: Float16(d), as: Float16.self)
        }
    }

    /// Q8_1 (36 bytes per 32): Q8_0's `d` and quants, plus `s = d · Σq` (f32 `d`, stored f16) so the
    /// min term of Q4_1/Q5_1 costs one multiply per block.
    public static func quantizeQ8_1(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<(count / 32) {
            let block = out + b * 36
            let (d, sum) = quantize32(x + b * 32, into: (block + 4).assumingMemoryBound(to: Int8.self))
            block.storeBytes(of: Float16(d), as: Float16.self)
            block.storeBytes(of: Float16(d * Float(sum)), toByteOffset: 2, as: Float16.self)
        }
    }

    /// One 32-value block as ggml's AVX2 quantizer computes it; returns the f32 scale and Σq.
    @inline(__always)
    private static func quantize32(_ xs: UnsafePointer<Float>, into qs: UnsafeMutablePointer<Int8>) -> (d: Float, sum: Int32) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(xs[j])) }
        let id: Float = amax != 0 ? 127 / amax : 0
        var sum: Int32 = 0
        for j in 0..<32 {
            let q = Int32((xs[j] * id).rounded(.toNearestOrEven))
            qs[j] = Int8(truncatingIfNeeded: q)
            sum &+= q
        }
        return (amax / 127, sum)
    }

    /// Q8_K (292 bytes per 256): f32 `d`, 256 int8, 16 sums of 16. The scale carries the sign of the
    /// largest-magnitude value (`iscale = −127 / max`), so that value maps to −127 and the others
    /// may reach +128, clipped to 127 — ggml's `quantize_row_q8_K_ref`, which x86 uses.
    public static func quantizeQ8_K(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<(count / 256) {
            let xs = x + b * 256
            let block = out + b * 292
            let qs = (block + 4).assumingMemoryBound(to: Int8.self)
            let sums = (block + 260).assumingMemoryBound(to: Int16.self)
            var amax: Float = 0, extreme: Float = 0
            for j in 0..<256 where abs(xs[j]) > amax {
                amax = abs(xs[j])
                extreme = xs[j]
            }
            guard amax != 0 else {
                (block).initializeMemory(as: UInt8.self, repeating: 0, count: 292)
                continue
            }
            let iscale = -127 / extreme
            for j in 0..<256 {
                let v = Int32((iscale * xs[j]).rounded(.toNearestOrEven))
                qs[j] = Int8(truncatingIfNeeded: min(127, v))
            }
            for g in 0..<16 {
                var s: Int16 = 0
                for i in 0..<16 { s &+= Int16(qs[16 * g + i]) }
                sums[g] = s
            }
            block.storeBytes(of: 1 / iscale, as: Float.self)
        }
    }
}
