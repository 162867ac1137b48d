/// A bounds-checked little-endian cursor over a byte buffer. Every read that would run past the
/// end throws instead of trapping, which is what makes corrupt headers safe to parse.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let file: String
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, file: String, offset: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    func error(_ message: String, at position: Int? = nil) -> FormatError {
        FormatError(file: file, "\(message) (at byte offset \(position ?? offset))")
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(FormatError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw error("file ends inside \(what())") }
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: value)
    }

    mutating func readBytes(_ count: Int, _ what: @autoclosure () -> String) throws(FormatError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= remaining else {
            throw error("\(what()) claims \(count) bytes but only \(remaining) remain")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
        offset += count
        return slice
    }
}
