/// A statement's arguments checked against its command: the right number of positionals, only
/// known options and flags. Typed accessors turn bad values into one-line usage errors.
public struct Arguments {
    public let command: Command
    public let positionals: [String]
    /// Options in the order written (a key may not repeat).
    public let options: [(key: String, value: String)]
    public let flags: Set<String>
    /// The arguments as written (for commands that pass them on, like `time`).
    public let raw: [Statement.Argument]

    init(_ statement: Statement, for command: Command) throws(ScopeError) {
        self.command = command
        var positionals: [String] = [], options: [(String, String)] = [], flags: Set<String> = []
        raw = statement.arguments
        let passThrough = command.options["*"] != nil
        for a in statement.arguments {
            switch a {
            case .positional(let s): positionals.append(s)
            case .option(let k, let v):
                guard passThrough || command.options[k] != nil else {
                    let hint = Suggest.closest(to: k, in: Array(command.options.keys)).map { " (did you mean '\($0)='?)" }
                        ?? (command.options.isEmpty ? " (it takes no key=value options; quote text containing '=')" : "")
                    throw ScopeError.usage(command: command.name, problem: "unknown option '\(k)='\(hint)", usage: command.usage)
                }
                guard !options.contains(where: { $0.0 == k }) else {
                    throw ScopeError.usage(command: command.name, problem: "option '\(k)=' given twice", usage: command.usage)
                }
                options.append((k, v))
            case .flag(let f):
                guard passThrough || command.flags.contains(f) else {
                    let hint = Suggest.closest(to: f, in: command.flags).map { " (did you mean '--\($0)'?)" } ?? ""
                    throw ScopeError.usage(command: command.name, problem: "unknown flag '--\(f)'\(hint)", usage: command.usage)
                }
                flags.insert(f)
            }
        }
        if positionals.count < command.positionals.lowerBound {
            throw ScopeError.usage(command: command.name, problem: "missing argument", usage: command.usage)
        }
        if positionals.count > command.positionals.upperBound {
            let extra = positionals[command.positionals.upperBound]
            throw ScopeError.usage(command: command.name, problem: "unexpected argument '\(extra)'", usage: command.usage)
        }
        self.positionals = positionals
        self.options = options
        self.flags = flags
    }

    public func usageError(_ problem: String) -> ScopeError {
        .usage(command: command.name, problem: problem, usage: command.usage)
    }

    public subscript(_ i: Int) -> String? { i < positionals.count ? positionals[i] : nil }
    public func has(_ flag: String) -> Bool { flags.contains(flag) }
    public func option(_ key: String) -> String? { options.first { $0.key == key }?.value }

    /// Positionals from `i` on joined with spaces (free text such as `tokenize Hello world`).
    public func rest(from i: Int) -> String? {
        i < positionals.count ? positionals[i...].joined(separator: " ") : nil
    }

    // MARK: - Typed values

    public func int(_ text: String, _ name: String) throws(ScopeError) -> Int {
        guard let v = Int(text) else { throw usageError("\(name) must be an integer (got '\(text)')") }
        return v
    }

    public func int(at i: Int, _ name: String) throws(ScopeError) -> Int? {
        guard let t = self[i] else { return nil }
        return try int(t, name)
    }

    public func intOption(_ key: String) throws(ScopeError) -> Int? {
        guard let t = option(key) else { return nil }
        return try int(t, key)
    }

    public func double(_ text: String, _ name: String) throws(ScopeError) -> Double {
        guard let v = Double(text), v.isFinite else { throw usageError("\(name) must be a number (got '\(text)')") }
        return v
    }

    public func doubleOption(_ key: String) throws(ScopeError) -> Double? {
        guard let t = option(key) else { return nil }
        return try double(t, key)
    }

    /// `on`/`off` (also true/false, yes/no, 1/0).
    public func onOff(_ text: String, _ name: String) throws(ScopeError) -> Bool {
        switch text.lowercased() {
        case "on", "true", "yes", "1": return true
        case "off", "false", "no", "0": return false
        default: throw usageError("\(name) must be on or off (got '\(text)')")
        }
    }

    public func onOffOption(_ key: String) throws(ScopeError) -> Bool? {
        guard let t = option(key) else { return nil }
        return try onOff(t, key)
    }

    /// A value checked to lie in `range`, with an out-of-range error naming `what`.
    public static func check(_ value: Int, in range: Range<Int>, _ what: String) throws(ScopeError) -> Int {
        guard range.contains(value) else {
            throw ScopeError.outOfRange(what: what, value: String(value),
                                        valid: range.isEmpty ? "there are none" : "\(range.lowerBound)...\(range.upperBound - 1)")
        }
        return value
    }
}
