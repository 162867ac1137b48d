/// GPT-2's reversible byte ↔ character mapping (`bytes_to_unicode`).
///
/// Byte-level BPE vocabularies store tokens as text in which every byte is one printable
/// character: bytes `!`…`~`, 161…172 and 174…255 stand for themselves, the other 68 bytes
/// (controls, space, 127…160, 173) become U+0100 + k in ascending order — space is `Ġ` (U+0120),
/// newline `Ċ` (U+010A). The tokenizer works on raw bytes internally and only uses this mapping to
/// read vocabulary and merge files and to display tokens.
enum ByteLevel {
    /// The character that stands for each byte.
    static let scalarForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 0x100
        for byte in 0..<256 {
            if isSelfMapped(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next) ?? "\u{FFFD}"  // 0x100…0x143: always valid
                next += 1
            }
        }
        return table
    }()

    /// The byte each mapped character stands for, indexed by scalar value; -1 if unmapped.
    private static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar.value)] = Int16(byte)
        }
        return table
    }()

    private static func isSelfMapped(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The vocabulary spelling of raw bytes, e.g. `[0x20, 0x61]` → `"Ġa"`.
    static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarForByte[Int(byte)]) }
        return String(text)
    }

    /// The raw bytes a vocabulary spelling stands for, or nil if some character is not part of the
    /// mapping (added tokens such as `<|im_end|>` are stored verbatim and usually map trivially,
    /// but a token containing a plain space or CJK text does not).
    static func decode(_ token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.utf8.count)
        for scalar in token.unicodeScalars {
            let value = Int(scalar.value)
            guard value < byteForScalar.count else { return nil }
            let byte = byteForScalar[value]
            guard byte >= 0 else { return nil }
            bytes.append(UInt8(byte))
        }
        return bytes
    }

    /// The byte a single-character token stands for, or nil.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < byteForScalar.count, byteForScalar[value] >= 0 else { return nil }
        return UInt8(byteForScalar[value])
    }
}
