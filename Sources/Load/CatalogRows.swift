public import Catalog
import Foundation

/// Products as the catalog's statement executions, their values packed into one byte buffer.
/// Built on the thread that decodes the pages and run on the catalog's own thread, which so never
/// touches the products' Strings: three threads retaining and releasing the same Strings cost
/// more than the work they split.
public struct CatalogRows: Sendable {
    enum Statement: UInt8, Sendable {
        case upsert, keyword, price, link, unavailable
    }

    enum Value: Sendable {
        case null
        case integer(Int64)
        /// UTF-8 text at `bytes[offset..<offset + count]`.
        case text(offset: Int32, count: Int32)
    }

    /// A statement and where its values start; they run to the next execution's first value.
    struct Execution: Sendable {
        var statement: Statement
        var firstValue: Int32
    }

    var bytes: [UInt8] = []
    var values: [Value] = []
    var executions: [Execution] = []
    /// Products found this run (not the ones only marked out of stock).
    public internal(set) var found = 0
    /// Products, found or only marked out of stock.
    public internal(set) var products = 0

    public init() {}

    /// Empty, with room for about as much as `previous` held: a page's rows grew the buffers from
    /// empty a dozen times, copying the bytes each time.
    public init(sizedLike previous: CatalogRows) {
        bytes.reserveCapacity(previous.bytes.count + previous.bytes.count / 4)
        values.reserveCapacity(previous.values.count + previous.values.count / 4)
        executions.reserveCapacity(previous.executions.count + previous.executions.count / 4)
    }

    public var isEmpty: Bool { executions.isEmpty }

    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        executions.removeAll(keepingCapacity: true)
        found = 0
        products = 0
    }

    mutating func begin(_ statement: Statement) {
        executions.append(Execution(statement: statement, firstValue: Int32(values.count)))
    }

    // A value only appends: the count of each execution's values is where the next one starts
    // (counting them here was a write into the executions for every value).
    private mutating func push(_ value: Value) { values.append(value) }

    /// The values of the execution at `index`.
    func valueRange(of index: Int) -> Range<Int> {
        Int(executions[index].firstValue)..<(index + 1 < executions.count ? Int(executions[index + 1].firstValue) : values.count)
    }

    mutating func add(_ value: Int64?) { push(value.map(Value.integer) ?? .null) }

    mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    mutating func add(_ value: String?) {
        guard var value else { return push(.null) }
        let offset = bytes.count
        value.withUTF8 { bytes.append(contentsOf: $0) }
        push(.text(offset: Int32(offset), count: Int32(bytes.count - offset)))
    }

    /// A text value written by `body` straight into the buffer.
    mutating func addText(_ body: (inout [UInt8]) -> Void) {
        let offset = bytes.count
        body(&bytes)
        push(.text(offset: Int32(offset), count: Int32(bytes.count - offset)))
    }

    /// A decimal rounded to `scale` places, as text written straight into the buffer (``DecimalText/format(_:scale:)``'s digits).
    mutating func add(_ value: Decimal?, scale: Int) {
        guard let value else { return push(.null) }
        let offset = bytes.count
        DecimalText.append(value, scale: scale, to: &bytes)
        push(.text(offset: Int32(offset), count: Int32(bytes.count - offset)))
    }

    /// A value already added, added again (prices appear in two statements).
    mutating func repeatValue(at index: Int) { push(values[index]) }
}

/// Turns products into ``CatalogRows``: the rows ``CatalogWriter`` writes for each product.
/// What is the same for every product of the run (its time, its id) is not in the rows: the
/// writer binds it once.
public struct CatalogRowEncoder: Sendable {

    public func append(_ p: Product, to rows: inout CatalogRows) {
        rows.products += 1
        if p.availability == .outOfStock && p.hits.isEmpty {
            // Known from earlier runs, not found this run: kept, marked, no new observation.
            rows.begin(.unavailable)
            rows.add(p.id)
            if let a = p.affiliateLink { appendLink(a, productID: p.id, to: &rows) }
            return
        }
        rows.found += 1
        let categories = p.categories
        let top = categories.first { $0.level == 1 }, second = categories.first { $0.level == 2 }
        rows.begin(.upsert)
        let prices = rows.values.count + 4
        rows.add(p.id)
        rows.add(p.skuID)
        rows.add(p.title)
        p.withDetailURL { url in rows.addText { $0.append(contentsOf: url) } }
        rows.add(p.salePrice.amount, scale: 2)
        rows.add(p.originalPrice?.amount, scale: 2)
        rows.add(p.salePrice.currency.rawValue)
        rows.add(p.discount?.points, scale: 0)
        // The images, not the product, go into the closures: capturing the product copies it.
        let images = p.images
        if images.hasMain {
            rows.addText { out in images.withImage(at: 0) { out.append(contentsOf: $0) } }
        } else {
            rows.add(nil as String?)
        }
        rows.addText { out in
            out.append(UInt8(ascii: "["))
            for index in images.galleryIndices {
                if index > images.galleryIndices.lowerBound { out.append(UInt8(ascii: ",")) }
                images.withImage(at: index) { CatalogRowEncoder.appendJSONString($0, to: &out) }
            }
            out.append(UInt8(ascii: "]"))
        }
        images.withVideo { video in
            if let video { rows.addText { $0.append(contentsOf: video) } } else { rows.add(nil as String?) }
        }
        rows.add(top?.id)
        rows.add(top?.name)
        rows.add(second?.id)
        rows.add(second?.name)
        let shop = p.shop
        rows.add(shop?.id)
        rows.add(shop?.name)
        rows.add(shop?.url)
        rows.add(p.commission.rate?.points, scale: 1)
        rows.add(p.commission.hotRate?.points, scale: 1)
        rows.add(p.rating?.points, scale: 1)
        rows.add(p.volume30d)
        let id = p.id
        func keywordRow(_ word: String, _ hit: KeywordHit) {
            rows.begin(.keyword)
            rows.add(id)
            rows.add(word)
            rows.add(hit.page)
            rows.add(hit.rank)
        }
        let hits = p.hits
        if hits.count == 1 {
            keywordRow(hits[0].keyword, hits[0])
        } else {
            // The last sighting of each keyword counts.
            var lastHit: [String: KeywordHit] = [:]
            for hit in hits { lastHit[hit.keyword] = hit }
            for (word, hit) in lastHit.sorted(by: { $0.key < $1.key }) { keywordRow(word, hit) }
        }
        rows.begin(.price)
        rows.add(p.id)
        for offset in 0..<3 { rows.repeatValue(at: prices + offset) }  // sale, original, currency
        if let a = p.affiliateLink { appendLink(a, productID: p.id, to: &rows) }
    }

    private func appendLink(_ a: AffiliateLink, productID: Int64, to rows: inout CatalogRows) {
        rows.begin(.link)
        rows.add(productID)
        rows.add(a.url)
        rows.add(a.trackingID)
        rows.add(a.linkType)
        rows.add(Timestamp.iso8601(a.generatedAt))
    }

    /// A JSON string: the text in quotes, escaped where it must be.
    static func appendJSONString(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let special = ByteScan.firstIndex(in: bytes, of: .jsonSpecial)
        if special == nil { out.append(contentsOf: bytes) } else { appendEscaped(String(decoding: bytes, as: UTF8.self), to: &out) }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ item: String, to out: inout [UInt8]) {
        for byte in item.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += [0x5C, 0x22]
            case UInt8(ascii: "\\"): out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)  // UTF-8 bytes of other characters pass through
            }
        }
    }
}
