/// bf16 is the top half of an f32; Swift has no type for it, so it travels as raw bits.
public struct BFloat16: Sendable, Equatable {
    public var bits: UInt16
    public init(bits: UInt16) { self.bits = bits }

    /// Round-to-nearest-even, as PyTorch and ggml convert.
    public init(_ f: Float) {
        let u = f.bitPattern
        if f.isNaN {
            bits = UInt16(truncatingIfNeeded: (u >> 16) | 0x40)
        } else {
            bits = UInt16(truncatingIfNeeded: (u &+ 0x7FFF &+ ((u >> 16) & 1)) >> 16)
        }
    }

    @inline(__always) public var float: Float { Float(bitPattern: UInt32(bits) << 16) }
}

extension Float {
    /// The value after a round trip through f16, as ggml rounds activations for F16 weights.
    @inline(__always) public var roundedToHalf: Float { Float(Float16(self)) }
    @inline(__always) public var roundedToBFloat16: Float { BFloat16(self).float }
}
