public import Foundation

/// A product of the catalog, normalized from whatever the gateway sent: exact money, parsed
/// rates, its images, categories and shop, and every keyword it was found under.
///
/// Its values live in one reference-counted box, copied when a shared product is changed (as an
/// array's elements are). Each feed's thread takes a copy of every product it writes: as a plain
/// struct of a dozen Strings and arrays that copy retained each of them, and dropping it released
/// each again, on objects the other threads touched too (a tenth of each feed's thread in a
/// profile). Now a copy is one retain.
public struct Product: Sendable, Hashable, Codable, Identifiable, CustomReflectable {
    private var box: Box

    public var id: Int64 {
        get { box.fields.id }
        set { unique().fields.id = newValue }
    }
    public var skuID: Int64? {
        get { box.fields.skuID }
        set { unique().fields.skuID = newValue }
    }
    public var title: String {
        get { box.fields.title }
        _modify {
            let box = unique()
            box.storefront = nil
            yield &box.fields.title
        }
    }
    /// The item page: the canonical `https://www.aliexpress.com/item/<id>.html`, made from the id
    /// when asked, or another one kept with the product (one read back from an older catalog).
    public var detailURL: String {
        get { box.fields.otherDetailURL ?? Product.canonicalURL(id: id) }
        set { unique().fields.otherDetailURL = newValue == Product.canonicalURL(id: id) ? nil : newValue }
    }
    public var salePrice: Money {
        get { box.fields.salePrice }
        _modify { yield &unique().fields.salePrice }
    }
    /// The price before discount, when the gateway gave one.
    public var originalPrice: Money? {
        get { box.fields.originalPrice }
        _modify { yield &unique().fields.originalPrice }
    }
    public var discount: Percentage? {
        get { box.fields.discount }
        _modify { yield &unique().fields.discount }
    }
    public var images: ImageSet {
        get { box.fields.images }
        _modify { yield &unique().fields.images }
    }
    /// Top level first.
    public var categories: [Category] {
        get { box.fields.categories }
        _modify {
            let box = unique()
            box.storefront = nil
            yield &box.fields.categories
        }
    }
    public var shop: Shop? {
        get { box.fields.shop }
        _modify {
            let box = unique()
            box.storefront = nil
            yield &box.fields.shop
        }
    }
    public var commission: Commission {
        get { box.fields.commission }
        _modify { yield &unique().fields.commission }
    }
    /// Positive feedback rate (`evaluate_rate`).
    public var rating: Percentage? {
        get { box.fields.rating }
        _modify { yield &unique().fields.rating }
    }
    /// Sales in the last 30 days.
    public var volume30d: Int? {
        get { box.fields.volume30d }
        set { unique().fields.volume30d = newValue }
    }
    /// Where the product was found, in the order it was found (keyword order, page, rank).
    public var hits: [KeywordHit] {
        get { box.fields.hits }
        _modify { yield &unique().fields.hits }
    }
    /// The affiliate link generated for this run; `nil` when the platform gave none.
    public var affiliateLink: AffiliateLink? {
        get { box.fields.affiliateLink }
        _modify { yield &unique().fields.affiliateLink }
    }
    /// The storefront price from the pipeline's pricing rules; `nil` sells at the sale price.
    public var pricing: Pricing? {
        get { box.fields.pricing }
        _modify { yield &unique().fields.pricing }
    }
    /// Delivery days to the requested country, when the gateway said (`ship_to_days`).
    public var shippingDays: Int? {
        get { box.fields.shippingDays }
        set { unique().fields.shippingDays = newValue }
    }
    /// Out of stock for a product the catalog knows but this run did not find (when the pipeline
    /// keeps such products in its feeds).
    public var availability: Availability {
        get { box.fields.availability }
        set { unique().fields.availability = newValue }
    }

