#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Turns SIGINT into something a thread can wait for. Jupyter interrupts kernels whose kernelspec
/// says `interrupt_mode: signal` (and `jupyter console` on Ctrl-C) by sending SIGINT; the default
/// action would kill the kernel. A signal handler may do almost nothing safely, so it only writes a
/// byte to a pipe (the self-pipe trick), and the control thread, which polls that pipe alongside its
/// socket, asks the interpreter to stop.
public enum InterruptSignal {
    /// The pipe's write end, read by the C handler; an atomic so the handler never sees a torn value.
    private static let writeEnd = Atomic<Int32>(-1)

    /// Installs the handler once and returns the pipe's read end, or nil if no pipe could be made.
    public static func install() -> Int32? {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        writeEnd.store(fds[1], ordering: .sequentiallyConsistent)
        signal(SIGINT) { _ in
            var byte: UInt8 = 1
            _ = write(InterruptSignal.writeEnd.load(ordering: .sequentiallyConsistent), &byte, 1)
        }
        return fds[0]
    }

    /// Empties the pipe after a wake-up; several quick SIGINTs count as one interrupt.
    static func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(fd, &buffer, buffer.count) > 0 {}
    }
}
