import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process on a pseudo-terminal, driven like a person at a keyboard: `type` sends keys,
/// `expect` waits until the screen output contains a string.
final class PseudoTerminal {
    let process = Process()
    private let master: Int32
    /// Everything the child printed so far, with ANSI escape sequences removed.
    private(set) var screen = ""

    init(_ executable: String, arguments: [String] = [], environment: [String: String]) throws {
        // posix_openpt/grantpt/unlockpt/ptsname are hidden from Swift's Glibc module (they need
        // _XOPEN_SOURCE), so they are looked up in libc at run time.
        master = Self.libc.openpt(O_RDWR | O_NOCTTY)
        guard master >= 0, Self.libc.grantpt(master) == 0, Self.libc.unlockpt(master) == 0,
              let cName = Self.libc.ptsname(master) else {
            throw PTYError("cannot open a pseudo-terminal")
        }
        let name = String(cString: cName)
        let slave = open(name, O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw PTYError("cannot open \(name)") }
        var size = winsize(ws_row: 40, ws_col: 200, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &size)
        let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    /// The pseudo-terminal functions of the C library.
    struct LibC {
        let openpt: @convention(c) (Int32) -> Int32
        let grantpt: @convention(c) (Int32) -> Int32
        let unlockpt: @convention(c) (Int32) -> Int32
        let ptsname: @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    }

    static let libc: LibC = {
        let handle = dlopen(nil, RTLD_NOW)
        func symbol<T>(_ name: String, _: T.Type) -> T { unsafeBitCast(dlsym(handle, name)!, to: T.self) }
        return LibC(openpt: symbol("posix_openpt", (@convention(c) (Int32) -> Int32).self),
                    grantpt: symbol("grantpt", (@convention(c) (Int32) -> Int32).self),
                    unlockpt: symbol("unlockpt", (@convention(c) (Int32) -> Int32).self),
                    ptsname: symbol("ptsname", (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self))
    }()

    deinit {
        if process.isRunning { process.terminate() }
        close(master)
    }

    func type(_ keys: String) {
        var bytes = Array(keys.utf8)
        _ = bytes.withUnsafeMutableBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until the screen contains `text` `count` times (or the timeout passes).
    @discardableResult
    func expect(_ text: String, count: Int = 1, timeout: TimeInterval = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if occurrences(of: text) >= count { return true }
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 { drain() }
            if !process.isRunning { drain(); return occurrences(of: text) >= count }
        }
        return occurrences(of: text) >= count
    }

    /// Waits until the child has printed everything and shows `prompt` at the end, waiting for keys
    /// (readline switches the terminal to raw mode before it draws the prompt).
    @discardableResult
    func waitForPrompt(_ prompt: String = "smol> ", timeout: TimeInterval = 20) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 50) > 0 {
                drain()
            } else if screen.hasSuffix(prompt) {
                return true
            }
            if !process.isRunning { return false }
        }
        return false
    }

    func occurrences(of text: String) -> Int { screen.components(separatedBy: text).count - 1 }

    /// Waits for the child to exit.
    func waitForExit(timeout: TimeInterval = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline {
            drain()
            usleep(20_000)
        }
        drain()
        return process.isRunning ? nil : process.terminationStatus
    }

    private func drain() {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            screen += Self.stripEscapes(String(decoding: buffer[0..<n], as: UTF8.self))
        }
    }

    /// Removes CSI (`ESC [ … letter`) and other two-byte escape sequences, and carriage returns.
    static func stripEscapes(_ s: String) -> String {
        var out = "", scalars = Array(s.unicodeScalars), i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\u{1B}" {
                i += 1
                if i < scalars.count, scalars[i] == "[" {
                    i += 1
                    while i < scalars.count, !(0x40...0x7E).contains(scalars[i].value) { i += 1 }
                }
                i += 1
                continue
            }
            if c != "\r" && c != "\u{07}" { out.unicodeScalars.append(c) }
            i += 1
        }
        return out
    }
}

struct PTYError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
