import Foundation
import Logging
import OpenPlatform
import Sandbox
import Synchronization

/// Time that passes only when someone sleeps: tests of backoff and rate limits never wait.
final class VirtualTime: TimeSource {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))
    let wallClockOffsetMs: Int64

    init(wallClockOffsetMs: Int64 = 0) { self.wallClockOffsetMs = wallClockOffsetMs }

    func now() -> Duration { state.withLock { $0.now } }
    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append(duration)
            if duration > .zero { $0.now += duration }
        }
    }
    func epochMilliseconds() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) + wallClockOffsetMs + Int64(now().seconds * 1000)
    }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
}

/// The real URLSession transport, recording what was sent.
final class RecordingTransport: HTTPTransport {
    private let inner = URLSessionTransport(timeout: .seconds(5))
    private let sent = Mutex<[[String: String]]>([])

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let pairs = FormEncoding.decode(String(decoding: request.body, as: UTF8.self)) ?? []
        sent.withLock { $0.append(Dictionary(pairs, uniquingKeysWith: { a, _ in a })) }
        return try await inner.send(request)
    }

    var requests: [[String: String]] { sent.withLock { $0 } }
}

/// Collects every log line and its metadata, to check what reaches logs.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in CapturingHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let meta = (metadata.merging(event.metadata ?? [:]) { $1 }).map { "\($0)=\($1)" }.sorted().joined(separator: " ")
            capture.lines.withLock { $0.append("\(event.level) \(event.message) \(meta)") }
        }
    }
}

enum Fixtures {
    static let demo = SandboxApp.demo

    static func credentials(_ app: SandboxApp = .demo, secret: String? = nil) -> Credentials {
        Credentials(appKey: app.appKey, appSecret: Secret(secret ?? app.appSecret), trackingID: app.trackingIDs.contains("alifeed_demo") ? "alifeed_demo" : "default")
    }

    static func client(
        _ server: SandboxServer, app: SandboxApp = .demo, secret: String? = nil, signMethod: SignMethod = .sha256,
        retry: RetryPolicy = RetryPolicy(), time: any TimeSource = VirtualTime(), transport: any HTTPTransport = RecordingTransport(),
        logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), rateLimit: RateLimit = RateLimit(qps: 1000, maxInFlight: 8)
    ) -> OpenPlatformClient {
        OpenPlatformClient(
            configuration: ClientConfiguration(
                endpoint: server.url, credentials: credentials(app, secret: secret), signMethod: signMethod,
                rateLimit: rateLimit, retry: retry),
            transport: transport, time: time, logger: logger, random: { 0.5 })
    }
}

/// Runs `body` with a sandbox on an ephemeral loopback port, then stops it.
func withSandbox<T>(_ configuration: SandboxConfiguration = SandboxConfiguration(), _ body: (SandboxServer) async throws -> T) async throws -> T {
    let server = try await SandboxServer.start(configuration: configuration)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

func expectAPIError(_ kind: APIError.Kind, _ body: () async throws -> Void) async -> APIError? {
    do {
        try await body()
    } catch let error as APIError {
        if error.kind != kind { Issue.record("expected \(kind), got \(error.kind): \(error)") }
        return error
    } catch {
        Issue.record("expected APIError.\(kind), got \(error)")
        return nil
    }
    Issue.record("expected APIError.\(kind), but the call succeeded")
    return nil
}

import Testing
