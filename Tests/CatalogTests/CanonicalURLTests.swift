import Foundation
import Testing
import Catalog

/// The item URL a product gets from its id, written byte by byte, against plain interpolation;
/// and a product's detail URL, which keeps only a URL other than that one.
@Suite struct CanonicalURLTests {
    @Test(arguments: [Int64(0), 7, 42, 1_005_006_123_456_789, Int64.max, -3, Int64.min])
    func urlFromTheID(id: Int64) {
        #expect(Product.canonicalURL(id: id) == "https://www.aliexpress.com/item/\(id).html")
        let product = Product(id: id, title: "t", salePrice: Money(1, .usd))
        #expect(product.detailURL == "https://www.aliexpress.com/item/\(id).html")
        #expect(product.withDetailURL { String(decoding: $0, as: UTF8.self) } == product.detailURL)
    }

    @Test func anotherDetailURLIsKeptAndTheCanonicalOneIsNot() throws {
        let canonical = Product(id: 5, title: "t", salePrice: Money(1, .usd))
        var other = Product(id: 5, title: "t", detailURL: "https://www.aliexpress.us/item/5.html", salePrice: Money(1, .usd))
        #expect(other.detailURL == "https://www.aliexpress.us/item/5.html")
        #expect(other.withDetailURL { String(decoding: $0, as: UTF8.self) } == "https://www.aliexpress.us/item/5.html")
        #expect(other != canonical)
        other.detailURL = Product.canonicalURL(id: 5)
        #expect(other == canonical)
        #expect(Product(id: 5, title: "t", detailURL: Product.canonicalURL(id: 5), salePrice: Money(1, .usd)) == canonical)
        // Encoded under its own name, and read back the same.
        other.detailURL = "https://x.example/5"
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(other)) as? [String: Any]
        #expect(json?["detailURL"] as? String == "https://x.example/5")
        #expect(try JSONDecoder().decode(Product.self, from: JSONEncoder().encode(other)) == other)
    }
}
