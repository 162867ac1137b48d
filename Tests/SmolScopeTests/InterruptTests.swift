import Testing
@testable import SmolScope

/// Ctrl-C in the terminal and `interrupt_request` in Jupyter raise the session's flag; a long
/// command stops between tokens, keeps what it finished, and the session goes on.
@Suite("Interrupting a long command")
struct InterruptTests {
    /// Raises the interrupt after `after` streamed fragments.
    final class InterruptingSink: OutputSink {
        let session: Session
        let after: Int
        var fragments = 0
        init(_ session: Session, after: Int) {
            self.session = session
            self.after = after
        }
        func emit(_ output: Output) {
            guard case .stream = output else { return }
            fragments += 1
            if fragments == after { session.interrupt.raise() }
        }
    }

    @Test("generate stops after the token in progress and keeps it")
    func generate() throws {
        let s = try tinySession()
        try s.run("set stop=off; prompt ids=1,2,3", sink: CollectingSink())
        #expect(throws: ScopeError.failed("interrupted after 5 tokens")) {
            try s.run("generate 200", sink: InterruptingSink(s, after: 5))
        }
        #expect(s.current?.tokens.count == 8)
        #expect(try output(s, "step").contains("  8  "), "the next command runs normally")
    }

    @Test("the flag is cleared when the next statement starts")
    func cleared() throws {
        let s = try tinySession()
        try s.run("prompt ids=1,2,3", sink: CollectingSink())
        s.interrupt.raise()
        try s.run("step 2", sink: CollectingSink())
        #expect(s.current?.tokens.count == 5)
    }
}
