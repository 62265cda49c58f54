public import Foundation

/// A file written beside its target and renamed into place only on ``commit()``, so a reader sees
/// the old file or the new one, never half of either, and a failed run leaves the old one.
public final class AtomicFile {
    public let target: URL
    public let temporary: URL
    private var handle: FileHandle?
    private var buffer: [UInt8] = []
    private let bufferLimit = 1 << 20
    public private(set) var bytesWritten = 0
    /// Bytes handed to the file so far: where the next flush starts.
    private var flushed = 0

    public init(target: URL) throws {
        self.target = target
        let directory = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        temporary = directory.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw LoadError.cannotWrite(path: target.path, reason: "cannot create a temporary file in \(directory.path)")
        }
        handle = try FileHandle(forWritingTo: temporary)
    }

    deinit {
        if handle != nil { discard() }
    }

    public func write(_ text: String) throws { try append(text.utf8) }

    public func write(_ data: Data) throws { try append(data) }

    /// Feed rows are built as bytes, not Strings: one copy into the buffer.
    public func write(bytes: [UInt8]) throws { try append(bytes) }

    private func append(_ bytes: some Collection<UInt8>) throws {
        let before = buffer.count
        buffer.append(contentsOf: bytes)
        bytesWritten += buffer.count - before
        if buffer.count >= bufferLimit { try flush() }
    }

    private func flush() throws {
        guard let handle, !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try handle.write(contentsOf: $0) }
        // Starts the kernel writing this range out now, while the run still works, so the sync in
        // `finish()` has little left to wait for: it took 0.1 s of every 100k-product run, after
        // the load, before anything could be published. (Linux begins asynchronous writeback of
        // dirty pages for DONTNEED; the advice is only advice: the sync still makes it durable.)
        #if os(Linux)
        _ = posix_fadvise(handle.fileDescriptor, off_t(flushed), off_t(buffer.count), POSIX_FADV_DONTNEED)
        #endif
        flushed += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes out, syncs to disk and closes the temporary file; ``commit()`` then publishes it.
    public func finish() throws {
        try flush()
        try handle?.synchronize()
        try handle?.close()
        handle = nil
    }

    /// Renames the finished temporary file over the target.
    public func commit() throws {
        if handle != nil { try finish() }
        if rename(temporary.path, target.path) != 0 {
            throw LoadError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Deletes the temporary file; the target is untouched.
    public func discard() {
        try? handle?.close()
        handle = nil
        try? FileManager.default.removeItem(at: temporary)
    }
}

public enum LoadError: Error, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)
    case database(path: String, reason: String)
    case newerSchema(path: String, found: Int, supported: Int)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .database(let path, let reason): "catalog database \(path): \(reason)"
        case .newerSchema(let path, let found, let supported):
            "catalog database \(path) has schema version \(found), newer than this alifeed supports (\(supported)); upgrade alifeed or use another file"
        }
    }
}
