import SmolCore
import SmolFormats

/// Fills tensors with deterministic random weights, fast enough to make the 3B model's 2–6 GB in
/// seconds: a counter-based generator (SplitMix64's output mix of `seed + i·φ`) writes whole
/// 64-bit words, chunks of rows go to different threads, and each chunk's seed depends only on
/// its index, so the bytes are the same whatever the thread count.
///
/// Random bits make valid quantized blocks except for their float fields, and NaN/Inf or huge
/// floats in dense types. So dense words are reshaped (random sign and mantissa, exponent pinned to
/// a small range) and each quantized block's f16 scales are rewritten from their own random
/// mantissa bits. Weights come out with an RMS of about 0.02–0.05, like a trained model's, so
/// activations and logits stay finite through all 36 layers.
enum RandomWeights {
    /// Bytes per seeded chunk (rounded to whole rows), the unit threads divide among themselves:
    /// small enough that the block fix-up pass finds the chunk still in L2.
    static let chunkBytes = 1 << 16

    /// Writes `t.byteCount` bytes of `t`'s weights at `base`.
    static func fill(_ t: SyntheticTensor, into base: UnsafeMutableRawPointer) {
        let rowBytes = t.rowBytes
        let rowsPerChunk = max(1, chunkBytes / max(rowBytes, 1))
        let chunks = (t.rows + rowsPerChunk - 1) / rowsPerChunk
        let type = t.type, role = t.role, seed = t.seed, rows = t.rows
        Parallel.forRanges(chunks) { range in
            for chunk in range {
                let firstRow = chunk * rowsPerChunk
                let rowCount = min(rowsPerChunk, rows - firstRow)
                let start = base + firstRow * rowBytes, count = rowCount * rowBytes
                let chunkSeed = mix(seed ^ UInt64(chunk) &* 0xD6E8_FEB8_6659_FD93)
                switch (role, type) {
                case (.norm, _): fillWords(start, count, chunkSeed, NormWords.self)
                case (_, .f32): fillWords(start, count, chunkSeed, F32Words.self)
                case (_, .f16): fillWords(start, count, chunkSeed, F16Words.self)
                case (_, .bf16): fillWords(start, count, chunkSeed, BF16Words.self)
                default:
                    fillWords(start, count, chunkSeed, RawWords.self)
                    BlockScales.fix(start, blocks: count / type.bytesPerBlock, type: type)
                }
            }
        }
    }

    /// SplitMix64's finaliser: a bijective mix with full avalanche.
    @inline(__always) static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func fillWords<S: WordShape>(_ p: UnsafeMutableRawPointer, _ count: Int, _ seed: UInt64, _: S.Type) {
        let words = count / 8
        for i in 0..<words {
            p.storeBytes(of: S.shape(mix(seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)), toByteOffset: 8 * i, as: UInt64.self)
        }
        let tail = count - 8 * words
        guard tail > 0 else { return }
        let last = S.shape(mix(seed &+ UInt64(words) &* 0x9E37_79B9_7F4A_7C15))
        withUnsafeBytes(of: last) { (p + 8 * words).copyMemory(from: $0.baseAddress!, byteCount: tail) }
    }
}

/// Turns 64 random bits into a word of valid elements of one dense type.
private protocol WordShape { static func shape(_ w: UInt64) -> UInt64 }

/// Quantized data: every bit pattern of the integer fields is valid; scales are fixed per block.
private enum RawWords: WordShape {
    @inline(__always) static func shape(_ w: UInt64) -> UInt64 { w }
}

/// Two f32 lanes: random sign and mantissa, exponent 119…122, i.e. |w| in [2⁻⁸, 2⁻⁴).
private enum F32Words: WordShape {
    @inline(__always) static func shape(_ w: UInt64) -> UInt64 {
        (w & 0x807F_FFFF_807F_FFFF) | ((w & 0x0180_0000_0180_0000) &+ 0x3B80_0000_3B80_0000)
    }
}

/// Four f16 lanes: random sign and mantissa, exponent field 7…10, i.e. |w| in [2⁻⁸, 2⁻⁴).
private enum F16Words: WordShape {
    @inline(__always) static func shape(_ w: UInt64) -> UInt64 {
        (w & 0x83FF_83FF_83FF_83FF) | ((w & 0x0C00_0C00_0C00_0C00) &+ 0x1C00_1C00_1C00_1C00)
    }
}

/// Four bf16 lanes: random sign and mantissa, exponent 119…122, i.e. |w| in [2⁻⁸, 2⁻⁴).
private enum BF16Words: WordShape {
    @inline(__always) static func shape(_ w: UInt64) -> UInt64 {
        (w & 0x807F_807F_807F_807F) | ((w & 0x0180_0180_0180_0180) &+ 0x3B80_3B80_3B80_3B80)
    }
}

/// Two f32 norm weights in [0.5, 2): positive, around 1 like trained RMSNorm gains.
private enum NormWords: WordShape {
    @inline(__always) static func shape(_ w: UInt64) -> UInt64 {
        (w & 0x007F_FFFF_007F_FFFF) | ((w & 0x0080_0000_0080_0000) &+ 0x3F00_0000_3F00_0000)
    }
}
