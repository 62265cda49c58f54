public import Foundation
public import OpenPlatform

/// When the daily call budget starts over.
public enum BudgetReset: String, Sendable, Hashable, CaseIterable {
    /// 24:00 GMT+8, when the gateway's own daily quota resets (spec §6).
    case gmt8 = "gmt+8"
    case utc

    var offsetSeconds: Int { self == .gmt8 ? 8 * 3600 : 0 }

    func day(at date: Date) -> String {
        let shifted = date.addingTimeInterval(TimeInterval(offsetSeconds))
        return String(shifted.formatted(Date.ISO8601FormatStyle().year().month().day()))
    }

    func secondsUntilReset(at date: Date) -> Int {
        let shifted = Int(date.timeIntervalSince1970) + offsetSeconds
        return 86_400 - ((shifted % 86_400) + 86_400) % 86_400
    }
}

/// The calls an app key may make per day, counted across runs and pipelines that share an
/// output directory (`.state/calls.sqlite`). Every request counts, retries included.
public actor DailyBudget: CallBudget {
    public let appKey: String
    public let limit: Int
    public let reset: BudgetReset
    private let store: StateStore
    private let now: @Sendable () -> Date
    private var day: String
    private var used: Int
    private var unsaved = 0

    public init(appKey: String, limit: Int, reset: BudgetReset, store: StateStore, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.appKey = appKey
        self.limit = limit
        self.reset = reset
        self.store = store
        self.now = now
        day = reset.day(at: now())
        used = try store.callsUsed(appKey: appKey, day: day)
    }

    /// Calls left today.
    public var remaining: Int {
        rollOver()
        return max(0, limit - used)
    }

    public func spend(method: String) async throws {
        rollOver()
        guard used < limit else {
            try save()
            let hours = Double(reset.secondsUntilReset(at: now())) / 3600
            throw APIError(
                kind: .quotaExceeded, method: method,
                message: "the daily budget of \(limit) calls for app key \(appKey) is used up; it resets at 00:00 \(reset == .gmt8 ? "GMT+8" : "UTC") (in \(String(format: "%.1f", hours)) h)",
                retryAfter: .seconds(reset.secondsUntilReset(at: now())))
        }
        used += 1
        unsaved += 1
        // Saved in small batches: a crash loses at most a few counts, not a write per call.
        if unsaved >= 10 { try save() }
    }

    /// Writes the calls not yet saved.
    public func save() throws {
        try store.addCalls(unsaved, appKey: appKey, day: day)
        unsaved = 0
    }

    private func rollOver() {
        let today = reset.day(at: now())
        guard today != day else { return }
        try? save()
        day = today
        used = (try? store.callsUsed(appKey: appKey, day: today)) ?? 0
    }
}
