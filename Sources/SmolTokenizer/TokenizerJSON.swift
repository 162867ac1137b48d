import Foundation

/// Loading from HF `tokenizer.json` (+ `tokenizer_config.json`).
///
/// Supported: a byte-level `BPE` model (merges as `"a b"` strings or `["a", "b"]` pairs),
/// `added_tokens`, no normalizer, pre-tokenizers built from `ByteLevel`, `Split` with the
/// Llama-3 or GPT-2 regex, `Digits` and `Sequence`, post-processors `ByteLevel`,
/// `TemplateProcessing` and `Sequence`, and the `ByteLevel` decoder. Anything else throws
/// ``TokenizerError/unsupported(component:detail:)`` naming it: a tokenizer that silently
/// ignored a normalizer would produce plausible but wrong ids.
extension Tokenizer {
    /// Builds a tokenizer from the text of `tokenizer.json` and, optionally, `tokenizer_config.json`
    /// (which supplies the chat template and the names of the bos/eos/pad tokens).
    public static func load(tokenizerJSON: String, config: String? = nil) throws(TokenizerError) -> Tokenizer {
        try load(root: JSONParser.parse(tokenizerJSON), config: config.map(JSONParser.parse))
    }

    /// Builds a tokenizer from a `tokenizer.json` file, reading `tokenizer_config.json` from the
    /// same directory when it exists.
    public static func load(tokenizerFile path: String) throws(TokenizerError) -> Tokenizer {
        let root = try JSONParser.parse(readBytes(path))
        let configPath = (path as NSString).deletingLastPathComponent + "/tokenizer_config.json"
        let config = FileManager.default.fileExists(atPath: configPath) ? try JSONParser.parse(readBytes(configPath)) : nil
        return try load(root: root, config: config)
    }

    private static func load(root: JSONValue, config: JSONValue?) throws(TokenizerError) -> Tokenizer {
        guard let rootObject = root.object else { throw .invalidField("(root)", reason: "expected a JSON object") }
        if let config, config.object == nil {
            throw .invalidField("tokenizer_config", reason: "expected a JSON object")
        }
        return try TokenizerJSONLoader(root: rootObject, config: config?.object).makeTokenizer()
    }

    private static func readBytes(_ path: String) throws(TokenizerError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(path: path, reason: "no such file, or not readable")
        }
        return [UInt8](data)
    }
}

/// Turns the parsed JSON of a `tokenizer.json` into the tokenizer's parts.
private struct TokenizerJSONLoader {
    let root: JSONObject
    let config: JSONObject?

    func makeTokenizer() throws(TokenizerError) -> Tokenizer {
        try checkNormalizer()
        let model = try requireObject(root, "model", path: "model")
        try checkModelOptions(model)
        let (vocabulary, addedTokens) = try makeVocabulary(model: model)
        let merges = try parseMerges(model)
        let encoder = try BytePairEncoder(
            vocabulary: vocabulary, merges: merges, ignoreMerges: model["ignore_merges"]?.bool ?? false)
        try checkDecoder()
        var special = try postProcessorTokens(vocabulary: vocabulary)
        special.bos = try configTokenId("bos_token", vocabulary) ?? special.prefix.first
        special.eos = try configTokenId("eos_token", vocabulary)
        special.pad = try configTokenId("pad_token", vocabulary)
        return Tokenizer(
            vocabulary: vocabulary, encoder: encoder, preTokenizer: try preTokenizer(),
            addedTokens: AddedTokenMatcher(tokens: addedTokens, strategy: .leftmostLongest),
            specialTokens: special, chatTemplate: try chatTemplate())
    }

    // MARK: - Model and vocabulary

