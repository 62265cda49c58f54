import Foundation

/// Where the client reads time and how it waits: injected so tests advance time instead of sleeping.
public protocol TimeSource: Sendable {
    /// Monotonic time since an arbitrary origin.
    func now() -> Duration
    /// Waits; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
    /// Wall-clock milliseconds since the Unix epoch, for the signed `timestamp`.
    func epochMilliseconds() -> Int64
}

/// The real clocks: `ContinuousClock` for waiting, `Date` for timestamps.
public struct SystemTimeSource: TimeSource {
    private let origin: ContinuousClock.Instant

    public init() { origin = ContinuousClock.now }

    public func now() -> Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }

    public func epochMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

extension Duration {
    /// Seconds as a floating-point number, for display and rate arithmetic.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
