public import Foundation

/// Sort orders of `product.query` and `hotproduct.query`.
public enum ProductSort: String, Sendable, CaseIterable, Codable {
    case salePriceAsc = "SALE_PRICE_ASC", salePriceDesc = "SALE_PRICE_DESC"
    case lastVolumeAsc = "LAST_VOLUME_ASC", lastVolumeDesc = "LAST_VOLUME_DESC"
    case discountAsc = "DISCOUNT_ASC", discountDesc = "DISCOUNT_DESC"
}

/// `platform_product_type`.
public enum PlatformProductType: String, Sendable, CaseIterable, Codable {
    case all = "ALL", plaza = "PLAZA", tmall = "TMALL"
}

/// `promotion_link_type` of `link.generate`.
public enum PromotionLinkType: Int, Sendable, CaseIterable, Codable {
    /// Standard commission.
    case normal = 0
    /// Hot-product commission.
    case hot = 2
}

/// The parameters of one `product.query` / `hotproduct.query` page.
public struct ProductQuery: Sendable, Hashable, Codable {
    public var keywords: String?
    public var categoryIDs: [Int64]
    public var pageNo: Int
    public var pageSize: Int
    public var sort: ProductSort?
    /// Sale price bounds, sent as decimal text in the target currency (the unit is unverified, spec §5).
    public var minSalePrice: Decimal?
    public var maxSalePrice: Decimal?
    public var platformProductType: PlatformProductType?
    public var shipToCountry: String?
    public var deliveryDays: Int?
    public var targetCurrency: String?
    public var targetLanguage: String?
    public var promotionName: String?
    public var fields: [String]
    public var trackingID: String?

    public init(
        keywords: String? = nil, categoryIDs: [Int64] = [], pageNo: Int = 1, pageSize: Int = 50, sort: ProductSort? = nil,
        minSalePrice: Decimal? = nil, maxSalePrice: Decimal? = nil, platformProductType: PlatformProductType? = nil,
        shipToCountry: String? = nil, deliveryDays: Int? = nil, targetCurrency: String? = nil, targetLanguage: String? = nil,
        promotionName: String? = nil, fields: [String] = [], trackingID: String? = nil
    ) {
        self.keywords = keywords
        self.categoryIDs = categoryIDs
        self.pageNo = pageNo
        self.pageSize = pageSize
        self.sort = sort
        self.minSalePrice = minSalePrice
        self.maxSalePrice = maxSalePrice
        self.platformProductType = platformProductType
        self.shipToCountry = shipToCountry
        self.deliveryDays = deliveryDays
        self.targetCurrency = targetCurrency
        self.targetLanguage = targetLanguage
        self.promotionName = promotionName
        self.fields = fields
        self.trackingID = trackingID
    }

    /// The business parameters, absent values left out.
    public var parameters: [String: String] {
        var p: [String: String] = ["page_no": String(pageNo), "page_size": String(pageSize)]
        p["keywords"] = keywords
        if !categoryIDs.isEmpty { p["category_ids"] = categoryIDs.map(String.init).joined(separator: ",") }
        p["sort"] = sort?.rawValue
        p["min_sale_price"] = minSalePrice.map { "\($0)" }
        p["max_sale_price"] = maxSalePrice.map { "\($0)" }
        p["platform_product_type"] = platformProductType?.rawValue
        p["ship_to_country"] = shipToCountry
        p["delivery_days"] = deliveryDays.map(String.init)
        p["target_currency"] = targetCurrency
        p["target_language"] = targetLanguage
        p["promotion_name"] = promotionName
        if !fields.isEmpty { p["fields"] = fields.joined(separator: ",") }
        p["tracking_id"] = trackingID
        return p
    }
}

/// One page of products, with what the gateway said about paging.
public struct ProductPage: Sendable {
    public var pageNo: Int
    public var products: [WireProduct]
    /// Products on the page. A page read back from a checkpoint may carry only this count (its
    /// products are decoded later, when they are loaded), so paging decisions use it.
    public var productCount: Int
    /// `current_record_count`, or the product count when absent.
    public var recordCount: Int
    public var totalRecordCount: Int?
    public var totalPageNo: Int?
    /// The gateway answered 405 "The result is empty".
    public var isEmpty: Bool
    public var requestID: String?
    public var body: Data
    public var attempts: Int

    public init(
        pageNo: Int, products: [WireProduct], productCount: Int? = nil, recordCount: Int, totalRecordCount: Int?, totalPageNo: Int?,
        isEmpty: Bool, requestID: String?, body: Data, attempts: Int
    ) {
        self.pageNo = pageNo
        self.products = products
        self.productCount = productCount ?? products.count
        self.recordCount = recordCount
        self.totalRecordCount = totalRecordCount
        self.totalPageNo = totalPageNo
        self.isEmpty = isEmpty
        self.requestID = requestID
        self.body = body
        self.attempts = attempts
    }

