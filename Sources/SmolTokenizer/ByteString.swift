/// A byte string used as a dictionary key for token and word lookups.
///
/// Keys are raw bytes, not `String`s, for two reasons. Correctness: `String` equality is
/// canonical equivalence, so two different byte sequences can compare equal. Speed: hashing a
/// non-ASCII `String` normalises it first, which made loading a 128k-entry vocabulary take over a
/// second. Up to 16 bytes — nearly every token and word — are stored inline, so building a key
/// allocates nothing.
struct ByteString: Hashable, Sendable {
    static let inlineCapacity = 16

    /// Bytes 0…7 and 8…15, little-endian, zero-padded (unused when spilled).
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    private(set) var count = 0
    /// The whole string when it is longer than ``inlineCapacity``.
    private var spilled: [UInt8]?

    init<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        if bytes.count > Self.inlineCapacity {
            spilled = Array(bytes)
            count = bytes.count
            return
        }
        for byte in bytes { appendInline(byte) }
    }

    /// The raw bytes a byte-level spelling (`"Ġthe"`) stands for; nil if a character is outside
    /// the byte-level alphabet.
    init?<Spelling: StringProtocol>(byteLevelSpelling spelling: Spelling) {
        let decoded: ByteString? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: spelling.utf8.count + 1) { buffer in
            var length = 0
            for scalar in spelling.unicodeScalars {
                guard let byte = ByteLevel.byte(for: scalar) else { return nil }
                buffer[length] = byte
                length += 1
            }
            return ByteString(UnsafeBufferPointer(rebasing: buffer[..<length]))
        }
        guard let decoded else { return nil }
        self = decoded
    }

    private mutating func appendInline(_ byte: UInt8) {
        if count < 8 {
            low |= UInt64(byte) << (8 * UInt64(count))
        } else {
            high |= UInt64(byte) << (8 * UInt64(count - 8))
        }
        count += 1
    }

    func byte(at index: Int) -> UInt8 {
        if let spilled { return spilled[index] }
        return UInt8(truncatingIfNeeded: index < 8 ? low >> (8 * UInt64(index)) : high >> (8 * UInt64(index - 8)))
    }

    /// The bytes, in order.
    var bytes: [UInt8] {
        spilled ?? (0..<count).map(byte(at:))
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(low)
        hasher.combine(high)
        hasher.combine(count)
        if let spilled { spilled.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    static func == (lhs: ByteString, rhs: ByteString) -> Bool {
        lhs.count == rhs.count && lhs.low == rhs.low && lhs.high == rhs.high && lhs.spilled == rhs.spilled
    }

    /// This string followed by `other` (a merge result).
    func appending(_ other: ByteString) -> ByteString {
        guard count + other.count <= Self.inlineCapacity else { return ByteString(bytes + other.bytes) }
        var result = self
        for index in 0..<other.count { result.appendInline(other.byte(at: index)) }
        return result
    }
}
