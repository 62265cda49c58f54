import Catalog
import Foundation
import OpenPlatform
import Testing

/// Shapes the fixtures do not show but the spec says to tolerate.
@Suite struct WireDecodingTests {
    static func decode(_ json: String, method: String = "aliexpress.affiliate.product.query") throws -> Envelope<WireProductResult> {
        try EnvelopeDecoder.decode(WireProductResult.self, method: method, from: Data(json.utf8))
    }

    static func products(_ envelope: Envelope<WireProductResult>) -> [WireProduct] {
        if case .success(let business) = envelope { return business.result?.products ?? [] }
        return []
    }

    @Test func numericIDsAboveTwoToThe53AreExact() throws {
        let json = """
            {"aliexpress_affiliate_product_query_response":{"resp_result":{"resp_code":200,"result":{"products":{"product":[{"product_id":1005004757833857,"sku_id":12000060221176090}]}}},"request_id":"r"}}
            """
        let product = try #require(Self.products(try Self.decode(json)).first)
        #expect(product.productID == 1_005_004_757_833_857)
        #expect(product.skuID == 12_000_060_221_176_090)
    }

    @Test func singleObjectWhereAListIsExpected() throws {
        let json = """
            {"aliexpress_affiliate_product_query_response":{"resp_result":{"resp_code":"200","result":{"products":{"product":{"product_id":"42","product_small_image_urls":{"string":"https://x/a.jpg"}}}}}}}
            """
        let products = Self.products(try Self.decode(json))
        #expect(products.map(\.productID) == [42])
        #expect(products.first?.smallImageURLs == ["https://x/a.jpg"])
    }

    @Test func simplifiedShapeWithoutWrapper() throws {
        let json = """
            {"resp_result":{"resp_code":200,"resp_msg":"success","result":{"current_record_count":1,"products":[{"product_id":7,"sale_price":"5.00 USD"}]}},"request_id":"abc"}
            """
        guard case .success(let business) = try Self.decode(json) else {
            Issue.record("expected success")
            return
        }
        #expect(business.requestID == "abc")
        #expect(business.result?.products.first?.salePrice == 5)
    }

    @Test func badPriceIsADecodingErrorNotACrash() {
        let json = """
            {"aliexpress_affiliate_product_query_response":{"resp_result":{"resp_code":200,"result":{"products":{"product":[{"product_id":1,"sale_price":"12abc"}]}}}}}
            """
        #expect(throws: DecodingError.self) { try Self.decode(json) }
    }

    @Test func unknownShapeIsAnError() {
        #expect(throws: DecodingError.self) { try Self.decode(#"{"something_else":{}}"#) }
        #expect(throws: (any Error).self) { try Self.decode(#"{"aliexpress_affiliate_product_query_response":{"resp_res"#) }
    }
}
