/// 32 small integers held as the low ("even") and high ("odd") bytes of sixteen 16-bit lanes: the
/// form in which AVX2 multiplies sixteen of them per instruction (`vpmullw`).
///
/// Why not plain loops or SIMD conversions: a plain `Int32` dot loop vectorises only eight products
/// per instruction plus a horizontal sum per sub-block, the stdlib's SIMD widening conversions are
/// emitted as out-of-line calls, and `SIMD32` lanes are scalarised. Loading 32 bytes as 16-bit lanes
/// and splitting them with shifts uses only in-register shifts, masks and multiplies.
///
/// Products are summed in pairs in 16-bit lanes, so every `|w·a| + |w'·a'|` must fit in Int16: true
/// for weights of at most 8 bits (|w| ≤ 128) against activations in [−127, 127], which is what
/// `ActivationQuantizer` produces.
struct ByteLanes {
    var even: SIMD16<Int16>
    var odd: SIMD16<Int16>

    /// 32 signed bytes at `p` (activation quants, Q8_0 weights), sign-extended.
    @inline(__always) init(signed p: UnsafeRawPointer) {
        let v = p.loadUnaligned(as: SIMD16<Int16>.self)
        even = (v &<< 8) &>> 8
        odd = v &>> 8
    }

    /// 32 unsigned values already unpacked one per byte (nibbles, 5- or 6-bit codes), each minus
    /// `offset` (the −8 of Q4_0, the −16 of Q5_0).
    @inline(__always) init(unsigned v: SIMD16<UInt16>, minus offset: Int16 = 0) {
        even = unsafeBitCast(v & 0x00FF, to: SIMD16<Int16>.self) &- offset
        odd = unsafeBitCast(v &>> 8, to: SIMD16<Int16>.self) &- offset
    }

    /// Bit j of `bits` as bit 4 of byte j: the fifth bits of a Q5_0/Q5_1 block, ready to OR onto
    /// its nibbles. Each 32-bit lane takes four bits, and the multiply by 0x00204081 moves bit m of
    /// them to bit 0 of byte m (the shifted copies never collide, so no carries).
    @inline(__always) static func fifthBits(_ bits: UInt32) -> SIMD16<UInt16> {
        let t = (SIMD8<UInt32>(repeating: bits) &>> SIMD8<UInt32>(0, 4, 8, 12, 16, 20, 24, 28)) & 0xF
        return unsafeBitCast(((t &* 0x0020_4081) & 0x0101_0101) &<< 4, to: SIMD16<UInt16>.self)
    }

    /// Lane i is `self[2i]·a[2i] + self[2i+1]·a[2i+1]`.
    @inline(__always) func pairProducts(_ a: ByteLanes) -> SIMD16<Int16> {
        even &* a.even &+ odd &* a.odd
    }
}

/// 4-bit codes packed two per byte.
enum Nibbles {
    /// The 32 nibbles of 16 bytes at `p`, one per byte: low nibbles first (bytes 0–15), then high
    /// (16–31), as ggml's `bytes_from_nibbles_32` lays them out.
    @inline(__always) static func bytes32(_ p: UnsafeRawPointer) -> SIMD16<UInt16> {
        let q = p.loadUnaligned(as: SIMD8<UInt16>.self)
        return SIMD16(lowHalf: q & 0x0F0F, highHalf: (q &>> 4) & 0x0F0F)
    }
}

extension SIMD16 where Scalar == Int16 {
    /// Adjacent lanes summed into Int32: lane k covers bytes 4k…4k+3 of the 32 multiplied, as
    /// ggml's `mul_sum_i8_pairs_float` lanes do.
    @inline(__always) var pairSums: SIMD8<Int32> {
        let v = unsafeBitCast(self, to: SIMD8<Int32>.self)
        return ((v &<< 16) &>> 16) &+ (v &>> 16)
    }

    /// `pairSums` times a per-lane scale that fits in 16 bits. Written with the scale applied to each
    /// half separately, which LLVM can lower to one `vpmaddwd` (it sometimes factors it into
    /// `vpmulld` instead; both are exact).
    @inline(__always) func pairSums(scaledBy s: SIMD8<Int32>) -> SIMD8<Int32> {
        let v = unsafeBitCast(self, to: SIMD8<Int32>.self)
        return ((v &<< 16) &>> 16) &* s &+ (v &>> 16) &* s
    }
}

extension SIMD8 where Scalar == Int32 {
    /// Scales for a 32-weight vector whose first and second 16 weights have their own scale
    /// (K-quants with 16-weight sub-blocks): lanes 0–3 cover the first 16 bytes.
    @inline(__always) init(halves first: Int32, _ second: Int32) {
        self.init(first, first, first, first, second, second, second, second)
    }
}
