import Testing
@testable import SmolScope

/// Every mistake is a one-line, typed error; the session keeps working afterwards.
@Suite("Errors")
struct ErrorTests {
    func error(_ session: Session, _ source: String) -> ScopeError? {
        do {
            try session.run(source, sink: CollectingSink())
            return nil
        } catch {
            return error
        }
    }

    @Test("no model loaded")
    func noModel() {
        let s = Session()
        for command in ["info", "layers", "prompt hi", "attn 0", "tensors", "models"] {
            #expect(error(s, command) == .noModel, "\(command)")
        }
        #expect(ScopeError.noModel.description == "no model loaded; try 'load tiny' or 'load smollm2'")
    }

    @Test("an unknown command suggests the closest one")
    func unknownCommand() {
        let s = Session()
        #expect(error(s, "stpe 3") == .unknownCommand("stpe", suggestion: "step"))
        #expect(error(s, "genrate") == .unknownCommand("genrate", suggestion: "generate"))
        #expect(error(s, "xyzzy") == .unknownCommand("xyzzy", suggestion: nil))
        #expect(error(s, "temperature=0.5") == .unknownCommand("temperature=0.5", suggestion: "set temperature=0.5"))
        #expect(ScopeError.unknownCommand("stpe", suggestion: "step").description == "unknown command 'stpe' (did you mean 'step'?)")
    }

    @Test("wrong arguments name the command and show its usage")
    func usage() throws {
        let s = try tinySession()
        try s.run("prompt ids=1,2,3", sink: CollectingSink())
        #expect(error(s, "step x") == .usage(command: "step", problem: "N must be an integer (got 'x')", usage: "step [N]"))
        #expect(error(s, "step 1 2") == .usage(command: "step", problem: "unexpected argument '2'", usage: "step [N]"))
        #expect(error(s, "rope 3") == .usage(command: "rope", problem: "missing argument", usage: "rope LAYER on|off"))
        #expect(error(s, "attn 0 --heatmapp")?.description.contains("did you mean '--heatmap'?") == true)
        #expect(error(s, "set top_kk=3")?.description.contains("did you mean 'top_k='?") == true)
    }

    @Test("out-of-range layers, heads, KV heads and positions")
    func ranges() throws {
        let s = try tinySession()
        try s.run("prompt ids=1,2,3", sink: CollectingSink())
        #expect(error(s, "attn 8") == .outOfRange(what: "layer", value: "8", valid: "0...7"))
        #expect(error(s, "attn -1") == .outOfRange(what: "layer", value: "-1", valid: "0...7"))
        #expect(error(s, "attn 0 4") == .outOfRange(what: "head", value: "4", valid: "0...3"))
        #expect(error(s, "kv 0 2") == .outOfRange(what: "kv head", value: "2", valid: "0...1"))
        #expect(error(s, "attn 0 pos=3") == .outOfRange(what: "position", value: "3", valid: "0...2"))
        #expect(error(s, "hidden 8") == .outOfRange(what: "layer", value: "8", valid: "0...7"))
        #expect(error(s, "prompt ids=1024") == .outOfRange(what: "token id", value: "1024", valid: "0...1023"))
        #expect(error(s, "rewind 9") == .outOfRange(what: "N", value: "9", valid: "0...3"))
        #expect(s.current?.tokens == [1, 2, 3], "a rejected prompt leaves the sequence alone")
    }

    @Test("a failed command leaves the session as it was")
    func sessionContinues() throws {
        let s = try tinySession()
        try s.run("prompt ids=1,2,3", sink: CollectingSink())
        #expect(error(s, "force 99999") != nil)
        #expect(error(s, "attn 12") != nil)
        #expect(s.current?.tokens == [1, 2, 3])
        #expect(try output(s, "step").contains("  3  "))
        #expect(s.current?.tokens.count == 4)
    }

    @Test("every error message is a single line")
    func oneLine() throws {
        let s = try tinySession()
        for command in ["stpe", "step", "attn 9", "load /no/such/file", "tensor nope", "tokenize \"open", "use nobody",
                        "set numerics=slow", "save attn 0 to x.npy", "compare /no/such.safetensors", "chat hi think=maybe"] {
            let e = error(s, command)
            #expect(e != nil, "\(command)")
            #expect(e?.description.contains("\n") == false, "\(command)")
        }
    }
}
