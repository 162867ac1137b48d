import Foundation

/// The `smol` executable built next to this test bundle (SwiftPM builds every product for tests).
enum SmolBinary {
    static var path: String? {
        var candidates: [URL] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("smol"))
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("smol"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("smol"))
        return candidates.map(\.path).first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var exists: Bool { path != nil }

    /// Runs `smol args…` with `stdin`, returning (exit status, stdout, stderr).
    static func run(_ args: [String], stdin: String? = nil, directory: String? = nil) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path!)
        p.arguments = args
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}
