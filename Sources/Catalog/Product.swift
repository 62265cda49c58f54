public import Foundation

/// A product of the catalog, normalized from whatever the gateway sent: exact money, parsed
/// rates, its images, categories and shop, and every keyword it was found under.
public struct Product: Sendable, Hashable, Codable, Identifiable {
    public var id: Int64
    public var skuID: Int64?
    public var title: String
    /// The item page: the canonical `https://www.aliexpress.com/item/<id>.html`, made from the id
    /// when asked, or another one kept with the product (one read back from an older catalog).
    public var detailURL: String {
        get { otherDetailURL ?? Product.canonicalURL(id: id) }
        set { otherDetailURL = newValue == Product.canonicalURL(id: id) ? nil : newValue }
    }
    /// A detail URL other than the canonical one. The canonical one is not kept: every product
    /// had a String of its own for it, made by the load pass and retained by each feed's thread.
    private var otherDetailURL: String?
    public var salePrice: Money
    /// The price before discount, when the gateway gave one.
    public var originalPrice: Money?
    public var discount: Percentage?
    public var images: ImageSet
    /// Top level first.
    public var categories: [Category]
    public var shop: Shop?
    public var commission: Commission
    /// Positive feedback rate (`evaluate_rate`).
    public var rating: Percentage?
    /// Sales in the last 30 days.
    public var volume30d: Int?
    /// Where the product was found, in the order it was found (keyword order, page, rank).
    public var hits: [KeywordHit]
    /// The affiliate link generated for this run; `nil` when the platform gave none.
    public var affiliateLink: AffiliateLink?
    /// The storefront price from the pipeline's pricing rules; `nil` sells at the sale price.
    public var pricing: Pricing?
    /// Delivery days to the requested country, when the gateway said (`ship_to_days`).
    public var shippingDays: Int?
    /// Out of stock for a product the catalog knows but this run did not find (when the pipeline
    /// keeps such products in its feeds).
    public var availability: Availability = .inStock

    public init(
        id: Int64, skuID: Int64? = nil, title: String, detailURL: String? = nil, salePrice: Money, originalPrice: Money? = nil,
        discount: Percentage? = nil, images: ImageSet = ImageSet(), categories: [Category] = [], shop: Shop? = nil,
        commission: Commission = Commission(), rating: Percentage? = nil, volume30d: Int? = nil, hits: [KeywordHit] = [],
        affiliateLink: AffiliateLink? = nil
    ) {
        self.id = id
        self.skuID = skuID
        self.title = title
        self.salePrice = salePrice
        self.originalPrice = originalPrice
        self.discount = discount
        self.images = images
        self.categories = categories
        self.shop = shop
        self.commission = commission
        self.rating = rating
        self.volume30d = volume30d
        self.hits = hits
        self.affiliateLink = affiliateLink
        if let detailURL { self.detailURL = detailURL }
    }

    /// The canonical item URL for a product id: what `link.generate` is given.
    public static func canonicalURL(id: Int64) -> String {
        withCanonicalURL(id: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// The canonical item URL's UTF-8 bytes, on the stack (interpolation cost about as much as
    /// decoding the product's prices).
    static func withCanonicalURL<R>(id: Int64, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let prefix: StaticString = "https://www.aliexpress.com/item/", suffix: StaticString = ".html"
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer in
            // At most 32 + 20 + 5 bytes.
            guard let base = buffer.baseAddress else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
            var count = 0
            func add(_ bytes: UnsafeBufferPointer<UInt8>) {
                guard let source = bytes.baseAddress else { return }
                (base + count).initialize(from: source, count: bytes.count)
                count += bytes.count
            }
            add(UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
            ByteText.withDigits(of: id) { add($0) }
            add(UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount))
            return try body(UnsafeBufferPointer(start: base, count: count))
        }
    }

    /// Whether the detail URL is the canonical one (which is always a safe URL).
    public var hasCanonicalDetailURL: Bool { otherDetailURL == nil }

    /// The detail URL's UTF-8 bytes, without making a String for the canonical one.
    public func withDetailURL<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        guard var other = otherDetailURL else { return try Self.withCanonicalURL(id: id, body) }
        return try other.withUTF8(body)
    }

    /// What the storefront charges: the priced retail price, or the AliExpress sale price.
    public var storePrice: Money { pricing?.price ?? salePrice }

    /// The crossed-out price: from pricing rules, or the original price when it is higher.
    public var storeCompareAt: Money? {
        if let pricing { return pricing.compareAt }
        guard let original = originalPrice, original.currency == salePrice.currency,
              DecimalText.isGreater(original.amount, than: salePrice.amount) else { return nil }
        return original
    }

    private enum CodingKeys: String, CodingKey {
        case id, skuID, title, otherDetailURL = "detailURL", salePrice, originalPrice, discount, images, categories, shop, commission
        case rating, volume30d, hits, affiliateLink, pricing, shippingDays, availability
    }

    /// The keywords it was found under, without repeats, in first-found order.
    public var keywords: [String] {
        // Most products are found under one keyword: no set needed (feeds ask several times per product).
        if hits.count == 1 { return [hits[0].keyword] }
        var seen = Set<String>()
        return hits.map(\.keyword).filter { seen.insert($0).inserted }
    }
}

/// A category with its level (1 = top).
public struct Category: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    public var level: Int

    public init(id: Int64, name: String, level: Int) {
        self.id = id
        self.name = name
        self.level = level
    }
}

public struct Shop: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String?
    public var url: String?

    public init(id: Int64, name: String? = nil, url: String? = nil) {
        self.id = id
        self.name = name
        self.url = url
    }
}

/// Commission rates as the platform states them.
public struct Commission: Sendable, Hashable, Codable {
    public var rate: Percentage?
    public var hotRate: Percentage?

    public init(rate: Percentage? = nil, hotRate: Percentage? = nil) {
        self.rate = rate
        self.hotRate = hotRate
    }

    /// The better of the two rates.
    public var best: Percentage? {
        switch (rate, hotRate) {
        case let (a?, b?): max(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        default: nil
        }
    }
}

/// One sighting of a product in a keyword's results.
public struct KeywordHit: Sendable, Hashable, Codable {
    public var keyword: String
    public var page: Int
    /// 1-based position within the page.
    public var rank: Int

    public init(keyword: String, page: Int, rank: Int) {
        self.keyword = keyword
        self.page = page
        self.rank = rank
    }
}

/// An affiliate link made for a product in one run (links expire, so they are never reused).
public struct AffiliateLink: Sendable, Hashable, Codable {
    public var url: String
    public var trackingID: String
    public var generatedAt: Date
    /// `promotion_link_type`: 0 normal, 2 hot.
    public var linkType: Int

    public init(url: String, trackingID: String, generatedAt: Date, linkType: Int) {
        self.url = url
        self.trackingID = trackingID
        self.generatedAt = generatedAt
        self.linkType = linkType
    }
}

/// A dropshipper's price for a product: what it costs (the AliExpress sale price), what the store
/// charges, and the crossed-out compare-at price.
public struct Pricing: Sendable, Hashable, Codable {
    public var cost: Money
    public var price: Money
    public var compareAt: Money?

    public init(cost: Money, price: Money, compareAt: Money? = nil) {
        self.cost = cost
        self.price = price
        self.compareAt = compareAt
    }

    /// (price − cost) / price.
    public var margin: Decimal { price.amount > 0 ? (price.amount - cost.amount) / price.amount : 0 }
}

public enum Availability: String, Sendable, Hashable, Codable {
    case inStock = "in_stock"
    case outOfStock = "out_of_stock"
}
