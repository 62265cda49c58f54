/// Text written as UTF-8 bytes straight into a buffer: feeds and item URLs are built as bytes,
/// and Strings made only to be copied out again were a large share of their cost.
public enum ByteText {
    /// `prefix` and the decimal digits of `value` (`ae-1005001`).
    public static func appendInteger(_ value: Int64, to out: inout [UInt8], prefix: StaticString = "") {
        append(prefix, to: &out)
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // At most 20 digits, written from the end of a stack buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var position = 20
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }

    public static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
