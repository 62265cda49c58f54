public import Catalog
public import Foundation

/// What every sink knows about the run it loads.
public struct RunContext: Sendable {
    public var runID: String
    public var pipeline: String
    public var specHash: String
    public var startedAt: Date
    /// Per keyword: the platform's total and what this run fetched and kept.
    public var keywordStats: [KeywordStat]

    public init(runID: String, pipeline: String, specHash: String, startedAt: Date, keywordStats: [KeywordStat] = []) {
        self.runID = runID
        self.pipeline = pipeline
        self.specHash = specHash
        self.startedAt = startedAt
        self.keywordStats = keywordStats
    }
}

public struct KeywordStat: Sendable, Hashable, Codable {
    public var keyword: String
    public var totalRecords: Int?
    public var pagesFetched: Int
    public var productsKept: Int
    /// Product rows the gateway returned for the keyword.
    public var productsFetched: Int

    public init(keyword: String, totalRecords: Int?, pagesFetched: Int, productsKept: Int, productsFetched: Int = 0) {
        self.keyword = keyword
        self.totalRecords = totalRecords
        self.pagesFetched = pagesFetched
        self.productsKept = productsKept
        self.productsFetched = productsFetched
    }
}

/// Output written but not yet published: commit publishes it, discard leaves the old one.
public protocol StagedOutput: AnyObject {
    func commit() throws
    func discard()
}

/// A destination for the run's products, written one product at a time so memory does not grow
/// with the catalog.
public protocol Sink {
    /// For summaries: `csv output/demo.csv`.
    var label: String { get }
    /// Opens the output where no reader sees it yet.
    func open(context: RunContext) throws -> any SinkWriter
}

/// An open output: rows go in as products arrive; `close` leaves it staged for publishing.
public protocol SinkWriter: AnyObject {
    func write(_ product: Product) throws
    /// Finishes the output. `context` carries the run's final counts (keyword stats).
    func close(context: RunContext) throws -> (rows: Int, output: any StagedOutput)
    /// Abandons the output; the published one is untouched.
    func discard()
}

extension AtomicFile: StagedOutput {}

/// Columns of the generic CSV feed, one product per row.
public struct GenericCSVSink: Sink {
    public let url: URL
    public let label: String

    public init(url: URL, label: String? = nil) {
        self.url = url
        self.label = label ?? "csv \(url.path)"
    }

    public static let header = [
        "product_id", "title", "sale_price", "currency", "original_price", "discount_percent", "affiliate_url",
        "link_generated_at", "detail_url", "image_url", "additional_image_urls", "video_url", "category_id",
        "category", "subcategory_id", "subcategory", "shop_id", "shop_name", "commission_rate", "hot_commission_rate",
        "rating_percent", "volume_30d", "keywords", "sku_id", "availability",
    ]

    public func open(context: RunContext) throws -> any SinkWriter {
        try StorefrontCSVSink(url: url, profile: .generic, label: label).open(context: context)
    }

    static func row(_ p: Product) -> [String] {
        let top = p.categories.first { $0.level == 1 }, second = p.categories.first { $0.level == 2 }
        return [
            String(p.id), p.title, p.salePrice.formatted(), p.salePrice.currency.rawValue, p.originalPrice?.formatted() ?? "",
            p.discount.map { DecimalText.format($0.points, scale: 0) } ?? "", p.affiliateLink?.url ?? "",
            p.affiliateLink.map { Timestamp.iso8601($0.generatedAt) } ?? "", p.detailURL, p.images.main ?? "",
            p.images.gallery.joined(separator: " "), p.images.video ?? "", top.map { String($0.id) } ?? "", top?.name ?? "",
            second.map { String($0.id) } ?? "", second?.name ?? "", p.shop.map { String($0.id) } ?? "", p.shop?.name ?? "",
            p.commission.rate.map { DecimalText.format($0.points, scale: 1) } ?? "",
            p.commission.hotRate.map { DecimalText.format($0.points, scale: 1) } ?? "",
            p.rating.map { DecimalText.format($0.points, scale: 1) } ?? "", p.volume30d.map(String.init) ?? "",
            p.keywords.joined(separator: "|"), p.skuID.map(String.init) ?? "", p.availability.rawValue,
        ]
    }
}

