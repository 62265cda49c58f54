import Catalog
import Foundation
import Load
import OpenPlatform
import Pipeline
import Sandbox
import Testing

@Suite struct ProductURLTests {
    @Test(arguments: [
        "https://www.aliexpress.com/item/1005006338829917.html",
        "https://www.aliexpress.com/item/1005006338829917.html?pdp_npi=6%40dis%21ILS%2131.36&spm=a2g0o.productlist",
        "https://he.aliexpress.com/item/1005006338829917.html",
        "https://m.aliexpress.com/item/1005006338829917.html#reviews",
        "http://aliexpress.ru/item/1005006338829917.html",
        "https://www.aliexpress.us/item/1005006338829917.html?gatewayAdapt=glo2usa",
        "https://pt.aliexpress.com/i/1005006338829917.html",
        "https://www.aliexpress.com/item/some-product-name/1005006338829917.html",
        "https://m.aliexpress.com/app/detail.html?productId=1005006338829917",
        "www.aliexpress.com/item/1005006338829917.html",
        "  https://es.aliexpress.com/item/1005006338829917.html  ",
        "1005006338829917",
    ])
    func acceptedFormsBecomeCanonical(input: String) throws {
        let url = try ProductURL.parse(input).get()
        #expect(url.productID == 1_005_006_338_829_917)
        #expect(url.canonical == "https://www.aliexpress.com/item/1005006338829917.html")
    }

    @Test(arguments: [
        ("https://a.aliexpress.com/_mKqH1a", "short or affiliate link"),
        ("https://s.click.aliexpress.com/e/_c4Nfja0N", "short or affiliate link"),
        ("https://example.com/item/1005006338829917.html", "not an AliExpress link"),
        ("https://aliexpress.com.evil.example/item/1005006338829917.html", "not an AliExpress link"),
        ("https://www.aliexpress.com/store/1102563901", "a store page"),
        ("https://www.aliexpress.com/item/abc.html", "no product id"),
        ("https://www.aliexpress.com/w/wholesale-earbuds.html", "no product in this link"),
        ("ftp://www.aliexpress.com/item/1005006338829917.html", "only http(s)"),
        ("12345", "not a product id"),
        ("", "empty"),
    ])
    func rejectedFormsSayWhy(input: String, reason: String) {
        switch ProductURL.parse(input) {
        case .success(let url): Issue.record("\(input) was accepted as \(url.productID)")
        case .failure(let rejection): #expect(rejection.reason.contains(reason), "\(rejection)")
        }
    }
}

@Suite struct OneOffTests {
    static let environment = ["ALIEXPRESS_ENDPOINT": "sandbox"]

    @Test func searchReturnsTheCatalogsProductsWithFreshLinks() async throws {
        let context = try await SourceContext.open(pipeline: nil, environment: Self.environment)
        let products = try await context.search(keywords: ["yoga mat", "tent"], pages: 1, pageSize: 10)
        await context.close()
        let catalog = SandboxCatalog(seed: 1)
        let expected = Array(catalog.searchIDs(keywords: "yoga mat").prefix(10)) + Array(catalog.searchIDs(keywords: "tent").prefix(10))
        var seen = Set<Int64>()
        #expect(products.map(\.id) == expected.filter { seen.insert($0).inserted })
        for product in products {
            let link = catalog.product(id: product.id, day: 0)!.linkRefused ? nil
                : catalog.shortLink(trackingID: "alifeed_demo", source: product.detailURL, type: 0)
            #expect(product.affiliateLink?.url == link)
        }
    }

    @Test func linksConvertsCanonicalFormsAndReportsRefusalsAndRejections() async throws {
        let catalog = SandboxCatalog(seed: 1)
        let ids = catalog.searchIDs(keywords: "led strip")
        let refused = try #require(ids.first { catalog.product(id: $0, day: 0)!.linkRefused })
        let fine = try #require(ids.first { !catalog.product(id: $0, day: 0)!.linkRefused })
        let context = try await SourceContext.open(pipeline: nil, environment: Self.environment)
        let result = try await context.convert(urls: [
            "https://he.aliexpress.com/item/\(fine).html?spm=x", "m.aliexpress.com/item/\(fine).html", String(refused),
            "https://a.aliexpress.com/_short", "https://example.com/item/\(fine).html",
        ])
        await context.close()
        let link = catalog.shortLink(trackingID: "alifeed_demo", source: Product.canonicalURL(id: fine), type: 0)
        #expect(result.converted.map(\.affiliateURL) == [link, link, nil])
        #expect(result.converted.map(\.canonical).allSatisfy { $0.hasPrefix("https://www.aliexpress.com/item/") })
        #expect(result.refused.map(\.productID) == [refused])
        #expect(result.rejected.map(\.input) == ["https://a.aliexpress.com/_short", "https://example.com/item/\(fine).html"])
    }

    @Test func categoriesAreATree() async throws {
        let context = try await SourceContext.open(pipeline: nil, environment: Self.environment)
        let tree = try await context.categoryTree()
        await context.close()
        #expect(tree.count == SandboxCatalog(seed: 1).categories.count)
        var currentTop: Int64?
        for (category, depth) in tree {
            if depth == 0 {
                #expect(category.parentID == nil)
                currentTop = category.id
            } else {
                #expect(category.parentID == currentTop, "children follow their parent")
            }
        }
    }

