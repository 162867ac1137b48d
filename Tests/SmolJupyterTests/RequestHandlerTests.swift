import Foundation
import Synchronization
import Testing
@testable import SmolJupyter

/// What the kernel answers to each request type, independent of sockets.
@Suite("Request handling", .timeLimit(.minutes(1)))
struct RequestHandlerTests {
    let interpreter = ScriptedInterpreter()
    var handler: RequestHandler { RequestHandler(interpreter: interpreter, publisher: nil) }

    static func request(_ type: String, _ content: JSONValue = [:]) -> Message {
        Message(header: MessageHeader(msgType: type, session: "client"), content: content)
    }

    @Test("kernel_info_reply describes protocol 5.3 and the interpreter's language")
    func kernelInfo() {
        let reply = handler.handle(Self.request("kernel_info_request"))
        #expect(reply.type == "kernel_info_reply")
        #expect(reply.content["status"] == "ok")
        #expect(reply.content["protocol_version"] == "5.3")
        #expect(reply.content["language_info"]?["name"] == "script")
        #expect(reply.content["language_info"]?["file_extension"] == ".script")
        #expect(reply.content["banner"] == "Scripted test kernel")
    }

    @Test("an unknown message type gets an error reply of the matching reply type")
    func unknownType() {
        let reply = handler.handle(Self.request("frobnicate_request"))
        #expect(reply.type == "frobnicate_reply")
        #expect(reply.content["status"] == "error")
        #expect(reply.content["ename"] == "UnknownMessageType")
        #expect(handler.handle(Self.request("mystery")).type == "mystery_reply")
    }

    @Test("each stored execution counts up; silent ones and store_history=false do not")
    func executionCount() {
        let handler = self.handler
        func count(_ content: JSONValue) -> JSONValue? { handler.handle(Self.request("execute_request", content)).content["execution_count"] }
        #expect(count(["code": "say a"]) == 1)
        #expect(count(["code": "say b"]) == 2)
        #expect(count(["code": "say c", "silent": true]) == 2)
        #expect(count(["code": "say d", "store_history": false]) == 2)
        #expect(count(["code": "say e"]) == 3)
    }

    @Test("a failing cell replies status error with ename, evalue and traceback")
    func executeError() {
        let reply = handler.handle(Self.request("execute_request", ["code": "say a\nfail no such layer"]))
        #expect(reply.type == "execute_reply")
        #expect(reply.content["status"] == "error")
        #expect(reply.content["ename"] == "ScriptError")
        #expect(reply.content["evalue"] == "no such layer")
        #expect(reply.content["traceback"] == ["ScriptError: no such layer"])
        #expect(reply.content["execution_count"] == 1)
    }

    @Test("completion reports matches and the replaced range in code points")
    func complete() {
        // "é" is one code point but two UTF-8 bytes and may be two UTF-16 units: offsets count code points.
        let reply = handler.handle(Self.request("complete_request", ["code": "é sa", "cursor_pos": 4]))
        #expect(reply.content["matches"] == ["say"])
        #expect(reply.content["cursor_start"] == 2)
        #expect(reply.content["cursor_end"] == 4)
        #expect(reply.content["status"] == "ok")
    }

    @Test("a cursor beyond the code, negative or missing is clamped, not trapped on")
    func completeClamps() {
        for cursor: JSONValue in [99, -5, nil, "x"] {
            let reply = handler.handle(Self.request("complete_request", ["code": "wa", "cursor_pos": cursor]))
            #expect(reply.content["status"] == "ok")
        }
    }

    @Test("inspect returns the command's help, or found=false")
    func inspect() {
        let found = handler.handle(Self.request("inspect_request", ["code": "wait", "cursor_pos": 2, "detail_level": 0]))
        #expect(found.content["found"] == true)
        #expect(found.content["data"]?["text/plain"] == "help for wait")
        let missing = handler.handle(Self.request("inspect_request", ["code": "nothing", "cursor_pos": 2]))
        #expect(missing.content["found"] == false)
        #expect(missing.content["status"] == "ok")
    }

    @Test("is_complete answers complete, or incomplete with the indent to type")
    func isComplete() {
        #expect(handler.handle(Self.request("is_complete_request", ["code": "say hi"])).content == ["status": "complete"])
        #expect(handler.handle(Self.request("is_complete_request", ["code": "say \\"])).content
            == ["status": "incomplete", "indent": "  "])
    }

    @Test("comm_info lists no comms; history is empty; shutdown stops the kernel")
    func smallReplies() {
        #expect(handler.handle(Self.request("comm_info_request")).content == ["status": "ok", "comms": [:]])
        #expect(handler.handle(Self.request("history_request")).content["history"] == [])
        let shutdown = handler.handle(Self.request("shutdown_request", ["restart": true]))
        #expect(shutdown.type == "shutdown_reply")
        #expect(shutdown.content == ["status": "ok", "restart": true])
        #expect(shutdown.stopsKernel)
    }

    @Test("interrupt_request reaches a running cell: it does not wait for the cell to finish")
    func interruptWhileRunning() throws {
        let handler = self.handler
        let reply = Mutex<RequestHandler.Response?>(nil)
        let finished = DispatchSemaphore(value: 0)
        // The cell runs on its own thread, as on the kernel's shell thread.
        Thread {
            let response = handler.handle(Self.request("execute_request", ["code": "wait\nsay after"]))
            reply.withLock { $0 = response }
            finished.signal()
        }.start()
        try #require(interpreter.waitUntilBlocked())
        let interrupt = handler.handle(Self.request("interrupt_request"))
        #expect(interrupt.type == "interrupt_reply")
        #expect(interrupt.content["status"] == "ok")
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(reply.withLock { $0?.content["ename"] } == "Interrupted")
        // The interpreter is usable afterwards.
        #expect(handler.handle(Self.request("execute_request", ["code": "say again"])).content["status"] == "ok")
    }
}
