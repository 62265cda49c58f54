import Foundation
import OpenPlatform
import Sandbox
import Testing

/// Every error kind, provoked through the sandbox over HTTP, and what the client does about it.
@Suite struct ClientErrorTests {
    let query = ProductQuery(keywords: "usb cable", pageSize: 5)

    @Test(arguments: SignMethod.allCases)
    func wrongSecretIsASignatureErrorAndNotRetried(method: SignMethod) async throws {
        try await withSandbox { server in
            let transport = RecordingTransport()
            let client = Fixtures.client(server, secret: "not-the-secret", signMethod: method, transport: transport)
            let error = await expectAPIError(.signature) { _ = try await client.queryProducts(query) }
            #expect(error?.code == "IncompleteSignature")
            #expect(error?.requestID?.isEmpty == false)
            #expect(transport.requests.count == 1)
            let signed = try #require(error?.signedString)
            #expect(signed.contains("keywordsusb cable"))
            #expect(!signed.contains("not-the-secret"))
            #expect(!"\(error!)".contains("not-the-secret"))
        }
    }

    @Test(arguments: SignMethod.allCases)
    func everySignMethodIsAccepted(method: SignMethod) async throws {
        try await withSandbox { server in
            let page = try await Fixtures.client(server, signMethod: method).queryProducts(query)
            #expect(page.products.count == 5)
        }
    }

    @Test func skewedClockIsATimestampError() async throws {
        try await withSandbox { server in
            let client = Fixtures.client(server, time: VirtualTime(wallClockOffsetMs: 7_300_000))
            let error = await expectAPIError(.timestamp) { _ = try await client.queryProducts(query) }
            #expect(error?.code == "InvalidTimestamp")
        }
    }

    @Test func clockWithinToleranceIsAccepted() async throws {
        try await withSandbox { server in
            let client = Fixtures.client(server, time: VirtualTime(wallClockOffsetMs: -7_000_000))
            let page = try await client.queryProducts(query)
            #expect(page.products.count == 5)
        }
    }

    @Test func unknownAppKeyIsACredentialsError() async throws {
        try await withSandbox { server in
            let stranger = SandboxApp(appKey: "999999", appSecret: "whatever", trackingIDs: ["default"])
            let error = await expectAPIError(.credentials) {
                _ = try await Fixtures.client(server, app: stranger).queryProducts(query)
            }
            #expect(error?.requestID != nil)
        }
    }

    @Test func methodNotGrantedIsAPermissionErrorAndNotRetried() async throws {
        try await withSandbox { server in
            let transport = RecordingTransport()
            let client = Fixtures.client(server, app: .limited, transport: transport)
            let error = await expectAPIError(.permission) { _ = try await client.queryHotProducts(query) }
            #expect(error?.code == "InsufficientIsvPermissions")
            #expect(transport.requests.count == 1)
        }
    }

