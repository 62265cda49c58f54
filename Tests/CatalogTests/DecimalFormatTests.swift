import Foundation
import Testing
@testable import Catalog

/// The fast formatting path agrees with Foundation's rounding on many values.
@Suite struct DecimalFormatTests {
    @Test func agreesWithFoundationRounding() {
        var state: UInt64 = 7
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 20
        }
        for _ in 0..<5000 {
            let digits = String(next() % 100_000_000)
            let places = Int(next() % 6)
            let text = places == 0 ? digits : String(digits.dropLast(min(places, digits.count - 1))) + "." + String(digits.suffix(min(places, digits.count - 1)))
            let value = Decimal(string: (next() % 5 == 0 ? "-" : "") + text)!
            for scale in [0, 1, 2, 3] {
                let reference = DecimalText.foundationFormat(value, scale: scale)
                #expect(DecimalText.fastFormat(value, scale: scale) == reference, "\(text) at \(scale)")
                var bytes: [UInt8] = [0x3D]
                DecimalText.append(value, scale: scale, to: &bytes)
                #expect(String(decoding: bytes, as: UTF8.self) == "=" + reference, "\(text) at \(scale), as bytes")
                var buffer = ByteBuffer()
                buffer.append(0x3D)
                DecimalText.append(value, scale: scale, to: &buffer)
                #expect(buffer.string() == "=" + reference, "\(text) at \(scale), into a buffer")
            }
        }
    }

    @Test(arguments: [
        ("123456789012345678901234567.891", 2, "123456789012345678901234567.89"), ("1E3", 2, "1000.00"),
        ("18446744073709551615", 0, "18446744073709551615"), ("0.000000000000000000000001", 2, "0.00"), ("-12.345", 2, "-12.35"),
    ])
    func largeSmallAndExponentForms(value: String, scale: Int, expected: String) {
        #expect(DecimalText.format(Decimal(string: value)!, scale: scale) == expected)
        var bytes: [UInt8] = []
        DecimalText.append(Decimal(string: value)!, scale: scale, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        var buffer = ByteBuffer()
        DecimalText.append(Decimal(string: value)!, scale: scale, to: &buffer)
        #expect(buffer.string() == expected)
    }

    @Test(arguments: [("9.995", 2, "10.00"), ("-0.004", 2, "0.00"), ("0.5", 0, "1"), ("99.95", 1, "100.0"), ("0", 2, "0.00")])
    func carriesAndSigns(value: String, scale: Int, expected: String) {
        #expect(DecimalText.format(Decimal(string: value)!, scale: scale) == expected)
    }

    /// The stored form is read on this platform (or the fast path would silently be the slow
    /// one), and what it reads is what the API says, for values of every width and sign.
    @Test func storedFormReadsLikeTheAPI() throws {
        #expect(DecimalText.DecimalStorage.layoutMatches)
        var state: UInt64 = 11
        for round in 0..<3000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let significand = state >> (state % 60)
            let exponent = Int(state % 41) - 20
            let value = Decimal(sign: round % 3 == 0 ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
            let read = try #require(DecimalText.DecimalStorage.read(value), "\(value)")
            #expect(Decimal(sign: read.negative ? .minus : .plus, exponent: read.exponent, significand: Decimal(read.mantissa)) == value, "\(value)")
        }
        #expect(DecimalText.DecimalStorage.read(Decimal.nan) == nil)
        #expect(DecimalText.DecimalStorage.read(Decimal(string: "123456789012345678901234")!) == nil)
        #expect(DecimalText.DecimalStorage.read(Decimal(0))?.mantissa == 0)
    }

    /// The comparison on stored parts answers as `Decimal`'s own, for prices of different scales,
    /// equal values written differently, negatives, zero and values too wide for it.
    @Test func comparesLikeDecimal() {
        var state: UInt64 = 3
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        var values = ["0", "0.00", "12.5", "12.50", "12.49", "-3", "1E20", "18446744073709551615", "123456789012345678901234"]
            .map { Decimal(string: $0)! }
        for _ in 0..<300 {
            values.append(Decimal(sign: next() % 7 == 0 ? .minus : .plus, exponent: -Int(next() % 4), significand: Decimal(next() % 5000)))
        }
        for a in values {
            for b in values.prefix(60) {
                #expect(DecimalText.isGreater(a, than: b) == (a > b), "\(a) > \(b)")
                #expect(DecimalText.isGreater(b, than: a) == (b > a), "\(b) > \(a)")
            }
        }
    }
}
