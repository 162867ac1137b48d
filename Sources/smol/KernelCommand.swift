import ArgumentParser
import Foundation
import SmolJupyter
import SmolScope

/// `smol kernel`: SmolScope as a Jupyter kernel, and the kernelspec that lets Jupyter start it.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Serve SmolScope to Jupyter (JupyterLab, jupyter console, nbclient).",
        discussion: """
        Jupyter starts the kernel itself once the kernelspec is installed:
          smol kernel install --user
          jupyter console --kernel smol
        """,
        subcommands: [Serve.self, Install.self],
        defaultSubcommand: Serve.self)

    /// `smol kernel --connection-file F`: one REPL session served over the Jupyter protocol until
    /// the frontend shuts it down.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve", abstract: "Run a kernel on the sockets named in a Jupyter connection file.")

        @Option(name: .customLong("connection-file"), help: "The JSON file Jupyter writes with ports and key.")
        var connectionFile: String
        @Option(help: "Load this model (a path, tiny or smollm2) at start; by default, as in scripts and notebooks, none is.")
        var model: String?

        func run() throws {
            let connection: ConnectionFile
            do { connection = try ConnectionFile.load(path: connectionFile) } catch {
                throw KernelStartError(error.description)
            }
            let session = Session()
            if let model {
                do {
                    try session.run(Statement(name: "load", arguments: [.positional(model)]), sink: CollectingSink())
                } catch {
                    throw KernelStartError("cannot load \(model): \(error)")
                }
            }
            let interpreter = SessionKernel(session: session)
            let kernel: Kernel
            do {
                kernel = try Kernel(connection: connection, interpreter: interpreter, interruptFD: InterruptSignal.install())
            } catch {
                throw KernelStartError("cannot open the kernel's sockets: \(error)")
            }
            kernel.run()
        }
    }

    /// `smol kernel install`: writes `kernels/smol/kernel.json` where Jupyter looks for kernelspecs.
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install", abstract: "Install the SmolScope kernelspec for Jupyter.")

        @Flag(help: "Install for the current user (the default).") var user = false
        @Option(help: "Install under PREFIX/share/jupyter/kernels (e.g. a virtualenv's sys.prefix).")
        var prefix: String?
        @Option(help: "The kernelspec's name (what `--kernel` and nbclient's kernel_name use).")
        var name = "smol"

        func validate() throws {
            if user && prefix != nil { throw ValidationError("--user and --prefix are alternatives; give one") }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                throw ValidationError("a kernel name is letters, digits, '-', '_' and '.' only")
            }
        }

        func run() throws {
            let kernels = prefix.map { "\($0)/share/jupyter/kernels" } ?? Self.userKernelDirectory()
            let directory = "\(kernels)/\(name)"
            let spec = try Self.kernelSpec(executable: Self.executablePath())
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try spec.write(to: URL(fileURLWithPath: "\(directory)/kernel.json"))
            print("installed kernelspec '\(name)' in \(directory)")
        }

        /// The kernelspec: Jupyter runs argv with `{connection_file}` filled in. Interrupts come as
        /// `interrupt_request` on the control channel (SIGINT works too, for frontends that send it).
        static func kernelSpec(executable: String) throws -> Data {
            let spec: [String: Any] = [
                "argv": [executable, "kernel", "--connection-file", "{connection_file}"],
                "display_name": "SmolScope",
                "language": "smol",
                "interrupt_mode": "message",
                "metadata": ["debugger": false],
            ]
            return try JSONSerialization.data(withJSONObject: spec, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        }

        /// Jupyter's per-user data directory (`jupyter --data-dir`): `$JUPYTER_DATA_DIR`, else
        /// `$XDG_DATA_HOME/jupyter` or `~/.local/share/jupyter` on Linux, `~/Library/Jupyter` on macOS.
        static func userKernelDirectory() -> String {
            let environment = ProcessInfo.processInfo.environment
            if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty { return "\(data)/kernels" }
            let home = FileManager.default.homeDirectoryForCurrentUser.path
            #if os(macOS)
            return "\(home)/Library/Jupyter/kernels"
            #else
            let xdg = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.local/share"
            return "\(xdg)/jupyter/kernels"
            #endif
        }

        /// This binary's absolute path, so the kernelspec works from any directory and `PATH`.
        static func executablePath() throws -> String {
            if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
            if let path = Bundle.main.executablePath { return URL(fileURLWithPath: path).resolvingSymlinksInPath().path }
            throw ValidationError("cannot tell where the smol executable is")
        }
    }
}

/// Why the kernel could not start; printed as `Error: …` (Jupyter shows it in its log).
struct KernelStartError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
