/// Builds GGUF files field by field — valid ones, and ones broken in exactly one place — so each
/// corrupt-input test states the single thing it gets wrong.
struct GGUFBytes {
    private(set) var bytes: [UInt8] = []

    static let magic: UInt32 = 0x4655_4747  // "GGUF"

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }

    /// A GGUF string: u64 byte length, then the bytes. `claimedLength` lies about the length.
    mutating func string(_ s: String, claimedLength: UInt64? = nil) {
        u64(claimedLength ?? UInt64(s.utf8.count))
        bytes += Array(s.utf8)
    }

    mutating func header(magic: UInt32 = magic, version: UInt32 = 3, tensors: UInt64, metadata: UInt64) {
        u32(magic)
        u32(version)
        u64(tensors)
        u64(metadata)
    }

    /// Value type ids of GGUF metadata.
    enum ValueType: UInt32 { case uint8 = 0, uint32 = 4, string = 8, array = 9 }

    mutating func keyValue(_ key: String, uint32 value: UInt32) {
        string(key)
        u32(ValueType.uint32.rawValue)
        u32(value)
    }

    mutating func keyValue(_ key: String, string value: String) {
        string(key)
        u32(ValueType.string.rawValue)
        string(value)
    }

    /// A tensor descriptor; `dims` in GGUF `ne` order (fastest-varying first).
    mutating func tensorInfo(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64) {
        string(name)
        u32(UInt32(dims.count))
        for d in dims { u64(d) }
        u32(type)
        u64(offset)
    }

    /// Zero padding up to the next multiple of `alignment`, then `count` bytes of tensor data.
    mutating func data(_ count: Int, alignment: Int = 32) {
        while bytes.count % alignment != 0 { bytes.append(0) }
        bytes += (0..<count).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// A small well-formed file: one string key and two F32 vectors of 8 values at offsets 0 and 32.
    static func valid() -> GGUFBytes {
        var g = GGUFBytes()
        g.header(tensors: 2, metadata: 1)
        g.keyValue("general.architecture", string: "llama")
        g.tensorInfo("a.weight", dims: [8], offset: 0)
        g.tensorInfo("b.weight", dims: [8], offset: 32)
        g.data(64)
        return g
    }
}
