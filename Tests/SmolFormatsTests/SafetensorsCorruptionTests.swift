import Foundation
import SmolFormats
import Testing

/// Safetensors files and checkpoint directories broken in one place each: every one is a
/// `FormatError` naming the file, and the tensor where there is one.
@Suite("Safetensors: corrupt files and checkpoints")
struct SafetensorsCorruptionTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    private func expectFailure(_ bytes: [UInt8], mentioning phrases: [String]) throws {
        let path = try directory.write(bytes, to: "model.safetensors")
        let error = #expect(throws: FormatError.self) { try SafetensorsFile(path: path) }
        #expect(error?.file == path)
        for phrase in phrases {
            #expect(error?.message.contains(phrase) == true, "'\(phrase)' not in: \(error?.message ?? "none")")
        }
    }

    @Test("the hand-built file parses (the builder itself is sound)")
    func validFileParses() throws {
        let file = try SafetensorsFile(path: directory.write(try SafetensorsBytes.valid(), to: "valid.safetensors"))
        #expect(file.tensors["y"]?.shape == [2, 2])
        #expect(file.tensors["y"]?.bytes.count == 16)
    }

    @Test("a file cut inside its tensor data names the tensor that no longer fits")
    func truncatedData() throws {
        try expectFailure(Array(try SafetensorsBytes.valid().dropLast(5)), mentioning: ["'y'", "truncated"])
    }

    @Test("a file cut inside its 8-byte length prefix is rejected")
    func truncatedLengthPrefix() throws {
        try expectFailure(Array(try SafetensorsBytes.valid().prefix(5)), mentioning: ["header length"])
    }

    @Test("a header length past the end of the file is rejected")
    func headerLengthPastEnd() throws {
        let bytes = try SafetensorsBytes.make(header: [:], data: [], claimedHeaderLength: 1 << 40)
        try expectFailure(bytes, mentioning: ["header length", "past the end"])
    }

    @Test("a header that is not JSON is rejected")
    func headerNotJSON() throws {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: UInt64(4).littleEndian) { bytes += $0 }
        try expectFailure(bytes + Array("{{{{".utf8), mentioning: ["not valid JSON"])
    }

    @Test("a tensor whose byte range runs past the data is rejected")
    func rangePastEnd() throws {
        let bytes = try SafetensorsBytes.make(header: ["w": SafetensorsBytes.entry("F32", [8], 0, 32)],
                                              data: [UInt8](repeating: 0, count: 16))
        try expectFailure(bytes, mentioning: ["'w'", "past the end"])
    }

    @Test("data offsets beyond any integer are rejected", arguments: [
        (0.0, 1e30), (-16.0, 0.0), (32.0, 16.0),
    ])
    func absurdOffsets(begin: Double, end: Double) throws {
        let bytes = try SafetensorsBytes.make(header: ["w": SafetensorsBytes.entry("F32", [4], begin, end)],
                                              data: [UInt8](repeating: 0, count: 32))
        try expectFailure(bytes, mentioning: ["'w'"])
    }

    @Test("a byte range that disagrees with shape and dtype is rejected")
    func rangeSizeMismatch() throws {
        let bytes = try SafetensorsBytes.make(header: ["w": SafetensorsBytes.entry("F32", [4], 0, 8)],
                                              data: [UInt8](repeating: 0, count: 16))
        try expectFailure(bytes, mentioning: ["'w'", "needs 16 bytes"])
    }

    @Test("overlapping tensors are rejected, naming both")
    func overlappingRanges() throws {
        let bytes = try SafetensorsBytes.make(
            header: ["a": SafetensorsBytes.entry("F32", [4], 0, 16), "b": SafetensorsBytes.entry("F32", [4], 8, 24)],
            data: [UInt8](repeating: 0, count: 32))
        try expectFailure(bytes, mentioning: ["'a'", "'b'", "overlap"])
    }

    @Test("an unknown dtype is rejected, naming tensor and dtype")
    func unknownDtype() throws {
        let bytes = try SafetensorsBytes.make(header: ["w": SafetensorsBytes.entry("F8_E4M3", [4], 0, 4)],
                                              data: [UInt8](repeating: 0, count: 4))
        try expectFailure(bytes, mentioning: ["'w'", "F8_E4M3"])
    }

    @Test("a checkpoint whose index names a missing shard is rejected, naming the shard")
    func missingShard() throws {
        try directory.write(try SafetensorsBytes.valid(), to: "model-00001-of-00002.safetensors")
        let index = ["weight_map": ["x": "model-00001-of-00002.safetensors", "z": "model-00002-of-00002.safetensors"]]
        try directory.write(Array(try JSONSerialization.data(withJSONObject: index)), to: "model.safetensors.index.json")
        let error = #expect(throws: FormatError.self) { try SafetensorsCheckpoint(directory: directory.path) }
        #expect(error?.file == directory.path + "/model-00002-of-00002.safetensors")
        #expect(error?.message.contains("missing") == true)
    }

    @Test("a checkpoint whose index names a tensor its shard lacks is rejected, naming the tensor")
    func tensorMissingFromShard() throws {
        try directory.write(try SafetensorsBytes.valid(), to: "model-00001-of-00001.safetensors")
        let index = ["weight_map": ["x": "model-00001-of-00001.safetensors", "z": "model-00001-of-00001.safetensors"]]
        try directory.write(Array(try JSONSerialization.data(withJSONObject: index)), to: "model.safetensors.index.json")
        let error = #expect(throws: FormatError.self) { try SafetensorsCheckpoint(directory: directory.path) }
        #expect(error?.file == directory.path + "/model-00001-of-00001.safetensors")
        #expect(error?.message.contains("'z'") == true)
    }

    @Test("the sharded tiny-smollm3 checkpoint loads every tensor its index lists")
    func shardedFixtureLoads() throws {
        let dir = Fixtures.path("tiny-smollm3")
        let checkpoint = try SafetensorsCheckpoint(directory: dir)
        let index = try #require(try Fixtures.json("tiny-smollm3/model.safetensors.index.json") as? [String: Any])
        let weightMap = try #require(index["weight_map"] as? [String: String])
        #expect(checkpoint.files.count == 2)
        #expect(Set(checkpoint.tensors.keys) == Set(weightMap.keys))
    }
}
