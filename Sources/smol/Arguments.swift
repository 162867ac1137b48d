import ArgumentParser
import SmolCore

extension Numerics: ExpressibleByArgument {}

/// Parses `1,2,3` (spaces allowed) into token ids.
func parseIDs(_ text: String) throws -> [Int] {
    let parts = text.split(whereSeparator: { $0 == "," || $0 == " " })
    let ids = parts.compactMap { Int($0) }
    guard ids.count == parts.count, !ids.isEmpty else {
        throw ValidationError("--ids takes comma-separated token ids, e.g. --ids 1,2,3 (got '\(text)')")
    }
    return ids
}
