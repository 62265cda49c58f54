import Foundation
import Testing
import Catalog

/// A product is a value: its fields share one box between copies, and a change to one copy
/// never shows in another. The storefront title and shop name worked out ahead are the cleaner's,
/// and follow the title and shop when they change.
@Suite struct ProductValueTests {
    private func product() -> Product {
        Product(
            id: 1_005_001, skuID: 9, title: "Phone Case Phone Case Best", salePrice: Money(Decimal(string: "3.50")!, .usd),
            originalPrice: Money(7, .usd), images: ImageSet(main: "https://ae01.alicdn.com/a.jpg", gallery: ["https://ae01.alicdn.com/b.jpg"]),
            categories: [Category(id: 1, name: "Phones", level: 1), Category(id: 2, name: "Cases", level: 2)],
            shop: Shop(id: 4, name: "=Best Shop", url: "https://shop.example/4"), volume30d: 12,
            hits: [KeywordHit(keyword: "phone case", page: 1, rank: 3)])
    }

    @Test func aChangedCopyLeavesTheOriginalAsItWas() {
        let original = product()
        var copy = original
        #expect(copy == original)
        copy.title = "Other"
        copy.hits.append(KeywordHit(keyword: "case", page: 2, rank: 1))
        copy.shop?.name = "Another Shop"
        copy.salePrice = Money(1, .usd)
        copy.availability = .outOfStock
        copy.detailURL = "https://www.aliexpress.us/item/1005001.html"
        #expect(original.title == "Phone Case Phone Case Best")
        #expect(original.hits.count == 1)
        #expect(original.shop?.name == "=Best Shop")
        #expect(original.salePrice == Money(Decimal(string: "3.50")!, .usd))
        #expect(original.availability == .inStock)
        #expect(original.hasCanonicalDetailURL)
        #expect(copy.title == "Other" && copy.hits.count == 2 && copy.shop?.name == "Another Shop")
        #expect(copy.detailURL == "https://www.aliexpress.us/item/1005001.html")
        #expect(copy != original)
        #expect(String(describing: copy).contains("title: \"Other\""))
        // Changed back field by field, equal again (equality is by value, not by box).
        copy.title = original.title
        copy.hits.removeLast()
        copy.shop = original.shop
        copy.salePrice = original.salePrice
        copy.availability = .inStock
        copy.detailURL = Product.canonicalURL(id: copy.id)
        #expect(copy == original)
        #expect(copy.hashValue == original.hashValue)
    }

    @Test func storefrontTextIsTheCleanersWhetherWorkedOutAheadOrNot() throws {
        var p = product()
        #expect(p.storefrontTitle == TitleCleaner.clean(p.title))
        #expect(p.storefrontShopName == TitleCleaner.clean("=Best Shop"))
        let before = p
        p.prepareStorefrontText()
        #expect(p.storefrontTitle == "Phone Case Best")
        #expect(p.storefrontShopName == "Best Shop")
        // Worked out or not, the product is the same value, coded the same way.
        #expect(p == before)
        #expect(p.hashValue == before.hashValue)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(p) == (try encoder.encode(before)))

        var clean = Product(id: 2, title: "Clean Title", salePrice: Money(1, .usd), shop: Shop(id: 1, name: "Shop"))
        clean.prepareStorefrontText()
        #expect(clean.storefrontTitle == "Clean Title" && clean.storefrontShopName == "Shop")
        #expect(Product(id: 3, title: "t", salePrice: Money(1, .usd)).storefrontShopName == nil)
    }

    @Test func changingTheTitleOrShopAfterwardsIsSeen() {
        var p = product()
        p.prepareStorefrontText()
        let shared = p
        p.title = "=New New Title"
        #expect(p.storefrontTitle == "New Title")
        p.shop?.name = "+Other Shop"
        #expect(p.storefrontShopName == "Other Shop")
        p.shop = nil
        #expect(p.storefrontShopName == nil)
        // The copy taken before keeps what it had worked out.
        #expect(shared.storefrontTitle == "Phone Case Best")
        #expect(shared.storefrontShopName == "Best Shop")
    }

