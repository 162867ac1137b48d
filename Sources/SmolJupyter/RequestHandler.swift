import Foundation

/// Answers requests from the shell and control channels. Turns the interpreter's answers into
/// protocol content; knows nothing of sockets (the `Kernel` sends what this returns), so every
/// message type can be tested directly.
///
/// Both channel threads call `handle` concurrently. Requests that touch the interpreter are
/// serialised by `interpreterLock`; `interrupt_request` deliberately is not, since its purpose is to
/// reach an `execute` that holds the lock.
public final class RequestHandler: @unchecked Sendable {
    let interpreter: KernelInterpreter
    let publisher: Publisher?
    private let interpreterLock = NSLock()
    /// Cells run so far with `store_history`; guarded by `interpreterLock`.
    private var executionCount = 0

    /// `publisher` is nil in tests that only look at replies.
    public init(interpreter: KernelInterpreter, publisher: Publisher?) {
        self.interpreter = interpreter
        self.publisher = publisher
    }

    /// What to send back, and whether the kernel should stop afterwards.
    public struct Response: Sendable, Equatable {
        public var type: String
        public var content: JSONValue
        public var stopsKernel = false
    }

    public func handle(_ request: Message) -> Response {
        let content = request.content
        switch request.msgType {
        case "kernel_info_request":
            return Response(type: "kernel_info_reply", content: kernelInfo)
        case "execute_request":
            return withInterpreter { execute(request) }
        case "complete_request":
            return withInterpreter { complete(content) }
        case "inspect_request":
            return withInterpreter { inspect(content) }
        case "is_complete_request":
            return withInterpreter { isComplete(content) }
        case "history_request":
            // Cells are not kept across sessions; an empty history is a valid answer.
            return Response(type: "history_reply", content: ["status": "ok", "history": []])
        case "comm_info_request":
            return Response(type: "comm_info_reply", content: ["status": "ok", "comms": [:]])
        case "interrupt_request":
            interpreter.interrupt()
            return Response(type: "interrupt_reply", content: ["status": "ok"])
        case "shutdown_request":
            interpreter.interrupt()
            let restart = content["restart"]?.boolValue ?? false
            return Response(type: "shutdown_reply", content: ["status": "ok", "restart": .bool(restart)],
                            stopsKernel: true)
        default:
            return unknown(request.msgType)
        }
    }

    /// Any other message type gets an error reply of the matching `_reply` type, so a client that
    /// sent something we do not implement sees why instead of waiting forever.
    private func unknown(_ type: String) -> Response {
        let base = type.hasSuffix("_request") ? String(type.dropLast("_request".count)) : type
        return Response(type: base + "_reply", content: [
            "status": "error", "ename": "UnknownMessageType",
            "evalue": .string("the SmolScope kernel does not handle '\(type)'"), "traceback": [],
        ])
    }

    private var kernelInfo: JSONValue {
        let info = interpreter.info
        return [
            "status": "ok",
            "protocol_version": .string(MessageHeader.protocolVersion),
            "implementation": .string(info.implementation),
            "implementation_version": .string(info.implementationVersion),
            "language_info": [
                "name": .string(info.languageName), "version": .string(info.languageVersion),
                "mimetype": .string(info.mimeType), "file_extension": .string(info.fileExtension),
            ],
            "banner": .string(info.banner),
            "help_links": [],
        ]
    }

    private func withInterpreter(_ body: () -> Response) -> Response {
        interpreterLock.lock()
        defer { interpreterLock.unlock() }
        return body()
    }

    /// Runs a cell: `execute_input`, its outputs as they come, then the reply. Called with the
    /// interpreter lock held.
    private func execute(_ request: Message) -> Response {
        let code = request.content["code"]?.stringValue ?? ""
        // A silent request (a frontend probing the kernel) is neither counted nor broadcast.
        let silent = request.content["silent"]?.boolValue ?? false
        let storeHistory = !silent && (request.content["store_history"]?.boolValue ?? true)
        if storeHistory { executionCount += 1 }
        let count = executionCount
        let broadcaster = silent ? nil : publisher
        broadcaster?.publish("execute_input", ["code": .string(code), "execution_count": JSONValue(count)],
                             parent: request)

        let cell = CellPublisher(publisher: broadcaster, parent: request, executionCount: count)
        let outcome = interpreter.execute(code, output: CellSink { cell.emit($0) })
        cell.finish(outcome)

        switch outcome {
        case .success:
            return Response(type: "execute_reply", content: [
                "status": "ok", "execution_count": JSONValue(count), "payload": [], "user_expressions": [:],
            ])
        case .failure(let error):
            return Response(type: "execute_reply", content: [
                "status": "error", "execution_count": JSONValue(count), "ename": .string(error.name),
                "evalue": .string(error.value), "traceback": .array(error.traceback.map(JSONValue.string)),
            ])
        }
    }
}
