import Foundation
import SmolFormats
import Testing

/// The tiny GGUFs made by llama.cpp's own tools parse to exactly what `gguf_manifest.json`
/// (written with gguf-py) says they contain.
@Suite("GGUF: the tiny-smollm3 fixture files")
struct GGUFFixtureTests {
    struct Manifest {
        let files: [String: [String: Any]]

        static func load() throws -> Manifest {
            let json = try #require(try Fixtures.json("tiny-smollm3-gguf/gguf_manifest.json") as? [String: Any])
            return Manifest(files: try #require(json["files"] as? [String: [String: Any]]))
        }

        var shipped: [String] { files.filter { $0.value["shipped"] as? Bool == true }.keys.sorted() }
    }

    static let shippedFiles: [String] = (try? Manifest.load().shipped) ?? []

    private func open(_ name: String) throws -> (GGUFFile, [String: Any]) {
        let entry = try #require(try Manifest.load().files[name])
        return (try GGUFFile(path: Fixtures.path("tiny-smollm3-gguf/" + name)), entry)
    }

    @Test("all eleven shipped files are listed in the manifest")
    func manifestListsShippedFiles() {
        #expect(Self.shippedFiles.count == 11)
    }

    @Test("version 3, 74 tensors and the manifest's type counts", arguments: shippedFiles)
    func tensorCounts(name: String) throws {
        let (gguf, entry) = try open(name)
        #expect(gguf.version == 3)
        #expect(gguf.tensors.count == 74)
        let counts = Dictionary(grouping: gguf.tensors, by: { $0.type.description }).mapValues(\.count)
        #expect(counts == (entry["type_counts"] as? [String: Int]))
    }

    @Test("tensor names, types and shapes match the manifest", arguments: shippedFiles)
    func tensorDescriptors(name: String) throws {
        let (gguf, entry) = try open(name)
        let expected = try #require(entry["tensors"] as? [[String: Any]])
        for e in expected {
            let tensorName = try #require(e["name"] as? String)
            let t = try #require(gguf.tensor(tensorName), "\(tensorName) missing")
            #expect(t.type.description == e["type"] as? String, "\(tensorName)")
            #expect(t.shape == (e["shape"] as? [Int])?.reversed(), "\(tensorName): GGUF ne order is reversed")
        }
    }

    @Test("every metadata value matches the manifest", arguments: shippedFiles)
    func metadataValues(name: String) throws {
        let (gguf, entry) = try open(name)
        let expected = try #require(entry["metadata"] as? [String: Any])
        #expect(gguf.metadataKeys.count == expected["GGUF.kv_count"] as? Int)
        for (key, value) in expected where !key.hasPrefix("GGUF.") {
            let actual = try #require(gguf.metadata[key], "\(key) missing")
            expectMatches(actual, value, key: key)
        }
    }

    @Test("the architecture keys llama.cpp reads for smollm3", arguments: shippedFiles)
    func hyperParameters(name: String) throws {
        let (gguf, _) = try open(name)
        #expect(gguf.metadata["general.architecture"]?.string == "smollm3")
        #expect(gguf.metadata["smollm3.block_count"]?.int == 8)
        #expect(gguf.metadata["smollm3.embedding_length"]?.int == 256)
        #expect(gguf.metadata["smollm3.attention.head_count_kv"]?.int == 2)
        #expect(gguf.metadata["tokenizer.ggml.tokens"]?.stringArray?.count == 1024)
        #expect(gguf.alignment == 32)
    }

    /// The manifest stores scalars as JSON values, arrays as "array[N]" and long strings as
    /// "<prefix>... (N chars)".
    private func expectMatches(_ actual: GGUFValue, _ expected: Any, key: String) {
        switch expected {
        case let s as String where s.hasPrefix("array["):
            #expect("array[\(actual.array?.count ?? -1)]" == s, "\(key)")
        case let s as String where s.hasSuffix(" chars)"):
            let prefix = String(s[..<(s.range(of: "... (")?.lowerBound ?? s.endIndex)])
            let length = Int(s[(s.range(of: "... (")?.upperBound ?? s.endIndex)...].dropLast(7))
            #expect(actual.string?.hasPrefix(prefix) == true && actual.string?.count == length, "\(key)")
        case let s as String:
            #expect(actual.string == s, "\(key)")
        case let n as NSNumber where ["d", "f"].contains(String(cString: n.objCType)):
            #expect(actual.double.map { abs($0 - n.doubleValue) <= 1e-12 * abs(n.doubleValue) } == true, "\(key)")
        case let n as NSNumber where String(cString: n.objCType) == "c":
            #expect(actual.bool == n.boolValue, "\(key)")
        case let n as NSNumber:
            #expect(actual.int == n.intValue, "\(key)")
        default:
            Issue.record("\(key): unexpected manifest value \(expected)")
        }
    }
}
