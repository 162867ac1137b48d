import Foundation

/// Tab completion for the REPL and the Jupyter kernel: command names, option keys and values,
/// flags, tensor names, model names and file paths, from the text before the cursor.
public struct Completion: Sendable, Equatable {
    /// How many unicode scalars before the cursor the candidates replace.
    public var replacing: Int
    /// Full replacement words, sorted.
    public var candidates: [String]
}

extension Session {
    /// Completions for the text before the cursor. Words are separated by spaces; `;` and newlines
    /// start a new statement.
    public func complete(_ textBeforeCursor: String) -> Completion {
        let statementText = textBeforeCursor.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ";" || $0 == "\n" }).last.map(String.init) ?? ""
        var words = statementText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let word = words.popLast() ?? ""
        words = words.filter { !$0.isEmpty }
        let candidates = complete(word: word, after: words).filter { $0.hasPrefix(word) }
        return Completion(replacing: word.unicodeScalars.count, candidates: Array(Set(candidates)).sorted())
    }

    private func complete(word: String, after words: [String]) -> [String] {
        guard let first = words.first else { return registry.names }
        if first == "time" { return complete(word: word, after: Array(words.dropFirst())) }
        guard let command = registry.command(named: first) else { return [] }
        if word.hasPrefix("--") { return command.flags.map { "--" + $0 } }
        if let eq = word.firstIndex(of: "=") {
            let key = String(word[..<eq])
            return (command.options[key] ?? []).map { key + "=" + $0 }
        }
        let positionalIndex = words.dropFirst().filter { !$0.contains("=") && !$0.hasPrefix("--") }.count
        let kinds = command.argumentKinds
        let kind = kinds.isEmpty ? .none : kinds[min(positionalIndex, kinds.count - 1)]
        var out: [String]
        switch kind {
        case .none: out = []
        case .command: out = registry.names + ["syntax"]
        case .tensorName: out = current?.model.weights.map(\.name) ?? []
        case .path: out = completePath(word)
        case .modelSource: out = catalog.entries.map(\.name) + completePath(word)
        case .modelName: out = models.map(\.name)
        case .words(let w): out = w
        }
        if positionalIndex >= command.positionals.upperBound { out = [] }
        if !word.isEmpty || out.isEmpty {
            out += command.options.keys.filter { $0 != "*" }.map { $0 + "=" }
        }
        return out
    }

    /// Entries of the directory part of `word` whose names start with its last component.
    func completePath(_ word: String) -> [String] {
        let slash = word.lastIndex(of: "/")
        let dirPart = slash.map { String(word[...$0]) } ?? ""
        let base = slash.map { String(word[word.index(after: $0)...]) } ?? word
        let directory = resolvePath(dirPart.isEmpty ? "." : dirPart)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(base) && (base.hasPrefix(".") || !$0.hasPrefix(".")) }.map { name in
            var isDir: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDir)
            return dirPart + name + (isDir.boolValue ? "/" : "")
        }
    }
}
