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

    /// One 32-value block as ggml's AVX2 quantizer computes it; returns the f32 scale and Σq. Four
    /// SIMD8 chunks (value by value, the maximum was the slowest part: no vectorised `max` without
    /// fast-math); `storeRounded` rounds `x · 127/amax` as `_mm256_round_ps` does.
    @inline(__always)
    private static func quantize32(_ xs: UnsafePointer<Float>, into qs: UnsafeMutablePointer<Int8>) -> (d: Float, sum: Int32) {
        let raw = UnsafeRawPointer(xs)
        var amax8 = SIMD8<Float>()
        for j in stride(from: 0, to: 32, by: 8) {
            let v = magnitude(raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self))
            amax8.replace(with: v, where: v .> amax8)
        }
        var amax: Float = 0
        for i in 0..<8 { amax = max(amax, amax8[i]) }
        let id = SIMD8<Float>(repeating: amax != 0 ? 127 / amax : 0)
        var sum8 = SIMD8<Float>()
        for j in stride(from: 0, to: 32, by: 8) {
            sum8 += storeRounded(raw.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self) * id, into: qs, at: j)
        }
        return (amax / 127, Int32(sum8.sum()))
    }

    /// |v| lane by lane (the sign bit cleared).
    @inline(__always)
    private static func magnitude(_ v: SIMD8<Float>) -> SIMD8<Float> {
        unsafeBitCast(unsafeBitCast(v, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
    }

    /// Stores `v` rounded to integers, ties to even, as eight int8 at `qs + offset`, and returns the
    /// integers as floats (exact, so their sums are too). Adding 1.5·2²³ to a value below 2²² in
    /// magnitude rounds it exactly as `_mm256_round_ps` and ggml's `nearest_int` do and leaves the
    /// integer in the low bits.
    @inline(__always)
    private static func storeRounded(_ v: SIMD8<Float>, into qs: UnsafeMutableRawPointer, at offset: Int) -> SIMD8<Float> {
        let magic: Float = 12_582_912
        let shifted = v + SIMD8(repeating: magic)
        let integers = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
        qs.storeBytes(of: SIMD8<Int8>(truncatingIfNeeded: integers), toByteOffset: offset, as: SIMD8<Int8>.self)
        return shifted - SIMD8(repeating: magic)
    }

    /// Q8_K (292 bytes per 256): f32 `d`, 256 int8, 16 sums of 16. The scale carries the sign of the
    /// largest-magnitude value (`iscale = −127 / max`), so that value maps to −127 and the others
    /// may reach +128, clipped to 127 — ggml's `quantize_row_q8_K_ref`, which x86 uses.
    public static func quantizeQ8_K(_ x: UnsafePointer<Float>, into out: UnsafeMutableRawPointer, count: Int) {
        for b in 0..<(count / 256) {
            quantizeQ8_KBlock(UnsafeRawPointer(x + b * 256), into: out + b * 292)
        }
    }

    /// One Q8_K block, eight values at a time (value by value, with a branch per value for the
    /// maximum, it was ~4% of a 3B Q4_K_M prompt). Same bytes as the definition: each lane keeps its
    /// largest magnitude and where it first saw it (strictly greater replaces, as in ggml's loop), and
    /// the earliest of the lanes holding the block's maximum gives the sign; `storeRounded` rounds.
    @inline(__always)
    private static func quantizeQ8_KBlock(_ xs: UnsafeRawPointer, into block: UnsafeMutableRawPointer) {
        var amax8 = SIMD8<Float>(), where8 = SIMD8<Float>()
        var index = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)
        for j in stride(from: 0, to: 256, by: 8) {
            let v = magnitude(xs.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self))
            let larger = v .> amax8
            amax8.replace(with: v, where: larger)
            where8.replace(with: index, where: larger)
            index += 8
        }
        var amax: Float = 0, first: Float = 256
        for i in 0..<8 where amax8[i] > amax || (amax8[i] == amax && where8[i] < first) {
            amax = amax8[i]
            first = where8[i]
        }
        guard amax != 0 else {
            block.initializeMemory(as: UInt8.self, repeating: 0, count: 292)
            return
        }
        let iscale = -127 / xs.load(fromByteOffset: Int(first) * 4, as: Float.self)
        let scale8 = SIMD8<Float>(repeating: iscale)
        let qs = block + 4
        let sums = (block + 260).assumingMemoryBound(to: Int16.self)
        for g in 0..<16 {
            var groupSum = SIMD8<Float>()
            for h in 0..<2 {
                let j = 16 * g + 8 * h
                var product = scale8 * xs.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                product.replace(with: 127, where: product .> 127)  // only the opposite of the extreme reaches 128
                groupSum += storeRounded(product, into: qs, at: j)
            }
            sums[g] = Int16(groupSum.sum())
        }
        block.storeBytes(of: 1 / iscale, as: Float.self)
    }
}
