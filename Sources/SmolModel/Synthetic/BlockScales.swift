import SmolFormats

/// Rewrites the float fields of randomly filled quantized blocks so the weights are small and
/// finite: each f16 scale keeps its random mantissa and gets a fixed, normal exponent chosen so the
/// block's weights have an RMS of about 0.02–0.05; mins are set to cancel the mean of the
/// unsigned quants (`m ≈ mean(q)·d`), as a real quantizer's would for zero-mean weights.
/// Offsets follow ggml's `block_*` structs (reference §4.2).
enum BlockScales {
    static func fix(_ p: UnsafeMutableRawPointer, blocks: Int, type: TensorType) {
        switch type {
        case .q8_0: each(p, blocks, 34) { b in scale(b, 0, exponent: 3) }
        case .q4_0: each(p, blocks, 18) { b in scale(b, 0, exponent: 7) }
        case .q4_1: each(p, blocks, 20) { b in store(b, 2, -7.5 * scale(b, 0, exponent: 7)) }
        case .q5_0: each(p, blocks, 22) { b in scale(b, 0, exponent: 6) }
        case .q5_1: each(p, blocks, 24) { b in store(b, 2, -15.5 * scale(b, 0, exponent: 6)) }
        case .q2_K: each(p, blocks, 84) { b in store(b, 82, 1.5 * scale(b, 80, exponent: 5)) }
        case .q3_K: each(p, blocks, 110) { b in scale(b, 108, exponent: 4) }
        case .q4_K: each(p, blocks, 144) { b in store(b, 2, 7.5 * scale(b, 0, exponent: 1)) }
        case .q5_K: each(p, blocks, 176) { b in store(b, 2, 15.5 * scale(b, 0, exponent: 1)) }
        case .q6_K:
            each(p, blocks, 210) { b in
                // Signed 8-bit sub-block scales narrowed to −32…31, so d can stay a normal f16.
                for k in 192..<208 {
                    let s = b.load(fromByteOffset: k, as: UInt8.self)
                    b.storeBytes(of: (s & 0x3F) &- 32, toByteOffset: k, as: UInt8.self)
                }
                scale(b, 208, exponent: 1)
            }
        default:
            preconditionFailure("no synthetic block layout for \(type)")
        }
    }

    @inline(__always)
    private static func each(_ p: UnsafeMutableRawPointer, _ blocks: Int, _ size: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        for i in 0..<blocks { body(p + i * size) }
    }

    /// Makes the f16 at `offset` positive with biased exponent `exponent` (value 2^(e−15)·(1.m),
    /// keeping the random mantissa) and returns it.
    @discardableResult @inline(__always)
    private static func scale(_ b: UnsafeMutableRawPointer, _ offset: Int, exponent: UInt16) -> Float {
        let bits = (b.loadUnaligned(fromByteOffset: offset, as: UInt16.self) & 0x03FF) | exponent << 10
        b.storeBytes(of: bits, toByteOffset: offset, as: UInt16.self)
        return Float(Float16(bitPattern: bits))
    }

    @inline(__always)
    private static func store(_ b: UnsafeMutableRawPointer, _ offset: Int, _ value: Float) {
        b.storeBytes(of: Float16(value), toByteOffset: offset, as: Float16.self)
    }
}
