import Foundation
import Testing

/// The terminal REPL driven through a pseudo-terminal, as a person would: commands, an error that
/// does not end the session, history with the up arrow (persisted to the history file), and tab
/// completion of commands, tensor names and option values.
@Suite("Interactive REPL on a pseudo-terminal", .enabled(if: SmolBinary.exists, "the smol executable is not built"))
struct InteractiveREPLTests {
    @Test("type, make a mistake, recall it from history, complete with tab, quit with Ctrl-D")
    func session() throws {
        let home = try Paths.scratchDirectory()
        let history = home + "/history"
        let term = try PseudoTerminal(SmolBinary.path!, environment: [
            "HOME": home, "SMOLSCOPE_HISTORY": history, "TERM": "dumb", "PATH": "/usr/bin:/bin",
        ])
        #expect(term.waitForPrompt(), "no prompt; screen: \(term.screen)")
        #expect(term.screen.hasPrefix("SmolScope"), "a one-line banner first")
        #expect(term.screen.contains("'help'") && term.screen.contains("load smollm2"))

        term.type("layers\r")
        #expect(term.expect("NoPE layers: 3, 7"), "layers; screen: \(term.screen)")
        #expect(term.waitForPrompt())

        // A mistake: one line of error, then the prompt again.
        term.type("stpe 2\r")
        #expect(term.expect("error: unknown command 'stpe' (did you mean 'step'?)"))
        #expect(term.waitForPrompt())

        term.type("prompt \"def fibonacci\"\r")
        #expect(term.expect("tokens at positions 0...", count: 1))
        #expect(term.waitForPrompt())

        // History: two up-arrows recall the mistyped line; edit it (Home, delete 4, type 'step').
        term.type("\u{1B}[A\u{1B}[A")
        #expect(term.expect("stpe 2", count: 3))
        term.type("\u{01}\u{1B}[3~\u{1B}[3~\u{1B}[3~\u{1B}[3~step\r")
        #expect(term.expect("top alternatives"), "edited history line; screen: \(term.screen)")
        #expect(term.waitForPrompt())

        // Tab completion: a command name, a tensor name, an option value.
        term.type("lay\t\r")
        #expect(term.expect("NoPE layers: 3, 7", count: 2), "completed 'layers'")
        #expect(term.waitForPrompt())
        term.type("tensor model.norm.w\t--no-hist\r")
        #expect(term.expect("model.norm.weight  shape [256]"), "completed tensor name; screen: \(term.screen)")
        #expect(term.waitForPrompt())
        term.type("set numerics=ex\t\r")
        #expect(term.expect("numerics=exact"), "completed option value")
        #expect(term.waitForPrompt())

        term.type("\u{04}")
        #expect(term.waitForExit() == 0)
        let saved = (try? String(contentsOfFile: history, encoding: .utf8)) ?? ""
        #expect(saved.contains("stpe 2"), "the failing line is kept in history")
        #expect(saved.contains("tensor model.norm.weight --no-hist"))
    }

    @Test("history persists across sessions")
    func historyPersists() throws {
        let home = try Paths.scratchDirectory()
        let history = home + "/history"
        try "info\n".write(toFile: history, atomically: true, encoding: .utf8)
        let term = try PseudoTerminal(SmolBinary.path!, environment: ["HOME": home, "SMOLSCOPE_HISTORY": history, "TERM": "dumb"])
        #expect(term.waitForPrompt())
        term.type("\u{1B}[A\r")
        #expect(term.expect("model 'tiny'"), "recalled 'info' from the previous session; screen: \(term.screen)")
        #expect(term.waitForPrompt())
        term.type("\u{04}")
        #expect(term.waitForExit() == 0, "screen: \(term.screen)")
    }
}
