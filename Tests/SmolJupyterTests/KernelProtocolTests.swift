import Foundation
import Testing
@testable import SmolJupyter

/// The kernel over real ZeroMQ sockets on 127.0.0.1, driven like a Jupyter frontend drives it.
@Suite("Kernel over ZeroMQ", .serialized, .timeLimit(.minutes(1)))
struct KernelProtocolTests {
    @Test("kernel_info is answered on shell, signed, with the request as parent, inside busy/idle")
    func kernelInfo() throws {
        let client = try KernelClient()
        let request = try client.send("kernel_info_request", on: client.shell)
        let reply = try #require(try client.reply(on: client.shell))
        #expect(reply.msgType == "kernel_info_reply")
        #expect(reply.parentHeader["msg_id"]?.stringValue == request.header.msgID)
        #expect(reply.content["protocol_version"] == "5.3")
        let states = try client.broadcasts(until: request).map { $0.content["execution_state"] }
        #expect(states == ["busy", "idle"])
    }

    @Test("a message with a bad signature is dropped unanswered and unexecuted; the kernel carries on")
    func badSignature() throws {
        let client = try KernelClient()
        let forged = try client.send("execute_request", ["code": "say pwned"], on: client.shell,
                                     signer: Signer(key: Array("wrong-key".utf8)))
        #expect(try client.reply(on: client.shell, timeout: 500) == nil)
        #expect(try client.reply(on: client.iopub, timeout: 200) == nil, "nothing ran for \(forged.header.msgID)")

        let request = try client.send("execute_request", ["code": "say hello"], on: client.shell)
        let reply = try #require(try client.reply(on: client.shell))
        #expect(reply.content["status"] == "ok")
        #expect(reply.content["execution_count"] == 1, "the forged request was not counted")
        let streams = try client.broadcasts(until: request).filter { $0.msgType == "stream" }
        #expect(streams.map { $0.content["text"] } == ["hello\n"])
    }

    @Test("an unknown message type gets an error reply rather than a hang")
    func unknownMessageType() throws {
        let client = try KernelClient()
        try client.send("made_up_request", on: client.shell)
        let reply = try #require(try client.reply(on: client.shell, timeout: 2000))
        #expect(reply.msgType == "made_up_reply")
        #expect(reply.content["status"] == "error")
        try client.send("made_up_request", on: client.control)
        #expect(try client.reply(on: client.control, timeout: 2000)?.content["status"] == "error")
    }

    @Test("execute publishes busy, execute_input, outputs in order, the last value as execute_result, idle")
    func executeSequence() throws {
        let client = try KernelClient()
        let request = try client.send("execute_request", ["code": "say one\nshow table\nwarn careful\nshow chart"],
                                      on: client.shell)
        let reply = try #require(try client.reply(on: client.shell))
        #expect(reply.content == ["status": "ok", "execution_count": 1, "payload": [], "user_expressions": [:]])
        let messages = try client.broadcasts(until: request)
        #expect(messages.map(\.msgType) == ["status", "execute_input", "stream", "display_data", "stream",
                                            "execute_result", "status"])
        #expect(messages[1].content == ["code": "say one\nshow table\nwarn careful\nshow chart", "execution_count": 1])
        #expect(messages[3].content["data"] == ["text/plain": "table", "text/html": "<b>table</b>"])
        #expect(messages[4].content == ["name": "stderr", "text": "careful\n"])
        #expect(messages[5].content["execution_count"] == 1)
        #expect(messages[5].content["data"]?["text/plain"] == "chart")
        #expect(messages.allSatisfy { $0.parentHeader["msg_id"]?.stringValue == request.header.msgID })
    }

    @Test("a failing cell publishes error and replies status error")
    func executeError() throws {
        let client = try KernelClient()
        let request = try client.send("execute_request", ["code": "show partial\nfail bad layer"], on: client.shell)
        let reply = try #require(try client.reply(on: client.shell))
        #expect(reply.content["status"] == "error")
        #expect(reply.content["ename"] == "ScriptError")
        let messages = try client.broadcasts(until: request)
        #expect(messages.map(\.msgType) == ["status", "execute_input", "display_data", "error", "status"])
        #expect(messages[3].content == ["ename": "ScriptError", "evalue": "bad layer", "traceback": ["ScriptError: bad layer"]])
    }

    @Test("interrupt_request on control stops a running cell, and the kernel stays usable")
    func interrupt() throws {
        let client = try KernelClient()
        try client.send("execute_request", ["code": "wait\nsay unreachable"], on: client.shell)
        #expect(client.interpreter.waitUntilBlocked())
        try client.send("interrupt_request", on: client.control)
        #expect(try client.reply(on: client.control)?.msgType == "interrupt_reply")
        let interrupted = try #require(try client.reply(on: client.shell))
        #expect(interrupted.content["status"] == "error")
        #expect(interrupted.content["ename"] == "Interrupted")

        try client.send("execute_request", ["code": "say still here"], on: client.shell)
        #expect(try client.reply(on: client.shell)?.content["status"] == "ok")
    }

    @Test("a failed cell aborts the cells queued behind it, unless stop_on_error is false")
    func abortQueuedAfterError() throws {
        let client = try KernelClient()
        try client.send("execute_request", ["code": "wait"], on: client.shell)
        try client.send("execute_request", ["code": "say queued"], on: client.shell)
        #expect(client.interpreter.waitUntilBlocked())
        Thread.sleep(forTimeInterval: 0.2)  // let the second request reach the kernel's queue
        client.interpreter.interrupt()
        #expect(try client.reply(on: client.shell)?.content["status"] == "error")
        #expect(try client.reply(on: client.shell)?.content == ["status": "aborted"])

        try client.send("execute_request", ["code": "wait", "stop_on_error": false], on: client.shell)
        try client.send("execute_request", ["code": "say queued"], on: client.shell)
        #expect(client.interpreter.waitUntilBlocked())
        Thread.sleep(forTimeInterval: 0.2)
        client.interpreter.interrupt()
        #expect(try client.reply(on: client.shell)?.content["status"] == "error")
        #expect(try client.reply(on: client.shell)?.content["status"] == "ok")
    }

    @Test("the heartbeat echoes what it receives, even while a cell runs")
    func heartbeat() throws {
        let client = try KernelClient()
        try client.send("execute_request", ["code": "wait"], on: client.shell)
        #expect(client.interpreter.waitUntilBlocked())
        try client.heartbeat.send([Array("ping".utf8)])
        #expect(try client.heartbeat.poll(timeout: 2000).socket)
        #expect(try client.heartbeat.receive() == [Array("ping".utf8)])
        client.interpreter.interrupt()
    }

    @Test("shutdown_request is answered and then the kernel stops")
    func shutdown() throws {
        let client = try KernelClient()
        #expect(try client.shutdown())
    }
}
