import Foundation
import Testing
import SmolFormats

/// `SafetensorsWriter` writes files that `SafetensorsFile` (and so the safetensors library's
/// contiguity rule) accepts, and never leaves a half-written file under the real name.
@Suite("Safetensors writer")
struct SafetensorsWriterTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID()).safetensors").path
    }

    @Test("tensors written back to back read back with their names, types, shapes and bytes")
    func roundTrip() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a: [Float] = [1, -2, 3.5]
        let b: [UInt16] = [0x3F80, 0xC000, 0x4040, 0x0000, 0x7F80]  // bf16 1, -2, 3, 0, +inf
        let writer = try SafetensorsWriter(path: path, tensors: [
            .init(name: "a", shape: [3], type: .f32), .init(name: "b", shape: [5, 1], type: .bf16),
        ])
        try a.withUnsafeBytes { try writer.writeTensor($0) }
        try b.withUnsafeBytes { try writer.writeTensor($0) }
        try writer.finish()

        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        let ta = try #require(file.tensors["a"]), tb = try #require(file.tensors["b"])
        #expect(ta.type == .f32 && ta.shape == [3])
        #expect(tb.type == .bf16 && tb.shape == [5, 1])
        #expect(Array(ta.bytes.assumingMemoryBound(to: Float.self)) == a)
        #expect(Array(tb.bytes.assumingMemoryBound(to: UInt16.self)) == b)
        #expect(tb.fileOffset == ta.fileOffset + 12)
        #expect(ta.fileOffset % 64 == 0, "data starts on a cache line")
    }

    @Test("wrong sizes, missing tensors and block types are errors, and no file is left behind")
    func errors() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = SafetensorsWriter.Tensor(name: "w", shape: [2, 2], type: .f32)
        #expect(throws: FormatError.self) { try SafetensorsWriter(path: path, tensors: [t, t]) }
        #expect(throws: FormatError.self) {
            try SafetensorsWriter(path: path, tensors: [.init(name: "q", shape: [1, 32], type: .q8_0)])
        }
        do {
            let writer = try SafetensorsWriter(path: path, tensors: [t])
            #expect(throws: FormatError.self) { try [Float](repeating: 0, count: 3).withUnsafeBytes { try writer.writeTensor($0) } }
            #expect(throws: FormatError.self) { try writer.finish() }
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }
}