    /// Whether no page after this one can hold products (spec §7.2).
    public func isLastPage(pageSize: Int) -> Bool {
        if isEmpty || recordCount == 0 || productCount == 0 || recordCount < pageSize { return true }
        if let totalPageNo, pageNo >= totalPageNo { return true }
        if let totalRecordCount, pageNo * pageSize >= totalRecordCount { return true }
        return false
    }
}

/// The outcome of turning sources into affiliate links.
public struct LinkBatch: Sendable {
    /// Affiliate link by the source value exactly as sent.
    public var links: [String: String]
    /// Sources the platform returned no link for (non-affiliate products, refused URLs).
    public var missing: [String]
    public var requestIDs: [String]
}

extension OpenPlatformClient {
    public static let productQueryMethod = "aliexpress.affiliate.product.query"
    public static let hotProductQueryMethod = "aliexpress.affiliate.hotproduct.query"
    public static let productDetailMethod = "aliexpress.affiliate.productdetail.get"
    public static let linkGenerateMethod = "aliexpress.affiliate.link.generate"
    public static let categoryGetMethod = "aliexpress.affiliate.category.get"

    /// One page of `aliexpress.affiliate.product.query`; 405 comes back as an empty page.
    public func queryProducts(_ query: ProductQuery) async throws -> ProductPage {
        try await productPage(Self.productQueryMethod, query: query)
    }

    /// One page of `aliexpress.affiliate.hotproduct.query`.
    public func queryHotProducts(_ query: ProductQuery) async throws -> ProductPage {
        try await productPage(Self.hotProductQueryMethod, query: query)
    }

    private func productPage(_ method: String, query: ProductQuery) async throws -> ProductPage {
        var query = query
        if query.trackingID == nil { query.trackingID = configuration.credentials.trackingID }
        let response = try await call(method, parameters: query.parameters, as: WireProductResult.self)
        return Self.page(from: response, pageNo: query.pageNo)
    }

    /// Builds a page from a response (also used to replay checkpointed bodies).
    public static func page(from response: APIResponse<WireProductResult>, pageNo: Int) -> ProductPage {
        let result = response.result
        let products = result?.products ?? []
        return ProductPage(
            pageNo: result?.currentPageNo ?? pageNo, products: products, productCount: products.count,
            recordCount: result?.currentRecordCount ?? products.count, totalRecordCount: result?.totalRecordCount,
            totalPageNo: result?.totalPageNo, isEmpty: response.isEmpty, requestID: response.requestID,
            body: response.body, attempts: response.attempts)
    }

    /// `aliexpress.affiliate.productdetail.get` for any number of ids, in batches of `batchSize`.
    /// Ids the platform does not return (no commission, filtered by country) are simply absent.
    public func productDetails(
        ids: [Int64], country: String? = nil, targetCurrency: String? = nil, targetLanguage: String? = nil,
        batchSize: Int = 20
    ) async throws -> [WireProduct] {
        var products: [WireProduct] = []
        for start in stride(from: 0, to: ids.count, by: max(batchSize, 1)) {
            let batch = ids[start..<min(start + batchSize, ids.count)]
            var p: [String: String] = ["product_ids": batch.map(String.init).joined(separator: ",")]
            p["country"] = country
            p["target_currency"] = targetCurrency
            p["target_language"] = targetLanguage
            p["tracking_id"] = configuration.credentials.trackingID
            let response = try await call(Self.productDetailMethod, parameters: p, as: WireProductResult.self)
            products += response.result?.products ?? []
        }
        return products
    }

    /// `aliexpress.affiliate.link.generate` in batches; results are matched by `source_value`.
    public func generateLinks(
        sources: [String], type: PromotionLinkType = .normal, trackingID: String? = nil, batchSize: Int = 50
    ) async throws -> LinkBatch {
        guard let tracking = trackingID ?? configuration.credentials.trackingID, !tracking.isEmpty else {
            throw APIError(
                kind: .badParameter, method: Self.linkGenerateMethod,
                message: "a tracking id is required to generate affiliate links (ALIEXPRESS_TRACKING_ID)")
        }
        var links: [String: String] = [:]
        var requestIDs: [String] = []
        for start in stride(from: 0, to: sources.count, by: max(batchSize, 1)) {
            let batch = Array(sources[start..<min(start + batchSize, sources.count)])
            let p = [
                "promotion_link_type": String(type.rawValue), "source_values": batch.joined(separator: ","),
                "tracking_id": tracking,
            ]
            let response = try await call(Self.linkGenerateMethod, parameters: p, as: WireLinkResult.self)
            if let id = response.requestID { requestIDs.append(id) }
            for link in response.result?.links ?? [] where !link.promotionLink.isEmpty {
                links[link.sourceValue] = link.promotionLink
            }
        }
        let missing = sources.filter { links[$0] == nil }
        return LinkBatch(links: links, missing: missing, requestIDs: requestIDs)
    }

    /// `aliexpress.affiliate.category.get`: the whole category list.
    public func categories() async throws -> [WireCategory] {
        let response = try await call(Self.categoryGetMethod, parameters: [:], as: WireCategoryResult.self)
        return response.result?.categories ?? []
    }
}