    private func checkModelOptions(_ model: JSONObject) throws(TokenizerError) {
        if let type = model["type"]?.string, type != "BPE" {
            throw .unsupported(component: "model", detail: "'\(type)' (only byte-level BPE is implemented)")
        }
        if model["byte_fallback"]?.bool == true {
            throw .unsupported(component: "model option", detail: "byte_fallback (SentencePiece-style BPE)")
        }
        for option in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let value = model[option]?.string, !value.isEmpty {
                throw .unsupported(component: "model option", detail: "\(option) '\(value)'")
            }
        }
        if let dropout = model["dropout"]?.double, dropout > 0 {
            throw .unsupported(component: "model option", detail: "dropout \(dropout) (training-time randomness)")
        }
    }

    private func makeVocabulary(model: JSONObject) throws(TokenizerError) -> (Vocabulary, [AddedToken]) {
        let vocab = try requireObject(model, "vocab", path: "model.vocab")
        var added: [AddedToken] = []
        var addedSpellings: [String] = []
        for (index, value) in (root["added_tokens"]?.array ?? []).enumerated() {
            let path = "added_tokens[\(index)]"
            guard let object = value.object else { throw .invalidField(path, reason: "expected an object") }
            guard let id = object["id"]?.int, id >= 0 else { throw .missingField("\(path).id") }
            guard let content = object["content"]?.string else { throw .missingField("\(path).content") }
            added.append(AddedToken(
                id: id, content: Array(content.utf8), isSpecial: object["special"]?.bool ?? false,
                stripsLeft: object["lstrip"]?.bool ?? false, stripsRight: object["rstrip"]?.bool ?? false,
                singleWord: object["single_word"]?.bool ?? false))
            addedSpellings.append(content)
        }
        var size = (added.map(\.id).max() ?? -1) + 1
        for (text, value) in vocab.members {
            guard let id = value.int, id >= 0 else {
                throw .invalidField("model.vocab[\(text)]", reason: "expected a non-negative integer id")
            }
            size = max(size, id + 1)
        }
        var tokens = [String](repeating: "", count: size)
        var kinds = [TokenKind](repeating: .unused, count: size)
        for (text, value) in vocab.members {
            guard let id = value.int else { continue }  // validated above
            tokens[id] = text
            kinds[id] = .normal
        }
        for (token, text) in zip(added, addedSpellings) {
            tokens[token.id] = text
            kinds[token.id] = token.isSpecial ? .control : .userDefined
        }
        return (Vocabulary(tokens: tokens, kinds: kinds, addedTokenSpelling: .byteLevelIfPossible), added)
    }

    private func parseMerges(_ model: JSONObject) throws(TokenizerError) -> [(Substring, Substring)] {
        guard let list = model["merges"]?.array else { throw .missingField("model.merges") }
        var merges: [(Substring, Substring)] = []
        merges.reserveCapacity(list.count)
        for (rank, value) in list.enumerated() {
            switch value {
            case .string(let line):
                // Byte-level spellings never contain a space, so the one space separates the pair.
                guard let space = line.utf8.firstIndex(of: UInt8(ascii: " ")),
                      !line.utf8[line.utf8.index(after: space)...].contains(UInt8(ascii: " ")) else {
                    throw .invalidMerge(rank: rank, merge: line, reason: "expected two tokens separated by one space")
                }
                merges.append((line[..<space], line[line.index(after: space)...]))
            case .array(let pair):
                guard pair.count == 2, let left = pair[0].string, let right = pair[1].string else {
                    throw .invalidField("model.merges[\(rank)]", reason: "expected a pair of strings")
                }
                merges.append((Substring(left), Substring(right)))
            default:
                throw .invalidField("model.merges[\(rank)]", reason: "expected \"a b\" or [\"a\", \"b\"]")
            }
        }
        return merges
    }

    // MARK: - Pipeline components

    private func checkNormalizer() throws(TokenizerError) {
        guard let normalizer = root["normalizer"], !normalizer.isNull else { return }
        let type = normalizer.object?["type"]?.string ?? "?"
        if type == "Sequence", normalizer.object?["normalizers"]?.array?.isEmpty == true { return }
        throw .unsupported(component: "normalizer", detail: "'\(type)'")
    }

    private func preTokenizer() throws(TokenizerError) -> PreTokenizer {
        guard let value = root["pre_tokenizer"], let object = value.object else {
            throw .unsupported(component: "pre_tokenizer", detail: "none (a byte-level BPE needs ByteLevel)")
        }
        var stages: [PreTokenizerStage] = []
        var hasByteLevel = false
        try appendStages(of: object, path: "pre_tokenizer", to: &stages, hasByteLevel: &hasByteLevel)
        guard hasByteLevel else {
            throw .unsupported(component: "pre_tokenizer", detail: "no ByteLevel step (not a byte-level BPE)")
        }
        return PreTokenizer(stages: stages)
    }

    private func appendStages(of object: JSONObject, path: String, to stages: inout [PreTokenizerStage],
                              hasByteLevel: inout Bool) throws(TokenizerError) {
        let type = object["type"]?.string ?? "?"
        switch type {
        case "Sequence":
            guard let steps = object["pretokenizers"]?.array else { throw .missingField("\(path).pretokenizers") }
            for (index, step) in steps.enumerated() {
                guard let stepObject = step.object else { throw .invalidField("\(path)[\(index)]", reason: "expected an object") }
                try appendStages(of: stepObject, path: "\(path).pretokenizers[\(index)]", to: &stages, hasByteLevel: &hasByteLevel)
            }
        case "ByteLevel":
            if object["add_prefix_space"]?.bool == true {
                throw .unsupported(component: "pre_tokenizer option", detail: "ByteLevel add_prefix_space")
            }
            if object["use_regex"]?.bool ?? true { stages.append(.gpt2) }
            hasByteLevel = true
        case "Split":
            stages.append(try splitStage(object, path: path))
        case "Digits":
            stages.append(object["individual_digits"]?.bool == true ? .isolatedNumbers : .numberRuns)
        default:
            throw .unsupported(component: "pre_tokenizer", detail: "'\(type)' at \(path)")
        }
    }

    private func splitStage(_ object: JSONObject, path: String) throws(TokenizerError) -> PreTokenizerStage {
        let behavior = object["behavior"]?.string ?? "?"
        guard behavior == "Isolated", object["invert"]?.bool != true else {
            throw .unsupported(component: "pre_tokenizer option", detail: "Split behavior '\(behavior)' at \(path)")
        }
        guard let pattern = object["pattern"]?.object?["Regex"]?.string else {
            throw .unsupported(component: "pre_tokenizer option", detail: "Split without a regex pattern at \(path)")
        }
        guard let stage = KnownSplitPattern.stage(for: pattern) else {
            throw .unsupported(component: "pre_tokenizer regex", detail: "'\(pattern)'")
        }
        return stage
    }

    private func postProcessorTokens(vocabulary: Vocabulary) throws(TokenizerError) -> SpecialTokens {
        var special = SpecialTokens()
        guard let value = root["post_processor"], let object = value.object else { return special }
        try appendPostProcessor(object, path: "post_processor", to: &special, vocabulary: vocabulary)
        return special
    }

    private func appendPostProcessor(_ object: JSONObject, path: String, to special: inout SpecialTokens,
                                     vocabulary: Vocabulary) throws(TokenizerError) {
        let type = object["type"]?.string ?? "?"
        switch type {
        case "ByteLevel":
            return  // only adjusts offsets
        case "Sequence":
            for (index, step) in (object["processors"]?.array ?? []).enumerated() {
                guard let stepObject = step.object else { throw .invalidField("\(path)[\(index)]", reason: "expected an object") }
                try appendPostProcessor(stepObject, path: "\(path).processors[\(index)]", to: &special, vocabulary: vocabulary)
            }
        case "TemplateProcessing":
            guard let single = object["single"]?.array else { throw .missingField("\(path).single") }
            var seenSequence = false
            for (index, item) in single.enumerated() {
                let itemPath = "\(path).single[\(index)]"
                if item.object?["Sequence"] != nil {
                    seenSequence = true
                } else if let name = item.object?["SpecialToken"]?.object?["id"]?.string {
                    let ids = object["special_tokens"]?.object?[name]?.object?["ids"]?.array?.compactMap(\.int)
                    guard let ids = ids ?? vocabulary.id(of: name).map({ [$0] }) else {
                        throw .invalidField(itemPath, reason: "special token '\(name)' is not defined")
                    }
                    if seenSequence { special.suffix += ids } else { special.prefix += ids }
                } else {
                    throw .invalidField(itemPath, reason: "expected a SpecialToken or Sequence")
                }
            }
        default:
            throw .unsupported(component: "post_processor", detail: "'\(type)'")
        }
    }

    private func checkDecoder() throws(TokenizerError) {
        guard let object = root["decoder"]?.object else {
            throw .unsupported(component: "decoder", detail: "none (expected ByteLevel)")
        }
        let type = object["type"]?.string ?? "?"
        if type == "ByteLevel" { return }
        if type == "Sequence", let steps = object["decoders"]?.array,
           steps.allSatisfy({ $0.object?["type"]?.string == "ByteLevel" }), !steps.isEmpty {
            return
        }
        throw .unsupported(component: "decoder", detail: "'\(type)'")
    }

    // MARK: - tokenizer_config.json

    /// The id of a token named in the config (`"bos_token": "<s>"` or `{"content": "<s>", …}`);
    /// nil when the config does not name one.
    private func configTokenId(_ key: String, _ vocabulary: Vocabulary) throws(TokenizerError) -> Int? {
        guard let value = config?[key], !value.isNull else { return nil }
        guard let name = value.string ?? value.object?["content"]?.string else {
            throw .invalidField("tokenizer_config.\(key)", reason: "expected a string or {\"content\": …}")
        }
        guard let id = vocabulary.id(of: name) else {
            throw .invalidField("tokenizer_config.\(key)", reason: "'\(name)' is not in the vocabulary")
        }
        return id
    }

    /// `chat_template` is a string, or a list of `{name, template}` of which "default" is used.
    private func chatTemplate() throws(TokenizerError) -> String? {
        guard let value = config?["chat_template"], !value.isNull else { return nil }
        if let text = value.string { return text }
        if let list = value.array {
            let templates = list.compactMap(\.object)
            let chosen = templates.first { $0["name"]?.string == "default" } ?? templates.first
            if let text = chosen?["template"]?.string { return text }
        }
        throw .invalidField("tokenizer_config.chat_template", reason: "expected a string or a list of named templates")
    }

    private func requireObject(_ object: JSONObject, _ key: String, path: String) throws(TokenizerError) -> JSONObject {
        guard let value = object[key] else { throw .missingField(path) }
        guard let result = value.object else { throw .invalidField(path, reason: "expected an object") }
        return result
    }
}

/// The split regexes this implementation has scanners for, as they are spelled in tokenizer files.
enum KnownSplitPattern {
    static let llama3 = #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
    static let gpt2 = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    static func stage(for pattern: String) -> PreTokenizerStage? {
        switch pattern {
        case llama3: .llama3(foldsLongS: true)
        case gpt2: .gpt2
        default: nil
        }
    }
}
