import ArgumentParser
import Catalog
import Foundation
import Load
import Pipeline

struct PricesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prices",
        abstract: "Show a product's price history, or the current price drops, from a catalog.",
        discussion: "Examples:\n  alifeed prices output/nightly.sqlite --drops --threshold 15% --window '14 days'\n  alifeed prices output/nightly.sqlite --product 1005006338829917 --format csv")


    @Argument(help: "The SQLite catalog a pipeline loads.") var catalog: String
    @Option(help: "Show this product's price history.") var product: Int64?
    @Flag(help: "Show products priced below their historical average.") var drops = false
    @Option(help: "Drop threshold for --drops, e.g. 10%.") var threshold: String = "10%"
    @Option(help: "Window for --drops: 'N runs' or 'N days'.") var window: String = "30 runs"
    @Option(help: "Earlier observations needed for --drops.") var minObservations: Int = 3
    @Option(help: "table (default on a terminal), csv or json.") var format: OutputFormat?

    func validate() throws {
        guard (product != nil) != drops else { throw ValidationError("give either --product ID or --drops") }
        guard FileManager.default.fileExists(atPath: catalog) else { throw ValidationError("no catalog at \(catalog)") }
    }

    func run() throws {
        let database: CatalogDatabase
        do {
            database = try CatalogDatabase(path: catalog)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw Exit.runFailed
        }
        let history = PriceHistory(database: database)
        let output = format ?? .automatic
        if let product {
            let points = try history.history(productID: product)
            guard !points.isEmpty else {
                FileHandle.standardError.write(Data("error: product \(product) has no price history in \(catalog)\n".utf8))
                throw Exit.runFailed
            }
            let rows = points.map { [$0.observedAt, DecimalText.format($0.salePrice, scale: 2), $0.originalPrice.map { DecimalText.format($0, scale: 2) } ?? "", $0.currency, $0.runID] }
            try Output.emit(header: ["observed_at", "sale_price", "original_price", "currency", "run_id"], rows: rows, format: output, rightAligned: [1, 2])
        } else {
            let rule = try parseRule()
            let found = try history.drops(rule: rule)
            let rows = found.map {
                [String($0.productID), DecimalText.format($0.dropPercent, scale: 2), DecimalText.format($0.currentPrice, scale: 2),
                 DecimalText.format($0.averagePrice, scale: 2), $0.currency, String($0.observations), $0.title]
            }
            try Output.emit(
                header: ["product_id", "drop_percent", "current_price", "average_price", "currency", "observations", "title"],
                rows: rows, format: output, rightAligned: [1, 2, 3, 5])
        }
    }

    func parseRule() throws -> PriceDropRule {
        let text = threshold.hasSuffix("%") ? String(threshold.dropLast()) : threshold
        guard let value = DecimalText.parse(text), value > 0, value < 100 else {
            throw ValidationError("--threshold must be a percentage between 0 and 100, e.g. 10%")
        }
        let parts = window.lowercased().split(separator: " ")
        guard parts.count == 2, let n = Int(parts[0]), n > 0, ["run", "runs", "day", "days"].contains(String(parts[1])) else {
            throw ValidationError("--window must be like '30 runs' or '14 days'")
        }
        return PriceDropRule(threshold: value / 100, window: parts[1].hasPrefix("run") ? .runs(n) : .days(n), minimumObservations: minObservations)
    }
}

