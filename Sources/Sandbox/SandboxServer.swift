public import Foundation
import Hummingbird
public import Logging
import NIOCore
import Synchronization

/// The sandbox as a real HTTP server on 127.0.0.1 (Hummingbird): `/sync` for the gateway, and
/// `/sandbox/stats` for what it has seen. Loopback only: it is never reachable from outside.
public final class SandboxServer: Sendable {
    public let gateway: Gateway
    /// The base URL to use as a pipeline's endpoint, e.g. `http://127.0.0.1:54321`.
    public let url: URL
    public let port: Int
    private let task: Task<Void, any Error>

    private init(gateway: Gateway, port: Int, task: Task<Void, any Error>) {
        self.gateway = gateway
        self.port = port
        url = URL(string: "http://127.0.0.1:\(port)")!
        self.task = task
    }

    /// Starts the server in this process, on `port` (0 picks a free one), and returns once it
    /// accepts connections.
    public static func start(
        configuration: SandboxConfiguration = SandboxConfiguration(), port: Int = 0,
        logger: Logger = Logger(label: "alifeed.sandbox", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> SandboxServer {
        let gateway = Gateway(configuration: configuration)
        let started = StartSignal()
        let application = makeApplication(gateway: gateway, port: port, logger: logger) { port in started.resolve(.success(port)) }
        let task = Task {
            do {
                try await application.runService(gracefulShutdownSignals: [])
                started.resolve(.failure(SandboxError.stoppedBeforeStarting))
            } catch {
                started.resolve(.failure(error))
                throw error
            }
        }
        let boundPort = try await started.wait()
        return SandboxServer(gateway: gateway, port: boundPort, task: task)
    }

    /// Runs the server until SIGINT or SIGTERM (the `alifeed sandbox` command).
    public static func runForever(
        configuration: SandboxConfiguration, port: Int, logger: Logger, onStart: @escaping @Sendable (Int) -> Void
    ) async throws {
        let gateway = Gateway(configuration: configuration)
        let application = makeApplication(gateway: gateway, port: port, logger: logger, onStart: onStart)
        try await application.runService(gracefulShutdownSignals: [.sigint, .sigterm])
    }

    /// Stops the server and waits until it has shut down.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    private static func makeApplication(
        gateway: Gateway, port: Int, logger: Logger, onStart: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let router = Router()
        let handler: @Sendable (Request) async throws -> Response = { request in
            var request = request
            let body = try await request.collectBody(upTo: 4 << 20)
            let reply = gateway.handle(query: request.uri.query, body: String(buffer: body))
            if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
            return Response(
                status: HTTPResponse.Status(code: reply.status),
                headers: [.contentType: reply.contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        router.post("/sync") { request, _ in try await handler(request) }
        router.get("/sync") { request, _ in try await handler(request) }
        router.get("/sandbox/stats") { _, _ -> Response in
            let data = try JSONEncoder().encode(gateway.statistics)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "alifeed-sandbox"),
            onServerRunning: { channel in onStart(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

public enum SandboxError: Error, CustomStringConvertible {
    case stoppedBeforeStarting

    public var description: String { "the sandbox server stopped before it accepted connections" }
}

/// Hands the bound port (or the start failure) from the server task to the caller, once.
private final class StartSignal: Sendable {
    private let state = Mutex<(result: Result<Int, any Error>?, waiter: CheckedContinuation<Int, any Error>?)>((nil, nil))

    func resolve(_ result: Result<Int, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard state.result == nil else { return nil }
            state.result = result
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Int, any Error>? in
                if let result = state.result { return result }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
