import Foundation
import SmolFormats
import Testing

/// The smallest tiny GGUF, cut short or with bytes flipped. Truncation must always be a
/// `FormatError` (the last tensor no longer fits); a flipped file may still parse, but then every
/// tensor it hands out must lie inside the file, unshared, at its declared size.
@Suite("GGUF: truncated and corrupted fixture files")
struct GGUFFuzzTests {
    static let source = Fixtures.path("tiny-smollm3-gguf/tiny-smollm3-Q2_K.gguf")

    /// Where the tensor data begins: everything before it is header (metadata and descriptors).
    static func dataStart() throws -> Int {
        try #require(GGUFFile(path: source).tensors.map(\.fileOffset).min())
    }

    /// Truncation points for the header: every byte of the first KiB (fixed header, scalar
    /// metadata, the vocabulary's array header) and of the 74 tensor descriptors; every 7th byte
    /// in between, inside the vocabulary, merges and chat template, whose thousands of entries
    /// all take the same path. (A parse costs milliseconds in a debug build; all 37k offsets
    /// would take a minute.)
    static func headerTruncationPoints() throws -> [Int] {
        let gguf = try GGUFFile(path: source)
        let dataStart = try Self.dataStart()
        // name (u64 length + bytes), u32 n_dims, u64 per dimension, u32 type, u64 offset
        let descriptorBytes = gguf.tensors.reduce(0) { $0 + 8 + $1.name.utf8.count + 4 + 8 * $1.shape.count + 4 + 8 }
        // The descriptors end within the alignment padding before the data.
        let descriptorsStart = dataStart - gguf.alignment - descriptorBytes
        return Array(0..<1024) + Array(stride(from: 1024, to: descriptorsStart, by: 7)) + Array(descriptorsStart..<dataStart)
    }

    /// Copies the fixture to a scratch file, then cuts it down to each length in `lengths`
    /// (descending) in place, parsing after every cut.
    private func expectEveryTruncationFails(_ lengths: [Int]) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/truncated.gguf"
        try FileManager.default.copyItem(atPath: Self.source, toPath: path)
        var parsed: [Int] = []
        for length in lengths.sorted(by: >) {
            try #require(truncate(path, off_t(length)) == 0)
            do {
                _ = try GGUFFile(path: path)
                parsed.append(length)
            } catch {
                #expect(error.file == path)
            }
        }
        #expect(parsed.isEmpty, "truncated files that parsed: \(parsed.prefix(10))")
    }

    @Test("truncations throughout the header region are FormatErrors")
    func truncatedHeader() throws {
        try expectEveryTruncationFails(try Self.headerTruncationPoints())
    }

    @Test("truncations throughout the tensor data are FormatErrors")
    func truncatedData() throws {
        let size = try #require(FileManager.default.attributesOfItem(atPath: Self.source)[.size] as? Int)
        try expectEveryTruncationFails(Array(stride(from: try Self.dataStart(), to: size, by: 997)) + [size - 1])
    }

    @Test("random byte flips in the header parse consistently or fail with a FormatError")
    func flippedHeaderBytes() throws {
        // The tensor data is replaced by ASCII: a flip that inflates a string length makes the
        // string run into the data, and decoding binary as UTF-8 takes the stdlib's repair path,
        // which throws internally per invalid sequence — each throw costs a backtrace under
        // Swift Testing (seconds per file). The header, which is what is being corrupted, is intact.
        let headerEnd = try Self.dataStart()
        var original = try Data(contentsOf: URL(fileURLWithPath: Self.source))
        original.replaceSubrange(headerEnd..<original.count, with: Data(repeating: 0x41, count: original.count - headerEnd))
        let directory = try TemporaryDirectory()
        let path = directory.path + "/flipped.gguf"
        try original.write(to: URL(fileURLWithPath: path))
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }

        var rng = SeededGenerator(seed: 0xF11F)
        var failures = 0
        let trials = 1500
        for _ in 0..<trials {
            let flips = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
                (Int.random(in: 0..<headerEnd, using: &rng), UInt8.random(in: 1...255, using: &rng))
            }
            for (offset, mask) in flips { try overwrite(handle, at: offset, with: original[offset] ^ mask) }
            let result = Result { () throws(FormatError) in try GGUFFile(path: path) }
            for (offset, _) in flips.reversed() { try overwrite(handle, at: offset, with: original[offset]) }
            switch result {
            case .success(let gguf): try expectConsistent(gguf)
            case .failure(let error):
                failures += 1
                #expect(error.file == path)
            }
        }
        // Most flips land in strings or values that stay parseable; a good share must not.
        #expect(failures > trials / 20, "only \(failures) of \(trials) corrupted headers were rejected")
    }

    private func overwrite(_ handle: FileHandle, at offset: Int, with byte: UInt8) throws {
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: [byte])
    }

    /// What a parsed file promises: each tensor's bytes are inside the mapping, sized by its shape
    /// and type, and no two tensors share bytes. (Checked in plain code, one expectation per parse:
    /// thousands of `#expect`s would dominate the test's run time.)
    private func expectConsistent(_ gguf: GGUFFile) throws {
        let file = gguf.file.bytes
        let fileStart = try #require(file.baseAddress)
        var ranges: [Range<Int>] = []
        var violations: [String] = []
        for t in gguf.tensors where t.bytes.count > 0 {
            let start = (t.bytes.baseAddress ?? fileStart) - fileStart
            if start != t.fileOffset || start < 0 || start + t.bytes.count > file.count {
                violations.append("\(t.name) lies outside the file")
            }
            if t.type.byteCount(elements: t.elementCount) != t.bytes.count {
                violations.append("\(t.name) has \(t.bytes.count) bytes for \(t.type) \(t.shape)")
            }
            ranges.append(start..<(start + t.bytes.count))
        }
        ranges.sort { $0.lowerBound < $1.lowerBound }
        for (a, b) in zip(ranges, ranges.dropFirst()) where a.overlaps(b) { violations.append("\(a) overlaps \(b)") }
        #expect(violations.isEmpty, "\(violations)")
    }
}
