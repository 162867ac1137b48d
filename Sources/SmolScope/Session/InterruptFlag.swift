#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A request to stop a long command (`generate`, `step`, `bench`), raised from another thread
/// (the kernel's control channel) or a SIGINT handler. Long loops check it between tokens and end
/// with ``ScopeError/interrupted``; the session stays consistent because every token is whole.
public final class InterruptFlag: @unchecked Sendable {
    /// One word a signal handler may write (`sig_atomic_t`), allocated for the process lifetime.
    public let rawValue: UnsafeMutablePointer<sig_atomic_t>

    public init() {
        rawValue = .allocate(capacity: 1)
        rawValue.initialize(to: 0)
    }

    deinit { rawValue.deallocate() }

    public func raise() { rawValue.pointee = 1 }
    public func clear() { rawValue.pointee = 0 }
    public var isRaised: Bool { rawValue.pointee != 0 }
}
