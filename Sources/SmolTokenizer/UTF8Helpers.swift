/// UTF-8 structure checks for byte sequences that may stop mid-character (token pieces,
/// streamed output).
enum UTF8Validation {
    /// Length of the sequence a lead byte starts, or 0 for a continuation or invalid byte.
    static func sequenceLength(lead: UInt8) -> Int {
        switch lead {
        case 0x00...0x7F: 1
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// How many bytes at the end of `bytes` are the start of a UTF-8 sequence that is still
    /// incomplete but could be completed by more bytes (0 if the buffer ends cleanly or with
    /// bytes that can never become valid).
    static func incompleteSuffixLength(_ bytes: [UInt8]) -> Int {
        guard !bytes.isEmpty else { return 0 }
        for back in 1...min(3, bytes.count) {
            let lead = bytes[bytes.count - back]
            if lead & 0xC0 == 0x80 { continue }  // continuation byte: keep looking for the lead
            let needed = sequenceLength(lead: lead)
            guard needed > back else { return 0 }
            // The bytes present must be a valid prefix (e.g. E0 needs A0…BF next, F4 needs 80…8F).
            return isValidPrefix(bytes[(bytes.count - back)...]) ? back : 0
        }
        return 0
    }

    private static func isValidPrefix(_ prefix: ArraySlice<UInt8>) -> Bool {
        let lead = prefix[prefix.startIndex]
        guard prefix.count > 1 else { return true }
        let second = prefix[prefix.startIndex + 1]
        let secondRange: ClosedRange<UInt8> = switch lead {
        case 0xE0: 0xA0...0xBF
        case 0xED: 0x80...0x9F
        case 0xF0: 0x90...0xBF
        case 0xF4: 0x80...0x8F
        default: 0x80...0xBF
        }
        guard secondRange.contains(second) else { return false }
        return prefix.dropFirst(2).allSatisfy { $0 & 0xC0 == 0x80 }
    }
}

/// Decoding single scalars around a byte offset of valid UTF-8.
enum UTF8Scalars {
    static func scalar(startingAt offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard offset < bytes.count else { return nil }
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    static func scalar(endingAt offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard offset > 0 else { return nil }
        var start = offset - 1
        while start > 0, offset - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return scalar(startingAt: start, in: bytes)
    }
}
