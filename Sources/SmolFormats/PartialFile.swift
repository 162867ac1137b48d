#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written as `PATH.partial` and moved to `PATH` only by `commit()`, so an export that fails
/// or is interrupted never leaves a truncated model where a loader would find it. Dropped without
/// a commit, it deletes the partial file.
final class PartialFile {
    let path: String
    private var fd: Int32
    private var temporaryPath: String { path + ".partial" }

    init(path: String) throws(FormatError) {
        self.path = path
        fd = open(path + ".partial", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw FormatError(file: path, "cannot create: \(String(cString: strerror(errno)))") }
    }

    deinit {
        if fd >= 0 {
            close(fd)
            unlink(temporaryPath)
        }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws(FormatError) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FormatError(file: path, "write failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }

    func append(_ array: [UInt8]) throws(FormatError) {
        var failure: FormatError?
        array.withUnsafeBytes { b in
            do throws(FormatError) { try append(b) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Flushes, closes and moves the file into place.
    func commit() throws(FormatError) {
        guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
            throw FormatError(file: path, "cannot flush: \(String(cString: strerror(errno)))")
        }
        fd = -1
        guard rename(temporaryPath, path) == 0 else {
            throw FormatError(file: path, "cannot rename \(temporaryPath): \(String(cString: strerror(errno)))")
        }
    }
}
