import Testing
import Catalog

/// The item URL a product gets from its id, written byte by byte, against plain interpolation.
@Suite struct CanonicalURLTests {
    @Test(arguments: [Int64(0), 7, 42, 1_005_006_123_456_789, Int64.max, -3, Int64.min])
    func urlFromTheID(id: Int64) {
        #expect(Product.canonicalURL(id: id) == "https://www.aliexpress.com/item/\(id).html")
    }
}
