import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A read-only memory map of a whole file.
///
/// Weights are used straight from the page cache: nothing is copied into the heap, so a 6 GB model
/// costs 6 GB of (shared, evictable) page cache rather than 6 GB of private memory, and loading is
/// instant once the file is warm.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let bytes: UnsafeRawBufferPointer

    public init(path: String) throws(FormatError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FormatError(file: path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FormatError(file: path, "cannot stat") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw FormatError(file: path, "not a regular file") }
        let size = Int(st.st_size)
        if size == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw FormatError(file: path, "mmap failed: \(String(cString: strerror(errno)))")
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    public var count: Int { bytes.count }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
