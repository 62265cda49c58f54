public import Foundation

/// An application the sandbox knows: its key, secret, tracking ids and granted methods.
public struct SandboxApp: Sendable, Hashable {
    public var appKey: String
    public var appSecret: String
    public var trackingIDs: Set<String>
    /// Methods the app may call; `nil` grants every method the sandbox serves.
    public var grantedMethods: Set<String>?

    public init(appKey: String, appSecret: String, trackingIDs: Set<String>, grantedMethods: Set<String>? = nil) {
        self.appKey = appKey
        self.appSecret = appSecret
        self.trackingIDs = trackingIDs
        self.grantedMethods = grantedMethods
    }

    /// The demo credentials a new user runs with: nothing secret, printed by `alifeed sandbox`.
    public static let demo = SandboxApp(
        appKey: "500100", appSecret: "sandbox-demo-secret-0000000000000", trackingIDs: ["alifeed_demo", "default"])

    /// An app granted only `product.query` and `category.get`, for permission errors.
    public static let limited = SandboxApp(
        appKey: "500200", appSecret: "sandbox-limited-secret-00000000000", trackingIDs: ["default"],
        grantedMethods: ["aliexpress.affiliate.product.query", "aliexpress.affiliate.category.get"])
}

/// Infrastructure faults the sandbox can inject, each drawn with ``FaultPlan/rate``.
public enum FaultKind: String, Sendable, CaseIterable, Codable {
    /// HTTP 500 with an HTML body.
    case serverError = "500"
    /// A correct body cut off in the middle.
    case truncatedBody = "truncated"
    /// A body that is not JSON at all.
    case malformedBody = "malformed"
    /// A correct answer after ``FaultPlan/slowDelay``.
    case slowAnswer = "slow"
    /// An `ApiCallLimit` ban although the rate was respected.
    case ban = "ban"
}

/// How often and which faults to inject.
public struct FaultPlan: Sendable, Hashable {
    /// Fraction of calls that get a fault, 0...1.
    public var rate: Double
    public var kinds: [FaultKind]
    public var slowDelay: Duration
    /// Exact faults by request number (1 = the first `/sync` request), for deterministic tests.
    public var scripted: [Int: FaultKind]

    public init(
        rate: Double = 0, kinds: [FaultKind] = FaultKind.allCases, slowDelay: Duration = .milliseconds(1500),
        scripted: [Int: FaultKind] = [:]
    ) {
        self.rate = rate
        self.kinds = kinds
        self.slowDelay = slowDelay
        self.scripted = scripted
    }

    public static let none = FaultPlan()
}

/// Everything that shapes the sandbox's answers.
public struct SandboxConfiguration: Sendable {
    /// Seeds the catalog: the same seed gives the same products, prices and links.
    public var seed: UInt64
    public var apps: [SandboxApp]
    /// Calls per second allowed per app key; `nil` for no limit.
    public var qpsLimit: Double?
    /// Length of the ban after the limit is exceeded.
    public var banSeconds: Int
    /// Calls per app key per day (the day ends at 24:00 GMT+8, as the legacy docs say); `nil` for none.
    public var dailyQuota: Int?
    public var faults: FaultPlan
    /// A fixed latency added to every answer (benchmarks of the rate-limit floor).
    public var latency: Duration
    /// The catalog day that prices are computed for; `nil` follows the clock (days since 1970, UTC).
    public var day: Int?
    /// Allowed distance between a request's timestamp and the sandbox clock.
    public var timestampTolerance: TimeInterval
    /// Result counts for keywords that match.
    public var resultRange: ClosedRange<Int>
    /// Products per vocabulary noun (at most 1,000,000,000).
    public var poolSize = 5_000
    /// The sandbox clock; injectable so tests can provoke timestamp and quota-reset behaviour.
    public var now: @Sendable () -> Date

    public init(
        seed: UInt64 = 1, apps: [SandboxApp] = [.demo, .limited], qpsLimit: Double? = nil, banSeconds: Int = 1,
        dailyQuota: Int? = nil, faults: FaultPlan = .none, latency: Duration = .zero, day: Int? = nil,
        timestampTolerance: TimeInterval = 7200, resultRange: ClosedRange<Int> = 40...499,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.seed = seed
        self.apps = apps
        self.qpsLimit = qpsLimit
        self.banSeconds = banSeconds
        self.dailyQuota = dailyQuota
        self.faults = faults
        self.latency = latency
        self.day = day
        self.timestampTolerance = timestampTolerance
        self.resultRange = resultRange
        self.now = now
    }

    /// The price day in effect at `date`.
    public func catalogDay(at date: Date) -> Int {
        day ?? Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }
}
