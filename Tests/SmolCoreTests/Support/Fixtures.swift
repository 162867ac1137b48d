import Foundation
import Testing
import SmolCore
import SmolFormats

/// The shared fixture tree (`Tests/Fixtures`), found relative to this source file so tests run
/// from any working directory.
enum Fixtures {
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SmolCoreTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures").path

    static func path(_ relative: String) -> String { root + "/" + relative }
}

/// `reference/gguf_dequant_rows.{json,safetensors}`: for each ggml type, the first rows of one tensor
/// of a tiny GGUF, dequantized by gguf-py, plus the raw bytes of row 0.
struct DequantRowsFixture {
    struct Entry: Decodable {
        let sourceFile: String
        let tensor: String
        let rows: Int
        let rowLength: Int
        let bytesPerRow: Int
        let rawHexFirstRow: String
        let sourceFileShipped: Bool?
    }

    private struct Document: Decodable { let entries: [String: Entry] }

    let entries: [String: Entry]
    let values: SafetensorsFile

    static func load() throws -> DequantRowsFixture {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("reference/gguf_dequant_rows.json")))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let document = try decoder.decode(Document.self, from: data)
        let values = try SafetensorsFile(path: Fixtures.path("reference/gguf_dequant_rows.safetensors"))
        return DequantRowsFixture(entries: document.entries, values: values)
    }

    func entry(_ type: TensorType) throws -> Entry {
        try #require(entries[type.description], "no gguf_dequant_rows entry for \(type)")
    }

    /// Reference row `row` of `type` as gguf-py dequantized it.
    func referenceRow(_ type: TensorType, _ row: Int) throws -> [Float] {
        let e = try entry(type)
        let t = try #require(values.tensors[type.description])
        let all = t.bytes.bindMemory(to: Float.self)
        return Array(all[(row * e.rowLength)..<((row + 1) * e.rowLength)])
    }

    /// The raw bytes of row 0, decoded from the JSON's hex.
    func rawFirstRow(_ type: TensorType) throws -> [UInt8] {
        let hex = Array(try entry(type).rawHexFirstRow.utf8)
        return try stride(from: 0, to: hex.count, by: 2).map { i in
            try #require(UInt8(String(decoding: hex[i..<(i + 2)], as: UTF8.self), radix: 16))
        }
    }
}

