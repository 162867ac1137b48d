import SmolModel

/// Keeps every event a forward pass reports.
final class Recorder: ForwardObserver {
    let wants: Observation
    private(set) var events: [ForwardEvent] = []
    init(_ wants: Observation) { self.wants = wants }
    func observe(_ event: ForwardEvent) { events.append(event) }

    var embeddings: Tensor? {
        events.lazy.compactMap { if case .embeddings(_, let h) = $0 { h } else { nil } }.first
    }
    func layerOutput(_ layer: Int) -> Tensor? {
        events.lazy.compactMap { if case .layerOutput(layer, _, let h) = $0 { h } else { nil } }.first
    }
    var finalNorm: Tensor? {
        events.lazy.compactMap { if case .finalNorm(_, let h) = $0 { h } else { nil } }.first
    }
    func attention(_ layer: Int) -> Tensor? {
        events.lazy.compactMap { if case .attention(layer, _, let p) = $0 { p } else { nil } }.first
    }
}
