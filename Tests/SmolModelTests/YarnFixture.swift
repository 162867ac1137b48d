import Foundation

/// The tiny model with `config.json` changed as `hf_yarn.json → config_overrides` says, built in a
/// temporary directory (weights linked, not copied).
enum YarnFixture {
    static func makeDirectory() throws -> String {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("smol-yarn-\(UUID().uuidString)").path
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in try fm.contentsOfDirectory(atPath: Fixtures.tinyModel) where name != "config.json" {
            try fm.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: Fixtures.tinyModel + "/" + name)
        }
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.tinyModel + "/config.json"))) as! [String: Any]
        let overrides = try Fixtures.json("hf_yarn.json")["config_overrides"] as! [String: Any]
        for (k, v) in overrides { config[k] = v }
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: dir + "/config.json"))
        return dir
    }
}
