import Catalog
import Foundation
import Load
import Pipeline
import Sandbox
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Every storefront feed, produced from the sandbox and read back: headers, required fields,
/// limits, price formats, escaping, including the sandbox's edge-case titles.
@Suite struct FeedProfileTests {
    /// Keywords whose results include every edge-case title kind and a category name with a comma.
    static let keywords = ["phone case", "led strip", "usb cable", "drone", "water bottle", "yoga mat", "ring"]

    static func run(_ sinks: String, transform: String = "", name: String = "f") async throws -> (TempDirectory, RunSummary) {
        let directory = try TempDirectory()
        let spec = try testPipeline(
            directory, name: name, keywords: keywords, pages: 4, pageSize: 50, extra: transform, qps: 500,
            load: sinks.replacingOccurrences(of: "DIR", with: directory.url.path))
        return (directory, try await PipelineRunner(spec: spec).run())
    }

    static func csv(_ path: String) throws -> (raw: String, rows: [[String]]) {
        let raw = try String(contentsOfFile: path, encoding: .utf8)
        return (raw, parseCSV(raw))
    }

    static var price: Regex<Substring> { #/^[0-9]+\.[0-9]{2}$/# }
    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n"]

    @Test func shopifyCurrentHeaderAndRows() async throws {
        let (dir, summary) = try await Self.run("  - {type: csv, profile: shopify, path: DIR/shopify.csv}")
        defer { dir.remove() }
        let (_, rows) = try Self.csv(dir.path("shopify.csv"))
        let expectedHeader = "Title,URL handle,Description,Vendor,Product category,Type,Tags,Published on online store,Status,SKU,Barcode,Option1 name,Option1 value,Option1 Linked To,Option2 name,Option2 value,Option2 Linked To,Option3 name,Option3 value,Option3 Linked To,Price,Compare-at price,Cost per item,Charge tax,Tax code,Unit price total measure,Unit price total measure unit,Unit price base measure,Unit price base measure unit,Inventory tracker,Inventory quantity,Continue selling when out of stock,Weight value (grams),Weight unit for display,Requires shipping,Fulfillment service,Product image URL,Image position,Image alt text,Variant image URL,Gift card,SEO title,SEO description,Color (product.metafields.shopify.color-pattern),Google Shopping / Google product category,Google Shopping / Gender,Google Shopping / Age group,Google Shopping / Manufacturer part number (MPN),Google Shopping / Ad group name,Google Shopping / Ads labels,Google Shopping / Condition,Google Shopping / Custom product,Google Shopping / Custom label 0,Google Shopping / Custom label 1,Google Shopping / Custom label 2,Google Shopping / Custom label 3,Google Shopping / Custom label 4"
        #expect(rows[0] == expectedHeader.components(separatedBy: ","))
        try Self.checkShopify(rows, titleColumn: "Title", handleColumn: "URL handle", priceColumn: "Price",
            compareColumn: "Compare-at price", imageColumn: "Product image URL", positionColumn: "Image position",
            seoColumn: "SEO title", products: summary.products)
    }

    @Test func shopifyLegacyHeaderAndRows() async throws {
        let (dir, summary) = try await Self.run("  - {type: csv, profile: shopify-legacy, path: DIR/legacy.csv, status: draft}")
        defer { dir.remove() }
        let (_, rows) = try Self.csv(dir.path("legacy.csv"))
        let expectedHeader = "Handle,Title,Body (HTML),Vendor,Product Category,Type,Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Option3 Name,Option3 Value,Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Inventory Policy,Variant Fulfillment Service,Variant Price,Variant Compare At Price,Variant Requires Shipping,Variant Taxable,Variant Barcode,Image Src,Image Position,Image Alt Text,Gift Card,SEO Title,SEO Description,Google Shopping / Google Product Category,Google Shopping / Gender,Google Shopping / Age Group,Google Shopping / MPN,Google Shopping / Condition,Google Shopping / Custom Product,Variant Image,Variant Weight Unit,Variant Tax Code,Cost per item,Included / United States,Price / United States,Compare At Price / United States,Included / International,Price / International,Compare At Price / International,Status"
        #expect(rows[0] == expectedHeader.components(separatedBy: ","))
        try Self.checkShopify(rows, titleColumn: "Title", handleColumn: "Handle", priceColumn: "Variant Price",
            compareColumn: "Variant Compare At Price", imageColumn: "Image Src", positionColumn: "Image Position",
            seoColumn: "SEO Title", products: summary.products)
        let status = rows[0].firstIndex(of: "Status")!, policy = rows[0].firstIndex(of: "Variant Inventory Policy")!
        let productRows = rows.dropFirst().filter { !$0[1].isEmpty }
        #expect(productRows.allSatisfy { $0[status] == "draft" && $0[policy] == "deny" })
    }

    static func checkShopify(
        _ rows: [[String]], titleColumn: String, handleColumn: String, priceColumn: String, compareColumn: String,
        imageColumn: String, positionColumn: String, seoColumn: String, products: Int
    ) throws {
        let header = rows[0]
        let col = { (name: String) in header.firstIndex(of: name)! }
        let body = rows.dropFirst()
        #expect(body.allSatisfy { $0.count == header.count })
        let productRows = body.filter { !$0[col(titleColumn)].isEmpty }
        #expect(productRows.count == products)
        let handles = productRows.map { $0[col(handleColumn)] }
        #expect(Set(handles).count == handles.count, "handles are unique")
        #expect(handles.allSatisfy { $0.wholeMatch(of: #/[a-z0-9]+(-[a-z0-9]+)*/#) != nil })
        var imagesPerHandle: [String: Int] = [:]
        var seen = Set<String>()
        for row in body {
            let handle = row[col(handleColumn)]
            if !row[col(titleColumn)].isEmpty {
                seen.insert(handle)
                #expect(row[col(priceColumn)].wholeMatch(of: Self.price) != nil)
                let compare = row[col(compareColumn)]
                if !compare.isEmpty {
                    #expect(compare.wholeMatch(of: Self.price) != nil)
                    #expect(Decimal(string: compare)! > Decimal(string: row[col(priceColumn)])!)
                }
                #expect(row[col(seoColumn)].unicodeScalars.count <= 70)
            } else {
                #expect(seen.contains(handle), "an image row follows its product row")
            }
            if !row[col(imageColumn)].isEmpty {
                imagesPerHandle[handle, default: 0] += 1
                #expect(row[col(positionColumn)] == String(imagesPerHandle[handle]!))
                #expect(row[col(imageColumn)].hasPrefix("https://"))
            }
            for cell in row { #expect(cell.first.map { !Self.triggers.contains($0) } ?? true, "cell starts with a formula character: \(cell.prefix(40))") }
            #expect(!row.joined().unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" })
        }
        #expect(imagesPerHandle.values.allSatisfy { $0 <= 10 })
        #expect(productRows.contains { $0[col(titleColumn)].hasPrefix("HYPERLINK") }, "the formula title was neutralized, not dropped")
    }

    @Test func woocommerceExternalForAffiliates() async throws {
        let (dir, summary) = try await Self.run(
            "  - {type: csv, profile: woocommerce, woocommerce_type: external, button_text: Buy now, path: DIR/woo.csv}")
        defer { dir.remove() }
        let (raw, rows) = try Self.csv(dir.path("woo.csv"))
        let sampleHeader = #"ID,Type,SKU,Name,Published,"Is featured?","Visibility in catalog","Short description",Description,"Date sale price starts","Date sale price ends","Tax status","Tax class","In stock?",Stock,"Backorders allowed?","Sold individually?","Weight (lbs)","Length (in)","Width (in)","Height (in)","Allow customer reviews?","Purchase note","Sale price","Regular price",Categories,Tags,"Shipping class",Images,"Download limit","Download expiry days",Parent,"Grouped products",Upsells,Cross-sells,"External URL","Button text",Position,"Attribute 1 name","Attribute 1 value(s)","Attribute 1 visible","Attribute 1 global","Attribute 2 name","Attribute 2 value(s)","Attribute 2 visible","Attribute 2 global","Meta: _wpcom_is_markdown","Download 1 name","Download 1 URL","Download 2 name","Download 2 URL""#
        #expect(raw.hasPrefix(sampleHeader + "\r\n"))
        let header = rows[0]
        let col = { (name: String) in header.firstIndex(of: name)! }
        let body = rows.dropFirst()
        #expect(body.count == summary.linksGenerated, "one row per product with a fresh affiliate link")
        for row in body {
            #expect(row.count == header.count)
            #expect(row[col("Type")] == "external")
            #expect(row[col("External URL")].hasPrefix("https://s.click.aliexpress.com/e/_"))
            #expect(row[col("Button text")] == "Buy now")
            #expect(row[col("Regular price")].wholeMatch(of: Self.price) != nil)
            if !row[col("Sale price")].isEmpty {
                #expect(Decimal(string: row[col("Sale price")])! < Decimal(string: row[col("Regular price")])!)
            }
            #expect(!row[col("Name")].isEmpty)
            #expect(row[col("Name")].first.map { !Self.triggers.contains($0) } ?? false)
            let images = row[col("Images")].components(separatedBy: ", ")
            #expect(images.allSatisfy { $0.hasPrefix("https://") && !$0.contains(",") })
        }
        // A category name with a comma is escaped so WooCommerce does not split it.
        #expect(body.contains { $0[col("Categories")] == #"Home & Garden > Kitchen\,Dining & Bar"# })
    }

    @Test func woocommerceSimpleForDropshippers() async throws {
        let (dir, summary) = try await Self.run(
            "  - {type: csv, profile: woocommerce, woocommerce_type: simple, path: DIR/woo.csv}",
            transform: "transform:\n  pricing: {multiplier: 2, rounding: .95}")
        defer { dir.remove() }
        let (_, rows) = try Self.csv(dir.path("woo.csv"))
        let col = { (name: String) in rows[0].firstIndex(of: name)! }
        #expect(rows.count - 1 == summary.products)
        for row in rows.dropFirst() {
            #expect(row[col("Type")] == "simple")
            #expect(row[col("External URL")].isEmpty)
            let retail = row[col("Sale price")].isEmpty ? row[col("Regular price")] : row[col("Sale price")]
            #expect(retail.hasSuffix(".95"))
        }
    }

    @Test func spreadsheetSafeModePrefixesAnApostrophe() async throws {
        let (dir, _) = try await Self.run("""
              - {type: csv, path: DIR/safe.csv, spreadsheet_safe: true}
              - {type: csv, path: DIR/plain.csv}
            """)
        defer { dir.remove() }
        let safe = try Self.csv(dir.path("safe.csv")).rows.dropFirst().map { $0[1] }
        let plain = try Self.csv(dir.path("plain.csv")).rows.dropFirst().map { $0[1] }
        #expect(safe.contains { $0.hasPrefix("'=HYPERLINK(") })
        #expect(safe.contains { $0.hasPrefix("'+") })
        #expect(!plain.contains { $0.first.map(Self.triggers.contains) ?? false })
        #expect(plain.contains { $0.hasPrefix("HYPERLINK(") })
    }

    @Test func googleMerchantItems() async throws {
        let (dir, summary) = try await Self.run("  - {type: xml, profile: google-merchant, path: DIR/google.xml}")
        defer { dir.remove() }
        let feed = try MerchantItems.read(URL(fileURLWithPath: dir.path("google.xml")))
        #expect(feed.rootAttributes["version"] == "2.0")
        #expect(feed.rootAttributes["xmlns:g"] == "http://base.google.com/ns/1.0")
        #expect(feed.items.count == summary.products)
        try Self.checkItems(feed.items, titleLimit: 150, descriptionLimit: 5000, idLimit: 50, extraImages: 10, brandLimit: 70, inStock: "in_stock")
        try Self.xmllint(dir.path("google.xml"))
    }

    @Test func metaItems() async throws {
        let (dir, summary) = try await Self.run("  - {type: xml, profile: meta, path: DIR/meta.xml, vendor: Gadget Picks}")
        defer { dir.remove() }
        let feed = try MerchantItems.read(URL(fileURLWithPath: dir.path("meta.xml")))
        #expect(feed.items.count == summary.products)
        try Self.checkItems(feed.items, titleLimit: 200, descriptionLimit: 9999, idLimit: 100, extraImages: 20, brandLimit: 100, inStock: "in stock")
        for item in feed.items {
            #expect(item["g:brand"] == ["Gadget Picks"])
            for field in ["g:title", "g:description"] {
                let text = item[field]?.first ?? ""
                #expect(!text.contains("<") && text.range(of: #"&[#A-Za-z0-9]+;"#, options: .regularExpression) == nil, "HTML in \(field): \(text.prefix(60))")
            }
        }
        try Self.xmllint(dir.path("meta.xml"))
    }

    static func checkItems(
        _ items: [[String: [String]]], titleLimit: Int, descriptionLimit: Int, idLimit: Int, extraImages: Int, brandLimit: Int,
        inStock: String
    ) throws {
        let moneyFormat = #/^[0-9]+\.[0-9]{2} [A-Z]{3}$/#
        var ids = Set<String>()
        for item in items {
            for required in ["g:id", "g:title", "g:description", "g:link", "g:image_link", "g:availability", "g:price", "g:condition"] {
                #expect(item[required]?.count == 1, "\(required) missing or repeated")
            }
            let id = item["g:id"]![0]
            #expect(ids.insert(id).inserted)
            #expect(id.count <= idLimit && id.wholeMatch(of: #/[A-Za-z0-9_-]+/#) != nil)
            let title = item["g:title"]![0]
            #expect(!title.isEmpty && title.unicodeScalars.count <= titleLimit)
            #expect(title.first.map { !Self.triggers.contains($0) } ?? false)
            #expect(!title.unicodeScalars.contains { $0.properties.generalCategory == .control })
            #expect(item["g:description"]![0].unicodeScalars.count <= descriptionLimit)
            #expect(item["g:availability"] == [inStock])
            #expect(item["g:condition"] == ["new"])
            #expect(item["g:price"]![0].wholeMatch(of: moneyFormat) != nil)
            if let sale = item["g:sale_price"]?.first {
                #expect(sale.wholeMatch(of: moneyFormat) != nil)
                #expect(Decimal(string: String(sale.prefix { $0 != " " }))! < Decimal(string: String(item["g:price"]![0].prefix { $0 != " " }))!)
            }
            for url in (item["g:link"] ?? []) + (item["g:image_link"] ?? []) + (item["g:additional_image_link"] ?? []) {
                #expect(url.hasPrefix("https://") && url.allSatisfy { $0.isASCII && $0 != " " && $0 != "," })
            }
            #expect((item["g:additional_image_link"]?.count ?? 0) <= extraImages)
            #expect((item["g:brand"]?.first?.count ?? 0) <= brandLimit)
            #expect(item["g:identifier_exists"] == ["no"])
        }
    }

    static func xmllint(_ path: String) throws {
        guard let tool = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first(where: FileManager.default.isExecutableFile) else {
            // CI installs libxml2-utils (.ci/run); a machine without it still checks with XMLParser above.
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--noout", path]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "xmllint: \(message)")
    }
}

/// Reads `<item>` children of an RSS feed into name → values.
final class MerchantItems: NSObject, XMLParserDelegate {
    var items: [[String: [String]]] = []
    var rootAttributes: [String: String] = [:]
    private var current: [String: [String]]?
    private var text = ""

    static func read(_ url: URL) throws -> MerchantItems {
        let reader = MerchantItems()
        let parser = try #require(XMLParser(contentsOf: url))
        parser.delegate = reader
        #expect(parser.parse(), "not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        return reader
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "rss" { rootAttributes = attributes }
        if name == "item" { current = [:] }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "item", let current {
            items.append(current)
            self.current = nil
        } else if current != nil {
            current?[name, default: []].append(text)
        }
        text = ""
    }
}
