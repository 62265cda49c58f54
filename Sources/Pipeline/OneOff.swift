public import Catalog
public import Foundation
import Extract
public import OpenPlatform
import Sandbox
import Transform

/// The gateway connection one-off commands use: the `source` of a pipeline file, or the
/// `ALIEXPRESS_*` environment variables, or (with neither) the built-in sandbox's demo app.
public final class SourceContext: Sendable {
    public let client: OpenPlatformClient
    public let source: PipelineSpec.SourceSpec
    public let endpointLabel: String
    private let sandbox: SandboxServer?

    init(client: OpenPlatformClient, source: PipelineSpec.SourceSpec, endpointLabel: String, sandbox: SandboxServer?) {
        self.client = client
        self.source = source
        self.endpointLabel = endpointLabel
        self.sandbox = sandbox
    }

    public static func open(pipeline: String?, environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> SourceContext {
        var source: PipelineSpec.SourceSpec
        if let pipeline {
            switch PipelineLoader(environment: environment).load(file: pipeline) {
            case .success(let loaded): source = loaded.spec.source
            case .failure(let failure): throw failure
            }
        } else {
            let endpointText = environment["ALIEXPRESS_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "sandbox"
            guard let endpoint = PipelineEndpoint.parse(endpointText) else {
                throw RunFailure(message: "ALIEXPRESS_ENDPOINT must be 'sandbox' or an http(s) URL, got '\(endpointText)'")
            }
            let demo = SandboxApp.demo
            let key = environment["ALIEXPRESS_APP_KEY"].flatMap { $0.isEmpty ? nil : $0 }
            let secret = environment["ALIEXPRESS_APP_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
            if endpoint != .sandbox, key == nil || secret == nil {
                throw RunFailure(message: "set ALIEXPRESS_APP_KEY and ALIEXPRESS_APP_SECRET (and ALIEXPRESS_TRACKING_ID) for \(endpointText), or give --pipeline FILE")
            }
            source = PipelineSpec.SourceSpec(
                endpoint: endpoint, appKey: key ?? demo.appKey, appSecret: Secret(secret ?? demo.appSecret),
                trackingID: environment["ALIEXPRESS_TRACKING_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? (key == nil ? "alifeed_demo" : nil),
                signMethod: .sha256, rateLimit: RateLimit(), retry: RetryPolicy(), sandboxSeed: 1, sandboxDay: nil)
        }
        var sandbox: SandboxServer?
        let url: URL
        switch source.endpoint {
        case .url(let given): url = given
        case .sandbox:
            var apps: [SandboxApp] = [.demo, .limited]
            if !apps.contains(where: { $0.appKey == source.appKey }) {
                apps.append(SandboxApp(appKey: source.appKey, appSecret: source.appSecret.reveal(), trackingIDs: [source.trackingID ?? "default", "default"]))
            }
            let server = try await SandboxServer.start(configuration: SandboxConfiguration(seed: source.sandboxSeed, apps: apps, day: source.sandboxDay))
            sandbox = server
            url = server.url
        }
        let client = OpenPlatformClient(configuration: ClientConfiguration(
            endpoint: url, credentials: Credentials(appKey: source.appKey, appSecret: source.appSecret, trackingID: source.trackingID),
            signMethod: source.signMethod, rateLimit: source.rateLimit, retry: source.retry))
        return SourceContext(client: client, source: source, endpointLabel: source.endpoint.description, sandbox: sandbox)
    }

    public func close() async { await sandbox?.stop() }

    /// Products for keywords, merged across keywords, with fresh affiliate links.
    public func search(
        keywords: [String], pages: Int, pageSize: Int = 20, sort: ProductSort? = nil, currency: String = "USD", links: Bool = true
    ) async throws -> [Product] {
        let template = ProductQuery(pageSize: pageSize, sort: sort, targetCurrency: currency, trackingID: source.trackingID)
        let collected = PageCollector()
        _ = try await Extractor(client: client).run(PagePlan(keywords: keywords, pagesPerKeyword: pages, template: template)) { collected.add($0) }
        var assembler = CatalogAssembler()
        for page in collected.ordered() { assembler.add(page: page.page.products, keyword: page.keyword, pageNo: page.pageNo) }
        var products = assembler.products
        if links, let tracking = source.trackingID, !products.isEmpty {
            let outcome = try await LinkGenerator(client: client, linkType: .normal, batchSize: 50, trackingID: tracking).generate(for: products.map(\.id))
            for index in products.indices { products[index].affiliateLink = outcome.links[products[index].id] }
        }
        return products
    }

    /// The outcome of converting pasted product URLs.
    public struct LinkConversion: Sendable {
        public struct Converted: Sendable, Hashable {
            public var input: String
            public var canonical: String
            public var productID: Int64
            /// `nil` when the platform refused this product (not in the affiliate program).
            public var affiliateURL: String?
        }
        public var converted: [Converted]
        /// Inputs that are not AliExpress product URLs, with why.
        public var rejected: [ProductURL.Rejection]
        public var refused: [Converted] { converted.filter { $0.affiliateURL == nil } }
    }

    /// Affiliate links for pasted URLs: canonicalized first (the platform refuses long and short
    /// forms), then converted in batches; the ones the platform leaves out are reported.
    public func convert(urls: [String], type: PromotionLinkType = .normal) async throws -> LinkConversion {
        var parsed: [ProductURL] = []
        var rejected: [ProductURL.Rejection] = []
        for text in urls {
            switch ProductURL.parse(text) {
            case .success(let url): parsed.append(url)
            case .failure(let rejection): rejected.append(rejection)
            }
        }
        let unique = Array(Set(parsed.map(\.productID))).sorted()
        var links: [Int64: String] = [:]
        if !unique.isEmpty {
            guard let tracking = source.trackingID else {
                throw RunFailure(message: "a tracking id is needed for affiliate links: set ALIEXPRESS_TRACKING_ID or source.tracking_id")
            }
            let outcome = try await LinkGenerator(client: client, linkType: type, batchSize: 50, trackingID: tracking).generate(for: unique)
            links = outcome.links.mapValues(\.url)
        }
        let converted = parsed.map {
            LinkConversion.Converted(input: $0.original, canonical: $0.canonical, productID: $0.productID, affiliateURL: links[$0.productID])
        }
        return LinkConversion(converted: converted, rejected: rejected)
    }

    /// The category tree: each top-level category followed by its children.
    public func categoryTree() async throws -> [(category: WireCategory, depth: Int)] {
        let all = try await client.categories()
        let children = Dictionary(grouping: all.filter { $0.parentID != nil }, by: { $0.parentID! })
        var ordered: [(WireCategory, Int)] = []
        var placed = Set<Int64>()
        func visit(_ category: WireCategory, _ depth: Int) {
            guard placed.insert(category.id).inserted else { return }
            ordered.append((category, depth))
            for child in (children[category.id] ?? []).sorted(by: { $0.name < $1.name }) { visit(child, depth + 1) }
        }
        let known = Set(all.map(\.id))
        for root in all.filter({ $0.parentID == nil || !known.contains($0.parentID!) }).sorted(by: { $0.name < $1.name }) { visit(root, 0) }
        return ordered
    }
}
