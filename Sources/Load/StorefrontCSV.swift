import Catalog
public import Foundation

/// One storefront CSV layout: its header and how a product becomes rows (cells in header order).
protocol CSVLayout: Sendable {
    var header: [String] { get }
    /// The header line as the vendor's sample writes it, when its quoting differs from ours.
    var headerLine: String? { get }
    /// By column position: whether the column holds free text, neutralized against formulas (the
    /// rest are validated values).
    var isText: [Bool] { get }
    /// The product's rows, or `nil` when the profile cannot carry it (reason given).
    func rows(for product: Product, options: FeedOptions) -> Result<[CSVRow], FeedSkip>
    /// What a sink with these options writes for each product: its records appended to the
    /// builder, or why the product was left out (nothing appended).
    func recordWriter(options: FeedOptions) -> CSVRecordWriter
}

typealias CSVRecordWriter = (Product, inout CSVRowBuilder) -> FeedSkip?

/// One row's cells: all of them in header order, or only the non-empty ones by column position,
/// in column order, each at most once (Shopify's image rows fill 3 of 57 columns).
enum CSVRow {
    case full([String])
    case sparse([(column: Int, value: String)])
}

extension CSVLayout {
    var headerLine: String? { nil }

    func recordWriter(options: FeedOptions) -> CSVRecordWriter { rowsRecordWriter(options: options) }

    /// The records ``rows(for:options:)`` gives.
    func rowsRecordWriter(options: FeedOptions) -> CSVRecordWriter {
        { product, builder in
            switch rows(for: product, options: options) {
            case .success(let rows):
                for row in rows { builder.append(row) }
                return nil
            case .failure(let skip):
                return skip
            }
        }
    }

    /// `isText` from the names of the text columns.
    static func textFlags(header: [String], text: Set<String>) -> [Bool] { header.map(text.contains) }
}

/// Cells by column name for layouts that are not on the hot path, placed by a lookup made once.
struct NamedRow {
    let positions: [String: Int]
    var cells: [String]

    init(positions: [String: Int]) {
        self.positions = positions
        cells = Array(repeating: "", count: positions.count)
    }

    subscript(column: String) -> String {
        get { positions[column].map { cells[$0] } ?? "" }
        set { if let index = positions[column] { cells[index] = newValue } }
    }

    static func positions(_ header: [String]) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: header.enumerated().map { ($0.element, $0.offset) })
    }
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
        let options = options, profile = profile, path = url.path
        let records = layout.recordWriter(options: options)
        var builder = CSVRowBuilder(isText: layout.isText, spreadsheetSafe: options.spreadsheetSafe)
        var firstSkip: FeedSkip?
        return FileWriter(file: file, footer: "", verify: { _, rows in
            guard rows > 0 else {
                throw LoadError.cannotWrite(path: path, reason: "no product fits the \(profile.rawValue) feed (\(firstSkip?.reason ?? "none given")); the previous file is kept")
            }
        }) { [file] product in
            builder.reset()
            if let skip = records(product, &builder) {
                if firstSkip == nil { firstSkip = skip }
                return false
            }
            try file.write(builder.bytes)
            return true
        }
    }
}

/// The generic CSV's columns as a layout, so it gets the same cell safety.
struct GenericLayout: CSVLayout {
    var header: [String] { GenericCSVSink.header }
    let isText = Self.textFlags(header: GenericCSVSink.header, text: ["title", "category", "subcategory", "shop_name", "keywords"])

    func rows(for product: Product, options: FeedOptions) -> Result<[CSVRow], FeedSkip> {
        .success([.full(GenericCSVSink.row(product))])
    }
}

/// Shopify's product CSV, current header (feeds.md §1.1) or the 2023 one.
struct ShopifyLayout: CSVLayout {
    let legacy: Bool
    let header: [String]
    let isText: [Bool]
    /// For the legacy header: each legacy column's current column, by position.
    let legacySource: [Column?]

