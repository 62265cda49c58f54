import Catalog
import Foundation
@testable import Load
import Testing

/// The price-drop check adds earlier prices as integers; it must give the `Decimal` sum, and
/// the same average, for every list of prices, and fall back for prices it does not take.
@Suite struct PriceTotalTests {
    /// The sum as the check made it before: each price a `Decimal`, text that is no price 0.
    static func decimalTotal(_ text: String) -> (sum: Decimal, count: Int) {
        let prices = text.split(separator: " ").map { DecimalText.parse(String($0)) ?? 0 }
        return (prices.reduce(Decimal(0), +), prices.count)
    }

    @Test func integerTotalIsTheDecimalTotal() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var integerPath = 0
        for _ in 0..<5000 {
            let prices = (0..<(1 + next(40))).map { _ -> String in
                let whole = [String(next(10)), String(next(1000)), String(next(1_000_000)), String(repeating: "9", count: 1 + next(16))][next(4)]
                let decimals = [0, 1, 2, 2, 2, 3, 6][next(7)]
                let fraction = decimals == 0 ? "" : "." + String((0..<decimals).map { _ in Character(String(next(10))) })
                return (next(50) == 0 ? "-" : "") + whole + fraction
            }
            let text = prices.joined(separator: " ")
            if Array(text.utf8).withUnsafeBufferPointer({ PriceHistory.microUnits(in: $0) }) != nil { integerPath += 1 }
            let fast = PriceHistory.total(ofPrices: text), slow = Self.decimalTotal(text)
            #expect(fast.count == slow.count, "\(text)")
            #expect(fast.sum == slow.sum, "\(text)")
            #expect(fast.sum / Decimal(fast.count) == slow.sum / Decimal(slow.count), "\(text)")
        }
        #expect(integerPath > 1000 && integerPath < 4000, "both paths are exercised: \(integerPath) of 5000 on integers")
    }

    @Test(arguments: [
        "", "12.50", "12.50 9.99 -1.25", "0.1234567", "1. 2.00", "abc 2.00", "12345678901234567890",
        "9999999999999.999999 9999999999999.999999", "+1.00", "1.5.0", "-", "1 2 3",
    ])
    func edgeCases(text: String) {
        let fast = PriceHistory.total(ofPrices: text), slow = Self.decimalTotal(text)
        #expect(fast.count == slow.count)
        #expect(fast.sum == slow.sum)
    }
}
