import Catalog
import Foundation
import OpenPlatform
import Testing
import Transform

/// A wire product becomes a catalog product: the gallery is the small images without the main
/// one or repeats, in order; taking the wire product's texts gives the same product as copying
/// them.
@Suite struct NormalizerTests {
    static func wire(main: String?, small: [String]) -> WireProduct {
        var wire = WireProduct(productID: 1005001234567890)
        wire.title = "A lamp with a long enough title to live on the heap"
        wire.targetSalePrice = Decimal(string: "12.34")
        wire.targetSalePriceCurrency = .usd
        wire.mainImageURL = main
        wire.smallImageURLs = small
        wire.shopID = 42
        wire.shopName = "The lamp shop, a name longer than fifteen bytes"
        wire.firstLevelCategoryID = 3
        wire.firstLevelCategoryName = "Home improvement and lighting"
        wire.videoURL = "https://video.aliexpress-media.com/play/u/1.mp4"
        return wire
    }

    static let hit = KeywordHit(keyword: "lamp", page: 1, rank: 1)

    @Test(arguments: [
        ("m", ["a", "m", "b", "a", "c", "b"], "m", ["a", "b", "c"]),
        (nil, ["a", "b", "a"], "a", ["b"]),
        ("m", [], "m", []),
        ("m", ["m", "m"], "m", []),
        (nil, [], nil, []),
    ] as [(String?, [String], String?, [String])])
    func theGalleryLeavesOutTheMainImageAndRepeats(main: String?, small: [String], expectedMain: String?, gallery: [String]) throws {
        let url = { (name: String) in "https://ae01.alicdn.com/kf/\(name).jpg" }
        let product = try Normalizer.product(from: Self.wire(main: main.map(url), small: small.map(url)), hit: Self.hit).get()
        #expect(product.images.main == expectedMain.map(url))
        #expect(product.images.gallery == gallery.map(url))
    }

    @Test func takingTheWireProductGivesTheSameProduct() throws {
        let original = Self.wire(main: nil, small: ["https://ae01.alicdn.com/kf/a.jpg", "https://ae01.alicdn.com/kf/b.jpg"])
        var taken = original
        let copied = try Normalizer.product(from: original, hit: Self.hit).get()
        let moved = try Normalizer.product(taking: &taken, hit: Self.hit).get()
        #expect(moved == copied)
        #expect(moved.title == original.title && moved.shop?.name == original.shopName && moved.images.video == original.videoURL)
        #expect(taken.title == nil && taken.smallImageURLs.isEmpty, "the texts moved into the product")
        #expect(original.title != nil, "the copy the other call took is untouched")
    }
}
