import Testing
@testable import Catalog

/// ``GatewayImages`` makes the product's images from the gateway's lists: the main image is the
/// listed one or the first small one, the gallery the small ones without it or repeats.
struct GatewayImagesTests {
    static func make(main: String?, small: [String], video: String?, mainLast: Bool = false) -> ImageSet {
        var images = GatewayImages()
        if !mainLast, let main { images.setMain(main) }
        for url in small { images.addSmall(url) }
        // The gateway may list the main image after the small ones: each keeps its own bytes.
        if mainLast, let main { images.setMain(main) }
        if let video { images.setVideo(video) }
        return images.make()
    }

    @Test(arguments: [false, true])
    func mainIsTheListedOneAndTheGalleryHasNoRepeats(mainLast: Bool) {
        let set = Self.make(
            main: "https://a/m.jpg", small: ["https://a/1.jpg", "https://a/m.jpg", "https://a/2.jpg", "https://a/1.jpg"], video: "https://v/x.mp4",
            mainLast: mainLast)
        #expect(set == ImageSet(main: "https://a/m.jpg", gallery: ["https://a/1.jpg", "https://a/2.jpg"], video: "https://v/x.mp4"))
    }

    @Test func withoutAMainImageTheFirstSmallOneIsIt() {
        let set = Self.make(main: nil, small: ["https://a/1.jpg", "https://a/2.jpg", "https://a/1.jpg"], video: nil)
        #expect(set == ImageSet(main: "https://a/1.jpg", gallery: ["https://a/2.jpg"], video: nil))
        #expect(Self.make(main: nil, small: [], video: nil) == ImageSet())
    }

    @Test func canonicallyEquivalentURLsAreRepeats() {
        // "é" precomposed and as e + combining acute: equal as Strings, different bytes.
        let set = Self.make(main: "https://a/caf\u{E9}.jpg", small: ["https://a/cafe\u{301}.jpg", "https://a/b.jpg"], video: nil)
        #expect(set.gallery == ["https://a/b.jpg"])
    }

    @Test func aListGivenAgainReplacesTheFirst() {
        var images = GatewayImages()
        images.addSmall("https://a/old.jpg")
        images.removeSmall()
        images.addSmall("https://a/new.jpg")
        #expect(images.make() == ImageSet(main: "https://a/new.jpg", gallery: [String](), video: nil))
        images.removeAll()
        #expect(images.make() == ImageSet())
    }
}

extension GatewayImagesTests {
    /// A long list follows the same rules (it takes another path).
    @Test func aLongListFollowsTheSameRules() {
        let small = (0..<200).map { "https://a/\($0 % 150).jpg" } + ["https://a/caf\u{E9}.jpg", "https://a/cafe\u{301}.jpg"]
        let set = Self.make(main: "https://a/7.jpg", small: small, video: nil)
        let expected = (0..<150).filter { $0 != 7 }.map { "https://a/\($0).jpg" } + ["https://a/caf\u{E9}.jpg"]
        #expect(set.main == "https://a/7.jpg")
        #expect(set.gallery == expected)
    }
}
