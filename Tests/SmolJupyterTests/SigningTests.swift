import SmolHub
import Testing
@testable import SmolJupyter

/// Message signing is HMAC-SHA256 as RFC 4231 specifies it, applied the way the Jupyter messaging
/// spec says: keyed by the connection key, over header, parent header, metadata and content.
@Suite("Signing")
struct SigningTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    @Test("HMAC-SHA256 matches the RFC 4231 test vectors", arguments: [
        (key: [UInt8](repeating: 0x0b, count: 20), data: bytes("Hi There"),
         mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (key: bytes("Jefe"), data: bytes("what do ya want for nothing?"),
         mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (key: [UInt8](repeating: 0xaa, count: 20), data: [UInt8](repeating: 0xdd, count: 50),
         mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (key: Array(1...25), data: [UInt8](repeating: 0xcd, count: 50),
         mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (key: [UInt8](repeating: 0x0c, count: 20), data: bytes("Test With Truncation"),
         mac: "a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5"),
        (key: [UInt8](repeating: 0xaa, count: 131), data: bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
         mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (key: [UInt8](repeating: 0xaa, count: 131),
         data: bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
         mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
    ])
    func rfc4231(key: [UInt8], data: [UInt8], mac: String) {
        #expect(HMACSHA256.mac(key: key, message: data).hex == mac)
    }

    /// The digest Python's `hmac.HMAC(key, digestmod=hashlib.sha256)` gives after `update`-ing the
    /// four frames in order, as in the messaging spec's signing example.
    static let exampleKey = bytes("d0d4a5b8-5cf5-4d1a-8b6a-3c1f7c1b2b7e")
    static let exampleFrames = [
        bytes(#"{"date":"2024-01-01T00:00:00.000000Z","msg_id":"a1","msg_type":"kernel_info_request","session":"s1","username":"user","version":"5.3"}"#),
        bytes("{}"), bytes("{}"), bytes("{}"),
    ]

    @Test("the signature covers the four JSON frames concatenated, as Jupyter's Python reference computes it")
    func jupyterExample() {
        let signer = Signer(key: Self.exampleKey)
        #expect(signer.signature(Self.exampleFrames) == "e846602830023dd8de5e55166238872a102358796262cb6cf082916533700175")
    }

    @Test("signing frames equals HMAC-SHA256 of their concatenation, for any split and key length")
    func streamingMatchesConcatenation() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for key in [Self.bytes("k"), [UInt8](repeating: 7, count: 64), [UInt8](repeating: 9, count: 200)] {
            let frames = [Array(message[..<1]), [], Array(message[1..<333]), Array(message[333...])]
            #expect(Signer(key: key).signature(frames) == HMACSHA256.mac(key: key, message: message).hex)
        }
    }

    @Test("verification accepts the right signature and rejects any other")
    func verification() {
        let signer = Signer(key: Self.exampleKey)
        let good = Array(signer.signature(Self.exampleFrames).utf8)
        #expect(signer.verify(good, frames: Self.exampleFrames))

        var flipped = good
        flipped[10] = flipped[10] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        #expect(!signer.verify(flipped, frames: Self.exampleFrames))
        #expect(!signer.verify([], frames: Self.exampleFrames))
        #expect(!signer.verify(Array(good.dropLast()), frames: Self.exampleFrames))
        #expect(!Signer(key: Self.bytes("another key")).verify(good, frames: Self.exampleFrames))
    }

    @Test("an empty key means unsigned messages: the signature is empty and not checked")
    func emptyKey() {
        let signer = Signer(key: [])
        #expect(signer.signature(Self.exampleFrames) == "")
        #expect(signer.verify([], frames: Self.exampleFrames))
    }
}
