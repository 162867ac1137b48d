import CReadline
import Foundation
import SmolScope

/// Line input for the interactive REPL through GNU readline: editing, persistent history and tab
/// completion. Only used when stdin is a terminal (readline echoes prompts and input when fed
/// from a pipe); scripts read with `readLine()`.
final class LineEditor {
    /// Where history is kept: `$SMOLSCOPE_HISTORY`, else `~/.smolscope_history`.
    static var historyPath: String {
        ProcessInfo.processInfo.environment["SMOLSCOPE_HISTORY"]
            ?? (FileManager.default.homeDirectoryForCurrentUser.path + "/.smolscope_history")
    }
    static let historyLimit: Int32 = 2000

    private let historyPath: String

    /// nil when stdin is not a terminal.
    init?(completer: @escaping (String) -> Completion) {
        guard isatty(0) != 0 else { return nil }
        historyPath = Self.historyPath
        Self.completer = completer
        smol_rl_set_readline_name("smol")
        // Words for completion end at spaces and ';' only, so `key=value`, paths and dotted tensor
        // names complete as one word (the same split as `Session.complete`).
        smol_rl_set_word_break_characters(Self.wordBreaks)
        smol_rl_set_attempted_completion(lineEditorComplete)
        smol_rl_set_catch_signals(0)
        using_history()
        stifle_history(Self.historyLimit)
        if FileManager.default.fileExists(atPath: historyPath) {
            read_history(historyPath)
        } else {
            write_history(historyPath)
        }
    }

    /// One line, or nil at end of input (Ctrl-D). Ctrl-C at the prompt clears the line.
    func readLine(prompt: String) -> String? {
        signal(SIGINT, promptInterrupt)
        defer { signal(SIGINT, SIG_DFL) }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Remembers `line` (persisted at once, so a crash loses nothing).
    func addHistory(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        add_history(line)
        append_history(1, historyPath)
        history_truncate_file(historyPath, Self.historyLimit)
    }

    // MARK: - Completion plumbing (readline calls C functions; these statics are only touched on the REPL thread)

    nonisolated(unsafe) static var completer: ((String) -> Completion)?
    nonisolated(unsafe) static let wordBreaks: UnsafePointer<CChar> = UnsafePointer(strdup(" \t\n;")!)
}

/// readline's completion hook: candidates for the word ending at `end` in the line buffer.
private func lineEditorComplete(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32)
    -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    smol_rl_set_completion_over(1)
    guard let buffer = smol_rl_line_buffer(), let completer = LineEditor.completer else { return nil }
    let bytes = UnsafeRawBufferPointer(start: buffer, count: Int(end))
    let before = String(decoding: bytes, as: UTF8.self)
    let candidates = completer(before).candidates
    guard !candidates.isEmpty else { return nil }
    // readline wants [common prefix, match…, NULL], all malloc'ed.
    var common = candidates[0]
    for c in candidates.dropFirst() {
        while !c.hasPrefix(common) { common.removeLast() }
    }
    let single = candidates.count == 1
    smol_rl_set_append_character(single && !(common.hasSuffix("=") || common.hasSuffix("/")) ? 32 : 0)
    let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (candidates.count + 2)
    let list = malloc(size)!.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
    list[0] = strdup(common)
    for (i, c) in candidates.enumerated() { list[i + 1] = strdup(c) }
    list[candidates.count + 1] = nil
    if single {
        free(list[1])
        list[1] = nil
    }
    return list
}

/// Ctrl-C at the prompt: drop the line and show a fresh prompt.
private func promptInterrupt(_ signal: Int32) {
    write(1, "\n", 1)
    rl_on_new_line()
    rl_replace_line("", 0)
    rl_redisplay()
}
