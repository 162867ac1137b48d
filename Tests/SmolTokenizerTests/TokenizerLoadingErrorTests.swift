import Testing
@testable import SmolTokenizer

/// A tokenizer description that cannot be honoured is refused with a typed error naming the
/// problem; nothing is guessed.
@Suite struct TokenizerLoadingErrorTests {
    @Test func truncatedJSONIsMalformedAtItsEnd() {
        let truncated = #"{"model": "#
        #expect(throws: TokenizerError.malformedJSON(offset: truncated.utf8.count, reason: "unexpected end of input")) {
            try Tokenizer.load(tokenizerJSON: truncated)
        }
    }

    @Test func missingVocabularyIsNamed() throws {
        let json = try Fixtures.tokenizerJSON { root in
            var model = root["model"] as? [String: Any] ?? [:]
            model["vocab"] = nil
            root["model"] = model
        }
        #expect(throws: TokenizerError.missingField("model.vocab")) { try Tokenizer.load(tokenizerJSON: json) }
    }

    @Test func wordPieceModelIsUnsupported() throws {
        let json = try Fixtures.tokenizerJSON { root in
            var model = root["model"] as? [String: Any] ?? [:]
            model["type"] = "WordPiece"
            root["model"] = model
        }
        #expect(throws: TokenizerError.unsupported(component: "model", detail: "'WordPiece' (only byte-level BPE is implemented)")) {
            try Tokenizer.load(tokenizerJSON: json)
        }
    }

    @Test func normalizerIsUnsupported() throws {
        let json = try Fixtures.tokenizerJSON { root in root["normalizer"] = ["type": "NFKC"] }
        #expect(throws: TokenizerError.unsupported(component: "normalizer", detail: "'NFKC'")) {
            try Tokenizer.load(tokenizerJSON: json)
        }
    }

    @Test func unknownSplitRegexIsUnsupported() throws {
        let pattern = #"\p{L}+|\s+"#
        let json = try Fixtures.tokenizerJSON { root in
            root["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": pattern], "behavior": "Isolated", "invert": false],
                ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false],
            ]]
        }
        #expect(throws: TokenizerError.unsupported(component: "pre_tokenizer regex", detail: "'\(pattern)'")) {
            try Tokenizer.load(tokenizerJSON: json)
        }
    }

    @Test func mergeOfATokenOutsideTheVocabularyIsInvalid() throws {
        let json = try Fixtures.tokenizerJSON { root in
            var model = root["model"] as? [String: Any] ?? [:]
            model["merges"] = [["a", "ZZZ"]]
            root["model"] = model
        }
        #expect(throws: TokenizerError.invalidMerge(rank: 0, merge: "a ZZZ", reason: "'ZZZ' is not in the vocabulary")) {
            try Tokenizer.load(tokenizerJSON: json)
        }
    }

    @Test func unreadableFileIsReported() {
        #expect(throws: TokenizerError.unreadableFile(path: "/nonexistent/tokenizer.json", reason: "no such file, or not readable")) {
            try Tokenizer.load(tokenizerFile: "/nonexistent/tokenizer.json")
        }
    }

    @Test func unknownGGUFPreTokenizerIsUnsupported() throws {
        var gguf = try Fixtures.ggufVocabulary()
        gguf.preTokenizer = "qwen2"
        #expect(throws: TokenizerError.unsupported(component: "GGUF pre-tokenizer", detail: "'qwen2'")) {
            try Tokenizer(ggufVocabulary: gguf)
        }
    }

    @Test func sentencePieceGGUFIsUnsupported() throws {
        var gguf = try Fixtures.ggufVocabulary()
        gguf.model = "llama"
        #expect(throws: TokenizerError.unsupported(component: "GGUF tokenizer model", detail: "'llama' (only 'gpt2' byte-level BPE)")) {
            try Tokenizer(ggufVocabulary: gguf)
        }
    }

    @Test func tokenTypeCountMustMatchTokens() throws {
        var gguf = try Fixtures.ggufVocabulary()
        gguf.tokenTypes = [TokenKind.normal.rawValue].map(Int32.init)
        let reason = "1 types for \(gguf.tokens.count) tokens"
        #expect(throws: TokenizerError.invalidMetadata(key: "tokenizer.ggml.token_type", reason: reason)) {
            try Tokenizer(ggufVocabulary: gguf)
        }
    }

    @Test func errorsDescribeThemselves() {
        let error = TokenizerError.invalidMerge(rank: 3, merge: "a b", reason: "'ab' is not in the vocabulary")
        #expect(error.description == "merge #3 'a b' is invalid: 'ab' is not in the vocabulary")
    }
}
