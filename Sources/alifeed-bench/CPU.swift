import Catalog
import Foundation
import GRDB
import Load
import OpenPlatform
import Pipeline
import Sandbox
import Transform

/// Transform + load from checkpointed pages, no network: a run is prepared (pages fetched and
/// checkpointed), then replayed with each set of sinks. Decoding the raw pages is included.
enum CPUBench {
    static let catalog = "{type: sqlite, path: DIR/cpu.sqlite}"
    static let shopify = "{type: csv, profile: shopify, path: DIR/cpu-shopify.csv}"
    static let google = "{type: xml, profile: google-merchant, path: DIR/cpu-google.xml}"

    /// The replays: a label, the sinks, and whether the catalog from the replay before is kept
    /// (the nightly refresh: the catalog already holds these products).
    static let sinks: [(label: String, sinks: [String], nextNight: Bool)] = [
        ("end to end: sqlite + shopify + google", [catalog, shopify, google], false),
        ("sqlite sink alone", [catalog], false),
        ("shopify csv alone", [shopify], false),
        ("google merchant xml alone", [google], false),
        ("end to end, next night: sqlite + shopify + google", [catalog, shopify, google], true),
    ]

    /// `sinkSets` picks which replays to run (indexes into `sinks`), for profiling one of them.
    static func run(products target: Int, work: URL, sinkSets: [Int]? = nil, keep: String? = nil, repeats: Int = 3) async throws -> [Figure] {
        var configuration = SandboxConfiguration(seed: 1, day: 10)
        configuration.resultRange = 2_500...2_500
        configuration.poolSize = 20_000
        let server = try await SandboxServer.start(configuration: configuration)
        let pages = 50
        let keywords = Array(benchKeywords.prefix(max(1, target / (pages * 50))))
        let stateDirectory = work.appendingPathComponent("cpu-state")
        func spec(_ sinks: [String]) throws -> PipelineSpec {
            try benchSpec(name: "cpu", keywords: keywords, pages: pages, qps: 1000, inFlight: 8, links: false, sinks: sinks, work: work)
        }
        // Prepare: fetch and checkpoint every page, publish nothing. With `keep`, a prepared state
        // from an earlier bench run of the same size is reused (for profiling the replays alone).
        let saved = keep.map { URL(fileURLWithPath: $0).appendingPathComponent("cpu-state-\(target)") } ?? work.appendingPathComponent("cpu-state-saved")
        if keep == nil || !FileManager.default.fileExists(atPath: saved.path) {
            var prepare = RunOptions()
            prepare.endpoint = .url(server.url)
            prepare.stateDirectory = stateDirectory.path
            prepare.stopAfterExtract = true
            do {
                _ = try await PipelineRunner(spec: try spec(sinks[0].sinks), options: prepare).run()
            } catch is RunInterrupted {}
            try? FileManager.default.removeItem(at: saved)
            try FileManager.default.createDirectory(at: saved.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: stateDirectory, to: saved)
        }
        await server.stop()

        var figures: [Figure] = []
        var sqliteRate = 0.0
        var rows = 0
        func replay(_ sinkList: [String], keepingCatalog: Bool) async throws -> (RunSummary, seconds: Double, cpuSeconds: Double) {
            try? FileManager.default.removeItem(at: stateDirectory)
            try FileManager.default.copyItem(at: saved, to: stateDirectory)
            if !keepingCatalog {
                for file in ["cpu.sqlite", "cpu.sqlite-wal", "cpu.sqlite-shm"] { try? FileManager.default.removeItem(at: work.appendingPathComponent(file)) }
            }
            var replay = RunOptions()
            // Nothing is fetched: every page comes from the checkpoint and links are off.
            replay.endpoint = .url(URL(string: "http://127.0.0.1:9")!)
            replay.stateDirectory = stateDirectory.path
            let wall = Clock.now(), cpu = Clock.cpu()
            let summary = try await PipelineRunner(spec: try spec(sinkList), options: replay).run()
            return (summary, Clock.now() - wall, Clock.cpu() - cpu)
        }
        // Each replay `repeats` times, taking turns (the machine drifts: a replay's runs are
        // spread over the whole figure, not bunched together); each figure is the median run.
        var runs: [Int: [(summary: RunSummary, seconds: Double, cpuSeconds: Double)]] = [:]
        for _ in 0..<repeats {
            for (offset, (_, sinkList, nextNight)) in sinks.enumerated() where sinkSets?.contains(offset) ?? true {
                if nextNight { _ = try await replay(sinkList, keepingCatalog: false) }  // the night before, not timed
                let run = try await replay(sinkList, keepingCatalog: nextNight)
                precondition(run.0.pagesFromCheckpoint == run.0.pages, "the replay fetched pages")
                runs[offset, default: []].append((run.0, run.seconds, run.cpuSeconds))
            }
        }
        for (offset, (label, _, nextNight)) in sinks.enumerated() {
            guard let all = runs[offset] else { continue }
            let byRate = all.sorted { $0.seconds > $1.seconds }
            let (summary, seconds, cpuSeconds) = byRate[byRate.count / 2]
            rows = summary.productsFetched
            let rate = Double(summary.productsFetched) / seconds
            if label == "sqlite sink alone" { sqliteRate = rate }
            let isEndToEnd = label.hasPrefix("end to end") && !nextNight
            let spread = all.count > 1
                ? " (median of \(all.count) runs: " + all.map { String(format: "%.0f", Double($0.summary.productsFetched) / $0.seconds) }.joined(separator: ", ") + ")"
                : ""
            figures.append(Figure(
                name: "products/s, \(label)", value: rate, unit: "/s", target: isEndToEnd ? "≥ 100000" : nil,
                met: isEndToEnd ? rate >= 100_000 : nil,
                detail: String(format: "%d rows (%d distinct) in %.2f s wall, %.2f s CPU (%.0f per CPU-second)",
                               summary.productsFetched, summary.products, seconds, cpuSeconds, Double(summary.productsFetched) / cpuSeconds)
                    + spread + "; "
                    + summary.stages.map { String(format: "%@ %.2f s", $0.stage, $0.seconds) }.joined(separator: ", ")))
        }
        if sinkSets != nil { return figures }
        // Decoding alone, and the bare insert loop the SQLite sink is held against.
        let (decodeRate, products) = try decode(statePath: stateDirectory.appendingPathComponent("cpu.pages.sqlite").path, restoreFrom: saved)
        figures.append(Figure(name: "products/s, decoding pages (JSONDecoder)", value: decodeRate, unit: "/s", target: nil, met: nil,
                              detail: "EnvelopeDecoder + WireProduct over the checkpointed bodies (before)"))
        let fastRate = try fastDecode(statePath: stateDirectory.appendingPathComponent("cpu.pages.sqlite").path)
        figures.append(Figure(name: "products/s, decoding pages (fast decoder)", value: fastRate, unit: "/s", target: nil, met: nil,
                              detail: "FastProductDecoder, what the pipeline uses now"))
        // Each writer alone on one thread, over products already in memory: what a sink's rows
        // cost without decoding or threads.
        figures += try writerFigures(products: products, work: work, only: nil)
        let baseline = try bareInsert(products, path: work.appendingPathComponent("baseline.sqlite").path)
        figures.append(Figure(name: "rows/s, bare prepared-statement inserts", value: baseline, unit: "/s", target: nil, met: nil,
                              detail: "products + keyword + price rows, one transaction, no decoding"))
        let factor = baseline / sqliteRate
        figures.append(Figure(name: "sqlite sink vs bare inserts (slower by)", value: factor, unit: "×", target: "≤ 3", met: factor <= 3,
                              detail: String(format: "sink run %.0f/s (decoding included) vs %.0f/s; %d rows", sqliteRate, baseline, rows)))
        return figures
    }

