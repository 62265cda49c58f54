import Foundation
import GRDB
@testable import Load
import Testing

/// The catalog's history grows by a row per product each night, so the queries a run makes
/// over it must read that run's rows and look the rest up by key, never scan the whole history.
@Suite struct PriceHistoryPlanTests {
    static func plan(_ database: CatalogDatabase, _ sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [String] {
        try database.queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)", arguments: StatementArguments(arguments)).map { $0["detail"] }
        }
    }

    @Test(arguments: [PriceWindow.runs(30), .days(14)])
    func priceDropCheckLooksUpHistoryByRun(window: PriceWindow) throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let database = try CatalogDatabase(path: directory.path("c.sqlite"))
        let (filter, arguments) = PriceHistory.window(window, pipeline: "p", runStartedAt: "2026-11-01T00:00:00.000Z")
        let plan = try Self.plan(database, PriceHistory.observationsSQL(window: filter), arguments + ["run"])
        #expect(plan.contains("SEARCH c USING PRIMARY KEY (run_id=?)"), "\(plan)")
        #expect(plan.contains("SEARCH h USING PRIMARY KEY (run_id=? AND product_seq=?)"), "\(plan)")
        #expect(plan.contains("SEARCH a USING PRIMARY KEY (run_id=? AND product_seq=?)"), "\(plan)")
        #expect(plan.contains("SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"), "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN c") || $0.hasPrefix("SCAN h") || $0.hasPrefix("SCAN a") || $0.hasPrefix("SCAN p") }, "\(plan)")
    }

    @Test func productHistoryIsOneLookupPerRun() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let database = try CatalogDatabase(path: directory.path("c.sqlite"))
        let plan = try Self.plan(database, PriceHistory.productHistorySQL, [Int64(1)])
        #expect(plan.contains("SEARCH h USING PRIMARY KEY (run_id=? AND product_seq=?)"), "\(plan)")
        #expect(plan.contains("SEARCH products USING COVERING INDEX sqlite_autoindex_products_1 (id=?)"), "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN h") || $0.hasPrefix("SCAN products") }, "\(plan)")
    }
}
