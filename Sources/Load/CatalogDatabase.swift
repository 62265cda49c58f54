public import Foundation
public import Catalog
public import GRDB
import CWriteback
import GRDBSQLite

/// The SQLite catalog: products (current state), keyword hits, price history, affiliate links,
/// the run ledger and keyword stats. Versioned with migrations; WAL, foreign keys, STRICT tables.
public final class CatalogDatabase {
    public let path: String
    public let queue: DatabaseQueue

    /// The page size of catalogs this build creates. A product row is about 1.2 KB, so a 4 KB page
    /// held three of them and every insert split pages; 16 KB pages made the catalog writer ~20 %
    /// faster (measured with `alifeed-bench --only writers`: 32 and 64 KB were no better). An
    /// existing catalog keeps the page size it was created with: WAL mode cannot change it.
    public static let pageSize = 16384

    /// The page cache of a load's connection, in KiB. The products' id index is keyed by id,
    /// and real ids come in no order, so each product's entry lands on any page of it: with
    /// SQLite's 2 MB default, such writes read a page back in and wrote another out. SQLite's
    /// sorter, which orders the staged rows by key at the end, may use as much again: 32 MB
    /// put a 1M-product run at 176 MB peak, over its 150 MB budget; 16 MB keeps it at 138 MB.
    public static let loadCacheKiB = 16 * 1024

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
                // Applies to a new, empty file only; SQLite ignores it once the file has pages.
                try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
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
        ("v2", { db in
            // The ledger records failures and what each run did; products carry availability;
            // price-drop alerts are kept per run.
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN duration_seconds REAL;
                ALTER TABLE runs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN links_generated INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN links_missing INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN alerts INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE runs ADD COLUMN error TEXT;
                ALTER TABLE products ADD COLUMN availability TEXT NOT NULL DEFAULT 'in_stock';
                CREATE INDEX products_by_seen ON products(seen_in_last_run, last_seen);
                CREATE INDEX runs_by_pipeline ON runs(pipeline, started_at);
                CREATE TABLE price_alerts (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    current_price TEXT NOT NULL,
                    average_price TEXT NOT NULL,
                    currency TEXT NOT NULL,
                    drop_percent TEXT NOT NULL,
                    observations INTEGER NOT NULL,
                    PRIMARY KEY (run_id, product_id)
                ) STRICT;
                """)
        }),
        ("v3", { db in
            // The primary key (product_id, run_id) already finds a product's history; this index
            // cost every run a B-tree insert per product (about a tenth of the catalog's load).
            try db.execute(sql: "DROP INDEX IF EXISTS price_history_by_time")
        }),
        ("v4", { db in
            // Keyword hits, price history and links are found by their composite keys: as rowid
            // tables every row went into two B-trees (the table and its key's index), as
            // WITHOUT ROWID tables into one. Same columns, keys and data; rebuilt once.
            // The products a run did not see are found by a partial index that holds only them:
            // the full (seen_in_last_run, last_seen) index took an entry for every product written.
            try db.execute(sql: """
                CREATE TABLE product_keywords_v4 (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    keyword TEXT NOT NULL,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    last_page INTEGER NOT NULL,
                    last_rank INTEGER NOT NULL,
                    PRIMARY KEY (product_id, keyword)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO product_keywords_v4 SELECT product_id, keyword, first_seen, last_seen, last_page, last_rank FROM product_keywords;
                DROP TABLE product_keywords;
                ALTER TABLE product_keywords_v4 RENAME TO product_keywords;
                CREATE INDEX product_keywords_by_keyword ON product_keywords(keyword);
                CREATE TABLE price_history_v4 (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    observed_at TEXT NOT NULL,
                    sale_price TEXT NOT NULL,
                    original_price TEXT,
                    currency TEXT NOT NULL,
                    PRIMARY KEY (product_id, run_id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO price_history_v4 SELECT product_id, run_id, observed_at, sale_price, original_price, currency FROM price_history;
                DROP TABLE price_history;
                ALTER TABLE price_history_v4 RENAME TO price_history;
                CREATE TABLE affiliate_links_v4 (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    url TEXT NOT NULL,
                    tracking_id TEXT NOT NULL,
                    link_type INTEGER NOT NULL,
                    generated_at TEXT NOT NULL,
                    PRIMARY KEY (product_id, run_id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO affiliate_links_v4 SELECT product_id, run_id, url, tracking_id, link_type, generated_at FROM affiliate_links;
                DROP TABLE affiliate_links;
                ALTER TABLE affiliate_links_v4 RENAME TO affiliate_links;
                DROP INDEX IF EXISTS products_by_seen;
                CREATE INDEX products_unseen ON products(last_seen) WHERE seen_in_last_run = 0;
                """)
        }),
        ("v5", { db in
            // Products are stored in the order they arrive, found by a unique index on the id.
            // Keyed by the id, each product (~1.2 KB) went wherever its id fell among all the
            // others: real ids are spread over the whole range, so every write touched another
            // page of the table, read back and written out again (a new 100k catalog written about
            // three times slower than with neighbouring ids; a nightly update too). In arrival
            // order, a run appends, the next night's run updates in about the same order, and
            // only the small index entries go all over. Same columns and data.
            try db.execute(sql: """
                CREATE TABLE products_v5 (
                    id INTEGER NOT NULL UNIQUE,
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
                    seen_in_last_run INTEGER NOT NULL DEFAULT 1,
                    availability TEXT NOT NULL DEFAULT 'in_stock'
                ) STRICT;
                INSERT INTO products_v5 SELECT
                    id, sku_id, title, detail_url, sale_price, original_price, currency, discount_percent, main_image,
                    gallery_json, video_url, category_id, category_name, subcategory_id, subcategory_name, shop_id,
                    shop_name, shop_url, commission_rate, hot_commission_rate, rating_percent, volume_30d, first_seen,
                    last_seen, last_run, seen_in_last_run, availability
                    FROM products ORDER BY first_seen, id;
                DROP TABLE products;
                ALTER TABLE products_v5 RENAME TO products;
                CREATE INDEX products_unseen ON products(last_seen) WHERE seen_in_last_run = 0;
                """)
        }),
        ("v6", { db in
            // Price history and links are keyed by run first. Keyed by product first, each
            // night's row for a product went next to that product's earlier rows, so a night's
            // rows were spread over the whole table and every night rewrote every page of it
            // (a catalog's history grows by a row per product each night). Run first, a night's
            // rows sit together after the earlier nights', and the price-drop check reads the
            // run's rows instead of scanning the whole history. A product's history is found by
            // one lookup per run. Same columns, keys and data; rebuilt once.
            try db.execute(sql: """
                CREATE TABLE price_history_v6 (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    observed_at TEXT NOT NULL,
                    sale_price TEXT NOT NULL,
                    original_price TEXT,
                    currency TEXT NOT NULL,
                    PRIMARY KEY (run_id, product_id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO price_history_v6 SELECT product_id, run_id, observed_at, sale_price, original_price, currency
                    FROM price_history ORDER BY run_id, product_id;
                DROP TABLE price_history;
                ALTER TABLE price_history_v6 RENAME TO price_history;
                CREATE TABLE affiliate_links_v6 (
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    url TEXT NOT NULL,
                    tracking_id TEXT NOT NULL,
                    link_type INTEGER NOT NULL,
                    generated_at TEXT NOT NULL,
                    PRIMARY KEY (run_id, product_id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO affiliate_links_v6 SELECT product_id, run_id, url, tracking_id, link_type, generated_at
                    FROM affiliate_links ORDER BY run_id, product_id;
                DROP TABLE affiliate_links;
                ALTER TABLE affiliate_links_v6 RENAME TO affiliate_links;
                """)
        }),
        ("v7", { db in
            // Products get a number in the order they first arrived (`seq`, the table's own
            // key), and keyword hits, price history and links are keyed by it instead of by
            // the product id. Real ids come in no order, so rows keyed by id landed all over
            // their tables and had to be staged and sorted after the load, on one core, while
            // the other had nothing left to do (a quarter of a first run's wall time). Keyed by
            // `seq`, a new product's rows are appended as it is written. `product_id` stays in
            // each row (queries by id, the cascade). `seq` is declared, not the implicit rowid,
            // which VACUUM may renumber. Same data; rebuilt once.
            try db.execute(sql: """
                CREATE TABLE products_v7 (
                    seq INTEGER PRIMARY KEY,
                    id INTEGER NOT NULL UNIQUE,
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
                    seen_in_last_run INTEGER NOT NULL DEFAULT 1,
                    availability TEXT NOT NULL DEFAULT 'in_stock'
                ) STRICT;
                INSERT INTO products_v7 SELECT
                    rowid, id, sku_id, title, detail_url, sale_price, original_price, currency, discount_percent, main_image,
                    gallery_json, video_url, category_id, category_name, subcategory_id, subcategory_name, shop_id,
                    shop_name, shop_url, commission_rate, hot_commission_rate, rating_percent, volume_30d, first_seen,
                    last_seen, last_run, seen_in_last_run, availability
                    FROM products ORDER BY rowid;
                CREATE TABLE product_keywords_v7 (
                    product_seq INTEGER NOT NULL,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    keyword TEXT NOT NULL,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    last_page INTEGER NOT NULL,
                    last_rank INTEGER NOT NULL,
                    PRIMARY KEY (product_seq, keyword)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO product_keywords_v7
                    SELECT p.seq, k.product_id, k.keyword, k.first_seen, k.last_seen, k.last_page, k.last_rank
                    FROM product_keywords k JOIN products_v7 p ON p.id = k.product_id ORDER BY p.seq, k.keyword;
                CREATE TABLE price_history_v7 (
                    product_seq INTEGER NOT NULL,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    observed_at TEXT NOT NULL,
                    sale_price TEXT NOT NULL,
                    original_price TEXT,
                    currency TEXT NOT NULL,
                    PRIMARY KEY (run_id, product_seq)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO price_history_v7
                    SELECT p.seq, h.product_id, h.run_id, h.observed_at, h.sale_price, h.original_price, h.currency
                    FROM price_history h JOIN products_v7 p ON p.id = h.product_id ORDER BY h.run_id, p.seq;
                CREATE TABLE affiliate_links_v7 (
                    product_seq INTEGER NOT NULL,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    url TEXT NOT NULL,
                    tracking_id TEXT NOT NULL,
                    link_type INTEGER NOT NULL,
                    generated_at TEXT NOT NULL,
                    PRIMARY KEY (run_id, product_seq)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO affiliate_links_v7
                    SELECT p.seq, a.product_id, a.run_id, a.url, a.tracking_id, a.link_type, a.generated_at
                    FROM affiliate_links a JOIN products_v7 p ON p.id = a.product_id ORDER BY a.run_id, p.seq;
                DROP TABLE product_keywords;
                DROP TABLE price_history;
                DROP TABLE affiliate_links;
                DROP TABLE products;
                ALTER TABLE products_v7 RENAME TO products;
                ALTER TABLE product_keywords_v7 RENAME TO product_keywords;
                ALTER TABLE price_history_v7 RENAME TO price_history;
                ALTER TABLE affiliate_links_v7 RENAME TO affiliate_links;
                CREATE INDEX products_unseen ON products(last_seen) WHERE seen_in_last_run = 0;
                CREATE INDEX product_keywords_by_keyword ON product_keywords(keyword);
                """)
        }),
        ("v8", { db in
            // Keyword hits keyed by keyword first, `(keyword, product_seq)`, in place of the
            // `(product_seq, keyword)` key and a second index on the keyword. Every hit went into
            // both B-trees; now one. A run takes keywords one after another, so a new product's hit
            // is still appended, at the end of its keyword's range, and the products a keyword
            // found are still one range of the table. Nothing in alifeed reads hits by product;
            // a query for one product's keywords now scans the table. Measured with a C program
            // inserting a first run's rows through the same libsqlite3: 0.55 → 0.48 s of CPU per
            // 100k products, the same as dropping the index outright.
            try db.execute(sql: """
                CREATE TABLE product_keywords_v8 (
                    product_seq INTEGER NOT NULL,
                    product_id INTEGER NOT NULL REFERENCES products(id) ON DELETE CASCADE,
                    keyword TEXT NOT NULL,
                    first_seen TEXT NOT NULL,
                    last_seen TEXT NOT NULL,
                    last_page INTEGER NOT NULL,
                    last_rank INTEGER NOT NULL,
                    PRIMARY KEY (keyword, product_seq)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO product_keywords_v8
                    SELECT product_seq, product_id, keyword, first_seen, last_seen, last_page, last_rank
                    FROM product_keywords ORDER BY keyword, product_seq;
                DROP TABLE product_keywords;
                ALTER TABLE product_keywords_v8 RENAME TO product_keywords;
                """)
        }),
    ]

    /// Stores the finished run's summary and counters on its ledger row.
    public func recordSummary(runID: String, json: String, counts: RunCounts) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    UPDATE runs SET summary_json = ?, api_calls = ?, pages = ?, retries = ?, links_generated = ?,
                        links_missing = ?, duration_seconds = ? WHERE id = ?
                    """,
                arguments: [json, counts.apiCalls, counts.pages, counts.retries, counts.linksGenerated, counts.linksMissing, counts.durationSeconds, runID])
        }
    }

    /// Opens the run's ledger row as `running`, so a crash or failure is visible afterwards.
    public func beginRun(id: String, pipeline: String, specHash: String, startedAt: Date, keywords: Int) throws {
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, pipeline, spec_hash, status, started_at, keywords) VALUES (?, ?, ?, 'running', ?, ?)
                    ON CONFLICT(id) DO UPDATE SET status = 'running', error = NULL
                    """,
                arguments: [id, pipeline, specHash, Timestamp.iso8601(startedAt), keywords])
        }
    }

    /// Marks the run failed, with what went wrong.
    public func failRun(id: String, error: String, finishedAt: Date, status: String = "failed") throws {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE runs SET status = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'running'",
                arguments: [status, error, Timestamp.iso8601(finishedAt), id])
        }
    }

    /// Products the catalog knows that are not in `seen`, as feed products (no keyword hits this
    /// run), ordered by id.
    public func knownProducts(excluding seen: Set<Int64>) throws -> [Product] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, sku_id, title, detail_url, sale_price, original_price, currency, discount_percent, main_image,
                       gallery_json, video_url, category_id, category_name, subcategory_id, subcategory_name, shop_id,
                       shop_name, shop_url, commission_rate, hot_commission_rate, rating_percent, volume_30d
                FROM products ORDER BY id
                """).compactMap { row -> Product? in
                let id: Int64 = row["id"]
                guard !seen.contains(id), let currency = CurrencyCode(rawValue: row["currency"]),
                    let sale = DecimalText.parse(row["sale_price"] as String)
                else { return nil }
                var categories: [Catalog.Category] = []
                if let top: Int64 = row["category_id"] { categories.append(Catalog.Category(id: top, name: row["category_name"] ?? "", level: 1)) }
                if let sub: Int64 = row["subcategory_id"] { categories.append(Catalog.Category(id: sub, name: row["subcategory_name"] ?? "", level: 2)) }
                let gallery = (try? JSONDecoder().decode([String].self, from: Data((row["gallery_json"] as String).utf8))) ?? []
                var product = Product(
                    id: id, skuID: row["sku_id"], title: row["title"], detailURL: row["detail_url"], salePrice: Money(sale, currency),
                    originalPrice: (row["original_price"] as String?).flatMap(DecimalText.parse).map { Money($0, currency) },
                    discount: (row["discount_percent"] as String?).flatMap(DecimalText.parse).map(Percentage.init(points:)),
                    images: ImageSet(main: row["main_image"], gallery: gallery, video: row["video_url"]), categories: categories,
                    shop: (row["shop_id"] as Int64?).map { Shop(id: $0, name: row["shop_name"], url: row["shop_url"]) },
                    commission: Commission(
                        rate: (row["commission_rate"] as String?).flatMap(DecimalText.parse).map(Percentage.init(points:)),
                        hotRate: (row["hot_commission_rate"] as String?).flatMap(DecimalText.parse).map(Percentage.init(points:))),
                    rating: (row["rating_percent"] as String?).flatMap(DecimalText.parse).map(Percentage.init(points:)),
                    volume30d: row["volume_30d"])
                product.availability = .outOfStock
                return product
            }
        }
    }

    /// A catalog at an older schema version, as an older alifeed left it (migration tests).
    public static func createAtVersion(_ version: String, path: String) throws {
        let queue = try DatabaseQueue(path: path)
        var migrator = DatabaseMigrator()
        for (identifier, migrate) in migrations {
            migrator.registerMigration(identifier, migrate: migrate)
            if identifier == version { break }
        }
        try migrator.migrate(queue)
    }

    /// The schema versions applied to the catalog.
    public func appliedVersions() throws -> [String] {
        try queue.read { db in try Self.migrator.appliedIdentifiers(db).sorted() }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for (identifier, migrate) in migrations { migrator.registerMigration(identifier, migrate: migrate) }
        return migrator
    }
}

/// Loads the run into the catalog in one transaction: upserts products by id (first/last seen),
/// keyword hits, one price-history row per product, this run's links, keyword stats, the run row.
public struct SQLiteCatalogSink {
    public let path: String
    public var label: String { "sqlite \(path)" }

    public init(path: String) { self.path = path }

    /// Runs `body` with a writer inside one write transaction of the catalog: committed when
    /// `body` returns, rolled back when it throws, so a reader sees the catalog before the run or
    /// after it, never half.
    public func withTransaction<T>(context: RunContext, _ body: (CatalogWriter) throws -> T) throws -> T {
        try withTransaction(context: context, checkpointAfterwards: false, body).result
    }

    /// The same; with `checkpointAfterwards`, the WAL checkpoint that follows a large commit
    /// (the run's pages copied into the database file and synced: with the commit, ~0.23 s on
    /// one core after a 100k-product load, when nothing else is left to run) runs on a thread of
    /// its own instead of inside the commit, so the caller can publish and clean up meanwhile.
    /// The commit itself is durable before this returns; the caller waits for the checkpoint
    /// before it finishes. A first load into a catalog with no products has no checkpoint (nil):
    /// it goes through a rollback journal.
    public func withTransaction<T>(
        context: RunContext, checkpointAfterwards: Bool, _ body: (CatalogWriter) throws -> T
    ) throws -> (result: T, checkpoint: CatalogCheckpoint?) {
        let database = try CatalogDatabase(path: path)
        do {
            // A catalog with no products yet (a first run, a research dump) is loaded with a
            // rollback journal instead of the WAL: every page of it is new, so SQLite journals
            // none of them and writes each once, straight into the file. Through the WAL each
            // page was written twice, then copied back by a checkpoint that held one core after
            // the load. Only one connection may leave WAL mode; when another is open (a reader),
            // the load stays in WAL. The catalog goes back to WAL when the transaction ends (or,
            // should a reader that opened it meanwhile outlast the busy timeout, the next time
            // alifeed opens it: every open asks for WAL).
            let rollbackJournal = try database.queue.writeWithoutTransaction { db -> Bool in
                guard try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM products)") ?? false else { return false }
                return (try? String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")) == "delete"
            }
            defer {
                if rollbackJournal { _ = try? database.queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") } }
            }
            // The writer inserts every product before the rows that refer to it, and the run row
            // first of all, so the load skips the per-row foreign-key lookups (a fifth of its time);
            // tests check `PRAGMA foreign_key_check` after runs. The setting is this connection's only.
            try database.queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                try db.execute(sql: "PRAGMA cache_size = -\(CatalogDatabase.loadCacheKiB)")
                if checkpointAfterwards && !rollbackJournal { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
            defer { try? database.queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA foreign_keys = ON") } }
            let result = try database.queue.write { db in
                let writer = try CatalogWriter(db: db, context: context, flushesDuringLoad: rollbackJournal)
                let result = try body(writer)
                try writer.finish(context: writer.finalContext ?? context)
                return result
            }
            return (result, checkpointAfterwards && !rollbackJournal ? CatalogCheckpoint(database) : nil)
        } catch let error as LoadError {
            throw error
        } catch {
            throw LoadError.database(path: path, reason: "\(error)")
        }
    }
}

/// A committed catalog's WAL checkpoint, running on a thread of its own (see
/// ``SQLiteCatalogSink/withTransaction(context:checkpointAfterwards:_:)``). A checkpoint that
/// fails or never finishes loses nothing: the WAL holds the committed run, and the next
/// connection to the catalog checkpoints it.
public final class CatalogCheckpoint: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ database: CatalogDatabase) {
        let done = done
        let queue = database.queue
        Thread.detachNewThread {
            try? queue.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
            // The connection closes here, on this thread, after the checkpoint.
            try? queue.close()
            done.signal()
        }
    }

    /// Waits for the checkpoint (and the connection's close).
    public func wait() {
        done.wait()
        done.signal()
    }
}

/// Writes a run into the catalog, product by product, inside a transaction: upserts products by
/// id (first/last seen), keyword hits, one price-history row per product, this run's links.
public final class CatalogWriter {
    let db: Database
    let context: RunContext
    let now: String
    let upsert: DirectStatement, unavailable: DirectStatement
    /// A new product's keyword, price and link rows, appended under its `seq`.
    let newKeyword: DirectStatement, newPrice: DirectStatement, newLink: DirectStatement
    /// Rows of products the catalog already held, staged and written in key order at the end.
    let keyword: DirectStatement, price: DirectStatement, link: DirectStatement
    let seqOfProduct: DirectStatement
    let connection: OpaquePointer?
    /// Makes the rows this writer writes; ``CatalogRowEncoder`` is Sendable, so another thread can
    /// encode products while this one writes.
    public let encoder: CatalogRowEncoder
    private var scratch = CatalogRows()
    /// Whether dirty pages are written out every `flushInterval` products (a first load through the
    /// rollback journal, see ``write(_:)-(CatalogRows)``).
    let flushesDuringLoad: Bool
    /// The database file opened once more, read-only, to start writing back what each flush
    /// wrote (-1 when the writer does not flush during the load).
    private let writebackFile: Int32
    private var rowsSinceFlush = 0
    /// Products, not batches: the load pass hands over a page at a time (~50), the per-product
    /// `write` one, and a flush (with its writeback) after every 32 single products cost the
    /// writer alone half its rate.
    static let flushInterval = 1_600
    public private(set) var found = 0
    let resetsUnseenAtFinish: Bool
    /// The context with the final keyword stats, set by the runner before the transaction ends.
    public var finalContext: RunContext?

    init(db: Database, context: RunContext, flushesDuringLoad: Bool = false) throws {
        self.db = db
        self.context = context
        self.flushesDuringLoad = flushesDuringLoad
        now = Timestamp.iso8601(context.startedAt)
        // A run id that already loaded products (a repeated run) may be some products'
        // `last_run`, so the flags are reset up front as they always were; otherwise only the
        // products this run did not see are reset, at the end, instead of every row twice. (The
        // ledger row itself exists already: the runner opens it before fetching.)
        let known = try Int.fetchOne(db, sql: "SELECT products FROM runs WHERE id = ?", arguments: [context.runID]).map { $0 > 0 } ?? false
        // Into an empty catalog (a first run, a research dump) every product is this run's, so
        // there is nothing to reset: the reset would read every row to learn that (0.05 s per
        // 100k products, after the load). The transaction holds the write lock, so it stays true.
        let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM products)") ?? false
        resetsUnseenAtFinish = !known && !empty
        try db.execute(
            sql: """
                INSERT INTO runs (id, pipeline, spec_hash, status, started_at, finished_at, keywords, products)
                VALUES (?, ?, ?, 'succeeded', ?, ?, ?, 0)
                ON CONFLICT(id) DO UPDATE SET status = 'succeeded', finished_at = excluded.finished_at, error = NULL
                """,
            arguments: [context.runID, context.pipeline, context.specHash, now, Timestamp.iso8601(Date()), context.keywordStats.count])
        if known { try db.execute(sql: "UPDATE products SET seen_in_last_run = 0 WHERE seen_in_last_run = 1") }
        upsert = DirectStatement(try db.makeStatement(sql: """
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
                seen_in_last_run = 1, availability = 'in_stock'
            """))
        // Keyword hits, prices and links are keyed by the product's `seq` (arrival order), so a
        // new product's rows are appended as it is written. A product the catalog held already
        // has an earlier `seq`, anywhere in those tables: written as they came, its rows would
        // land on any page of the keyword table, or of the run's range of the history, read
        // back and written out again once those outgrow the cache. They are staged in
        // temporary tables (appended to, in order) and written at the end sorted by their keys,
        // one pass over each table. A staged row carries the product's `seq`, looked up during
        // the load (a join at the end was a lookup per row on the one busy core), and leaves
        // out what is the same for the whole run (its id, its time), bound once.
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.keyword_staging;
            DROP TABLE IF EXISTS temp.price_staging;
            DROP TABLE IF EXISTS temp.link_staging;
            CREATE TEMP TABLE keyword_staging (product_id INTEGER NOT NULL, keyword TEXT NOT NULL,
                last_page INTEGER NOT NULL, last_rank INTEGER NOT NULL, product_seq INTEGER NOT NULL);
            CREATE TEMP TABLE price_staging (product_id INTEGER NOT NULL, sale_price TEXT NOT NULL, original_price TEXT,
                currency TEXT NOT NULL, product_seq INTEGER NOT NULL);
            CREATE TEMP TABLE link_staging (product_id INTEGER NOT NULL, url TEXT NOT NULL, tracking_id TEXT NOT NULL,
                link_type INTEGER NOT NULL, generated_at TEXT NOT NULL, product_seq INTEGER NOT NULL);
            """)
        keyword = DirectStatement(try db.makeStatement(sql: "INSERT INTO temp.keyword_staging VALUES (?, ?, ?, ?, ?)"))
        price = DirectStatement(try db.makeStatement(sql: "INSERT INTO temp.price_staging VALUES (?, ?, ?, ?, ?)"))
        link = DirectStatement(try db.makeStatement(sql: "INSERT INTO temp.link_staging VALUES (?, ?, ?, ?, ?, ?)"))
        // A known product's `seq`, looked up right after its upsert touched the same index pages.
        seqOfProduct = DirectStatement(try db.makeStatement(sql: "SELECT seq FROM products WHERE id = ?"))
        // The same values as the staged rows (?1…), then the product's `seq` and the run's own.
        newKeyword = DirectStatement(try db.makeStatement(sql: """
            INSERT INTO product_keywords (product_id, keyword, last_page, last_rank, product_seq, first_seen, last_seen)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT(keyword, product_seq) DO UPDATE SET last_seen = excluded.last_seen, last_page = excluded.last_page,
                last_rank = excluded.last_rank
            """))
        newPrice = DirectStatement(try db.makeStatement(sql: """
            INSERT INTO price_history (product_id, sale_price, original_price, currency, product_seq, run_id, observed_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT(run_id, product_seq) DO UPDATE SET sale_price = excluded.sale_price, original_price = excluded.original_price
            """))
        newLink = DirectStatement(try db.makeStatement(sql: """
            INSERT INTO affiliate_links (product_id, url, tracking_id, link_type, generated_at, product_seq, run_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT(run_id, product_seq) DO UPDATE SET url = excluded.url, generated_at = excluded.generated_at
            """))
        newKeyword.bind(6, now)
        newPrice.bind(6, context.runID)
        newPrice.bind(7, now)
        newLink.bind(7, context.runID)
        connection = db.sqliteConnection
        writebackFile = flushesDuringLoad ? sqlite3_db_filename(connection, "main").map { open($0, O_RDONLY | O_CLOEXEC) } ?? -1 : -1
        unavailable = DirectStatement(try db.makeStatement(sql: "UPDATE products SET availability = 'out_of_stock' WHERE id = ?"))
        encoder = CatalogRowEncoder()
        // `first_seen`, `last_seen` and `last_run`, the same for every product of the run: bound
        // once (a binding stays through each reset), not packed and bound again per product.
        upsert.bind(23, now)
        upsert.bind(24, now)
        upsert.bind(25, context.runID)
    }

    deinit {
        if writebackFile >= 0 { close(writebackFile) }
    }

    /// Writes one product's rows.
    public func write(_ p: Product) throws {
        scratch.removeAll()
        encoder.append(p, to: &scratch)
        try write(scratch)
    }

    /// Writes rows ``encoder`` made. The load pass calls it from a thread of its own while the
    /// transaction's closure waits, so it goes through SQLite's C API only (GRDB's own calls
    /// check that they run on the database's queue).
    public func write(_ rows: CatalogRows) throws {
        found += rows.found
        if flushesDuringLoad {
            rowsSinceFlush += rows.products
            if rowsSinceFlush >= Self.flushInterval {
                rowsSinceFlush = 0
                // A first load's pages are all new: written out now, while the other threads
                // still have work, instead of the up to 16 MB the cache holds being written by
                // the commit, on one core after the load (commit 75 → 52 ms, medians of six
                // alternated runs). The cache keeps them, clean, for the id index's lookups. A
                // failed flush is not an error here: the commit writes what is left, and reports.
                _ = sqlite3_db_cacheflush(connection)
                // And on to the disk, without waiting: otherwise the commit's sync wrote the
                // whole file (91 MB, the bench's 100k-row catalog) while both cores had nothing
                // left to do (34–50 ms). Only a hint: the commit still syncs.
                if writebackFile >= 0 { _ = alifeed_start_writeback(writebackFile) }
            }
        }
        // The product whose rows these are: whether the upsert inserted it (it then has the
        // catalog's newest `seq`; an update leaves the last inserted rowid as it was), and its
        // `seq`, looked up for a product the catalog held when a staged row first needs it (a
        // product only marked out of stock usually has none).
        var isNew = false, seq: Int64?, id: Int64 = 0
        try rows.bytes.withUnsafeBufferPointer { bytes in
            for executionIndex in rows.executions.indices {
                let execution = rows.executions[executionIndex]
                let valueRange = rows.valueRange(of: executionIndex)
                let statement: DirectStatement
                var seqIndex: Int32?
                switch execution.statement {
                case .upsert: statement = upsert
                case .unavailable: statement = unavailable
                case .keyword: statement = isNew ? newKeyword : keyword; seqIndex = 5
                case .price: statement = isNew ? newPrice : price; seqIndex = 5
                case .link: statement = isNew ? newLink : link; seqIndex = 6
                }
                for valueIndex in valueRange {
                    let index = Int32(valueIndex - valueRange.lowerBound + 1)
                    switch rows.values[valueIndex] {
                    case .null: statement.bindNull(index)
                    case .integer(let value): statement.bind(index, value)
                    case .text(let start, let count):
                        if let base = bytes.baseAddress { statement.bindText(index, base + Int(start), count: count) } else { statement.bind(index, "") }
                    }
                }
                if let seqIndex {
                    if seq == nil {
                        seqOfProduct.bind(1, id)
                        seq = try seqOfProduct.integerResult() ?? 0
                    }
                    statement.bind(seqIndex, seq ?? 0)
                }
                switch execution.statement {
                case .upsert, .unavailable:
                    // The product's id is the first value of both.
                    if case .integer(let value) = rows.values[Int(execution.firstValue)] { id = value }
                    let before = sqlite3_last_insert_rowid(connection)
                    try statement.run()
                    let after = sqlite3_last_insert_rowid(connection)
                    isNew = execution.statement == .upsert && after != before
                    seq = isNew ? after : nil
                default:
                    try statement.run()
                }
            }
        }
    }

    func finish(context: RunContext) throws {
        // The staged rows, in key order (`rowid` last: a later row for the same key wins, as it
        // did when rows were written as they came; a staged row is always later than a new
        // product's own). `WHERE true` keeps SQLite from reading the upsert's `ON` as a join's.
        try db.execute(sql: """
            INSERT INTO product_keywords (product_seq, product_id, keyword, first_seen, last_seen, last_page, last_rank)
                SELECT s.product_seq, s.product_id, s.keyword, :now, :now, s.last_page, s.last_rank
                FROM temp.keyword_staging s
                WHERE true ORDER BY s.keyword, s.product_seq, s.rowid
                ON CONFLICT(keyword, product_seq) DO UPDATE SET last_seen = excluded.last_seen, last_page = excluded.last_page,
                    last_rank = excluded.last_rank;
            INSERT INTO price_history (product_seq, product_id, run_id, observed_at, sale_price, original_price, currency)
                SELECT s.product_seq, s.product_id, :run, :now, s.sale_price, s.original_price, s.currency
                FROM temp.price_staging s
                WHERE true ORDER BY s.product_seq, s.rowid
                ON CONFLICT(run_id, product_seq) DO UPDATE SET sale_price = excluded.sale_price, original_price = excluded.original_price;
            INSERT INTO affiliate_links (product_seq, product_id, run_id, url, tracking_id, link_type, generated_at)
                SELECT s.product_seq, s.product_id, :run, s.url, s.tracking_id, s.link_type, s.generated_at
                FROM temp.link_staging s
                WHERE true ORDER BY s.product_seq, s.rowid
                ON CONFLICT(run_id, product_seq) DO UPDATE SET url = excluded.url, generated_at = excluded.generated_at;
            DROP TABLE temp.keyword_staging;
            DROP TABLE temp.price_staging;
            DROP TABLE temp.link_staging;
            """, arguments: ["now": now, "run": context.runID])
        let stat = try db.makeStatement(sql: """
            INSERT INTO keyword_stats (run_id, keyword, total_records, pages_fetched, products_kept) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(run_id, keyword) DO UPDATE SET total_records = excluded.total_records,
                pages_fetched = excluded.pages_fetched, products_kept = excluded.products_kept
            """)
        for s in context.keywordStats {
            try stat.execute(arguments: [context.runID, s.keyword, s.totalRecords, s.pagesFetched, s.productsKept])
        }
        try db.execute(sql: "UPDATE runs SET products = ?, keywords = ? WHERE id = ?", arguments: [found, context.keywordStats.count, context.runID])
        if resetsUnseenAtFinish {
            // Every product this run saw has it as `last_run`.
            try db.execute(sql: "UPDATE products SET seen_in_last_run = 0 WHERE seen_in_last_run = 1 AND last_run != ?", arguments: [context.runID])
        }
    }
}


/// Counters a finished run stores on its ledger row.
public struct RunCounts: Sendable {
    public var apiCalls: Int, pages: Int, retries: Int, linksGenerated: Int, linksMissing: Int
    public var durationSeconds: Double

    public init(apiCalls: Int, pages: Int, retries: Int, linksGenerated: Int, linksMissing: Int, durationSeconds: Double) {
        self.apiCalls = apiCalls
        self.pages = pages
        self.retries = retries
        self.linksGenerated = linksGenerated
        self.linksMissing = linksMissing
        self.durationSeconds = durationSeconds
    }
}