    /// The writer figures alone, from pages an earlier `--only cpu --keep DIR` prepared.
    static func writers(products target: Int, work: URL, keep: String?, only: String? = nil) throws -> [Figure] {
        guard let keep else { throw BenchError(message: "--only writers needs --keep DIR (prepared by --only cpu --keep DIR)") }
        let saved = URL(fileURLWithPath: keep).appendingPathComponent("cpu-state-\(target)")
        let restored = work.appendingPathComponent("cpu-state")
        let (_, products) = try decode(statePath: restored.appendingPathComponent("cpu.pages.sqlite").path, restoreFrom: saved)
        return try writerFigures(products: products, work: work, only: only)
    }

    /// The feed writers (or the one `only` names) and the catalog writer (or `only: "sqlite"`).
    static func writerFigures(products: [Product], work: URL, only: String?) throws -> [Figure] {
        if only == "sqlite" { return try catalogWriterFigures(products: products, work: work) }
        var figures = try writerSinks(work: work).filter { only == nil || $0.0.hasPrefix(only!) }.map { label, sink in
            Figure(name: "products/s, \(label) writer alone", value: try writerRate(sink, products: products), unit: "/s", target: nil, met: nil,
                   detail: "rows built and written on one thread from \(products.count) products in memory, best of 3")
        }
        if only == nil { figures += try catalogWriterFigures(products: products, work: work) }
        return figures
    }

