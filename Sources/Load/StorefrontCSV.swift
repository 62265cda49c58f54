public import Catalog
public import Foundation

/// One storefront CSV layout: its header and how a product becomes rows (named by column).
protocol CSVLayout: Sendable {
    var header: [String] { get }
    /// The header line as the vendor's sample writes it, when its quoting differs from ours.
    var headerLine: String? { get }
    /// Columns holding free text, neutralized against formulas; the rest are validated values.
    var textColumns: Set<String> { get }
    /// The product's rows, or `nil` when the profile cannot carry it (reason given).
    func rows(for product: Product, options: FeedOptions) -> Result<[[String: String]], FeedSkip>
}

extension CSVLayout {
    var headerLine: String? { nil }
}

/// A product a feed left out, and why.
public struct FeedSkip: Error, Sendable, Hashable {
    public var productID: Int64
    public var reason: String
}

/// A storefront CSV file (Shopify, WooCommerce): RFC 4180, UTF-8, header first, written atomically.
public struct StorefrontCSVSink: Sink {
    public let url: URL
    public let label: String
    public let profile: FeedProfile
    public let options: FeedOptions
    let layout: any CSVLayout

    public init(url: URL, profile: FeedProfile, options: FeedOptions = FeedOptions(), label: String? = nil) {
        self.url = url
        self.profile = profile
        self.options = options
        self.label = label ?? "\(profile.rawValue) csv \(url.path)"
        switch profile {
        case .shopify: layout = ShopifyLayout(legacy: false)
        case .shopifyLegacy: layout = ShopifyLayout(legacy: true)
        case .woocommerce: layout = WooCommerceLayout()
        default: layout = GenericLayout()
        }
    }

    /// The header this profile writes.
    public var header: [String] { layout.header }

    public func open(context: RunContext) throws -> any SinkWriter {
        let file = try AtomicFile(target: url)
        do {
            try file.write(layout.headerLine ?? CSVFormat.row(layout.header))
        } catch {
            file.discard()
            throw error
        }
        let layout = layout, options = options, profile = profile, path = url.path
        let textColumns = layout.textColumns
        let header = layout.header
        var firstSkip: FeedSkip?
        return FileWriter(file: file, footer: "", verify: { _, rows in
            guard rows > 0 else {
                throw LoadError.cannotWrite(path: path, reason: "no product fits the \(profile.rawValue) feed (\(firstSkip?.reason ?? "none given")); the previous file is kept")
            }
        }) { [file] product in
            switch layout.rows(for: product, options: options) {
            case .success(let rows):
                var text = ""
                for row in rows {
                    let cells = header.map { column -> String in
                        let value = row[column] ?? ""
                        return textColumns.contains(column) ? CSVCell.text(value, spreadsheetSafe: options.spreadsheetSafe) : value
                    }
                    text += CSVFormat.row(cells)
                }
                try file.write(text)
                return true
            case .failure(let skip):
                if firstSkip == nil { firstSkip = skip }
                return false
            }
        }
    }
}

/// The generic CSV's columns as a layout, so it gets the same cell safety.
struct GenericLayout: CSVLayout {
    var header: [String] { GenericCSVSink.header }
    var textColumns: Set<String> { ["title", "category", "subcategory", "shop_name", "keywords"] }

    func rows(for product: Product, options: FeedOptions) -> Result<[[String: String]], FeedSkip> {
        .success([Dictionary(uniqueKeysWithValues: zip(header, GenericCSVSink.row(product)))])
    }
}

/// Shopify's product CSV, current header (feeds.md §1.1) or the 2023 one.
struct ShopifyLayout: CSVLayout {
    let legacy: Bool

    static let current = [
        "Title", "URL handle", "Description", "Vendor", "Product category", "Type", "Tags", "Published on online store", "Status",
        "SKU", "Barcode", "Option1 name", "Option1 value", "Option1 Linked To", "Option2 name", "Option2 value", "Option2 Linked To",
        "Option3 name", "Option3 value", "Option3 Linked To", "Price", "Compare-at price", "Cost per item", "Charge tax", "Tax code",
        "Unit price total measure", "Unit price total measure unit", "Unit price base measure", "Unit price base measure unit",
        "Inventory tracker", "Inventory quantity", "Continue selling when out of stock", "Weight value (grams)",
        "Weight unit for display", "Requires shipping", "Fulfillment service", "Product image URL", "Image position",
        "Image alt text", "Variant image URL", "Gift card", "SEO title", "SEO description",
        "Color (product.metafields.shopify.color-pattern)", "Google Shopping / Google product category", "Google Shopping / Gender",
        "Google Shopping / Age group", "Google Shopping / Manufacturer part number (MPN)", "Google Shopping / Ad group name",
        "Google Shopping / Ads labels", "Google Shopping / Condition", "Google Shopping / Custom product",
        "Google Shopping / Custom label 0", "Google Shopping / Custom label 1", "Google Shopping / Custom label 2",
        "Google Shopping / Custom label 3", "Google Shopping / Custom label 4",
    ]

