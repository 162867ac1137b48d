/// The Jupyter wire format: a multipart ZeroMQ message
/// `[identities…, "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers…]`.
/// Kept apart from the sockets so framing and signing can be tested without a network.
public enum WireMessage {
    /// The frame that separates routing identities from the message proper.
    public static let delimiter: [UInt8] = Array("<IDS|MSG>".utf8)

    /// Decodes and authenticates the frames of one received message. The signature is checked over
    /// the frames exactly as received (before any JSON parsing), as the protocol requires; with a
    /// `replayGuard`, a signature seen before is refused too.
    public static func decode(_ frames: [[UInt8]], signer: Signer, replayGuard: ReplayGuard? = nil) throws(WireError) -> Message {
        guard let split = frames.firstIndex(of: delimiter) else { throw .missingDelimiter }
        let identities = Array(frames[..<split])
        let rest = Array(frames[(split + 1)...])
        guard rest.count >= 5 else { throw .tooFewFrames(rest.count) }
        let signed = Array(rest[1...4])
        guard signer.verify(rest[0], frames: signed) else { throw .badSignature }
        if signer.isSigning, let replayGuard, !replayGuard.admit(rest[0]) { throw .replayed }

        func json(_ frame: [UInt8], _ name: String) throws(WireError) -> JSONValue {
            do { return try JSONValue.parse(frame) } catch { throw .invalidJSON(frame: name, error.description) }
        }
        let header = try MessageHeader(parsing: try json(signed[0], "header"))
        return Message(identities: identities, header: header, parentHeader: try json(signed[1], "parent_header"),
                       metadata: try json(signed[2], "metadata"), content: try json(signed[3], "content"),
                       buffers: Array(rest.dropFirst(5)))
    }

    /// The frames to send for `message`, signed.
    public static func encode(_ message: Message, signer: Signer) -> [[UInt8]] {
        let signed = [JSONValue.object(message.header.json).serialized, message.parentHeader.serialized,
                      message.metadata.serialized, message.content.serialized]
        return message.identities + [delimiter, Array(signer.signature(signed).utf8)] + signed + message.buffers
    }
}

/// Why received frames are not an acceptable message. The kernel logs these and drops the
/// message: answering an unauthenticated sender would be answering a stranger.
public enum WireError: Error, Equatable, CustomStringConvertible {
    case missingDelimiter
    case tooFewFrames(Int)
    case badSignature
    case replayed
    case invalidJSON(frame: String, String)
    case invalidHeader(String)

    public var description: String {
        switch self {
        case .missingDelimiter: "no <IDS|MSG> delimiter frame"
        case .tooFewFrames(let n): "expected a signature and 4 JSON frames after the delimiter, got \(n) frames"
        case .badSignature: "invalid message signature"
        case .replayed: "a message with this signature was already received (replayed)"
        case .invalidJSON(let frame, let why): "\(frame) frame: \(why)"
        case .invalidHeader(let why): why
        }
    }
}
