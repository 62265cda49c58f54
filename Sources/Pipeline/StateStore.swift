public import Foundation
import Catalog
import Extract
import Load
import GRDB
import OpenPlatform
import Transform

/// A pipeline's working state (default `output/.state/<name>.sqlite`): the run in progress, every
/// page fetched (raw body) and every link generated in it, so an interrupted run resumes without
/// fetching anything twice. Cleared when the run finishes.
public final class StateStore: Sendable {
    public let path: String
    let queue: DatabaseQueue

    /// The unfinished run a new one may resume.
    public struct PendingRun: Sendable {
        public var id: String
        public var specHash: String
        public var startedAt: Date
        public var pages: Int
        public var links: Int
    }

    /// The file beside `path` that holds the run's page bodies (`<name>.pages.sqlite`), or `nil`
    /// for a store that keeps no pages (the call budget's).
    public let pagesPath: String?

    /// - Parameter keepsPages: whether this store checkpoints pages (a pipeline's state) or only
    ///   counts calls (the daily budget's store).
    public init(path: String, keepsPages: Bool = true) throws {
        self.path = path
        pagesPath = keepsPages ? Self.pagesPath(for: path) : nil
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
        }
        if let pagesPath { try queue.writeWithoutTransaction { db in try Self.attachPages(db, path: pagesPath) } }
        var migrator = DatabaseMigrator()
        migrator.registerMigration("state-v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY NOT NULL,
                    spec_hash TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    status TEXT NOT NULL
                ) STRICT;
                CREATE TABLE pages (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    keyword_index INTEGER NOT NULL,
                    keyword TEXT NOT NULL,
                    page_no INTEGER NOT NULL,
                    method TEXT NOT NULL,
                    body BLOB NOT NULL,
                    request_id TEXT,
                    fetched_at TEXT NOT NULL,
                    PRIMARY KEY (run_id, keyword_index, page_no)
                ) STRICT;
                CREATE TABLE fetch_log (
                    run_id TEXT NOT NULL,
                    keyword_index INTEGER NOT NULL,
                    page_no INTEGER NOT NULL,
                    fetched_at TEXT NOT NULL,
                    already_checkpointed INTEGER NOT NULL
                ) STRICT;
                CREATE TABLE links (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    product_id INTEGER NOT NULL,
                    url TEXT,
                    tracking_id TEXT NOT NULL,
                    link_type INTEGER NOT NULL,
                    generated_at TEXT NOT NULL,
                    PRIMARY KEY (run_id, product_id)
                ) STRICT;
                CREATE TABLE calls (
                    app_key TEXT NOT NULL,
                    day TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    PRIMARY KEY (app_key, day)
                ) STRICT;
                """)
        }
        migrator.registerMigration("state-v2") { db in
            // What paging needs to know about a page, so a resumed run does not decode every
            // checkpointed body just to walk its keywords again. A table of its own: columns
            // after a body would be read through the body's overflow pages. Pages saved before
            // have no row here and are decoded.
            try db.execute(sql: """
                CREATE TABLE page_summaries (
                    run_id TEXT NOT NULL REFERENCES run(id) ON DELETE CASCADE,
                    keyword_index INTEGER NOT NULL,
                    page_no INTEGER NOT NULL,
                    keyword TEXT NOT NULL,
                    method TEXT NOT NULL,
                    request_id TEXT,
                    product_count INTEGER NOT NULL,
                    reported_page_no INTEGER NOT NULL,
                    record_count INTEGER NOT NULL,
                    total_records INTEGER,
                    total_pages INTEGER,
                    is_empty INTEGER NOT NULL,
                    PRIMARY KEY (run_id, keyword_index, page_no)
                ) STRICT;
                """)
        }
        if pagesPath != nil {
            migrator.registerMigration("state-v3") { db in
                // Page bodies moved to a file of their own, so a finished run drops them by
                // deleting that file instead of freeing every overflow page of every body (half a
                // second per 100k products). Pages an older alifeed checkpointed move with them.
                try db.execute(sql: """
                    INSERT OR IGNORE INTO pagefile.pages SELECT run_id, keyword_index, keyword, page_no, method, body, request_id, fetched_at FROM main.pages;
                    INSERT OR IGNORE INTO pagefile.page_summaries (
                        run_id, keyword_index, page_no, keyword, method, request_id, product_count, reported_page_no,
                        record_count, total_records, total_pages, is_empty)
                    SELECT run_id, keyword_index, page_no, keyword, method, request_id, product_count, reported_page_no,
                        record_count, total_records, total_pages, is_empty FROM main.page_summaries;
                    DROP TABLE main.page_summaries;
                    DROP TABLE main.pages;
                    """)
            }
        }
        try migrator.migrate(queue)
    }

    /// `<name>.pages.sqlite` beside `<name>.sqlite`.
    static func pagesPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().path + ".pages.sqlite"
    }

    /// Attaches the pages file as `pagefile`, creating its tables when the file is new. A page
    /// and its summary live in the same file, so they are committed together.
    private static func attachPages(_ db: Database, path: String) throws {
        try db.execute(sql: "ATTACH DATABASE ? AS pagefile", arguments: [path])
        // Page bodies are 50–200 KB blobs: with 16 KB pages their overflow chains are 4× shorter
        // to read back. (Measured: 64 KB pages were no faster end to end and held ~30 MB more
        // resident memory while fetching.) Only a new file takes it; the size is fixed once WAL is on.
        try db.execute(sql: "PRAGMA pagefile.page_size = 16384")
        try db.execute(sql: "PRAGMA pagefile.journal_mode = WAL")
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS pagefile.pages (
                run_id TEXT NOT NULL,
                keyword_index INTEGER NOT NULL,
                keyword TEXT NOT NULL,
                page_no INTEGER NOT NULL,
                method TEXT NOT NULL,
                body BLOB NOT NULL,
                request_id TEXT,
                fetched_at TEXT NOT NULL,
                PRIMARY KEY (run_id, keyword_index, page_no)
            ) STRICT;
            CREATE TABLE IF NOT EXISTS pagefile.page_summaries (
                run_id TEXT NOT NULL,
                keyword_index INTEGER NOT NULL,
                page_no INTEGER NOT NULL,
                keyword TEXT NOT NULL,
                method TEXT NOT NULL,
                request_id TEXT,
                product_count INTEGER NOT NULL,
                reported_page_no INTEGER NOT NULL,
                record_count INTEGER NOT NULL,
                total_records INTEGER,
                total_pages INTEGER,
                is_empty INTEGER NOT NULL,
                product_ids BLOB,
                PRIMARY KEY (run_id, keyword_index, page_no)
            ) STRICT;
            """)
    }

    /// Deletes the pages file and starts an empty one. Only when no pending run needs its pages.
    private func resetPages() throws {
        guard let pagesPath else { return }
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DETACH DATABASE pagefile")
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: pagesPath + suffix) {
                try FileManager.default.removeItem(atPath: pagesPath + suffix)
            }
            try Self.attachPages(db, path: pagesPath)
        }
    }

    /// The run left unfinished by an earlier `alifeed run`, if any.
    public func pendingRun() throws -> PendingRun? {
        try queue.read { db -> PendingRun? in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, spec_hash, started_at FROM run WHERE status != 'finished' ORDER BY started_at DESC LIMIT 1")
            else { return nil }
            let id: String = row["id"]
            return PendingRun(
                id: id, specHash: row["spec_hash"], startedAt: Timestamp.parse(row["started_at"]),
                pages: try Int.fetchOne(db, sql: "SELECT count(*) FROM pagefile.pages WHERE run_id = ?", arguments: [id]) ?? 0,
                links: try Int.fetchOne(db, sql: "SELECT count(*) FROM links WHERE run_id = ?", arguments: [id]) ?? 0)
        }
    }

    /// Forgets every unfinished run (a changed spec, or `--fresh`).
    public func discardPending() throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM fetch_log WHERE run_id IN (SELECT id FROM run WHERE status != 'finished')")
            try db.execute(sql: "DELETE FROM run WHERE status != 'finished'")
        }
        // Only unfinished runs have pages, and none is left.
        try resetPages()
    }

    public func begin(runID: String, specHash: String, startedAt: Date) throws {
        // Pages of runs that are not pending (a finish cut short) are of no use to anyone.
        let stale = try pagesPath != nil && queue.read { db in
            try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM pagefile.pages WHERE run_id != ? AND run_id NOT IN (SELECT id FROM run WHERE status != 'finished'))
                """, arguments: [runID]) ?? false
        }
        if stale {
            try queue.write { db in
                for table in ["pages", "page_summaries"] {
                    try db.execute(sql: "DELETE FROM pagefile.\(table) WHERE run_id != ? AND run_id NOT IN (SELECT id FROM run WHERE status != 'finished')", arguments: [runID])
                }
            }
        }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, spec_hash, started_at, status) VALUES (?, ?, ?, 'running')
                ON CONFLICT(id) DO UPDATE SET status = 'running'
                """, arguments: [runID, specHash, Timestamp.iso8601(startedAt)])
        }
    }

    public func markInterrupted(runID: String) throws {
        try queue.write { db in try db.execute(sql: "UPDATE run SET status = 'interrupted' WHERE id = ?", arguments: [runID]) }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    /// The run is published: its pages and links are no longer needed.
    public func finish(runID: String) throws {
        let othersPending = try queue.write { db in
            try db.execute(sql: "UPDATE run SET status = 'finished' WHERE id = ?", arguments: [runID])
            // Older finished runs go, and their links with them (any a crash left behind).
            try db.execute(sql: "DELETE FROM run WHERE status = 'finished' AND id != ?", arguments: [runID])
            return try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM run WHERE status != 'finished')") ?? false
        }
        // The run is marked finished first: a crash now leaves pages nobody resumes, which the
        // next run's `begin` clears, and links the next finish deletes with the run.
        if othersPending {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM links WHERE run_id = ?", arguments: [runID])
                try db.execute(sql: "DELETE FROM pagefile.pages WHERE run_id = ?", arguments: [runID])
                try db.execute(sql: "DELETE FROM pagefile.page_summaries WHERE run_id = ?", arguments: [runID])
            }
        } else {
            // Every link left is this run's. Without foreign-key processing SQLite drops the
            // table's pages at once; with it, it first lists every row's id in memory (15 MB more
            // resident at a million links, the peak of a whole 1M-product run) and takes twice
            // as long. Deleting rows that only refer to others cannot break a reference.
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                try db.execute(sql: "DELETE FROM links")
            }
            try resetPages()
        }
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    // MARK: pages

    /// What was saved with a page about its paging.
    struct PageSummary {
        var productCount: Int
        var reportedPageNo: Int
        var recordCount: Int
        var totalRecords: Int?
        var totalPages: Int?
        var isEmpty: Bool

        init(_ page: ProductPage) {
            productCount = page.productCount
            reportedPageNo = page.pageNo
            recordCount = page.recordCount
            totalRecords = page.totalRecordCount
            totalPages = page.totalPageNo
            isEmpty = page.isEmpty
        }

        init?(_ row: Row) {
            guard let count: Int = row["product_count"], let reported: Int = row["reported_page_no"],
                let records: Int = row["record_count"], let empty: Bool = row["is_empty"]
            else { return nil }
            productCount = count
            reportedPageNo = reported
            recordCount = records
            totalRecords = row["total_records"]
            totalPages = row["total_pages"]
            isEmpty = empty
        }
    }

    /// A checkpointed page: its summary when one was saved (the body is then not read), else its body.
    func page(runID: String, keywordIndex: Int, pageNo: Int) throws -> (keyword: String, method: String, requestID: String?, content: PageContent)? {
        try queue.read { db in
            if let row = try Row.fetchOne(db, sql: """
                SELECT keyword, method, request_id, product_count, reported_page_no, record_count, total_records, total_pages, is_empty
                FROM pagefile.page_summaries WHERE run_id = ? AND keyword_index = ? AND page_no = ?
                """, arguments: [runID, keywordIndex, pageNo]), let summary = PageSummary(row) {
                return (row["keyword"], row["method"], row["request_id"], .summary(summary))
            }
            guard let row = try Row.fetchOne(db, sql: """
                SELECT keyword, method, request_id, body FROM pagefile.pages WHERE run_id = ? AND keyword_index = ? AND page_no = ?
                """, arguments: [runID, keywordIndex, pageNo])
            else { return nil }
            return (row["keyword"], row["method"], row["request_id"], .body(row["body"]))
        }
    }

    /// Every page summary of the run.
    func pageSummaries(runID: String) throws -> [StateCheckpoints.PageKey: StateCheckpoints.SavedSummary] {
        try queue.read { db in
            var all: [StateCheckpoints.PageKey: StateCheckpoints.SavedSummary] = [:]
            let rows = try Row.fetchCursor(db, sql: """
                SELECT keyword_index, page_no, keyword, method, request_id, product_count, reported_page_no, record_count,
                    total_records, total_pages, is_empty
                FROM pagefile.page_summaries WHERE run_id = ?
                """, arguments: [runID])
            while let row = try rows.next() {
                guard let summary = PageSummary(row) else { continue }
                all[StateCheckpoints.PageKey(keywordIndex: row["keyword_index"], pageNo: row["page_no"])] =
                    StateCheckpoints.SavedSummary(keyword: row["keyword"], method: row["method"], requestID: row["request_id"], summary: summary)
            }
            return all
        }
    }

    /// What a checkpoint gives back: the paging summary, or (for pages saved without one) the body.
    enum PageContent {
        case summary(PageSummary)
        case body(Data)
    }

    func savePage(
        runID: String, keywordIndex: Int, keyword: String, pageNo: Int, method: String, body: Data, requestID: String?, summary: PageSummary? = nil
    ) throws {
        // The page's product ids, scanned once while fetching (beside the network wait), so the
        // load's first pass reads them instead of every body.
        let ids = summary == nil ? nil : Self.packed(ProductIDScanner.ids(in: body))
        try queue.write { db in
            let existing = try Int.fetchOne(db, sql: "SELECT count(*) FROM pagefile.pages WHERE run_id = ? AND keyword_index = ? AND page_no = ?",
                                            arguments: [runID, keywordIndex, pageNo]) ?? 0
            let now = Timestamp.iso8601(Date())
            try db.execute(sql: "INSERT INTO fetch_log VALUES (?, ?, ?, ?, ?)", arguments: [runID, keywordIndex, pageNo, now, existing])
            try db.execute(sql: """
                INSERT OR IGNORE INTO pagefile.pages (run_id, keyword_index, keyword, page_no, method, body, request_id, fetched_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [runID, keywordIndex, keyword, pageNo, method, body, requestID, now])
            if let summary {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO pagefile.page_summaries (
                        run_id, keyword_index, page_no, keyword, method, request_id,
                        product_count, reported_page_no, record_count, total_records, total_pages, is_empty, product_ids)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        runID, keywordIndex, pageNo, keyword, method, requestID, summary.productCount, summary.reportedPageNo,
                        summary.recordCount, summary.totalRecords, summary.totalPages, summary.isEmpty, ids,
                    ])
            }
        }
    }

    /// Every checkpointed page of the run in output order (keyword order, page), one at a time.
    /// The body is valid only during the call (it is not copied out of SQLite).
    func forEachPage(runID: String, _ body: (_ keywordIndex: Int, _ keyword: String, _ pageNo: Int, _ method: String, _ body: Data) throws -> Void) throws {
        try forEachPage(runID: runID) { keywordIndex, keyword, pageNo, method, data, _ in try body(keywordIndex, keyword, pageNo, method, data) }
    }

    /// The same, with a link lookup that reads through the same connection (GRDB accesses do not nest).
    func forEachPage(
        runID: String,
        _ body: (_ keywordIndex: Int, _ keyword: String, _ pageNo: Int, _ method: String, _ body: Data, _ links: ([Int64]) throws -> [Int64: AffiliateLink?]) throws -> Void
    ) throws {
        try queue.read { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT keyword_index, keyword, page_no, method, body FROM pagefile.pages WHERE run_id = ? ORDER BY keyword_index, page_no
                """, arguments: [runID])
            while let row = try rows.next() {
                // The body is read in place (no copy): `body` decodes it before the cursor moves on.
                try row.withUnsafeData(atIndex: 4) { bytes in
                    try body(row["keyword_index"], row["keyword"], row["page_no"], row["method"], bytes ?? Data()) { ids in
                        try Self.links(db, runID: runID, ids: ids)
                    }
                }
            }
        }
    }

    /// Every checkpointed page's product ids in output order, from the page summaries; a page
    /// saved without them (by an older alifeed) has its body scanned instead.
    func forEachPageProductIDs(runID: String, _ body: (_ keywordIndex: Int, _ keyword: String, _ pageNo: Int, _ ids: [Int64]) throws -> Void) throws {
        try queue.read { db in
            // The body is read only for a page without saved ids (the CASE leaves its overflow pages unread).
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.keyword_index, p.keyword, p.page_no, s.product_ids, CASE WHEN s.product_ids IS NULL THEN p.body END
                FROM pagefile.pages p LEFT JOIN pagefile.page_summaries s
                    ON s.run_id = p.run_id AND s.keyword_index = p.keyword_index AND s.page_no = p.page_no
                WHERE p.run_id = ? ORDER BY p.keyword_index, p.page_no
                """, arguments: [runID])
            while let row = try rows.next() {
                let ids: [Int64]
                if let packed: Data = row[3] { ids = Self.unpacked(packed) } else { ids = ProductIDScanner.ids(in: row[4] ?? Data()) }
                try body(row[0], row[1], row[2], ids)
            }
        }
    }

    /// Ids as little-endian 8-byte integers.
    static func packed(_ ids: [Int64]) -> Data {
        var data = Data(capacity: ids.count * 8)
        for id in ids { withUnsafeBytes(of: id.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func unpacked(_ data: Data) -> [Int64] {
        data.withUnsafeBytes { raw in
            (0..<(raw.count / 8)).map { Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self)) }
        }
    }

    // MARK: links

    /// This run's links for some products (a missing entry: none made yet; `nil`: refused).
    func links(runID: String, ids: [Int64]) throws -> [Int64: AffiliateLink?] {
        try queue.read { db in try Self.links(db, runID: runID, ids: ids) }
    }

    static func links(_ db: Database, runID: String, ids: [Int64]) throws -> [Int64: AffiliateLink?] {
        guard !ids.isEmpty else { return [:] }
        var result: [Int64: AffiliateLink?] = [:]
        let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var arguments: StatementArguments = [runID]
        arguments += StatementArguments(ids)
        for row in try Row.fetchAll(db, sql: """
            SELECT product_id, url, tracking_id, link_type, generated_at FROM links WHERE run_id = ? AND product_id IN (\(placeholders))
            """, arguments: arguments) {
            let url: String? = row["url"]
            result[row["product_id"]] = url.map {
                AffiliateLink(url: $0, trackingID: row["tracking_id"], generatedAt: Timestamp.parse(row["generated_at"]), linkType: row["link_type"])
            }
        }
        return result
    }

    /// Products of the run that already have a link entry (made or refused).
    func linkedIDs(runID: String) throws -> Set<Int64> {
        try queue.read { db in Set(try Int64.fetchAll(db, sql: "SELECT product_id FROM links WHERE run_id = ?", arguments: [runID])) }
    }

    func saveLinks(runID: String, found: [Int64: AffiliateLink], missing: [Int64], trackingID: String, linkType: Int, at: Date) throws {
        try queue.write { db in
            for (id, link) in found {
                try db.execute(sql: "INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [runID, id, link.url, link.trackingID, link.linkType, Timestamp.iso8601(link.generatedAt)])
            }
            for id in missing {
                try db.execute(sql: "INSERT OR REPLACE INTO links VALUES (?, ?, NULL, ?, ?, ?)",
                               arguments: [runID, id, trackingID, linkType, Timestamp.iso8601(at)])
            }
        }
    }

    // MARK: the daily call budget

    func callsUsed(appKey: String, day: String) throws -> Int {
        try queue.read { db in try Int.fetchOne(db, sql: "SELECT count FROM calls WHERE app_key = ? AND day = ?", arguments: [appKey, day]) ?? 0 }
    }

    func addCalls(_ count: Int, appKey: String, day: String) throws {
        guard count > 0 else { return }
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO calls (app_key, day, count) VALUES (?, ?, ?)
                ON CONFLICT(app_key, day) DO UPDATE SET count = count + excluded.count
                """, arguments: [appKey, day, count])
        }
    }
}

