public import Foundation
import Catalog
import Extract
import Load
public import Logging
import OpenPlatform
import Sandbox
import Synchronization
import Transform

/// How one `alifeed run` behaves beyond what the pipeline file says.
public struct RunOptions: Sendable {
    /// Overrides `source.endpoint` (a staging gateway, a standalone sandbox).
    public var endpoint: PipelineSpec.Endpoint?
    public var progress: ProgressReporter
    public var logger: Logger
    /// The clock for run ids and timestamps.
    public var now: @Sendable () -> Date
    /// Discard an interrupted run instead of resuming it.
    public var fresh = false
    /// Run even when the plan does not fit in today's call budget, stopping when it runs out.
    public var partial = false
    /// Where the state store lives; `nil` is `.state/` beside the outputs.
    public var stateDirectory: String?
    /// Run ids from the clock and spec alone (with `SOURCE_DATE_EPOCH`, for reproducible outputs).
    public var deterministicRunID = false
    /// A pause between staging and publishing, so tests can interrupt a run during the load.
    public var pauseBeforePublish: Duration = .zero
    /// Stop once every page is checkpointed (benchmarks prepare replays with it).
    public var stopAfterExtract = false
    /// Messages for the user (resuming, starting fresh) while the run works.
    public var notice: @Sendable (String) -> Void = { _ in }

    public init(
        endpoint: PipelineSpec.Endpoint? = nil, progress: ProgressReporter = ProgressReporter(style: .quiet),
        logger: Logger = Logger(label: "alifeed", factory: { _ in SwiftLogNoOpLogHandler() }),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.endpoint = endpoint
        self.progress = progress
        self.logger = logger
        self.now = now
    }
}

/// A run that stopped before publishing but kept everything it fetched: the next `alifeed run`
/// of the same pipeline resumes it.
public struct RunInterrupted: Error, CustomStringConvertible {
    public enum Reason: Sendable { case cancelled, quota }
    public var reason: Reason
    public var message: String
    public var pagesCheckpointed: Int

    public var description: String {
        "\(message); \(pagesCheckpointed) pages are checkpointed and previous outputs are untouched"
    }
}

/// A run that did not complete; published outputs are untouched.
public struct RunFailure: Error, CustomStringConvertible {
    public var message: String
    public var underlying: (any Error)?

    public init(message: String, underlying: (any Error)? = nil) {
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        if let underlying { return "\(message): \(underlying)" }
        return message
    }
}

/// The plan `--dry-run` prints: what a run would do at most, and how long the rate limit makes it.
public struct RunPlan: Sendable, CustomStringConvertible {
    public var keywords: Int
    public var maxPages: Int
    public var maxLinkCalls: Int
    public var qps: Double
    public var endpoint: String

    public var maxAPICalls: Int { maxPages + maxLinkCalls }
    public var minimumSeconds: Double { Double(maxAPICalls) / max(qps, 0.001) }

    public var description: String {
        """
        plan (nothing is called in a dry run):
          endpoint        \(endpoint)
          keywords        \(keywords)
          max pages       \(maxPages)
          max API calls   \(maxAPICalls) (\(maxPages) searches + up to \(maxLinkCalls) link batches)
          time at \(String(format: "%g", qps)) QPS  at least \(Self.duration(minimumSeconds)) for all calls
        """
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        return s >= 3600 ? "\(s / 3600) h \(s % 3600 / 60) min" : s >= 60 ? "\(s / 60) min \(s % 60) s" : "\(s) s"
    }
}

/// Carries out a pipeline: extract → transform → load, then the summary.
public struct PipelineRunner: Sendable {
    public let spec: PipelineSpec
    public let options: RunOptions

    public init(spec: PipelineSpec, options: RunOptions = RunOptions()) {
        self.spec = spec
        self.options = options
    }

