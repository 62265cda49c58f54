import Catalog
import Foundation
import Load
import OpenPlatform
import Synchronization
import Transform

/// Transform and load without holding the catalog in memory: checkpointed pages are read from the
/// state store in output order (keyword order, page, rank), once to learn which products repeat
/// under later keywords, then again to write every sink row by row.
struct StreamingTransform {
    let spec: PipelineSpec
    let state: StateStore
    let runID: String

    /// A later sighting of a product, packed small.
    struct Sighting: Comparable {
        var keywordIndex: Int32
        var page: Int32
        var rank: Int32

        static func < (a: Sighting, b: Sighting) -> Bool {
            (a.keywordIndex, a.page, a.rank) < (b.keywordIndex, b.page, b.rank)
        }
    }

    /// The sightings after each product's first, in one flat array sorted by product: a
    /// dictionary of arrays cost an allocation per repeated product (about 17 MB at a million rows).
    struct LaterSightings {
        private var entries: [(key: Int64, sighting: Sighting)] = []
        private var sorted = true

        mutating func append(_ key: Int64, _ sighting: Sighting) {
            if let last = entries.last, last.key > key { sorted = false }
            entries.append((key, sighting))
        }

        /// Call once every sighting is in. Sightings were found in output order, which is also
        /// their own order, so sorting by product then sighting keeps each product's in order.
        mutating func seal() {
            if !sorted { entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.sighting < $1.sighting } }
            sorted = true
        }

