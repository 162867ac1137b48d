import Foundation

/// Resident-memory figures of this process from `/proc/self/status` (Linux).
enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) in bytes, or nil where `/proc` is unavailable.
    static func peakResidentBytes() -> Int? { statusField("VmHWM") }

    /// A `kB` field of `/proc/self/status`, in bytes.
    static func statusField(_ name: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kB = Int(fields[1]) else { return nil }
            return kB * 1024
        }
        return nil
    }
}
