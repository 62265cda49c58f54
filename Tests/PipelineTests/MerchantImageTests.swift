import Catalog
import Foundation
import Testing
@testable import Load

/// A Google Merchant or Meta item lists the feed's images: the first safe one as `image_link`,
/// the others (up to the profile's limit) as `additional_image_link`, in order, the unsafe ones
/// encoded or left out exactly as ``FeedValues/images(_:cap:)`` does.
struct MerchantImageTests {
    /// The text of every `<name>` element of an item, unescaped.
    static func values(_ name: String, in item: String) -> [String] {
        item.components(separatedBy: "<\(name)>").dropFirst().map { part in
            String(part[..<part.range(of: "</\(name)>")!.lowerBound])
                .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        }
    }

    @Test(arguments: [FeedProfile.googleMerchant, .meta])
    func itemsListTheFeedsImages(profile: FeedProfile) {
        let sink = MerchantFeedSink(url: URL(fileURLWithPath: "/dev/null"), profile: profile)
        var buffers = MerchantFeedSink.ItemBuffers()
        var items = 0
        for product in ShopifyRecordTests.products(count: 400) {
            buffers.item.removeAll()
            let images = FeedValues.images(product, cap: 1 + sink.limits.additionalImages)
            let written = sink.item(product, into: &buffers)
            #expect(written == !images.isEmpty)
            guard written else { continue }
            items += 1
            let item = buffers.item.string()
            #expect(Self.values("g:image_link", in: item) == [images[0]])
            #expect(Self.values("g:additional_image_link", in: item) == Array(images.dropFirst()))
        }
        #expect(items > 200)
    }
}
