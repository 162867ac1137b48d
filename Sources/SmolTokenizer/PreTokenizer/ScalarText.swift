/// A run of text decoded once into Unicode scalars, their character classes and their UTF-8
/// offsets, so the split scanners can look ahead freely and the BPE step can take each word's
/// bytes without re-encoding.
struct ScalarText {
    private(set) var scalars: [UInt32] = []
    private(set) var classes: [ScalarClass] = []
    /// `byteOffsets[i]` is where scalar `i` starts in the UTF-8 input; one extra entry marks the end.
    private(set) var byteOffsets: [Int] = []

    var count: Int { scalars.count }

    /// Replaces the contents with the scalars of `bytes`, which must be valid UTF-8 (it comes from
    /// a Swift `String`). Keeps the buffers' capacity so one instance serves every segment.
    mutating func load(_ bytes: UnsafeBufferPointer<UInt8>) {
        scalars.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        byteOffsets.removeAll(keepingCapacity: true)
        scalars.reserveCapacity(bytes.count)
        classes.reserveCapacity(bytes.count)
        byteOffsets.reserveCapacity(bytes.count + 1)
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            var value: UInt32
            var length: Int
            switch lead {
            case 0..<0x80: value = UInt32(lead); length = 1
            case 0xC0..<0xE0: value = UInt32(lead & 0x1F); length = 2
            case 0xE0..<0xF0: value = UInt32(lead & 0x0F); length = 3
            default: value = UInt32(lead & 0x07); length = 4
            }
            length = min(length, bytes.count - index)
            for offset in 1..<max(length, 1) {
                value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
            }
            scalars.append(value)
            classes.append(ScalarClass.of(value))
            byteOffsets.append(index)
            index += length
        }
        byteOffsets.append(bytes.count)
    }

    /// Runs `body` with a bounds-checked view of scalars `range`.
    func withSpan<Result>(_ range: Range<Int>, _ body: (ScalarSpan) -> Result) -> Result {
        scalars.withUnsafeBufferPointer { scalarBuffer in
            classes.withUnsafeBufferPointer { classBuffer in
                body(ScalarSpan(scalars: scalarBuffer, classes: classBuffer, bounds: range))
            }
        }
    }
}

/// A window on a ``ScalarText`` that reads as "out of range" (no scalar, no class) outside its
/// bounds — the same convention llama.cpp's scanners use, which keeps look-ahead code free of
/// bounds checks and stops every run at the end of its segment.
struct ScalarSpan {
    static let outOfRange = UInt32.max

    let scalars: UnsafeBufferPointer<UInt32>
    let classes: UnsafeBufferPointer<ScalarClass>
    let bounds: Range<Int>

    @inline(__always)
    func scalar(_ index: Int) -> UInt32 {
        bounds.contains(index) ? scalars[index] : Self.outOfRange
    }

    @inline(__always)
    func classes(_ index: Int) -> ScalarClass {
        bounds.contains(index) ? classes[index] : []
    }
}
