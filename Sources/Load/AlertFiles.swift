import Catalog
public import Foundation

/// The price-drop alerts of a run, as CSV (for spreadsheets) and JSON (for scripts), each
/// written atomically.
public enum AlertFiles {
    public static let header = [
        "product_id", "title", "current_price", "average_price", "currency", "drop_percent", "observations", "detail_url", "affiliate_url",
    ]

    public static func write(_ drops: [PriceDrop], rule: PriceDropRule, csv: URL, json: URL) throws {
        let csvFile = try AtomicFile(target: csv)
        do {
            try csvFile.write(CSVFormat.row(header))
            for drop in drops {
                try csvFile.write(CSVFormat.row([
                    String(drop.productID), CSVCell.text(drop.title, spreadsheetSafe: false), DecimalText.format(drop.currentPrice, scale: 2),
                    DecimalText.format(drop.averagePrice, scale: 2), drop.currency, DecimalText.format(drop.dropPercent, scale: 2),
                    String(drop.observations), drop.detailURL, drop.affiliateURL ?? "",
                ]))
            }
            try csvFile.commit()
        } catch {
            csvFile.discard()
            throw error
        }
        struct Document: Encodable {
            var threshold_percent: String
            var window: String
            var min_observations: Int
            var alerts: [Alert]
        }
        struct Alert: Encodable {
            var product_id: Int64, title: String, current_price: String, average_price: String, currency: String
            var drop_percent: String, observations: Int, detail_url: String, affiliate_url: String?
        }
        let document = Document(
            threshold_percent: DecimalText.format(rule.threshold * 100, scale: 2), window: rule.window.description,
            min_observations: rule.minimumObservations,
            alerts: drops.map {
                Alert(
                    product_id: $0.productID, title: $0.title, current_price: DecimalText.format($0.currentPrice, scale: 2),
                    average_price: DecimalText.format($0.averagePrice, scale: 2), currency: $0.currency,
                    drop_percent: DecimalText.format($0.dropPercent, scale: 2), observations: $0.observations,
                    detail_url: $0.detailURL, affiliate_url: $0.affiliateURL)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let jsonFile = try AtomicFile(target: json)
        do {
            try jsonFile.write(try encoder.encode(document))
            try jsonFile.commit()
        } catch {
            jsonFile.discard()
            throw error
        }
    }
}
