/// Decodes tokens one at a time as they are generated, never emitting half a character.
///
/// Byte-level tokens often split a UTF-8 character (an emoji can take two or three tokens), so
/// printing each token's bytes as they come would show replacement characters. The decoder keeps
/// an incomplete trailing sequence until the token that completes it arrives; bytes that can never
/// become valid are emitted as U+FFFD at once, so output is never held back indefinitely.
///
/// ```swift
/// var stream = StreamingDecoder(tokenizer: tokenizer)
/// for id in generatedIds { print(stream.push(id), terminator: "") }
/// print(stream.finish())
/// ```
public struct StreamingDecoder: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecial: Bool
    private var pending: [UInt8] = []

    /// - Parameter skipSpecial: leave out special tokens, as `decode(skipSpecial:)` does.
    public init(tokenizer: Tokenizer, skipSpecial: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecial = skipSpecial
    }

    /// The text that token `id` completes: possibly empty (a partial character), possibly more
    /// than its own bytes (it completes a character started earlier).
    public mutating func push(_ id: Int) -> String {
        if skipSpecial, tokenizer.isSpecial(id) { return "" }
        pending += tokenizer.tokenBytes(id)
        let held = UTF8Validation.incompleteSuffixLength(pending)
        let ready = pending.count - held
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Whatever is still held back (an incomplete character at the end of generation), decoded
    /// with U+FFFD for the missing part; the decoder is empty afterwards.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// Whether bytes of an incomplete character are being held back.
    public var hasPendingBytes: Bool { !pending.isEmpty }
}
