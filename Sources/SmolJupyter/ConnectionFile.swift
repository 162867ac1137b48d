import Foundation

/// The connection file Jupyter writes before starting a kernel: where to bind each socket and the
/// key that signs every message. Parsed strictly, because a kernel listening on the wrong port or
/// with the wrong key just looks hung to the user; a clear error at startup is kinder.
public struct ConnectionFile: Sendable, Equatable {
    public var transport: String
    public var ip: String
    public var shellPort: Int
    public var controlPort: Int
    public var stdinPort: Int
    public var iopubPort: Int
    public var hbPort: Int
    public var signatureScheme: String
    public var key: String

    public init(transport: String = "tcp", ip: String = "127.0.0.1", shellPort: Int, controlPort: Int,
                stdinPort: Int, iopubPort: Int, hbPort: Int, signatureScheme: String = "hmac-sha256",
                key: String) {
        self.transport = transport
        self.ip = ip
        self.shellPort = shellPort
        self.controlPort = controlPort
        self.stdinPort = stdinPort
        self.iopubPort = iopubPort
        self.hbPort = hbPort
        self.signatureScheme = signatureScheme
        self.key = key
    }

    /// Reads and validates a connection file.
    public static func load(path: String) throws(ConnectionFileError) -> ConnectionFile {
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path) }
        return try parse([UInt8](data))
    }

    /// Parses connection-file JSON. Unknown fields (`kernel_name`, …) are ignored, as Jupyter adds them.
    public static func parse(_ bytes: [UInt8]) throws(ConnectionFileError) -> ConnectionFile {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw .malformed(error.description) }
        guard json.objectValue != nil else { throw .malformed("the top level is not an object") }

        func string(_ key: String, default fallback: String? = nil) throws(ConnectionFileError) -> String {
            if let value = json[key]?.stringValue { return value }
            if let fallback, json[key] == nil || json[key] == .null { return fallback }
            throw .missingField(key)
        }
        func port(_ key: String) throws(ConnectionFileError) -> Int {
            guard let value = json[key]?.intValue else { throw .missingField(key) }
            guard (1...65535).contains(value) else { throw .invalidPort(field: key, value: value) }
            return value
        }

        let file = ConnectionFile(
            transport: try string("transport", default: "tcp"), ip: try string("ip", default: "127.0.0.1"),
            shellPort: try port("shell_port"), controlPort: try port("control_port"),
            stdinPort: try port("stdin_port"), iopubPort: try port("iopub_port"), hbPort: try port("hb_port"),
            signatureScheme: try string("signature_scheme", default: "hmac-sha256"), key: try string("key", default: ""))
        guard file.transport == "tcp" else { throw .unsupportedTransport(file.transport) }
        guard file.key.isEmpty || file.signatureScheme == "hmac-sha256" else {
            throw .unsupportedSignatureScheme(file.signatureScheme)
        }
        return file
    }

    /// The ZeroMQ endpoint for one of the ports, e.g. `tcp://127.0.0.1:5555`.
    public func endpoint(port: Int) -> String {
        // IPv6 literals need brackets in a ZeroMQ endpoint.
        let host = ip.contains(":") && !ip.hasPrefix("[") ? "[\(ip)]" : ip
        return "\(transport)://\(host):\(port)"
    }

    /// The message signer the file's key and scheme call for.
    public var signer: Signer { Signer(key: Array(key.utf8)) }
}

/// What is wrong with a connection file.
public enum ConnectionFileError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case malformed(String)
    case missingField(String)
    case invalidPort(field: String, value: Int)
    case unsupportedTransport(String)
    case unsupportedSignatureScheme(String)

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read connection file \(path)"
        case .malformed(let why): "connection file is not valid JSON: \(why)"
        case .missingField(let key): "connection file lacks '\(key)'"
        case .invalidPort(let key, let value): "connection file has \(key) = \(value), not a TCP port"
        case .unsupportedTransport(let t): "transport '\(t)' is not supported (only tcp)"
        case .unsupportedSignatureScheme(let s): "signature scheme '\(s)' is not supported (only hmac-sha256)"
        }
    }
}
