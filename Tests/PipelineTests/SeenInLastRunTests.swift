import Catalog
import Foundation
import GRDB
@testable import Load
import Testing

/// `products.seen_in_last_run` says which products the latest run found, whether the run id is
/// new (only the products it did not see are reset) or one the catalog has seen before.
@Suite struct SeenInLastRunTests {
    static func products(_ ids: ClosedRange<Int64>) -> [Product] {
        ids.map { id in
            var product = Product(id: id, title: "p\(id)", detailURL: "https://www.aliexpress.com/item/\(id).html", salePrice: Money(1, .usd))
            product.hits = [KeywordHit(keyword: "k", page: 1, rank: Int(id))]
            return product
        }
    }

    static func load(_ ids: ClosedRange<Int64>, run: String, into path: String) throws {
        let context = RunContext(runID: run, pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            for product in products(ids) { try writer.write(product) }
        }
    }

    static func seen(_ path: String) throws -> [Int64] {
        try DatabaseQueue(path: path).read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM products WHERE seen_in_last_run = 1 ORDER BY id")
        }
    }

    @Test func onlyTheLatestRunsProductsAreSeen() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        try Self.load(1...5, run: "a", into: path)
        #expect(try Self.seen(path) == [1, 2, 3, 4, 5])
        try Self.load(2...3, run: "b", into: path)
        #expect(try Self.seen(path) == [2, 3])
        // The same run id again (a repeated run): product 3 carries it from before but was not seen now.
        try Self.load(2...2, run: "b", into: path)
        #expect(try Self.seen(path) == [2])
        try Self.load(4...5, run: "c", into: path)
        #expect(try Self.seen(path) == [4, 5])
        let foreignKeys = try DatabaseQueue(path: path).read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(foreignKeys.isEmpty)
    }

    /// A first run into an empty catalog has nothing to reset; the next run does.
    @Test func aFirstRunIntoAnEmptyCatalogSkipsTheReset() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        let context = RunContext(runID: "a", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            #expect(!writer.resetsUnseenAtFinish, "the catalog had no products")
            for product in Self.products(1...4) { try writer.write(product) }
        }
        #expect(try Self.seen(path) == [1, 2, 3, 4])
        let next = RunContext(runID: "b", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_086_400))
        try SQLiteCatalogSink(path: path).withTransaction(context: next) { writer in
            #expect(writer.resetsUnseenAtFinish)
            for product in Self.products(3...3) { try writer.write(product) }
        }
        #expect(try Self.seen(path) == [3])
    }

    /// The runner opens a run's ledger row before fetching: a new run still resets only the
    /// products it did not see, at the end; a run id that already loaded products resets up front.
    @Test func aRunOpenedInTheLedgerResetsAtTheEnd() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        try Self.load(1...3, run: "a", into: path)
        let started = Date(timeIntervalSince1970: 1_790_000_000)
        try CatalogDatabase(path: path).beginRun(id: "b", pipeline: "t", specHash: "", startedAt: started, keywords: 1)
        let context = RunContext(runID: "b", pipeline: "t", specHash: "", startedAt: started)
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            #expect(writer.resetsUnseenAtFinish, "a new run id, though its ledger row exists")
            for product in Self.products(2...2) { try writer.write(product) }
        }
        #expect(try Self.seen(path) == [2])
        try CatalogDatabase(path: path).beginRun(id: "b", pipeline: "t", specHash: "", startedAt: started, keywords: 1)
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            #expect(!writer.resetsUnseenAtFinish, "run b already loaded products")
        }
    }
}
