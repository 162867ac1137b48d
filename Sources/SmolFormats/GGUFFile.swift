/// A GGUF file (versions 2 and 3): metadata key/values, tensor descriptors, and tensor data used
/// in place from the memory map.
///
/// Parsing trusts nothing: every count, length, dimension and offset is checked against the bytes
/// that are actually there before anything is allocated, so a corrupt file costs an error message,
/// not a crash or a gigabyte allocation.
public final class GGUFFile: @unchecked Sendable {
    public let file: MappedFile
    public let version: UInt32
    public let metadata: [String: GGUFValue]
    /// Keys in file order, for display.
    public let metadataKeys: [String]
    /// Tensors in file order.
    public let tensors: [TensorData]
    public let alignment: Int

    public var path: String { file.path }

    public convenience init(path: String) throws(FormatError) {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws(FormatError) {
        self.file = file
        var r = ByteReader(file.bytes, file: file.path)
        let magic = try r.read(UInt32.self, "the magic number")
        guard magic == 0x4655_4747 else {  // "GGUF" little-endian
            throw r.error("not a GGUF file (magic is not 'GGUF')", at: 0)
        }
        version = try r.read(UInt32.self, "the version")
        guard version == 2 || version == 3 else {
            throw r.error("unsupported GGUF version \(version) (supported: 2, 3)", at: 4)
        }
        let tensorCount = try r.read(UInt64.self, "the tensor count")
        let kvCount = try r.read(UInt64.self, "the metadata count")
        // Each metadata entry takes at least 13 bytes and each tensor info at least 24, so larger
        // counts cannot be honest.
        guard kvCount <= UInt64(r.remaining / 13) else {
            throw r.error("metadata count \(kvCount) is larger than the file could hold", at: 16)
        }
        guard tensorCount <= UInt64(r.remaining / 24) else {
            throw r.error("tensor count \(tensorCount) is larger than the file could hold", at: 8)
        }

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for i in 0..<Int(kvCount) {
            let at = r.offset
            let key = try Self.readString(&r, "metadata key #\(i)")
            guard metadata[key] == nil else { throw r.error("metadata key '\(key)' appears twice", at: at) }
            let type = try r.read(UInt32.self, "the type of '\(key)'")
            metadata[key] = try Self.readValue(&r, type: type, key: key, depth: 0)
            keys.append(key)
        }

        var alignment = 32
        if let value = metadata["general.alignment"] {
            guard let a = value.int else { throw r.error("general.alignment is \(value), not an integer") }
            alignment = a
        }
        guard alignment > 0, alignment & (alignment - 1) == 0, alignment <= 1 << 20 else {
            throw r.error("general.alignment \(alignment) is not a power of two up to 1 MiB")
        }

        struct Info { let name: String; let shape: [Int]; let type: TensorType; let offset: Int; let bytes: Int; let at: Int }
        var infos: [Info] = []
        for i in 0..<Int(tensorCount) {
            let at = r.offset
            let name = try Self.readString(&r, "the name of tensor #\(i)")
            let nDims = try r.read(UInt32.self, "the dimension count of '\(name)'")
            guard (1...4).contains(nDims) else { throw r.error("tensor '\(name)' has \(nDims) dimensions (1 to 4 allowed)") }
            var ne: [Int] = []
            for _ in 0..<nDims {
                let d = try r.read(UInt64.self, "a dimension of '\(name)'")
                guard d <= UInt64(Int32.max) else { throw r.error("tensor '\(name)' has an absurd dimension \(d)") }
                ne.append(Int(d))
            }
            let rawType = try r.read(UInt32.self, "the type of '\(name)'")
            guard let type = TensorType(rawValue: rawType) else {
                throw r.error("tensor '\(name)' has unknown ggml type \(rawType)")
            }
            let offset = try r.read(UInt64.self, "the data offset of '\(name)'")
            guard let count = elementCount(ne), ne[0] % type.blockSize == 0,
                  let bytes = type.byteCount(elements: count) else {
                throw r.error("tensor '\(name)' shape \(ne) does not fit whole \(type) blocks of \(type.blockSize)")
            }
            guard offset % UInt64(alignment) == 0, offset <= UInt64(Int.max / 2) else {
                throw r.error("tensor '\(name)' data offset \(offset) is not aligned to \(alignment)")
            }
            infos.append(Info(name: name, shape: ne.reversed(), type: type, offset: Int(offset), bytes: bytes, at: at))
        }

        let dataStart = (r.offset + alignment - 1) / alignment * alignment
        let dataSize = file.count - dataStart
        var tensors: [TensorData] = []
        var seen = Set<String>()
        for info in infos {
            guard seen.insert(info.name).inserted else { throw r.error("tensor '\(info.name)' appears twice", at: info.at) }
            guard dataSize >= 0, info.offset <= dataSize, info.bytes <= dataSize - info.offset else {
                throw FormatError(file: file.path, "tensor '\(info.name)' (\(info.type) \(info.shape)) needs bytes \(dataStart + info.offset)..<\(dataStart + info.offset + info.bytes) but the file has \(file.count); the file is truncated")
            }
            let begin = dataStart + info.offset
            tensors.append(TensorData(name: info.name, type: info.type, shape: info.shape,
                                      bytes: UnsafeRawBufferPointer(rebasing: file.bytes[begin..<(begin + info.bytes)]),
                                      fileOffset: begin, file: file))
        }
        // Empty tensors own no bytes; left in, one sorted between two overlapping ranges would
        // hide the overlap from the neighbour-to-neighbour comparison.
        let sorted = infos.filter { $0.bytes > 0 }.sorted { $0.offset < $1.offset }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.offset < a.offset + a.bytes {
            throw FormatError(file: file.path, "tensors '\(a.name)' and '\(b.name)' overlap (data offsets \(a.offset)+\(a.bytes) and \(b.offset))")
        }
        self.metadata = metadata
        self.metadataKeys = keys
        self.tensors = tensors
        self.alignment = alignment
    }

    public func tensor(_ name: String) -> TensorData? { tensors.first { $0.name == name } }

    // MARK: - Value parsing

    private static func readString(_ r: inout ByteReader, _ what: @autoclosure () -> String) throws(FormatError) -> String {
        let at = r.offset
        let length = try r.read(UInt64.self, "the length of \(what())")
        guard length <= UInt64(r.remaining) else {
            throw r.error("\(what()) claims \(length) bytes but only \(r.remaining) remain", at: at)
        }
        let bytes = try r.readBytes(Int(length), what())
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func readValue(_ r: inout ByteReader, type: UInt32, key: String, depth: Int) throws(FormatError) -> GGUFValue {
        switch type {
        case 0: return .uint8(try r.read(UInt8.self, "'\(key)'"))
        case 1: return .int8(try r.read(Int8.self, "'\(key)'"))
        case 2: return .uint16(try r.read(UInt16.self, "'\(key)'"))
        case 3: return .int16(try r.read(Int16.self, "'\(key)'"))
        case 4: return .uint32(try r.read(UInt32.self, "'\(key)'"))
        case 5: return .int32(try r.read(Int32.self, "'\(key)'"))
        case 6: return .float32(Float(bitPattern: try r.read(UInt32.self, "'\(key)'")))
        case 7: return .bool(try r.read(UInt8.self, "'\(key)'") != 0)
        case 8: return .string(try readString(&r, "the value of '\(key)'"))
        case 9:
            guard depth == 0 else { throw r.error("'\(key)' nests arrays deeper than GGUF allows") }
            let elementType = try r.read(UInt32.self, "the element type of '\(key)'")
            let count = try r.read(UInt64.self, "the element count of '\(key)'")
            let minSize: UInt64 = switch elementType { case 0, 1, 7: 1; case 2, 3: 2; case 4, 5, 6: 4; case 8, 10, 11, 12, 9: 8; default: 1 }
            guard count <= UInt64(r.remaining) / minSize else {
                throw r.error("array '\(key)' claims \(count) elements, more than the file could hold")
            }
            var values: [GGUFValue] = []
            values.reserveCapacity(Int(count))
            for _ in 0..<Int(count) {
                values.append(try readValue(&r, type: elementType, key: key, depth: depth + 1))
            }
            return .array(values)
        case 10: return .uint64(try r.read(UInt64.self, "'\(key)'"))
        case 11: return .int64(try r.read(Int64.self, "'\(key)'"))
        case 12: return .float64(Double(bitPattern: try r.read(UInt64.self, "'\(key)'")))
        default: throw r.error("metadata '\(key)' has unknown value type \(type)")
        }
    }
}
