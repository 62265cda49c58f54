public import Catalog
public import OpenPlatform

/// Why a product from the gateway could not become a catalog product: names the product and field.
public struct ProductIssue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var productID: Int64
    public var field: String
    public var problem: String

    public var description: String { "product \(productID): \(field): \(problem)" }
}

/// Wire product → ``Catalog/Product``: prices in the target currency (the store currency only
/// when the gateway gave no target price), categories top first, the canonical item URL.
public enum Normalizer {
    /// "ship to US in 7 days" → 7.
    public static func shippingDays(in text: String) -> Int? {
        // The first `in <digits> day`, found on the bytes: this runs for every product, where a
        // regular expression would be compiled each time.
        let bytes = Array(text.utf8)
        var i = 0
        while i + 3 <= bytes.count {
            defer { i += 1 }
            guard bytes[i] == UInt8(ascii: "i"), bytes[i + 1] == UInt8(ascii: "n"), bytes[i + 2] == UInt8(ascii: " ") else { continue }
            var j = i + 3, days = 0, digits = 0
            while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9"), digits < 9 {
                days = days * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                digits += 1
                j += 1
            }
            if digits > 0, bytes[j...].starts(with: " day".utf8) { return days }
        }
        return nil
    }

    public static func product(from wire: WireProduct, hit: KeywordHit) -> Result<Product, ProductIssue> {
        var wire = wire
        return product(taking: &wire, hit: hit)
    }

    /// The same, moving the wire product's texts and image list into the product instead of
    /// copying them (what it leaves behind is emptied): the load pass makes every product this
    /// way, and each copied String was a retain here and a release when the page's wire
    /// products went.
    public static func product(taking wire: inout WireProduct, hit: KeywordHit) -> Result<Product, ProductIssue> {
        guard let sale = wire.sale else {
            return .failure(ProductIssue(productID: wire.productID, field: "target_sale_price", problem: "no sale price with a currency"))
        }
        guard sale.amount > 0 else {
            return .failure(ProductIssue(productID: wire.productID, field: "target_sale_price", problem: "price \(sale.formatted()) is not positive"))
        }
        let title = wire.title.take() ?? ""
        // Any ASCII byte other than whitespace makes the title non-empty; only other titles need trimming.
        guard title.utf8.contains(where: { $0 > 0x20 && $0 < 0x7F }) || !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return .failure(ProductIssue(productID: wire.productID, field: "product_title", problem: "empty title"))
        }
        var original = wire.original
        if let o = original, o.currency != sale.currency { original = nil }
        var categories: [Category] = []
        categories.reserveCapacity(2)  // grown from empty, the array was made twice
        if let id = wire.firstLevelCategoryID { categories.append(Category(id: id, name: wire.firstLevelCategoryName.take() ?? "", level: 1)) }
        if let id = wire.secondLevelCategoryID { categories.append(Category(id: id, name: wire.secondLevelCategoryName.take() ?? "", level: 2)) }
        // The fast decoder packs them as it reads the page; the Codable path gives Strings.
        let images = wire.images.take() ?? {
            var collected = GatewayImages()
            if let main = wire.mainImageURL.take() { collected.setMain(main) }
            for url in wire.smallImageURLs { collected.addSmall(url) }
            wire.smallImageURLs = []
            if let video = wire.videoURL.take() { collected.setVideo(video) }
            return collected.make()
        }()
        let shop = wire.shopID.map { Shop(id: $0, name: wire.shopName.take(), url: wire.shopURL.take()) }
        var product = Product(
            id: wire.productID, skuID: wire.skuID, title: title,
            salePrice: sale, originalPrice: original, discount: wire.discount,
            images: images, categories: categories, shop: shop,
            commission: Commission(rate: wire.commissionRate, hotRate: wire.hotProductCommissionRate),
            rating: wire.evaluateRate, volume30d: wire.lastestVolume, hits: [hit])
        product.shippingDays = wire.shipToDays.flatMap(shippingDays(in:))
        return .success(product)
    }
}
