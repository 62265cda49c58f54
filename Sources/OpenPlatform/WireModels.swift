public import Foundation
public import Catalog

/// A product as the affiliate methods return it (`products.product[]`), with string prices already
/// parsed to `Decimal` and `"7.0%"` rates to ``Percentage``. Every field but the id may be missing.
public struct WireProduct: Decodable, Sendable, Hashable {
    public var productID: Int64
    public var skuID: Int64?
    public var title: String?
    public var detailURL: String?
    public var mainImageURL: String?
    public var smallImageURLs: [String]
    public var videoURL: String?
    public var shopID: Int64?
    public var shopName: String?
    public var shopURL: String?
    public var firstLevelCategoryID: Int64?
    public var firstLevelCategoryName: String?
    public var secondLevelCategoryID: Int64?
    public var secondLevelCategoryName: String?
    /// Store-currency prices (`sale_price`, `original_price`, `app_sale_price`) and their currencies.
    public var salePrice: Decimal?
    public var salePriceCurrency: CurrencyCode?
    public var originalPrice: Decimal?
    public var originalPriceCurrency: CurrencyCode?
    public var appSalePrice: Decimal?
    public var appSalePriceCurrency: CurrencyCode?
    /// Prices in the requested `target_currency`.
    public var targetSalePrice: Decimal?
    public var targetSalePriceCurrency: CurrencyCode?
    public var targetOriginalPrice: Decimal?
    public var targetOriginalPriceCurrency: CurrencyCode?
    public var targetAppSalePrice: Decimal?
    public var targetAppSalePriceCurrency: CurrencyCode?
    public var discount: Percentage?
    public var commissionRate: Percentage?
    public var hotProductCommissionRate: Percentage?
    public var relevantMarketCommissionRate: Percentage?
    /// Positive feedback rate (`evaluate_rate`).
    public var evaluateRate: Percentage?
    /// Sales in the last 30 days (the API spells it `lastest_volume`).
    public var lastestVolume: Int?
    public var promotionLink: String?
    public var taxRate: Decimal?
    public var shipToDays: String?
    public var platformProductType: String?
    public var promoCode: PromoCodeInfo?
    /// The images already made into the product's ``ImageSet`` (the fast decoder's catalog
    /// mode, which then leaves `mainImageURL`, `smallImageURLs` and `videoURL` empty).
    public var images: ImageSet?

    public init(productID: Int64) {
        self.productID = productID
        smallImageURLs = []
    }

    /// The sale price in the target currency when present, else in the store currency.
    public var sale: Money? {
        if let amount = targetSalePrice, let currency = targetSalePriceCurrency { return Money(amount, currency) }
        if let amount = salePrice, let currency = salePriceCurrency { return Money(amount, currency) }
        return nil
    }

