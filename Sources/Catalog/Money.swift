public import Foundation

/// An ISO 4217 currency code such as `USD` or `ILS`.
public struct CurrencyCode: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public let rawValue: String

    /// Accepts three ASCII letters in any case and stores them upper-cased; anything else is `nil`.
    public init?(rawValue: String) {
        let upper = rawValue.uppercased()
        guard upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) else { return nil }
        self.rawValue = upper
    }

    /// From UTF-8 bytes, as the fast decoder reads them: three ASCII letters, upper-cased.
    public init?(ascii bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 3 else { return nil }
        var upper: (UInt8, UInt8, UInt8) = (0, 0, 0)
        for (index, byte) in bytes.enumerated() {
            let letter: UInt8
            switch byte {
            case 65...90: letter = byte
            case 97...122: letter = byte - 32
            default: return nil
            }
            switch index {
            case 0: upper.0 = letter
            case 1: upper.1 = letter
            default: upper.2 = letter
            }
        }
        rawValue = String(decoding: [upper.0, upper.1, upper.2], as: UTF8.self)
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let code = CurrencyCode(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a currency code: \(raw)"))
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let usd = CurrencyCode(rawValue: "USD")!
    public static let eur = CurrencyCode(rawValue: "EUR")!
}

/// An amount of money: a `Decimal` with its currency alongside. Never a floating-point number,
/// because feed prices and price-drop thresholds must be exact to the cent.
public struct Money: Hashable, Sendable, Codable, CustomStringConvertible {
    public var amount: Decimal
    public var currency: CurrencyCode

    public init(_ amount: Decimal, _ currency: CurrencyCode) {
        self.amount = amount
        self.currency = currency
    }

    /// Parses the gateway's price strings: `"15.68"`, and tolerates a currency suffix (`"5.00 USD"`)
    /// when it agrees with `currency` or when `currency` is not known.
    public init?(wire text: String, currency: CurrencyCode?) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = parts.first, parts.count <= 2 else { return nil }
        var code = currency
        if parts.count == 2 {
            guard let suffix = CurrencyCode(rawValue: String(parts[1])) else { return nil }
            if let given = currency, given != suffix { return nil }
            code = suffix
        }
        guard let resolved = code, let amount = DecimalText.parse(first) else { return nil }
        self.init(amount, resolved)
    }

    /// The amount with exactly `scale` fraction digits (rounded half away from zero), e.g. `15.90`.
    public func formatted(scale: Int = 2) -> String {
        DecimalText.format(amount, scale: scale)
    }

    public var description: String { "\(formatted()) \(currency)" }
}

