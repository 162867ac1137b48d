import CZlib

/// Writes an `RGBImage` as a PNG (truecolour, 8 bits per channel, no interlace): the signature,
/// an IHDR chunk, one zlib-compressed IDAT with filter type 0 on every row, and IEND. Charts are
/// flat colour blocks, which deflate shrinks well without row filters.
public enum PNGEncoder {
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// Largest side accepted; beyond it a chart is unreadable anyway and the PNG would be huge.
    public static let maxSide = 8192

    public static func encode(_ image: RGBImage) throws(PNGError) -> PNGImage {
        guard image.width > 0, image.height > 0 else { throw .empty }
        guard image.width <= maxSide, image.height <= maxSide else {
            throw .tooLarge(width: image.width, height: image.height)
        }
        var header: [UInt8] = []
        header += bigEndian(UInt32(image.width))
        header += bigEndian(UInt32(image.height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace

        let rowBytes = image.width * 3
        var scanlines = [UInt8]()
        scanlines.reserveCapacity((rowBytes + 1) * image.height)
        for y in 0..<image.height {
            scanlines.append(0)  // filter: none
            scanlines += image.pixels[(y * rowBytes)..<((y + 1) * rowBytes)]
        }

        var png = signature
        png += chunk("IHDR", header)
        png += chunk("IDAT", try deflate(scanlines))
        png += chunk("IEND", [])
        return PNGImage(bytes: png, width: image.width, height: image.height)
    }

    /// A chunk: length, type, data, and the CRC of type and data.
    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(data.count)) + typeBytes + data
            + bigEndian(CRC32.checksum(data, continuing: CRC32.checksum(typeBytes)))
    }

    /// zlib-wrapped deflate (what IDAT holds), through the system zlib.
    static func deflate(_ bytes: [UInt8]) throws(PNGError) -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &size, src.baseAddress, uLong(src.count), 6)
            }
        }
        guard status == Z_OK else { throw .compressionFailed(status: Int(status)) }
        return Array(out.prefix(Int(size)))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

public enum PNGError: Error, Equatable, CustomStringConvertible {
    case empty
    case tooLarge(width: Int, height: Int)
    case compressionFailed(status: Int)

    public var description: String {
        switch self {
        case .empty: "cannot encode an image with no pixels"
        case .tooLarge(let w, let h): "image \(w)×\(h) exceeds \(PNGEncoder.maxSide) pixels a side"
        case .compressionFailed(let status): "zlib compress2 failed with status \(status)"
        }
    }
}