    public var plan: RunPlan {
        let pages = spec.extract.keywords.count * spec.extract.pages + (spec.extract.productIDs.count + 19) / 20
        let maxProducts = spec.extract.keywords.count * spec.extract.pages * spec.extract.pageSize + spec.extract.productIDs.count
        let linkCalls = spec.transform.links.enabled ? (maxProducts + spec.transform.links.batchSize - 1) / spec.transform.links.batchSize : 0
        return RunPlan(
            keywords: spec.extract.keywords.count, maxPages: pages, maxLinkCalls: linkCalls, qps: spec.source.rateLimit.qps,
            endpoint: (options.endpoint ?? spec.source.endpoint).description)
    }

    /// Runs the pipeline. Throws ``RunFailure`` (or an ``APIError`` inside it) when the run fails.
    public func run() async throws -> RunSummary {
        let endpoint = options.endpoint ?? spec.source.endpoint
        var sandbox: SandboxServer?
        let url: URL
        switch endpoint {
        case .url(let given): url = given
        case .sandbox:
            let server = try await startSandbox()
            sandbox = server
            url = server.url
        }
        do {
            let summary = try await run(endpointURL: url, endpointLabel: endpoint.description)
            await sandbox?.stop()
            return summary
        } catch {
            await sandbox?.stop()
            throw error
        }
    }

    private func startSandbox() async throws -> SandboxServer {
        var apps: [SandboxApp] = [.demo, .limited]
        // Real credentials on the sandbox work too: nothing but the endpoint changes between them.
        if !apps.contains(where: { $0.appKey == spec.source.appKey }) {
            apps.append(SandboxApp(
                appKey: spec.source.appKey, appSecret: spec.source.appSecret.reveal(),
                trackingIDs: Set([spec.source.trackingID ?? "default", "default"])))
        }
        do {
            return try await SandboxServer.start(
                configuration: SandboxConfiguration(seed: spec.source.sandboxSeed, apps: apps, day: spec.source.sandboxDay))
        } catch {
            throw RunFailure(message: "could not start the built-in sandbox", underlying: error)
        }
    }

    /// `extract.product_ids`: `productdetail.get` in batches of 20, each batch checkpointed like a page.
    private func fetchDetails(client: OpenPlatformClient, checkpoints: StateCheckpoints, startIndex: Int, counter: PageCounter) async throws {
        let ids = spec.extract.productIDs
        var checkpoints = checkpoints
        checkpoints.method = OpenPlatformClient.productDetailMethod
        let batchSize = 20
        for (batchIndex, start) in stride(from: 0, to: ids.count, by: batchSize).enumerated() {
            let keywordIndex = startIndex + batchIndex
            if try await checkpoints.checkpointedPage(keywordIndex: keywordIndex, pageNo: 1) != nil {
                counter.add(fromCheckpoint: true)
                continue
            }
            let batch = ids[start..<min(start + batchSize, ids.count)]
            var parameters = ["product_ids": batch.map(String.init).joined(separator: ",")]
            parameters["target_currency"] = spec.extract.targetCurrency
            parameters["target_language"] = spec.extract.targetLanguage
            parameters["country"] = spec.extract.shipToCountry
            parameters["tracking_id"] = spec.source.trackingID
            let response = try await client.call(OpenPlatformClient.productDetailMethod, parameters: parameters, as: WireProductResult.self)
            let page = FetchedPage(
                keywordIndex: keywordIndex, keyword: Self.productIDsKeyword, pageNo: 1, page: OpenPlatformClient.page(from: response, pageNo: 1))
            try await checkpoints.checkpoint(page)
            counter.add(fromCheckpoint: false)
        }
    }

    /// The "keyword" products fetched by id are listed under.
    public static let productIDsKeyword = "(product ids)"

    /// The catalogs this pipeline loads (its sqlite sinks).
    var catalogPaths: [String] { spec.load.filter { $0.kind == .sqlite }.map(\.path) }

    /// The state store's file.
    public var statePath: String {
        let directory = options.stateDirectory.map { URL(fileURLWithPath: $0) } ?? outputDirectory.appendingPathComponent(".state")
        return directory.appendingPathComponent("\(spec.name).sqlite").path
    }

