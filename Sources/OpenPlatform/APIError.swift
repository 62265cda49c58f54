import Foundation

/// Everything that can go wrong talking to the gateway, sorted into kinds a user can act on
/// (design.md "Errors"). Every error keeps the gateway's `request_id` when there was one.
public struct APIError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Wrong secret, algorithm or canonical string (`IncompleteSignature`).
        case signature
        /// The timestamp is more than 7200 s away from the gateway's clock.
        case timestamp
        /// The app key is unknown, or a token is invalid.
        case credentials
        /// The app (or publisher) is not granted this method.
        case permission
        /// A frequency ban (`ApiCallLimit`): wait the seconds it gives, then retry.
        case rateLimited
        /// The daily call quota is used up: stop, resume after the reset.
        case quotaExceeded
        /// A request parameter is missing or invalid.
        case badParameter
        /// The gateway or the service behind it failed (5xx, ISP/SYSTEM errors).
        case server
        /// The connection failed or timed out.
        case network
        /// The body is not the JSON the method answers with.
        case malformedResponse
        /// Any other business error code.
        case business
    }

    public var kind: Kind
    /// The API method, e.g. `aliexpress.affiliate.product.query`.
    public var method: String
    /// The gateway's code (`IncompleteSignature`, `15`, or a business `resp_code` such as `402`).
    public var code: String?
    public var subCode: String?
    public var message: String
    public var requestID: String?
    public var httpStatus: Int?
    /// How long the gateway asked us to wait (frequency bans, quota resets).
    public var retryAfter: Duration?
    /// For signature errors: what was signed, with the secret masked.
    public var signedString: String?
    /// How many attempts were made before giving up.
    public var attempts: Int = 1

    public init(
        kind: Kind, method: String, code: String? = nil, subCode: String? = nil, message: String,
        requestID: String? = nil, httpStatus: Int? = nil, retryAfter: Duration? = nil, signedString: String? = nil
    ) {
        self.kind = kind
        self.method = method
        self.code = code
        self.subCode = subCode
        self.message = message
        self.requestID = requestID
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
        self.signedString = signedString
    }

    /// Whether waiting and sending again (re-signed) can succeed.
    public var isRetryable: Bool {
        switch kind {
        case .rateLimited, .server, .network, .malformedResponse: true
        case .signature, .timestamp, .credentials, .permission, .quotaExceeded, .badParameter, .business: false
        }
    }

    /// What the user can do about it.
    public var suggestion: String {
        switch kind {
        case .signature:
            "Check the app secret (ALIEXPRESS_APP_SECRET) and sign_method; compare the signed string with `alifeed sign`."
        case .timestamp: "Check this machine's clock: the gateway accepts timestamps within 7200 s of UTC."
        case .credentials: "Check the app key (ALIEXPRESS_APP_KEY), or refresh the access token."
        case .permission: "The app or publisher account is not granted this API: apply for it in the Open Platform console."
        case .rateLimited: "Lower source.rate_limit.qps; the run waits out bans by itself."
        case .quotaExceeded: "The daily call quota is used up: run again after it resets (the run is resumable)."
        case .badParameter: "Fix the parameter the message names."
        case .server: "The gateway failed; it was retried. Try again later."
        case .network: "Check the network and the endpoint URL."
        case .malformedResponse: "The gateway sent an unreadable body; it was retried. Try again later."
        case .business: "See the gateway's message."
        }
    }

    public var description: String {
        var text = "\(kind.rawValue) error from \(method)"
        if let code { text += " [\(code)\(subCode.map { "/\($0)" } ?? "")]" }
        text += ": \(message)"
        if let requestID { text += " (request_id \(requestID))" }
        if let httpStatus { text += " (HTTP \(httpStatus))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if let signedString { text += "\n  signed string: \(signedString)" }
        text += "\n  what to do: \(suggestion)"
        return text
    }
}

extension APIError {
    /// Sorts a gateway `error_response` (IOP or legacy TOP style) into a kind.
    static func classify(
        method: String, type: String?, code: String, subCode: String?, message: String, requestID: String?
    ) -> APIError {
        let ban = Self.banDuration(in: message)
        let kind: Kind
        switch code {
        case "IncompleteSignature", "InvalidSignature", "SignatureDoesNotMatch", "25": kind = .signature
        case "InvalidTimestamp", "TimestampExpired", "31": kind = .timestamp
        case "InvalidAppKey", "AppKeyNotExist", "AppKeyInvalid", "IllegalAccessToken", "InvalidAccessToken",
            "MissingAccessToken", "26", "27", "29":
            kind = .credentials
        case "InsufficientIsvPermissions", "InsufficientPermission", "InsufficientPermissions", "11", "12":
            kind = .permission
        case "ApiCallLimit", "AccessFrequencyLimit", "7":
            // A ban that outlasts any sensible wait is a quota in effect.
            kind = (ban ?? .zero) > .seconds(3600) ? .quotaExceeded : .rateLimited
        case "AppCallLimit", "AppCallLimitExceeded", "ApiCallLimitDaily":
            kind = .quotaExceeded
        case "MissingParameter", "InvalidParameter", "InvalidApiPath", "InvalidMethod", "InvalidFormat",
            "InvalidSignMethod", "21", "22", "40", "41":
            kind = .badParameter
        default:
            if message.localizedCaseInsensitiveContains("app key is invalid") {
                kind = .credentials
            } else if let subCode, subCode.hasPrefix("isp.") {
                kind = .server
            } else if let subCode, subCode.contains("parameter") {
                kind = .badParameter
            } else if type == "ISP" || type == "SYSTEM" {
                kind = .server
            } else {
                kind = .business
            }
        }
        return APIError(
            kind: kind, method: method, code: code, subCode: subCode, message: message, requestID: requestID,
            retryAfter: kind == .rateLimited ? (ban ?? .seconds(1)) : ban
        )
    }

    /// Sorts a business `resp_code` other than 200 and 405.
    static func classify(method: String, respCode: Int, message: String?, requestID: String?) -> APIError {
        let kind: Kind =
            switch respCode {
            case 401: .permission  // "This publisher is not registered"
            case 402: .badParameter  // "params error", "TrackingId input parameter error"
            case 404, 500...599: .server  // "System Error"
            default: .business
            }
        return APIError(
            kind: kind, method: method, code: String(respCode), message: message ?? "resp_code \(respCode)",
            requestID: requestID
        )
    }

    /// Reads "this ban will last 1 seconds" from a message.
    static func banDuration(in message: String) -> Duration? {
        guard let range = message.range(of: "ban will last ", options: .caseInsensitive) else { return nil }
        let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        guard let seconds = Int64(digits) else { return nil }
        return .seconds(seconds)
    }
}

extension APIError {
    /// The gateway-error classification, exposed for table-driven tests.
    public static func classifyForTesting(type: String?, code: String, subCode: String?, message: String) -> APIError {
        classify(method: "test", type: type, code: code, subCode: subCode, message: message, requestID: nil)
    }
}