    /// The 2023 header, each column with the current column it takes its value from.
    static let legacyColumns: [(String, String?)] = [
        ("Handle", "URL handle"), ("Title", "Title"), ("Body (HTML)", "Description"), ("Vendor", "Vendor"),
        ("Product Category", "Product category"), ("Type", "Type"), ("Tags", "Tags"), ("Published", "Published on online store"),
        ("Option1 Name", "Option1 name"), ("Option1 Value", "Option1 value"), ("Option2 Name", "Option2 name"),
        ("Option2 Value", "Option2 value"), ("Option3 Name", "Option3 name"), ("Option3 Value", "Option3 value"),
        ("Variant SKU", "SKU"), ("Variant Grams", "Weight value (grams)"), ("Variant Inventory Tracker", "Inventory tracker"),
        ("Variant Inventory Qty", "Inventory quantity"), ("Variant Inventory Policy", "Continue selling when out of stock"),
        ("Variant Fulfillment Service", "Fulfillment service"), ("Variant Price", "Price"),
        ("Variant Compare At Price", "Compare-at price"), ("Variant Requires Shipping", "Requires shipping"),
        ("Variant Taxable", "Charge tax"), ("Variant Barcode", "Barcode"), ("Image Src", "Product image URL"),
        ("Image Position", "Image position"), ("Image Alt Text", "Image alt text"), ("Gift Card", "Gift card"),
        ("SEO Title", "SEO title"), ("SEO Description", "SEO description"),
        ("Google Shopping / Google Product Category", "Google Shopping / Google product category"),
        ("Google Shopping / Gender", "Google Shopping / Gender"), ("Google Shopping / Age Group", "Google Shopping / Age group"),
        ("Google Shopping / MPN", "Google Shopping / Manufacturer part number (MPN)"),
        ("Google Shopping / Condition", "Google Shopping / Condition"), ("Google Shopping / Custom Product", "Google Shopping / Custom product"),
        ("Variant Image", "Variant image URL"), ("Variant Weight Unit", "Weight unit for display"), ("Variant Tax Code", "Tax code"),
        ("Cost per item", "Cost per item"), ("Included / United States", nil), ("Price / United States", nil),
        ("Compare At Price / United States", nil), ("Included / International", nil), ("Price / International", nil),
        ("Compare At Price / International", nil), ("Status", "Status"),
    ]

    var header: [String] { legacy ? Self.legacyColumns.map(\.0) : Self.current }

    var textColumns: Set<String> {
        let text: Set<String> = ["Title", "Description", "Vendor", "Type", "Tags", "Image alt text", "SEO title", "SEO description"]
        return legacy ? Set(Self.legacyColumns.filter { $0.1.map(text.contains) ?? false }.map(\.0)) : text
    }

    func rows(for product: Product, options: FeedOptions) -> Result<[[String: String]], FeedSkip> {
        let title = TitleCleaner.clean(product.title, limit: 255)
        let images = FeedValues.images(product, cap: options.maxImages ?? 10)
        let handle = FeedValues.handle(product)
        let status = options.status.lowercased() == "draft" ? "draft" : "active"
        var first: [String: String] = [
            "Title": title, "URL handle": handle, "Description": FeedValues.htmlDescription(product, title: title),
            "Vendor": FeedValues.vendor(product, options: options), "Type": product.categories.last?.name ?? "",
            "Tags": FeedValues.tags(product).joined(separator: ", "), "Published on online store": "TRUE",
            "Status": legacy ? status : status.capitalized, "SKU": FeedValues.sku(product), "Option1 name": "Title",
            "Option1 value": "Default Title", "Price": product.storePrice.formatted(),
            "Compare-at price": product.storeCompareAt?.formatted() ?? "", "Cost per item": product.pricing?.cost.formatted() ?? "",
            "Charge tax": "TRUE", "Continue selling when out of stock": legacy ? "deny" : "DENY", "Requires shipping": "TRUE",
            // Untracked (dropshipped) unless out of stock, which Shopify shows as tracked with none left.
            "Inventory tracker": product.availability == .outOfStock ? "shopify" : "",
            "Inventory quantity": product.availability == .outOfStock ? "0" : "",
            "Fulfillment service": "manual", "Gift card": "FALSE", "SEO title": TitleCleaner.truncate(title, limit: 70),
            "SEO description": TitleCleaner.truncate(FeedValues.description(product, title: title), limit: 320),
            "Google Shopping / Condition": "new", "Google Shopping / Custom product": "TRUE",
            "Google Shopping / Custom label 0": product.keywords.first.map { TitleCleaner.clean($0, limit: 100) } ?? "",
        ]
        if let main = images.first {
            first["Product image URL"] = main
            first["Image position"] = "1"
            first["Image alt text"] = TitleCleaner.truncate(title, limit: 512)
        }
        var rows = [first]
        for (offset, image) in images.dropFirst().enumerated() {
            rows.append(["URL handle": handle, "Product image URL": image, "Image position": String(offset + 2)])
        }
        if legacy {
            rows = rows.map { row in
                var mapped: [String: String] = [:]
                for (old, new) in Self.legacyColumns { if let new, let value = row[new] { mapped[old] = value } }
                return mapped
            }
        }
        return .success(rows)
    }
}

