/// How fast calls may go out: a steady rate, a burst allowance and a cap on calls in flight.
public struct RateLimit: Sendable, Hashable, Codable {
    /// Calls per second, across all workers of the client.
    public var qps: Double
    /// Calls allowed at once.
    public var maxInFlight: Int
    /// Calls that may start back to back after an idle period (1 = evenly spaced).
    public var burst: Int

    public init(qps: Double = 2, maxInFlight: Int = 4, burst: Int = 1) {
        self.qps = qps
        self.maxInFlight = maxInFlight
        self.burst = burst
    }
}

/// The gate every call goes through: a token bucket for the rate, a counter for calls in flight,
/// and a global pause when the gateway imposes a ban, so all workers wait it out together.
///
/// Start times are reserved in order (a virtual schedule), so waiters are served first come,
/// first served and the rate holds under any number of concurrent callers.
public actor RateLimiter {
    public let limit: RateLimit
    private let time: any TimeSource
    private let interval: Duration
    private var nextStart: Duration = .zero
    private var pausedUntil: Duration = .zero
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// Total time callers spent waiting for the rate or a ban (for run summaries).
    public private(set) var totalWait: Duration = .zero
    public private(set) var granted = 0

    public init(limit: RateLimit, time: any TimeSource) {
        self.limit = limit
        self.time = time
        let qps = max(limit.qps, 0.001)
        interval = .nanoseconds(Int64((1e9 / qps).rounded(.up)))
    }

    /// Waits for a slot; the caller must call ``release()`` once its call is done.
    public func acquire() async throws {
        if inFlight >= max(limit.maxInFlight, 1) {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            inFlight += 1
        }
        do {
            while true {
                let now = time.now()
                let earliest = max(nextStart - interval * max(limit.burst - 1, 0), now, pausedUntil)
                nextStart = max(nextStart, earliest) + interval
                if earliest > now {
                    totalWait += earliest - now
                    try await time.sleep(for: earliest - now)
                }
                // A ban announced while this caller slept moves it behind the ban.
                if time.now() >= pausedUntil { break }
            }
            granted += 1
        } catch {
            release()
            throw error
        }
    }

    /// Frees the in-flight slot taken by ``acquire()``.
    public func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Pauses every caller for `duration` from now (a gateway ban applies to the whole app key).
    public func pause(for duration: Duration) {
        let until = time.now() + duration
        if until > pausedUntil { pausedUntil = until }
    }

    /// Calls currently between ``acquire()`` and ``release()``.
    public var callsInFlight: Int { inFlight }
}
