/// Writes a GGUF v3 file in one pass without holding the tensor data: the header (metadata and
/// tensor descriptors, whose offsets follow from the declared shapes) is written up front, then
/// each tensor's bytes as the caller produces them, in declaration order. A 6 GB model thus needs
/// only the caller's per-tensor buffer.
///
/// The file is written to `PATH.partial` and renamed by `finish()`, so an interrupted export never
/// leaves something that looks like a complete model.
public final class GGUFWriter {
    /// The descriptor stores the shape in reversed (`ne`) order, as the reader undoes.
    public typealias Tensor = TensorDeclaration

    public let path: String
    public let alignment: Int
    private let tensors: [Tensor]
    private let sizes: [Int]
    private let file: PartialFile
    private var next = 0
    private var written = 0

    /// Opens `path` and writes the header. `metadata` is written in order; `general.alignment` is
    /// added when `alignment` is not GGUF's default of 32.
    public init(path: String, metadata: [(String, GGUFValue)], tensors: [Tensor], alignment: Int = 32) throws(FormatError) {
        self.path = path
        self.alignment = alignment
        self.tensors = tensors
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw FormatError(file: path, "alignment \(alignment) is not a power of two")
        }
        var sizes: [Int] = []
        var names = Set<String>()
        for t in tensors {
            guard names.insert(t.name).inserted else { throw FormatError(file: path, "tensor '\(t.name)' is declared twice") }
            guard !t.shape.isEmpty, t.shape.count <= 4, let n = elementCount(t.shape),
                  t.shape.last! % t.type.blockSize == 0, let bytes = t.type.byteCount(elements: n) else {
                throw FormatError(file: path, "tensor '\(t.name)' of shape \(t.shape) does not fit whole \(t.type) blocks")
            }
            sizes.append(bytes)
        }
        self.sizes = sizes

        var header = ByteWriter()
        header.append(UInt32(0x4655_4747))  // "GGUF"
        header.append(UInt32(3))
        header.append(UInt64(tensors.count))
        let entries = alignment == 32 ? metadata : metadata + [("general.alignment", .uint32(UInt32(alignment)))]
        header.append(UInt64(entries.count))
        for (key, value) in entries {
            header.appendString(key)
            try header.appendValue(value, key: key, file: path)
        }
        var offset = 0
        for (t, size) in zip(tensors, sizes) {
            header.appendString(t.name)
            header.append(UInt32(t.shape.count))
            for d in t.shape.reversed() { header.append(UInt64(d)) }
            header.append(t.type.rawValue)
            header.append(UInt64(offset))
            offset += Self.padded(size, alignment)
        }
        header.pad(to: alignment)

        file = try PartialFile(path: path)
        try file.append(header.bytes)
    }

    /// The tensor whose bytes `writeTensor` expects next, or nil when all are written.
    public var nextTensor: Tensor? { next < tensors.count ? tensors[next] : nil }

    /// Appends the next tensor's data; `bytes` must be exactly its size. May be called in pieces
    /// through `writeTensorPart` instead, for tensors produced a slice at a time.
    public func writeTensor(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        if next < tensors.count, written + bytes.count != sizes[next] {
            throw FormatError(file: path, "tensor '\(tensors[next].name)' takes \(sizes[next]) bytes, got \(written + bytes.count)")
        }
        try writeTensorPart(bytes)
    }

    /// Appends part of the next tensor's data; after its last byte the padding is written and the
    /// writer moves on to the following tensor.
    public func writeTensorPart(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        guard next < tensors.count else { throw FormatError(file: path, "more tensor data than the \(tensors.count) tensors declared") }
        let size = sizes[next]
        guard written + bytes.count <= size else {
            throw FormatError(file: path, "tensor '\(tensors[next].name)' takes \(size) bytes, got \(written + bytes.count)")
        }
        try file.append(bytes)
        written += bytes.count
        if written == size {
            let padding = Self.padded(size, alignment) - size
            if padding > 0 {
                try file.append([UInt8](repeating: 0, count: padding))
            }
            next += 1
            written = 0
        }
    }

    /// Checks every tensor was written, flushes and moves the file into place.
    public func finish() throws(FormatError) {
        guard next == tensors.count else {
            throw FormatError(file: path, "only \(next) of \(tensors.count) tensors were written")
        }
        try file.commit()
    }

    private static func padded(_ n: Int, _ alignment: Int) -> Int { (n + alignment - 1) / alignment * alignment }
}

/// Little-endian serialisation of GGUF header fields.
private struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendString(_ s: String) {
        append(UInt64(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }

    mutating func pad(to alignment: Int) {
        let n = (alignment - bytes.count % alignment) % alignment
        bytes.append(contentsOf: repeatElement(0, count: n))
    }

    mutating func appendValue(_ v: GGUFValue, key: String, file: String) throws(FormatError) {
        append(v.ggufTypeID)
        try appendPayload(v, key: key, file: file)
    }

    /// Arrays must be non-nested and of one element type (GGUF stores the type once); an empty
    /// array is written as an array of strings.
    private mutating func appendPayload(_ v: GGUFValue, key: String, file: String) throws(FormatError) {
        switch v {
        case .uint8(let x): append(x)
        case .int8(let x): append(x)
        case .uint16(let x): append(x)
        case .int16(let x): append(x)
        case .uint32(let x): append(x)
        case .int32(let x): append(x)
        case .float32(let x): append(x.bitPattern)
        case .bool(let x): append(UInt8(x ? 1 : 0))
        case .string(let s): appendString(s)
        case .uint64(let x): append(x)
        case .int64(let x): append(x)
        case .float64(let x): append(x.bitPattern)
        case .array(let items):
            let type = items.first?.ggufTypeID ?? GGUFValue.string("").ggufTypeID
            append(type)
            append(UInt64(items.count))
            for item in items {
                guard item.ggufTypeID == type, type != 9 else {
                    throw FormatError(file: file, "metadata '\(key)': GGUF arrays must hold one non-array element type")
                }
                try appendPayload(item, key: key, file: file)
            }
        }
    }
}

extension GGUFValue {
    /// The `gguf_type` number of this value.
    var ggufTypeID: UInt32 {
        switch self {
        case .uint8: 0
        case .int8: 1
        case .uint16: 2
        case .int16: 3
        case .uint32: 4
        case .int32: 5
        case .float32: 6
        case .bool: 7
        case .string: 8
        case .array: 9
        case .uint64: 10
        case .int64: 11
        case .float64: 12
        }
    }
}
