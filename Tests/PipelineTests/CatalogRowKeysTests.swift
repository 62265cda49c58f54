import Catalog
import Foundation
import GRDB
@testable import Load
import Testing

/// Keyword hits, prices and links are keyed by their product's `seq`: a new product's rows are
/// written as it arrives, a known product's rows are staged and written at the end. Both must
/// carry the product's own `seq`, and a later sighting in the same run must win.
@Suite struct CatalogRowKeysTests {
    static func product(_ id: Int64, keyword: String, rank: Int, price: Decimal, run: String) -> Product {
        var product = Product(id: id, title: "p\(id)", detailURL: "https://www.aliexpress.com/item/\(id).html", salePrice: Money(price, .usd))
        product.hits = [KeywordHit(keyword: keyword, page: 1, rank: rank)]
        product.affiliateLink = AffiliateLink(
            url: "https://s.click.aliexpress.com/e/_\(run)\(id)", trackingID: "t", generatedAt: Date(timeIntervalSince1970: 1_790_000_000), linkType: 0)
        return product
    }

    static func load(_ products: [Product], run: String, into path: String) throws {
        let context = RunContext(runID: run, pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            for product in products { try writer.write(product) }
        }
    }

    /// Rows whose `product_seq` is not the `seq` of the product their `product_id` names.
    static func mismatched(_ db: Database) throws -> Int {
        try ["product_keywords", "price_history", "affiliate_links"].map { table in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM \(table) r LEFT JOIN products p ON p.id = r.product_id
                WHERE p.seq IS NOT r.product_seq
                """)!
        }.reduce(0, +)
    }

    @Test func rowsCarryTheirProductsSeqWhetherNewOrKnown() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        // Run a: 30, 10, 20 are new; 10 is seen again under another keyword at a new price.
        try Self.load([
            Self.product(30, keyword: "lamp", rank: 1, price: 5, run: "a"),
            Self.product(10, keyword: "lamp", rank: 2, price: 6, run: "a"),
            Self.product(20, keyword: "lamp", rank: 3, price: 7, run: "a"),
            Self.product(10, keyword: "desk", rank: 4, price: 8, run: "a"),
        ], run: "a", into: path)
        // Run b: 20 and 10 are known (staged), 40 is new, in an order unlike their seq.
        try Self.load([
            Self.product(20, keyword: "lamp", rank: 1, price: 9, run: "b"),
            Self.product(40, keyword: "lamp", rank: 2, price: 3, run: "b"),
            Self.product(10, keyword: "lamp", rank: 3, price: 4, run: "b"),
        ], run: "b", into: path)
        let queue = try DatabaseQueue(path: path)
        let (products, mismatched, keywords, prices, links, violations) = try queue.read { db in
            (try Row.fetchAll(db, sql: "SELECT seq, id FROM products ORDER BY seq").map { [$0[0] as Int64, $0[1] as Int64] },
             try Self.mismatched(db),
             try Row.fetchAll(db, sql: "SELECT product_id, keyword, last_rank FROM product_keywords ORDER BY product_seq, keyword")
                .map { "\($0[0] as Int64) \($0[1] as String) \($0[2] as Int)" },
             try Row.fetchAll(db, sql: "SELECT run_id, product_id, sale_price FROM price_history ORDER BY run_id, product_seq")
                .map { "\($0[0] as String) \($0[1] as Int64) \($0[2] as String)" },
             try String.fetchAll(db, sql: "SELECT url FROM affiliate_links WHERE run_id = 'b' ORDER BY product_seq"),
             try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count)
        }
        #expect(products == [[1, 30], [2, 10], [3, 20], [4, 40]])
        #expect(mismatched == 0)
        #expect(keywords == ["30 lamp 1", "10 desk 4", "10 lamp 3", "20 lamp 1", "40 lamp 2"])
        #expect(prices == ["a 30 5.00", "a 10 8.00", "a 20 7.00", "b 10 4.00", "b 20 9.00", "b 40 3.00"])
        #expect(links == ["https://s.click.aliexpress.com/e/_b10", "https://s.click.aliexpress.com/e/_b20", "https://s.click.aliexpress.com/e/_b40"])
        #expect(violations == 0)
        #expect(try PriceHistory(database: try CatalogDatabase(path: path)).history(productID: 10).map(\.salePrice) == [8, 4])
    }
}