    /// The current header's columns, in order.
    enum Column: Int, CaseIterable {
        case title
        case urlHandle
        case description
        case vendor
        case productCategory
        case type
        case tags
        case publishedOnOnlineStore
        case status
        case sku
        case barcode
        case option1Name
        case option1Value
        case option1LinkedTo
        case option2Name
        case option2Value
        case option2LinkedTo
        case option3Name
        case option3Value
        case option3LinkedTo
        case price
        case compareAtPrice
        case costPerItem
        case chargeTax
        case taxCode
        case unitPriceTotalMeasure
        case unitPriceTotalMeasureUnit
        case unitPriceBaseMeasure
        case unitPriceBaseMeasureUnit
        case inventoryTracker
        case inventoryQuantity
        case continueSellingWhenOutOfStock
        case weightValueGrams
        case weightUnitForDisplay
        case requiresShipping
        case fulfillmentService
        case productImageURL
        case imagePosition
        case imageAltText
        case variantImageURL
        case giftCard
        case seoTitle
        case seoDescription
        case colorPattern
        case googleGoogleProductCategory
        case googleGender
        case googleAgeGroup
        case googleManufacturerPartNumber
        case googleAdGroupName
        case googleAdsLabels
        case googleCondition
        case googleCustomProduct
        case googleCustomLabel0
        case googleCustomLabel1
        case googleCustomLabel2
        case googleCustomLabel3
        case googleCustomLabel4

        var name: String {
            switch self {
            case .title: "Title"
            case .urlHandle: "URL handle"
            case .description: "Description"
            case .vendor: "Vendor"
            case .productCategory: "Product category"
            case .type: "Type"
            case .tags: "Tags"
            case .publishedOnOnlineStore: "Published on online store"
            case .status: "Status"
            case .sku: "SKU"
            case .barcode: "Barcode"
            case .option1Name: "Option1 name"
            case .option1Value: "Option1 value"
            case .option1LinkedTo: "Option1 Linked To"
            case .option2Name: "Option2 name"
            case .option2Value: "Option2 value"
            case .option2LinkedTo: "Option2 Linked To"
            case .option3Name: "Option3 name"
            case .option3Value: "Option3 value"
            case .option3LinkedTo: "Option3 Linked To"
            case .price: "Price"
            case .compareAtPrice: "Compare-at price"
            case .costPerItem: "Cost per item"
            case .chargeTax: "Charge tax"
            case .taxCode: "Tax code"
            case .unitPriceTotalMeasure: "Unit price total measure"
            case .unitPriceTotalMeasureUnit: "Unit price total measure unit"
            case .unitPriceBaseMeasure: "Unit price base measure"
            case .unitPriceBaseMeasureUnit: "Unit price base measure unit"
            case .inventoryTracker: "Inventory tracker"
            case .inventoryQuantity: "Inventory quantity"
            case .continueSellingWhenOutOfStock: "Continue selling when out of stock"
            case .weightValueGrams: "Weight value (grams)"
            case .weightUnitForDisplay: "Weight unit for display"
            case .requiresShipping: "Requires shipping"
            case .fulfillmentService: "Fulfillment service"
            case .productImageURL: "Product image URL"
            case .imagePosition: "Image position"
            case .imageAltText: "Image alt text"
            case .variantImageURL: "Variant image URL"
            case .giftCard: "Gift card"
            case .seoTitle: "SEO title"
            case .seoDescription: "SEO description"
            case .colorPattern: "Color (product.metafields.shopify.color-pattern)"
            case .googleGoogleProductCategory: "Google Shopping / Google product category"
            case .googleGender: "Google Shopping / Gender"
            case .googleAgeGroup: "Google Shopping / Age group"
            case .googleManufacturerPartNumber: "Google Shopping / Manufacturer part number (MPN)"
            case .googleAdGroupName: "Google Shopping / Ad group name"
            case .googleAdsLabels: "Google Shopping / Ads labels"
            case .googleCondition: "Google Shopping / Condition"
            case .googleCustomProduct: "Google Shopping / Custom product"
            case .googleCustomLabel0: "Google Shopping / Custom label 0"
            case .googleCustomLabel1: "Google Shopping / Custom label 1"
            case .googleCustomLabel2: "Google Shopping / Custom label 2"
            case .googleCustomLabel3: "Google Shopping / Custom label 3"
            case .googleCustomLabel4: "Google Shopping / Custom label 4"
            }
        }
    }

    static let current = Column.allCases.map(\.name)

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

    init(legacy: Bool) {
        self.legacy = legacy
        let text: Set<String> = ["Title", "Description", "Vendor", "Type", "Tags", "Image alt text", "SEO title", "SEO description"]
        if legacy {
            header = Self.legacyColumns.map(\.0)
            legacySource = Self.legacyColumns.map { old in old.1.flatMap { new in Column.allCases.first { $0.name == new } } }
            isText = legacySource.map { $0.map { text.contains($0.name) } ?? false }
        } else {
            header = Self.current
            legacySource = []
            isText = Self.textFlags(header: Self.current, text: text)
        }
    }

