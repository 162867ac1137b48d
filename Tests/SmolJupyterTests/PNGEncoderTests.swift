import CZlib
import Testing
@testable import SmolJupyter

/// PNG output is checked against the PNG specification's structure and against zlib itself
/// (an independent CRC-32 and inflater), not against our own encoder's assumptions.
@Suite("PNG encoder")
struct PNGEncoderTests {
    /// A 5×3 image with a distinct colour in every pixel.
    static let image: RGBImage = {
        var image = RGBImage(width: 5, height: 3)
        for y in 0..<3 {
            for x in 0..<5 { image[x, y] = RGB(UInt8(x * 50), UInt8(y * 100), UInt8(x * 10 + y)) }
        }
        return image
    }()

    struct Chunk {
        var type: String
        var data: [UInt8]
        var crc: UInt32
    }

    /// Splits a PNG into its chunks.
    static func chunks(_ png: [UInt8]) -> [Chunk] {
        func u32(_ i: Int) -> UInt32 { png[i..<i + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        var chunks: [Chunk] = []
        var i = 8
        while i + 12 <= png.count {
            let length = Int(u32(i))
            let type = String(decoding: png[i + 4..<i + 8], as: UTF8.self)
            chunks.append(Chunk(type: type, data: Array(png[i + 8..<i + 8 + length]), crc: u32(i + 8 + length)))
            i += 12 + length
        }
        return chunks
    }

    /// zlib's own CRC-32, as an independent oracle.
    static func zlibCRC(_ bytes: [UInt8]) -> UInt32 {
        UInt32(bytes.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) })
    }

    @Test("CRC-32 gives the standard check value for \"123456789\"")
    func crcCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
    }

    @Test("the file starts with the PNG signature and holds IHDR, IDAT, IEND in that order")
    func structure() throws {
        let png = try PNGEncoder.encode(Self.image)
        #expect(Array(png.bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(Self.chunks(png.bytes).map(\.type) == ["IHDR", "IDAT", "IEND"])
        #expect(png.width == 5 && png.height == 3)
    }

    @Test("IHDR says width, height, 8-bit truecolour, deflate, no interlace")
    func header() throws {
        let ihdr = try #require(Self.chunks(try PNGEncoder.encode(Self.image).bytes).first)
        #expect(ihdr.data == [0, 0, 0, 5, 0, 0, 0, 3, 8, 2, 0, 0, 0])
    }

    @Test("every chunk's CRC is zlib's CRC-32 of its type and data")
    func chunkCRCs() throws {
        for chunk in Self.chunks(try PNGEncoder.encode(Self.image).bytes) {
            #expect(chunk.crc == Self.zlibCRC(Array(chunk.type.utf8) + chunk.data), "chunk \(chunk.type)")
        }
    }

    @Test("IDAT inflates with zlib back to filter-0 scanlines of the original pixels")
    func inflatesToPixels() throws {
        let idat = try #require(Self.chunks(try PNGEncoder.encode(Self.image).bytes).first { $0.type == "IDAT" })
        let expectedSize = 3 * (1 + 5 * 3)
        var size = uLongf(expectedSize + 16)
        var raw = [UInt8](repeating: 0, count: Int(size))
        let status = raw.withUnsafeMutableBufferPointer { dst in
            idat.data.withUnsafeBufferPointer { uncompress(dst.baseAddress, &size, $0.baseAddress, uLong($0.count)) }
        }
        #expect(status == Z_OK)
        #expect(Int(size) == expectedSize)
        for y in 0..<3 {
            let row = Array(raw[y * 16..<(y + 1) * 16])
            #expect(row[0] == 0, "filter type of row \(y)")
            #expect(Array(row.dropFirst()) == Array(Self.image.pixels[y * 15..<(y + 1) * 15]))
        }
    }

    @Test("images with no pixels or absurd sizes are errors, not crashes")
    func invalidSizes() {
        #expect(throws: PNGError.empty) { try PNGEncoder.encode(RGBImage(width: 0, height: 10)) }
        #expect(throws: PNGError.empty) { try PNGEncoder.encode(RGBImage(width: -3, height: 10)) }
        #expect(throws: PNGError.tooLarge(width: 9000, height: 1)) { try PNGEncoder.encode(RGBImage(width: 9000, height: 1)) }
    }

    @Test("the bundle for display carries base64 PNG and its pixel size")
    func displayBundle() throws {
        let png = try PNGEncoder.encode(Self.image)
        let bundle = DisplayBundle(plain: "a picture", png: png)
        #expect(bundle.data["text/plain"] == "a picture")
        #expect(bundle.data["image/png"]?.stringValue?.hasPrefix("iVBORw0KGgo") == true)
        #expect(bundle.metadata["image/png"] == ["width": 5, "height": 3])
    }
}