/// Strict decimal text handling: `Decimal(string:)` alone accepts prefixes such as `"12abc"`.
public enum DecimalText {
    /// Parses `[-]digits[.digits]` and nothing else.
    public static func parse<S: StringProtocol>(_ text: S) -> Decimal? {
        if let parsed = text.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return parsed }
        return Array(text.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    /// The same, on UTF-8 bytes (the decoder parses prices without making Strings).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        guard let parts = plainParts(bytes) else { return nil }
        // Up to 18 digits: build the value from its digits (Decimal(string:) is slow on Linux).
        if parts.digits <= 18 {
            return DecimalStorage.make(mantissa: parts.mantissa, exponent: -parts.fractionDigits, negative: parts.negative)
                ?? Decimal(sign: parts.negative ? .minus : .plus, exponent: -parts.fractionDigits, significand: Decimal(parts.mantissa))
        }
        return Decimal(string: String(decoding: bytes, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// The parts of `[-]digits[.digits]`, `nil` for anything else. `mantissa` holds the digits
    /// only when there are at most 19 of them (`digits` says how many).
    public static func plainParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (mantissa: UInt64, digits: Int, fractionDigits: Int, negative: Bool)? {
        var mantissa: UInt64 = 0, digits = 0, fractionDigits = 0, negative = false, sawDot = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if sawDot { fractionDigits += 1 }
            case UInt8(ascii: "."):
                if sawDot || digits == 0 { return nil }
                sawDot = true
            case UInt8(ascii: "-") where index == 0: negative = true
            default: return nil
            }
        }
        guard digits > 0, bytes.last != UInt8(ascii: ".") else { return nil }
        return (mantissa, digits, fractionDigits, negative)
    }

    /// Rounds to `scale` places and writes the digits without grouping or exponent.
    public static func format(_ value: Decimal, scale: Int) -> String {
        fastFormat(value, scale: scale) ?? foundationFormat(value, scale: scale)
    }

    /// Foundation's rounding and digits: for values ``fastFormat(_:scale:)`` does not take, and
    /// the reference it is tested against.
    static func foundationFormat(_ value: Decimal, scale: Int) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, scale, .plain)
        var text = NSDecimalNumber(decimal: rounded).stringValue
        guard scale > 0 else { return text }
        if let dot = text.firstIndex(of: ".") {
            let have = text.distance(from: text.index(after: dot), to: text.endIndex)
            if have < scale { text += String(repeating: "0", count: scale - have) }
        } else {
            text += "." + String(repeating: "0", count: scale)
        }
        return text
    }

    /// Feeds format millions of prices, and `Decimal.description` costs about a microsecond: work
    /// on the integer significand instead (same result: half away from zero, exactly `scale`
    /// fraction digits). `nil` when the significand does not fit 64 bits.
    static func fastFormat(_ value: Decimal, scale: Int) -> String? {
        guard let digits = ScaledDigits(value, scale: scale) else { return nil }
        return String(unsafeUninitializedCapacity: digits.length) { digits.write(into: $0) }
    }

    /// ``format(_:scale:)`` appended as UTF-8 bytes (feeds write prices straight into their rows).
    public static func append(_ value: Decimal, scale: Int, to out: inout [UInt8]) {
        withBytes(value, scale: scale) { out.append(contentsOf: $0) }
    }

    /// The same, into a feed's row.
    public static func append(_ value: Decimal, scale: Int, to out: inout ByteBuffer) {
        withBytes(value, scale: scale) { out.append(contentsOf: $0) }
    }

    /// ``format(_:scale:)`` as UTF-8 bytes, on the stack.
    static func withBytes(_ value: Decimal, scale: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard let digits = ScaledDigits(value, scale: scale) else {
            var text = foundationFormat(value, scale: scale)
            text.withUTF8(body)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: digits.length) { buffer in
            body(UnsafeBufferPointer(start: buffer.baseAddress, count: digits.write(into: buffer)))
        }
    }

    /// A decimal rounded to `scale` places as an integer count of 10^-scale units, and how it is
    /// spelled: at most 20 digits, a sign and a dot.
    struct ScaledDigits {
        let scaled: UInt64
        let scale: Int
        let digitCount: Int
        let negative: Bool
        var length: Int { digitCount + (scale > 0 ? 1 : 0) + (negative ? 1 : 0) }

        init?(_ value: Decimal, scale: Int) {
            guard scale >= 0, scale <= 18 else { return nil }
            let mantissa: UInt64, exponent: Int, isNegative: Bool
            if let stored = DecimalStorage.read(value) {
                (mantissa, exponent, isNegative) = stored
            } else {
                guard !value.isNaN else { return nil }
                let significand = value.significand
                mantissa = NSDecimalNumber(decimal: significand).uint64Value
                guard Decimal(mantissa) == significand else { return nil }
                (exponent, isNegative) = (value.exponent, value.sign == .minus)
            }
            // |value| × 10^scale = mantissa × 10^shift, rounded to an integer.
            let shift = exponent + scale
            var scaled = mantissa
            if shift >= 0 {
                for _ in 0..<shift {
                    let (product, overflow) = scaled.multipliedReportingOverflow(by: 10)
                    if overflow { return nil }
                    scaled = product
                }
            } else if -shift > 19 {
                scaled = 0  // below 10^-19 of a unit at this scale: rounds to zero
            } else {
                var divisor: UInt64 = 1
                for _ in 0..<(-shift) { divisor *= 10 }
                let remainder = mantissa % divisor
                scaled = mantissa / divisor
                if remainder >= divisor - remainder { scaled += 1 }
            }
            var digitCount = 1
            var rest = scaled / 10
            while rest > 0 { digitCount += 1; rest /= 10 }
            self.scaled = scaled
            self.scale = scale
            self.digitCount = max(digitCount, scale + 1)
            negative = isNegative && scaled != 0
        }

        /// Writes the text from its end into `out` (at least `length` bytes); returns `length`.
        func write(into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
            var position = length - 1
            var remaining = scaled
            for written in 0..<digitCount {
                if scale > 0 && written == scale {
                    out[position] = UInt8(ascii: ".")
                    position -= 1
                }
                out[position] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                position -= 1
            }
            if negative { out[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// A `Decimal`'s sign, exponent and integer significand read from its stored form. Reading
    /// them through its API made an `NSDecimalNumber` and compared two `Decimal`s (~120 ns), and
    /// every product has about ten prices and rates formatted across the sinks. Foundation does
    /// not publish the layout, so it is checked once against the API; when it does not match (a
    /// different Foundation), `read` answers `nil` and the callers use the API.
    enum DecimalStorage {
        /// Byte 0: exponent; byte 1: length in 16-bit words (high nibble), negative (bit 3);
        /// bytes 4–19: the significand's words, least significant first.
        static let layoutMatches: Bool = {
            guard MemoryLayout<Decimal>.size == 20 else { return false }
            // Normalized or not (70000e-2 may be stored as 7e2), the parts must be the API's.
            let samples = [
                Decimal(sign: .minus, exponent: -3, significand: Decimal(12_345 as UInt64)),
                Decimal(sign: .plus, exponent: 7, significand: Decimal(0x1234_5678_9ABC_DEF0 as UInt64)),
                Decimal(sign: .plus, exponent: -2, significand: Decimal(70_000 as UInt64)),
                Decimal(sign: .minus, exponent: -1, significand: Decimal(65_537 as UInt64)),
            ]
            let read = samples.allSatisfy { sample in
                guard let read = readUnchecked(sample) else { return false }
                return read.mantissa == NSDecimalNumber(decimal: sample.significand).uint64Value
                    && read.exponent == sample.exponent && read.negative == (sample.sign == .minus)
            }
            // Made from parts, byte for byte what the API makes (trailing zeros dropped, zero
            // and minus zero all zeros).
            let made: [(UInt64, Int, Bool)] = [(12_345, -3, true), (350, -2, false), (70_000, -2, false), (0, -2, false), (0, -2, true),
                                               (0x1234_5678_9ABC_DEF0, -18, false), (65_536, -1, true), (999_999_999_999_999_999, -2, false)]
            return read && made.allSatisfy { mantissa, exponent, negative in
                let api = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
                return withUnsafeBytes(of: makeUnchecked(mantissa: mantissa, exponent: exponent, negative: negative)) { Array($0) }
                    == withUnsafeBytes(of: api) { Array($0) }
            }
        }()

        /// `mantissa × 10^exponent`, negative or not, written in the stored form: through the API
        /// (`Decimal(sign:exponent:significand:)`) each price the decoder read multiplied a
        /// `Decimal` by a power of ten (~1 % of a run's CPU). `nil` when the layout is not the
        /// one checked, or the exponent is out of its range.
        static func make(mantissa: UInt64, exponent: Int, negative: Bool) -> Decimal? {
            guard layoutMatches, exponent >= -100, exponent <= 100 else { return nil }
            return makeUnchecked(mantissa: mantissa, exponent: exponent, negative: negative)
        }

        private static func makeUnchecked(mantissa: UInt64, exponent: Int, negative: Bool) -> Decimal {
            var value = Decimal()
            guard mantissa != 0 else { return value }
            var mantissa = mantissa, exponent = exponent
            while mantissa % 10 == 0 {
                mantissa /= 10
                exponent += 1
            }
            withUnsafeMutableBytes(of: &value) { raw in
                var words = 0
                while mantissa != 0 {
                    raw[4 + 2 * words] = UInt8(truncatingIfNeeded: mantissa)
                    raw[5 + 2 * words] = UInt8(truncatingIfNeeded: mantissa >> 8)
                    mantissa >>= 16
                    words += 1
                }
                raw[0] = UInt8(bitPattern: Int8(exponent))
                raw[1] = UInt8(words << 4) | (negative ? 0x08 : 0) | 0x04  // length, sign, compact
            }
            return value
        }

        /// `nil` for NaN, for a significand wider than 64 bits, or when the layout is not the one checked.
        static func read(_ value: Decimal) -> (mantissa: UInt64, exponent: Int, negative: Bool)? {
            layoutMatches ? readUnchecked(value) : nil
        }

        private static func readUnchecked(_ value: Decimal) -> (mantissa: UInt64, exponent: Int, negative: Bool)? {
            withUnsafeBytes(of: value) { raw in
                let flags = raw[1]
                let words = Int(flags >> 4), negative = flags & 0x08 != 0
                guard words <= 4, !(words == 0 && negative) else { return nil }
                var mantissa: UInt64 = 0
                for word in stride(from: words - 1, through: 0, by: -1) {
                    mantissa = mantissa << 16 | UInt64(raw[4 + 2 * word]) | UInt64(raw[5 + 2 * word]) << 8
                }
                return (mantissa, Int(Int8(bitPattern: raw[0])), negative)
            }
        }
    }

    /// `a > b`, on the stored parts for non-negative values whose significands fit 64 bits once
    /// brought to one exponent (prices): `Decimal`'s comparison normalizes both first (feeds ask
    /// it for every product, whether its original price is above the sale price).
    public static func isGreater(_ a: Decimal, than b: Decimal) -> Bool {
        if let x = DecimalStorage.read(a), let y = DecimalStorage.read(b), !x.negative, !y.negative,
           let (left, right) = sameExponent(x, y) {
            return left > right
        }
        return a > b
    }

    private static func sameExponent(
        _ x: (mantissa: UInt64, exponent: Int, negative: Bool), _ y: (mantissa: UInt64, exponent: Int, negative: Bool)
    ) -> (UInt64, UInt64)? {
        var (left, right) = (x.mantissa, y.mantissa)
        let shift = x.exponent - y.exponent
        guard abs(shift) <= 19 else { return nil }
        for _ in 0..<abs(shift) {
            if shift > 0 {
                let (product, overflow) = left.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                left = product
            } else {
                let (product, overflow) = right.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                right = product
            }
        }
        return (left, right)
    }

    /// Rounds half away from zero to `scale` places.
    public static func round(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, scale, .plain)
        return rounded
    }
}

/// A percentage as the gateway writes it (`"7.0%"`), kept as a `Decimal` number of percent (7.0).
public struct Percentage: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Percent points: 12.5 means 12.5 %.
    public var points: Decimal

    public init(points: Decimal) { self.points = points }

    /// The usual spelling, `12.5%`, from UTF-8 bytes; `nil` for any other (``init(wire:)`` takes those).
    public init?(percentBytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.last == UInt8(ascii: "%"), let points = DecimalText.parse(bytes: UnsafeBufferPointer(rebasing: bytes.dropLast()))
        else { return nil }
        self.points = points
    }

    /// Parses `"12.5%"`, and tolerates a missing `%` (`"12.5"`).
    public init?(wire text: String) {
        // The usual spelling: parsed from the bytes without trimming.
        if let usual = text.utf8.withContiguousStorageIfAvailable(Percentage.init(percentBytes:)), let usual {
            self = usual
            return
        }
        var trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        if trimmed.hasSuffix("%") { trimmed = trimmed.dropLast() }
        guard let points = DecimalText.parse(trimmed.trimmingCharacters(in: .whitespaces)) else { return nil }
        self.points = points
    }

    /// The fraction, 0.125 for 12.5 %.
    public var fraction: Decimal { points / 100 }
    public var description: String { "\(NSDecimalNumber(decimal: points).stringValue)%" }
    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.points < rhs.points }
}
