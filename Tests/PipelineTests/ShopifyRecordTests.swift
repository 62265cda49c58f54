import Catalog
import Foundation
import Testing
@testable import Load

/// Shopify's records written straight to bytes hold the same cells as its rows: many products
/// with the awkward parts (commas, quotes, formula characters, HTML, non-ASCII, long titles, no
/// images, unsafe image URLs, out of stock, pricing), under each kind of sink option.
@Suite struct ShopifyRecordTests {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % bound
        }
        mutating func pick<T>(_ values: [T]) -> T { values[next(values.count)] }
    }

    static func products(count: Int) -> [Product] {
        var random = Generator(state: 3)
        let words = [
            "Wireless", "earbuds,", "\"Pro\"", "=SUM(A1)", "+Led", "-50%", "@home", "café", "Ünïcode ✓", "<b>bold</b>", "Tom & Jerry",
            "USB-C", "2-Pack", "extraordinarily-long-word-without-any-spaces-at-all", "x", "line\nbreak", "tab\there", "100%", ",,,,,,,,", "----",
        ]
        let urls = [
            "https://ae01.alicdn.com/kf/a.jpg", "https://ae01.alicdn.com/kf/b,c.jpg", "http://img.example/ü.png", "ftp://no.example/x.jpg",
            " https://ae01.alicdn.com/kf/space.jpg ", "https://ae01.alicdn.com/kf/\"q\".jpg",
        ]
        return (0..<count).map { index in
            let title = (0..<(1 + random.next(40))).map { _ in random.pick(words) }.joined(separator: " ")
            let sale = Decimal(random.next(100_000)) / 100
            var product = Product(
                id: 1_005_000_000_000 + Int64(index), title: title, detailURL: Product.canonicalURL(id: Int64(index)),
                salePrice: Money(sale, random.next(4) == 0 ? .eur : .usd),
                originalPrice: random.next(2) == 0 ? Money(sale + Decimal(random.next(5000)) / 100, .usd) : nil,
                images: ImageSet(
                    main: random.next(6) == 0 ? nil : random.pick(urls), gallery: (0..<random.next(14)).map { _ in random.pick(urls) }),
                categories: random.next(5) == 0 ? [] : [
                    Catalog.Category(id: 1, name: random.pick(words), level: 1), Catalog.Category(id: 2, name: random.pick(["", "Cases, Covers"]), level: 2),
                ],
                shop: random.next(4) == 0 ? nil : Shop(id: 9, name: random.pick(["", "A", "Best Shop, Ltd", "=Shop", "Magasin Été"])),
                rating: random.next(3) == 0 ? nil : Percentage(points: Decimal(random.next(1001)) / 10),
                volume30d: random.pick([nil, 0, 7, 12345]),
                hits: (0..<random.next(3)).map { KeywordHit(keyword: random.pick(["phone case", "=cmd", "Ünï, code", "usb"]), page: 1, rank: $0 + 1) })
            if random.next(4) == 0 {
                product.pricing = Pricing(cost: product.salePrice, price: Money(sale * 2, product.salePrice.currency), compareAt: random.next(2) == 0 ? nil : Money(sale * 3, product.salePrice.currency))
            }
            if random.next(5) == 0 { product.availability = .outOfStock }
            return product
        }
    }

    static func bytes(_ write: CSVRecordWriter, _ products: [Product], isText: [Bool], options: FeedOptions) -> [UInt8] {
        var builder = CSVRowBuilder(isText: isText, spreadsheetSafe: options.spreadsheetSafe)
        var all: [UInt8] = []
        for product in products {
            builder.reset()
            #expect(write(product, &builder) == nil)
            all += builder.bytes.array
        }
        return all
    }

    @Test(arguments: [
        FeedOptions(), FeedOptions(vendor: "=My Shop, Inc", status: "Draft"), FeedOptions(spreadsheetSafe: true), FeedOptions(vendor: "x", maxImages: 3),
    ])
    func recordsMatchTheRows(options: FeedOptions) {
        let layout = ShopifyLayout(legacy: false)
        let products = Self.products(count: 600)
        let fast = Self.bytes(layout.recordWriter(options: options), products, isText: layout.isText, options: options)
        let rows = Self.bytes(layout.rowsRecordWriter(options: options), products, isText: layout.isText, options: options)
        #expect(fast.count > 100_000)
        // The first differing byte and the text around it (the whole files would not be readable).
        let first = zip(fast, rows).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? (fast.count == rows.count ? nil : min(fast.count, rows.count))
        #expect(first == nil, "at byte \(first ?? 0): \(String(decoding: fast[max(0, (first ?? 0) - 80)..<min(fast.count, (first ?? 0) + 80)], as: UTF8.self))")
    }

    @Test func imagesAreTheSafeOnesAmongTheFirst() {
        for product in Self.products(count: 400) {
            for cap in [0, 1, 3, 10] {
                let reference = product.images.all.prefix(max(cap, 1)).compactMap(FeedValues.safeURL)
                #expect(FeedValues.images(product, cap: cap) == reference)
            }
        }
    }

    /// Tags by the rule as plainly as it can be said: lower-cased, commas and whitespace runs one
    /// space, trimmed, empty ones and repeats (as Strings compare) left out, keywords first.
    static func referenceTags(_ product: Product) -> [String] {
        var tags: [String] = []
        for raw in product.keywords + product.categories.map(\.name) {
            let tag = raw.replacingOccurrences(of: ",", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased()
            if !tag.isEmpty && !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }

    @Test func tagsFollowTheRule() {
        var checked = 0
        for product in Self.products(count: 600) {
            #expect(FeedValues.tags(product) == Self.referenceTags(product), "\(product.keywords) \(product.categories.map(\.name))")
            checked += FeedValues.tags(product).count
        }
        #expect(checked > 600)
        var product = Self.products(count: 1)[0]
        // Canonically equivalent spellings are one tag, as Strings compare them.
        product.hits = [KeywordHit(keyword: "Caf\u{E9}", page: 1, rank: 1), KeywordHit(keyword: "cafe\u{301}", page: 1, rank: 2)]
        product.categories = [Catalog.Category(id: 1, name: " A,\tB ", level: 1)]
        #expect(FeedValues.tags(product) == ["caf\u{E9}", "a b"])
    }
}