    private func run(endpointURL: URL, endpointLabel: String) async throws -> RunSummary {
        let state: StateStore
        do {
            state = try StateStore(path: statePath)
            if options.fresh { try state.discardPending() }
        } catch {
            throw RunFailure(message: "cannot open the state store \(statePath)", underlying: error)
        }
        var startedAt = options.now()
        var runID = Self.runID(name: spec.name, at: startedAt, deterministic: options.deterministicRunID, specHash: spec.specHash)
        var resumed: StateStore.PendingRun?
        if let pending = try? state.pendingRun() {
            if pending.specHash == spec.specHash {
                resumed = pending
                runID = pending.id
                startedAt = pending.startedAt
                options.notice("resuming run \(pending.id): \(pending.pages) pages and \(pending.links) links already fetched")
            } else {
                options.notice("the pipeline changed since run \(pending.id) was interrupted; starting fresh")
                try? state.discardPending()
            }
        }
        let budget = try makeBudget()
        if let budget {
            let needed = plan.maxAPICalls - (resumed?.pages ?? 0) - (resumed?.links ?? 0) / max(spec.transform.links.batchSize, 1)
            let remaining = await budget.remaining
            if needed > remaining && !options.partial {
                throw RunInterrupted(
                    reason: .quota,
                    message: "the plan needs up to \(needed) calls but \(remaining) of today's \(budget.limit) are left for app key \(spec.source.appKey); run with --partial to use what is left and resume after the reset",
                    pagesCheckpointed: resumed?.pages ?? 0)
            }
        }
        // The ledger shows a run from its start, so a failed or killed run is visible afterwards.
        do {
            try state.begin(runID: runID, specHash: spec.specHash, startedAt: startedAt)
            for path in catalogPaths {
                try CatalogDatabase(path: path).beginRun(
                    id: runID, pipeline: spec.name, specHash: spec.specHash, startedAt: startedAt, keywords: spec.extract.keywords.count)
            }
        } catch {
            throw RunFailure(message: "cannot open the catalog; nothing was fetched", underlying: error)
        }
        do {
            let summary = try await run(
                runID: runID, startedAt: startedAt, endpointURL: endpointURL, endpointLabel: endpointLabel, state: state, budget: budget)
            try? await budget?.save()
            return summary
        } catch {
            try? await budget?.save()
            let pages = (try? state.pendingRun()?.pages) ?? 0
            let stopped: (any Error)? = Self.interruption(in: error).map { reason -> any Error in
                RunInterrupted(
                    reason: reason,
                    message: reason == .quota ? "stopped: the daily call quota is used up (\(Self.rootCause(error)))" : "interrupted",
                    pagesCheckpointed: pages)
            }
            if stopped != nil { try? state.markInterrupted(runID: runID) }
            for path in catalogPaths {
                try? CatalogDatabase(path: path).failRun(
                    id: runID, error: stopped.map { "\($0)" } ?? "\(error)", finishedAt: options.now(), status: stopped == nil ? "failed" : "interrupted")
            }
            throw stopped ?? error
        }
    }

    private func makeBudget() throws -> DailyBudget? {
        guard let limit = spec.source.dailyBudget else { return nil }
        do {
            let store = try StateStore(path: (statePath as NSString).deletingLastPathComponent + "/calls.sqlite", keepsPages: false)
            return try DailyBudget(appKey: spec.source.appKey, limit: limit, reset: spec.source.budgetReset, store: store, now: { Date() })
        } catch {
            throw RunFailure(message: "cannot open the call budget", underlying: error)
        }
    }

    /// Whether a failure is an interruption (cancelled, or out of quota) rather than an error.
    static func interruption(in error: any Error) -> RunInterrupted.Reason? {
        var current: (any Error)? = error
        while let e = current {
            if e is CancellationError { return .cancelled }
            if let api = e as? APIError, api.kind == .quotaExceeded { return .quota }
            if let interrupted = e as? RunInterrupted { return interrupted.reason }
            current = (e as? RunFailure)?.underlying
        }
        return Task.isCancelled ? .cancelled : nil
    }

