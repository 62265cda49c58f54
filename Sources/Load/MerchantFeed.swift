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
        var buffers = ItemBuffers()
        return FileWriter(file: file, footer: "</channel>\n</rss>\n", verify: { _, written in
            guard written > 0 else {
                throw LoadError.cannotWrite(path: path, reason: "no product has what a \(profile.rawValue) item requires; the previous file is kept")
            }
        }) { [file] product in
            buffers.item.removeAll()
            guard self.item(product, into: &buffers) else { return false }
            try file.write(buffers.item)
            return true
        }
    }

    /// What one writer reuses from item to item.
    struct ItemBuffers: ~Copyable {
        var item = ByteBuffer(capacity: 8192)
        /// The description is built here, then cut and escaped into the item.
        var description = ByteBuffer(capacity: 1024)
        /// The last keyword's custom label: products come keyword by keyword.
        var label = (keyword: "", clean: "")
    }

    /// Appends the `<item>`; `false` (nothing appended) for a product missing a required field (an image).
    func item(_ product: Product, into buffers: inout ItemBuffers) -> Bool {
        let limits = limits
        let imageCap = 1 + limits.additionalImages
        // Where the first image is: an item needs one.
        var hasImage = false
        let afterFirstImage = FeedValues.forEachImage(product, cap: imageCap) { _ in
            hasImage = true
            return false
        }
        // The product's own page (the usual landing page without links) is written from its
        // bytes: the canonical one is never made as a String.
        let ownPage = options.linkTemplate == nil && product.affiliateLink == nil
            && (product.hasCanonicalDetailURL || product.withDetailURL(FeedValues.isSafeAlready))
        let link = ownPage ? nil : FeedValues.safeURL(FeedValues.link(product, options: options))
        guard hasImage, ownPage || link != nil else { return false }
        var title = product.storefrontTitle
        let text = ProductText(product)
        // Google's description is written as bytes and cut there; Meta's is stripped of markup first.
        var metaDescription = ""
        buffers.description.removeAll()
        if profile == .meta {
            title = PlainText.strippingHTML(title)
            metaDescription = TitleCleaner.truncate(PlainText.strippingHTML(FeedValues.description(product, title: title, text: text)), limit: limits.description)
        } else {
            FeedValues.appendDescription(product, title: title, text: text, to: &buffers.description)
            TitleCleaner.cut(&buffers.description, limit: limits.description)
        }
        title = TitleCleaner.truncate(title, limit: limits.title)
        buffers.item.append("  <item>\n")
        func add(_ name: StaticString, _ value: String) { XMLFormat.appendElement(name, value, indent: 4, to: &buffers.item) }
        // The SKU (`AE-` and at most 20 digits) always fits the id limit.
        // Closures get the values, not the product: capturing it would copy it (a retain and a
        // release of every String in it) on a thread that did not make it.
        let id = product.id, storePrice = product.storePrice
        XMLFormat.appendElement("g:id", indent: 4, to: &buffers.item) { ByteText.appendInteger(id, to: &$0, prefix: FeedValues.skuPrefix) }
        add("g:title", title)
        if profile == .meta {
            add("g:description", metaDescription)
        } else {
            XMLFormat.openElement("g:description", indent: 4, to: &buffers.item)
            buffers.description.withUnsafeBufferPointer { XMLFormat.appendEscaped(utf8: $0, to: &buffers.item) }
            XMLFormat.closeElement("g:description", to: &buffers.item)
        }
        if let link {
            add("g:link", link)
        } else {
            XMLFormat.openElement("g:link", indent: 4, to: &buffers.item)
            product.withDetailURL { XMLFormat.appendEscaped(utf8: $0, to: &buffers.item) }
            XMLFormat.closeElement("g:link", to: &buffers.item)
        }
        var isFirstImage = true
        FeedValues.forEachImage(product, cap: imageCap, from: afterFirstImage - 1) { url in
            let name: StaticString = isFirstImage ? "g:image_link" : "g:additional_image_link"
            isFirstImage = false
            XMLFormat.openElement(name, indent: 4, to: &buffers.item)
            XMLFormat.appendEscaped(utf8: url, to: &buffers.item)
            XMLFormat.closeElement(name, to: &buffers.item)
            return true
        }
        add("g:availability", product.availability == .inStock ? limits.inStock : limits.outOfStock)
        buffers.item.append("    <g:condition>new</g:condition>\n")
        // A sale shows as the original price crossed out: price = compare-at, sale_price = price.
        if let compareAt = product.storeCompareAt {
            XMLFormat.appendElement("g:price", indent: 4, to: &buffers.item) { Self.appendPrice(compareAt, to: &$0) }
            XMLFormat.appendElement("g:sale_price", indent: 4, to: &buffers.item) { Self.appendPrice(storePrice, to: &$0) }
        } else {
            XMLFormat.appendElement("g:price", indent: 4, to: &buffers.item) { Self.appendPrice(storePrice, to: &$0) }
        }
        add("g:brand", TitleCleaner.truncate(FeedValues.vendor(product, options: options, text: text), limit: limits.brand))
        buffers.item.append("    <g:identifier_exists>no</g:identifier_exists>\n")
        if !text.type.isEmpty { add("g:product_type", TitleCleaner.truncate(text.type, limit: 750)) }
        // The first keyword found (`Product.keywords.first`), cleaned once per keyword.
        if let keyword = product.hits.first?.keyword {
            if keyword != buffers.label.keyword { buffers.label = (keyword, TitleCleaner.truncate(TitleCleaner.clean(keyword), limit: 100)) }
            add("g:custom_label_0", buffers.label.clean)
        }
        buffers.item.append("  </item>\n")
        return true
    }

    /// `15.00 USD`.
    static func price(_ money: Money) -> String { "\(money.formatted()) \(money.currency.rawValue)" }

    /// ``price(_:)`` appended as bytes (digits, a space and three letters: nothing to escape).
    static func appendPrice(_ money: Money, to out: inout ByteBuffer) {
        DecimalText.append(money.amount, scale: 2, to: &out)
        out.append(0x20)
        out.append(contentsOf: money.currency.rawValue)
    }
}
