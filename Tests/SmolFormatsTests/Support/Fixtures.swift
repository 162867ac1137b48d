import Foundation

/// The shared fixture tree (`Tests/Fixtures`), found relative to this source file so tests run
/// from any working directory.
enum Fixtures {
    static let root: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // SmolFormatsTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures").path

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func json(_ relative: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }
}
