import Foundation
import SmolFormats
import SmolModel

/// A named array for saving: f32 values, or int64 token ids.
struct NamedArray {
    enum Values { case float([Float]), int([Int]) }
    let name: String
    let shape: [Int]
    let values: Values

    var count: Int { shape.reduce(1, *) }
}

/// Writers for `save` (.npy, .safetensors, .json) and the reader `compare` uses.
enum DumpFiles {
    // MARK: - Writing

    static func write(_ arrays: [NamedArray], to path: String, metadata: [String: String]) throws {
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") {
            guard arrays.count == 1 else {
                throw ScopeError.failed("a .npy file holds one array, this is \(arrays.count) (\(arrays.map(\.name).joined(separator: ", "))); use .safetensors or .json")
            }
            try npy(arrays[0]).write(to: URL(fileURLWithPath: path))
        } else if lower.hasSuffix(".safetensors") {
            try safetensors(arrays, metadata: metadata).write(to: URL(fileURLWithPath: path))
        } else if lower.hasSuffix(".json") {
            try json(arrays, metadata: metadata).write(to: URL(fileURLWithPath: path))
        } else {
            throw ScopeError.failed("unknown file type for '\((path as NSString).lastPathComponent)'; use .npy, .safetensors or .json")
        }
    }

    static func npy(_ a: NamedArray) -> Data {
        switch a.values {
        case .float(let v): return NPY.encode(shape: a.shape, values: v)
        case .int(let v): return NPY.encode(shape: a.shape, values: v.map(Int64.init))
        }
    }

    static func safetensors(_ arrays: [NamedArray], metadata: [String: String]) -> Data {
        var entries: [String] = []
        var body = Data()
        for a in arrays.sorted(by: { $0.name < $1.name }) {
            let start = body.count
            let dtype: String
            switch a.values {
            case .float(let v):
                dtype = "F32"
                v.withUnsafeBytes { body.append(contentsOf: $0) }
            case .int(let v):
                dtype = "I64"
                v.map { Int64($0).littleEndian }.withUnsafeBytes { body.append(contentsOf: $0) }
            }
            entries.append("\(JSONText.quoted(a.name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(a.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(start),\(body.count)]}")
        }
        let meta = metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }.joined(separator: ",")
        var header = "{\"__metadata__\":{\(meta)}" + entries.map { "," + $0 }.joined() + "}"
        while (8 + header.utf8.count) % 8 != 0 { header += " " }
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(body)
        return data
    }

    /// `{"metadata": {...}, "tensors": {"name": {"shape": [...], "data": [flat row-major values]}}}`.
    static func json(_ arrays: [NamedArray], metadata: [String: String]) -> Data {
        var out = "{\n  \"metadata\": {" + metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quoted($0.key)): \(JSONText.quoted($0.value))" }.joined(separator: ", ") + "},\n  \"tensors\": {"
        for (i, a) in arrays.enumerated() {
            let values: String
            switch a.values {
            case .float(let v): values = v.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ", ")
            case .int(let v): values = v.map(String.init).joined(separator: ", ")
            }
            out += (i > 0 ? "," : "") + "\n    \(JSONText.quoted(a.name)): {\"shape\": [\(a.shape.map(String.init).joined(separator: ", "))], \"data\": [\(values)]}"
        }
        out += "\n  }\n}\n"
        return Data(out.utf8)
    }


    // MARK: - Reading

    /// Every tensor of the safetensors files as f32 (F32/F16/BF16/I64/I32), by name.
    static func readSafetensors(_ paths: [String]) throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for path in paths {
            let file = try SafetensorsFile(path: path)
            for (name, t) in file.tensors {
                guard out[name] == nil else { throw ScopeError.failed("tensor '\(name)' is in more than one file") }
                out[name] = Tensor(shape: t.shape, data: try floats(t))
            }
        }
        return out
    }

    static func floats(_ t: TensorData) throws -> [Float] {
        let n = t.elementCount, b = t.bytes
        switch t.type {
        case .f32: return (0..<n).map { b.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
        case .f16: return (0..<n).map { Float(Float16(bitPattern: b.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self))) }
        case .bf16: return (0..<n).map { Float(bitPattern: UInt32(b.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) << 16) }
        case .i64: return (0..<n).map { Float(b.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        case .i32: return (0..<n).map { Float(b.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self)) }
        default: throw ScopeError.failed("tensor '\(t.name)' has type \(t.type); compare reads F32, F16, BF16, I64 and I32")
        }
    }
}
