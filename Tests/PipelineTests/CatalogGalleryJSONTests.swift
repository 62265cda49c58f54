import Catalog
import Foundation
import GRDB
@testable import Load
import Testing

/// The catalog's `gallery_json` is a JSON array of the gallery's URLs, whatever they hold.
@Suite struct CatalogGalleryJSONTests {
    @Test func galleryJSONReadsBackAsTheGallery() throws {
        let directory = try TempDirectory()
        defer { directory.remove() }
        let path = directory.path("c.sqlite")
        let galleries = [
            [], ["https://a.example/1.jpg"], ["https://a.example/\"q\".jpg", "https://a.example/back\\slash.jpg"],
            ["https://a.example/tab\there\nline.jpg", "https://a.example/ü 😀.jpg", "https://a.example/\u{1}.jpg"],
        ]
        let context = RunContext(runID: "r", pipeline: "t", specHash: "", startedAt: Date(timeIntervalSince1970: 1_790_000_000))
        try SQLiteCatalogSink(path: path).withTransaction(context: context) { writer in
            for (index, gallery) in galleries.enumerated() {
                var product = Product(
                    id: Int64(index + 1), title: "p", salePrice: Money(5, .usd),
                    images: ImageSet(main: "https://a.example/main.jpg", gallery: gallery, video: index == 2 ? "https://v.example/v.mp4" : nil))
                product.hits = [KeywordHit(keyword: "lamp", page: 1, rank: index + 1)]
                try writer.write(product)
            }
        }
        let rows = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT gallery_json, main_image, video_url FROM products ORDER BY id")
        }
        #expect(rows.count == galleries.count)
        for (row, gallery) in zip(rows, galleries) {
            let json = row[0] as String
            let parsed = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
            #expect(parsed == gallery, "\(json)")
            #expect(row[1] as String == "https://a.example/main.jpg")
        }
        #expect(rows[2][2] as String? == "https://v.example/v.mp4")
        #expect(rows[1][2] as String? == nil)
    }
}
