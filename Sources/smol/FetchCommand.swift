import ArgumentParser
import Foundation
import SmolHub

/// `smol fetch smollm2`: download a named model into the cache (what `load smollm2` does on first use).
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Download a named model (smollm2) into the cache and print its path.")

    @Argument(help: "Model name: smollm2.") var name: String

    func run() throws {
        guard name == ModelStore.smollm2.name else { throw ValidationError("unknown model '\(name)' (known: smollm2)") }
        let path = try ModelStore.fetch(ModelStore.smollm2, progress: ProgressBar(label: name).update)
        print(path)
    }
}

/// A one-line progress bar on stderr.
final class ProgressBar: @unchecked Sendable {
    let label: String
    private var lastPercent = -1
    init(label: String) { self.label = label }

    func update(_ done: Int64, _ total: Int64) {
        guard total > 0 else { return }
        let percent = Int(done * 100 / total)
        guard percent != lastPercent else { return }
        lastPercent = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: 30 - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% of \(total / 1_000_000) MB".utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
