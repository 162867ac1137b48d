import Foundation

/// A message header. Kept as the JSON object it arrived as, so a reply's `parent_header` echoes
/// every field the client sent (newer clients add some, e.g. `subshell_id`), with typed accessors
/// for the fields the kernel reads.
public struct MessageHeader: Sendable, Equatable {
    public private(set) var json: [String: JSONValue]

    public var msgID: String { json["msg_id"]?.stringValue ?? "" }
    public var msgType: String { json["msg_type"]?.stringValue ?? "" }
    public var session: String { json["session"]?.stringValue ?? "" }
    public var username: String { json["username"]?.stringValue ?? "" }

    /// The protocol version the kernel speaks.
    public static let protocolVersion = "5.3"

    /// A fresh header for a message the kernel sends.
    public init(msgType: String, session: String, username: String = "kernel", date: Date = Date()) {
        json = [
            "msg_id": .string(UUID().uuidString.lowercased()), "msg_type": .string(msgType),
            "session": .string(session), "username": .string(username),
            "date": .string(Self.timestamp(date)), "version": .string(Self.protocolVersion),
        ]
    }

    /// A received header: it must be an object naming at least the message id and type, or the
    /// kernel could neither dispatch nor answer it.
    public init(parsing value: JSONValue) throws(WireError) {
        guard let object = value.objectValue else { throw .invalidHeader("the header is not a JSON object") }
        guard object["msg_type"]?.stringValue != nil else { throw .invalidHeader("the header has no msg_type") }
        guard object["msg_id"]?.stringValue != nil else { throw .invalidHeader("the header has no msg_id") }
        json = object
    }

    /// ISO 8601 with microseconds in UTC, as Jupyter writes dates.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

/// One Jupyter message, decoded: routing identities, header, parent header, metadata, content and
/// any binary buffers.
public struct Message: Sendable, Equatable {
    /// ZeroMQ routing identities (ROUTER sockets) or the topic (IOPub); echoed on replies.
    public var identities: [[UInt8]]
    public var header: MessageHeader
    /// The header of the request this message answers, or an empty object.
    public var parentHeader: JSONValue
    public var metadata: JSONValue
    public var content: JSONValue
    public var buffers: [[UInt8]]

    public init(identities: [[UInt8]] = [], header: MessageHeader, parentHeader: JSONValue = [:],
                metadata: JSONValue = [:], content: JSONValue = [:], buffers: [[UInt8]] = []) {
        self.identities = identities
        self.header = header
        self.parentHeader = parentHeader
        self.metadata = metadata
        self.content = content
        self.buffers = buffers
    }

    public var msgType: String { header.msgType }
}

/// Makes the messages one kernel sends: every one carries the kernel's session id, replies go back
/// to the requester's identities and name the request as their parent.
public struct MessageFactory: Sendable {
    public let session: String
    public let username: String

    public init(session: String = UUID().uuidString.lowercased(), username: String = "kernel") {
        self.session = session
        self.username = username
    }

    /// The reply to `request` on the socket it came from.
    public func reply(to request: Message, type: String, content: JSONValue) -> Message {
        Message(identities: request.identities, header: MessageHeader(msgType: type, session: session, username: username),
                parentHeader: .object(request.header.json), content: content)
    }

    /// A message for IOPub about `parent` (nil for the kernel's own `starting` status). The ZeroMQ
    /// topic is the message type, so clients may subscribe selectively.
    public func broadcast(type: String, content: JSONValue, parent: Message?) -> Message {
        Message(identities: [Array(type.utf8)],
                header: MessageHeader(msgType: type, session: session, username: username),
                parentHeader: parent.map { .object($0.header.json) } ?? [:], content: content)
    }
}
