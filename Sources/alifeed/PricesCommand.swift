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

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

    @Argument(help: "The SQLite catalog a pipeline loads.") var catalog: String
    @Option(help: "Show this product's price history.") var product: Int64?
    @Flag(help: "Show products priced below their historical average.") var drops = false
    @Option(help: "Drop threshold for --drops, e.g. 10%.") var threshold: String = "10%"
    @Option(help: "Window for --drops: 'N runs' or 'N days'.") var window: String = "30 runs"
    @Option(help: "Earlier observations needed for --drops.") var minObservations: Int = 3
    @Option(help: "table (default on a terminal), csv or json.") var format: Format?

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
        let output = format ?? (isatty(1) == 1 ? .table : .csv)
        if let product {
            let points = try history.history(productID: product)
            guard !points.isEmpty else {
                FileHandle.standardError.write(Data("error: product \(product) has no price history in \(catalog)\n".utf8))
                throw Exit.runFailed
            }
            let rows = points.map { [$0.observedAt, DecimalText.format($0.salePrice, scale: 2), $0.originalPrice.map { DecimalText.format($0, scale: 2) } ?? "", $0.currency, $0.runID] }
            try emit(header: ["observed_at", "sale_price", "original_price", "currency", "run_id"], rows: rows, format: output, rightAligned: [1, 2])
        } else {
            let rule = try parseRule()
            let found = try history.drops(rule: rule)
            let rows = found.map {
                [String($0.productID), DecimalText.format($0.dropPercent, scale: 2), DecimalText.format($0.currentPrice, scale: 2),
                 DecimalText.format($0.averagePrice, scale: 2), $0.currency, String($0.observations), $0.title]
            }
            try emit(
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

    func emit(header: [String], rows: [[String]], format: Format, rightAligned: Set<Int>) throws {
        switch format {
        case .csv:
            var text = CSVFormat.row(header)
            for row in rows { text += CSVFormat.row(row.map { CSVCell.text($0, spreadsheetSafe: false) }) }
            FileHandle.standardOutput.write(Data(text.utf8))
        case .json:
            let objects = rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(objects))
            FileHandle.standardOutput.write(Data("\n".utf8))
        case .table:
            print(TextTable.render(header: header, rows: rows, rightAligned: rightAligned))
        }
    }
}

/// A plain aligned table for terminals.
enum TextTable {
    static func render(header: [String], rows: [[String]], rightAligned: Set<Int>) -> String {
        let clipped = rows.map { $0.map { $0.count > 70 ? String($0.prefix(69)) + "…" : $0 } }
        var widths = header.map(\.count)
        for row in clipped { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return rightAligned.contains(i) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        lines += clipped.map(line)
        if rows.isEmpty { lines.append("(none)") }
        return lines.joined(separator: "\n")
    }
}
