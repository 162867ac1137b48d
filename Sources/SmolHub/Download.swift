import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking HTTP download to a file, reporting progress as bytes arrive.
final class Download: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let progress: (Int64, Int64) -> Void
    private let destination: URL
    private var failure: Error?

    private init(destination: URL, progress: @escaping (Int64, Int64) -> Void) {
        self.destination = destination
        self.progress = progress
    }

    static func fetch(_ url: URL, to destination: URL, progress: @escaping (Int64, Int64) -> Void) throws {
        let d = Download(destination: destination, progress: progress)
        let session = URLSession(configuration: .default, delegate: d, delegateQueue: nil)
        session.downloadTask(with: url).resume()
        d.done.wait()
        session.finishTasksAndInvalidate()
        if let e = d.failure { throw e }
    }

    static func data(_ url: URL) throws -> Data {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        defer { try? FileManager.default.removeItem(at: tmp) }
        try fetch(url, to: tmp) { _, _ in }
        return try Data(contentsOf: tmp)
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64,
                    totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64) {
        progress(totalBytesWritten, totalBytesExpectedToWrite)
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        if let http = downloadTask.response as? HTTPURLResponse, http.statusCode != 200 {
            failure = HubError.http(url: downloadTask.originalRequest?.url?.absoluteString ?? "?", status: http.statusCode)
            return
        }
        do {
            try? FileManager.default.removeItem(at: destination)
            try FileManager.default.moveItem(at: location, to: destination)
        } catch {
            failure = error
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error, failure == nil { failure = HubError.network(String(describing: error)) }
        done.signal()
    }
}

public enum HubError: Error, CustomStringConvertible {
    case http(url: String, status: Int)
    case network(String)
    case checksum(file: String, expected: String, actual: String)
    case notFound(String)

    public var description: String {
        switch self {
        case .http(let u, let s): "download of \(u) failed with HTTP \(s)"
        case .network(let m): "download failed: \(m)"
        case .checksum(let f, let e, let a): "\(f): sha256 is \(a), expected \(e); the download is corrupt (deleted it)"
        case .notFound(let m): m
        }
    }
}
