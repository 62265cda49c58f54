/// Finding the few bytes that need care (quotes, escapes, control characters) in text that is
/// mostly plain, eight bytes at a time: each product's titles, URLs and descriptions are scanned
/// several times per feed, and a test per byte was a tenth of the feed writers' time.
///
/// Each word test is exact about whether its eight bytes hold a byte of the class (the classic
/// "has zero byte" / "has byte less than n" bit tricks); which byte it is, is found byte by byte.
public enum ByteScan {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Non-zero when some byte of `word` equals `byte`.
    @inlinable @inline(__always)
    public static func has(_ word: UInt64, _ byte: UInt8) -> Bool {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs != 0
    }

    /// Whether some byte of `word` is below `bound` (at most 128).
    @inlinable @inline(__always)
    public static func hasBelow(_ word: UInt64, _ bound: UInt8) -> Bool {
        (word &- ones &* UInt64(bound)) & ~word & highs != 0
    }

    /// Whether some byte of `word` is 0x80 or above (not ASCII).
    @inlinable @inline(__always)
    public static func hasHigh(_ word: UInt64) -> Bool { word & highs != 0 }

    /// The index of the first byte for which `isSpecial` holds. `wordMayHold` must be true for
    /// every eight bytes that hold one (it may be true for others: those are checked by byte).
    @inlinable @inline(__always)
    public static func firstIndex(
        in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, wordMayHold: (UInt64) -> Bool, isSpecial: (UInt8) -> Bool
    ) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var index = start
        let count = bytes.count
        while index + 8 <= count {
            if wordMayHold(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                for position in index..<(index + 8) where isSpecial(base[position]) { return position }
            }
            index += 8
        }
        while index < count {
            if isSpecial(base[index]) { return index }
            index += 1
        }
        return nil
    }

    /// Whether every byte is printable ASCII (0x20–0x7E): then each byte is one character.
    @inlinable
    public static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstIndex(in: bytes, wordMayHold: { hasBelow($0, 0x20) || hasHigh($0) || has($0, 0x7F) }, isSpecial: { $0 < 0x20 || $0 >= 0x7F }) == nil
    }
}
