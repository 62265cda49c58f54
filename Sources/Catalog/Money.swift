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
        var sawDigit = false
        var sawDot = false
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "."):
                if sawDot || !sawDigit { return nil }
                sawDot = true
            case UInt8(ascii: "-") where index == 0: continue
            default: return nil
            }
        }
        guard sawDigit, text.last != "." else { return nil }
        // Up to 18 digits: build the value from its digits (Decimal(string:) is slow on Linux).
        var mantissa: UInt64 = 0, digits = 0, fractionDigits = 0, negative = false, inFraction = false
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): inFraction = true
            default:
                mantissa = mantissa &* 10 &+ UInt64(byte - UInt8(ascii: "0"))
                digits += 1
                if inFraction { fractionDigits += 1 }
            }
        }
        if digits <= 18 {
            return Decimal(sign: negative ? .minus : .plus, exponent: -fractionDigits, significand: Decimal(mantissa))
        }
        return Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX"))
    }

    /// Rounds to `scale` places and writes the digits without grouping or exponent.
    public static func format(_ value: Decimal, scale: Int) -> String {
        if let fast = fastFormat(value, scale: scale) { return fast }
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

    /// Feeds format millions of prices: work on the digits of the plain description instead of
    /// NSDecimalNumber (same result: half away from zero, exactly `scale` fraction digits).
    static func fastFormat(_ value: Decimal, scale: Int) -> String? {
        let text = value.description
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 45 }) else { return nil }
        let negative = bytes.first == 45
        if negative { bytes.removeFirst() }
        let dot = bytes.firstIndex(of: 46)
        var integer = Array(bytes[..<(dot ?? bytes.count)])
        var fraction = dot.map { Array(bytes[($0 + 1)...]) } ?? []
        if fraction.count > scale {
            let roundUp = fraction[scale] >= 53  // the first dropped digit is 5 or more
            fraction = Array(fraction.prefix(scale))
            if roundUp {
                // Carry through the kept digits, fraction first, then the integer part.
                var carry = true
                for i in stride(from: fraction.count - 1, through: 0, by: -1) where carry {
                    if fraction[i] == 57 { fraction[i] = 48 } else { fraction[i] += 1; carry = false }
                }
                for i in stride(from: integer.count - 1, through: 0, by: -1) where carry {
                    if integer[i] == 57 { integer[i] = 48 } else { integer[i] += 1; carry = false }
                }
                if carry { integer.insert(49, at: 0) }
            }
        } else if fraction.count < scale {
            fraction += Array(repeating: 48, count: scale - fraction.count)
        }
        if integer.isEmpty { integer = [48] }
        var out = integer
        if scale > 0 { out += [46] + fraction }
        let isZero = !out.contains { $0 > 48 && $0 <= 57 }
        return (negative && !isZero ? "-" : "") + String(decoding: out, as: UTF8.self)
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

    /// Parses `"12.5%"`, and tolerates a missing `%` (`"12.5"`).
    public init?(wire text: String) {
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
