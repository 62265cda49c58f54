public import Foundation
public import Logging

/// Where and how the client talks to the gateway.
public struct ClientConfiguration: Sendable {
    /// The gateway's base URL; calls go to `<endpoint>/sync`.
    public var endpoint: URL
    public var credentials: Credentials
    public var signMethod: SignMethod
    public var rateLimit: RateLimit
    public var retry: RetryPolicy

    public static let productionEndpoint = URL(string: "https://api-sg.aliexpress.com")!

    public init(
        endpoint: URL = ClientConfiguration.productionEndpoint, credentials: Credentials,
        signMethod: SignMethod = .sha256, rateLimit: RateLimit = RateLimit(), retry: RetryPolicy = RetryPolicy()
    ) {
        self.endpoint = endpoint
        self.credentials = credentials
        self.signMethod = signMethod
        self.rateLimit = rateLimit
        self.retry = retry
    }

    /// `<endpoint>/sync`, whether or not the endpoint already ends in a slash.
    public var syncURL: URL {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/sync") { return URL(string: text)! }
        return URL(string: text + "/sync")!
    }
}

/// Counters of one client's traffic, for run summaries.
public struct ClientStatistics: Sendable, Hashable, Codable {
    /// HTTP requests sent, retries included.
    public var requests = 0
    /// Requests that were retries of an earlier failed attempt.
    public var retries = 0
    /// Frequency bans received.
    public var bans = 0
    /// Failures seen, by kind, whether or not a retry then succeeded.
    public var failures: [String: Int] = [:]

    public init() {}
}

/// A successful answer: the decoded result (absent for `resp_code` 405, "The result is empty"),
/// the raw body for checkpoints, and the gateway's request id.
public struct APIResponse<Result: Decodable & Sendable>: Sendable {
    public var method: String
    public var result: Result?
    public var isEmpty: Bool
    public var requestID: String?
    public var body: Data
    /// Attempts it took (1 = first try; 0 = read back from a checkpoint).
    public var attempts: Int

    public init(method: String, result: Result?, isEmpty: Bool, requestID: String?, body: Data, attempts: Int) {
        self.method = method
        self.result = result
        self.isEmpty = isEmpty
        self.requestID = requestID
        self.body = body
        self.attempts = attempts
    }
}

/// The Open Platform client: signs every request afresh, sends it as a form POST to `/sync`
/// through the rate limiter, retries what can be retried and sorts failures into ``APIError``.
public final class OpenPlatformClient: Sendable {
    public let configuration: ClientConfiguration
    public let limiter: RateLimiter
    private let transport: any HTTPTransport
    private let time: any TimeSource
    private let logger: Logger
    private let random: @Sendable () -> Double
    private let budget: (any CallBudget)?
    private let counters = StatisticsBox()

    /// - Parameters:
    ///   - random: a source in `0..<1` for backoff jitter; inject a fixed one in tests.
    public init(
        configuration: ClientConfiguration, transport: any HTTPTransport = URLSessionTransport(),
        time: any TimeSource = SystemTimeSource(), logger: Logger = Logger(label: "alifeed.openplatform"),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, budget: (any CallBudget)? = nil
    ) {
        self.budget = budget
        self.configuration = configuration
        self.transport = transport
        self.time = time
        self.logger = logger
        self.random = random
        limiter = RateLimiter(limit: configuration.rateLimit, time: time)
    }

    public func statistics() async -> ClientStatistics { await counters.value }

    /// The parameters of one attempt, system parameters and a fresh timestamp included, signed.
    /// Empty business values are dropped: the gateway's treatment of them is unknown (spec §2).
    public func signedParameters(method: String, parameters: [String: String], timestamp: Int64) -> [String: String] {
        var all: [String: String] = [:]
        for (key, value) in parameters where !value.trimmingCharacters(in: .whitespaces).isEmpty {
            all[key] = value
        }
        all["app_key"] = configuration.credentials.appKey
        all["method"] = method
        all["sign_method"] = configuration.signMethod.rawValue
        all["timestamp"] = String(timestamp)
        all["format"] = "json"
        all["v"] = "2.0"
        all["sign"] = Signer(method: configuration.signMethod).sign(all, secret: configuration.credentials.appSecret)
        return all
    }

    /// Calls `method` and decodes its `result` as `R`, retrying per the configuration.
    /// - Throws: ``APIError`` for every failure; `CancellationError` when cancelled.
    public func call<R: Decodable & Sendable>(
        _ method: String, parameters: [String: String], as type: R.Type
    ) async throws -> APIResponse<R> {
        let policy = configuration.retry
        var attempts = 0
        var failedAttempts = 0
        var bansWaited = 0
        while true {
            attempts += 1
            try Task.checkCancellation()
            let outcome = await attempt(method, parameters: parameters, as: type, isRetry: attempts > 1)
            switch outcome {
            case .success(var response):
                response.attempts = attempts
                return response
            case .failure(var error):
                try Task.checkCancellation()
                error.attempts = attempts
                await counters.record(failure: error.kind)
                if error.kind == .rateLimited {
                    let ban = error.retryAfter ?? .seconds(1)
                    await counters.recordBan()
                    guard ban <= policy.maxBanWait else {
                        error.kind = .quotaExceeded
                        throw error
                    }
                    guard bansWaited < policy.maxBanRetries else { throw error }
                    bansWaited += 1
                    logger.warning(
                        "rate-limit ban, all calls pause",
                        metadata: ["method": "\(method)", "seconds": "\(ban.seconds)", "request_id": "\(error.requestID ?? "-")"])
                    await limiter.pause(for: ban + policy.banMargin)
                    continue
                }
                failedAttempts += 1
                guard error.isRetryable, failedAttempts < policy.maxAttempts else { throw error }
                let delay = policy.backoff(afterFailedAttempts: failedAttempts, unitRandom: random())
                logger.warning(
                    "call failed, retrying",
                    metadata: [
                        "method": "\(method)", "kind": "\(error.kind.rawValue)", "attempt": "\(attempts)",
                        "delay_ms": "\(Int(delay.seconds * 1000))", "request_id": "\(error.requestID ?? "-")",
                    ])
                try await time.sleep(for: delay)
            }
        }
    }

