import CZMQ
import Foundation

/// A failed ZeroMQ call, with libzmq's errno and message.
public struct ZMQError: Error, Equatable, CustomStringConvertible {
    public let operation: String
    public let code: Int32

    init(_ operation: String, code: Int32 = zmq_errno()) {
        self.operation = operation
        self.code = code
    }

    /// The context was shut down: the normal way a blocked socket learns the kernel is stopping.
    public var isTermination: Bool { code == ETERM }
    /// A signal (SIGINT from Jupyter's interrupt) woke the call; it should simply be retried.
    public var isInterruptedCall: Bool { code == EINTR }

    public var description: String { "\(operation): \(String(cString: zmq_strerror(code)))" }
}

/// A ZeroMQ context. `shutdown()` makes every blocking call on its sockets return `ETERM`, which is
/// how the kernel stops its socket threads without polling a flag.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init() throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.handle = handle
    }

    /// Wakes all blocked socket calls with `ETERM`; safe to call from any thread, more than once.
    public func shutdown() { zmq_ctx_shutdown(handle) }

    deinit { zmq_ctx_term(handle) }
}

/// One ZeroMQ socket. ZeroMQ sockets are not thread-safe: each is used by one thread at a time
/// (the IOPub socket, shared by the shell and control threads, sits behind `Publisher`'s lock).
public final class ZMQSocket: @unchecked Sendable {
    /// The socket types the kernel (and its tests) use.
    public enum Kind: Sendable {
        case router, dealer, publisher, subscriber, reply, request

        var rawValue: Int32 {
            switch self {
            case .router: ZMQ_ROUTER
            case .dealer: ZMQ_DEALER
            case .publisher: ZMQ_PUB
            case .subscriber: ZMQ_SUB
            case .reply: ZMQ_REP
            case .request: ZMQ_REQ
            }
        }
    }

    private(set) var handle: UnsafeMutableRawPointer?
    // Keeps the context alive while the socket is open: zmq_ctx_term waits for all sockets.
    private let context: ZMQContext

    public init(_ context: ZMQContext, kind: Kind) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, kind.rawValue) else { throw ZMQError("zmq_socket") }
        self.handle = handle
        self.context = context
        // Bounded linger: replies already queued (the shutdown reply) still go out on close, but a
        // vanished peer cannot hold the process open forever.
        try setOption(ZMQ_LINGER, 1000)
    }

    /// Binds to `endpoint` and returns the endpoint actually bound (a `:0`/`*` port resolved).
    @discardableResult
    public func bind(_ endpoint: String) throws(ZMQError) -> String {
        let wildcard = endpoint.hasSuffix(":0") ? String(endpoint.dropLast()) + "*" : endpoint
        guard zmq_bind(try open(), wildcard) == 0 else { throw ZMQError("bind \(endpoint)") }
        return try lastEndpoint()
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        guard zmq_connect(try open(), endpoint) == 0 else { throw ZMQError("connect \(endpoint)") }
    }

    public func setOption(_ option: Int32, _ value: Int32) throws(ZMQError) {
        var value = value
        guard zmq_setsockopt(try open(), option, &value, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError("zmq_setsockopt \(option)")
        }
    }

    public func setOption(_ option: Int32, bytes: [UInt8]) throws(ZMQError) {
        let socket = try open()
        let status = bytes.withUnsafeBytes { zmq_setsockopt(socket, option, $0.baseAddress, $0.count) }
        guard status == 0 else { throw ZMQError("zmq_setsockopt \(option)") }
    }

    /// The port of the last bind.
    public func lastEndpoint() throws(ZMQError) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        var size = buffer.count
        guard zmq_getsockopt(try open(), ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError("zmq_getsockopt ZMQ_LAST_ENDPOINT")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sends a multipart message, retrying calls cut short by a signal.
    public func send(_ frames: [[UInt8]]) throws(ZMQError) {
        let socket = try open()
        for (index, frame) in frames.enumerated() {
            let flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            while true {
                let sent = frame.withUnsafeBytes { zmq_send(socket, $0.baseAddress, $0.count, flags) }
                if sent >= 0 { break }
                let error = ZMQError("zmq_send")
                if !error.isInterruptedCall { throw error }
            }
        }
    }

    /// Receives one multipart message, blocking until it arrives; a signal (SIGINT for an
    /// interrupt) does not end the wait: the control thread sees signals through its pipe.
    public func receive() throws(ZMQError) -> [[UInt8]] {
        let socket = try open()
        var frames: [[UInt8]] = []
        var message = zmq_msg_t()
        zmq_msg_init(&message)
        defer { zmq_msg_close(&message) }
        repeat {
            while zmq_msg_recv(&message, socket, 0) < 0 {
                let error = ZMQError("zmq_msg_recv")
                if !error.isInterruptedCall { throw error }
            }
            let size = zmq_msg_size(&message)
            if let data = zmq_msg_data(&message), size > 0 {
                frames.append(Array(UnsafeRawBufferPointer(start: data, count: size)))
            } else {
                frames.append([])
            }
        } while zmq_msg_more(&message) != 0
        return frames
    }

    /// Waits until a message can be received, for at most `timeout` milliseconds (-1: forever).
    /// Also watches `fileDescriptor` (the signal pipe) when given; returns which became readable.
    public func poll(timeout: Int, fileDescriptor: Int32? = nil) throws(ZMQError) -> (socket: Bool, file: Bool) {
        var items = [zmq_pollitem_t(socket: try open(), fd: 0, events: Int16(ZMQ_POLLIN), revents: 0)]
        if let fileDescriptor {
            items.append(zmq_pollitem_t(socket: nil, fd: fileDescriptor, events: Int16(ZMQ_POLLIN), revents: 0))
        }
        guard zmq_poll(&items, Int32(items.count), timeout) >= 0 else { throw ZMQError("zmq_poll") }
        return (items[0].revents & Int16(ZMQ_POLLIN) != 0,
                items.count > 1 && items[1].revents & Int16(ZMQ_POLLIN) != 0)
    }

    /// Closes the socket; queued outgoing messages get up to the linger time to leave.
    public func close() {
        if let handle { zmq_close(handle) }
        handle = nil
    }

    deinit { close() }

    private func open() throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else { throw ZMQError("socket", code: ENOTSOCK) }
        return handle
    }
}
