public import Catalog
public import Foundation
public import OpenPlatform

/// Fresh affiliate links for every product of a run, from `link.generate` in batches sent
/// concurrently (the client's rate limiter paces them). Results are matched by `source_value`;
/// a product the platform gave no link for is reported, never given an old link.
public struct LinkGenerator: Sendable {
    public let client: OpenPlatformClient
    public let linkType: PromotionLinkType
    public let batchSize: Int
    public let trackingID: String

    public init(client: OpenPlatformClient, linkType: PromotionLinkType, batchSize: Int, trackingID: String) {
        self.client = client
        self.linkType = linkType
        self.batchSize = max(1, min(batchSize, 50))
        self.trackingID = trackingID
    }

    public struct Outcome: Sendable {
        public var links: [Int64: AffiliateLink]
        public var missing: [Int64]
        public var calls: Int
    }

    /// Links for `ids`, keyed by product id. `onBatch` reports progress (links done so far).
    /// - Parameter onBatchResult: sees each finished batch (links found, ids left out) as it lands,
    ///   so a checkpoint keeps them if the run is interrupted.
    public func generate(
        for ids: [Int64], now: @escaping @Sendable () -> Date = { Date() }, onBatch: (@Sendable (Int) async -> Void)? = nil,
        onBatchResult: (@Sendable ([Int64: AffiliateLink], [Int64]) async throws -> Void)? = nil
    ) async throws -> Outcome {
        // Batches are cut as they are launched: a million ids made up front as batches held a
        // second copy of them in thousands of small arrays.
        let batchCount = (ids.count + batchSize - 1) / batchSize
        let results = try await withThrowingTaskGroup(of: [Int64: AffiliateLink].self) { group in
            var next = 0
            var done = 0
            var links: [Int64: AffiliateLink] = [:]
            func launch() {
                guard next < batchCount else { return }
                let start = next * batchSize
                let batch = Array(ids[start..<min(start + batchSize, ids.count)])
                next += 1
                group.addTask {
                    let sources = batch.map(Product.canonicalURL(id:))
                    let result = try await client.generateLinks(sources: sources, type: linkType, trackingID: trackingID, batchSize: batchSize)
                    let stamp = now()
                    var found: [Int64: AffiliateLink] = [:]
                    for (id, source) in zip(batch, sources) {
                        if let url = result.links[source] {
                            found[id] = AffiliateLink(url: url, trackingID: trackingID, generatedAt: stamp, linkType: linkType.rawValue)
                        }
                    }
                    try await onBatchResult?(found, batch.filter { found[$0] == nil })
                    return found
                }
            }
            for _ in 0..<min(8, batchCount) { launch() }
            while let found = try await group.next() {
                // With a checkpoint receiving each batch, the links need not be held here too.
                if onBatchResult == nil { links.merge(found) { a, _ in a } }
                done += 1
                await onBatch?(done * batchSize)
                launch()
            }
            return links
        }
        let missing = onBatchResult == nil ? ids.filter { results[$0] == nil } : []
        return Outcome(links: results, missing: missing, calls: batchCount)
    }
}
