/// Unpacking of the bit-packed sub-block scales of the K-quants, with ggml's 32-bit mask tricks
/// (`kmask1/2/3` in `ggml-quants.c`) so a block's scales cost a few integer ops, not a loop.
enum KQuantScales {
    /// Q4_K / Q5_K: 12 bytes → eight 6-bit scales and eight 6-bit mins (`get_scale_min_k4`).
    /// Bytes 0–3 hold scales 0–3 (low 6 bits) and the top bits of scales 4–7; bytes 4–7 the same
    /// for mins; bytes 8–11 the low nibbles of scales 4–7 (low) and mins 4–7 (high).
    @inline(__always)
    static func scalesAndMins(_ p: UnsafeRawPointer) -> (scales: SIMD8<UInt8>, mins: SIMD8<UInt8>) {
        let u0 = p.loadUnaligned(as: UInt32.self)
        let u1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let u2 = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let scalesLo = u0 & 0x3F3F_3F3F
        let scalesHi = (u2 & 0x0F0F_0F0F) | (((u0 >> 6) & 0x0303_0303) << 4)
        let minsLo = u1 & 0x3F3F_3F3F
        let minsHi = ((u2 >> 4) & 0x0F0F_0F0F) | (((u1 >> 6) & 0x0303_0303) << 4)
        return (bytes(scalesLo, scalesHi), bytes(minsLo, minsHi))
    }

    /// Q3_K: 12 bytes → sixteen signed 6-bit scales (stored +32). Bytes 0–7 hold the low nibbles
    /// (scales 0–7 low, 8–15 high); bytes 8–11 hold the top 2 bits, four scales per byte-lane shift.
    @inline(__always)
    static func q3Scales(_ p: UnsafeRawPointer) -> SIMD16<Int8> {
        let a0 = p.loadUnaligned(as: UInt32.self)
        let a1 = p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        let hi = p.loadUnaligned(fromByteOffset: 8, as: UInt32.self)
        let s0 = (a0 & 0x0F0F_0F0F) | ((hi & 0x0303_0303) << 4)
        let s1 = (a1 & 0x0F0F_0F0F) | (((hi >> 2) & 0x0303_0303) << 4)
        let s2 = ((a0 >> 4) & 0x0F0F_0F0F) | (((hi >> 4) & 0x0303_0303) << 4)
        let s3 = ((a1 >> 4) & 0x0F0F_0F0F) | (((hi >> 6) & 0x0303_0303) << 4)
        let packed = SIMD4<UInt32>(s0, s1, s2, s3)
        return unsafeBitCast(packed, to: SIMD16<Int8>.self) &- 32
    }

    @inline(__always)
    private static func bytes(_ lo: UInt32, _ hi: UInt32) -> SIMD8<UInt8> {
        unsafeBitCast(UInt64(lo) | UInt64(hi) << 32, to: SIMD8<UInt8>.self)
    }
}