    static func rootCause(_ error: any Error) -> String {
        var current: any Error = error
        while let failure = current as? RunFailure, let underlying = failure.underlying { current = underlying }
        if let api = current as? APIError { return api.message }
        return "\(current)"
    }

    private func run(
        runID: String, startedAt: Date, endpointURL: URL, endpointLabel: String, state: StateStore, budget: DailyBudget?
    ) async throws -> RunSummary {
        let source = spec.source
        let client = OpenPlatformClient(
            configuration: ClientConfiguration(
                endpoint: endpointURL,
                credentials: Credentials(appKey: source.appKey, appSecret: source.appSecret, trackingID: source.trackingID),
                signMethod: source.signMethod, rateLimit: source.rateLimit, retry: source.retry),
            logger: options.logger, budget: budget)
        let progress = options.progress

        // Extract.
        let extract = spec.extract
        let template = ProductQuery(
            categoryIDs: extract.categoryIDs, pageSize: extract.pageSize, sort: extract.sort, minSalePrice: extract.minPrice,
            maxSalePrice: extract.maxPrice, platformProductType: extract.platformProductType, shipToCountry: extract.shipToCountry,
            targetCurrency: extract.targetCurrency, targetLanguage: extract.targetLanguage, trackingID: source.trackingID)
        let plan = PagePlan(keywords: extract.keywords, pagesPerKeyword: extract.pages, template: template, method: extract.method)
        let pageCount = PageCounter()
        var stages: [RunSummary.StageTime] = []
        var stageStart = Date()
        func endStage(_ name: String) {
            let now = Date()
            stages.append(RunSummary.StageTime(stage: name, seconds: now.timeIntervalSince(stageStart)))
            stageStart = now
        }
        progress.begin("extract", total: plan.maxPages)
        let outcomes: [KeywordOutcome]
        do {
            // Pages are checkpointed as they arrive and read back from the state store later:
            // the run holds only the pages in flight.
            let checkpoints = try StateCheckpoints(store: state, runID: runID, method: plan.method)
            outcomes = try await Extractor(client: client, checkpoints: checkpoints).run(plan) { page in
                pageCount.add(fromCheckpoint: page.fromCheckpoint)
                progress.advance(products: page.page.productCount)
            }
            if !extract.productIDs.isEmpty {
                try await fetchDetails(client: client, checkpoints: checkpoints, startIndex: extract.keywords.count, counter: pageCount)
            }
        } catch {
            progress.finish()
            throw RunFailure(message: "extract failed; previous outputs are untouched", underlying: error)
        }
        progress.finish()
        if options.stopAfterExtract { throw CancellationError() }
        endStage("extract")

        // Transform and load, streaming from the checkpoints.
        let streaming = StreamingTransform(spec: spec, state: state, runID: runID)
        var index: StreamingTransform.PageIndex
        var carried: [Product] = []
        do {
            index = try streaming.indexPages(expectedRows: outcomes.reduce(0) { $0 + $1.productsFetched })
            // Products the catalog knows but this run did not find stay in the feeds as out of stock.
            if spec.transform.missingProducts == .outOfStock, let path = catalogPaths.first {
                carried = try CatalogDatabase(path: path).knownProducts(excluding: Set(index.firstSeen.keys.map { $0 & ((1 << 54) - 1) }))
            }
        } catch {
            throw RunFailure(message: "cannot read the checkpointed pages or the catalog", underlying: error)
        }
        endStage("index")
        let linksEnabled = spec.transform.links.enabled && source.trackingID != nil
        if linksEnabled, let tracking = source.trackingID {
            let generator = LinkGenerator(
                client: client, linkType: spec.transform.links.promotionLinkType, batchSize: spec.transform.links.batchSize,
                trackingID: tracking)
            do {
                // Links made earlier in this run (before an interruption) are kept; the rest are made now.
                var wanted = try streaming.idsForLinks(index)
                if !carried.isEmpty { wanted += carried.map(\.id) }
                let done = (try state.pendingRun()?.links ?? 0) > 0 ? try state.linkedIDs(runID: runID) : []
                let needed = done.isEmpty ? wanted : wanted.filter { !done.contains($0) }
                progress.begin("links", total: wanted.count)
                progress.advance(by: wanted.count - needed.count)
                let batch = spec.transform.links.batchSize
                let linkType = spec.transform.links.promotionLinkType.rawValue
                let now = options.now
                _ = try await generator.generate(for: needed, now: now, onBatch: { _ in progress.advance(by: batch) }) { found, missing in
                    try state.saveLinks(runID: runID, found: found, missing: missing, trackingID: tracking, linkType: linkType, at: now())
                }
            } catch {
                progress.finish()
                throw RunFailure(message: "affiliate link generation failed; previous outputs are untouched", underlying: error)
            }
            progress.finish()
        }

        if linksEnabled { endStage("links") }
        let context = RunContext(runID: runID, pipeline: spec.name, specHash: spec.specHash, startedAt: startedAt, keywordStats: [])
        let rowsScanned = index.rows, duplicates = index.duplicates
        let loaded = try streaming.load(
            index: &index, carried: carried, context: context, linksEnabled: linksEnabled, pause: options.pauseBeforePublish,
            notice: options.notice
        ) { outcome in
            outcomes.map {
                KeywordStat(
                    keyword: $0.keyword, totalRecords: $0.totalRecords, pagesFetched: $0.pagesFetched,
                    productsKept: outcome.keptPerKeyword[$0.keyword] ?? 0, productsFetched: $0.productsFetched)
            }
        }
        // The catalog's checkpoint runs while the summary, alerts and report are written and the
        // state is cleaned up; the run ends when it has finished, whichever way the run ends.
        defer { loaded.catalogCheckpoint?.wait() }

        endStage("load")
        let statistics = await client.statistics()
        let finishedAt = options.now()
        let perKeyword = outcomes.map {
            RunSummary.KeywordResult(
                keyword: $0.keyword, totalRecords: $0.totalRecords, pagesFetched: $0.pagesFetched,
                productsFetched: $0.productsFetched, productsKept: loaded.keptPerKeyword[$0.keyword] ?? 0)
        }
        var problems = loaded.issues.map(\.description)
        for entry in loaded.staged where entry.rows < loaded.written && !entry.label.hasPrefix("sqlite") && !entry.label.hasPrefix("keyword_report") {
            problems.append("\(entry.label): \(loaded.written - entry.rows) products left out (the profile needs what they lack, e.g. an affiliate link)")
        }
        if loaded.withoutLinkCount > 0 {
            problems.append("\(loaded.withoutLinkCount) products got no affiliate link this run (the platform left them out); their feed rows have no link")
        }
        if !carried.isEmpty { problems.append("\(carried.count) products not found this run are kept in the feeds as out of stock") }
        var summary = RunSummary(
            pipeline: spec.name, runID: runID, status: "succeeded", endpoint: endpointLabel, startedAt: startedAt,
            finishedAt: finishedAt, durationSeconds: finishedAt.timeIntervalSince(startedAt), keywords: plan.keywords.count,
            pages: pageCount.all, apiCalls: statistics.requests, retries: statistics.retries, bans: statistics.bans,
            productsFetched: rowsScanned, products: loaded.written, duplicatesMerged: duplicates,
            filteredOut: loaded.filteredOut, invalidProducts: loaded.issueCount, linksGenerated: loaded.linked,
            linksMissing: loaded.withoutLinkCount, productsWithoutLink: loaded.withoutLink,
            sinks: loaded.staged.map { RunSummary.SinkResult(sink: $0.label, rows: $0.rows) }, perKeyword: perKeyword, problems: problems)
        let pagesFromCheckpoint = pageCount.checkpointed
        var drops: [PriceDrop] = []
        if let rule = spec.priceDrop, let path = catalogPaths.first {
            do {
                let history = PriceHistory(database: try CatalogDatabase(path: path))
                drops = try history.drops(rule: rule, runID: runID)
                try history.record(drops, runID: runID)
                try AlertFiles.write(drops, rule: rule, csv: alertsURL(extension: "csv"), json: alertsURL(extension: "json"))
            } catch {
                throw RunFailure(message: "the outputs were published but the price-drop alerts could not be written", underlying: error)
            }
            summary.priceDrops = drops.count
        }
        summary.pagesFromCheckpoint = pagesFromCheckpoint
        if summary.priceDrops != nil { endStage("alerts") }
        summary.stages = stages
        try writeSummary(summary)
        try writeReport(summary, drops: drops)
        try? state.finish(runID: runID)
        return summary
    }

