import Catalog
public import Foundation
import GRDB

/// How far back the historical average looks.
public enum PriceWindow: Sendable, Hashable, CustomStringConvertible {
    /// The previous N runs of the pipeline.
    case runs(Int)
    /// Observations of the last N days.
    case days(Int)

    public var description: String {
        switch self {
        case .runs(let n): "\(n) runs"
        case .days(let n): "\(n) days"
        }
    }
}

/// `alerts.price_drop`: a product is alerted when its current price is more than `threshold`
/// below its average over the window, given enough earlier observations.
public struct PriceDropRule: Sendable, Hashable {
    /// Fraction, 0.1 = 10 %.
    public var threshold: Decimal
    public var window: PriceWindow
    /// Earlier observations needed (the current one not counted).
    public var minimumObservations: Int

    public init(threshold: Decimal, window: PriceWindow = .runs(30), minimumObservations: Int = 3) {
        self.threshold = threshold
        self.window = window
        self.minimumObservations = minimumObservations
    }
}

/// A product whose price fell below its historical average.
public struct PriceDrop: Sendable, Hashable, Codable {
    public var productID: Int64
    public var title: String
    public var currentPrice: Decimal
    public var averagePrice: Decimal
    public var currency: String
    /// Percent below the average, two decimals.
    public var dropPercent: Decimal
    /// Earlier observations the average is made of.
    public var observations: Int
    public var detailURL: String
    public var affiliateURL: String?
}

/// One price observation.
public struct PricePoint: Sendable, Hashable, Codable {
    public var runID: String
    public var observedAt: String
    public var salePrice: Decimal
    public var originalPrice: Decimal?
    public var currency: String
}

/// Queries over the catalog's price history.
public struct PriceHistory {
    public let database: CatalogDatabase

    public init(database: CatalogDatabase) { self.database = database }

    /// Every observation of a product, oldest first.
    public func history(productID: Int64) throws -> [PricePoint] {
        try database.queue.read { db in
            try Row.fetchAll(db, sql: Self.productHistorySQL, arguments: [productID]).map { row in
                PricePoint(
                    runID: row["run_id"], observedAt: row["observed_at"], salePrice: Self.decimal(row["sale_price"]),
                    originalPrice: (row["original_price"] as String?).map(Self.decimal), currency: row["currency"])
            }
        }
    }

    /// Products of the latest run (or `runID`) priced more than the threshold below their
    /// average over the window; largest drop first. Averages use the same currency only.
    public func drops(rule: PriceDropRule, runID: String? = nil, pipeline: String? = nil) throws -> [PriceDrop] {
        try database.queue.read { db in
            guard let run = try runID ?? String.fetchOne(db, sql: """
                SELECT id FROM runs WHERE status = 'succeeded' \(pipeline == nil ? "" : "AND pipeline = ?")
                ORDER BY started_at DESC, id DESC LIMIT 1
                """, arguments: StatementArguments(pipeline.map { [$0] } ?? [])) else { return [] }
            guard let started = try String.fetchOne(db, sql: "SELECT started_at FROM runs WHERE id = ?", arguments: [run]) else { return [] }
            let pipelineName = try String.fetchOne(db, sql: "SELECT pipeline FROM runs WHERE id = ?", arguments: [run]) ?? ""
            let (windowFilter, arguments) = Self.window(rule.window, pipeline: pipelineName, runStartedAt: started)
            let rows = try Row.fetchAll(db, sql: Self.observationsSQL(window: windowFilter), arguments: StatementArguments(arguments + [run]))
            var drops: [PriceDrop] = []
            for row in rows {
                let earlier = Self.total(ofPrices: row["earlier"] ?? "")
                guard earlier.count >= rule.minimumObservations, earlier.count > 0 else { continue }
                let average = earlier.sum / Decimal(earlier.count)
                let current = Self.decimal(row["sale_price"])
                guard average > 0 else { continue }
                let drop = (average - current) / average
                guard drop > rule.threshold else { continue }
                drops.append(PriceDrop(
                    productID: row["product_id"], title: row["title"], currentPrice: current,
                    averagePrice: DecimalText.round(average, scale: 2), currency: row["currency"],
                    dropPercent: DecimalText.round(drop * 100, scale: 2), observations: earlier.count,
                    detailURL: row["detail_url"], affiliateURL: row["link"]))
            }
            return drops.sorted { $0.dropPercent != $1.dropPercent ? $0.dropPercent > $1.dropPercent : $0.productID < $1.productID }
        }
    }

