import Foundation
import Catalog
import OpenPlatform
import Sandbox
import Testing

/// The fast product-page decoder gives exactly what the Codable decoder gives, or nothing.
@Suite struct FastProductDecoderTests {
    static func codable(_ data: Data, _ method: String) throws -> WireProductResult? {
        guard case .success(let business) = try EnvelopeDecoder.decode(WireProductResult.self, method: method, from: data), business.respCode == 200
        else { return nil }
        return business.result
    }

    static func same(_ a: WireProductResult?, _ b: WireProductResult?) -> Bool {
        a?.products == b?.products && a?.currentPageNo == b?.currentPageNo && a?.currentRecordCount == b?.currentRecordCount
            && a?.totalRecordCount == b?.totalRecordCount && a?.totalPageNo == b?.totalPageNo
    }

    @Test(arguments: [
        ("product.query--matzati-ils-a", "aliexpress.affiliate.product.query"),
        ("product.query--matzati-ils-b", "aliexpress.affiliate.product.query"),
        ("hotproduct.query--matzati-cat44-en", "aliexpress.affiliate.hotproduct.query"),
        ("productdetail.get--matzati-he", "aliexpress.affiliate.productdetail.get"),
        ("productdetail.get--matzati-he-2products-fields", "aliexpress.affiliate.productdetail.get"),
    ])
    func realCapturesDecodeTheSame(name: String, method: String) throws {
        let data = try FixtureDecodingTests.fixture(name)
        let fast = try #require(FastProductDecoder.decode(data, method: method))
        #expect(Self.same(fast, try Self.codable(data, method)))
        #expect(!fast.products.isEmpty)
    }

    /// Catalog mode is the full decode with exactly the fields a catalog run never reads left
    /// out, and the images packed.
    @Test(arguments: [
        ("product.query--matzati-ils-a", "aliexpress.affiliate.product.query"),
        ("hotproduct.query--matzati-cat44-en", "aliexpress.affiliate.hotproduct.query"),
        ("productdetail.get--matzati-he-2products-fields", "aliexpress.affiliate.productdetail.get"),
    ])
    func catalogModeLeavesOutOnlyUnusedFields(name: String, method: String) throws {
        let data = try FixtureDecodingTests.fixture(name)
        let full = try #require(FastProductDecoder.decode(data, method: method))
        let catalog = try #require(FastProductDecoder.decode(data, method: method, catalogFieldsOnly: true))
        let expected = full.products.map { product -> WireProduct in
            var p = product
            p.detailURL = nil
            p.promotionLink = nil
            p.platformProductType = nil
            p.appSalePrice = nil
            p.appSalePriceCurrency = nil
            p.targetAppSalePrice = nil
            p.targetAppSalePriceCurrency = nil
            p.taxRate = nil
            p.relevantMarketCommissionRate = nil
            // The images come packed, as the Normalizer would pack the full decode's.
            var images = GatewayImages()
            if let main = p.mainImageURL { images.setMain(main) }
            for url in p.smallImageURLs { images.addSmall(url) }
            if let video = p.videoURL { images.setVideo(video) }
            p.images = images.make()
            p.mainImageURL = nil
            p.smallImageURLs = []
            p.videoURL = nil
            return p
        }
        #expect(catalog.products == expected)
        #expect(full.products.contains { $0.detailURL != nil }, "the capture has the fields left out")
    }

    @Test(arguments: ["product.query-405-empty--tryonu", "error-MissingParameter--matzati", "featuredpromo.products.get--matzati-he-promo-code"])
    func whatItDoesNotHandleFallsBack(name: String) throws {
        let method = name.hasPrefix("featuredpromo") ? "aliexpress.affiliate.featuredpromo.products.get" : "aliexpress.affiliate.product.query"
        #expect(FastProductDecoder.decode(try FixtureDecodingTests.fixture(name), method: method) == nil)
    }

    @Test func sandboxPagesDecodeTheSame() async throws {
        try await withSandbox(SandboxConfiguration(seed: 3, day: 4)) { server in
            let client = Fixtures.client(server)
            var compared = 0
            for keyword in ["phone case", "led strip", "usb cable", "drone", "water bottle"] {
                for page in 1...3 {
                    let response = try await client.call(
                        OpenPlatformClient.productQueryMethod,
                        parameters: ProductQuery(keywords: keyword, pageNo: page, pageSize: 50, targetCurrency: "EUR", trackingID: "alifeed_demo").parameters,
                        as: WireProductResult.self)
                    let fast = FastProductDecoder.decode(response.body, method: OpenPlatformClient.productQueryMethod)
                    #expect(Self.same(fast, response.result), "\(keyword) page \(page)")
                    compared += fast?.products.count ?? 0
                }
            }
            #expect(compared > 500)
        }
    }

