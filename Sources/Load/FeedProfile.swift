public import Catalog
import Foundation

/// A storefront's file format: which columns or elements, which limits, which value spellings.
public enum FeedProfile: String, Sendable, CaseIterable {
    case generic
    case shopify
    case shopifyLegacy = "shopify-legacy"
    case woocommerce
    case googleMerchant = "google-merchant"
    case meta

    public static let csvProfiles: [FeedProfile] = [.generic, .shopify, .shopifyLegacy, .woocommerce]
    public static let xmlProfiles: [FeedProfile] = [.generic, .googleMerchant, .meta]
}

/// How a WooCommerce feed sells: affiliate storefronts link out, dropshipping stores sell.
public enum WooCommerceType: String, Sendable, CaseIterable {
    /// `Type=external`: the button sends the shopper to the fresh affiliate link.
    case external
    /// `Type=simple`: the store sells the product itself.
    case simple
}

/// The per-sink settings of a storefront feed.
public struct FeedOptions: Sendable, Hashable {
    /// Shopify `Vendor`, Google/Meta `brand`; `nil` uses the AliExpress shop name.
    public var vendor: String?
    /// Shopify `Status`: active or draft.
    public var status: String
    public var wooType: WooCommerceType
    public var buttonText: String
    /// The landing page for Google/Meta `link`: `{id}`, `{handle}` and `{sku}` are filled in;
    /// `nil` uses the affiliate link (or the AliExpress page when there is none).
    public var linkTemplate: String?
    public var channelTitle: String
    public var channelLink: String
    public var channelDescription: String
    /// Image cap (main + gallery); `nil` uses the profile's own.
    public var maxImages: Int?
    /// Prefix `'` to text cells that start with a formula character (OWASP), for spreadsheet users.
    public var spreadsheetSafe: Bool

    public init(
        vendor: String? = nil, status: String = "active", wooType: WooCommerceType = .external,
        buttonText: String = "Buy on AliExpress", linkTemplate: String? = nil, channelTitle: String = "alifeed catalog",
        channelLink: String = "https://www.aliexpress.com", channelDescription: String = "Products from the AliExpress Open Platform",
        maxImages: Int? = nil, spreadsheetSafe: Bool = false
    ) {
        self.vendor = vendor
        self.status = status
        self.wooType = wooType
        self.buttonText = buttonText
        self.linkTemplate = linkTemplate
        self.channelTitle = channelTitle
        self.channelLink = channelLink
        self.channelDescription = channelDescription
        self.maxImages = maxImages
        self.spreadsheetSafe = spreadsheetSafe
    }
}

/// Values every storefront profile derives the same way, so they agree across feeds.
public enum FeedValues {
    /// Stable across runs for the same product, unique, `[a-z0-9-]`: from the id alone, because a
    /// title edit on AliExpress must not create a second product in the store.
    public static func handle(_ product: Product) -> String { "\(handlePrefix)\(product.id)" }

    public static func sku(_ product: Product) -> String { "\(skuPrefix)\(product.id)" }

    /// What ``handle(_:)`` and ``sku(_:)`` put before the id (feeds written as bytes use them too).
    static let handlePrefix: StaticString = "ae-", skuPrefix: StaticString = "AE-"

    /// Lower-case tags from the keywords and categories, without repeats, commas removed.
    public static func tags(_ product: Product) -> [String] {
        var joined = ByteBuffer()
        appendTags(product, to: &joined)
        // The rule removes every comma from a tag, so the joined text splits back exactly.
        return joined.isEmpty ? [] : joined.string().components(separatedBy: ", ")
    }

