import Foundation

/// Writes one `.safetensors` file in one pass without holding the tensor data, like `GGUFWriter`:
/// the JSON header (whose byte ranges follow from the declared shapes) goes first, then each
/// tensor's bytes as the caller produces them, in declaration order. A 6 GB model thus needs only
/// the caller's per-tensor buffer.
///
/// Tensors are packed back to back with no padding: the safetensors library (and so transformers)
/// rejects a file whose `data_offsets` leave gaps. The header is padded with spaces (as the format
/// allows) so the data starts 64-byte aligned; the library itself pads to 8.
///
/// The file is written to `PATH.partial` and renamed by `finish()`, so an interrupted export never
/// leaves something that looks like a complete model.
public final class SafetensorsWriter {
    /// Its type must have a safetensors dtype name.
    public typealias Tensor = TensorDeclaration

    public let path: String
    private let tensors: [Tensor]
    private let sizes: [Int]
    private let file: PartialFile
    private var next = 0

    /// Opens `path` and writes the header. `metadata` becomes the header's `__metadata__` (string
    /// values only, as the format requires); transformers wants `"format": "pt"` there.
    public init(path: String, tensors: [Tensor], metadata: [String: String] = ["format": "pt"]) throws(FormatError) {
        self.path = path
        self.tensors = tensors
        var sizes: [Int] = []
        var header: [String: Any] = metadata.isEmpty ? [:] : ["__metadata__": metadata]
        var offset = 0
        for t in tensors {
            guard header[t.name] == nil, t.name != "__metadata__" else {
                throw FormatError(file: path, "tensor '\(t.name)' is declared twice")
            }
            guard let dtype = t.type.safetensorsName else {
                throw FormatError(file: path, "tensor '\(t.name)': \(t.type) has no safetensors dtype")
            }
            guard let n = elementCount(t.shape), let bytes = t.type.byteCount(elements: n) else {
                throw FormatError(file: path, "tensor '\(t.name)': shape \(t.shape) is not a valid shape")
            }
            header[t.name] = ["dtype": dtype, "shape": t.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            sizes.append(bytes)
            offset += bytes
        }
        self.sizes = sizes

        var json: [UInt8]
        do {
            json = try [UInt8](JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        } catch {
            throw FormatError(file: path, "cannot encode the header: \(error)")
        }
        // Data starts on a 64-byte (cache-line) boundary, so tensors whose sizes are multiples of 64
        // bytes keep their rows' vector loads from straddling lines in the mapped file.
        json.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (64 - (8 + json.count) % 64) % 64))
        var prefix = [UInt8](repeating: 0, count: 8)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { prefix = Array($0) }

        file = try PartialFile(path: path)
        try file.append(prefix + json)
    }

    /// Appends the next tensor's data; `bytes` must be exactly its size.
    public func writeTensor(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        guard next < tensors.count else { throw FormatError(file: path, "more tensor data than the \(tensors.count) tensors declared") }
        guard bytes.count == sizes[next] else {
            throw FormatError(file: path, "tensor '\(tensors[next].name)' takes \(sizes[next]) bytes, got \(bytes.count)")
        }
        try file.append(bytes)
        next += 1
    }

    /// Checks every tensor was written, flushes and moves the file into place.
    public func finish() throws(FormatError) {
        guard next == tensors.count else {
            throw FormatError(file: path, "only \(next) of \(tensors.count) tensors were written")
        }
        try file.commit()
    }

}

extension TensorType {
    /// The safetensors dtype name (`init(safetensorsName:)`'s inverse), or nil for block types.
    public var safetensorsName: String? {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .f64: "F64"
        case .i8: "I8"
        case .i16: "I16"
        case .i32: "I32"
        case .i64: "I64"
        default: nil
        }
    }
}
