import Testing
@testable import Pipeline

/// Later sightings kept flat: each product gets its own back, in the order they were found.
@Suite struct LaterSightingsTests {
    typealias Sighting = StreamingTransform.Sighting

    @Test func eachProductGetsItsSightingsInOrder() {
        var later = StreamingTransform.LaterSightings()
        // Output order: keyword 1 page 1, keyword 1 page 2, keyword 2 page 1.
        let found: [(Int64, Sighting)] = [
            (30, Sighting(keywordIndex: 1, page: 1, rank: 4)), (10, Sighting(keywordIndex: 1, page: 1, rank: 9)),
            (30, Sighting(keywordIndex: 1, page: 2, rank: 1)), (20, Sighting(keywordIndex: 2, page: 1, rank: 2)),
            (10, Sighting(keywordIndex: 2, page: 1, rank: 7)), (30, Sighting(keywordIndex: 2, page: 1, rank: 8)),
        ]
        for (key, sighting) in found { later.append(key, sighting) }
        later.seal()
        for key: Int64 in [10, 20, 30] {
            #expect(later.of(key) == found.filter { $0.0 == key }.map(\.1))
        }
        #expect(later.of(15).isEmpty)
        #expect(later.of(5).isEmpty)
        #expect(later.of(40).isEmpty)
    }
}