    @Test func escapesAndUnicodeDecodeTheSame() throws {
        let json = #"""
            {"aliexpress_affiliate_product_query_response":{"resp_result":{"result":{"current_record_count":1,"products":{"product":[
             {"product_id":"1005000000000001","product_title":"Caf\u00e9 \"quoted\" \\ back\/slash \ud83c\udfa7 tab\t nl\n ctl\u0001","sale_price":"5.00 USD","sale_price_currency":"USD","discount":"0%","evaluate_rate":"",
              "product_small_image_urls":{"string":[]},"lastest_volume":0,"product_video_url":"","unknown":{"nested":[1,{"x":null}]}}]}},"resp_code":"200"},"request_id":"r"}}
            """#
        let data = Data(json.utf8)
        let fast = try #require(FastProductDecoder.decode(data, method: "aliexpress.affiliate.product.query"))
        #expect(Self.same(fast, try Self.codable(data, "aliexpress.affiliate.product.query")))
        #expect(fast.products.first?.title == "Café \"quoted\" \\ back/slash 🎧 tab\t nl\n ctl\u{01}")
    }

    /// Category and shop names repeat across a page's products and are made once each; escaped,
    /// empty and null ones, and more distinct ones than are remembered, still decode as the
    /// Codable decoder decodes them.
    @Test func repeatedNamesDecodeTheSame() throws {
        func product(_ n: Int, shop: String, category: String) -> String {
            #"{"product_id":"\#(1_005_000_000_000_000 + n)","product_title":"T \#(n)","sale_price":"5.00","sale_price_currency":"USD","#
                + #""shop_id":\#(n),"shop_name":\#(shop),"shop_url":"https://s.example/\#(n % 3)","#
                + #""first_level_category_id":1,"first_level_category_name":\#(category),"second_level_category_id":2,"#
                + #""second_level_category_name":"Cases for phones, all kinds"}"#
        }
        var products: [String] = []
        for n in 0..<40 {
            let shop = n % 5 == 0 ? #""Café Shop Number One""# : n % 7 == 0 ? "null" : n % 11 == 0 ? #""""# : #""Shop Number \#(n % 20)""#
            products.append(product(n, shop: shop, category: n % 2 == 0 ? #""Consumer Electronics""# : #""Phones & Telecommunications""#))
        }
        let json = #"{"aliexpress_affiliate_product_query_response":{"resp_result":{"result":{"current_record_count":40,"products":{"product":["#
            + products.joined(separator: ",") + #"]}},"resp_code":"200"},"request_id":"r"}}"#
        let data = Data(json.utf8)
        for catalogFieldsOnly in [false, true] {
            let fast = try #require(FastProductDecoder.decode(data, method: "aliexpress.affiliate.product.query", catalogFieldsOnly: catalogFieldsOnly))
            let reference = try #require(try Self.codable(data, "aliexpress.affiliate.product.query"))
            #expect(fast.products.map(\.shopName) == reference.products.map(\.shopName))
            #expect(fast.products.map(\.shopURL) == reference.products.map(\.shopURL))
            #expect(fast.products.map(\.firstLevelCategoryName) == reference.products.map(\.firstLevelCategoryName))
            #expect(fast.products.map(\.secondLevelCategoryName) == reference.products.map(\.secondLevelCategoryName))
            #expect(fast.products[0].shopName == "Café Shop Number One" && fast.products[7].shopName == nil && fast.products[11].shopName == nil)
            #expect(fast.products[23].shopName == "Shop Number 3" && fast.products[39].shopName == "Shop Number 19")
        }
    }

    /// A key is a field only if every byte matches: unknown keys that share a field's length,
    /// first and last eight bytes (and, over 16 bytes, all but their middle) are skipped.
    @Test(arguments: ["target_originaX_price_currency", "target_original_priceXcurrency", "second_level_categoryXname", "product_small_image_urlX"])
    func aKeyDifferingOnlyInTheMiddleIsNotTheField(key: String) throws {
        let json = #"{"aliexpress_affiliate_product_query_response":{"resp_result":{"result":{"current_record_count":1,"products":{"product":["#
            + #"{"product_id":1005000000000001,"product_title":"T","sale_price":"5.00","sale_price_currency":"USD","#
            + #"""# + key + #"":"EUR"}]}},"resp_code":"200"},"request_id":"r"}}"#
        let data = Data(json.utf8)
        for catalogFieldsOnly in [false, true] {
            let fast = try #require(FastProductDecoder.decode(data, method: "aliexpress.affiliate.product.query", catalogFieldsOnly: catalogFieldsOnly))
            let product = try #require(fast.products.first)
            #expect(product.targetOriginalPriceCurrency == nil)
            #expect(product.secondLevelCategoryName == nil)
            #expect(product.smallImageURLs.isEmpty && (product.images?.imageCount ?? 0) == 0)
            #expect(product.title == "T")
        }
    }

    @Test func mutatedBodiesNeverCrash() throws {
        let seed = Array(try FixtureDecodingTests.fixture("product.query--matzati-ils-a"))
        var state: UInt64 = 99
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        var decoded = 0
        for _ in 0..<2000 {
            var bytes = seed
            for _ in 0..<(1 + next() % 3) {
                let i = next() % bytes.count
                switch next() % 3 {
                case 0: bytes.remove(at: i)
                case 1: bytes[i] = UInt8(truncatingIfNeeded: next())
                default: bytes = Array(bytes.prefix(i))
                }
            }
            if FastProductDecoder.decode(Data(bytes), method: "aliexpress.affiliate.product.query") != nil { decoded += 1 }
        }
        #expect(decoded < 2000)
    }
}