    /// The original (pre-discount) price, in the same currency preference as ``sale``.
    public var original: Money? {
        if let amount = targetOriginalPrice, let currency = targetOriginalPriceCurrency { return Money(amount, currency) }
        if let amount = originalPrice, let currency = originalPriceCurrency { return Money(amount, currency) }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case productID = "product_id", skuID = "sku_id", title = "product_title"
        case detailURL = "product_detail_url", mainImageURL = "product_main_image_url"
        case smallImageURLs = "product_small_image_urls", videoURL = "product_video_url"
        case shopID = "shop_id", shopName = "shop_name", shopURL = "shop_url"
        case firstLevelCategoryID = "first_level_category_id", firstLevelCategoryName = "first_level_category_name"
        case secondLevelCategoryID = "second_level_category_id", secondLevelCategoryName = "second_level_category_name"
        case salePrice = "sale_price", salePriceCurrency = "sale_price_currency"
        case originalPrice = "original_price", originalPriceCurrency = "original_price_currency"
        case appSalePrice = "app_sale_price", appSalePriceCurrency = "app_sale_price_currency"
        case targetSalePrice = "target_sale_price", targetSalePriceCurrency = "target_sale_price_currency"
        case targetOriginalPrice = "target_original_price", targetOriginalPriceCurrency = "target_original_price_currency"
        case targetAppSalePrice = "target_app_sale_price", targetAppSalePriceCurrency = "target_app_sale_price_currency"
        case discount, commissionRate = "commission_rate", hotProductCommissionRate = "hot_product_commission_rate"
        case relevantMarketCommissionRate = "relevant_market_commission_rate", evaluateRate = "evaluate_rate"
        case lastestVolume = "lastest_volume", promotionLink = "promotion_link", taxRate = "tax_rate"
        case shipToDays = "ship_to_days", platformProductType = "platform_product_type", promoCode = "promo_code_info"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = try c.decodeFlexibleInt64IfPresent(forKey: .productID) else {
            throw DecodingError.keyNotFound(
                CodingKeys.productID, .init(codingPath: decoder.codingPath, debugDescription: "product without product_id"))
        }
        productID = id
        skuID = try c.decodeFlexibleInt64IfPresent(forKey: .skuID)
        title = try c.decodeLenientStringIfPresent(forKey: .title)
        detailURL = try c.decodeLenientStringIfPresent(forKey: .detailURL)
        mainImageURL = try c.decodeLenientStringIfPresent(forKey: .mainImageURL)
        smallImageURLs = try c.decodeWrappedListIfPresent(LenientString.self, forKey: .smallImageURLs).map(\.value)
        videoURL = try c.decodeLenientStringIfPresent(forKey: .videoURL)
        shopID = try c.decodeFlexibleInt64IfPresent(forKey: .shopID)
        shopName = try c.decodeLenientStringIfPresent(forKey: .shopName)
        shopURL = try c.decodeLenientStringIfPresent(forKey: .shopURL)
        firstLevelCategoryID = try c.decodeFlexibleInt64IfPresent(forKey: .firstLevelCategoryID)
        firstLevelCategoryName = try c.decodeLenientStringIfPresent(forKey: .firstLevelCategoryName)
        secondLevelCategoryID = try c.decodeFlexibleInt64IfPresent(forKey: .secondLevelCategoryID)
        secondLevelCategoryName = try c.decodeLenientStringIfPresent(forKey: .secondLevelCategoryName)
        salePrice = try c.decodeDecimalIfPresent(forKey: .salePrice)
        salePriceCurrency = try c.decodeCurrencyIfPresent(forKey: .salePriceCurrency)
        originalPrice = try c.decodeDecimalIfPresent(forKey: .originalPrice)
        originalPriceCurrency = try c.decodeCurrencyIfPresent(forKey: .originalPriceCurrency)
        appSalePrice = try c.decodeDecimalIfPresent(forKey: .appSalePrice)
        appSalePriceCurrency = try c.decodeCurrencyIfPresent(forKey: .appSalePriceCurrency)
        targetSalePrice = try c.decodeDecimalIfPresent(forKey: .targetSalePrice)
        targetSalePriceCurrency = try c.decodeCurrencyIfPresent(forKey: .targetSalePriceCurrency)
        targetOriginalPrice = try c.decodeDecimalIfPresent(forKey: .targetOriginalPrice)
        targetOriginalPriceCurrency = try c.decodeCurrencyIfPresent(forKey: .targetOriginalPriceCurrency)
        targetAppSalePrice = try c.decodeDecimalIfPresent(forKey: .targetAppSalePrice)
        targetAppSalePriceCurrency = try c.decodeCurrencyIfPresent(forKey: .targetAppSalePriceCurrency)
        discount = try c.decodePercentageIfPresent(forKey: .discount)
        commissionRate = try c.decodePercentageIfPresent(forKey: .commissionRate)
        hotProductCommissionRate = try c.decodePercentageIfPresent(forKey: .hotProductCommissionRate)
        relevantMarketCommissionRate = try c.decodePercentageIfPresent(forKey: .relevantMarketCommissionRate)
        evaluateRate = try c.decodePercentageIfPresent(forKey: .evaluateRate)
        lastestVolume = try c.decodeFlexibleIntIfPresent(forKey: .lastestVolume)
        promotionLink = try c.decodeLenientStringIfPresent(forKey: .promotionLink)
        taxRate = try? c.decodeDecimalIfPresent(forKey: .taxRate)
        shipToDays = try c.decodeLenientStringIfPresent(forKey: .shipToDays)
        platformProductType = try c.decodeLenientStringIfPresent(forKey: .platformProductType)
        promoCode = try? c.decodeIfPresent(PromoCodeInfo.self, forKey: .promoCode)
    }
}

/// `promo_code_info`: every value is a string on the wire, dates without a zone (PST).
public struct PromoCodeInfo: Decodable, Sendable, Hashable {
    public var code: String?
    public var campaignType: String?
    public var value: String?
    public var availableFrom: String?
    public var availableUntil: String?
    public var minimumSpend: String?
    public var quantity: String?
    public var promotionURL: String?

