import CZMQ
import Foundation
@testable import SmolJupyter

/// A kernel running on a background thread with a `ScriptedInterpreter`, and a client connected
/// to it over loopback the way jupyter_client connects: DEALER sockets for shell and control, SUB
/// for IOPub, REQ for the heartbeat.
final class KernelClient: @unchecked Sendable {
    let kernel: Kernel
    let interpreter = ScriptedInterpreter()
    let signer: Signer
    let context: ZMQContext
    let shell: ZMQSocket
    let control: ZMQSocket
    let iopub: ZMQSocket
    let heartbeat: ZMQSocket
    private let stopped = DispatchSemaphore(value: 0)
    private var hasStopped = false
    private let factory = MessageFactory(session: "test-client", username: "tester")

    init(key: String = "test-key-0123") throws {
        let file = ConnectionFile(shellPort: 0, controlPort: 0, stdinPort: 0, iopubPort: 0, hbPort: 0, key: key)
        kernel = try Kernel(connection: file, interpreter: interpreter)
        signer = file.signer
        let kernel = self.kernel, stopped = self.stopped
        Thread {
            kernel.run()
            stopped.signal()
        }.start()

        context = try ZMQContext()
        shell = try ZMQSocket(context, kind: .dealer)
        control = try ZMQSocket(context, kind: .dealer)
        iopub = try ZMQSocket(context, kind: .subscriber)
        heartbeat = try ZMQSocket(context, kind: .request)
        let bound = kernel.connection
        try shell.connect(bound.endpoint(port: bound.shellPort))
        try control.connect(bound.endpoint(port: bound.controlPort))
        try iopub.setOption(ZMQ_SUBSCRIBE, bytes: [])
        try iopub.connect(bound.endpoint(port: bound.iopubPort))
        try heartbeat.connect(bound.endpoint(port: bound.hbPort))
        // The test's sockets need not flush anything when a test ends.
        for socket in [shell, control, iopub, heartbeat] { try socket.setOption(ZMQ_LINGER, 0) }
        try waitForIOPub()
    }

    /// A PUB socket drops what it publishes before a subscription arrives, so (like jupyter_client)
    /// ask for kernel info until its busy/idle shows up on IOPub, then forget what came before.
    private func waitForIOPub() throws {
        for _ in 0..<50 {
            let request = try send("kernel_info_request", on: shell)
            _ = try reply(on: shell, timeout: 2000)
            if try iopub.poll(timeout: 100).socket {
                _ = try broadcasts(until: request)
                return
            }
        }
        throw ZMQError("IOPub never connected", code: EAGAIN)
    }

    /// Sends a request signed with `signer` (default: the kernel's key); returns it.
    @discardableResult
    func send(_ type: String, _ content: JSONValue = [:], on socket: ZMQSocket, signer: Signer? = nil) throws -> Message {
        let message = Message(header: MessageHeader(msgType: type, session: factory.session, username: factory.username),
                              content: content)
        try socket.send(WireMessage.encode(message, signer: signer ?? self.signer))
        return message
    }

    /// The next message on `socket`, or nil after `timeout` ms.
    func reply(on socket: ZMQSocket, timeout: Int = 5000) throws -> Message? {
        guard try socket.poll(timeout: timeout).socket else { return nil }
        return try WireMessage.decode(try socket.receive(), signer: signer)
    }

    /// IOPub messages up to and including the `idle` status for `request`.
    func broadcasts(until request: Message, timeout: Int = 5000) throws -> [Message] {
        var messages: [Message] = []
        while let message = try reply(on: iopub, timeout: timeout) {
            messages.append(message)
            if message.msgType == "status", message.content["execution_state"] == "idle",
               message.parentHeader["msg_id"]?.stringValue == request.header.msgID {
                return messages
            }
        }
        return messages
    }

    /// Asks the kernel to shut down and waits until `run()` has returned.
    func shutdown() throws -> Bool {
        try send("shutdown_request", ["restart": false], on: control)
        _ = try reply(on: control)
        hasStopped = stopped.wait(timeout: .now() + 10) == .success
        return hasStopped
    }

    deinit {
        if !hasStopped {
            kernel.stop()
            _ = stopped.wait(timeout: .now() + 10)
        }
        for socket in [shell, control, iopub, heartbeat] { socket.close() }
    }
}
