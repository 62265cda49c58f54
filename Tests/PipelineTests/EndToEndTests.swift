import Catalog
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GRDB
import Load
import OpenPlatform
import Pipeline
import Sandbox
import Testing

/// `alifeed run` against a sandbox on a loopback port; outputs compared with what the sandbox's
/// catalog says they must contain.
@Suite struct EndToEndTests {
    static let day = 10

    /// What the run must produce: ids in output order (keyword order, page, rank, duplicates
    /// merged), each with its keywords.
    static func expected(keywords: [String], pages: Int, pageSize: Int) -> [(id: Int64, keywords: [String])] {
        let catalog = SandboxCatalog(seed: 1)
        var order: [Int64] = []
        var words: [Int64: [String]] = [:]
        for keyword in keywords {
            for id in catalog.searchIDs(keywords: keyword).prefix(pages * pageSize) {
                if words[id] == nil { order.append(id) }
                if words[id, default: []].last != keyword { words[id, default: []].append(keyword) }
            }
        }
        return order.map { ($0, words[$0]!) }
    }

    @Test func outputsMatchTheSandboxCatalog() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let keywords = ["wireless earbuds", "bluetooth earbuds", "usb cable"]
        let spec = try testPipeline(directory, keywords: keywords, pages: 2, pageSize: 20)
        let summary = try await PipelineRunner(spec: spec).run()
        let expected = Self.expected(keywords: keywords, pages: 2, pageSize: 20)
        let catalog = SandboxCatalog(seed: 1)

        #expect(summary.products == expected.count)
        #expect(summary.duplicatesMerged == 3 * 40 - expected.count)
        #expect(summary.duplicatesMerged > 0)
        #expect(summary.pages == 6)
        #expect(summary.productsFetched == 120)

        let rows = parseCSV(try String(contentsOfFile: directory.path("t.csv"), encoding: .utf8))
        let header = rows[0]
        let column = { (name: String) in header.firstIndex(of: name)! }
        let body = Array(rows.dropFirst())
        #expect(body.map { Int64($0[column("product_id")])! } == expected.map(\.id))
        var missing = 0
        for (row, want) in zip(body, expected) {
            let product = try #require(catalog.product(id: want.id, day: Self.day))
            // The generic CSV keeps the title but neutralizes a leading formula character (feeds.md §4.1).
            #expect(row[column("title")] == CSVCell.text(product.title, spreadsheetSafe: false))
            #expect(row[column("sale_price")] == DecimalText.format(product.saleUSD, scale: 2))
            #expect(row[column("currency")] == "USD")
            #expect(row[column("keywords")] == want.keywords.joined(separator: "|"))
            let link = row[column("affiliate_url")]
            if product.linkRefused {
                #expect(link.isEmpty)
                missing += 1
            } else {
                #expect(link == catalog.shortLink(trackingID: "alifeed_demo", source: Product.canonicalURL(id: want.id), type: 0))
            }
        }
        #expect(summary.linksMissing == missing)
        #expect(summary.linksGenerated == expected.count - missing)

