import Testing
import Transform

/// `ship_to_days` text → days: the first "in N day(s)".
@Suite struct ShippingDaysTests {
    @Test(arguments: [
        ("ship to US in 7 days", 7), ("ship to DE in 12 day", 12), ("delivered within 5 days", 5),
        ("in 3 days, or in 9 days", 3), ("in  4 days", nil), ("in days", nil), ("7 days", nil), ("", nil), ("ship in 10 weeks", nil),
    ] as [(String, Int?)])
    func readsTheDays(text: String, days: Int?) {
        #expect(Normalizer.shippingDays(in: text) == days)
    }
}
