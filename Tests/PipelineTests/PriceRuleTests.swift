import Catalog
import Foundation
import Testing
import Transform

/// Pricing rules, table-driven, all in Decimal.
@Suite struct PriceRuleTests {
    static func d(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }
    static func usd(_ text: String) -> Money { Money(d(text), .usd) }

    static let tiered = PriceRule(
        tiers: [
            PriceTier(maxCost: d("5"), multiplier: 3, add: 1),
            PriceTier(maxCost: d("20"), multiplier: d("2.2"), add: d("1.5")),
            PriceTier(multiplier: d("1.8"), add: 2),
        ],
        rounding: .ending(d("0.99")))

    @Test(arguments: [
        // cost, expected price: tier boundaries are "below", so 5.00 uses the second tier.
        ("1.00", "4.99"), ("4.99", "15.99"), ("5.00", "12.99"), ("19.99", "45.99"), ("20.00", "38.99"), ("24.13", "45.99"),
    ])
    func tiersPickTheMarkupByCost(cost: String, price: String) {
        #expect(Self.tiered.price(cost: Self.usd(cost)).price == Self.usd(price))
    }

    @Test(arguments: [
        // rounding, input, expected
        ("0.99", "12.34", "12.99"), ("0.99", "12.99", "12.99"), ("0.99", "13.00", "13.99"), ("0.99", "12.991", "12.99"),
        ("0.99", "12.995", "13.99"), ("0.95", "12.96", "13.95"), ("0.95", "0.10", "0.95"), ("0.00", "12.01", "13.00"),
        ("0.00", "12.00", "12.00"),
    ])
    func endingsRoundUpToTheNextPriceWithThatEnding(ending: String, input: String, expected: String) {
        let rule = PriceRule(tiers: [PriceTier()], rounding: .ending(Self.d(ending)))
        #expect(rule.round(Self.d(input)) == Self.d(expected))
    }

    @Test(arguments: [("12.00", "12"), ("12.001", "12"), ("12.005", "13"), ("12.01", "13")])
    func wholeRoundsUpAfterCents(input: String, expected: String) {
        let rule = PriceRule(tiers: [PriceTier()], rounding: .whole)
        #expect(rule.round(Self.d(input)) == Self.d(expected))
    }

    @Test(arguments: [("2.345", "2.35"), ("2.344", "2.34"), ("0.005", "0.01")])
    func centsRoundHalfUp(input: String, expected: String) {
        #expect(PriceRule(tiers: [PriceTier()]).round(Self.d(input)) == Self.d(expected))
    }

    @Test func multiplierAndAddAreExact() {
        let rule = PriceRule(tiers: [PriceTier(multiplier: Self.d("1.1"), add: Self.d("0.1"))])
        // 0.1 and 1.1 are not exact in binary floating point; here they are.
        #expect(rule.price(cost: Self.usd("0.20")).price == Self.usd("0.32"))
        #expect(rule.price(cost: Self.usd("3.00")).price == Self.usd("3.40"))
    }

    @Test(arguments: [
        // cost, minimum margin, expected price: 10 at ×1.2 is 12 (16.7 %), raised to 10 / 0.7 = 14.29 → 14.99.
        ("10.00", "0.30", "14.99"), ("10.00", "0.10", "12.99"), ("1.00", "0.50", "2.99"),
    ])
    func minimumMarginRaisesThePrice(cost: String, margin: String, price: String) {
        let rule = PriceRule(tiers: [PriceTier(multiplier: Self.d("1.2"))], rounding: .ending(Self.d("0.99")), minimumMargin: Self.d(margin))
        let priced = rule.price(cost: Self.usd(cost))
        #expect(priced.price == Self.usd(price))
        #expect(priced.margin >= Self.d(margin))
    }

    @Test func minimumMarginHoldsWithoutRounding() {
        let rule = PriceRule(tiers: [PriceTier(multiplier: 1)], minimumMargin: Self.d("0.333"))
        let priced = rule.price(cost: Self.usd("7.77"))
        #expect(priced.margin >= Self.d("0.333"))
        #expect(priced.price == Self.usd("11.65"))
    }

    @Test(arguments: [
        // cost, original, expected compare-at (nil when not higher than the price)
        ("10.00", "25.00", "45.99"), ("10.00", "10.00", nil), ("10.00", "10.50", nil), ("10.00", nil, nil),
    ] as [(String, String?, String?)])
    func compareAtComesFromTheOriginalPriceWhenHigher(cost: String, original: String?, compareAt: String?) {
        let rule = PriceRule(tiers: [PriceTier(multiplier: Self.d("1.8"), add: 0)], rounding: .ending(Self.d("0.99")))
        let priced = rule.price(cost: Self.usd(cost), original: original.map(Self.usd))
        #expect(priced.compareAt == compareAt.map(Self.usd))
        if let compare = priced.compareAt { #expect(compare.amount > priced.price.amount) }
    }

    @Test func compareAtCanBeTurnedOff() {
        let rule = PriceRule(tiers: [PriceTier(multiplier: 2)], compareAtFromOriginal: false)
        #expect(rule.price(cost: Self.usd("10"), original: Self.usd("50")).compareAt == nil)
    }

    @Test func currencyIsKept() {
        let ils = CurrencyCode(rawValue: "ILS")!
        let priced = Self.tiered.price(cost: Money(Self.d("15.68"), ils), original: Money(Self.d("31.36"), ils))
        #expect(priced.price.currency == ils)
        #expect(priced.compareAt?.currency == ils)
        #expect(priced.cost == Money(Self.d("15.68"), ils))
    }
}
