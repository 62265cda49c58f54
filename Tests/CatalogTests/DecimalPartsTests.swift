import Foundation
import Testing
@testable import Catalog

/// Prices parsed by the decoder are made from their parts in `Decimal`'s stored form: byte for
/// byte what Foundation's own initializer makes, so they compare, hash and format the same.
@Suite struct DecimalPartsTests {
    private func bytes(_ value: Decimal) -> [UInt8] { withUnsafeBytes(of: value) { Array($0) } }

    @Test func madeFromPartsIsFoundationsValue() throws {
        try #require(DecimalText.DecimalStorage.layoutMatches)
        var state: UInt64 = 11
        func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        var mantissas: [UInt64] = [0, 1, 10, 100, 65_535, 65_536, 999_999_999_999_999_999, 100_000_000_000_000_000]
        for _ in 0..<3000 { mantissas.append(next() % [10, 1_000, 100_000, 1_000_000_000, 1_000_000_000_000_000_000][Int(next() % 5)]) }
        for mantissa in mantissas {
            for exponent in [-18, -6, -2, -1, 0, 3] {
                for negative in [false, true] {
                    let made = try #require(DecimalText.DecimalStorage.make(mantissa: mantissa, exponent: exponent, negative: negative))
                    let api = Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(mantissa))
                    #expect(bytes(made) == bytes(api), "\(negative ? "-" : "")\(mantissa)e\(exponent)")
                }
            }
        }
    }

    @Test(arguments: ["3.50", "0.00", "-0.5", "1000", "12.345", "999999999999999999", "0.000000000000000001", "-17.10"])
    func parsedPricesAreFoundationsValues(text: String) throws {
        let parsed = try #require(DecimalText.parse(text))
        let reference = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
        #expect(parsed == reference)
        #expect(parsed.hashValue == reference.hashValue)
    }

    @Test func anExponentOutOfRangeIsLeftToTheAPI() {
        #expect(DecimalText.DecimalStorage.make(mantissa: 5, exponent: 120, negative: false) == nil)
        #expect(DecimalText.DecimalStorage.make(mantissa: 5, exponent: -120, negative: false) == nil)
    }
}
