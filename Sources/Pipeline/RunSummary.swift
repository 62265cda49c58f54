public import Foundation

/// What a run did, printed at the end and written as JSON next to the outputs.
public struct RunSummary: Sendable, Codable {
    public struct SinkResult: Sendable, Codable, Hashable {
        public var sink: String
        public var rows: Int
    }

    public struct KeywordResult: Sendable, Codable, Hashable {
        public var keyword: String
        public var totalRecords: Int?
        public var pagesFetched: Int
        public var productsFetched: Int
        public var productsKept: Int
    }

    public var pipeline: String
    public var runID: String
    public var status: String
    public var endpoint: String
    public var startedAt: Date
    public var finishedAt: Date
    public var durationSeconds: Double
    public var keywords: Int
    public var pages: Int
    /// Pages read back from the state store (a resumed run) instead of fetched.
    public var pagesFromCheckpoint = 0
    public var apiCalls: Int
    public var retries: Int
    public var bans: Int
    /// Product rows the gateway returned, repeats included.
    public var productsFetched: Int
    /// Distinct products written.
    public var products: Int
    public var duplicatesMerged: Int
    public var filteredOut: Int
    /// Products that could not be normalized (named in `problems`).
    public var invalidProducts: Int
    public var linksGenerated: Int
    public var linksMissing: Int
    /// Products without a link this run (ids), at most 100 listed.
    public var productsWithoutLink: [Int64]
    public var sinks: [SinkResult]
    /// Products priced more than the alert threshold below their average (`nil`: no alerts set).
    public var priceDrops: Int?
    public var perKeyword: [KeywordResult]
    public var problems: [String]
    /// Wall time per stage, in run order (extract, index, links, load, alerts), to see where a run's time went.
    public var stages: [StageTime] = []

    public struct StageTime: Sendable, Codable, Hashable {
        public var stage: String
        public var seconds: Double
    }

    /// The text printed at the end of a run.
    public var text: String {
        var lines = [
            "run \(runID) \(status) in \(String(format: "%.1f", durationSeconds)) s (endpoint \(endpoint))",
            "  keywords \(keywords), pages \(pages)\(pagesFromCheckpoint > 0 ? " (\(pagesFromCheckpoint) from checkpoints)" : ""), API calls \(apiCalls) (retries \(retries), bans \(bans))",
            "  products \(products) (fetched \(productsFetched), duplicates merged \(duplicatesMerged), filtered out \(filteredOut), invalid \(invalidProducts))",
            "  affiliate links \(linksGenerated) generated, \(linksMissing) missing",
        ]
        for sink in sinks { lines.append("  \(sink.sink): \(sink.rows) rows") }
        if !stages.isEmpty {
            lines.append("  stages: " + stages.map { "\($0.stage) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", "))
        }
        if let priceDrops { lines.append("  price drops: \(priceDrops) alerted") }
        for problem in problems.prefix(10) { lines.append("  note: \(problem)") }
        return lines.joined(separator: "\n")
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
