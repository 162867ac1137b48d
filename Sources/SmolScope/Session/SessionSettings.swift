import Foundation
import SmolModel

/// What the forward pass records for inspection (`set record=…`).
public struct Recording: Sendable, Equatable, CustomStringConvertible {
    public var attention: Bool
    public var hidden: Bool
    public var queries: Bool

    public init(attention: Bool = true, hidden: Bool = true, queries: Bool = false) {
        self.attention = attention
        self.hidden = hidden
        self.queries = queries
    }

    public static let off = Recording(attention: false, hidden: false, queries: false)
    public static let all = Recording(attention: true, hidden: true, queries: true)

    public var observation: Observation {
        var o: Observation = []
        if attention { o.insert(.attention) }
        if hidden { o.insert(.hidden) }
        if queries { o.insert(.queries) }
        return o
    }

    /// `attn,hidden`, `all`, `off`.
    public var description: String {
        if self == .off { return "off" }
        if self == .all { return "all" }
        return [attention ? "attn" : nil, hidden ? "hidden" : nil, queries ? "queries" : nil].compactMap { $0 }.joined(separator: ",")
    }

    /// Parses the `set record=` value.
    public init?(parsing text: String) {
        self = .off
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            switch part {
            case "off", "none": break
            case "all", "on": self = .all
            case "attn", "attention": attention = true
            case "hidden": hidden = true
            case "queries", "q": queries = true
            default: return nil
            }
        }
    }
}

/// Session-wide settings (`set`). Sampling applies to every loaded model's generator.
public struct SessionSettings: Sendable, Equatable {
    public var sampling = SamplingSettings()
    /// Candidates shown per `step`.
    public var topCount = 5
    /// Default token count of `generate` without N.
    public var maxTokens = 128
    public var recording = Recording()
    /// Recorded data kept at most (oldest positions are dropped first), in bytes.
    public var recordLimit = 512 << 20
    /// Show each command's wall time after it.
    public var timing = false
    /// `step`/`generate` stop at an end-of-sequence token.
    public var stopAtEnd = true
    /// The date chat templates see (`strftime_now`); nil = today.
    public var date: Date?

    public init() {}
}
