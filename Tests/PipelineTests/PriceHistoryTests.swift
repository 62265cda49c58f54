import Catalog
import Foundation
import GRDB
import Load
import OpenPlatform
import Pipeline
import Sandbox
import Testing

/// The same pipeline on several sandbox days: history rows, drops found and not found, and the
/// alerts files, all checked against the sandbox's own price model.
@Suite struct PriceHistoryTests {
    static let keywords = ["smart watch", "drone", "led strip"]

    static func spec(_ directory: TempDirectory, day: Int, keywords: [String] = keywords, extra: String = "") throws -> PipelineSpec {
        try testPipeline(
            directory, name: "watch", keywords: keywords, pages: 1, pageSize: 50,
            extra: extra + "\nalerts:\n  price_drop: {threshold: 10%, window: 4 runs, min_observations: 3}", qps: 500, day: day,
            load: "  - {type: sqlite, path: \(directory.path("watch.sqlite"))}\n  - {type: xml, profile: google-merchant, path: \(directory.path("google.xml"))}")
    }

    @Test func historyAndDropsFollowTheSandboxPriceModel() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let catalog = SandboxCatalog(seed: 1)
        let days = Array(1...9)
        var summaries: [RunSummary] = []
        for day in days { summaries.append(try await PipelineRunner(spec: try Self.spec(directory, day: day)).run()) }

        let ids = Set(Self.keywords.flatMap { catalog.searchIDs(keywords: $0).prefix(50) })
        let db = try DatabaseQueue(path: directory.path("watch.sqlite"))
        let rows = try db.read { db in
            try Row.fetchAll(db, sql: """
                SELECT h.product_id, h.sale_price, r.started_at FROM price_history h JOIN runs r ON r.id = h.run_id ORDER BY r.started_at
                """)
        }
        #expect(rows.count == ids.count * days.count, "one history row per product per run")
        // Each run's rows carry that day's sandbox price.
        var byRun: [String: Int] = [:]
        for row in rows { byRun[row["started_at"], default: 0] += 1 }
        #expect(byRun.count == days.count)
        let runStarts = byRun.keys.sorted()
        for row in rows {
            let day = days[runStarts.firstIndex(of: row["started_at"] as String)!]
            let expected = catalog.product(id: row["product_id"], day: day)!.saleUSD
            #expect(row["sale_price"] as String == DecimalText.format(expected, scale: 2))
        }