/// Pages checkpointed in the state store as they arrive, and read back on resume.
struct StateCheckpoints: PageCheckpoints {
    let store: StateStore
    let runID: String
    /// The method pages are saved under (the run's summaries serve every method).
    var method: String
    /// The run's page summaries, read at once: a resumed run of thousands of pages would
    /// otherwise make a query per page.
    let summaries: [PageKey: SavedSummary]

    struct PageKey: Hashable {
        var keywordIndex: Int
        var pageNo: Int
    }

    struct SavedSummary {
        var keyword: String
        var method: String
        var requestID: String?
        var summary: StateStore.PageSummary
    }

    init(store: StateStore, runID: String, method: String) throws {
        self.store = store
        self.runID = runID
        self.method = method
        summaries = try store.pageSummaries(runID: runID)
    }

    func checkpointedPage(keywordIndex: Int, pageNo: Int) async throws -> FetchedPage? {
        let saved: (keyword: String, method: String, requestID: String?, content: StateStore.PageContent)
        if let known = summaries[PageKey(keywordIndex: keywordIndex, pageNo: pageNo)] {
            saved = (known.keyword, known.method, known.requestID, .summary(known.summary))
        } else {
            guard let found = try store.page(runID: runID, keywordIndex: keywordIndex, pageNo: pageNo) else { return nil }
            saved = found
        }
        let stored: (keyword: String, method: String, body: Data, requestID: String?)
        switch saved.content {
        case .summary(let summary):
            // Paging needs only the summary; the products are decoded when they are loaded.
            let page = ProductPage(
                pageNo: summary.reportedPageNo, products: [], productCount: summary.productCount, recordCount: summary.recordCount,
                totalRecordCount: summary.totalRecords, totalPageNo: summary.totalPages, isEmpty: summary.isEmpty,
                requestID: saved.requestID, body: Data(), attempts: 0)
            return FetchedPage(keywordIndex: keywordIndex, keyword: saved.keyword, pageNo: pageNo, page: page, fromCheckpoint: true)
        case .body(let body):
            stored = (saved.keyword, saved.method, body, saved.requestID)
        }
        if let fast = FastProductDecoder.decode(stored.body, method: stored.method) {
            let response = APIResponse(method: stored.method, result: fast, isEmpty: false, requestID: stored.requestID, body: stored.body, attempts: 0)
            return FetchedPage(
                keywordIndex: keywordIndex, keyword: stored.keyword, pageNo: pageNo,
                page: OpenPlatformClient.page(from: response, pageNo: pageNo), fromCheckpoint: true)
        }
        let envelope: Envelope<WireProductResult>
        do {
            envelope = try EnvelopeDecoder.decode(WireProductResult.self, method: stored.method, from: stored.body)
        } catch {
            // A checkpoint that does not decode is not trusted: fetch the page again.
            return nil
        }
        guard case .success(let business) = envelope else { return nil }
        let response = APIResponse(
            method: stored.method, result: business.result, isEmpty: business.respCode == 405 || business.result == nil,
            requestID: stored.requestID, body: stored.body, attempts: 0)
        return FetchedPage(
            keywordIndex: keywordIndex, keyword: stored.keyword, pageNo: pageNo,
            page: OpenPlatformClient.page(from: response, pageNo: pageNo), fromCheckpoint: true)
    }

    func checkpoint(_ page: FetchedPage) async throws {
        try store.savePage(
            runID: runID, keywordIndex: page.keywordIndex, keyword: page.keyword, pageNo: page.pageNo, method: method,
            body: page.page.body, requestID: page.page.requestID, summary: StateStore.PageSummary(page.page))
    }
}