    @Test func banIsWaitedOutAndRetriedWithAFreshSignature() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(scripted: [1: .ban, 2: .ban])
        try await withSandbox(configuration) { server in
            let transport = RecordingTransport()
            let time = VirtualTime()
            let client = Fixtures.client(server, time: time, transport: transport)
            let page = try await client.queryProducts(query)
            #expect(page.products.count == 5)
            #expect(page.attempts == 3)
            let sent = transport.requests
            #expect(sent.count == 3)
            #expect(Set(sent.compactMap { $0["timestamp"] }).count == 3)
            #expect(Set(sent.compactMap { $0["sign"] }).count == 3)
            // Each ban of 1 s (from the message) plus the 250 ms margin was waited out.
            #expect(time.now() >= .milliseconds(2500))
            let stats = await client.statistics()
            #expect(stats.bans == 2)
            #expect(stats.retries == 2)
        }
    }

    @Test func tooManyBansBecomeARateLimitError() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(rate: 1, kinds: [.ban])
        try await withSandbox(configuration) { server in
            var retry = RetryPolicy()
            retry.maxBanRetries = 2
            let client = Fixtures.client(server, retry: retry)
            let error = await expectAPIError(.rateLimited) { _ = try await client.queryProducts(query) }
            #expect(error?.retryAfter == .seconds(1))
            #expect(error?.attempts == 3)
        }
    }

    @Test func realRateLimitBansAreHonoured() async throws {
        let frozen = Date()
        try await withSandbox(SandboxConfiguration(qpsLimit: 2, now: { frozen })) { server in
            let client = Fixtures.client(server, retry: .none, time: SystemTimeSource(), rateLimit: RateLimit(qps: 100, maxInFlight: 1))
            let error = await expectAPIError(.rateLimited) {
                for page in 1...4 { _ = try await client.queryProducts(ProductQuery(keywords: "usb cable", pageNo: page, pageSize: 5)) }
            }
            #expect(error?.code == "ApiCallLimit")
            #expect(error?.message.contains("ban will last 1 seconds") == true)
            #expect(error?.retryAfter == .seconds(1))
        }
    }

    @Test func serverErrorsAreRetriedWithBackoffThenSucceed() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(scripted: [1: .serverError, 2: .truncatedBody, 3: .malformedBody])
        try await withSandbox(configuration) { server in
            let transport = RecordingTransport()
            let time = VirtualTime()
            let client = Fixtures.client(server, time: time, transport: transport)
            let page = try await client.queryProducts(query)
            #expect(page.products.count == 5)
            #expect(page.attempts == 4)
            #expect(Set(transport.requests.compactMap { $0["sign"] }).count == 4)
            // 0.5 s, 1 s, 2 s, each less half of itself with the test's jitter draw of 0.5.
            #expect(time.sleeps == [.milliseconds(375), .milliseconds(750), .milliseconds(1500)])
            let stats = await client.statistics()
            #expect(stats.failures["server"] == 1)
            #expect(stats.failures["malformedResponse"] == 2)
        }
    }

    @Test func persistentServerErrorGivesUpAfterMaxAttempts() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(rate: 1, kinds: [.serverError])
        try await withSandbox(configuration) { server in
            let transport = RecordingTransport()
            let client = Fixtures.client(server, retry: RetryPolicy(maxAttempts: 3), transport: transport)
            let error = await expectAPIError(.server) { _ = try await client.queryProducts(query) }
            #expect(error?.httpStatus == 500)
            #expect(error?.attempts == 3)
            #expect(transport.requests.count == 3)
        }
    }

    @Test func truncatedBodyIsMalformed() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(rate: 1, kinds: [.truncatedBody])
        try await withSandbox(configuration) { server in
            let client = Fixtures.client(server, retry: .none)
            let error = await expectAPIError(.malformedResponse) { _ = try await client.queryProducts(query) }
            #expect(error?.message.contains("unreadable body") == true)
        }
    }

    @Test func slowAnswerPastTheTimeoutIsANetworkError() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(rate: 1, kinds: [.slowAnswer], slowDelay: .seconds(3))
        try await withSandbox(configuration) { server in
            let client = OpenPlatformClient(
                configuration: ClientConfiguration(endpoint: server.url, credentials: Fixtures.credentials(), retry: .none),
                transport: URLSessionTransport(timeout: .seconds(1)), time: VirtualTime())
            let error = await expectAPIError(.network) { _ = try await client.queryProducts(query) }
            #expect(error?.message.contains("timed out") == true)
        }
    }

    @Test func closedPortIsANetworkError() async throws {
        let server = try await SandboxServer.start()
        let url = server.url
        await server.stop()
        let client = OpenPlatformClient(
            configuration: ClientConfiguration(endpoint: url, credentials: Fixtures.credentials(), retry: RetryPolicy(maxAttempts: 2)),
            time: VirtualTime())
        let error = await expectAPIError(.network) { _ = try await client.queryProducts(query) }
        #expect(error?.attempts == 2)
    }

    @Test func dailyQuotaIsAQuotaErrorAndNotRetried() async throws {
        try await withSandbox(SandboxConfiguration(dailyQuota: 2)) { server in
            let transport = RecordingTransport()
            let client = Fixtures.client(server, transport: transport)
            _ = try await client.queryProducts(query)
            _ = try await client.queryProducts(query)
            let error = await expectAPIError(.quotaExceeded) { _ = try await client.queryProducts(query) }
            #expect(error?.code == "AppCallLimit")
            #expect(error?.retryAfter.map { $0 > .zero } == true)
            #expect(transport.requests.count == 3)
        }
    }

    @Test(arguments: [0, 51])
    func pageSizeOutOfRangeIsABadParameter(size: Int) async throws {
        try await withSandbox { server in
            let error = await expectAPIError(.badParameter) {
                _ = try await Fixtures.client(server).queryProducts(ProductQuery(keywords: "usb cable", pageSize: size))
            }
            #expect(error?.code == "402")
            #expect(error?.requestID != nil)
        }
    }

    @Test func missingRequiredParameterIsABadParameter() async throws {
        try await withSandbox { server in
            let client = Fixtures.client(server)
            let error = await expectAPIError(.badParameter) {
                _ = try await client.call(
                    OpenPlatformClient.linkGenerateMethod, parameters: ["promotion_link_type": "0", "tracking_id": "default", "source_values": ""],
                    as: WireLinkResult.self)
            }
            #expect(error?.code == "MissingParameter")
            #expect(error?.message.contains("source_values") == true)
        }
    }

    @Test func unknownTrackingIDIs402() async throws {
        try await withSandbox { server in
            let error = await expectAPIError(.badParameter) {
                _ = try await Fixtures.client(server).generateLinks(
                    sources: ["https://www.aliexpress.com/item/1005006338829917.html"], trackingID: "made_up")
            }
            #expect(error?.message == "TrackingId input parameter error")
        }
    }

    @Test func emptyResultIsAnEmptyPageNotAnError() async throws {
        try await withSandbox { server in
            let client = Fixtures.client(server)
            let total = server.gateway.catalog.totalResults(keywords: "usb cable")
            let page = try await client.queryProducts(ProductQuery(keywords: "usb cable", pageNo: total / 50 + 2, pageSize: 50))
            #expect(page.isEmpty)
            #expect(page.products.isEmpty)
            #expect(page.isLastPage(pageSize: 50))
        }
    }
}