        // Expected alerts from the model alone: the last 4 earlier days are the window.
        let last = days.last!
        var expected: [Int64: Decimal] = [:]
        var movedButNotEnough = 0
        for id in ids {
            let current = catalog.product(id: id, day: last)!.saleUSD
            let earlier = (last - 4..<last).map { catalog.product(id: id, day: $0)!.saleUSD }
            let average = earlier.reduce(0, +) / Decimal(earlier.count)
            let drop = (average - current) / average
            if drop > Decimal(string: "0.10")! { expected[id] = DecimalText.round(drop * 100, scale: 2) }
            else if drop > 0 { movedButNotEnough += 1 }
        }
        #expect(!expected.isEmpty, "the sandbox model has drops on day \(last)")
        #expect(movedButNotEnough > 0, "some prices fell without crossing the threshold, and must not be alerted")
        #expect(summaries.last?.priceDrops == expected.count)
        #expect(summaries.prefix(3).allSatisfy { $0.priceDrops == 0 }, "fewer than 3 earlier observations: no alerts")

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.path("watch-price-drops.json")))) as! [String: Any]
        let alerts = json["alerts"] as! [[String: Any]]
        let alerted = Dictionary(uniqueKeysWithValues: alerts.map { ($0["product_id"] as! Int64, Decimal(string: $0["drop_percent"] as! String)!) })
        #expect(alerted == expected)
        #expect(json["window"] as? String == "4 runs")
        let csv = parseCSV(try String(contentsOfFile: directory.path("watch-price-drops.csv"), encoding: .utf8))
        #expect(csv[0] == AlertFiles.header)
        #expect(Set(csv.dropFirst().map { Int64($0[0])! }) == Set(expected.keys))
        // Sorted by the size of the drop.
        let percents = alerts.map { Decimal(string: $0["drop_percent"] as! String)! }
        #expect(percents == percents.sorted(by: >))

        let stored = try await db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM price_alerts")! }
        #expect(stored == summaries.compactMap(\.priceDrops).reduce(0, +))

        // The report shows the drops with a chart each, and needs nothing from the network.
        let report = try String(contentsOfFile: directory.path("watch-report.html"), encoding: .utf8)
        #expect(report.components(separatedBy: "<svg").count - 1 == min(expected.count, 20))
        #expect(report.contains("<polyline"))
        for forbidden in ["<script", "<link", "src=", "@import", "url(", "<iframe"] { #expect(!report.contains(forbidden)) }
        #expect(report.contains("price drops") || report.contains("Price drops"))
    }

    @Test func daysWindowUsesObservationTime() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let database = try CatalogDatabase(path: directory.path("c.sqlite"))
        let base = Date(timeIntervalSince1970: 1_790_000_000)
        try database.queue.write { db in
            func run(_ id: String, _ at: Date) throws {
                try db.execute(sql: "INSERT INTO runs (id, pipeline, spec_hash, status, started_at) VALUES (?, 'p', 'h', 'succeeded', ?)",
                               arguments: [id, Timestamp.iso8601(at)])
            }
            try db.execute(sql: """
                INSERT INTO runs (id, pipeline, spec_hash, status, started_at) VALUES ('r0', 'p', 'h', 'succeeded', ?)
                """, arguments: [Timestamp.iso8601(base)])
            try db.execute(sql: """
                INSERT INTO products (id, title, detail_url, sale_price, currency, first_seen, last_seen, last_run)
                VALUES (1, 'A', 'u', '8.00', 'USD', 'x', 'x', 'r0')
                """)
            // Old expensive observations (40 days ago) fall outside a 30-day window.
            let prices: [(String, Double, String)] = [("a", -40, "20.00"), ("b", -41, "20.00"), ("c", -3, "10.00"), ("d", -2, "10.00"), ("e", -1, "10.00")]
            for (id, offset, price) in prices {
                let at = base.addingTimeInterval(offset * 86_400)
                try run(id, at)
                try db.execute(sql: "INSERT INTO price_history VALUES (1, 1, ?, ?, ?, NULL, 'USD')", arguments: [id, Timestamp.iso8601(at), price])
            }
            try db.execute(sql: "INSERT INTO price_history VALUES (1, 1, 'r0', ?, '8.00', NULL, 'USD')", arguments: [Timestamp.iso8601(base)])
        }
        let history = PriceHistory(database: database)
        let thirty = try history.drops(rule: PriceDropRule(threshold: Decimal(string: "0.1")!, window: .days(30), minimumObservations: 3), runID: "r0")
        #expect(thirty.map(\.observations) == [3])
        #expect(thirty.first?.averagePrice == 10)
        #expect(thirty.first?.dropPercent == 20)
        let sixty = try history.drops(rule: PriceDropRule(threshold: Decimal(string: "0.1")!, window: .days(60), minimumObservations: 3), runID: "r0")
        #expect(sixty.first?.observations == 5)
        #expect(sixty.first?.averagePrice == 14)
        let strict = try history.drops(rule: PriceDropRule(threshold: Decimal(string: "0.25")!, window: .days(30), minimumObservations: 3), runID: "r0")
        #expect(strict.isEmpty, "a 20 % drop is not above a 25 % threshold")
    }

    @Test func disappearedProductsAreKeptAsOutOfStockOrDropped() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let catalog = SandboxCatalog(seed: 1)
        _ = try await PipelineRunner(spec: try Self.spec(directory, day: 1)).run()
        let gone = Set(catalog.searchIDs(keywords: "led strip").prefix(50)).subtracting(
            ["smart watch", "drone"].flatMap { catalog.searchIDs(keywords: $0).prefix(50) })
        #expect(!gone.isEmpty)

        // Out of stock: the feed keeps them; the catalog keeps them, marked.
        let keep = try Self.spec(directory, day: 2, keywords: ["smart watch", "drone"], extra: "transform: {missing_products: out_of_stock}")
        let kept = try await PipelineRunner(spec: keep).run()
        let feed = try MerchantItems.read(URL(fileURLWithPath: directory.path("google.xml")))
        let outOfStock = Set(feed.items.filter { $0["g:availability"] == ["out_of_stock"] }.compactMap { $0["g:id"]?.first })
        #expect(outOfStock == Set(gone.map { "AE-\($0)" }))
        #expect(kept.products == feed.items.count)
        let db = try DatabaseQueue(path: directory.path("watch.sqlite"))
        let (unseen, marked, total) = try await db.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM products WHERE seen_in_last_run = 0")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM products WHERE availability = 'out_of_stock'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM products")!)
        }
        #expect(unseen == gone.count)
        #expect(marked == gone.count)
        #expect(total == feed.items.count, "nothing was deleted")

        // Drop: the feed leaves them out; the catalog still has them.
        let drop = try Self.spec(directory, day: 3, keywords: ["smart watch", "drone"])
        _ = try await PipelineRunner(spec: drop).run()
        let dropped = try MerchantItems.read(URL(fileURLWithPath: directory.path("google.xml")))
        #expect(dropped.items.allSatisfy { $0["g:availability"] == ["in_stock"] })
        #expect(dropped.items.count == total - gone.count)
        let still = try await db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products")! }
        #expect(still == total)
        let violations = try await db.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
        #expect(violations == 0, "every keyword, price and link row refers to a product and a run")
    }

    @Test func failedRunIsRecordedInTheLedger() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        var spec = try Self.spec(directory, day: 1)
        spec.source.appSecret = Secret("wrong")
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, day: 1))
        var options = RunOptions()
        options.endpoint = .url(server.url)
        await #expect(throws: RunFailure.self) { _ = try await PipelineRunner(spec: spec, options: options).run() }
        await server.stop()
        let db = try DatabaseQueue(path: directory.path("watch.sqlite"))
        let row = try db.read { db in try Row.fetchOne(db, sql: "SELECT status, error FROM runs") }
        #expect(row?["status"] as String? == "failed")
        #expect((row?["error"] as String?)?.contains("IncompleteSignature") == true)
        #expect((row?["error"] as String?)?.contains("wrong") == false, "the secret is not in the ledger")
    }
}

