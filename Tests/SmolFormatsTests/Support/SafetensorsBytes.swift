import Foundation

/// Builds safetensors files from a header dictionary and raw data, optionally lying about the
/// header length, for the parser's corrupt-input tests.
enum SafetensorsBytes {
    static func make(header: [String: Any], data: [UInt8], claimedHeaderLength: UInt64? = nil) throws -> [UInt8] {
        let json = Array(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        var bytes: [UInt8] = []
        withUnsafeBytes(of: (claimedHeaderLength ?? UInt64(json.count)).littleEndian) { bytes += $0 }
        return bytes + json + data
    }

    static func entry(_ dtype: String, _ shape: [Int], _ begin: Any, _ end: Any) -> [String: Any] {
        ["dtype": dtype, "shape": shape, "data_offsets": [begin, end]]
    }

    /// Two F32 tensors of 4 values, back to back: `x` at bytes 0..<16, `y` at 16..<32.
    static func valid() throws -> [UInt8] {
        try make(header: ["x": entry("F32", [4], 0, 16), "y": entry("F32", [2, 2], 16, 32)],
                 data: [UInt8](repeating: 0, count: 32))
    }
}