    enum CodingKeys: String, CodingKey {
        case code = "promo_code", campaignType = "code_campaigntype", value = "code_value"
        case availableFrom = "code_availabletime_start", availableUntil = "code_availabletime_end"
        case minimumSpend = "code_mini_spend", quantity = "code_quantity", promotionURL = "code_promotionurl"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decodeLenientStringIfPresent(forKey: .code)
        campaignType = try c.decodeLenientStringIfPresent(forKey: .campaignType)
        value = try c.decodeLenientStringIfPresent(forKey: .value)
        availableFrom = try c.decodeLenientStringIfPresent(forKey: .availableFrom)
        availableUntil = try c.decodeLenientStringIfPresent(forKey: .availableUntil)
        minimumSpend = try c.decodeLenientStringIfPresent(forKey: .minimumSpend)
        quantity = try c.decodeLenientStringIfPresent(forKey: .quantity)
        promotionURL = try c.decodeLenientStringIfPresent(forKey: .promotionURL)
    }
}

/// The `result` of `product.query`, `hotproduct.query`, `productdetail.get` and
/// `featuredpromo.products.get`: the counters differ by method, so all are optional.
public struct WireProductResult: Decodable, Sendable {
    public var currentPageNo: Int?
    public var currentRecordCount: Int?
    public var totalRecordCount: Int?
    public var totalPageNo: Int?
    public var isFinished: Bool?
    public var products: [WireProduct]

    enum CodingKeys: String, CodingKey {
        case currentPageNo = "current_page_no", currentRecordCount = "current_record_count"
        case totalRecordCount = "total_record_count", totalPageNo = "total_page_no", isFinished = "is_finished"
        case products
    }

    init(currentPageNo: Int?, currentRecordCount: Int?, totalRecordCount: Int?, totalPageNo: Int?, isFinished: Bool?, products: [WireProduct]) {
        self.currentPageNo = currentPageNo
        self.currentRecordCount = currentRecordCount
        self.totalRecordCount = totalRecordCount
        self.totalPageNo = totalPageNo
        self.isFinished = isFinished
        self.products = products
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        currentPageNo = try c.decodeFlexibleIntIfPresent(forKey: .currentPageNo)
        currentRecordCount = try c.decodeFlexibleIntIfPresent(forKey: .currentRecordCount)
        totalRecordCount = try c.decodeFlexibleIntIfPresent(forKey: .totalRecordCount)
        totalPageNo = try c.decodeFlexibleIntIfPresent(forKey: .totalPageNo)
        isFinished = try? c.decodeIfPresent(Bool.self, forKey: .isFinished)
        products = try c.decodeWrappedListIfPresent(WireProduct.self, forKey: .products)
    }
}

/// One `promotion_links.promotion_link[]` entry.
public struct WirePromotionLink: Decodable, Sendable, Hashable {
    public var promotionLink: String
    /// The source as it was sent, query string included: match results by it, not by position.
    public var sourceValue: String

    enum CodingKeys: String, CodingKey { case promotionLink = "promotion_link", sourceValue = "source_value" }
}

/// The `result` of `link.generate`.
public struct WireLinkResult: Decodable, Sendable {
    public var totalResultCount: Int?
    public var trackingID: String?
    public var links: [WirePromotionLink]

    enum CodingKeys: String, CodingKey {
        case totalResultCount = "total_result_count", trackingID = "tracking_id", links = "promotion_links"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        totalResultCount = try c.decodeFlexibleIntIfPresent(forKey: .totalResultCount)
        trackingID = try c.decodeLenientStringIfPresent(forKey: .trackingID)
        links = try c.decodeWrappedListIfPresent(WirePromotionLink.self, forKey: .links)
    }
}

/// One `categories.category[]` entry; top-level categories have no parent key at all.
public struct WireCategory: Decodable, Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var parentID: Int64?

    enum CodingKeys: String, CodingKey { case id = "category_id", name = "category_name", parentID = "parent_category_id" }

    public init(id: Int64, name: String, parentID: Int64?) {
        self.id = id
        self.name = name
        self.parentID = parentID
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let id = try c.decodeFlexibleInt64IfPresent(forKey: .id) else {
            throw DecodingError.keyNotFound(CodingKeys.id, .init(codingPath: decoder.codingPath, debugDescription: "category without category_id"))
        }
        self.id = id
        name = try c.decodeLenientStringIfPresent(forKey: .name) ?? ""
        let parent = try c.decodeFlexibleInt64IfPresent(forKey: .parentID)
        parentID = parent == 0 ? nil : parent
    }
}

/// The `result` of `category.get`.
public struct WireCategoryResult: Decodable, Sendable {
    public var totalResultCount: Int?
    public var categories: [WireCategory]

    enum CodingKeys: String, CodingKey { case totalResultCount = "total_result_count", categories }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        totalResultCount = try c.decodeFlexibleIntIfPresent(forKey: .totalResultCount)
        categories = try c.decodeWrappedListIfPresent(WireCategory.self, forKey: .categories)
    }
}
