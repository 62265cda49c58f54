/// A growable run of bytes that feeds build their rows in, written through a pointer.
///
/// An `[UInt8]` checks that its storage is not shared and has room on every append, through a
/// call into the runtime: a feed's row is hundreds of small appends (a comma, a tag, a price),
/// and those checks and the generic append were about a sixth of each feed writer's time in a
/// profile. This buffer is never shared (it cannot be copied), so an append is a bounds test and
/// a copy, inlined where it is made.
public struct ByteBuffer: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var length = 0

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// How many bytes it holds.
    @inlinable public var count: Int { length }

    @inlinable public var isEmpty: Bool { length == 0 }

    /// Makes room for `extra` more bytes.
    @inlinable public mutating func reserve(_ extra: Int) {
        if length + extra > capacity { grow(toHold: length + extra) }
    }

    @usableFromInline mutating func grow(toHold needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: length)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable public mutating func append(_ byte: UInt8) {
        if length == capacity { grow(toHold: length + 1) }
        base[length] = byte
        length += 1
    }

    /// `count` copies of `byte`.
    @inlinable public mutating func append(repeating byte: UInt8, count: Int) {
        guard count > 0 else { return }
        reserve(count)
        (base + length).initialize(repeating: byte, count: count)
        length += count
    }

    @inlinable public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base + length).update(from: source, count: bytes.count)
        length += bytes.count
    }

    @inlinable public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    @inlinable public mutating func append(_ text: StaticString) {
        append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// The text's UTF-8 bytes (native Strings are copied in one go).
    @inlinable public mutating func append(contentsOf text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) != nil { return }
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    @inlinable public subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < length, "index out of range")
        return base[index]
    }

    /// Keeps the storage for the next row.
    @inlinable public mutating func removeAll() { length = 0 }

    /// Drops everything from `start` on.
    @inlinable public mutating func removeSuffix(from start: Int) {
        precondition(start >= 0 && start <= length, "index out of range")
        length = start
    }

    /// Replaces everything from `start` on with `bytes`.
    public mutating func replaceSuffix(from start: Int, with bytes: some Collection<UInt8>) {
        removeSuffix(from: start)
        if bytes.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            for byte in bytes { append(byte) }
        }
    }

    @inlinable public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: length))
    }

    /// The bytes from `start` on.
    @inlinable public func withUnsafeBufferPointer<R>(from start: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(start >= 0 && start <= length, "index out of range")
        return try body(UnsafeBufferPointer(start: base + start, count: length - start))
    }

    /// The bytes from `start` on, decoded as UTF-8.
    public func string(from start: Int = 0) -> String {
        withUnsafeBufferPointer(from: start) { String(decoding: $0, as: UTF8.self) }
    }

    /// A copy of the bytes.
    public var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }
}
