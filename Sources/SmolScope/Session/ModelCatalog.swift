import Foundation

/// Models `load` knows by name (`tiny`, `smollm2`), and how to get each one's local path.
public struct ModelCatalog: Sendable {
    public struct Entry: Sendable {
        public let name: String
        /// What `load` says about it.
        public let summary: String
        /// The local path of the model, fetching it first if needed; progress in 0...1.
        public let resolve: @Sendable (_ progress: @escaping @Sendable (Double) -> Void) throws -> String

        public init(name: String, summary: String,
                    resolve: @escaping @Sendable (_ progress: @escaping @Sendable (Double) -> Void) throws -> String) {
            self.name = name
            self.summary = summary
            self.resolve = resolve
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// `tiny` (bundled) and `smollm2` (downloaded on first use).
    public static let standard = ModelCatalog(entries: [.tiny, .smollm2])
}

extension ModelCatalog.Entry {
    /// The bundled random-weight SmolLM3 (8 layers, hidden 256), shipped as a resource.
    public static let tiny = ModelCatalog.Entry(
        name: "tiny",
        summary: "the bundled tiny SmolLM3 with random weights: real architecture (NoPE layers 3 and 7, GQA), gibberish text; 'load smollm2' for a real model",
        resolve: { _ in try tinyModelPath() })

    /// The directory of the bundled tiny model.
    public static func tinyModelPath() throws -> String {
        guard let url = Bundle.module.url(forResource: "tiny-smollm3", withExtension: nil) else {
            throw ScopeError.failed("the bundled tiny model is missing from this build (SmolScope resources)")
        }
        return url.path
    }
}