@Suite struct MigrationTests {
    @Test func firstVersionCatalogIsUpgradedKeepingItsData() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("old.sqlite")
        try CatalogDatabase.createAtVersion("v1", path: path)
        let old = try DatabaseQueue(path: path)
        try old.write { db in
            try db.execute(sql: "INSERT INTO runs (id, pipeline, spec_hash, status, started_at) VALUES ('r1', 'p', 'h', 'succeeded', '2026-01-01T00:00:00.000Z')")
            try db.execute(sql: """
                INSERT INTO products (id, title, detail_url, sale_price, currency, first_seen, last_seen, last_run)
                VALUES (42, 'Old product', 'https://www.aliexpress.com/item/42.html', '9.99', 'USD', '2026-01-01', '2026-01-01', 'r1'),
                       (7, 'Later product', 'https://www.aliexpress.com/item/7.html', '5.00', 'USD', '2026-01-02', '2026-01-02', 'r1')
                """)
            try db.execute(sql: "INSERT INTO price_history VALUES (42, 'r1', '2026-01-01T00:00:00.000Z', '9.99', NULL, 'USD')")
            try db.execute(sql: "INSERT INTO product_keywords VALUES (42, 'old keyword', '2026-01-01', '2026-01-01', 1, 3)")
            try db.execute(sql: "INSERT INTO affiliate_links VALUES (42, 'r1', 'https://s.click.aliexpress.com/e/_old', 'tid', 0, '2026-01-01T00:00:00.000Z')")
        }
        let columnsBefore = try old.read { db in try db.columns(in: "runs").map(\.name) }
        #expect(!columnsBefore.contains("error"))
        try old.close()

