import Catalog
import Foundation
import GRDB
@testable import Load
import Testing

/// A product's `first_seen` is the run that first wrote it, its `last_seen` and `last_run` the
/// latest: the writer binds them once per run, not per product.
@Suite struct CatalogSeenTimesTests {
    static func load(_ ids: [Int64], run: String, at seconds: TimeInterval, into path: String) throws {
        let context = RunContext(runID: run, pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: seconds))
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            for id in ids {
                var product = Product(id: id, title: "p\(id)", salePrice: Money(5, .usd))
                product.hits = [KeywordHit(keyword: "lamp", page: 1, rank: Int(id))]
                try writer.write(product)
            }
        }
    }

    @Test func firstSeenStaysAndLastSeenMovesWithEachRun() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        try Self.load([1, 2], run: "a", at: 1_790_000_000, into: path)
        try Self.load([2, 3], run: "b", at: 1_790_086_400, into: path)
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT id, first_seen, last_seen, last_run FROM products ORDER BY id")
                .map { "\($0[0] as Int64) \($0[1] as String) \($0[2] as String) \($0[3] as String)" }
        }
        let a = Timestamp.iso8601(Date(timeIntervalSince1970: 1_790_000_000)), b = Timestamp.iso8601(Date(timeIntervalSince1970: 1_790_086_400))
        #expect(rows == ["1 \(a) \(a) a", "2 \(a) \(b) b", "3 \(b) \(b) b"])
    }
}
