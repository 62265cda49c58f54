public import Foundation
public import Load
public import OpenPlatform
public import Transform

/// A whole catalog job, as a pipeline file describes it, with `${ENV}` values resolved.
public struct PipelineSpec: Sendable {
    public var name: String
    /// The pipeline file, for messages and for resolving `keywords_file`.
    public var file: URL
    public var source: SourceSpec
    public var extract: ExtractSpec
    public var transform: TransformSpec
    public var load: [SinkSpec]
    /// Price-drop alerts after each run (needs a sqlite sink for the history).
    public var priceDrop: PriceDropRule?

    /// Where the gateway is.
    public enum Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// The built-in emulator, started in this process on a free loopback port.
        case sandbox
        case url(URL)

        public var description: String {
            switch self {
            case .sandbox: "sandbox"
            case .url(let url): url.absoluteString
            }
        }
    }

    public struct SourceSpec: Sendable {
        public var endpoint: Endpoint
        public var appKey: String
        public var appSecret: Secret
        public var trackingID: String?
        public var signMethod: SignMethod
        public var rateLimit: RateLimit
        public var retry: RetryPolicy
        /// Seed and day of the in-process sandbox.
        public var sandboxSeed: UInt64
        public var sandboxDay: Int?
        /// Calls allowed per app key per day; `nil` for no budget.
        public var dailyBudget: Int?
        public var budgetReset: BudgetReset = .gmt8
    }

    public struct ExtractSpec: Sendable, Hashable {
        /// Inline keywords followed by those of `keywords_file`, without repeats.
        public var keywords: [String]
        public var keywordsFile: String?
        public var pages: Int
        public var pageSize: Int
        public var sort: ProductSort?
        public var minPrice: Decimal?
        public var maxPrice: Decimal?
        public var categoryIDs: [Int64]
        public var shipToCountry: String?
        public var targetCurrency: String
        public var targetLanguage: String
        public var platformProductType: PlatformProductType?
        /// `aliexpress.affiliate.product.query` (default) or `hotproduct.query`.
        public var method: String = OpenPlatformClient.productQueryMethod
        /// Products fetched by id with `productdetail.get`, in batches.
        public var productIDs: [Int64] = []
    }

    public struct TransformSpec: Sendable, Hashable {
        public var links: LinkSpec
        public var filters: FilterSpec
        public var dedupe: Bool
        /// Dropshipping price rules; `nil` sells at the AliExpress sale price.
        public var pricing: PriceRule?
        /// What feeds do with products the catalog knows but this run did not find.
        public var missingProducts: MissingProducts = .drop
    }

    public enum MissingProducts: String, Sendable, Hashable, CaseIterable {
        /// Leave them out of the feeds (the catalog marks them not seen).
        case drop
        /// Keep them in the feeds as out of stock.
        case outOfStock = "out_of_stock"
    }

    public struct LinkSpec: Sendable, Hashable {
        public var enabled: Bool
        public var promotionLinkType: PromotionLinkType
        public var batchSize: Int
    }

    public struct FilterSpec: Sendable, Hashable {
        public var minPrice: Decimal?
        public var maxPrice: Decimal?
        /// Minimum positive-feedback rate, in percent.
        public var minRating: Decimal?
        public var minVolume: Int?
        /// Minimum commission rate, in percent.
        public var minCommission: Decimal?

        public var isEmpty: Bool { minPrice == nil && maxPrice == nil && minRating == nil && minVolume == nil && minCommission == nil }
    }

    public struct SinkSpec: Sendable, Hashable {
        public enum Kind: String, Sendable, CaseIterable {
            case sqlite, csv, xml
            /// One row per keyword (CSV at the path, JSON beside it).
            case keywordReport = "keyword_report"
        }
        public var kind: Kind
        /// As written in the file (relative paths are relative to the working directory).
        public var path: String
        /// The storefront format of a csv or xml sink.
        public var profile: FeedProfile = .generic
        public var options: FeedOptions = FeedOptions()
    }
}

extension PipelineSpec {
    /// A stable fingerprint of what a run fetches (never of secrets): the source, the extract and
    /// the affiliate links. A resumed run whose fingerprint differs starts fresh; changes to
    /// filters, pricing or sinks keep the checkpoints, which stay valid for them.
    public var specHash: String {
        var text = "name=\(name)\nendpoint=\(source.endpoint)\napp_key=\(source.appKey)\ntracking=\(source.trackingID ?? "")\n"
        text += "keywords=\(extract.keywords.joined(separator: "\u{1F}"))\npages=\(extract.pages)\npage_size=\(extract.pageSize)\n"
        text += "sort=\(extract.sort?.rawValue ?? "")\nmin=\(extract.minPrice.map { "\($0)" } ?? "")\nmax=\(extract.maxPrice.map { "\($0)" } ?? "")\n"
        text += "categories=\(extract.categoryIDs)\nship=\(extract.shipToCountry ?? "")\ncurrency=\(extract.targetCurrency)\n"
        text += "language=\(extract.targetLanguage)\nplatform=\(extract.platformProductType?.rawValue ?? "")\n"
        text += "method=\(extract.method)\nids=\(extract.productIDs.map(String.init).joined(separator: ","))\n"
        text += "links=\(transform.links)\nseed=\(source.sandboxSeed)\nday=\(source.sandboxDay.map(String.init) ?? "")"
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}

/// Parses an endpoint given on the command line.
public enum PipelineEndpoint {
    public static func parse(_ text: String) -> PipelineSpec.Endpoint? { SpecReader.endpoint(text) }
}