    public init(
        id: Int64, skuID: Int64? = nil, title: String, detailURL: String? = nil, salePrice: Money, originalPrice: Money? = nil,
        discount: Percentage? = nil, images: ImageSet = ImageSet(), categories: [Category] = [], shop: Shop? = nil,
        commission: Commission = Commission(), rating: Percentage? = nil, volume30d: Int? = nil, hits: [KeywordHit] = [],
        affiliateLink: AffiliateLink? = nil
    ) {
        box = Box(Fields(
            id: id, skuID: skuID, title: title, salePrice: salePrice, originalPrice: originalPrice, discount: discount,
            images: images, categories: categories, shop: shop, commission: commission, rating: rating, volume30d: volume30d,
            hits: hits, affiliateLink: affiliateLink))
        if let detailURL { self.detailURL = detailURL }
    }

    /// The product's stored values. Its coding keys are the product's.
    private struct Fields: Sendable, Hashable, Codable {
        var id: Int64
        var skuID: Int64?
        var title: String
        /// A detail URL other than the canonical one. The canonical one is not kept: every
        /// product had a String of its own for it, made by the load pass and retained by each
        /// feed's thread.
        var otherDetailURL: String?
        var salePrice: Money
        var originalPrice: Money?
        var discount: Percentage?
        var images: ImageSet
        var categories: [Category]
        var shop: Shop?
        var commission: Commission
        var rating: Percentage?
        var volume30d: Int?
        var hits: [KeywordHit]
        var affiliateLink: AffiliateLink?
        var pricing: Pricing?
        var shippingDays: Int?
        var availability: Availability = .inStock

        private enum CodingKeys: String, CodingKey {
            case id, skuID, title, otherDetailURL = "detailURL", salePrice, originalPrice, discount, images, categories, shop
            case commission, rating, volume30d, hits, affiliateLink, pricing, shippingDays, availability
        }
    }

    // Changed only while no other product shares it (`unique()`), as an array's storage is.
    private final class Box: @unchecked Sendable {
        // Reads are plain loads: with the checks Swift makes on a class's stored property, every
        // value a feed reads called into the runtime twice.
        @exclusivity(unchecked) var fields: Fields
        /// Derived from `fields`, so not compared or coded; dropped when the title, shop or categories change.
        @exclusivity(unchecked) var storefront: StorefrontText?

        init(_ fields: Fields, storefront: StorefrontText? = nil) {
            self.fields = fields
            self.storefront = storefront
        }
    }

