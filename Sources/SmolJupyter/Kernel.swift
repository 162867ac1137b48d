import Foundation

/// A running Jupyter kernel: the five sockets of a connection file, a thread per concurrent
/// channel, and an interpreter behind them. One `Kernel` serves one interpreter (one SmolScope
/// session) until a `shutdown_request` arrives.
///
/// Threads: the shell channel runs on the thread that calls `run()` (cells execute there, so a
/// long `generate` blocks only the shell); the control channel has its own thread so that
/// `interrupt_request` and `shutdown_request` get through while a cell runs; the heartbeat echoes
/// on a third so frontends do not declare a busy kernel dead.
public final class Kernel: @unchecked Sendable {
    /// The connection as bound: ports given as 0 are replaced by the ones the system chose.
    public let connection: ConnectionFile
    public let handler: RequestHandler

    private let context: ZMQContext
    private let shell: ZMQSocket
    private let control: ZMQSocket
    /// Bound because frontends connect to it, but never read: no command asks for input.
    private let stdin: ZMQSocket
    private let heartbeat: ZMQSocket
    private let publisher: Publisher
    private let signer: Signer
    private let replayGuard = ReplayGuard()
    private let factory = MessageFactory()
    private let interruptFD: Int32?

    /// Binds every socket. `interruptFD` is `InterruptSignal.install()`'s pipe, if SIGINT should
    /// interrupt the running cell.
    public init(connection: ConnectionFile, interpreter: KernelInterpreter, interruptFD: Int32? = nil) throws(ZMQError) {
        context = try ZMQContext()
        shell = try ZMQSocket(context, kind: .router)
        control = try ZMQSocket(context, kind: .router)
        stdin = try ZMQSocket(context, kind: .router)
        heartbeat = try ZMQSocket(context, kind: .reply)
        let iopub = try ZMQSocket(context, kind: .publisher)

        var bound = connection
        func bind(_ socket: ZMQSocket, _ port: Int) throws(ZMQError) -> Int {
            let endpoint = try socket.bind(connection.endpoint(port: port))
            return endpoint.split(separator: ":").last.flatMap { Int($0) } ?? port
        }
        bound.shellPort = try bind(shell, connection.shellPort)
        bound.controlPort = try bind(control, connection.controlPort)
        bound.stdinPort = try bind(stdin, connection.stdinPort)
        bound.iopubPort = try bind(iopub, connection.iopubPort)
        bound.hbPort = try bind(heartbeat, connection.hbPort)
        self.connection = bound

        signer = connection.signer
        publisher = Publisher(socket: iopub, signer: signer, factory: factory)
        handler = RequestHandler(interpreter: interpreter, publisher: publisher)
        self.interruptFD = interruptFD
    }

    /// Serves until `shutdown_request` or `stop()`, then closes every socket.
    public func run() {
        publisher.status(.starting, parent: nil)
        let heartbeatDone = spawn("smol-kernel-heartbeat") { [heartbeat] in
            Self.echo(heartbeat)
        }
        let controlDone = spawn("smol-kernel-control") { [self] in
            serveControl()
        }
        serveShell()
        heartbeatDone.wait()
        controlDone.wait()
        stdin.close()
        publisher.close()
    }

    /// Stops the kernel from any thread: every blocked socket call returns and `run()` ends.
    public func stop() {
        handler.interpreter.interrupt()
        context.shutdown()
    }

    /// Receives and answers shell requests until the context shuts down.
    private func serveShell() {
        defer { shell.close() }
        while true {
            do {
                answer(try shell.receive(), on: shell, abortsQueueOnError: true)
            } catch {
                if !error.isTermination { KernelLog.warning("\(error)") }
                return
            }
        }
    }

    /// The control loop also watches the SIGINT pipe, so a signal interrupts the running cell.
    private func serveControl() {
        defer { control.close() }
        while true {
            do {
                let ready = try control.poll(timeout: -1, fileDescriptor: interruptFD)
                if ready.file, let fd = interruptFD {
                    InterruptSignal.drain(fd)
                    handler.interpreter.interrupt()
                }
                if ready.socket { answer(try control.receive(), on: control) }
            } catch where error.isInterruptedCall {
                continue
            } catch {
                if !error.isTermination { KernelLog.warning("\(error)") }
                return
            }
        }
    }

    /// One received message: authenticated and answered, or, failing that, logged and dropped.
    private func answer(_ frames: [[UInt8]], on socket: ZMQSocket, abortsQueueOnError: Bool = false) {
        guard let request = authenticate(frames) else { return }
        respond(to: request, on: socket, abortsQueueOnError: abortsQueueOnError)
    }

    private func authenticate(_ frames: [[UInt8]]) -> Message? {
        do {
            return try WireMessage.decode(frames, signer: signer, replayGuard: replayGuard)
        } catch {
            KernelLog.warning("dropped a message: \(error)")
            return nil
        }
    }

    /// Announces busy, handles, replies, announces idle.
    private func respond(to request: Message, on socket: ZMQSocket, abortsQueueOnError: Bool = false) {
        publisher.status(.busy, parent: request)
        let response = handler.handle(request)
        // Taken before the reply goes out, so only requests sent before the client could know the
        // cell failed are aborted.
        let queued = abortsQueueOnError && Self.stopsQueue(request, response) ? takeQueued(from: socket) : []
        send(factory.reply(to: request, type: response.type, content: response.content), on: socket)
        publisher.status(.idle, parent: request)
        if response.stopsKernel { stop() }
        for frames in queued { abort(frames, on: socket) }
    }

    /// A failed cell with `stop_on_error` (the default) cancels the cells queued behind it, as
    /// "Run All" in JupyterLab expects: later cells would only fail on the missing state.
    private static func stopsQueue(_ request: Message, _ response: RequestHandler.Response) -> Bool {
        request.msgType == "execute_request" && response.content["status"] == "error"
            && request.content["stop_on_error"]?.boolValue != false
    }

    /// The messages already waiting on `socket`.
    private func takeQueued(from socket: ZMQSocket) -> [[[UInt8]]] {
        var queued: [[[UInt8]]] = []
        while (try? socket.poll(timeout: 0).socket) == true, let frames = try? socket.receive() { queued.append(frames) }
        return queued
    }

    /// Answers a queued execute request with status `aborted`; anything else is answered normally.
    private func abort(_ frames: [[UInt8]], on socket: ZMQSocket) {
        guard let request = authenticate(frames) else { return }
        guard request.msgType == "execute_request" else {
            respond(to: request, on: socket)
            return
        }
        publisher.status(.busy, parent: request)
        send(factory.reply(to: request, type: "execute_reply", content: ["status": "aborted"]), on: socket)
        publisher.status(.idle, parent: request)
    }

    private func send(_ reply: Message, on socket: ZMQSocket) {
        do {
            try socket.send(WireMessage.encode(reply, signer: signer))
        } catch where error.isTermination {
            // Shutting down; the requester is going away too.
        } catch {
            KernelLog.warning("cannot send \(reply.msgType): \(error)")
        }
    }

    /// The heartbeat: every message is echoed straight back.
    private static func echo(_ socket: ZMQSocket) {
        defer { socket.close() }
        while true {
            do {
                try socket.send(try socket.receive())
            } catch {
                if !error.isTermination { KernelLog.warning("heartbeat: \(error)") }
                return
            }
        }
    }

    /// Starts a thread; the returned semaphore is signalled when it ends.
    private func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
        return done
    }
}
