import Testing
@testable import SmolJupyter

/// The connection file Jupyter writes before it starts the kernel.
@Suite("Connection file")
struct ConnectionFileTests {
    static let typical = #"""
    {"shell_port": 53794, "iopub_port": 53795, "stdin_port": 53796, "control_port": 53797,
     "hb_port": 53798, "ip": "127.0.0.1", "key": "a0436f6c-1916-498b-8eb9-e81ab9368e84",
     "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "smol"}
    """#

    func parse(_ text: String) throws(ConnectionFileError) -> ConnectionFile {
        try ConnectionFile.parse(Array(text.utf8))
    }

    @Test("a file as jupyter_client writes it gives every port, the address and the key")
    func typical() throws {
        let file = try parse(Self.typical)
        #expect(file.shellPort == 53794 && file.iopubPort == 53795 && file.stdinPort == 53796)
        #expect(file.controlPort == 53797 && file.hbPort == 53798)
        #expect(file.key == "a0436f6c-1916-498b-8eb9-e81ab9368e84")
        #expect(file.endpoint(port: file.shellPort) == "tcp://127.0.0.1:53794")
        #expect(file.signer.isSigning)
    }

    @Test("a missing port is an error naming the field")
    func missingPort() {
        #expect(throws: ConnectionFileError.missingField("hb_port")) {
            try parse(#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"key":""}"#)
        }
    }

    @Test("ports outside 1…65535 are refused")
    func invalidPort() {
        #expect(throws: ConnectionFileError.invalidPort(field: "shell_port", value: 70000)) {
            try parse(#"{"shell_port":70000,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5}"#)
        }
    }

    @Test("only hmac-sha256 signing and the tcp transport are supported")
    func unsupported() {
        #expect(throws: ConnectionFileError.unsupportedSignatureScheme("hmac-md5")) {
            try parse(#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-md5"}"#)
        }
        #expect(throws: ConnectionFileError.unsupportedTransport("ipc")) {
            try parse(#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"transport":"ipc"}"#)
        }
    }

    @Test("text that is not a JSON object is a readable error, and a missing file too")
    func notJSON() {
        #expect(throws: ConnectionFileError.malformed("the top level is not an object")) { try parse("[1, 2]") }
        #expect(throws: (any Error).self) { try parse("{") }
        #expect(throws: ConnectionFileError.unreadable(path: "/nonexistent/kernel.json")) {
            try ConnectionFile.load(path: "/nonexistent/kernel.json")
        }
    }

    @Test("an empty key turns signing off")
    func emptyKey() throws {
        let file = try parse(#"{"shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":""}"#)
        #expect(!file.signer.isSigning)
    }

    @Test("IPv6 addresses are bracketed in endpoints")
    func ipv6() {
        let file = ConnectionFile(ip: "::1", shellPort: 1, controlPort: 2, stdinPort: 3, iopubPort: 4, hbPort: 5, key: "")
        #expect(file.endpoint(port: 1) == "tcp://[::1]:1")
    }
}
