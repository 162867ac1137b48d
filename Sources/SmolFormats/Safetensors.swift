import Foundation

/// One `.safetensors` file: an 8-byte little-endian header length, a JSON header mapping tensor
/// names to dtype/shape/byte range, then the raw row-major data.
///
/// Every byte range is checked against the file and against the other tensors before anything is
/// handed out, so a truncated or hostile file is a `FormatError`, never an out-of-bounds read.
public final class SafetensorsFile: @unchecked Sendable {
    public let file: MappedFile
    public let tensors: [String: TensorData]
    public let metadata: [String: String]

    public convenience init(path: String) throws(FormatError) {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws(FormatError) {
        self.file = file
        let path = file.path
        var reader = ByteReader(file.bytes, file: path)
        let headerLength = try reader.read(UInt64.self, "the header length")
        guard headerLength <= UInt64(reader.remaining) else {
            throw FormatError(file: path, "header length \(headerLength) runs past the end of the file (\(file.count) bytes); the file is truncated or not safetensors")
        }
        let headerBytes = try reader.readBytes(Int(headerLength), "the JSON header")
        let dataStart = 8 + Int(headerLength)
        let dataSize = file.count - dataStart

        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(headerBytes), options: [])
        } catch {
            throw FormatError(file: path, "the header is not valid JSON (bytes 8..<\(dataStart))")
        }
        guard let header = json as? [String: Any] else {
            throw FormatError(file: path, "the header is not a JSON object")
        }

        var tensors: [String: TensorData] = [:]
        var ranges: [(Int, Int, String)] = []
        var metadata: [String: String] = [:]
        for (name, value) in header {
            if name == "__metadata__" {
                for (k, v) in value as? [String: Any] ?? [:] { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let entry = value as? [String: Any],
                  let dtypeName = entry["dtype"] as? String,
                  let shapeAny = entry["shape"] as? [Any],
                  let offsetsAny = entry["data_offsets"] as? [Any], offsetsAny.count == 2 else {
                throw FormatError(file: path, "tensor '\(name)': entry needs dtype, shape and data_offsets [begin, end]")
            }
            guard let type = TensorType(safetensorsName: dtypeName) else {
                throw FormatError(file: path, "tensor '\(name)': unsupported dtype '\(dtypeName)' (supported: F32, F16, BF16)")
            }
            let shape = shapeAny.compactMap { ($0 as? NSNumber)?.intValue }
            let offsets = offsetsAny.compactMap { ($0 as? NSNumber)?.intValue }
            guard shape.count == shapeAny.count, offsets.count == 2,
                  let count = elementCount(shape), let bytes = type.byteCount(elements: count) else {
                throw FormatError(file: path, "tensor '\(name)': shape \(shapeAny) is not a valid shape")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin else {
                throw FormatError(file: path, "tensor '\(name)': data_offsets [\(begin), \(end)] are not an increasing range")
            }
            guard end <= dataSize else {
                throw FormatError(file: path, "tensor '\(name)': bytes \(begin)..<\(end) run past the end of the data (\(dataSize) bytes, at file offset \(dataStart + begin)); the file is truncated")
            }
            guard end - begin == bytes else {
                throw FormatError(file: path, "tensor '\(name)': \(dtypeName) \(shape) needs \(bytes) bytes but data_offsets give \(end - begin)")
            }
            let slice = UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + begin)..<(dataStart + end)])
            tensors[name] = TensorData(name: name, type: type, shape: shape, bytes: slice,
                                       fileOffset: dataStart + begin, file: file)
            ranges.append((begin, end, name))
        }
        ranges.sort { $0.0 < $1.0 }
        for (a, b) in zip(ranges, ranges.dropFirst()) where b.0 < a.1 {
            throw FormatError(file: path, "tensors '\(a.2)' and '\(b.2)' overlap (bytes \(a.0)..<\(a.1) and \(b.0)..<\(b.1))")
        }
        self.tensors = tensors
        self.metadata = metadata
    }
}

/// A Hugging Face checkpoint directory: one `model.safetensors`, or shards listed by
/// `model.safetensors.index.json`.
public struct SafetensorsCheckpoint: Sendable {
    public let directory: String
    public let files: [SafetensorsFile]
    public let tensors: [String: TensorData]

    public init(directory: String) throws(FormatError) {
        self.directory = directory
        let fm = FileManager.default
        let index = directory + "/model.safetensors.index.json"
        var shardNames: [String]
        var weightMap: [String: String] = [:]
        if fm.fileExists(atPath: index) {
            guard let data = fm.contents(atPath: index),
                  let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let map = json["weight_map"] as? [String: String] else {
                throw FormatError(file: index, "expected a JSON object with a \"weight_map\" of tensor name to shard file")
            }
            weightMap = map
            shardNames = Array(Set(map.values)).sorted()
        } else if fm.fileExists(atPath: directory + "/model.safetensors") {
            shardNames = ["model.safetensors"]
        } else {
            throw FormatError(file: directory, "no model.safetensors or model.safetensors.index.json in the directory")
        }
        var files: [SafetensorsFile] = []
        var tensors: [String: TensorData] = [:]
        for shard in shardNames {
            guard !shard.contains("/") else { throw FormatError(file: index, "shard name '\(shard)' must be a plain file name") }
            let path = directory + "/" + shard
            guard fm.fileExists(atPath: path) else {
                throw FormatError(file: path, "shard listed in model.safetensors.index.json is missing")
            }
            let file = try SafetensorsFile(path: path)
            files.append(file)
            for (name, t) in file.tensors {
                if tensors[name] != nil { throw FormatError(file: path, "tensor '\(name)' appears in more than one shard") }
                tensors[name] = t
            }
        }
        for (name, shard) in weightMap where tensors[name] == nil {
            throw FormatError(file: directory + "/" + shard, "tensor '\(name)' is listed in the index but not found in its shard")
        }
        self.files = files
        self.tensors = tensors
    }
}
