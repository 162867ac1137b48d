/// Why a model could not be built from its files.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    /// A config field is missing, of the wrong type, or out of range.
    case config(file: String, field: String, problem: String)
    case missingTensor(file: String, name: String)
    case tensorShape(file: String, name: String, shape: [Int], expected: [Int])
    case unsupported(file: String, what: String)

    public var description: String {
        switch self {
        case .config(let f, let field, let p): "\(f): config field '\(field)' \(p)"
        case .missingTensor(let f, let n): "\(f): tensor '\(n)' is missing"
        case .tensorShape(let f, let n, let s, let e): "\(f): tensor '\(n)' has shape \(s), expected \(e)"
        case .unsupported(let f, let w): "\(f): \(w)"
        }
    }
}
