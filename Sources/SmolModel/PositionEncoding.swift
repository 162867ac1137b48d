/// How a layer tells its queries and keys where they are. SmolLM3 leaves every 4th layer
/// position-free (NoPE): its q and k enter attention unrotated.
public enum PositionEncoding: Sendable, Equatable, CustomStringConvertible {
    case rope(RoPE)
    case none

    public var usesRoPE: Bool { if case .rope = self { true } else { false } }

    public var description: String {
        switch self {
        case .rope(let r): "RoPE θ=\(r.theta.formatted())" + (r.scaling.map { " \($0)" } ?? "")
        case .none: "NoPE"
        }
    }
}

import Foundation
