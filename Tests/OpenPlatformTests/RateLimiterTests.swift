import OpenPlatform
import Testing

@Suite struct RateLimiterTests {
    @Test func callsAreSpacedByTheRate() async throws {
        let time = VirtualTime()
        let limiter = RateLimiter(limit: RateLimit(qps: 4, maxInFlight: 2), time: time)
        var starts: [Duration] = []
        for _ in 0..<9 {
            try await limiter.acquire()
            starts.append(time.now())
            await limiter.release()
        }
        #expect(starts.first == .zero)
        for (a, b) in zip(starts, starts.dropFirst()) { #expect(b - a == .milliseconds(250)) }
        // Nine calls at 4 per second never put more than 4 in any one-second window.
        for start in starts {
            #expect(starts.filter { $0 >= start && $0 < start + .seconds(1) }.count <= 4)
        }
    }

    @Test func burstAllowsBackToBackStartsAfterIdle() async throws {
        let time = VirtualTime()
        let limiter = RateLimiter(limit: RateLimit(qps: 2, maxInFlight: 4, burst: 3), time: time)
        try await time.sleep(for: .seconds(10))
        var starts: [Duration] = []
        for _ in 0..<5 {
            try await limiter.acquire()
            starts.append(time.now())
            await limiter.release()
        }
        #expect(starts[0] == starts[2])
        #expect(starts[3] > starts[2])
    }

    @Test func pauseHoldsEveryCallerUntilTheBanEnds() async throws {
        let time = VirtualTime()
        let limiter = RateLimiter(limit: RateLimit(qps: 100, maxInFlight: 4), time: time)
        try await limiter.acquire()
        await limiter.release()
        await limiter.pause(for: .seconds(3))
        try await limiter.acquire()
        #expect(time.now() >= .seconds(3))
        await limiter.release()
    }

    @Test func inFlightCapIsHeld() async throws {
        let limiter = RateLimiter(limit: RateLimit(qps: 10_000, maxInFlight: 2), time: SystemTimeSource())
        try await limiter.acquire()
        try await limiter.acquire()
        #expect(await limiter.callsInFlight == 2)
        let third = Task { try await limiter.acquire() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(await limiter.callsInFlight == 2)
        await limiter.release()
        try await third.value
        #expect(await limiter.callsInFlight == 2)
        await limiter.release()
        await limiter.release()
        #expect(await limiter.callsInFlight == 0)
    }
}

@Suite struct RetryPolicyTests {
    @Test(arguments: [
        (1, 0.0, 500), (2, 0.0, 1000), (3, 0.0, 2000), (8, 0.0, 30_000), (1, 1.0, 250), (3, 0.5, 1500),
    ] as [(Int, Double, Int)])
    func backoffDoublesCapsAndJitters(failed: Int, random: Double, expectedMs: Int) {
        let policy = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: 0.5)
        #expect(policy.backoff(afterFailedAttempts: failed, unitRandom: random) == .milliseconds(expectedMs))
    }
}

@Suite struct APIErrorTests {
    @Test(arguments: [
        ("IncompleteSignature", nil, "ISV", APIError.Kind.signature),
        ("InvalidTimestamp", nil, "ISV", .timestamp),
        ("InvalidAppKey", nil, "ISV", .credentials),
        ("InsufficientIsvPermissions", nil, "ISV", .permission),
        ("ApiCallLimit", nil, "ISV", .rateLimited),
        ("AppCallLimit", nil, "ISV", .quotaExceeded),
        ("MissingParameter", nil, "ISV", .badParameter),
        ("15", "isv.account-migration-check-fail", nil, .business),
        ("15", "isp.remote-service-timeout", nil, .server),
        ("SomethingNew", nil, "SYSTEM", .server),
    ] as [(String, String?, String?, APIError.Kind)])
    func gatewayCodesSortIntoKinds(code: String, subCode: String?, type: String?, kind: APIError.Kind) {
        let error = APIError.classifyForTesting(type: type, code: code, subCode: subCode, message: "m")
        #expect(error.kind == kind)
    }

    @Test func banSecondsAreReadFromTheMessage() {
        let error = APIError.classifyForTesting(
            type: "ISV", code: "ApiCallLimit", subCode: nil, message: "Api access frequency exceeds the limit. this ban will last 7 seconds")
        #expect(error.retryAfter == .seconds(7))
        #expect(error.isRetryable)
        let long = APIError.classifyForTesting(type: "ISV", code: "ApiCallLimit", subCode: nil, message: "this ban will last 86400 seconds")
        #expect(long.kind == .quotaExceeded)
        #expect(!long.isRetryable)
    }
}