    private func attempt<R: Decodable & Sendable>(
        _ method: String, parameters: [String: String], as type: R.Type, isRetry: Bool
    ) async -> Result<APIResponse<R>, APIError> {
        do {
            try await limiter.acquire()
        } catch {
            return .failure(APIError(kind: .network, method: method, message: "cancelled while waiting for the rate limiter"))
        }
        if let budget {
            do {
                try await budget.spend(method: method)
            } catch let error as APIError {
                await limiter.release()
                return .failure(error)
            } catch {
                await limiter.release()
                return .failure(APIError(kind: .quotaExceeded, method: method, message: "\(error)"))
            }
        }
        await counters.recordRequest(isRetry: isRetry)
        let outcome = await exchange(method, parameters: parameters, as: type)
        await limiter.release()
        return outcome
    }

    private func exchange<R: Decodable & Sendable>(
        _ method: String, parameters: [String: String], as type: R.Type
    ) async -> Result<APIResponse<R>, APIError> {

        // A fresh timestamp and signature on every attempt: the timestamp is signed.
        let signed = signedParameters(method: method, parameters: parameters, timestamp: time.epochMilliseconds())
        let request = HTTPRequest(
            url: configuration.syncURL, method: "POST",
            headers: ["Content-Type": "application/x-www-form-urlencoded;charset=UTF-8", "Accept": "application/json"],
            body: Data(FormEncoding.encode(signed).utf8))
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            return .failure(APIError(kind: .network, method: method, message: Self.describe(transportError: error)))
        }
        guard response.status == 200 else {
            let kind: APIError.Kind = (response.status >= 500 || response.status == 408 || response.status == 429) ? .server : .business
            let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
            return .failure(APIError(
                kind: kind, method: method, code: "HTTP \(response.status)", message: "HTTP \(response.status): \(snippet)",
                httpStatus: response.status))
        }
        let envelope: Envelope<R>
        do {
            envelope = try EnvelopeDecoder.decode(type, method: method, from: response.body)
        } catch {
            return .failure(APIError(
                kind: .malformedResponse, method: method,
                message: "unreadable body (\(response.body.count) bytes): \(Self.describe(decodingError: error))",
                requestID: Self.scrapeRequestID(response.body)))
        }
        switch envelope {
        case .gatewayError(let body):
            var error = APIError.classify(
                method: method, type: body.type, code: body.code, subCode: body.subCode, message: body.fullMessage,
                requestID: body.requestID)
            if error.kind == .signature {
                error.signedString = Signer(method: configuration.signMethod).maskedSignedString(signed)
            }
            return .failure(error)
        case .success(let business):
            switch business.respCode {
            case 200:
                return .success(APIResponse(
                    method: method, result: business.result, isEmpty: business.result == nil,
                    requestID: business.requestID, body: response.body, attempts: 1))
            case 405:
                return .success(APIResponse(
                    method: method, result: nil, isEmpty: true, requestID: business.requestID, body: response.body, attempts: 1))
            default:
                return .failure(APIError.classify(
                    method: method, respCode: business.respCode, message: business.respMessage, requestID: business.requestID))
            }
        }
    }

    static func describe(transportError error: any Error) -> String {
        if let urlError = error as? URLError {
            return "\(urlError.code == .timedOut ? "timed out" : "connection failed") (URLError \(urlError.code.rawValue)): \(urlError.localizedDescription)"
        }
        return "\(error)"
    }

    static func describe(decodingError error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "$" : "$" + text
        }
        switch error {
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        case .keyNotFound(let key, let context): return "\(path(context)): missing \(key.stringValue)"
        case .typeMismatch(let type, let context): return "\(path(context)): expected \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)): null where \(type) was expected"
        @unknown default: return "\(error)"
        }
    }

    /// Finds a `request_id` in a body too broken to decode, so the error can still cite it.
    static func scrapeRequestID(_ body: Data) -> String? {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        guard let key = text.range(of: "\"request_id\"") else { return nil }
        let rest = text[key.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\"" }
        let id = rest.prefix { $0.isLetter || $0.isNumber }
        return id.isEmpty ? nil : String(id)
    }
}

/// Mutable counters behind the client's `Sendable` facade.
private actor StatisticsBox {
    var value = ClientStatistics()
    func recordRequest(isRetry: Bool) {
        value.requests += 1
        if isRetry { value.retries += 1 }
    }
    func record(failure kind: APIError.Kind) { value.failures[kind.rawValue, default: 0] += 1 }
    func recordBan() { value.bans += 1 }
}
