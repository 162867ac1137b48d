/// A byte-level BPE tokenizer (GPT-2 / Llama-3 / SmolLM family), token-for-token with HF
/// `tokenizers` when loaded from `tokenizer.json` and with llama.cpp when loaded from GGUF
/// metadata.
///
/// Encoding runs the same pipeline for both sources:
/// 1. added tokens are cut out of the text as whole strings (``AddedTokenMatcher``);
/// 2. the remaining text is split into words (``PreTokenizer``);
/// 3. each word's UTF-8 bytes are merged into tokens (``BytePairEncoder``);
/// 4. the file's BOS/EOS policy wraps the result.
///
/// Immutable after loading, so one instance can serve any number of threads.
public final class Tokenizer: Sendable {
    let vocabulary: Vocabulary
    let encoder: BytePairEncoder
    let preTokenizer: PreTokenizer
    let addedTokens: AddedTokenMatcher
    let specialTokens: SpecialTokens

    /// The chat template the file carries (Jinja source), if any. Render it with ``ChatTemplate``.
    public let chatTemplate: String?
    /// Tokens that end a generation: the file's eos plus the conventional end-of-turn and
    /// end-of-text tokens present in the vocabulary (`<|im_end|>`, `<|end_of_text|>`, …).
    public let eosTokenIds: Set<Int>

    init(vocabulary: Vocabulary, encoder: BytePairEncoder, preTokenizer: PreTokenizer,
         addedTokens: AddedTokenMatcher, specialTokens: SpecialTokens, chatTemplate: String?) {
        self.vocabulary = vocabulary
        self.encoder = encoder
        self.preTokenizer = preTokenizer
        self.addedTokens = addedTokens
        self.specialTokens = specialTokens
        self.chatTemplate = chatTemplate
        self.eosTokenIds = specialTokens.endOfGenerationIds(in: vocabulary)
    }

    // MARK: - Vocabulary

    /// Number of ids (the embedding rows a model needs).
    public var vocabularySize: Int { vocabulary.count }

    /// The id the file names as beginning-of-sequence, whether or not it is added automatically.
    public var bosTokenId: Int? { specialTokens.bos }

    /// The id the file names as end-of-sequence.
    public var eosTokenId: Int? { specialTokens.eos }

    /// The padding id the file names.
    public var padTokenId: Int? { specialTokens.pad }

    /// Whether `encode(_:addSpecialTokens: true)` prepends BOS. False for SmolLM3 and SmolLM2.
    public var addsBOS: Bool {
        guard let bos = specialTokens.bos else { return false }
        return specialTokens.prefix.first == bos
    }

    /// Whether `id` is a special (control) token: recognised in text only with `parseSpecial`, and
    /// dropped by `decode(skipSpecial: true)`. `<think>` and other user-defined tokens are not.
    public func isSpecial(_ id: Int) -> Bool {
        vocabulary.contains(id) && (vocabulary.kinds[id] == .control || vocabulary.kinds[id] == .unknown)
    }

    /// The kind of entry `id` is, or nil for an id outside the vocabulary.
    public func kind(of id: Int) -> TokenKind? {
        vocabulary.contains(id) ? vocabulary.kinds[id] : nil
    }

    /// The id of a vocabulary entry by its spelling in the file (`"<|im_end|>"`, `"Ġthe"`).
    public func id(of token: String) -> Int? {
        vocabulary.id(of: token)
    }

    /// The spelling of `id` in the file (byte-level for BPE entries), or nil outside the vocabulary.
    public func token(_ id: Int) -> String? {
        vocabulary.contains(id) ? vocabulary.tokens[id] : nil
    }

    // MARK: - Encoding

    /// Token ids of `text`.
    /// - Parameters:
    ///   - parseSpecial: recognise special tokens such as `<|im_start|>` written in the text.
    ///     When false they are tokenized as ordinary text; non-special added tokens (`<think>`)
    ///     are recognised either way (llama.cpp's `parse_special`, HF's `split_special_tokens`).
    ///   - addSpecialTokens: add what the file's post-processor adds (BOS for Llama 3; nothing for
    ///     SmolLM3 or SmolLM2). Chat templates write their own special tokens.
    public func encode(_ text: String, parseSpecial: Bool = true, addSpecialTokens: Bool = true) -> [Int] {
        var output = addSpecialTokens ? specialTokens.prefix : []
        var text = text
        text.withUTF8 { bytes in
            var session = EncodingSession()
            for fragment in addedTokens.fragments(of: bytes, includeSpecial: parseSpecial) {
                switch fragment {
                case .token(let id):
                    output.append(id)
                case .text(let range):
                    encodeText(UnsafeBufferPointer(rebasing: bytes[range]), session: &session, into: &output)
                }
            }
        }
        if addSpecialTokens { output += specialTokens.suffix }
        return output
    }

    /// Per-call scratch state: decoded scalars, word boundaries, BPE buffers and a cache of words
    /// already encoded (natural text repeats its words constantly).
    struct EncodingSession {
        var text = ScalarText()
        var wordEnds: [Int] = []
        var workspace = BytePairEncoder.Workspace()
        var cache: [ByteString: [Int]] = [:]
        /// Longer words are rare and would make keys allocate.
        static let cachedWordLength = 64
    }

    private func encodeText(_ bytes: UnsafeBufferPointer<UInt8>, session: inout EncodingSession, into output: inout [Int]) {
        session.text.load(bytes)
        preTokenizer.split(session.text, into: &session.wordEnds)
        var wordStart = 0
        for wordEnd in session.wordEnds {
            let byteRange = session.text.byteOffsets[wordStart]..<session.text.byteOffsets[wordEnd]
            wordStart = wordEnd
            let word = UnsafeBufferPointer(rebasing: bytes[byteRange])
            guard word.count > 1, word.count <= EncodingSession.cachedWordLength else {
                encoder.encode(word, workspace: &session.workspace, into: &output)
                continue
            }
            let key = ByteString(word)
            if let cached = session.cache[key] {
                output += cached
            } else {
                let start = output.count
                encoder.encode(word, workspace: &session.workspace, into: &output)
                session.cache[key] = Array(output[start...])
            }
        }
    }

    // MARK: - Decoding

    /// The bytes token `id` stands for (a token may hold part of a UTF-8 character); empty for an
    /// id outside the vocabulary.
    public func tokenBytes(_ id: Int) -> [UInt8] {
        vocabulary.bytes(of: id)
    }

    /// Text of `ids`, byte for byte what HF's `decode` (no clean-up) and llama.cpp's
    /// `llama_detokenize` produce. Ids outside the vocabulary contribute nothing; bytes that do
    /// not form valid UTF-8 become U+FFFD.
    /// - Parameter skipSpecial: leave out special tokens (see ``isSpecial(_:)``).
    public func decode(_ ids: [Int], skipSpecial: Bool = false) -> String {
        var bytes: [UInt8] = []
        for id in ids where !(skipSpecial && isSpecial(id)) {
            bytes += vocabulary.bytes(of: id)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A printable form of one token for display: its text with control characters escaped
    /// (`\n`, `\t`, `\u{7F}`) and bytes that are not a whole UTF-8 character shown as `\xE2`.
    public func piece(_ id: Int) -> String {
        PieceFormatter.printable(tokenBytes(id))
    }
}
