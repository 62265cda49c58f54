import Foundation
import Testing
@testable import Catalog

/// ``ImageSet`` packs its URLs into one buffer: every combination reads back as it was given.
struct ImageSetTests {
    static let urls = ["https://a.example/1.jpg", "https://a.example/é 2.jpg", "", "https://b.example/3.png?x=1,2"]

    @Test(arguments: [false, true], [0, 1, 3])
    func readsBackWhatItWasGiven(withMain: Bool, galleryCount: Int) {
        for withVideo in [false, true] {
            let main = withMain ? Self.urls[0] : nil
            let gallery = Array(Self.urls[1...].prefix(galleryCount))
            let video = withVideo ? "https://v.example/clip.mp4" : nil
            let set = ImageSet(main: main, gallery: gallery, video: video)
            #expect(set.main == main)
            #expect(set.gallery == gallery)
            #expect(set.video == video)
            #expect(set.all == (main.map { [$0] } ?? []) + gallery)
            #expect(set.imageCount == set.all.count)
            let bytes = (0..<set.imageCount).map { index in set.withImage(at: index) { String(decoding: $0, as: UTF8.self) } }
            #expect(bytes == set.all)
            #expect(set.galleryIndices.map { index in set.withImage(at: index) { String(decoding: $0, as: UTF8.self) } } == gallery)
            #expect(set.withVideo { $0.map { String(decoding: $0, as: UTF8.self) } } == video)
        }
    }

    @Test func settersReplaceOnePartAndKeepTheOthers() {
        var set = ImageSet(main: "https://a.example/main.jpg", gallery: ["https://a.example/g1.jpg"], video: "https://v.example/v.mp4")
        set.gallery.append("https://a.example/g2.jpg")
        set.main = nil
        #expect(set == ImageSet(gallery: ["https://a.example/g1.jpg", "https://a.example/g2.jpg"], video: "https://v.example/v.mp4"))
        set.video = nil
        set.main = "https://a.example/new.jpg"
        #expect(set.all == ["https://a.example/new.jpg", "https://a.example/g1.jpg", "https://a.example/g2.jpg"])
        #expect(set.video == nil)
        #expect(ImageSet() == ImageSet(main: nil as String?, gallery: [String](), video: nil))
        #expect(ImageSet().imageCount == 0)
    }

    @Test func encodesWithTheFieldNames() throws {
        let set = ImageSet(main: "https://a.example/m.jpg", gallery: ["https://a.example/g.jpg"])
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(set)) as? [String: Any]
        #expect(json?["main"] as? String == "https://a.example/m.jpg")
        #expect(json?["gallery"] as? [String] == ["https://a.example/g.jpg"])
        #expect(json?["video"] == nil)
        #expect(try JSONDecoder().decode(ImageSet.self, from: JSONEncoder().encode(set)) == set)
    }
}

extension ImageSetTests {
    /// More URLs than a 16-bit count holds: a page could list that many, and it must not stop the run.
    @Test func holdsMoreThan65535URLs() {
        let gallery = (0..<70_000).map { "h\($0)" }
        let set = ImageSet(main: "m", gallery: gallery, video: "v")
        #expect(set.imageCount == 70_001)
        #expect(set.withImage(at: 70_000) { String(decoding: $0, as: UTF8.self) } == "h69999")
        #expect(set.video == "v")
    }
}