    /// History is keyed by run first: a product's rows are found by one lookup per run
    /// (`CROSS JOIN` keeps that order), not by a scan of every run's rows.
    static let productHistorySQL = """
        SELECT h.run_id, h.observed_at, h.sale_price, h.original_price, h.currency
        FROM runs r CROSS JOIN price_history h ON h.run_id = r.id AND h.product_seq = (SELECT seq FROM products WHERE id = ?)
        ORDER BY h.observed_at, h.run_id
        """

    /// The filter on earlier observations `h` inside the window, with its arguments.
    static func window(_ window: PriceWindow, pipeline: String, runStartedAt started: String) -> (String, [any DatabaseValueConvertible]) {
        switch window {
        case .runs(let n):
            return ("""
                h.run_id IN (SELECT id FROM runs WHERE status = 'succeeded' AND pipeline = ? AND started_at < ?
                             ORDER BY started_at DESC LIMIT ?)
                """, [pipeline, started, n])
        case .days(let n):
            // A run stamps its observations with its start, so the window's runs are found
            // by their start; each is one lookup by the history's key (run, product).
            let from = Timestamp.iso8601(Timestamp.parse(started).addingTimeInterval(-Double(n) * 86_400))
            return ("""
                h.run_id IN (SELECT id FROM runs WHERE started_at >= ? AND started_at < ?)
                    AND h.observed_at >= ? AND h.observed_at < ?
                """, [from, started, from, started])
        }
    }

    /// The run's observations, each with its product, its link and the earlier prices in the
    /// window (`window` filters the earlier rows `h`; the run's id is the last argument).
    static func observationsSQL(window: String) -> String {
        """
        SELECT c.product_id, c.sale_price, c.currency, p.title, p.detail_url,
               (SELECT url FROM affiliate_links a WHERE a.product_seq = c.product_seq AND a.run_id = c.run_id) AS link,
               (SELECT group_concat(h.sale_price, ' ') FROM price_history h
                WHERE h.product_seq = c.product_seq AND h.currency = c.currency AND h.run_id != c.run_id AND \(window)) AS earlier
        FROM price_history c JOIN products p ON p.seq = c.product_seq
        WHERE c.run_id = ?
        """
    }

    /// Records the run's alerts in the catalog.
    public func record(_ drops: [PriceDrop], runID: String) throws {
        try database.queue.write { db in
            for drop in drops {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO price_alerts (run_id, product_id, current_price, average_price, currency, drop_percent, observations)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        runID, drop.productID, DecimalText.format(drop.currentPrice, scale: 2),
                        DecimalText.format(drop.averagePrice, scale: 2), drop.currency,
                        DecimalText.format(drop.dropPercent, scale: 2), drop.observations,
                    ])
            }
            try db.execute(sql: "UPDATE runs SET alerts = ? WHERE id = ?", arguments: [drops.count, runID])
        }
    }

    static func decimal(_ text: String) -> Decimal { DecimalText.parse(text) ?? 0 }

    /// The sum and count of space-separated prices (text that is no price counts as 0).
    /// A night's check adds up a window of prices for every product the run saw (30 runs of
    /// 89k products: 2.7M). Split into Strings and added as `Decimal`s they took about a quarter
    /// of the check (4.8 s → 3.7 s); they are added as integers of micro-units, exactly, and
    /// only a list with a price that does not fit (more than six decimals or eighteen digits)
    /// or text that is no price goes through `Decimal` as before.
    static func total(ofPrices text: String) -> (sum: Decimal, count: Int) {
        var text = text
        if let exact = text.withUTF8({ microUnits(in: $0) }) {
            let sum = Decimal(sign: exact.total < 0 ? .minus : .plus, exponent: -6, significand: Decimal(exact.total.magnitude))
            return (sum, exact.count)
        }
        let prices = text.split(separator: " ").map { decimal(String($0)) }
        return (prices.reduce(Decimal(0), +), prices.count)
    }

    /// The total of plain prices (``DecimalText/plainParts(_:)``, at most 18 digits and six
    /// decimals) in micro-units, or nil if a price is anything else or the total overflows.
    static func microUnits(in bytes: UnsafeBufferPointer<UInt8>) -> (total: Int64, count: Int)? {
        guard !bytes.isEmpty else { return (0, 0) }
        var total: Int64 = 0, count = 0
        for price in bytes.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false) {
            guard let parts = DecimalText.plainParts(UnsafeBufferPointer(rebasing: price)),
                  parts.digits <= 18, parts.fractionDigits <= 6 else { return nil }
            var value = Int64(parts.mantissa)
            for _ in parts.fractionDigits..<6 {
                let (scaled, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                value = scaled
            }
            let (sum, overflow) = total.addingReportingOverflow(parts.negative ? -value : value)
            guard !overflow else { return nil }
            total = sum
            count += 1
        }
        return (total, count)
    }
}

extension Timestamp {
    public static func parse(_ text: String) -> Date {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0)
    }
}