        let upgraded = try CatalogDatabase(path: path)
        #expect(try upgraded.appliedVersions() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"])
        #expect(CatalogDatabase.schemaVersion == 8)
        let (title, availability, runColumns, alertsTable, journal, historyIndexes) = try upgraded.queue.read { db in
            (try String.fetchOne(db, sql: "SELECT title FROM products WHERE id = 42"),
             try String.fetchOne(db, sql: "SELECT availability FROM products WHERE id = 42"),
             try db.columns(in: "runs").map(\.name), try db.tableExists("price_alerts"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'price_history'"))
        }
        #expect(historyIndexes == [], "v3 dropped the redundant history index; v4 keys the table itself (WITHOUT ROWID)")
        let (keyed, keywordIndexes) = try upgraded.queue.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%WITHOUT ROWID' ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'product_keywords'"))
        }
        #expect(keyed == ["affiliate_links", "price_history", "product_keywords"])
        #expect(keywordIndexes == [], "v8: keyed by keyword first, no second index")
        let productIndexes = try upgraded.queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'products' AND sql IS NOT NULL")
        }
        #expect(productIndexes == ["products_unseen"], "only the products a run did not see are indexed")
        // v5: products in arrival order (first seen first), found by a unique index on the id.
        let (arrivalOrder, idIsRowid, uniqueIDIndex) = try upgraded.queue.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM products ORDER BY rowid"),
             try Int.fetchOne(db, sql: "SELECT pk FROM pragma_table_info('products') WHERE name = 'id'") == 1,
             try Row.fetchAll(db, sql: "SELECT il.\"unique\" AS u, ii.name AS column FROM pragma_index_list('products') il JOIN pragma_index_info(il.name) ii")
                .contains { ($0["u"] as Int?) == 1 && ($0["column"] as String?) == "id" })
        }
        #expect(arrivalOrder == [42, 7])
        #expect(!idIsRowid)
        #expect(uniqueIDIndex)
        let (keywordRow, linkURL) = try upgraded.queue.read { db in
            (try Row.fetchOne(db, sql: "SELECT keyword, last_rank FROM product_keywords WHERE product_id = 42"),
             try String.fetchOne(db, sql: "SELECT url FROM affiliate_links WHERE product_id = 42 AND run_id = 'r1'"))
        }
        // v6: history and links keyed by run first; v7: by the product's arrival number, not its
        // id; v8: keyword hits by keyword, then arrival number.
        let keys = try upgraded.queue.read { db in
            try ["price_history", "affiliate_links", "product_keywords"].map { table in
                try String.fetchAll(db, sql: """
                    SELECT ii.name FROM pragma_index_list(?) il JOIN pragma_index_info(il.name) ii
                    WHERE il.origin = 'pk' ORDER BY ii.seqno
                    """, arguments: [table])
            }
        }
        #expect(keys == [["run_id", "product_seq"], ["run_id", "product_seq"], ["keyword", "product_seq"]])
        let (sequence, rowSeqs) = try upgraded.queue.read { db in
            (try Row.fetchAll(db, sql: "SELECT seq, id FROM products ORDER BY seq").map { [$0["seq"] as Int64, $0["id"] as Int64] },
             try ["price_history", "affiliate_links", "product_keywords"].map { table in
                 try Int64.fetchAll(db, sql: "SELECT product_seq FROM \(table) WHERE product_id = 42")
             })
        }
        #expect(sequence == [[1, 42], [2, 7]], "seq numbers the products in the order they arrived")
        #expect(rowSeqs == [[1], [1], [1]])
        #expect(keywordRow?["keyword"] as String? == "old keyword")
        #expect(keywordRow?["last_rank"] as Int? == 3)
        #expect(linkURL == "https://s.click.aliexpress.com/e/_old")
        #expect(try upgraded.queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        #expect(title == "Old product")
        #expect(availability == "in_stock")
        #expect(runColumns.contains("error"))
        #expect(alertsTable)
        #expect(journal == "wal")
        #expect(try PriceHistory(database: upgraded).history(productID: 42).map(\.salePrice) == [Decimal(string: "9.99")!])
    }

    @Test func newerCatalogIsRefusedClearly() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("new.sqlite")
        _ = try CatalogDatabase(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v3-from-the-future')") }
        try queue.close()
        do {
            _ = try CatalogDatabase(path: path)
            Issue.record("a catalog from a newer alifeed was opened")
        } catch let error as LoadError {
            #expect("\(error)".contains("newer than this alifeed supports"))
            #expect("\(error)".contains("upgrade alifeed"))
        }
    }

    @Test func tablesAreStrictWithForeignKeys() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let database = try CatalogDatabase(path: directory.path("c.sqlite"))
        let (definitions, foreignKeys) = try database.queue.read { db in
            (try ["runs", "products", "product_keywords", "price_history", "affiliate_links", "keyword_stats", "price_alerts"].map {
                ($0, try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [$0]) ?? "")
            }, try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        for (table, sql) in definitions { #expect(sql.contains("STRICT"), "\(table) is STRICT") }
        #expect(foreignKeys == 1)
        // A full row, so only the foreign keys (no such product, no such run) can reject it.
        let error = #expect(throws: DatabaseError.self) {
            try database.queue.write { db in
                try db.execute(sql: "INSERT INTO price_history VALUES (999, 999, 'no-run', 'x', '1.00', NULL, 'USD')")
            }
        }
        #expect(error?.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY)
    }
}
