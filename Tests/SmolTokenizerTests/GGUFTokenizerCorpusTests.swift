import Testing
@testable import SmolTokenizer

/// The fixture GGUF's vocabulary against llama.cpp (`llama_tokenize` / `llama_detokenize`).
@Suite struct GGUFTokenizerCorpusTests {
    let tokenizer: Tokenizer
    let corpus: LlamaCppTokenizerCorpus

    init() throws {
        tokenizer = try Fixtures.ggufTokenizer()
        corpus = try Fixtures.decode(LlamaCppTokenizerCorpus.self, from: "reference/llamacpp_tokenizer_corpus.json")
    }

    @Test func vocabularyMatchesLlamaCppVocabInfo() {
        #expect(tokenizer.vocabularySize == corpus.vocab_info.n_vocab)
        #expect(tokenizer.bosTokenId == corpus.vocab_info.bos)
        #expect(tokenizer.eosTokenId == corpus.vocab_info.eos)
        #expect(tokenizer.addsBOS == corpus.vocab_info.add_bos)
    }

    @Test func everyStringEncodesAsLlamaCppWithParseSpecial() {
        for entry in corpus.entries {
            #expect(tokenizer.encode(entry.text, parseSpecial: true, addSpecialTokens: false) == entry.ids_no_special,
                    "entry \(entry.index) \(entry.text.debugDescription)")
            #expect(tokenizer.encode(entry.text, parseSpecial: true, addSpecialTokens: true) == entry.ids_with_special,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func everyStringEncodesAsLlamaCppWithoutParseSpecial() {
        for entry in corpus.entries {
            #expect(tokenizer.encode(entry.text, parseSpecial: false, addSpecialTokens: false)
                        == entry.ids_no_special_parse_special_false,
                    "entry \(entry.index) \(entry.text.debugDescription)")
            #expect(tokenizer.encode(entry.text, parseSpecial: false, addSpecialTokens: true)
                        == entry.ids_with_special_parse_special_false,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func piecesMatchLlamaCpp() {
        for entry in corpus.entries {
            #expect(entry.ids_no_special.map { tokenizer.tokenBytes($0).hex } == entry.pieces_hex,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func detokenizingMatchesLlamaCpp() {
        for entry in corpus.entries {
            #expect(tokenizer.decode(entry.ids_no_special) == entry.detokenized, "entry \(entry.index)")
        }
    }

    @Test func userDefinedTokensAreMatchedEvenWithoutParseSpecial() throws {
        let think = try #require(tokenizer.id(of: "<think>"))
        #expect(tokenizer.kind(of: think) == .userDefined)
        #expect(tokenizer.encode("<think>", parseSpecial: false) == [think])
    }

    @Test func controlTokensAreSpelledOutWithoutParseSpecial() throws {
        let imStart = try #require(tokenizer.id(of: "<|im_start|>"))
        #expect(tokenizer.encode("<|im_start|>", parseSpecial: true) == [imStart])
        #expect(!tokenizer.encode("<|im_start|>", parseSpecial: false).contains(imStart))
    }
}
