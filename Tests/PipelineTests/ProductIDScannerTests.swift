import Foundation
import OpenPlatform
import Testing
@testable import Pipeline

/// The first pass finds product ids without decoding; it must find exactly the decoder's ids.
@Suite struct ProductIDScannerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("OpenPlatformTests/Fixtures")

    @Test(arguments: [
        ("product.query--matzati-ils-a", OpenPlatformClient.productQueryMethod),
        ("product.query--matzati-ils-b", OpenPlatformClient.productQueryMethod),
        ("hotproduct.query--matzati-cat44-en", OpenPlatformClient.hotProductQueryMethod),
        ("productdetail.get--matzati-he-2products-fields", OpenPlatformClient.productDetailMethod),
    ])
    func findsTheDecodersIDsInRealCaptures(name: String, method: String) throws {
        let body = try Data(contentsOf: Self.fixtures.appendingPathComponent("\(name).json"))
        let decoded = try #require(FastProductDecoder.decode(body, method: method)).products.map(\.productID)
        #expect(!decoded.isEmpty)
        #expect(ProductIDScanner.ids(in: body) == decoded)
    }

    @Test func spacingQuotedIDsAndLookalikes() {
        let body = Data(#"""
            {"r":{"products":{"product":[
              {"product_title":"a \"product_id\": 99 lookalike","product_id" : 1005001},
              {"product_id":"1005002","sku_id":7},
              {"product_id_extra":5,"product_id":
                1005003}
            ]}}}
            """#.utf8)
        #expect(ProductIDScanner.ids(in: body) == [1005001, 1005002, 1005003])
        #expect(ProductIDScanner.ids(in: Data()) == [])
        #expect(ProductIDScanner.ids(in: Data(#"{"product_id""#.utf8)) == [])
    }
}