    func rows(for product: Product, options: FeedOptions) -> Result<[CSVRow], FeedSkip> {
        let title = TitleCleaner.truncate(product.storefrontTitle, limit: 255)
        let text = ProductText(product)
        let images = FeedValues.images(product, cap: options.maxImages ?? 10)
        let handle = FeedValues.handle(product)
        let draft = options.status.lowercased() == "draft"
        var first: [(column: Int, value: String)] = []
        first.reserveCapacity(32)
        func set(_ column: Column, _ value: String) { if !value.isEmpty { first.append((column.rawValue, value)) } }
        // In column order: the sink writes sparse rows as they come.
        set(.title, title)
        set(.urlHandle, handle)
        set(.description, FeedValues.htmlDescription(product, title: title, text: text))
        set(.vendor, FeedValues.vendor(product, options: options, text: text))
        set(.type, product.categories.last?.name ?? "")
        set(.tags, FeedValues.tags(product).joined(separator: ", "))
        set(.publishedOnOnlineStore, "TRUE")
        set(.status, legacy ? (draft ? "draft" : "active") : (draft ? "Draft" : "Active"))
        set(.sku, FeedValues.sku(product))
        set(.option1Name, "Title")
        set(.option1Value, "Default Title")
        set(.price, product.storePrice.formatted())
        set(.compareAtPrice, product.storeCompareAt?.formatted() ?? "")
        set(.costPerItem, product.pricing?.cost.formatted() ?? "")
        set(.chargeTax, "TRUE")
        // Untracked (dropshipped) unless out of stock, which Shopify shows as tracked with none left.
        if product.availability == .outOfStock {
            set(.inventoryTracker, "shopify")
            set(.inventoryQuantity, "0")
        }
        set(.continueSellingWhenOutOfStock, legacy ? "deny" : "DENY")
        set(.requiresShipping, "TRUE")
        set(.fulfillmentService, "manual")
        if let main = images.first {
            set(.productImageURL, main)
            set(.imagePosition, "1")
            set(.imageAltText, TitleCleaner.truncate(title, limit: 512))
        }
        set(.giftCard, "FALSE")
        set(.seoTitle, TitleCleaner.truncate(title, limit: 70))
        set(.seoDescription, TitleCleaner.truncate(FeedValues.description(product, title: title, text: text), limit: 320))
        set(.googleCondition, "new")
        set(.googleCustomProduct, "TRUE")
        set(.googleCustomLabel0, product.keywords.first.map { TitleCleaner.clean($0, limit: 100) } ?? "")
        var rows: [CSVRow] = [.sparse(first)]
        for (offset, image) in images.dropFirst().enumerated() {
            rows.append(.sparse([
                (Column.urlHandle.rawValue, handle), (Column.productImageURL.rawValue, image), (Column.imagePosition.rawValue, String(offset + 2)),
            ]))
        }
        if legacy {
            rows = rows.map { row in
                guard case .sparse(let cells) = row else { return row }
                var current = Array(repeating: "", count: Column.allCases.count)
                for (column, value) in cells { current[column] = value }
                return .full(legacySource.map { $0.map { current[$0.rawValue] } ?? "" })
            }
        }
        return .success(rows)
    }
}