/// WooCommerce's built-in importer, sample header (feeds.md §2.1); external (affiliate) or simple.
struct WooCommerceLayout: CSVLayout {
    static let header = [
        "ID", "Type", "SKU", "Name", "Published", "Is featured?", "Visibility in catalog", "Short description", "Description",
        "Date sale price starts", "Date sale price ends", "Tax status", "Tax class", "In stock?", "Stock", "Backorders allowed?",
        "Sold individually?", "Weight (lbs)", "Length (in)", "Width (in)", "Height (in)", "Allow customer reviews?", "Purchase note",
        "Sale price", "Regular price", "Categories", "Tags", "Shipping class", "Images", "Download limit", "Download expiry days",
        "Parent", "Grouped products", "Upsells", "Cross-sells", "External URL", "Button text", "Position", "Attribute 1 name",
        "Attribute 1 value(s)", "Attribute 1 visible", "Attribute 1 global", "Attribute 2 name", "Attribute 2 value(s)",
        "Attribute 2 visible", "Attribute 2 global", "Meta: _wpcom_is_markdown", "Download 1 name", "Download 1 URL",
        "Download 2 name", "Download 2 URL",
    ]

    var header: [String] { Self.header }
    /// The sample quotes exactly the names that contain a space.
    var headerLine: String? { Self.header.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\r\n" }
    var textColumns: Set<String> { ["Name", "Short description", "Description", "Categories", "Tags", "Button text"] }

    /// WooCommerce splits these lists on commas; a literal comma is written `\,`.
    static func listItem(_ text: String) -> String { text.replacingOccurrences(of: ",", with: "\\,") }

    func rows(for product: Product, options: FeedOptions) -> Result<[[String: String]], FeedSkip> {
        let title = TitleCleaner.clean(product.title, limit: 200)
        var row: [String: String] = [
            "Type": options.wooType.rawValue, "SKU": FeedValues.sku(product), "Name": title, "Published": "1",
            "Is featured?": "0", "Visibility in catalog": "visible",
            "Short description": FeedValues.description(product, title: title),
            "Description": FeedValues.htmlDescription(product, title: title), "Tax status": "taxable",
            "Backorders allowed?": "0", "Sold individually?": "0", "Allow customer reviews?": "1",
            "In stock?": product.availability == .inStock ? "1" : "0",
            "Categories": product.categories.sorted { $0.level < $1.level }.map { Self.listItem($0.name) }.joined(separator: " > "),
            "Tags": FeedValues.tags(product).map(Self.listItem).joined(separator: ", "),
            "Images": FeedValues.images(product, cap: options.maxImages ?? 10).joined(separator: ", "), "Position": "0",
        ]
        // Regular price is the crossed-out one when there is a sale.
        if let compareAt = product.storeCompareAt {
            row["Regular price"] = compareAt.formatted()
            row["Sale price"] = product.storePrice.formatted()
        } else {
            row["Regular price"] = product.storePrice.formatted()
        }
        if options.wooType == .external {
            guard let link = product.affiliateLink.flatMap({ FeedValues.safeURL($0.url) }) else {
                return .failure(FeedSkip(productID: product.id, reason: "no affiliate link this run for an external product"))
            }
            row["External URL"] = link
            row["Button text"] = TitleCleaner.clean(options.buttonText, limit: 60)
        }
        return .success([row])
    }
}
