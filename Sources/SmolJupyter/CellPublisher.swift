import Foundation

/// Publishes one executing cell's outputs on IOPub, in order, as they happen. Text goes out as
/// `stream`; a displayed value is held back until the next output arrives, so that when it turns out
/// to be the cell's last output it is sent as the `execute_result` (the cell's value, shown with
/// its execution count) and otherwise as `display_data`. A failure is published as `error`.
final class CellPublisher: @unchecked Sendable {
    private let publisher: Publisher?
    private let parent: Message
    private let executionCount: Int
    private var pending: DisplayBundle?
    private let lock = NSLock()

    init(publisher: Publisher?, parent: Message, executionCount: Int) {
        self.publisher = publisher
        self.parent = parent
        self.executionCount = executionCount
    }

    func emit(_ output: CellOutput) {
        lock.lock()
        defer { lock.unlock() }
        flushPending()
        switch output {
        case .stream(let name, let text):
            guard !text.isEmpty else { return }
            publisher?.publish("stream", ["name": .string(name.rawValue), "text": .string(text)], parent: parent)
        case .display(let bundle):
            pending = bundle
        }
    }

    func finish(_ outcome: ExecutionOutcome) {
        lock.lock()
        defer { lock.unlock() }
        switch outcome {
        case .success:
            if let bundle = pending {
                publisher?.publish("execute_result", [
                    "execution_count": JSONValue(executionCount), "data": bundle.data, "metadata": bundle.metadata,
                ], parent: parent)
            }
        case .failure(let error):
            flushPending()
            publisher?.publish("error", [
                "ename": .string(error.name), "evalue": .string(error.value),
                "traceback": .array(error.traceback.map(JSONValue.string)),
            ], parent: parent)
        }
        pending = nil
    }

    private func flushPending() {
        guard let bundle = pending else { return }
        pending = nil
        publisher?.publish("display_data", ["data": bundle.data, "metadata": bundle.metadata, "transient": [:]],
                           parent: parent)
    }
}
