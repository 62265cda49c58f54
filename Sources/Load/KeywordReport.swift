import Catalog
public import Foundation

/// One row per keyword of a research run: what the platform holds for it and what the fetched
/// products look like (prices in the target currency, all in Decimal). CSV at the path, JSON beside.
public struct KeywordReportSink: Sink {
    public let url: URL
    public let label: String
    /// Products listed per keyword, by 30-day volume.
    public let topCount: Int

    public init(url: URL, label: String? = nil, topCount: Int = 3) {
        self.url = url
        self.label = label ?? "keyword_report \(url.path)"
        self.topCount = topCount
    }

    public var jsonURL: URL { url.deletingPathExtension().appendingPathExtension("json") }

    public static let header = [
        "keyword", "total_results", "pages_fetched", "products_fetched", "products", "currency", "price_min", "price_q1",
        "price_median", "price_q3", "price_max", "volume_median", "volume_total", "rating_average", "commission_median",
        "commission_max", "fast_shipping_share", "top_products",
    ]

    /// The figures of one keyword.
    public struct Row: Sendable, Codable, Hashable {
        public var keyword: String
        public var totalResults: Int?
        public var pagesFetched: Int
        public var productsFetched: Int
        public var products: Int
        public var currency: String?
        public var priceMin: Decimal?, priceQ1: Decimal?, priceMedian: Decimal?, priceQ3: Decimal?, priceMax: Decimal?
        public var volumeMedian: Decimal?
        public var volumeTotal: Int
        public var ratingAverage: Decimal?
        public var commissionMedian: Decimal?, commissionMax: Decimal?
        /// Share (0...1) of products delivered within 7 days, among those with shipping data.
        public var fastShippingShare: Decimal?
        public var topProducts: [TopProduct]
    }

    public struct TopProduct: Sendable, Codable, Hashable {
        public var productID: Int64
        public var title: String
        public var volume30d: Int
        public var price: Decimal
    }

    /// Per-keyword figures gathered as products stream past: values, not products, are kept.
    final class Tally {
        struct Values {
            var prices: [CurrencyCode: [Decimal]] = [:]
            var volumes: [Int] = []
            var ratings: [Decimal] = []
            var commissions: [Decimal] = []
            var shipping: [Int] = []
            var count = 0
            var top: [TopProduct] = []
        }
        let topCount: Int
        var byKeyword: [String: Values] = [:]

        init(topCount: Int) { self.topCount = topCount }

        func add(_ product: Product) {
            for keyword in product.keywords {
                var v = byKeyword[keyword] ?? Values()
                v.count += 1
                v.prices[product.salePrice.currency, default: []].append(product.salePrice.amount)
                if let volume = product.volume30d { v.volumes.append(volume) }
                if let rating = product.rating?.points { v.ratings.append(rating) }
                if let rate = product.commission.rate?.points { v.commissions.append(rate) }
                if let days = product.shippingDays { v.shipping.append(days) }
                let entry = TopProduct(productID: product.id, title: TitleCleaner.truncate(product.storefrontTitle, limit: 80), volume30d: product.volume30d ?? 0, price: product.salePrice.amount)
                v.top.append(entry)
                v.top.sort { ($0.volume30d, -$0.productID) > ($1.volume30d, -$1.productID) }
                if v.top.count > topCount { v.top.removeLast() }
                byKeyword[keyword] = v
            }
        }

