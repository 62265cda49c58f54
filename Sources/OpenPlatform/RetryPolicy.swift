/// When and how long to wait before sending a failed call again.
///
/// Only retryable kinds are retried (``APIError/isRetryable``). Frequency bans wait the seconds the
/// gateway gives plus a margin; other failures back off exponentially with jitter.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Attempts in all for server, network and malformed-body failures (1 = no retry).
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// Fraction of each delay drawn at random (0 = none, 1 = full jitter).
    public var jitter: Double
    /// Waits for bans, in addition to ``maxAttempts``, before the call gives up.
    public var maxBanRetries: Int
    /// Added to the gateway's ban length, so the retry lands after the ban.
    public var banMargin: Duration
    /// A ban longer than this is treated as an exhausted quota rather than waited out.
    public var maxBanWait: Duration

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        jitter: Double = 0.5, maxBanRetries: Int = 20, banMargin: Duration = .milliseconds(250),
        maxBanWait: Duration = .seconds(120)
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxBanRetries = maxBanRetries
        self.banMargin = banMargin
        self.maxBanWait = maxBanWait
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1, maxBanRetries: 0)

    /// The wait before attempt `failedAttempts + 1`: `base × 2^(n-1)`, capped, then jittered
    /// downwards by up to ``jitter`` of itself. `unitRandom` is in `0..<1`.
    public func backoff(afterFailedAttempts failedAttempts: Int, unitRandom: Double) -> Duration {
        let exponent = min(max(failedAttempts - 1, 0), 30)
        let raw = baseDelay.seconds * Double(1 << exponent)
        let capped = min(raw, maxDelay.seconds)
        let jittered = capped * (1 - jitter * min(max(unitRandom, 0), 1))
        return .nanoseconds(Int64(jittered * 1e9))
    }
}
