/// Field access inside ggml blocks. Blocks are packed structs of odd sizes (18, 22, 34, 110 … bytes)
/// laid end to end, so every multi-byte field can sit at any address: scales are read unaligned,
/// and the 8-bit arrays are viewed as bytes in place.
extension UnsafeRawPointer {
    /// The IEEE half at `offset`, widened to f32 (one `vcvtph2ps` with F16C).
    @inline(__always) func half(at offset: Int) -> Float {
        Float(loadUnaligned(fromByteOffset: offset, as: Float16.self))
    }

    @inline(__always) func int8s(at offset: Int) -> UnsafePointer<Int8> {
        (self + offset).assumingMemoryBound(to: Int8.self)
    }

    @inline(__always) func uint8s(at offset: Int) -> UnsafePointer<UInt8> {
        (self + offset).assumingMemoryBound(to: UInt8.self)
    }

    @inline(__always) func int16s(at offset: Int) -> UnsafePointer<Int16> {
        (self + offset).assumingMemoryBound(to: Int16.self)
    }
}

/// Byte offsets inside the 8-bit activation blocks the fused dot products read
/// (ggml `block_q8_0`, `block_q8_1`, `block_q8_K`; written by `ActivationQuantizer`).
enum ActivationBlock {
    /// Q8_0, 34 bytes: d:f16, qs[32].
    static let q8_0Bytes = 34, q8_0Quants = 2
    /// Q8_1, 36 bytes: d:f16, s:f16 (= d·Σqs), qs[32].
    static let q8_1Bytes = 36, q8_1Sum = 2, q8_1Quants = 4
    /// Q8_K, 292 bytes: d:f32, qs[256], bsums[16]:i16 (sums of each 16 quants).
    static let q8_KBytes = 292, q8_KQuants = 4, q8_KSums = 260
}
