import Foundation
import SmolModel

/// One interactive session: the loaded models (one current), session settings, and the command
/// interpreter. The terminal REPL, `smol run`, notebooks and the Jupyter kernel all drive a
/// `Session`; none of them formats anything itself beyond rendering ``Output`` values.
///
/// ```swift
/// let session = Session()
/// let sink = CollectingSink()
/// try session.run("load tiny; prompt 'def f'; step 3", sink: sink)
/// print(sink.plainText)
/// ```
public final class Session {
    public let registry: CommandRegistry
    public let catalog: ModelCatalog
    /// Relative paths in `load`, `save` and `compare` are resolved against this directory.
    public var workingDirectory: String
    /// Raise to stop a running `generate`/`step`/`bench` (from another thread or a signal handler).
    public let interrupt = InterruptFlag()
    public internal(set) var settings = SessionSettings()
    public private(set) var models: [LoadedModel] = []
    private var currentIndex: Int?
    /// Wall time of each statement run, oldest first (the last 100).
    public private(set) var timings: [(statement: String, seconds: Double)] = []

    public init(catalog: ModelCatalog = .standard, registry: CommandRegistry = .standard,
                workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.catalog = catalog
        self.registry = registry
        self.workingDirectory = workingDirectory
    }

    /// The model commands act on.
    public var current: LoadedModel? { currentIndex.map { models[$0] } }

    // MARK: - Running statements

    /// Runs every statement of `source` in order, stopping at the first error.
    public func run(_ source: String, sink: OutputSink) throws(ScopeError) {
        for item in Lexer.statements(source) {
            switch item {
            case .statement(let s): try run(s, sink: sink)
            case .error(let e, _): throw e
            }
        }
    }

    /// Runs one statement. Errors leave the session usable: a failed command changes nothing it
    /// did not finish (a `generate` interrupted after 5 tokens keeps those 5).
    public func run(_ statement: Statement, sink: OutputSink) throws(ScopeError) {
        guard let command = registry.command(named: statement.name) else {
            throw unknownCommand(statement)
        }
        let arguments = try Arguments(statement, for: command)
        interrupt.clear()
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            timings.append((statement.text, seconds))
            if timings.count > 100 { timings.removeFirst(timings.count - 100) }
            if settings.timing, command.name != "time" { sink.emit(.text("(\(Format.duration(seconds)))")) }
        }
        do {
            try command.action(arguments, CommandContext(session: self, sink: sink))
        } catch let e as ScopeError {
            throw e
        } catch {
            throw ScopeError.failed(String(describing: error))
        }
    }

    private func unknownCommand(_ statement: Statement) -> ScopeError {
        // `temperature=0.7` typed alone means `set temperature=0.7`.
        if statement.name.contains("="), let key = statement.name.split(separator: "=").first,
           registry.command(named: "set")?.options[String(key)] != nil {
            return .unknownCommand(statement.name, suggestion: "set " + statement.name)
        }
        return .unknownCommand(statement.name, suggestion: registry.suggestion(for: statement.name))
    }

    // MARK: - Models

    /// The current model, or ``ScopeError/noModel``.
    public func requireModel() throws(ScopeError) -> LoadedModel {
        guard let m = current else { throw .noModel }
        return m
    }

    public func model(named name: String) -> LoadedModel? { models.first { $0.name == name } }

    /// Adds `model` (replacing one of the same name) and makes it current.
    func add(_ model: LoadedModel) {
        if let i = models.firstIndex(where: { $0.name == model.name }) {
            models[i] = model
            currentIndex = i
        } else {
            models.append(model)
            currentIndex = models.count - 1
        }
    }

    func use(_ name: String) throws(ScopeError) -> LoadedModel {
        guard let i = models.firstIndex(where: { $0.name == name }) else {
            let hint = Suggest.closest(to: name, in: models.map(\.name)).map { " (did you mean '\($0)'?)" }
                ?? (models.isEmpty ? "; none is loaded" : "; loaded: " + models.map(\.name).joined(separator: ", "))
            throw .failed("no model named '\(name)'\(hint)")
        }
        currentIndex = i
        return models[i]
    }

    func remove(_ name: String) throws(ScopeError) {
        guard let i = models.firstIndex(where: { $0.name == name }) else { throw .failed("no model named '\(name)'") }
        models.remove(at: i)
        if let c = currentIndex {
            currentIndex = c == i ? (models.isEmpty ? nil : models.count - 1) : (c > i ? c - 1 : c)
        }
    }

    /// `path` made absolute against ``workingDirectory`` (and `~` expanded).
    public func resolvePath(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        if expanded.hasPrefix("/") { return expanded }
        return URL(fileURLWithPath: workingDirectory).appendingPathComponent(expanded).standardizedFileURL.path
    }

    // MARK: - Settings

    /// Applies changed settings to every loaded model's generator and recorder.
    func apply(_ new: SessionSettings, reseed: Bool) {
        let old = settings
        settings = new
        for m in models {
            if reseed || new.sampling != old.sampling { m.generator.sampler = Sampler(new.sampling) }
            m.generator.topCount = new.topCount
            m.recorder.wants = new.recording.observation
            m.recorder.limit = new.recordLimit
        }
    }
}