/// A generic XML feed: `<catalog><product id="…">…</product></catalog>`.
public struct GenericXMLSink: Sink {
    public let url: URL
    public let label: String

    public init(url: URL, label: String? = nil) {
        self.url = url
        self.label = label ?? "xml \(url.path)"
    }

    public func open(context: RunContext) throws -> any SinkWriter {
        let file = try AtomicFile(target: url)
        do {
            try file.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
            try file.write("<catalog pipeline=\"\(XMLFormat.escape(context.pipeline))\" run=\"\(XMLFormat.escape(context.runID))\" generated_at=\"\(Timestamp.iso8601(context.startedAt))\">\n")
        } catch {
            file.discard()
            throw error
        }
        return FileWriter(file: file, footer: "</catalog>\n") { [file] product in
            try file.write(Self.element(product))
            return true
        }
    }

    static func element(_ p: Product) -> String {
        var x = "  <product id=\"\(p.id)\">\n"
        x += "    \(XMLFormat.element("title", p.title))\n"
        x += "    <price currency=\"\(p.salePrice.currency.rawValue)\">\(p.salePrice.formatted())</price>\n"
        if let original = p.originalPrice {
            x += "    <original_price currency=\"\(original.currency.rawValue)\">\(original.formatted())</original_price>\n"
        }
        if let discount = p.discount { x += "    <discount_percent>\(DecimalText.format(discount.points, scale: 0))</discount_percent>\n" }
        if let link = p.affiliateLink {
            x += "    <affiliate_url generated_at=\"\(Timestamp.iso8601(link.generatedAt))\">\(XMLFormat.escape(link.url))</affiliate_url>\n"
        }
        x += "    \(XMLFormat.element("detail_url", p.detailURL))\n"
        if let main = p.images.main { x += "    \(XMLFormat.element("image", main))\n" }
        for image in p.images.gallery { x += "    \(XMLFormat.element("additional_image", image))\n" }
        if let video = p.images.video { x += "    \(XMLFormat.element("video", video))\n" }
        for category in p.categories {
            x += "    <category id=\"\(category.id)\" level=\"\(category.level)\">\(XMLFormat.escape(category.name))</category>\n"
        }
        if let shop = p.shop { x += "    <shop id=\"\(shop.id)\">\(XMLFormat.escape(shop.name ?? ""))</shop>\n" }
        if let rate = p.commission.rate { x += "    <commission_rate>\(DecimalText.format(rate.points, scale: 1))</commission_rate>\n" }
        if let rating = p.rating { x += "    <rating_percent>\(DecimalText.format(rating.points, scale: 1))</rating_percent>\n" }
        if let volume = p.volume30d { x += "    <volume_30d>\(volume)</volume_30d>\n" }
        x += "    <availability>\(p.availability.rawValue)</availability>\n"
        for keyword in p.keywords { x += "    \(XMLFormat.element("keyword", keyword))\n" }
        x += "  </product>\n"
        return x
    }
}

/// Times as they appear in outputs: ISO 8601 UTC with milliseconds.
public enum Timestamp {
    public static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A file sink's writer: a header already written, a row function, a footer on close.
final class FileWriter: SinkWriter {
    let file: AtomicFile
    let footer: String
    let row: (Product) throws -> Bool
    /// Checks the finished temporary file before it may be published (rows written → problem).
    let verify: ((URL, Int) throws -> Void)?
    private(set) var rows = 0

    init(file: AtomicFile, footer: String, verify: ((URL, Int) throws -> Void)? = nil, row: @escaping (Product) throws -> Bool) {
        self.file = file
        self.footer = footer
        self.verify = verify
        self.row = row
    }

    func write(_ product: Product) throws {
        if try row(product) { rows += 1 }
    }

    func close(context: RunContext) throws -> (rows: Int, output: any StagedOutput) {
        do {
            try file.write(footer)
            try file.finish()
            try verify?(file.temporary, rows)
        } catch {
            file.discard()
            throw error
        }
        return (rows, file)
    }

    func discard() { file.discard() }
}
