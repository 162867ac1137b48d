import Testing
@testable import SmolTokenizer

/// The real SmolLM2-135M-Instruct vocabulary (pre-tokenizer `smollm`, 49152 tokens) against
/// llama.cpp. The GGUF is 98 MB and not in the repository: these tests run when
/// `SMOL_SMOLLM2_GGUF` names the file (CI fetches it) and are skipped otherwise.
@Suite(.enabled(if: Fixtures.smolLM2GGUFPath != nil, "set SMOL_SMOLLM2_GGUF to the SmolLM2-135M-Instruct GGUF"))
struct SmolLM2TokenizerTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Fixtures.smolLM2Tokenizer()
    }

    @Test func vocabularyMatchesLlamaCppVocabInfo() throws {
        let corpus = try Fixtures.decode(SmolLM2TokenizerCorpus.self, from: "reference/smollm2-135m/smollm2_tokenizer_corpus.json")
        #expect(tokenizer.vocabularySize == corpus.vocab_info.n_vocab)
        #expect(tokenizer.bosTokenId == corpus.vocab_info.bos)
        #expect(tokenizer.eosTokenId == corpus.vocab_info.eos)
        #expect(tokenizer.addsBOS == corpus.vocab_info.add_bos)
    }

    @Test func everyStringEncodesAsLlamaCpp() throws {
        let corpus = try Fixtures.decode(SmolLM2TokenizerCorpus.self, from: "reference/smollm2-135m/smollm2_tokenizer_corpus.json")
        for entry in corpus.entries {
            #expect(tokenizer.encode(entry.text, addSpecialTokens: false) == entry.ids_no_special,
                    "entry \(entry.index) \(entry.text.debugDescription)")
            #expect(tokenizer.encode(entry.text, addSpecialTokens: true) == entry.ids_with_special,
                    "entry \(entry.index) \(entry.text.debugDescription)")
            #expect(tokenizer.encode(entry.text, parseSpecial: false, addSpecialTokens: false) == entry.ids_parse_special_false,
                    "entry \(entry.index) \(entry.text.debugDescription)")
        }
    }

    @Test func piecesAndDetokenizationMatchLlamaCpp() throws {
        let corpus = try Fixtures.decode(SmolLM2TokenizerCorpus.self, from: "reference/smollm2-135m/smollm2_tokenizer_corpus.json")
        for entry in corpus.entries {
            #expect(entry.ids_no_special.map { tokenizer.tokenBytes($0).hex } == entry.pieces_hex, "entry \(entry.index)")
            #expect(tokenizer.decode(entry.ids_no_special) == entry.detokenized, "entry \(entry.index)")
        }
    }

    @Test func chatPromptsRenderAndTokenizeAsLlamaCpp() throws {
        let reference = try Fixtures.decode(SmolLM2ChatReference.self, from: "reference/smollm2-135m/smollm2_llamacpp.json")
        let template = try ChatTemplate(try #require(tokenizer.chatTemplate))
        #expect(reference.chats.count == 5)
        for chat in reference.chats {
            let messages = chat.messages.map { ChatMessage(role: $0.role, content: $0.content) }
            let rendered = try template.render(messages: messages, addGenerationPrompt: true)
            #expect(rendered == chat.rendered_jinja, "chat \(chat.name)")
            #expect(tokenizer.encode(rendered) == chat.input_ids, "chat \(chat.name)")
        }
    }

    @Test func endsGenerationOnImEndAndEndOfText() throws {
        let imEnd = try #require(tokenizer.id(of: "<|im_end|>"))
        let endOfText = try #require(tokenizer.id(of: "<|endoftext|>"))
        #expect(tokenizer.eosTokenIds == [imEnd, endOfText])
    }
}
