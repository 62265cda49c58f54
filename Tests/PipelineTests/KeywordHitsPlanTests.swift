import Catalog
import Foundation
import GRDB
@testable import Load
import Testing

/// Keyword hits are keyed by keyword first (schema v8): the products a keyword found are one
/// range of the table, found by key, with no second index to keep up.
@Suite struct KeywordHitsPlanTests {
    @Test func aKeywordsProductsAreFoundByKey() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let database = try CatalogDatabase(path: directory.path("c.sqlite"))
        let (plan, indexes) = try database.queue.read { db in
            (try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT p.title FROM product_keywords k JOIN products p ON p.seq = k.product_seq
                WHERE k.keyword = ? ORDER BY k.product_seq
                """, arguments: ["lamp"]).map { $0["detail"] as String },
             try String.fetchAll(db, sql: "SELECT name FROM pragma_index_list('product_keywords')"))
        }
        #expect(plan.contains("SEARCH k USING PRIMARY KEY (keyword=?)"), "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("USE TEMP B-TREE") }, "in arrival order by key, no sort: \(plan)")
        #expect(indexes.count == 1, "the key only: \(indexes)")
    }

    @Test func aRunsHitsAreStoredByKeywordThenArrival() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        func product(_ id: Int64, _ keyword: String) -> Product {
            var product = Product(id: id, title: "p\(id)", detailURL: "https://www.aliexpress.com/item/\(id).html", salePrice: Money(1, .usd))
            product.hits = [KeywordHit(keyword: keyword, page: 1, rank: 1)]
            return product
        }
        let context = RunContext(runID: "r", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            for p in [product(5, "zebra"), product(3, "apple"), product(9, "zebra"), product(1, "apple")] { try writer.write(p) }
        }
        let stored = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT keyword, product_id FROM product_keywords").map { "\($0[0] as String) \($0[1] as Int64)" }
        }
        #expect(stored == ["apple 3", "apple 1", "zebra 5", "zebra 9"])
    }
}
