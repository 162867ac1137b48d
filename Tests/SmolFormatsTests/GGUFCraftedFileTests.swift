import SmolFormats
import Testing

/// Hand-built GGUF files, each wrong in one place. Every one must fail with a `FormatError` that
/// names the file and says what is wrong, before anything large is allocated.
@Suite("GGUF: hand-built corrupt files")
struct GGUFCraftedFileTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    /// Parses `g` and expects a `FormatError` for this file whose message contains `phrase`.
    private func expectFailure(_ g: GGUFBytes, mentioning phrase: String) throws {
        let path = try directory.write(g.bytes, to: "crafted.gguf")
        let error = #expect(throws: FormatError.self) { try GGUFFile(path: path) }
        #expect(error?.file == path)
        #expect(error?.message.contains(phrase) == true, "message: \(error?.message ?? "none")")
    }

    @Test("the minimal hand-built file parses (the builder itself is sound)")
    func minimalFileParses() throws {
        let path = try directory.write(GGUFBytes.valid().bytes, to: "valid.gguf")
        let gguf = try GGUFFile(path: path)
        #expect(gguf.metadata["general.architecture"]?.string == "llama")
        #expect(gguf.tensors.map(\.name) == ["a.weight", "b.weight"])
        #expect(gguf.tensor("b.weight")?.bytes.count == 32)
    }

    @Test("a wrong magic number is rejected")
    func badMagic() throws {
        var g = GGUFBytes()
        g.header(magic: 0x4C4C_4747, tensors: 0, metadata: 0)
        try expectFailure(g, mentioning: "not a GGUF file")
    }

    @Test("versions other than 2 and 3 are rejected", arguments: [UInt32(1), 4, 0xFFFF_FFFF])
    func unsupportedVersion(version: UInt32) throws {
        var g = GGUFBytes()
        g.header(version: version, tensors: 0, metadata: 0)
        try expectFailure(g, mentioning: "unsupported GGUF version \(version)")
    }

    @Test("a tensor count larger than the file could describe is rejected")
    func absurdTensorCount() throws {
        var g = GGUFBytes()
        g.header(tensors: 1 << 62, metadata: 0)
        try expectFailure(g, mentioning: "tensor count")
    }

    @Test("a metadata count larger than the file could hold is rejected")
    func absurdMetadataCount() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: UInt64.max)
        try expectFailure(g, mentioning: "metadata count")
    }

    @Test("a string claiming more bytes than remain is rejected")
    func absurdStringLength() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 1)
        g.string("general.name", claimedLength: 1 << 60)
        try expectFailure(g, mentioning: "claims")
    }

    @Test("an array claiming more elements than the file could hold is rejected")
    func absurdArrayCount() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 1)
        g.string("tokenizer.ggml.tokens")
        g.u32(GGUFBytes.ValueType.array.rawValue)
        g.u32(GGUFBytes.ValueType.string.rawValue)
        g.u64(1 << 40)
        try expectFailure(g, mentioning: "more than the file could hold")
    }

    @Test("arrays of arrays are rejected")
    func nestedArrays() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 1)
        g.string("nested")
        g.u32(GGUFBytes.ValueType.array.rawValue)
        g.u32(GGUFBytes.ValueType.array.rawValue)
        g.u64(1)
        g.u32(GGUFBytes.ValueType.uint8.rawValue)
        g.u64(1)
        g.u8(0)
        try expectFailure(g, mentioning: "nests arrays")
    }

    @Test("an unknown metadata value type is rejected")
    func unknownValueType() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 1)
        g.string("general.name")
        g.u32(13)
        g.u64(0)
        try expectFailure(g, mentioning: "unknown value type 13")
    }

    @Test("a metadata key that appears twice is rejected")
    func duplicateKey() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 2)
        g.keyValue("general.name", string: "a")
        g.keyValue("general.name", string: "b")
        try expectFailure(g, mentioning: "'general.name' appears twice")
    }

    @Test("a general.alignment that is not a power of two is rejected", arguments: [UInt32(0), 48])
    func alignmentNotPowerOfTwo(alignment: UInt32) throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 1)
        g.keyValue("general.alignment", uint32: alignment)
        try expectFailure(g, mentioning: "power of two")
    }

    @Test("a general.alignment that is not an integer is rejected")
    func alignmentOfWrongType() throws {
        var g = GGUFBytes()
        g.header(tensors: 0, metadata: 1)
        g.keyValue("general.alignment", string: "32")
        try expectFailure(g, mentioning: "general.alignment")
    }

    @Test("a tensor with 0 or more than 4 dimensions is rejected", arguments: [0, 5])
    func dimensionCount(count: Int) throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [UInt64](repeating: 2, count: count), offset: 0)
        g.data(64)
        try expectFailure(g, mentioning: "\(count) dimensions")
    }

    @Test("an absurd dimension is rejected")
    func absurdDimension() throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [1 << 40], offset: 0)
        try expectFailure(g, mentioning: "absurd dimension")
    }

    @Test("dimensions whose product overflows are rejected")
    func overflowingShape() throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [UInt64](repeating: UInt64(Int32.max), count: 4), offset: 0)
        try expectFailure(g, mentioning: "does not fit")
    }

    @Test("an unknown ggml type is rejected")
    func unknownTensorType() throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [8], type: 99, offset: 0)
        try expectFailure(g, mentioning: "unknown ggml type 99")
    }

    @Test("a row that is not a whole number of blocks is rejected")
    func partialBlock() throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [30, 2], type: TensorType.q4_0.rawValue, offset: 0)
        g.data(64)
        try expectFailure(g, mentioning: "whole Q4_0 blocks")
    }

    @Test("a data offset that is not aligned is rejected")
    func misalignedOffset() throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [8], offset: 4)
        g.data(64)
        try expectFailure(g, mentioning: "not aligned")
    }

    @Test("tensor data past the end of the file is rejected")
    func dataPastEnd() throws {
        var g = GGUFBytes()
        g.header(tensors: 1, metadata: 0)
        g.tensorInfo("t", dims: [64], offset: 0)
        g.data(100)
        try expectFailure(g, mentioning: "truncated")
    }

    @Test("two tensors with the same name are rejected")
    func duplicateNames() throws {
        var g = GGUFBytes()
        g.header(tensors: 2, metadata: 0)
        g.tensorInfo("t", dims: [8], offset: 0)
        g.tensorInfo("t", dims: [8], offset: 32)
        g.data(64)
        try expectFailure(g, mentioning: "appears twice")
    }

    @Test("overlapping tensor data ranges are rejected")
    func overlappingTensors() throws {
        var g = GGUFBytes()
        g.header(tensors: 2, metadata: 0)
        g.tensorInfo("a", dims: [16], offset: 0)
        g.tensorInfo("b", dims: [8], offset: 32)
        g.data(96)
        try expectFailure(g, mentioning: "overlap")
    }

    @Test("an overlap is found even with an empty tensor between the two ranges")
    func overlapBehindEmptyTensor() throws {
        var g = GGUFBytes()
        g.header(tensors: 3, metadata: 0)
        g.tensorInfo("big", dims: [32], offset: 0)
        g.tensorInfo("empty", dims: [0], offset: 32)
        g.tensorInfo("inside", dims: [8], offset: 64)
        g.data(128)
        try expectFailure(g, mentioning: "overlap")
    }
}
