import Catalog
public import Foundation

/// Google Merchant Center and Meta catalog feeds: RSS 2.0 with the `g:` namespace, one `<item>`
/// per product (feeds.md §3). Meta differs in availability spelling, limits and plain-text rules.
public struct MerchantFeedSink: Sink {
    public let url: URL
    public let label: String
    public let profile: FeedProfile
    public let options: FeedOptions

    struct Limits {
        var id: Int, title: Int, description: Int, brand: Int, additionalImages: Int
        var inStock: String
        var outOfStock: String
    }

    var limits: Limits {
        profile == .meta
            ? Limits(id: 100, title: 200, description: 9_999, brand: 100, additionalImages: 20, inStock: "in stock", outOfStock: "out of stock")
            : Limits(id: 50, title: 150, description: 5_000, brand: 70, additionalImages: 10, inStock: "in_stock", outOfStock: "out_of_stock")
    }

    public init(url: URL, profile: FeedProfile, options: FeedOptions = FeedOptions(), label: String? = nil) {
        self.url = url
        self.profile = profile == .meta ? .meta : .googleMerchant
        self.options = options
        self.label = label ?? "\(self.profile.rawValue) xml \(url.path)"
    }

    public func open(context: RunContext) throws -> any SinkWriter {
        let file = try AtomicFile(target: url)
        do {
            try file.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:g=\"http://base.google.com/ns/1.0\">\n<channel>\n")
            try file.write("  \(XMLFormat.element("title", options.channelTitle))\n")
            try file.write("  \(XMLFormat.element("link", options.channelLink))\n")
            try file.write("  \(XMLFormat.element("description", options.channelDescription))\n")
        } catch {
            file.discard()
            throw error
        }
        let path = url.path, profile = profile
        var item: [UInt8] = []
        item.reserveCapacity(8192)
        return FileWriter(file: file, footer: "</channel>\n</rss>\n", verify: { _, written in
            guard written > 0 else {
                throw LoadError.cannotWrite(path: path, reason: "no product has what a \(profile.rawValue) item requires; the previous file is kept")
            }
        }) { [file] product in
            // A local buffer: appending to the captured one would check exclusivity on every element.
            var bytes = item
            item = []
            bytes.removeAll(keepingCapacity: true)
            defer { item = bytes }
            guard self.item(product, into: &bytes) else { return false }
            try file.write(bytes: bytes)
            return true
        }
    }

    /// Appends the `<item>`; `false` (nothing appended) for a product missing a required field (an image).
    func item(_ product: Product, into x: inout [UInt8]) -> Bool {
        let limits = limits
        let images = FeedValues.images(product, cap: 1 + limits.additionalImages)
        guard let image = images.first, let link = FeedValues.safeURL(FeedValues.link(product, options: options)) else { return false }
        var title = TitleCleaner.clean(product.title)
        let text = ProductText(product)
        var description = FeedValues.description(product, title: title, text: text)
        if profile == .meta {
            title = PlainText.strippingHTML(title)
            description = PlainText.strippingHTML(description)
        }
        title = TitleCleaner.truncate(title, limit: limits.title)
        description = TitleCleaner.truncate(description, limit: limits.description)
        ByteText.append("  <item>\n", to: &x)
        func add(_ name: StaticString, _ value: String) { XMLFormat.appendElement(name, value, indent: 4, to: &x) }
        // The SKU (`AE-` and at most 20 digits) always fits the id limit.
        XMLFormat.appendElement("g:id", indent: 4, to: &x) { ByteText.appendInteger(product.id, to: &$0, prefix: "AE-") }
        add("g:title", title)
        add("g:description", description)
        add("g:link", link)
        add("g:image_link", image)
        for extra in images.dropFirst() { add("g:additional_image_link", extra) }
        add("g:availability", product.availability == .inStock ? limits.inStock : limits.outOfStock)
        ByteText.append("    <g:condition>new</g:condition>\n", to: &x)
        // A sale shows as the original price crossed out: price = compare-at, sale_price = price.
        if let compareAt = product.storeCompareAt {
            XMLFormat.appendElement("g:price", indent: 4, to: &x) { Self.appendPrice(compareAt, to: &$0) }
            XMLFormat.appendElement("g:sale_price", indent: 4, to: &x) { Self.appendPrice(product.storePrice, to: &$0) }
        } else {
            XMLFormat.appendElement("g:price", indent: 4, to: &x) { Self.appendPrice(product.storePrice, to: &$0) }
        }
        add("g:brand", TitleCleaner.truncate(FeedValues.vendor(product, options: options, text: text), limit: limits.brand))
        ByteText.append("    <g:identifier_exists>no</g:identifier_exists>\n", to: &x)
        if !text.type.isEmpty { add("g:product_type", TitleCleaner.truncate(text.type, limit: 750)) }
        if let keyword = product.keywords.first {
            add("g:custom_label_0", TitleCleaner.truncate(TitleCleaner.clean(keyword), limit: 100))
        }
        ByteText.append("  </item>\n", to: &x)
        return true
    }

    /// `15.00 USD`.
    static func price(_ money: Money) -> String { "\(money.formatted()) \(money.currency.rawValue)" }

    /// ``price(_:)`` appended as bytes (digits, a space and three letters: nothing to escape).
    static func appendPrice(_ money: Money, to out: inout [UInt8]) {
        DecimalText.append(money.amount, scale: 2, to: &out)
        out.append(0x20)
        out.append(contentsOf: money.currency.rawValue.utf8)
    }
}