    /// The catalog writer alone over products in memory, commit included: a new catalog (a first
    /// run), then the same products again as the next night's run updating it.
    static func catalogWriterFigures(products: [Product], work: URL) throws -> [Figure] {
        var best = (first: 0.0, next: 0.0), bestCPU = (first: 0.0, next: 0.0)
        for attempt in 0..<3 {
            let path = work.appendingPathComponent("writer-\(attempt).sqlite").path
            for night in 0..<2 {
                let start = Clock.now(), cpu = Clock.cpu()
                let context = RunContext(runID: "bench-\(night)", pipeline: "bench", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000 + 86_400 * Double(night)))
                try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
                    for product in products { try writer.write(product) }
                }
                let rate = Double(products.count) / (Clock.now() - start), cpuRate = Double(products.count) / (Clock.cpu() - cpu)
                if night == 0 { best.first = max(best.first, rate); bestCPU.first = max(bestCPU.first, cpuRate) }
                else { best.next = max(best.next, rate); bestCPU.next = max(bestCPU.next, cpuRate) }
            }
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        return [
            Figure(name: "products/s, sqlite writer alone, new catalog", value: best.first, unit: "/s", target: nil, met: nil,
                   detail: String(format: "a first run from %d products in memory, commit included, best of 3 (%.0f per CPU-second)", products.count, bestCPU.first)),
            Figure(name: "products/s, sqlite writer alone, next run", value: best.next, unit: "/s", target: nil, met: nil,
                   detail: String(format: "the same products again, updating that catalog, best of 3 (%.0f per CPU-second)", bestCPU.next)),
        ]
    }

    struct BenchError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func writerSinks(work: URL) -> [(String, any Sink)] {
        [
            ("shopify csv", StorefrontCSVSink(url: work.appendingPathComponent("writer-shopify.csv"), profile: .shopify)),
            ("google merchant xml", MerchantFeedSink(url: work.appendingPathComponent("writer-google.xml"), profile: .googleMerchant)),
        ]
    }

    /// Products per second of one writer over `products`, best of 3; nothing is published.
    static func writerRate(_ sink: any Sink, products: [Product]) throws -> Double {
        var best = 0.0
        for _ in 0..<3 {
            let writer = try sink.open(context: RunContext(runID: "bench", pipeline: "bench", specHash: "", startedAt: Date()))
            let start = Clock.now()
            for product in products { try writer.write(product) }
            best = max(best, Double(products.count) / (Clock.now() - start))
            writer.discard()
        }
        return best
    }

    static func decode(statePath: String, restoreFrom saved: URL) throws -> (Double, [Product]) {
        let restored = URL(fileURLWithPath: statePath).deletingLastPathComponent()
        try? FileManager.default.removeItem(at: restored)
        try FileManager.default.copyItem(at: saved, to: restored)
        let queue = try DatabaseQueue(path: statePath)
        let bodies = try queue.read { db in try Row.fetchAll(db, sql: "SELECT keyword, page_no, body FROM pages ORDER BY keyword_index, page_no") }
            .map { ($0["keyword"] as String, $0["page_no"] as Int, $0["body"] as Data) }
        let start = Clock.now()
        var count = 0
        var assembler = CatalogAssembler()
        var decodeTime = 0.0
        for (keyword, page, body) in bodies {
            let t = Clock.now()
            guard case .success(let business) = try EnvelopeDecoder.decode(WireProductResult.self, method: OpenPlatformClient.productQueryMethod, from: body)
            else { continue }
            decodeTime += Clock.now() - t
            let products = business.result?.products ?? []
            count += products.count
            assembler.add(page: products, keyword: keyword, pageNo: page)
        }
        _ = start
        return (Double(count) / decodeTime, assembler.products)
    }

    static func fastDecode(statePath: String) throws -> Double {
        let queue = try DatabaseQueue(path: statePath)
        let bodies = try queue.read { db in try Data.fetchAll(db, sql: "SELECT body FROM pages ORDER BY keyword_index, page_no") }
        let start = Clock.now()
        var count = 0
        for body in bodies { count += FastProductDecoder.decode(body, method: OpenPlatformClient.productQueryMethod)?.products.count ?? 0 }
        return Double(count) / (Clock.now() - start)
    }

    static func bareInsert(_ products: [Product], path: String) throws -> Double {
        try? FileManager.default.removeItem(atPath: path)
        let queue = try DatabaseQueue(path: path)
        // The catalog's page size, load cache, keyed tables and products in arrival order with a
        // unique id, so the baseline is held to the same file layout.
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA page_size = \(CatalogDatabase.pageSize)")
            try db.execute(sql: "PRAGMA cache_size = -\(CatalogDatabase.loadCacheKiB)")
        }
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE products (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL UNIQUE, title TEXT, detail_url TEXT,
                    sale_price TEXT, original_price TEXT, currency TEXT, main_image TEXT, category_id INTEGER, shop_id INTEGER,
                    commission_rate TEXT, rating_percent TEXT, volume_30d INTEGER, first_seen TEXT, last_seen TEXT) STRICT;
                CREATE TABLE product_keywords (product_seq INTEGER, product_id INTEGER, keyword TEXT,
                    PRIMARY KEY (keyword, product_seq)) STRICT, WITHOUT ROWID;
                CREATE TABLE price_history (product_seq INTEGER, product_id INTEGER, run_id TEXT, sale_price TEXT,
                    PRIMARY KEY (run_id, product_seq)) STRICT, WITHOUT ROWID;
                """)
        }
        let start = Clock.now()
        try queue.write { db in
            let product = try db.makeStatement(sql: "INSERT INTO products VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            let keyword = try db.makeStatement(sql: "INSERT INTO product_keywords VALUES (?, ?, ?)")
            let price = try db.makeStatement(sql: "INSERT INTO price_history VALUES (?, ?, ?, ?)")
            for (index, p) in products.enumerated() {
                let sale = p.salePrice.formatted()
                let seq = index + 1
                try product.execute(arguments: [
                    seq, p.id, p.title, p.detailURL, sale, p.originalPrice?.formatted(), p.salePrice.currency.rawValue, p.images.main,
                    p.categories.first?.id, p.shop?.id, p.commission.rate.map { "\($0.points)" }, p.rating.map { "\($0.points)" },
                    p.volume30d, "t", "t",
                ])
                for k in p.keywords { try keyword.execute(arguments: [seq, p.id, k]) }
                try price.execute(arguments: [seq, p.id, "r", sale])
            }
        }
        return Double(products.count) / (Clock.now() - start)
    }
}
