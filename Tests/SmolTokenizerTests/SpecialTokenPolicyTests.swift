import Testing
@testable import SmolTokenizer

/// What each file says about BOS, EOS and end-of-generation tokens is what the tokenizer does.
@Suite struct SpecialTokenPolicyTests {
    static let sampleText = "Hello world"

    // MARK: - SmolLM3 as shipped

    @Test func smolLM3TokenizerJSONAddsNoBOS() throws {
        let tokenizer = try Fixtures.hfTokenizer()
        #expect(!tokenizer.addsBOS)
        #expect(tokenizer.encode(Self.sampleText, addSpecialTokens: true) == tokenizer.encode(Self.sampleText, addSpecialTokens: false))
    }

    @Test func smolLM3TokenizerConfigNamesNoBOSButImEndAsEOSAndPad() throws {
        let tokenizer = try Fixtures.hfTokenizer()
        let imEnd = try #require(tokenizer.id(of: "<|im_end|>"))
        #expect(tokenizer.bosTokenId == nil)
        #expect(tokenizer.eosTokenId == imEnd)
        #expect(tokenizer.padTokenId == imEnd)
    }

    @Test func smolLM3GGUFNamesBOSWithoutAddingIt() throws {
        let tokenizer = try Fixtures.ggufTokenizer()
        #expect(tokenizer.bosTokenId == tokenizer.id(of: "<|begin_of_text|>"))
        #expect(!tokenizer.addsBOS)
        #expect(tokenizer.encode(Self.sampleText).first != tokenizer.bosTokenId)
    }

    @Test func generationStopsAtImEndAndEndOfText() throws {
        for tokenizer in [try Fixtures.hfTokenizer(), try Fixtures.ggufTokenizer()] {
            let imEnd = try #require(tokenizer.id(of: "<|im_end|>"))
            let endOfText = try #require(tokenizer.id(of: "<|end_of_text|>"))
            #expect(tokenizer.eosTokenIds.isSuperset(of: [imEnd, endOfText]))
            #expect(!tokenizer.eosTokenIds.contains(try #require(tokenizer.id(of: "<|im_start|>"))))
        }
    }

    // MARK: - Files that do add BOS / EOS

    @Test func templateProcessingPostProcessorPrependsBOS() throws {
        let bos = "<|begin_of_text|>"
        let json = try Fixtures.tokenizerJSON { root in
            root["post_processor"] = ["type": "TemplateProcessing",
                                      "single": [["SpecialToken": ["id": bos, "type_id": 0]], ["Sequence": ["id": "A", "type_id": 0]]],
                                      "pair": [], "special_tokens": [:] as [String: Any]]
        }
        let tokenizer = try Tokenizer.load(tokenizerJSON: json)
        let bosId = try #require(tokenizer.id(of: bos))
        let plain = tokenizer.encode(Self.sampleText, addSpecialTokens: false)
        #expect(tokenizer.addsBOS)
        #expect(tokenizer.bosTokenId == bosId)
        #expect(tokenizer.encode(Self.sampleText, addSpecialTokens: true) == [bosId] + plain)
    }

    @Test func llamaBPEPreTokenizerAddsBOSByDefault() throws {
        var gguf = try Fixtures.ggufVocabulary()
        gguf.preTokenizer = "llama-bpe"
        gguf.addBOS = nil
        let tokenizer = try Tokenizer(ggufVocabulary: gguf)
        let bos = try #require(gguf.bosTokenId)
        #expect(tokenizer.addsBOS)
        #expect(tokenizer.encode(Self.sampleText).first == bos)
        #expect(tokenizer.encode(Self.sampleText, addSpecialTokens: false).first != bos)
    }

    @Test func explicitAddBOSKeyOverridesThePreTokenizerDefault() throws {
        var gguf = try Fixtures.ggufVocabulary()
        gguf.preTokenizer = "llama-bpe"
        gguf.addBOS = false
        #expect(try !Tokenizer(ggufVocabulary: gguf).addsBOS)
    }

    @Test func addEOSKeyAppendsEOS() throws {
        var gguf = try Fixtures.ggufVocabulary()
        gguf.addEOS = true
        let tokenizer = try Tokenizer(ggufVocabulary: gguf)
        #expect(tokenizer.encode(Self.sampleText).last == gguf.eosTokenId)
    }
}
