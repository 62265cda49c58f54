/// Integers written as UTF-8 bytes straight into a buffer: feeds and item URLs are built as
/// bytes, and Strings made only to be copied out again were a large share of their cost.
public enum ByteText {
    /// `prefix` and the decimal digits of `value` (`ae-1005001`).
    @inlinable public static func appendInteger(_ value: Int64, to out: inout ByteBuffer, prefix: StaticString = "") {
        out.append(prefix)
        withDigits(of: value) { out.append(contentsOf: $0) }
    }

    /// The decimal digits of `value` (with its sign), written from the end of a stack buffer.
    @inlinable public static func withDigits<R>(of value: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var magnitude = value.magnitude
        // At most 20 digits and a sign.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var position = 21
            repeat {
                position -= 1
                digits[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                digits[position] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: digits[position...]))
        }
    }
}
