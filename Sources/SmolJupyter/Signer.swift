import SmolHub

/// Signs and verifies Jupyter messages: the HMAC-SHA256 hex digest, keyed by the connection file's
/// key, of the header, parent header, metadata and content frames concatenated. Anyone who can
/// reach the kernel's ports could otherwise run commands in it, so unsigned or wrongly signed
/// messages are refused. An empty key turns signing off (the protocol's rule): signatures are then
/// empty and not checked.
public struct Signer: Sendable {
    public let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// True when messages are signed at all.
    public var isSigning: Bool { !key.isEmpty }

    /// The lowercase hex signature of the four JSON frames, or "" without a key.
    public func signature(_ frames: [[UInt8]]) -> String {
        guard isSigning else { return "" }
        return mac(frames).hex
    }

    /// HMAC-SHA256 (RFC 2104) of the frames as one message, as `HMACSHA256.mac` computes it, but
    /// streaming each frame through SHA-256's block path: a cell with pictures sends megabytes of
    /// base64, and neither a concatenated copy nor byte-at-a-time hashing is needed for it.
    func mac(_ frames: [[UInt8]]) -> [UInt8] {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        for frame in frames { frame.withUnsafeBytes { inner.update($0) } }
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }

    /// Whether `signature` is the right one for `frames`. Compares in constant time so the kernel
    /// does not leak, through timing, how much of a forged signature was right.
    public func verify(_ signature: [UInt8], frames: [[UInt8]]) -> Bool {
        guard isSigning else { return true }
        let expected = Array(self.signature(frames).utf8)
        guard signature.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(signature, expected) { difference |= a ^ b }
        return difference == 0
    }
}