    /// ``tags(_:)`` joined with `, `, appended as bytes: each tag is written in place and taken
    /// back when it is empty or repeats one before it. The rule: commas and whitespace runs
    /// become one space, trimmed, lower-cased.
    static func appendTags(_ product: Product, to out: inout ByteBuffer) {
        let hits = product.hits, categories = product.categories
        // Where each tag written so far is (a product has a handful): on the stack, not an array per product.
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: hits.count + categories.count) { written in
            var count = 0
            func same(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
                out.withUnsafeBufferPointer { all in
                    let first = UnsafeBufferPointer(rebasing: all[a]), second = UnsafeBufferPointer(rebasing: all[b])
                    if a.count == b.count && first.elementsEqual(second) { return true }
                    // Strings compare canonically equivalent text as equal, whatever its bytes.
                    guard first.contains(where: { $0 >= 0x80 }) && second.contains(where: { $0 >= 0x80 }) else { return false }
                    return String(decoding: first, as: UTF8.self) == String(decoding: second, as: UTF8.self)
                }
            }
            func add(_ raw: String) {
                let mark = out.count
                if count > 0 { out.append(", ") }
                let start = out.count
                if !appendASCIITag(raw, to: &out) {
                    out.removeSuffix(from: start)
                    out.append(contentsOf: raw.replacingOccurrences(of: ",", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ").lowercased())
                }
                let tag = start..<out.count
                if tag.isEmpty || written[..<count].contains(where: { same($0, tag) }) {
                    out.removeSuffix(from: mark)
                } else {
                    written[count] = tag
                    count += 1
                }
            }
            // Every sighting's keyword: a repeated keyword makes a repeated tag, left out like any other.
            for hit in hits { add(hit.keyword) }
            for category in categories { add(category.name) }
        }
    }

    /// The tag rule on ASCII text, appended to `out`; `false` (with bytes possibly appended) for
    /// other text, which takes the rule through String.
    static func appendASCIITag(_ raw: String, to out: inout ByteBuffer) -> Bool {
        var raw = raw
        return raw.withUTF8 { bytes -> Bool in
            let start = out.count
            var pendingSpace = false
            for byte in bytes {
                guard byte < 0x80 else { return false }
                if byte == 0x2C || byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) {
                    pendingSpace = out.count > start
                    continue
                }
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte)
            }
            return true
        }
    }

    public static func vendor(_ product: Product, options: FeedOptions) -> String {
        vendor(product, options: options, text: ProductText(product))
    }

    static func vendor(_ product: Product, options: FeedOptions, text: ProductText) -> String {
        if let named = namedVendor(options) { return named }
        // clean(name, limit:) is truncate(clean(name), limit): the cleaned shop name is reused.
        let clean = text.shop.map { TitleCleaner.truncate($0, limit: 70) } ?? "AliExpress"
        return hasTwoCharacters(clean) ? clean : "AliExpress"
    }

    /// The vendor the pipeline names, cleaned: the same for every product (`nil` when it names none).
    static func namedVendor(_ options: FeedOptions) -> String? {
        options.vendor.map { vendor in
            let clean = TitleCleaner.clean(vendor, limit: 70)
            return hasTwoCharacters(clean) ? clean : "AliExpress"
        }
    }

    /// `text.count >= 2` without counting every character (a grapheme walk over the whole name).
    static func hasTwoCharacters(_ text: String) -> Bool {
        text.index(text.startIndex, offsetBy: 2, limitedBy: text.endIndex) != nil
    }

    /// Main image first, capped, each URL made ASCII with `,` and spaces encoded (Google's rule).
    public static func images(_ product: Product, cap: Int) -> [String] {
        var images: [String] = []
        forEachImage(product, cap: cap) { url in
            images.append(String(decoding: url, as: UTF8.self))
            return true
        }
        return images
    }

    /// ``images(_:cap:)`` as bytes, without a String or an array per product (feeds write
    /// millions): from image `start` on, each safe URL in turn until `body` says to stop (`false`).
    /// Returns the index to go on from.
    @discardableResult
    static func forEachImage(_ product: Product, cap: Int, from start: Int = 0, _ body: (UnsafeBufferPointer<UInt8>) -> Bool) -> Int {
        let set = product.images
        let end = min(max(cap, 1), set.imageCount)
        var index = start
        while index < end {
            let goOn = set.withImage(at: index) { bytes -> Bool in
                if isSafeAlready(bytes) { return body(bytes) }
                // One that cannot be made safe is left out.
                guard var safe = safeURL(String(decoding: bytes, as: UTF8.self)) else { return true }
                return safe.withUTF8(body)
            }
            index += 1
            if !goOn { break }
        }
        return index
    }

    /// An http(s) URL with non-ASCII, spaces, commas and quotes percent-encoded; `nil` otherwise.
    public static func safeURL(_ url: String) -> String? {
        // Almost every URL is already safe: check its bytes once and return it as it is.
        if isSafeAlready(url) { return url }
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("https://") || trimmed.hasPrefix("http://") else { return nil }
        var out = ""
        for byte in trimmed.utf8 {
            switch byte {
            case 0x21...0x7E where byte != UInt8(ascii: ",") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "<") && byte != UInt8(ascii: ">"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `http(s)://` and only printable ASCII other than `, " < >`: nothing to trim or encode.
    static func isSafeAlready(_ url: String) -> Bool {
        url.utf8.withContiguousStorageIfAvailable(isSafeAlready) ?? false
    }

    static func isSafeAlready(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count > 8, bytes[0] == 0x68, bytes[1] == 0x74, bytes[2] == 0x74, bytes[3] == 0x70 else { return false }
        let rest = bytes[4] == 0x73 ? 5 : 4
        guard bytes[rest] == 0x3A, bytes[rest + 1] == 0x2F, bytes[rest + 2] == 0x2F else { return false }
        return ByteScan.firstIndex(in: bytes, of: .urlUnsafe) == nil
    }

    /// The landing page: the template, the affiliate link, or the AliExpress page.
    public static func link(_ product: Product, options: FeedOptions) -> String {
        if let template = options.linkTemplate {
            return template.replacingOccurrences(of: "{id}", with: String(product.id))
                .replacingOccurrences(of: "{handle}", with: handle(product)).replacingOccurrences(of: "{sku}", with: sku(product))
        }
        return product.affiliateLink?.url ?? product.detailURL
    }

    /// A plain-text description made from what the platform tells about the product.
    public static func description(_ product: Product, title: String) -> String {
        description(product, title: title, text: ProductText(product))
    }

    static func description(_ product: Product, title: String, text: ProductText) -> String {
        var out = ByteBuffer(capacity: title.utf8.count + text.type.utf8.count + (text.shop?.utf8.count ?? 0) + 96)
        appendDescription(product, title: title, text: text, to: &out)
        return out.string()
    }

    /// ``description(_:title:)`` appended as bytes (feeds write it straight into their rows).
    static func appendDescription(_ product: Product, title: String, text: ProductText, to out: inout ByteBuffer) {
        out.append(contentsOf: title)
        // The byte test first: a title ending in "." is rare, and `hasSuffix` compares characters.
        if title.utf8.last != UInt8(ascii: ".") || !title.hasSuffix(".") { out.append(UInt8(ascii: ".")) }
        if !text.type.isEmpty {
            out.append(" Category: ")
            out.append(contentsOf: text.type)
            out.append(UInt8(ascii: "."))
        }
        if let rating = product.rating {
            out.append(0x20)
            DecimalText.append(rating.points, scale: 1, to: &out)
            out.append("% positive feedback.")
        }
        if let volume = product.volume30d, volume > 0 {
            out.append(0x20)
            ByteText.appendInteger(Int64(volume), to: &out)
            out.append(" sold in the last 30 days.")
        }
        if let shop = text.shop {
            out.append(" Sold by ")
            out.append(contentsOf: shop)
            out.append(UInt8(ascii: "."))
        }
    }

    /// The same as HTML, for Shopify and WooCommerce descriptions (every piece escaped).
    public static func htmlDescription(_ product: Product, title: String) -> String {
        htmlDescription(product, title: title, text: ProductText(product))
    }

    static func htmlDescription(_ product: Product, title: String, text: ProductText) -> String {
        var out = ByteBuffer(capacity: title.utf8.count + text.type.utf8.count + 160)
        appendHTMLDescription(product, title: title, text: text, to: &out)
        return out.string()
    }

    /// ``htmlDescription(_:title:)`` appended as bytes (Shopify writes it straight into its row).
    static func appendHTMLDescription(_ product: Product, title: String, text: ProductText, to out: inout ByteBuffer) {
        out.append("<p>")
        XMLFormat.appendHTMLEscaped(title, to: &out)
        out.append("</p>")
        let volume = product.volume30d.flatMap { $0 > 0 ? $0 : nil }
        guard !text.type.isEmpty || product.rating != nil || volume != nil else { return }
        out.append("<ul>")
        if !text.type.isEmpty {
            out.append("<li>Category: ")
            XMLFormat.appendHTMLEscaped(text.type, to: &out)
            out.append("</li>")
        }
        if let rating = product.rating {
            out.append("<li>")
            DecimalText.append(rating.points, scale: 1, to: &out)
            out.append("% positive feedback</li>")
        }
        if let volume {
            out.append("<li>")
            ByteText.appendInteger(Int64(volume), to: &out)
            out.append(" sold in the last 30 days</li>")
        }
        out.append("</ul>")
    }
}

/// What the feed values of one product share, worked out once per product and sink: the
/// category path and the cleaned shop name appear in several cells.
struct ProductText {
    /// `Top > Leaf`.
    let type: String
    /// The shop name, cleaned like a title.
    let shop: String?

    init(_ product: Product) {
        type = product.categoryPath
        shop = product.storefrontShopName
    }
}

/// CSV cells that a spreadsheet would run as formulas (feeds.md §4.1).
public enum CSVCell {
    public static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n", "\r\n"]

    /// Whether a cell starting with this byte may start with a trigger character (the rest are
    /// certainly safe).
    static func mayTrigger(_ first: UInt8) -> Bool {
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D, 0x0A: true
        default: false
        }
    }

    /// Free text: by default leading trigger characters are removed; in spreadsheet-safe mode the
    /// cell is prefixed with `'` (OWASP) instead, which WooCommerce's importer strips again.
    public static func text(_ value: String, spreadsheetSafe: Bool) -> String {
        // Most cells start with a letter or digit: the first byte decides without Characters.
        guard let byte = value.utf8.first, mayTrigger(byte) else { return value }
        guard let first = value.first, triggers.contains(first) else { return value }
        if spreadsheetSafe { return "'" + value }
        return String(value.drop { triggers.contains($0) || $0.isWhitespace })
    }
}