        // The SQLite catalog holds the same products, prices and keyword hits.
        let db = try DatabaseQueue(path: directory.path("t.sqlite"))
        let stored = try db.read { db in
            try Row.fetchAll(db, sql: "SELECT id, sale_price, currency FROM products ORDER BY id")
        }
        #expect(stored.count == expected.count)
        for row in stored {
            let id: Int64 = row["id"]
            #expect(row["sale_price"] as String == DecimalText.format(catalog.product(id: id, day: Self.day)!.saleUSD, scale: 2))
        }
        let hits = try await db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM product_keywords")! }
        #expect(hits == expected.reduce(0) { $0 + $1.keywords.count })
        let links = try await db.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM affiliate_links")! }
        #expect(links == expected.count - missing)
    }

    @Test func xmlFeedIsWellFormedAndEscaped() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        // Enough products that the sandbox's edge-case titles are among them.
        let spec = try testPipeline(directory, keywords: ["phone case", "led strip", "usb cable", "drone"], pages: 3, pageSize: 50, sinks: ["xml", "csv"])
        let summary = try await PipelineRunner(spec: spec).run()
        let data = try Data(contentsOf: URL(fileURLWithPath: directory.path("t.xml")))
        let collector = TitleCollector()
        let parser = XMLParser(data: data)
        parser.delegate = collector
        #expect(parser.parse(), "XMLParser: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.titles.count == summary.products)
        let rows = parseCSV(try String(contentsOfFile: directory.path("t.csv"), encoding: .utf8)).dropFirst()
        let csvTitles = rows.map { $0[1] }
        #expect(collector.titles.count == csvTitles.count)
        // Against the sandbox's raw titles: XML drops only what XML 1.0 forbids or discourages;
        // the CSV keeps everything but a leading formula character.
        let catalog = SandboxCatalog(seed: 1)
        for (row, (xml, csv)) in zip(rows, zip(collector.titles, csvTitles)) {
            let raw = try #require(catalog.product(id: Int64(row[0])!, day: 10)).title
            let allowed = String(String.UnicodeScalarView(raw.unicodeScalars.filter(XMLFormat.isAllowed)))
            #expect(xml == allowed.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
            #expect(csv == CSVCell.text(raw, spreadsheetSafe: false))
        }
        #expect(csvTitles.contains { $0.contains("<") && $0.contains("&") })
        #expect(csvTitles.contains { $0.contains("\n") })
    }

    @Test func secondRunGivesTheSameFilesAndOneRowPerProduct() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let spec = try testPipeline(directory, keywords: ["yoga mat", "tent"], pages: 2, pageSize: 25)
        let first = try await PipelineRunner(spec: spec).run()
        let csv1 = try String(contentsOfFile: directory.path("t.csv"), encoding: .utf8)
        let xml1 = try String(contentsOfFile: directory.path("t.xml"), encoding: .utf8)
        let second = try await PipelineRunner(spec: spec).run()
        let csv2 = try String(contentsOfFile: directory.path("t.csv"), encoding: .utf8)
        let xml2 = try String(contentsOfFile: directory.path("t.xml"), encoding: .utf8)
        #expect(withoutTimestamps(csv1) == withoutTimestamps(csv2))
        #expect(withoutTimestamps(xml1) == withoutTimestamps(xml2))
        #expect(first.runID != second.runID)
        // The summary says where the run's time went, stage by stage in run order.
        let stages = first.stages.map(\.stage)
        #expect(stages.first == "extract" && stages.last == "load" && stages.contains("index"), "\(stages)")
        #expect(first.stages.allSatisfy { $0.seconds >= 0 } && first.stages.reduce(0) { $0 + $1.seconds } <= first.durationSeconds)
        let db = try DatabaseQueue(path: directory.path("t.sqlite"))
        let (products, runs, history) = try await db.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM products")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM runs WHERE status = 'succeeded'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM price_history")!)
        }
        #expect(products == first.products)
        // The load skips per-row foreign-key checks: every reference must hold all the same.
        let violations = try await db.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
        #expect(violations == 0)
        #expect(runs == 2)
        #expect(history == 2 * first.products)
        #expect(FileManager.default.fileExists(atPath: directory.path("t-summary.json")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func filtersAndNoDedupe() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let spec = try testPipeline(
            directory, keywords: ["wireless earbuds", "bluetooth earbuds"], pages: 1, pageSize: 50,
            transform: "  dedupe: false\n  filters: {min_price: 5, min_rating: 90%}\n  affiliate_links: {enabled: false}",
            sinks: ["csv"])
        let summary = try await PipelineRunner(spec: spec).run()
        let rows = parseCSV(try String(contentsOfFile: directory.path("t.csv"), encoding: .utf8)).dropFirst()
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { Decimal(string: $0[2])! >= 5 && Decimal(string: $0[20])! >= 90 })
        #expect(rows.allSatisfy { $0[6].isEmpty })
        #expect(summary.filteredOut > 0)
        #expect(summary.linksGenerated == 0)
        let ids = rows.map { $0[0] }
        #expect(Set(ids).count < ids.count, "without dedupe a product found under both keywords appears twice")
    }

    /// Filters that keep nothing fail the run with the counts, and publish nothing.
    @Test func filtersThatKeepNothingSayHowManyWereFetched() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let spec = try testPipeline(
            directory, keywords: ["drone"], pages: 1, pageSize: 20,
            transform: "  filters: {min_price: 1000000}\n  affiliate_links: {enabled: false}")
        do {
            _ = try await PipelineRunner(spec: spec).run()
            Issue.record("a run that keeps no product must fail")
        } catch let failure as RunFailure {
            #expect("\(failure)".contains("the run produced no products (20 fetched, 20 filtered out)"), "\(failure)")
        }
        for file in ["t.csv", "t.xml"] { #expect(!FileManager.default.fileExists(atPath: directory.path(file)), "\(file) was published") }
        // The catalog exists for its ledger (the failed run is recorded) but holds no product.
        let products = try await DatabaseQueue(path: directory.path("t.sqlite")).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM products") }
        #expect(products == 0)
    }

    @Test func keywordStopsAtItsLastPageAndNeverAsksPastIt() async throws {
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, day: 10))
        defer { Task { await server.stop() } }
        let directory = try TempDirectory()
        defer { directory.remove() }
        let total = server.gateway.catalog.totalResults(keywords: "ring")
        let spec = try testPipeline(directory, keywords: ["ring"], pages: 50, pageSize: 50, sinks: ["csv"])
        var options = RunOptions()
        options.endpoint = .url(server.url)
        let summary = try await PipelineRunner(spec: spec, options: options).run()
        let pages = (total + 49) / 50
        #expect(summary.pages == pages)
        #expect(summary.products == total)
        #expect(server.gateway.statistics.served[OpenPlatformClient.productQueryMethod] == pages)
    }

    @Test func failedRunLeavesPublishedOutputsUntouched() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let good = try testPipeline(directory, keywords: ["drone"], pages: 1)
        _ = try await PipelineRunner(spec: good).run()
        let before = try ["t.csv", "t.xml"].map { try Data(contentsOf: URL(fileURLWithPath: directory.path($0))) }
        let catalogQuery = "SELECT group_concat(id || ':' || sale_price || ':' || last_run, ',') FROM (SELECT * FROM products ORDER BY id)"
        let catalogBefore = try await DatabaseQueue(path: directory.path("t.sqlite")).read { db in try String.fetchOne(db, sql: catalogQuery) }
        var bad = good
        bad.source.appSecret = Secret("wrong")
        var options = RunOptions()
        let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: 1, day: 10))
        options.endpoint = .url(server.url)
        await #expect(throws: RunFailure.self) { _ = try await PipelineRunner(spec: bad, options: options).run() }
        await server.stop()
        let after = try ["t.csv", "t.xml"].map { try Data(contentsOf: URL(fileURLWithPath: directory.path($0))) }
        #expect(before == after, "published feeds are byte-identical")
        let db = try DatabaseQueue(path: directory.path("t.sqlite"))
        let (catalogAfter, statuses) = try await db.read { db in
            (try String.fetchOne(db, sql: catalogQuery), try String.fetchAll(db, sql: "SELECT status FROM runs ORDER BY started_at"))
        }
        #expect(catalogAfter == catalogBefore, "the catalog's products are untouched")
        #expect(statuses == ["succeeded", "failed"], "the ledger records the failed run")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func dryRunPlansWithoutCalling() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let spec = try testPipeline(directory, keywords: ["a", "b", "c"], pages: 4, pageSize: 50, qps: 2)
        let plan = PipelineRunner(spec: spec).plan
        #expect(plan.maxPages == 12)
        #expect(plan.maxLinkCalls == 12)
        #expect(plan.maxAPICalls == 24)
        #expect(plan.minimumSeconds == 12)
        #expect(plan.description.contains("max API calls   24"))
        #expect(!FileManager.default.fileExists(atPath: directory.path("t.csv")))
    }
}

final class TitleCollector: NSObject, XMLParserDelegate {
    var titles: [String] = []
    private var current: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "title" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "title", let current { titles.append(current) }
        if name == "title" { current = nil }
    }
}
