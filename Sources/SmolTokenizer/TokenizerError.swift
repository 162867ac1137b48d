/// Why a tokenizer could not be built from its description.
///
/// Every failure names the field, key or component at fault, so a user holding an unusual
/// `tokenizer.json` or GGUF learns what is unsupported instead of getting silently wrong ids.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The text is not valid JSON; `offset` is the byte where parsing stopped.
    case malformedJSON(offset: Int, reason: String)
    /// A required field (dotted path, e.g. `model.vocab`) is absent.
    case missingField(String)
    /// A field is present but has the wrong shape or an impossible value.
    case invalidField(String, reason: String)
    /// A component type or option this implementation does not provide, e.g. a `WordPiece` model
    /// or a `Split` pre-tokenizer with an unknown regex.
    case unsupported(component: String, detail: String)
    /// A merge rule refers to a token the vocabulary does not contain.
    case invalidMerge(rank: Int, merge: String, reason: String)
    /// A required GGUF metadata key is absent.
    case missingMetadata(String)
    /// A GGUF metadata key has the wrong type or an impossible value.
    case invalidMetadata(key: String, reason: String)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .malformedJSON(let offset, let reason):
            "malformed JSON at byte \(offset): \(reason)"
        case .missingField(let path):
            "tokenizer description has no '\(path)'"
        case .invalidField(let path, let reason):
            "tokenizer field '\(path)' is invalid: \(reason)"
        case .unsupported(let component, let detail):
            "unsupported \(component): \(detail)"
        case .invalidMerge(let rank, let merge, let reason):
            "merge #\(rank) '\(merge)' is invalid: \(reason)"
        case .missingMetadata(let key):
            "GGUF metadata has no '\(key)'"
        case .invalidMetadata(let key, let reason):
            "GGUF metadata '\(key)' is invalid: \(reason)"
        case .unreadableFile(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
