import Catalog
import Foundation
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("15.68", "ILS", "15.68"), ("0.5", "USD", "0.50"), ("5.00 USD", "USD", "5.00"), ("1234567.891", "JPY", "1234567.89"),
    ])
    func parsesWirePrices(text: String, currency: String, formatted: String) throws {
        let money = try #require(Money(wire: text, currency: CurrencyCode(rawValue: currency)))
        #expect(money.formatted() == formatted)
        #expect(money.currency.rawValue == currency)
    }

    @Test(arguments: ["", "abc", "12abc", "1.2.3", ".5", "5.", "5.00 EUR", "1e5", "NaN"])
    func rejectsWhatIsNotAPrice(text: String) {
        #expect(Money(wire: text, currency: .usd) == nil)
    }

    @Test func arithmeticIsExact() {
        let a = Money(Decimal(string: "0.1")!, .usd), b = Money(Decimal(string: "0.2")!, .usd)
        #expect(a.amount + b.amount == Decimal(string: "0.3")!)
    }

    @Test(arguments: [("7.0%", "7"), ("12.5%", "12.5"), ("0.0%", "0"), ("93.9", "93.9")])
    func parsesPercentages(text: String, points: String) throws {
        let value = try #require(Percentage(wire: text))
        #expect(value.points == Decimal(string: points)!)
    }

    @Test func currencyCodesAreThreeLetters() {
        #expect(CurrencyCode(rawValue: "usd")?.rawValue == "USD")
        #expect(CurrencyCode(rawValue: "US") == nil)
        #expect(CurrencyCode(rawValue: "U$D") == nil)
    }

    @Test(arguments: [("2.345", 2, "2.35"), ("2.344", 2, "2.34"), ("10", 2, "10.00"), ("-1.005", 2, "-1.01"), ("3.14159", 0, "3")])
    func roundsHalfAwayFromZero(value: String, scale: Int, expected: String) {
        #expect(DecimalText.format(Decimal(string: value)!, scale: scale) == expected)
    }
}
