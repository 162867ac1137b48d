import Foundation

/// The IOPub side of the kernel: status, inputs and outputs broadcast to every frontend. Both the
/// shell and the control thread publish (each request is wrapped in busy/idle), and a ZeroMQ socket
/// must not be used by two threads at once, hence the lock.
public final class Publisher: @unchecked Sendable {
    private let socket: ZMQSocket
    private let signer: Signer
    private let factory: MessageFactory
    private let lock = NSLock()

    init(socket: ZMQSocket, signer: Signer, factory: MessageFactory) {
        self.socket = socket
        self.signer = signer
        self.factory = factory
    }

    /// Publishes one message about `parent`. A failure to publish is logged, not thrown: a frontend
    /// that is gone must not stop the kernel from answering the others.
    public func publish(_ type: String, _ content: JSONValue, parent: Message?) {
        let message = factory.broadcast(type: type, content: content, parent: parent)
        let frames = WireMessage.encode(message, signer: signer)
        lock.lock()
        defer { lock.unlock() }
        do {
            try socket.send(frames)
        } catch where error.isTermination {
            // Shutting down: nobody is listening any more.
        } catch {
            KernelLog.warning("cannot publish \(type): \(error)")
        }
    }

    /// `status` with `execution_state` busy, idle or starting.
    public func status(_ state: ExecutionState, parent: Message?) {
        publish("status", ["execution_state": .string(state.rawValue)], parent: parent)
    }

    /// Closes the socket once no thread publishes any more.
    func close() {
        lock.lock()
        defer { lock.unlock() }
        socket.close()
    }
}

public enum ExecutionState: String, Sendable {
    case starting, busy, idle
}

/// The kernel's diagnostics go to stderr, which Jupyter shows in its own log, never to a cell.
enum KernelLog {
    static func warning(_ text: String) {
        FileHandle.standardError.write(Data("[smol kernel] \(text)\n".utf8))
    }
}