    @Test func codedUnderTheSameKeysAndReadBack() throws {
        var p = product()
        p.pricing = Pricing(cost: p.salePrice, price: Money(9, .usd))
        p.shippingDays = 7
        let data = try JSONEncoder().encode(p)
        let keys = Set((try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]).keys)
        #expect(keys.isSuperset(of: ["id", "skuID", "title", "salePrice", "originalPrice", "images", "categories", "shop", "commission",
                                     "volume30d", "hits", "pricing", "shippingDays", "availability"]))
        #expect(!keys.contains("detailURL"))  // the canonical one is not stored
        #expect(try JSONDecoder().decode(Product.self, from: data) == p)
    }
}

/// The category path a storefront shows as the product type, worked out ahead or not.
@Suite struct CategoryPathTests {
    @Test(arguments: [
        ([("Phones", 1), ("Cases", 2)], "Phones > Cases"),
        ([("Cases", 2), ("Phones", 1)], "Phones > Cases"),
        ([("", 1), ("Cases", 2)], "Cases"),
        ([("Phones", 1), ("", 2)], "Phones"),
        ([("Phones", 1)], "Phones"),
        ([("C", 3), ("A", 1), ("B", 2)], "A > B > C"),
        ([], ""),
    ])
    func path(categories: [(String, Int)], expected: String) {
        var p = Product(
            id: 1, title: "t", salePrice: Money(1, .usd),
            categories: categories.enumerated().map { Category(id: Int64($0.offset), name: $0.element.0, level: $0.element.1) })
        #expect(p.categoryPath == expected)
        p.prepareStorefrontText()
        #expect(p.categoryPath == expected)
    }

    /// Products prepared one after another share the paths of the categories they share, and
    /// each still gets its own categories' path, whatever came before it.
    @Test func pathsAreSharedAcrossProductsOfTheSameCategories() {
        func product(_ categories: [(String, Int)]) -> Product {
            Product(
                id: 1, title: "t", salePrice: Money(1, .usd),
                categories: categories.enumerated().map { Category(id: Int64($0.offset), name: $0.element.0, level: $0.element.1) })
        }
        var recent = StorefrontTextCache()
        let sequence: [([(String, Int)], String)] = [
            ([("Phones & Telecommunications", 1), ("Phone Cases", 2)], "Phones & Telecommunications > Phone Cases"),
            ([("Cases", 1), ("Phones", 2)], "Cases > Phones"),
            ([("Phones", 2), ("Cases", 1)], "Cases > Phones"),
            ([("Phones", 1), ("Cases", 2)], "Phones > Cases"),
            ([("Phones", 1), ("", 2)], "Phones"),
            ([("Phones & Telecommunications", 1), ("Phone Cases", 2)], "Phones & Telecommunications > Phone Cases"),
        ] + (1...10).map { ([("Top", 1), ("Leaf \($0)", 2)], "Top > Leaf \($0)") }
            + [([("Cases", 1), ("Phones", 2)], "Cases > Phones")]
        var made: [String] = []
        for (categories, expected) in sequence {
            var p = product(categories)
            p.prepareStorefrontText(recent: &recent)
            #expect(p.categoryPath == expected, "\(categories)")
            made.append(p.categoryPath)
        }
        // The sixth product's path is the first's own String (the same storage, not a copy; a
        // path of 16 bytes or more, which Swift does not store inline).
        #expect(made[0].utf8.withContiguousStorageIfAvailable { $0.baseAddress } == made[5].utf8.withContiguousStorageIfAvailable { $0.baseAddress })
    }

    @Test func changedCategoriesAreSeen() {
        var p = Product(id: 1, title: "t", salePrice: Money(1, .usd), categories: [Category(id: 1, name: "Phones", level: 1)])
        p.prepareStorefrontText()
        p.categories.append(Category(id: 2, name: "Cases", level: 2))
        #expect(p.categoryPath == "Phones > Cases")
    }
}
