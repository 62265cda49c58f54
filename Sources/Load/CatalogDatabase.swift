public import Foundation
public import Catalog
public import GRDB

/// The SQLite catalog: products (current state), keyword hits, price history, affiliate links,
/// the run ledger and keyword stats. Versioned with migrations; WAL, foreign keys, STRICT tables.
public final class CatalogDatabase {
    public let path: String
    public let queue: DatabaseQueue

    /// The newest schema version this build knows.
    public static var schemaVersion: Int { migrations.count }

    /// Opens (creating if needed) and upgrades the catalog; refuses a catalog from a newer alifeed.
    public init(path: String) throws {
        self.path = path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            let applied = try queue.read { db in try Self.migrator.appliedIdentifiers(db) }
            let known = Set(Self.migrations.map(\.0))
            if applied.contains(where: { !known.contains($0) }) {
                throw LoadError.newerSchema(path: path, found: applied.count, supported: Self.schemaVersion)
            }
            try Self.migrator.migrate(queue)
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError.database(path: path, reason: "\(error)")
        }
    }

    static let migrations: [(String, @Sendable (Database) throws -> Void)] = [
        ("v1", { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    pipeline TEXT NOT NULL,
                    spec_hash TEXT NOT NULL,
                    status TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    finished_at TEXT,
                    keywords INTEGER NOT NULL DEFAULT 0,
                    pages INTEGER NOT NULL DEFAULT 0,
                    api_calls INTEGER NOT NULL DEFAULT 0,
                    products INTEGER NOT NULL DEFAULT 0,
                    summary_json TEXT
                ) STRICT;
                CREATE TABLE products (
                    id INTEGER PRIMARY KEY NOT NULL,
                    sku_id INTEGER,
                    title TEXT NOT NULL,
                    detail_url TEXT NOT NULL,
                    sale_price TEXT NOT NULL,
                    original_price TEXT,
                    currency TEXT NOT NULL,
                    discount_percent TEXT,
                    main_image TEXT,
                    gallery_json TEXT NOT NULL DEFAULT '[]',
                    video_url TEXT,
                    category_id INTEGER,
                    category_name TEXT,
                    subcategory_id INTEGER,
                    subcategory_name TEXT,
                    shop_id INTEGER,
                    shop_name TEXT,
                    shop_url TEXT,
                    commission_rate TEXT,
                    hot_commission_rate TEXT,
                    rating_percent TEXT,
                    volume_30d INTEGER,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    last_run TEXT NOT NULL REFERENCES runs(id),
                    seen_in_last_run INTEGER NOT NULL DEFAULT 1
                ) STRICT;
                CREATE TABLE product_keywords (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    keyword TEXT NOT NULL,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    last_page INTEGER NOT NULL,
                    last_rank INTEGER NOT NULL,
                    PRIMARY KEY (product_id, keyword)
                ) STRICT;
                CREATE INDEX product_keywords_by_keyword ON product_keywords(keyword);
                CREATE TABLE price_history (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    observed_at TEXT NOT NULL,
                    sale_price TEXT NOT NULL,
                    original_price TEXT,
                    currency TEXT NOT NULL,
                    PRIMARY KEY (product_id, run_id)
                ) STRICT;
                CREATE INDEX price_history_by_time ON price_history(product_id, observed_at);
                CREATE TABLE affiliate_links (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    url TEXT NOT NULL,
                    tracking_id TEXT NOT NULL,
                    link_type INTEGER NOT NULL,
                    generated_at TEXT NOT NULL,
                    PRIMARY KEY (product_id, run_id)
                ) STRICT;
                CREATE TABLE keyword_stats (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    keyword TEXT NOT NULL,
                    total_records INTEGER,
                    pages_fetched INTEGER NOT NULL,
                    products_kept INTEGER NOT NULL,
                    PRIMARY KEY (run_id, keyword)
                ) STRICT;
                """)
        }),
    ]

    /// Stores the finished run's summary and counters on its ledger row.
    public func recordSummary(runID: String, json: String, apiCalls: Int, pages: Int) throws {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE runs SET summary_json = ?, api_calls = ?, pages = ? WHERE id = ?",
                arguments: [json, apiCalls, pages, runID])
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, migrate) in migrations { migrator.registerMigration(identifier, migrate: migrate) }
        return migrator
    }
}

/// Loads the run into the catalog in one transaction: upserts products by id (first/last seen),
/// keyword hits, one price-history row per product, this run's links, keyword stats, the run row.
public struct SQLiteCatalogSink: Sink {
    public let path: String
    public var label: String { "sqlite \(path)" }

    public init(path: String) { self.path = path }

    /// Opens and upgrades the catalog now (so a bad file fails before anything is published);
    /// the rows are written in one transaction by the staged output's `commit()`.
    public func stage(_ products: [Product], context: RunContext) throws -> (rows: Int, output: any StagedOutput) {
        let database = try CatalogDatabase(path: path)
        return (products.count, PendingCatalogWrite(database: database, products: products, context: context))
    }

    static func write(_ products: [Product], context: RunContext, db: Database) throws {
        let now = Timestamp.iso8601(context.startedAt)
        try db.execute(
            sql: """
                INSERT INTO runs (id, pipeline, spec_hash, status, started_at, finished_at, keywords, products)
                VALUES (?, ?, ?, 'succeeded', ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET status = 'succeeded', finished_at = excluded.finished_at, products = excluded.products
                """,
            arguments: [context.runID, context.pipeline, context.specHash, now, Timestamp.iso8601(Date()), context.keywordStats.count, products.count])
        try db.execute(sql: "UPDATE products SET seen_in_last_run = 0 WHERE seen_in_last_run = 1")
        let upsert = try db.makeStatement(sql: """
            INSERT INTO products (id, sku_id, title, detail_url, sale_price, original_price, currency, discount_percent,
                main_image, gallery_json, video_url, category_id, category_name, subcategory_id, subcategory_name,
                shop_id, shop_name, shop_url, commission_rate, hot_commission_rate, rating_percent, volume_30d,
                first_seen, last_seen, last_run, seen_in_last_run)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
            ON CONFLICT(id) DO UPDATE SET sku_id = excluded.sku_id, title = excluded.title, detail_url = excluded.detail_url,
                sale_price = excluded.sale_price, original_price = excluded.original_price, currency = excluded.currency,
                discount_percent = excluded.discount_percent, main_image = excluded.main_image,
                gallery_json = excluded.gallery_json, video_url = excluded.video_url, category_id = excluded.category_id,
                category_name = excluded.category_name, subcategory_id = excluded.subcategory_id,
                subcategory_name = excluded.subcategory_name, shop_id = excluded.shop_id, shop_name = excluded.shop_name,
                shop_url = excluded.shop_url, commission_rate = excluded.commission_rate,
                hot_commission_rate = excluded.hot_commission_rate, rating_percent = excluded.rating_percent,
                volume_30d = excluded.volume_30d, last_seen = excluded.last_seen, last_run = excluded.last_run,
                seen_in_last_run = 1
            """)
        let keyword = try db.makeStatement(sql: """
            INSERT INTO product_keywords (product_id, keyword, first_seen, last_seen, last_page, last_rank) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(product_id, keyword) DO UPDATE SET last_seen = excluded.last_seen, last_page = excluded.last_page,
                last_rank = excluded.last_rank
            """)
        let price = try db.makeStatement(sql: """
            INSERT INTO price_history (product_id, run_id, observed_at, sale_price, original_price, currency) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(product_id, run_id) DO UPDATE SET sale_price = excluded.sale_price, original_price = excluded.original_price
            """)
        let link = try db.makeStatement(sql: """
            INSERT INTO affiliate_links (product_id, run_id, url, tracking_id, link_type, generated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(product_id, run_id) DO UPDATE SET url = excluded.url, generated_at = excluded.generated_at
            """)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for p in products {
            let top = p.categories.first { $0.level == 1 }, second = p.categories.first { $0.level == 2 }
            let gallery = String(decoding: try encoder.encode(p.images.gallery), as: UTF8.self)
            let values: [(any DatabaseValueConvertible)?] = [
                p.id, p.skuID, p.title, p.detailURL, p.salePrice.formatted(), p.originalPrice?.formatted(),
                p.salePrice.currency.rawValue, p.discount.map { DecimalText.format($0.points, scale: 0) }, p.images.main,
                gallery, p.images.video, top?.id, top?.name, second?.id, second?.name, p.shop?.id, p.shop?.name, p.shop?.url,
                p.commission.rate.map { DecimalText.format($0.points, scale: 1) },
                p.commission.hotRate.map { DecimalText.format($0.points, scale: 1) },
                p.rating.map { DecimalText.format($0.points, scale: 1) }, p.volume30d, now, now, context.runID,
            ]
            try upsert.execute(arguments: StatementArguments(values))
            var lastHit: [String: KeywordHit] = [:]
            for hit in p.hits { lastHit[hit.keyword] = hit }
            for (word, hit) in lastHit.sorted(by: { $0.key < $1.key }) {
                try keyword.execute(arguments: [p.id, word, now, now, hit.page, hit.rank])
            }
            try price.execute(arguments: [p.id, context.runID, now, p.salePrice.formatted(), p.originalPrice?.formatted(), p.salePrice.currency.rawValue])
            if let a = p.affiliateLink {
                try link.execute(arguments: [p.id, context.runID, a.url, a.trackingID, a.linkType, Timestamp.iso8601(a.generatedAt)])
            }
        }
        let stat = try db.makeStatement(sql: """
            INSERT INTO keyword_stats (run_id, keyword, total_records, pages_fetched, products_kept) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(run_id, keyword) DO UPDATE SET total_records = excluded.total_records,
                pages_fetched = excluded.pages_fetched, products_kept = excluded.products_kept
            """)
        for s in context.keywordStats {
            try stat.execute(arguments: [context.runID, s.keyword, s.totalRecords, s.pagesFetched, s.productsKept])
        }
    }
}

/// The catalog rows of a run, written in one transaction on ``commit()``: a reader sees the
/// catalog before the run or after it, never half.
final class PendingCatalogWrite: StagedOutput {
    let database: CatalogDatabase
    let products: [Product]
    let context: RunContext

    init(database: CatalogDatabase, products: [Product], context: RunContext) {
        self.database = database
        self.products = products
        self.context = context
    }

    func commit() throws {
        do {
            try database.queue.write { db in try SQLiteCatalogSink.write(products, context: context, db: db) }
        } catch {
            throw LoadError.database(path: database.path, reason: "\(error)")
        }
    }

    func discard() {}
}
