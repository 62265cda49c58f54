public import Foundation
public import Catalog

/// A file written beside its target and renamed into place only on ``commit()``, so a reader sees
/// the old file or the new one, never half of either, and a failed run leaves the old one.
public final class AtomicFile {
    public let target: URL
    public let temporary: URL
    private var handle: FileHandle?
    /// Where the bytes wait for the file: a full chunk goes out in one write. Aligned to 4 KB, and
    /// a chunk is a whole number of 4 KB blocks, so the chunks can bypass the page cache (below).
    private let buffer: UnsafeMutableRawBufferPointer
    private var buffered = 0
    private static let chunk = 1 << 20
    public private(set) var bytesWritten = 0
    /// Bytes handed to the file so far: where the next flush starts.
    private var flushed = 0
    /// Whether full chunks go to the disk directly (`O_DIRECT`), not through the page cache:
    /// nil until the first full chunk tries it.
    private var direct: Bool?
    /// Chunks that went to the disk directly (tests look).
    private(set) var directChunks = 0

    public convenience init(target: URL) throws {
        try self.init(target: target, directWrites: true)
    }

    /// `directWrites: false` keeps every chunk in the page cache, as on a file system that
    /// refuses `O_DIRECT` (tests take that path on any file system).
    init(target: URL, directWrites: Bool) throws {
        self.target = target
        direct = directWrites ? nil : false
        let directory = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        temporary = directory.appendingPathComponent(".\(target.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw LoadError.cannotWrite(path: target.path, reason: "cannot create a temporary file in \(directory.path)")
        }
        handle = try FileHandle(forWritingTo: temporary)
        buffer = .allocate(byteCount: Self.chunk, alignment: 4096)
    }

    deinit {
        if handle != nil { discard() }
        buffer.deallocate()
    }

    public func write(_ text: String) throws { try append(text.utf8) }

    public func write(_ data: Data) throws { try append(data) }

    /// Feed rows are built as bytes, not Strings: one copy into the buffer.
    public func write(bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append(raw: $0) }
    }

    /// The same for a row built in a ``ByteBuffer``.
    public func write(_ bytes: borrowing ByteBuffer) throws {
        try bytes.withUnsafeBufferPointer { try append(raw: UnsafeRawBufferPointer($0)) }
    }

    private func append(_ bytes: some Collection<UInt8>) throws {
        if let done = try bytes.withContiguousStorageIfAvailable({ try append(raw: UnsafeRawBufferPointer($0)) }) { return done }
        try Array(bytes).withUnsafeBytes { try append(raw: $0) }
    }

    private func append(raw bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = min(Self.chunk - buffered, bytes.count - offset)
            buffer.baseAddress!.advanced(by: buffered).copyMemory(from: bytes.baseAddress!.advanced(by: offset), byteCount: count)
            buffered += count
            offset += count
            if buffered == Self.chunk { try flush() }
        }
        bytesWritten += bytes.count
    }

    private func flush() throws {
        guard let handle, buffered > 0 else { return }
        let descriptor = handle.fileDescriptor
        #if os(Linux)
        // A full chunk goes straight to the disk. Through the page cache every megabyte of a
        // feed took new pages of memory, and on a virtual machine that hands freed memory back
        // to its host, each new page costs a fault in the host: in a profile, copying the feeds'
        // bytes into the page cache took 0.2 s of CPU per 100k products (0.36 s of CPU for
        // 300 MB with `dd`, 0.02 s with `O_DIRECT`). A file system may refuse `O_DIRECT`: then
        // the page cache it is.
        if buffered == Self.chunk && direct != false {
            if direct == nil { direct = Self.setDirect(descriptor, true) }
            if direct == true {
                if try writeAll(descriptor, UnsafeRawBufferPointer(buffer), refusedByDirect: true) {
                    directChunks += 1
                    flushed += buffered
                    buffered = 0
                    return
                }
                direct = false
                _ = Self.setDirect(descriptor, false)
            }
        } else if direct == true {
            // The last, partial chunk is not a whole number of blocks: it goes through the cache.
            direct = false
            _ = Self.setDirect(descriptor, false)
        }
        #endif
        _ = try writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]), refusedByDirect: false)
        #if os(Linux)
        // Starts the kernel writing this range out now, while the run still works, so the sync in
        // `finish()` has little left to wait for. (Linux begins asynchronous writeback of dirty
        // pages for DONTNEED; the advice is only advice: the sync still makes it durable.)
        _ = posix_fadvise(descriptor, off_t(flushed), off_t(buffered), POSIX_FADV_DONTNEED)
        #endif
        flushed += buffered
        buffered = 0
    }

    /// Writes every byte at the file's current offset. Returns false, having written nothing,
    /// when `refusedByDirect` and the kernel refuses a direct write (`EINVAL`: alignment the
    /// device does not take), so the caller can go through the page cache instead.
    private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, refusedByDirect: Bool) throws -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, bytes.baseAddress!.advanced(by: offset), bytes.count - offset)
            #else
            let written = Darwin.write(descriptor, bytes.baseAddress!.advanced(by: offset), bytes.count - offset)
            #endif
            if written < 0 {
                if errno == EINTR { continue }
                if refusedByDirect && errno == EINVAL && offset == 0 { return false }
                throw LoadError.cannotWrite(path: target.path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        return true
    }

    #if os(Linux)
    /// `O_DIRECT` from the kernel's headers, which Swift's Glibc module leaves out (it needs
    /// `_GNU_SOURCE`); its value differs between architectures.
    #if arch(x86_64) || arch(i386)
    private static let directFlag: Int32 = 0o40000
    #elseif arch(arm64) || arch(arm)
    private static let directFlag: Int32 = 0o200000
    #else
    private static let directFlag: Int32 = 0
    #endif

    private static func setDirect(_ descriptor: Int32, _ on: Bool) -> Bool {
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, directFlag != 0 else { return false }
        return fcntl(descriptor, F_SETFL, on ? flags | directFlag : flags & ~directFlag) == 0
    }
    #endif

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