    @Test func realEndpointWithoutKeysIsAClearError() async throws {
        await #expect(throws: RunFailure.self) {
            _ = try await SourceContext.open(pipeline: nil, environment: ["ALIEXPRESS_ENDPOINT": "https://api-sg.aliexpress.com"])
        }
    }
}

/// The keyword report's figures against the sandbox catalog.
@Suite struct KeywordReportTests {
    @Test func figuresMatchTheCatalog() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let keywords = ["yoga mat", "drone", "smart bulb"]
        let spec = try testPipeline(
            directory, name: "kr", keywords: keywords, pages: 1, pageSize: 40, extra: "  ship_to_country: US",
            transform: "  affiliate_links: {enabled: false}\n  dedupe: false", sinks: ["keyword_report"])
        _ = try await PipelineRunner(spec: spec).run()
        let rows = parseCSV(try String(contentsOfFile: directory.path("kr.keyword_report.csv"), encoding: .utf8))
        #expect(rows[0] == KeywordReportSink.header)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory.path("kr.keyword_report.json")))) as! [String: Any]
        #expect((json["keywords"] as! [Any]).count == keywords.count)
        let catalog = SandboxCatalog(seed: 1)
        for (row, keyword) in zip(rows.dropFirst(), keywords) {
            let col = { (name: String) in row[KeywordReportSink.header.firstIndex(of: name)!] }
            // The sandbox leaves out products that do not ship to US, as the real search does.
            let shipping = catalog.searchIDs(keywords: keyword).filter { catalog.ships(productID: $0, to: "US") }
            let ids = Array(shipping.prefix(40))
            let products = ids.map { catalog.product(id: $0, day: 10)! }
            let prices = products.map(\.saleUSD).sorted()
            func quantile(_ p: Double) -> String {
                // Linear interpolation between ranks, computed independently in Double cents.
                let h = Double(prices.count - 1) * p
                let lo = Int(h.rounded(.down))
                let hi = min(lo + 1, prices.count - 1)
                let a: Double = NSDecimalNumber(decimal: prices[lo]).doubleValue
                let b: Double = NSDecimalNumber(decimal: prices[hi]).doubleValue
                let value: Double = a + (b - a) * (h - Double(lo))
                return String(format: "%.2f", (value * 100).rounded() / 100)
            }
            #expect(col("keyword") == keyword)
            #expect(col("total_results") == String(shipping.count))
            #expect(col("products") == String(ids.count))
            #expect(col("currency") == "USD")
            #expect(col("price_min") == DecimalText.format(prices.first!, scale: 2))
            #expect(col("price_max") == DecimalText.format(prices.last!, scale: 2))
            #expect(col("price_median") == quantile(0.5))
            #expect(col("price_q1") == quantile(0.25))
            #expect(col("price_q3") == quantile(0.75))
            #expect(col("volume_total") == String(products.map(\.volume).reduce(0, +)))
            let rating = products.map(\.evaluateRate).reduce(0, +) / Decimal(products.count)
            #expect(col("rating_average") == DecimalText.format(rating, scale: 1))
            #expect(col("commission_max") == DecimalText.format(products.map(\.commissionRate).max()!, scale: 1))
            let fast = Decimal(ids.filter { catalog.shippingDays($0) <= 7 }.count) / Decimal(ids.count)
            #expect(col("fast_shipping_share") == DecimalText.format(fast, scale: 3))
            let top = products.max { ($0.volume, -$0.productID) < ($1.volume, -$1.productID) }!
            #expect(col("top_products").hasPrefix("\(top.productID) (\(top.volume) sold)"))
        }
    }

    @Test(arguments: [
        (["1.00"], "1.00", "1.00"), (["1.00", "2.00"], "1.25", "1.50"), (["1", "2", "3", "4"], "1.75", "2.50"),
        (["10", "20", "30", "40", "50"], "20.00", "30.00"),
    ])
    func quantilesInterpolateBetweenRanks(values: [String], q1: String, median: String) {
        let sorted = values.map { Decimal(string: $0)! }
        #expect(KeywordReportSink.quantile(sorted, 1, 4) == Decimal(string: q1)!)
        #expect(KeywordReportSink.quantile(sorted, 1, 2) == Decimal(string: median)!)
        #expect(KeywordReportSink.quantile([], 1, 2) == nil)
    }

    @Test func hotProductsAndProductIDsAreExtractSources() async throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let catalog = SandboxCatalog(seed: 1)
        let ids = Array(catalog.searchIDs(keywords: "tent").prefix(25))
        let hot = try testPipeline(directory, name: "hot", keywords: ["led strip"], pages: 1, pageSize: 30,
                                   extra: "  method: hotproduct.query", sinks: ["csv"])
        let hotSummary = try await PipelineRunner(spec: hot).run()
        let hotRows = parseCSV(try String(contentsOfFile: directory.path("hot.csv"), encoding: .utf8)).dropFirst()
        #expect(hotSummary.products > 0)
        #expect(hotRows.allSatisfy { Decimal(string: $0[19])! > 0 }, "every hot product has a hot commission")

        let byID = try testPipeline(directory, name: "ids", keywords: [], pages: 1, extra: "  product_ids: [\(ids.map(String.init).joined(separator: ", "))]", sinks: ["csv"])
        let summary = try await PipelineRunner(spec: byID).run()
        let rows = parseCSV(try String(contentsOfFile: directory.path("ids.csv"), encoding: .utf8)).dropFirst()
        #expect(rows.map { Int64($0[0])! } == ids)
        #expect(summary.pages == 2, "25 ids in batches of 20")
    }
}