        func rows(stats: [KeywordStat]) -> [Row] {
            stats.map { stat in
                let v = byKeyword[stat.keyword] ?? Values()
                let currency = v.prices.max { $0.value.count < $1.value.count }?.key
                let prices = (currency.flatMap { v.prices[$0] } ?? []).sorted()
                let commissions = v.commissions.sorted()
                return Row(
                    keyword: stat.keyword, totalResults: stat.totalRecords, pagesFetched: stat.pagesFetched, productsFetched: stat.productsFetched,
                    products: v.count, currency: currency?.rawValue, priceMin: prices.first, priceQ1: quantile(prices, 1, 4),
                    priceMedian: quantile(prices, 1, 2), priceQ3: quantile(prices, 3, 4), priceMax: prices.last,
                    volumeMedian: quantile(v.volumes.sorted().map { Decimal($0) }, 1, 2), volumeTotal: v.volumes.reduce(0, +),
                    ratingAverage: v.ratings.isEmpty ? nil : DecimalText.round(v.ratings.reduce(0, +) / Decimal(v.ratings.count), scale: 1),
                    commissionMedian: quantile(commissions, 1, 2), commissionMax: commissions.last,
                    fastShippingShare: v.shipping.isEmpty ? nil : DecimalText.round(Decimal(v.shipping.filter { $0 <= 7 }.count) / Decimal(v.shipping.count), scale: 3),
                    topProducts: v.top)
            }
        }
    }

    /// The `numerator/denominator` quantile of sorted values, interpolating linearly between the
    /// two nearest ranks (the common "type 7" definition), rounded to cents.
    public static func quantile(_ sorted: [Decimal], _ numerator: Int, _ denominator: Int) -> Decimal? {
        guard !sorted.isEmpty else { return nil }
        let position = Decimal(sorted.count - 1) * Decimal(numerator) / Decimal(denominator)
        var input = position
        var lowerDecimal = Decimal()
        NSDecimalRound(&lowerDecimal, &input, 0, .down)
        let lower = NSDecimalNumber(decimal: lowerDecimal).intValue
        let fraction = position - lowerDecimal
        let upper = min(lower + 1, sorted.count - 1)
        return DecimalText.round(sorted[lower] + (sorted[upper] - sorted[lower]) * fraction, scale: 2)
    }

    public func open(context: RunContext) throws -> any SinkWriter {
        ReportWriter(sink: self, tally: Tally(topCount: topCount))
    }

    final class ReportWriter: SinkWriter {
        let sink: KeywordReportSink
        let tally: Tally
        init(sink: KeywordReportSink, tally: Tally) {
            self.sink = sink
            self.tally = tally
        }
        func write(_ product: Product) throws { tally.add(product) }
        func discard() {}
        func close(context: RunContext) throws -> (rows: Int, output: any StagedOutput) {
            try sink.write(tally.rows(stats: context.keywordStats))
        }
    }

    func write(_ rows: [Row]) throws -> (rows: Int, output: any StagedOutput) {
        func d(_ value: Decimal?, _ scale: Int = 2) -> String { value.map { DecimalText.format($0, scale: scale) } ?? "" }
        let csv = try AtomicFile(target: url)
        let json = try AtomicFile(target: jsonURL)
        do {
            try csv.write(CSVFormat.row(Self.header))
            for r in rows {
                try csv.write(CSVFormat.row([
                    CSVCell.text(r.keyword, spreadsheetSafe: false), r.totalResults.map(String.init) ?? "", String(r.pagesFetched),
                    String(r.productsFetched), String(r.products), r.currency ?? "", d(r.priceMin), d(r.priceQ1), d(r.priceMedian), d(r.priceQ3),
                    d(r.priceMax), d(r.volumeMedian, 1), String(r.volumeTotal), d(r.ratingAverage, 1), d(r.commissionMedian, 1),
                    d(r.commissionMax, 1), d(r.fastShippingShare, 3),
                    r.topProducts.map { "\($0.productID) (\($0.volume30d) sold) \(CSVCell.text($0.title, spreadsheetSafe: false))" }.joined(separator: " | "),
                ]))
            }
            try csv.finish()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try json.write(try encoder.encode(["keywords": rows]))
            try json.finish()
        } catch {
            csv.discard()
            json.discard()
            throw error
        }
        return (rows.count, StagedPair(first: csv, second: json))
    }
}

/// Two files published together.
final class StagedPair: StagedOutput {
    let first: AtomicFile, second: AtomicFile
    init(first: AtomicFile, second: AtomicFile) {
        self.first = first
        self.second = second
    }
    func commit() throws {
        try first.commit()
        try second.commit()
    }
    func discard() {
        first.discard()
        second.discard()
    }
}