        /// The later sightings of `key`, in output order (after `seal()`).
        func of(_ key: Int64) -> [Sighting] {
            var low = 0, high = entries.count
            while low < high {
                let mid = (low + high) / 2
                if entries[mid].key < key { low = mid + 1 } else { high = mid }
            }
            var found: [Sighting] = []
            while low < entries.count, entries[low].key == key {
                found.append(entries[low].sighting)
                low += 1
            }
            return found
        }
    }

    /// Pass 1: products, and the sightings after each one's first.
    struct PageIndex {
        /// Every row key found, with ``Mark`` bits. Pass 2 sets `written` in place: removing the
        /// key from a set rehashed the keys after it (with the binary search for later sightings,
        /// 7 % of the load pass in a profile).
        var firstSeen: [Int64: UInt8] = [:]
        var later = LaterSightings()
        var keywords: [Int: String] = [:]
        var rows = 0
        var duplicates = 0

        /// What a row key's bits in ``firstSeen`` mean.
        enum Mark {
            /// Found again after its first sighting: ``later`` has its other sightings.
            static let hasLater: UInt8 = 1
            /// Written by pass 2 (its first sighting was reached).
            static let written: UInt8 = 2
        }

        /// Pass 2 reaching a sighting of `key`: whether it is the first one (the key was not yet
        /// written, and is marked written now) and whether later ones exist. One lookup.
        mutating func reach(_ key: Int64) -> (isFirst: Bool, hasLater: Bool) {
            Self.reach(&firstSeen[key])
        }

        private static func reach(_ marks: inout UInt8?) -> (isFirst: Bool, hasLater: Bool) {
            guard let found = marks, found & Mark.written == 0 else { return (false, false) }
            marks = found | Mark.written
            return (true, found & Mark.hasLater != 0)
        }
    }

    /// `expectedRows`: the rows the extract stage counted, so the row keys' table is made at its
    /// size once instead of doubling its way there.
    func indexPages(expectedRows: Int = 0) throws -> PageIndex {
        var index = PageIndex()
        index.firstSeen.reserveCapacity(expectedRows)
        let dedupe = spec.transform.dedupe
        try state.forEachPageProductIDs(runID: runID) { keywordIndex, keyword, pageNo, ids in
            index.keywords[keywordIndex] = keyword
            for (offset, id) in ids.enumerated() {
                index.rows += 1
                let rowKey = dedupe ? id : Self.pairKey(id, keywordIndex)
                if let marks = index.firstSeen.updateValue(0, forKey: rowKey) {
                    index.firstSeen[rowKey] = marks | PageIndex.Mark.hasLater
                    index.duplicates += 1
                    index.later.append(rowKey, Sighting(keywordIndex: Int32(keywordIndex), page: Int32(pageNo), rank: Int32(offset + 1)))
                }
            }
        }
        index.later.seal()
        return index
    }

    /// With `dedupe: false` each keyword of a product is its own row.
    static func pairKey(_ id: Int64, _ keywordIndex: Int) -> Int64 { id ^ (Int64(keywordIndex + 1) << 54) }

    var filter: ProductFilter {
        let f = spec.transform.filters
        return ProductFilter(minPrice: f.minPrice, maxPrice: f.maxPrice, minRating: f.minRating, minVolume: f.minVolume, minCommission: f.minCommission)
    }

    /// The products that will be written and so need links: every product when nothing is
    /// filtered (no decoding needed), else those the filters keep.
    func idsForLinks(_ index: PageIndex) throws -> [Int64] {
        if spec.transform.filters.isEmpty {
            // Every product: the first pass already has them (without a second set).
            if spec.transform.dedupe { return index.firstSeen.keys.sorted() }
            var ids = Set<Int64>()
            try state.forEachPageProductIDs(runID: runID) { _, _, _, pageIDs in ids.formUnion(pageIDs) }
            return ids.sorted()
        }
        var kept = Set<Int64>()
        var rejected = Set<Int64>()
        let filter = filter
        try state.forEachPage(runID: runID) { _, keyword, pageNo, method, body in
            var wires = Self.decode(body, method: method)
            for offset in wires.indices where !kept.contains(wires[offset].productID) && !rejected.contains(wires[offset].productID) {
                guard case .success(let product) = Normalizer.product(taking: &wires[offset], hit: KeywordHit(keyword: keyword, page: pageNo, rank: offset + 1)) else { continue }
                if filter.rejection(product) == nil { kept.insert(product.id) } else { rejected.insert(product.id) }
            }
        }
        return kept.sorted()
    }

    static func decode(_ body: Data, method: String) -> [WireProduct] {
        if let fast = FastProductDecoder.decode(body, method: method, catalogFieldsOnly: true) { return fast.products }
        guard case .success(let business)? = try? EnvelopeDecoder.decode(WireProductResult.self, method: method, from: body) else { return [] }
        return business.result?.products ?? []
    }

    /// What the write pass did.
    struct Outcome {
        var staged: [(label: String, rows: Int, output: any StagedOutput)] = []
        var written = 0
        var filteredOut = 0
        var issues: [ProductIssue] = []
        var issueCount = 0
        var withoutLink: [Int64] = []
        var withoutLinkCount = 0
        var linked = 0
        var keptPerKeyword: [String: Int] = [:]
        /// The catalog's WAL checkpoint, still running: the runner waits for it before it returns.
        var catalogCheckpoint: CatalogCheckpoint?
    }

    /// Pass 2: decodes each page once more and writes every sink; the SQLite catalog in one
    /// transaction (committed last of all staging), the files staged beside their targets.
    /// Marks each product in `index.firstSeen` when it is written, so no copy is made.
    func load(
        index: inout PageIndex, carried: [Product], context: RunContext, linksEnabled: Bool, pause: Duration,
        notice: @Sendable (String) -> Void, finalStats: (Outcome) -> [KeywordStat]
    ) throws -> Outcome {
        let fileSinks = spec.load.compactMap(PipelineRunner.makeFileSink)
        let catalogSink = spec.load.first { $0.kind == .sqlite }.map { SQLiteCatalogSink(path: $0.path) }
        var outcome = Outcome()
        let rows = index.rows

        func pass(_ catalog: CatalogWriter?) throws -> [(String, Int, any StagedOutput)] {
            var writers: [(String, any SinkWriter)] = []
            // Each sink writes on its own thread, a page behind; this thread reads, decodes and
            // normalizes, and packs the catalog's rows so its thread never touches the products.
            var workers: [SinkWorker<[Product]>] = []
            var catalogWorker: SinkWorker<CatalogRows>?
            var batch: [Product] = []
            var catalogRows = CatalogRows()
            let encoder = catalog?.encoder
            func handOver() throws {
                if !batch.isEmpty { for worker in workers { try worker.submit(batch) } }
                if !catalogRows.isEmpty {
                    try catalogWorker?.submit(catalogRows)
                    catalogRows = CatalogRows(sizedLike: catalogRows)
                }
                batch.removeAll(keepingCapacity: true)
            }
            func joinAll() throws {
                // Every worker is joined before the first failure is thrown (abandon is then a no-op).
                var failure: (any Error)?
                for worker in workers {
                    do { try worker.finish() } catch { failure = failure ?? error }
                }
                do { try catalogWorker?.finish() } catch { failure = failure ?? error }
                if let failure { throw failure }
            }
            do {
                for sink in fileSinks { writers.append((sink.label, try sink.open(context: context))) }
                // The feeds' writers yield the CPU to the catalog's (see `SinkWorker`): with all
                // three sinks on two cores, end to end 4–6 % faster (paired medians of four sets
                // of 8–12 alternated runs; in a profile the load pass had waited for a full
                // catalog queue 60–130 ms per 100k products).
                workers = writers.map { writer in
                    SinkWorker(yieldsCPU: true) { batch in
                        for product in batch { try writer.1.write(product) }
                    }
                }
                if let catalog { catalogWorker = SinkWorker(write: catalog.write) }
                for worker in workers { worker.start() }
                catalogWorker?.start()
                let filter = filter
                let pricing = spec.transform.pricing
                var recentStorefrontText = StorefrontTextCache()
                // Takes the product and moves it into the batch last: a copy there was a retain of
                // every String in it, and a release when the copy here went.
                func emit(_ product: consuming Product) throws {
                    if let pricing { product.pricing = pricing.price(cost: product.salePrice, original: product.originalPrice) }
                    if linksEnabled {
                        if product.affiliateLink == nil {
                            outcome.withoutLinkCount += 1
                            if outcome.withoutLink.count < 100 { outcome.withoutLink.append(product.id) }
                        } else {
                            outcome.linked += 1
                        }
                    }
                    encoder?.append(product, to: &catalogRows)
                    outcome.written += 1
                    if product.hits.count == 1 {
                        outcome.keptPerKeyword[product.hits[0].keyword, default: 0] += 1
                    } else {
                        for keyword in product.keywords { outcome.keptPerKeyword[keyword, default: 0] += 1 }
                    }
                    if !workers.isEmpty {
                        // Two feeds or more would each clean the title and shop name and make the
                        // category path again.
                        if workers.count > 1 { product.prepareStorefrontText(recent: &recentStorefrontText) }
                        batch.append(product)
                    }
                }
                try state.forEachPage(runID: runID) { keywordIndex, keyword, pageNo, method, body, lookup in
                    var wires = Self.decode(body, method: method)
                    let links = linksEnabled ? try lookup(wires.map(\.productID)) : [:]
                    for offset in wires.indices {
                        let productID = wires[offset].productID
                        let rowKey = spec.transform.dedupe ? productID : Self.pairKey(productID, keywordIndex)
                        // Only a product's first sighting is written; later ones are its other keywords.
                        let reached = index.reach(rowKey)
                        guard reached.isFirst else { continue }
                        var product: Product
                        // Taken out of the result before it is changed: while the result lives
                        // (to the end of a switch over it), the product's box is shared, and the
                        // first change copied every field.
                        switch Normalizer.product(taking: &wires[offset], hit: KeywordHit(keyword: keyword, page: pageNo, rank: offset + 1)) {
                        case .failure(let issue):
                            outcome.issueCount += 1
                            if outcome.issues.count < 20 { outcome.issues.append(issue) }
                            continue
                        case .success(let made):
                            product = made
                        }
                        for sighting in reached.hasLater ? index.later.of(rowKey) : [] {
                            product.hits.append(KeywordHit(
                                keyword: index.keywords[Int(sighting.keywordIndex)] ?? keyword, page: Int(sighting.page), rank: Int(sighting.rank)))
                        }
                        guard filter.rejection(product) == nil else {
                            outcome.filteredOut += 1
                            continue
                        }
                        if let link = links[product.id] { product.affiliateLink = link }
                        try emit(consume product)
                    }
                    try handOver()
                }
                let carriedLinks = linksEnabled ? try state.links(runID: runID, ids: carried.map(\.id)) : [:]
                for var product in carried {
                    product.affiliateLink = carriedLinks[product.id] ?? nil
                    try emit(consume product)
                }
                try handOver()
                try joinAll()
                guard outcome.written > 0 else {
                    throw RunFailure(message: "the run produced no products (\(rows) fetched, \(outcome.filteredOut) filtered out); previous outputs are untouched")
                }
                var final = context
                final.keywordStats = finalStats(outcome)
                catalog?.finalContext = final
                var staged: [(String, Int, any StagedOutput)] = []
                for (label, writer) in writers {
                    let (rows, output) = try writer.close(context: final)
                    staged.append((label, rows, output))
                }
                if pause > .zero {
                    notice("publishing \(staged.count + (catalog == nil ? 0 : 1)) outputs after a pause of \(pause)")
                    Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
                }
                return staged
            } catch {
                for worker in workers { worker.abandon() }
                catalogWorker?.abandon()
                for (_, writer) in writers { writer.discard() }
                throw error
            }
        }

        do {
            let staged: [(String, Int, any StagedOutput)]
            if let catalogSink {
                // The catalog commits when the pass returns: before any feed is renamed into place.
                let loaded = try catalogSink.withTransaction(context: context, checkpointAfterwards: true) { writer in try pass(writer) }
                staged = loaded.result
                outcome.catalogCheckpoint = loaded.checkpoint
                outcome.staged.append((catalogSink.label, outcome.written - carried.count, NoOutput()))
            } else {
                staged = try pass(nil)
            }
            outcome.staged += staged.map { (label: $0.0, rows: $0.1, output: $0.2) }
            for entry in staged {
                do { try entry.2.commit() } catch {
                    for rest in staged { rest.2.discard() }
                    throw error
                }
            }
        } catch let failure as RunFailure {
            throw failure
        } catch {
            throw RunFailure(message: "load failed; previous outputs are untouched", underlying: error)
        }
        return outcome
    }
}

/// Nothing left to publish (the catalog committed in its transaction).
final class NoOutput: StagedOutput {
    func commit() throws {}
    func discard() {}
}

/// Pages seen by the extract stage, for the summary.
final class PageCounter: Sendable {
    private let counts = Mutex<(all: Int, checkpointed: Int)>((0, 0))
    func add(fromCheckpoint: Bool) { counts.withLock { $0.all += 1; if fromCheckpoint { $0.checkpointed += 1 } } }
    var all: Int { counts.withLock { $0.all } }
    var checkpointed: Int { counts.withLock { $0.checkpointed } }
}
