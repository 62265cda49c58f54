public import Foundation
public import Catalog
public import OpenPlatform

/// Builds the run's product list from pages fed in output order (keyword order, page, rank):
/// a product seen again under another keyword is merged, keeping all its keywords.
public struct CatalogAssembler: Sendable {
    public private(set) var products: [Product] = []
    private var positions: [Int64: Int] = [:]
    public let dedupe: Bool
    public private(set) var duplicatesMerged = 0
    public private(set) var issues: [ProductIssue] = []
    public private(set) var productsSeen = 0

    public init(dedupe: Bool = true) { self.dedupe = dedupe }

    public mutating func add(page products: [WireProduct], keyword: String, pageNo: Int) {
        for (offset, wire) in products.enumerated() {
            productsSeen += 1
            let hit = KeywordHit(keyword: keyword, page: pageNo, rank: offset + 1)
            if let position = positions[wire.productID] {
                if dedupe || self.products[position].hits.contains(where: { $0.keyword == keyword }) {
                    if !self.products[position].hits.contains(hit) { self.products[position].hits.append(hit) }
                    duplicatesMerged += 1
                    continue
                }
            }
            switch Normalizer.product(from: wire, hit: hit) {
            case .success(let product):
                positions[product.id] = self.products.count
                self.products.append(product)
            case .failure(let issue):
                issues.append(issue)
            }
        }
    }
}

/// The pipeline's product filters; every bound is optional.
public struct ProductFilter: Sendable, Hashable {
    public var minPrice: Decimal?
    public var maxPrice: Decimal?
    public var minRating: Decimal?
    public var minVolume: Int?
    public var minCommission: Decimal?

    public init(minPrice: Decimal? = nil, maxPrice: Decimal? = nil, minRating: Decimal? = nil, minVolume: Int? = nil, minCommission: Decimal? = nil) {
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.minRating = minRating
        self.minVolume = minVolume
        self.minCommission = minCommission
    }

    /// Why the product is filtered out, or `nil` when it is kept.
    public func rejection(_ product: Product) -> String? {
        if let minPrice, product.salePrice.amount < minPrice { return "price below \(minPrice)" }
        if let maxPrice, product.salePrice.amount > maxPrice { return "price above \(maxPrice)" }
        if let minRating, (product.rating?.points ?? 0) < minRating { return "rating below \(minRating)%" }
        if let minVolume, (product.volume30d ?? 0) < minVolume { return "30-day volume below \(minVolume)" }
        if let minCommission, (product.commission.best?.points ?? 0) < minCommission { return "commission below \(minCommission)%" }
        return nil
    }
}