    /// The file sink for a `load` entry; `nil` for the SQLite catalog, which loads in its own transaction.
    static func makeFileSink(_ spec: PipelineSpec.SinkSpec) -> (any Sink)? {
        let url = URL(fileURLWithPath: spec.path)
        let label = spec.profile == .generic ? "\(spec.kind.rawValue) \(spec.path)" : "\(spec.profile.rawValue) \(spec.path)"
        switch (spec.kind, spec.profile) {
        case (.sqlite, _): return nil
        case (.xml, .googleMerchant), (.xml, .meta): return MerchantFeedSink(url: url, profile: spec.profile, options: spec.options, label: label)
        case (.xml, _): return GenericXMLSink(url: url, label: label)
        case (.csv, _): return StorefrontCSVSink(url: url, profile: spec.profile, options: spec.options, label: label)
        case (.keywordReport, _): return KeywordReportSink(url: url, label: "keyword_report \(spec.path)")
        }
    }

    /// The directory of the first output: the summary, alerts and report go there.
    var outputDirectory: URL {
        URL(fileURLWithPath: spec.load.first?.path ?? "output/\(spec.name)").deletingLastPathComponent()
    }

    /// Where the summary JSON goes: beside the first output.
    public var summaryURL: URL { outputDirectory.appendingPathComponent("\(spec.name)-summary.json") }

