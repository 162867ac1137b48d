/// A synthetic model named on the command line: `synthetic:SHAPE:PRESET`, e.g.
/// `synthetic:smollm3-3b:Q8_0` or `synthetic:tiny:Q4_K_M` (the `synthetic:` prefix is optional
/// where only a synthetic model makes sense, as in `export-synthetic`).
public struct SyntheticSpec: Sendable, Equatable, CustomStringConvertible {
    public static let prefix = "synthetic:"

    public var shape: SyntheticShape
    public var preset: WeightPreset

    public init(shape: SyntheticShape, preset: WeightPreset) {
        self.shape = shape
        self.preset = preset
    }

    public init(parsing text: String) throws(SyntheticSpecError) {
        let body = text.hasPrefix(Self.prefix) ? String(text.dropFirst(Self.prefix.count)) : text
        let parts = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { throw .malformed(text) }
        guard let shape = SyntheticShape(rawValue: parts[0].lowercased()) else {
            throw .unknownShape(parts[0], spec: text)
        }
        guard let preset = WeightPreset(name: parts[1]) else { throw .unknownType(parts[1], spec: text) }
        self.init(shape: shape, preset: preset)
    }

    /// True for strings that ask for a synthetic model rather than naming a file.
    public static func isSynthetic(_ text: String) -> Bool { text.hasPrefix(prefix) }

    public var description: String { "\(Self.prefix)\(shape):\(preset)" }
}

/// Why a synthetic model name could not be understood.
public enum SyntheticSpecError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unknownShape(String, spec: String)
    case unknownType(String, spec: String)

    public var description: String {
        let shapes = SyntheticShape.allCases.map(\.rawValue).joined(separator: ", ")
        let types = WeightPreset.names.joined(separator: ", ")
        return switch self {
        case .malformed(let s):
            "'\(s)' is not a synthetic model name; use synthetic:SHAPE:TYPE, e.g. synthetic:smollm3-3b:Q8_0 (shapes: \(shapes); types: \(types))"
        case .unknownShape(let shape, let s):
            "'\(s)': unknown synthetic shape '\(shape)' (known: \(shapes))"
        case .unknownType(let type, let s):
            "'\(s)': unknown weight type '\(type)' (known: \(types))"
        }
    }
}
