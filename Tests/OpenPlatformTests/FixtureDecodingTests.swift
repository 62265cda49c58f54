import Catalog
import Foundation
import OpenPlatform
import Testing

/// Real bodies captured from the live gateway (Fixtures/SOURCES.md): every one must decode.
@Suite struct FixtureDecodingTests {
    static func fixture(_ name: String) throws -> Data {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json"))
        return try Data(contentsOf: url)
    }

    static func success<R>(_ envelope: Envelope<R>) throws -> BusinessResult<R> {
        guard case .success(let result) = envelope else {
            Issue.record("expected a success envelope, got \(envelope)")
            throw CancellationError()
        }
        return result
    }

    @Test(arguments: ["product.query--matzati-ils-a", "product.query--matzati-ils-b"])
    func productQuery(name: String) throws {
        let envelope = try EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.product.query", from: try Self.fixture(name))
        let business = try Self.success(envelope)
        #expect(business.respCode == 200)
        #expect(business.respMessage == "Call succeeds")
        let result = try #require(business.result)
        #expect(result.totalRecordCount == 207117)
        #expect(result.currentPageNo == 1)
        #expect(result.totalPageNo == nil)
        #expect(result.products.count == 3)
        for product in result.products {
            #expect(product.productID > 1_000_000_000_000_000 / 1000)
            #expect(product.smallImageURLs.count == 6)
            #expect(product.targetSalePriceCurrency?.rawValue == "ILS")
            #expect(product.salePriceCurrency?.rawValue == "CNY")
            #expect(product.commissionRate != nil)
            #expect(product.lastestVolume != nil)
        }
    }

    @Test func productQueryFieldValues() throws {
        let data = try Self.fixture("product.query--matzati-ils-a")
        let result = try #require(try Self.success(EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.product.query", from: data)).result)
        let first = try #require(result.products.first)
        #expect(first.productID == 1_005_006_338_829_917)
        #expect(first.skuID == 12_000_036_815_593_862)
        #expect(first.shopID == 1_102_563_901)
        #expect(first.targetSalePrice == Decimal(string: "15.68"))
        #expect(first.sale == Money(Decimal(string: "15.68")!, CurrencyCode(rawValue: "ILS")!))
        #expect(first.original == Money(Decimal(string: "31.36")!, CurrencyCode(rawValue: "ILS")!))
        #expect(first.discount == Percentage(points: 50))
        #expect(first.commissionRate == Percentage(points: 7))
        #expect(first.evaluateRate == Percentage(points: Decimal(string: "93.9")!))
        #expect(first.lastestVolume == 10235)
        #expect(first.videoURL == nil)  // "" on the wire
        #expect(first.taxRate == 0)
        #expect(first.promotionLink?.hasPrefix("https://s.click.aliexpress.com/s/") == true)
    }

    @Test func hotProductQueryWithMissingAppPrices() throws {
        let data = try Self.fixture("hotproduct.query--matzati-cat44-en")
        let result = try #require(try Self.success(EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.hotproduct.query", from: data)).result)
        #expect(result.currentRecordCount == 46)
        #expect(result.products.count == 3)
        #expect(result.products[0].appSalePrice != nil)
        #expect(result.products[1].appSalePrice == nil)
        #expect(result.products[1].targetAppSalePriceCurrency == nil)
        #expect(result.products.contains { $0.title?.contains("μ") == true })
    }

    @Test(arguments: ["productdetail.get--matzati-he", "productdetail.get--matzati-he-2products-fields"])
    func productDetailWithoutRespMsg(name: String) throws {
        let business = try Self.success(EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.productdetail.get", from: try Self.fixture(name)))
        #expect(business.respCode == 200)
        #expect(business.respMessage == nil)
        let result = try #require(business.result)
        #expect(!result.products.isEmpty)
        #expect(result.currentRecordCount == result.products.count)
    }

    @Test func featuredPromoProductsWithPromoCode() throws {
        let business = try Self.success(EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.featuredpromo.products.get",
            from: try Self.fixture("featuredpromo.products.get--matzati-he-promo-code")))
        let result = try #require(business.result)
        #expect(result.isFinished == false)
        #expect(result.currentPageNo == nil)
        #expect(result.products.contains { $0.promoCode?.code != nil })
    }

    @Test func categoriesWithoutParentKey() throws {
        let business = try Self.success(EnvelopeDecoder.decode(
            WireCategoryResult.self, method: "aliexpress.affiliate.category.get", from: try Self.fixture("category.get--matzati")))
        let result = try #require(business.result)
        #expect(result.totalResultCount == 564)
        #expect(result.categories.count == 30)
        #expect(result.categories[0] == WireCategory(id: 2, name: "Food", parentID: nil))
        #expect(result.categories[1].parentID == 2)
        #expect(result.categories.contains { $0.name == "Food&Fresh（Spe）" })
    }

    @Test(arguments: [("link.generate--matzati", 1), ("link.generate--matzati-hot-type2-3links", 3)])
    func linkGenerate(name: String, count: Int) throws {
        let business = try Self.success(EnvelopeDecoder.decode(
            WireLinkResult.self, method: "aliexpress.affiliate.link.generate", from: try Self.fixture(name)))
        let result = try #require(business.result)
        #expect(result.links.count == count)
        #expect(result.totalResultCount == count)
        #expect(result.links.allSatisfy { $0.promotionLink.hasPrefix("https://s.click.aliexpress.com/e/_") })
        #expect(result.links.allSatisfy { $0.sourceValue.hasPrefix("https://www.aliexpress.com/item/") })
    }

    @Test func linkGenerateBusinessError402() throws {
        let business = try Self.success(EnvelopeDecoder.decode(
            WireLinkResult.self, method: "aliexpress.affiliate.link.generate",
            from: try Self.fixture("link.generate-402-tracking-id--matzati")))
        #expect(business.respCode == 402)
        #expect(business.respMessage == "TrackingId input parameter error")
        #expect(business.result == nil)
        #expect(business.requestID == "212a6b7f17905433563425311")
    }

    @Test func emptyResult405() throws {
        let business = try Self.success(EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.product.query",
            from: try Self.fixture("product.query-405-empty--tryonu")))
        #expect(business.respCode == 405)
        #expect(business.result == nil)
    }

    @Test(arguments: [
        ("error-IncompleteSignature--stackoverflow-77718066", "IncompleteSignature", "210101cd17036054742456317"),
        ("error-MissingParameter--matzati", "MissingParameter", "212e59e617905433438181589"),
        ("error-ApiCallLimit--fyndplats", "ApiCallLimit", "212a73a517870076598066532"),
        ("error-15-isv.account-migration-check-fail--desenvolvedor", "15", nil),
    ] as [(String, String, String?)])
    func gatewayErrors(name: String, code: String, requestID: String?) throws {
        let envelope = try EnvelopeDecoder.decode(
            WireProductResult.self, method: "aliexpress.affiliate.product.query", from: try Self.fixture(name))
        guard case .gatewayError(let body) = envelope else {
            Issue.record("expected a gateway error")
            return
        }
        #expect(body.code == code)
        #expect(body.requestID == requestID)
    }

    @Test func legacyErrorKeepsSubCode() throws {
        let envelope = try EnvelopeDecoder.decode(
            WireProductResult.self, method: "x", from: try Self.fixture("error-15-isv.account-migration-check-fail--desenvolvedor"))
        guard case .gatewayError(let body) = envelope else {
            Issue.record("expected a gateway error")
            return
        }
        #expect(body.subCode == "isv.account-migration-check-fail")
        #expect(body.fullMessage.contains("account migration"))
    }
}