    /// The price-drop alerts, as CSV and JSON.
    public func alertsURL(extension ext: String) -> URL { outputDirectory.appendingPathComponent("\(spec.name)-price-drops.\(ext)") }

    /// The HTML run report.
    public var reportURL: URL { outputDirectory.appendingPathComponent("\(spec.name)-report.html") }

    private func writeSummary(_ summary: RunSummary) throws {
        let data = summary.json()
        do {
            let file = try AtomicFile(target: summaryURL)
            try file.write(data)
            try file.commit()
            for path in catalogPaths {
                try CatalogDatabase(path: path).recordSummary(
                    runID: summary.runID, json: String(decoding: data, as: UTF8.self),
                    counts: RunCounts(
                        apiCalls: summary.apiCalls, pages: summary.pages, retries: summary.retries,
                        linksGenerated: summary.linksGenerated, linksMissing: summary.linksMissing,
                        durationSeconds: summary.durationSeconds))
            }
        } catch {
            throw RunFailure(message: "the outputs were published but the summary could not be written", underlying: error)
        }
    }

    static func runID(name: String, at date: Date, deterministic: Bool = false, specHash: String = "") -> String {
        let stamp = date.formatted(Date.ISO8601FormatStyle(dateSeparator: .omitted, dateTimeSeparator: .standard, timeSeparator: .omitted))
        let base = "\(name)-\(stamp.replacingOccurrences(of: "Z", with: ""))"
        // Reproducible builds (SOURCE_DATE_EPOCH): the same pipeline at the same time, the same id.
        // 32 random bits: runs of one pipeline started in the same second (tests start several a
        // second) must not share an id, or the second run's rows would update the first's.
        return deterministic ? base : "\(base)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
    }
}

/// Pages as they arrive, handed back in output order.
final class PageCollector: Sendable {
    private let pages = Mutex<[FetchedPage]>([])

    func add(_ page: FetchedPage) { pages.withLock { $0.append(page) } }

    func ordered() -> [FetchedPage] {
        pages.withLock { $0 }.sorted { ($0.keywordIndex, $0.pageNo) < ($1.keywordIndex, $1.pageNo) }
    }
}
