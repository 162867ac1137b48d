import Testing
@testable import SmolJupyter

/// The wire format: `[identities…, <IDS|MSG>, signature, header, parent, metadata, content, buffers…]`.
@Suite("Wire framing")
struct WireMessageTests {
    let signer = Signer(key: Array("secret".utf8))

    func request(_ type: String = "execute_request", content: JSONValue = ["code": "info"]) -> Message {
        Message(identities: [[1, 2, 3], Array("peer".utf8)],
                header: MessageHeader(msgType: type, session: "client-session", username: "ann"),
                parentHeader: [:], metadata: ["deletedCells": []], content: content, buffers: [[0, 255], []])
    }

    @Test("a message survives encoding and decoding unchanged, identities and buffers included")
    func roundTrip() throws {
        let message = request()
        let frames = WireMessage.encode(message, signer: signer)
        #expect(frames[2] == WireMessage.delimiter)
        #expect(try WireMessage.decode(frames, signer: signer) == message)
    }

    @Test("the frames carry identities, delimiter, a hex HMAC, then the four JSON frames")
    func layout() {
        let frames = WireMessage.encode(request(), signer: signer)
        #expect(frames.count == 2 + 1 + 1 + 4 + 2)
        #expect(frames[3] == Array(signer.signature(Array(frames[4...7])).utf8))
        #expect(String(decoding: frames[7], as: UTF8.self) == #"{"code":"info"}"#)
    }

    @Test("a message whose content was changed after signing is rejected")
    func tamperedContent() {
        var frames = WireMessage.encode(request(), signer: signer)
        frames[7] = Array(#"{"code":"load /etc/passwd"}"#.utf8)
        #expect(throws: WireError.badSignature) { try WireMessage.decode(frames, signer: signer) }
    }

    @Test("a message signed with another key is rejected")
    func wrongKey() {
        let frames = WireMessage.encode(request(), signer: Signer(key: Array("guess".utf8)))
        #expect(throws: WireError.badSignature) { try WireMessage.decode(frames, signer: signer) }
    }

    @Test("an unsigned message is rejected when the kernel has a key")
    func unsigned() {
        let frames = WireMessage.encode(request(), signer: Signer(key: []))
        #expect(throws: WireError.badSignature) { try WireMessage.decode(frames, signer: signer) }
    }

    @Test("with a replay guard, a message received twice is refused the second time")
    func replay() throws {
        let guardian = ReplayGuard()
        let frames = WireMessage.encode(request(), signer: signer)
        _ = try WireMessage.decode(frames, signer: signer, replayGuard: guardian)
        #expect(throws: WireError.replayed) { try WireMessage.decode(frames, signer: signer, replayGuard: guardian) }
        // A forged message does not use up its signature.
        var forged = frames
        forged[7] = Array("{}".utf8)
        let fresh = WireMessage.encode(request(), signer: signer)
        #expect(throws: WireError.badSignature) { try WireMessage.decode(forged, signer: signer, replayGuard: guardian) }
        _ = try WireMessage.decode(fresh, signer: signer, replayGuard: guardian)
    }

    @Test("the replay guard forgets the oldest signatures beyond its capacity")
    func replayCapacity() {
        let guardian = ReplayGuard(capacity: 2)
        #expect(guardian.admit([1]) && guardian.admit([2]))
        #expect(!guardian.admit([1]))
        #expect(guardian.admit([3]))
        #expect(guardian.admit([1]), "[1] was the oldest and is forgotten")
        #expect(!guardian.admit([3]))
    }

    @Test("frames without the delimiter, or too few of them, are refused, not trapped on")
    func malformedFraming() {
        let frames = WireMessage.encode(request(), signer: signer)
        #expect(throws: WireError.missingDelimiter) { try WireMessage.decode(frames.filter { $0 != WireMessage.delimiter }, signer: signer) }
        #expect(throws: WireError.tooFewFrames(4)) { try WireMessage.decode(Array(frames.prefix(7)), signer: signer) }
        #expect(throws: WireError.missingDelimiter) { try WireMessage.decode([], signer: signer) }
    }

    @Test("correctly signed but malformed JSON or a header without msg_type is refused")
    func malformedJSON() {
        func signed(_ header: String, content: String = "{}") -> [[UInt8]] {
            let json = [header, "{}", "{}", content].map { Array($0.utf8) }
            return [WireMessage.delimiter, Array(signer.signature(json).utf8)] + json
        }
        let error = #expect(throws: WireError.self) {
            try WireMessage.decode(signed(#"{"msg_id":"1","msg_type":"x"}"#, content: "{nope"), signer: signer)
        }
        guard case .invalidJSON(frame: "content", _) = error else {
            Issue.record("expected the content frame to be blamed, got \(String(describing: error))")
            return
        }
        #expect(throws: WireError.invalidHeader("the header has no msg_type")) {
            try WireMessage.decode(signed(#"{"msg_id":"1"}"#), signer: signer)
        }
        #expect(throws: WireError.invalidHeader("the header is not a JSON object")) {
            try WireMessage.decode(signed("[]"), signer: signer)
        }
    }

    @Test("a reply goes back to the requester's identities and names the request as its parent")
    func reply() {
        let factory = MessageFactory(session: "kernel-session")
        let request = request()
        let reply = factory.reply(to: request, type: "execute_reply", content: ["status": "ok"])
        #expect(reply.identities == request.identities)
        #expect(reply.parentHeader == .object(request.header.json))
        #expect(reply.header.session == "kernel-session")
        #expect(reply.header.msgType == "execute_reply")
        #expect(reply.header.json["version"] == "5.3")
        #expect(reply.header.msgID != request.header.msgID)
    }

    @Test("a reply's parent header echoes fields the kernel does not know")
    func parentKeepsUnknownFields() throws {
        let json = [#"{"msg_id":"m","msg_type":"kernel_info_request","subshell_id":null,"x-extra":[1,2]}"#, "{}", "{}", "{}"]
            .map { Array($0.utf8) }
        let frames = [WireMessage.delimiter, Array(signer.signature(json).utf8)] + json
        let request = try WireMessage.decode(frames, signer: signer)
        let reply = MessageFactory().reply(to: request, type: "kernel_info_reply", content: [:])
        #expect(reply.parentHeader["x-extra"] == [1, 2])
        #expect(reply.parentHeader["subshell_id"] == .null)
    }

    @Test("JSON numbers keep integers integral and booleans boolean")
    func jsonValues() throws {
        let value = try JSONValue.parse(Array(#"{"a":1,"b":true,"c":1.5,"d":"x","e":null}"#.utf8))
        #expect(value["a"]?.intValue == 1)
        #expect(value["b"]?.boolValue == true)
        #expect(value["c"] == .number(1.5))
        #expect(String(decoding: value.serialized, as: UTF8.self) == #"{"a":1,"b":true,"c":1.5,"d":"x","e":null}"#)
        #expect(JSONValue(Double.nan) == .null)
    }
}
