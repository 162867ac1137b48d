import Foundation

/// Writes numpy `.npy` files (format 1.0, little-endian f32, C order) so dumps open with `np.load`.
public enum NPY {
    public static func encode(shape: [Int], values: [Float]) -> Data {
        var data = header(shape: shape, descr: "<f4")
        values.withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    /// Little-endian int64, for token ids.
    public static func encode(shape: [Int], values: [Int64]) -> Data {
        var data = header(shape: shape, descr: "<i8")
        values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        return data
    }

    private static func header(shape: [Int], descr: String) -> Data {
        let dims = shape.map(String.init).joined(separator: ", ") + (shape.count == 1 ? "," : "")
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': (\(dims)), }"
        // Magic (6) + version (2) + length (2) + header + newline, padded to a multiple of 64.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        return data
    }

    public static func write(shape: [Int], values: [Float], to path: String) throws {
        try encode(shape: shape, values: values).write(to: URL(fileURLWithPath: path))
    }
}