    /// The box, made this product's own first if another product shares it.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields, storefront: box.storefront) }
        return box
    }

    /// A text cleaned for storefronts: most come out as they went in, and keep no second String.
    private enum Cleaned: Sendable {
        case same
        case other(String)
    }

    private struct StorefrontText: Sendable {
        var title: Cleaned
        var shopName: Cleaned?
        var categoryPath: String
    }

    /// The title cleaned for storefronts: ``TitleCleaner/clean(_:limit:)`` of ``title``.
    public var storefrontTitle: String {
        switch box.storefront?.title {
        case .same?: title
        case .other(let cleaned)?: cleaned
        case nil: TitleCleaner.clean(title)
        }
    }

    /// The shop's name cleaned like a title, when the shop has a name.
    public var storefrontShopName: String? {
        guard let name = box.fields.shop?.name else { return nil }
        switch box.storefront?.shopName {
        case .same?: return name
        case .other(let cleaned)?: return cleaned
        case nil: return TitleCleaner.clean(name)
        }
    }

    /// The category names from the top level down, without empty ones, joined by ` > `
    /// (`Phones > Cases`): a storefront's product type.
    public var categoryPath: String {
        if let prepared = box.storefront { return prepared.categoryPath }
        return Self.categoryPath(box.fields.categories)
    }

    static func categoryPath(_ categories: [Category]) -> String {
        // Usually top then leaf, already in order.
        if categories.count == 2, categories[0].level <= categories[1].level {
            let (top, leaf) = (categories[0].name, categories[1].name)
            if top.isEmpty { return leaf }
            if leaf.isEmpty { return top }
            // Made once: `top + " > " + leaf` made the middle String too.
            var path = ""
            path.reserveCapacity(top.utf8.count + 3 + leaf.utf8.count)
            path += top
            path += " > "
            path += leaf
            return path
        }
        return categories.sorted { $0.level < $1.level }.map(\.name).filter { !$0.isEmpty }.joined(separator: " > ")
    }

    /// Works out ``storefrontTitle``, ``storefrontShopName`` and ``categoryPath`` now, once:
    /// every feed uses them, and each feed's thread worked them out again (cleaning the title
    /// and shop name was a fifth of a feed's time per product in a profile). `recent` keeps the
    /// last few category paths for the next products (see ``StorefrontTextCache``).
    public mutating func prepareStorefrontText(recent: inout StorefrontTextCache) {
        func cleaned(_ text: String) -> Cleaned {
            let clean = TitleCleaner.clean(text)
            return clean == text ? .same : .other(clean)
        }
        let text = StorefrontText(
            title: cleaned(box.fields.title), shopName: box.fields.shop?.name.map(cleaned),
            categoryPath: recent.categoryPath(box.fields.categories))
        unique().storefront = text
    }

    /// ``prepareStorefrontText(recent:)`` without paths kept from earlier products.
    public mutating func prepareStorefrontText() {
        var recent = StorefrontTextCache()
        prepareStorefrontText(recent: &recent)
    }

    public static func == (a: Product, b: Product) -> Bool { a.box === b.box || a.box.fields == b.box.fields }

    public func hash(into hasher: inout Hasher) { box.fields.hash(into: &hasher) }

    public init(from decoder: any Decoder) throws { box = Box(try Fields(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    /// The fields, not the box, in test failures and `dump`.
    public var customMirror: Mirror { Mirror(reflecting: box.fields) }

    /// The canonical item URL for a product id: what `link.generate` is given.
    public static func canonicalURL(id: Int64) -> String {
        withCanonicalURL(id: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// The canonical item URL's UTF-8 bytes, on the stack (interpolation cost about as much as
    /// decoding the product's prices).
    // Inlinable (with ``withDetailURL(_:)``), so the catalog and the feeds call them specialized:
    // generic over `R` from another module, each call looked up type metadata at run time.
    @inlinable
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

    @usableFromInline var otherDetailURL: String? { box.fields.otherDetailURL }

    /// Whether the detail URL is the canonical one (which is always a safe URL).
    public var hasCanonicalDetailURL: Bool { box.fields.otherDetailURL == nil }

    /// The detail URL's UTF-8 bytes, without making a String for the canonical one.
    @inlinable
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

/// The category paths (`Phones > Cases`) made for the last few products, so that products of the
/// same categories (a keyword's products mostly are) share one String instead of each making
/// its own: one allocation, and its release on a feed's thread, less per product.
public struct StorefrontTextCache: Sendable {
    private var entries: [(top: String, leaf: String, path: String)] = []
    private var next = 0
    static let capacity = 8

    public init() {}

    /// ``Product/categoryPath`` of `categories`: a path made earlier for the same top and leaf
    /// names, or a new one, kept.
    mutating func categoryPath(_ categories: [Category]) -> String {
        // Top then leaf (the usual order; any other is sorted, and not kept).
        guard categories.count == 2, categories[0].level <= categories[1].level else { return Product.categoryPath(categories) }
        let (top, leaf) = (categories[0].name, categories[1].name)
        // The decoder makes one String per page for a repeated name, so a match is usually the
        // same storage, which `==` sees without comparing the bytes.
        for entry in entries where entry.leaf == leaf && entry.top == top { return entry.path }
        let path = Product.categoryPath(categories)
        if entries.count < Self.capacity {
            entries.append((top, leaf, path))
        } else {
            entries[next] = (top, leaf, path)
            next = (next + 1) % Self.capacity
        }
        return path
    }
}
