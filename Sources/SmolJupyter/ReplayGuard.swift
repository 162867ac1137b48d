import Foundation

/// Remembers the signatures of recent messages so that a captured message cannot be sent again:
/// a valid signature proves who wrote a message, not that it is new. ipykernel keeps the same
/// history. Bounded: the oldest signatures are forgotten first. Shared by the shell and control
/// threads, hence the lock.
public final class ReplayGuard: @unchecked Sendable {
    public let capacity: Int
    private var seen: Set<[UInt8]> = []
    private var order: [[UInt8]] = []
    private var oldest = 0
    private let lock = NSLock()

    public init(capacity: Int = 1 << 16) {
        self.capacity = max(1, capacity)
    }

    /// Records `signature`; false if it was already seen.
    public func admit(_ signature: [UInt8]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard seen.insert(signature).inserted else { return false }
        if order.count < capacity {
            order.append(signature)
        } else {
            seen.remove(order[oldest])
            order[oldest] = signature
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
