/// A file could not be read as what it claims to be. The message names the file and, where known,
/// the tensor and byte offset, so a user can tell a truncated download from a bug.
public struct FormatError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let message: String

    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    public var description: String { "\(file): \(message)" }
}