extension ShopifyLayout {
    /// The current header's records written straight to bytes: the same cells as
    /// ``rows(for:options:)`` (the tests hold the two together), without a String per cell or an
    /// array per record. The 2023 header maps columns, so it keeps the rows.
    func recordWriter(options: FeedOptions) -> CSVRecordWriter {
        guard !legacy else { return rowsRecordWriter(options: options) }
        let status: StaticString = options.status.lowercased() == "draft" ? "Draft" : "Active"
        let cap = options.maxImages ?? 10
        // The same for every product when the pipeline names the vendor.
        let namedVendor = FeedValues.namedVendor(options)
        var lastKeyword = (raw: "", clean: "")
        return { product, row in
            typealias C = Column
            let title = TitleCleaner.truncate(product.storefrontTitle, limit: 255)
            let text = ProductText(product)
            row.cell(C.title.rawValue, title)
            row.number(C.urlHandle.rawValue, prefix: FeedValues.handlePrefix, product.id)
            var cell = row.begin(C.description.rawValue)
            FeedValues.appendHTMLDescription(product, title: title, text: text, to: &row.bytes)
            row.end(C.description.rawValue, from: cell)
            row.cell(C.vendor.rawValue, namedVendor ?? FeedValues.vendor(product, options: options, text: text))
            row.cell(C.type.rawValue, product.categories.last?.name ?? "")
            cell = row.begin(C.tags.rawValue)
            FeedValues.appendTags(product, to: &row.bytes)
            row.end(C.tags.rawValue, from: cell)
            row.plain(C.publishedOnOnlineStore.rawValue, "TRUE")
            row.plain(C.status.rawValue, status)
            row.number(C.sku.rawValue, prefix: FeedValues.skuPrefix, product.id)
            row.plain(C.option1Name.rawValue, "Title")
            row.plain(C.option1Value.rawValue, "Default Title")
            row.money(C.price.rawValue, product.storePrice)
            if let compareAt = product.storeCompareAt { row.money(C.compareAtPrice.rawValue, compareAt) }
            if let cost = product.pricing?.cost { row.money(C.costPerItem.rawValue, cost) }
            row.plain(C.chargeTax.rawValue, "TRUE")
            if product.availability == .outOfStock {
                row.plain(C.inventoryTracker.rawValue, "shopify")
                row.plain(C.inventoryQuantity.rawValue, "0")
            }
            row.plain(C.continueSellingWhenOutOfStock.rawValue, "DENY")
            row.plain(C.requiresShipping.rawValue, "TRUE")
            row.plain(C.fulfillmentService.rawValue, "manual")
            // The first image on the product's record, the others on records of their own.
            let afterFirstImage = FeedValues.forEachImage(product, cap: cap) { main in
                row.plain(C.productImageURL.rawValue, bytes: main)
                row.plain(C.imagePosition.rawValue, "1")
                row.built(C.imageAltText.rawValue, limit: 512) { $0.append(contentsOf: title) }
                return false
            }
            row.plain(C.giftCard.rawValue, "FALSE")
            row.built(C.seoTitle.rawValue, limit: 70) { $0.append(contentsOf: title) }
            cell = row.begin(C.seoDescription.rawValue)
            FeedValues.appendDescription(product, title: title, text: text, to: &row.bytes)
            row.end(C.seoDescription.rawValue, from: cell, limit: 320)
            row.plain(C.googleCondition.rawValue, "new")
            row.plain(C.googleCustomProduct.rawValue, "TRUE")
            // The first keyword found (`Product.keywords.first`). Products come keyword by
            // keyword, so the last one cleaned is almost always the one needed.
            if let keyword = product.hits.first?.keyword {
                if keyword != lastKeyword.raw { lastKeyword = (keyword, TitleCleaner.clean(keyword, limit: 100)) }
                row.cell(C.googleCustomLabel0.rawValue, lastKeyword.clean)
            }
            row.endRecord()
            let id = product.id
            var position: Int64 = 1
            FeedValues.forEachImage(product, cap: cap, from: afterFirstImage) { image in
                position += 1
                row.number(C.urlHandle.rawValue, prefix: FeedValues.handlePrefix, id)
                row.plain(C.productImageURL.rawValue, bytes: image)
                row.number(C.imagePosition.rawValue, position)
                row.endRecord()
                return true
            }
            return nil
        }
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
    static let positions = NamedRow.positions(header)
    /// The sample quotes exactly the names that contain a space.
    var headerLine: String? { Self.header.map { $0.contains(" ") ? "\"\($0)\"" : $0 }.joined(separator: ",") + "\r\n" }
    let isText = Self.textFlags(header: Self.header, text: ["Name", "Short description", "Description", "Categories", "Tags", "Button text"])

    /// WooCommerce splits these lists on commas; a literal comma is written `\,`.
    static func listItem(_ text: String) -> String { text.replacingOccurrences(of: ",", with: "\\,") }

    func rows(for product: Product, options: FeedOptions) -> Result<[CSVRow], FeedSkip> {
        let title = TitleCleaner.truncate(product.storefrontTitle, limit: 200)
        var row = NamedRow(positions: Self.positions)
        for (column, value) in [
            ("Type", options.wooType.rawValue), ("SKU", FeedValues.sku(product)), ("Name", title), ("Published", "1"),
            ("Is featured?", "0"), ("Visibility in catalog", "visible"),
            ("Short description", FeedValues.description(product, title: title)),
            ("Description", FeedValues.htmlDescription(product, title: title)), ("Tax status", "taxable"),
            ("Backorders allowed?", "0"), ("Sold individually?", "0"), ("Allow customer reviews?", "1"),
            ("In stock?", product.availability == .inStock ? "1" : "0"),
            ("Categories", product.categories.sorted { $0.level < $1.level }.map { Self.listItem($0.name) }.joined(separator: " > ")),
            ("Tags", FeedValues.tags(product).map(Self.listItem).joined(separator: ", ")),
            ("Images", FeedValues.images(product, cap: options.maxImages ?? 10).joined(separator: ", ")), ("Position", "0"),
        ] { row[column] = value }
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
        return .success([.full(row.cells)])
    }
}
