public import Catalog
public import Foundation

/// One markup step: `retail = cost × multiplier + add`, for costs below `maxCost` (or any cost).
public struct PriceTier: Sendable, Hashable {
    /// Applies to costs strictly below this; `nil` for the catch-all last tier.
    public var maxCost: Decimal?
    public var multiplier: Decimal
    public var add: Decimal

    public init(maxCost: Decimal? = nil, multiplier: Decimal = 1, add: Decimal = 0) {
        self.maxCost = maxCost
        self.multiplier = multiplier
        self.add = add
    }
}

/// How prices end ("assign cents"), applied after markup.
public enum PriceRounding: Sendable, Hashable {
    /// Two decimals, half away from zero.
    case cents
    /// Up to the next whole unit.
    case whole
    /// Up to the next price ending in these cents, e.g. 0.99 or 0.95 (12.34 → 12.99; 13.00 → 13.99).
    case ending(Decimal)
}

/// The pipeline's pricing rules for dropshippers, all in `Decimal`: cost is the product's sale
/// price (already in the target currency, converted by the gateway); tiers pick the markup by
/// cost; rounding sets the ending; an optional minimum margin raises prices that earn too little;
/// compare-at comes from the original price when that ends up higher.
public struct PriceRule: Sendable, Hashable {
    /// Tried in order; the first whose `maxCost` is above the cost wins, else the last.
    public var tiers: [PriceTier]
    public var rounding: PriceRounding
    /// Minimum (price − cost) / price, as a fraction (0.3 = 30 %).
    public var minimumMargin: Decimal?
    /// Derive compare-at from the original price with the same markup.
    public var compareAtFromOriginal: Bool

    public init(tiers: [PriceTier], rounding: PriceRounding = .cents, minimumMargin: Decimal? = nil, compareAtFromOriginal: Bool = true) {
        self.tiers = tiers.isEmpty ? [PriceTier()] : tiers
        self.rounding = rounding
        self.minimumMargin = minimumMargin
        self.compareAtFromOriginal = compareAtFromOriginal
    }

    public func tier(for cost: Decimal) -> PriceTier {
        tiers.first { tier in tier.maxCost.map { cost < $0 } ?? true } ?? tiers[tiers.count - 1]
    }

    /// The price for a product costing `cost`, its original price being `original`.
    public func price(cost: Money, original: Money? = nil) -> Pricing {
        let tier = tier(for: cost.amount)
        var retail = round(cost.amount * tier.multiplier + tier.add)
        if let minimumMargin, minimumMargin < 1, retail > 0, (retail - cost.amount) / retail < minimumMargin {
            // The lowest price with the margin, then the ending (which only rounds up).
            retail = round(cost.amount / (1 - minimumMargin))
            if (retail - cost.amount) / retail < minimumMargin { retail = round(retail + Decimal(string: "0.01")!) }
        }
        var compareAt: Money?
        if compareAtFromOriginal, let original, original.currency == cost.currency, original.amount > cost.amount {
            let marked = round(original.amount * tier.multiplier + tier.add)
            if marked > retail { compareAt = Money(marked, cost.currency) }
        }
        return Pricing(cost: cost, price: Money(retail, cost.currency), compareAt: compareAt)
    }

    /// Applies the rounding policy (never below the input for `whole` and `ending`).
    public func round(_ value: Decimal) -> Decimal {
        let cents = DecimalText.round(value, scale: 2)
        switch rounding {
        case .cents: return cents
        case .whole:
            let whole = Self.floor(cents)
            return whole == cents ? cents : whole + 1
        case .ending(let ending):
            let whole = Self.floor(cents)
            let candidate = whole + ending
            return candidate >= cents ? candidate : candidate + 1
        }
    }

    static func floor(_ value: Decimal) -> Decimal {
        var input = value
        var result = Decimal()
        NSDecimalRound(&result, &input, 0, .down)
        return result
    }
}
