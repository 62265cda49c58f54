public import Foundation

/// A decoded `/sync` answer: the business `resp_result` of a method, or the gateway's error.
public enum Envelope<Result: Decodable & Sendable>: Sendable {
    case success(BusinessResult<Result>)
    case gatewayError(GatewayErrorBody)
}

/// `resp_result`: `resp_code` 200 with a `result`, or 405 "The result is empty" without one, or
/// another business code (402 "TrackingId input parameter error").
public struct BusinessResult<Result: Decodable & Sendable>: Sendable {
    public var respCode: Int
    public var respMessage: String?
    public var result: Result?
    public var requestID: String?
}

/// `error_response`, in the IOP style (`type` + string `code`) or the legacy TOP style (numeric
/// `code` with `sub_code`/`sub_msg`).
public struct GatewayErrorBody: Decodable, Sendable, Hashable {
    public var type: String?
    public var code: String
    public var message: String
    public var subCode: String?
    public var subMessage: String?
    public var requestID: String?

    enum CodingKeys: String, CodingKey {
        case type, code, msg, message, subCode = "sub_code", subMessage = "sub_msg", requestID = "request_id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeLenientStringIfPresent(forKey: .type)
        guard let code = try c.decodeLenientStringIfPresent(forKey: .code) else {
            throw DecodingError.keyNotFound(CodingKeys.code, .init(codingPath: decoder.codingPath, debugDescription: "error without code"))
        }
        self.code = code
        message = try c.decodeLenientStringIfPresent(forKey: .msg) ?? c.decodeLenientStringIfPresent(forKey: .message) ?? ""
        subCode = try c.decodeLenientStringIfPresent(forKey: .subCode)
        subMessage = try c.decodeLenientStringIfPresent(forKey: .subMessage)
        requestID = try c.decodeLenientStringIfPresent(forKey: .requestID)
    }

    /// The message a user reads: the sub message adds the detail for legacy errors.
    public var fullMessage: String {
        if let subMessage, !subMessage.isEmpty, subMessage != message { return "\(message): \(subMessage)" }
        return message
    }
}

/// Reads any `/sync` body into an ``Envelope``, tolerating the shapes seen live: the method-named
/// wrapper (`<method>_response`), `simplify=true` (no wrapper), and a top-level error object.
public enum EnvelopeDecoder {
    /// `aliexpress.affiliate.product.query` → `aliexpress_affiliate_product_query_response`.
    public static func wrapperKey(for method: String) -> String {
        // On bytes: the fast decoder asks once per page, and Foundation's replacing was 2 % of the load.
        var key = Array(method.utf8)
        for index in key.indices where key[index] == UInt8(ascii: ".") { key[index] = UInt8(ascii: "_") }
        return String(decoding: key, as: UTF8.self) + "_response"
    }

    public static func decode<R: Decodable & Sendable>(_ type: R.Type, method: String, from body: Data) throws -> Envelope<R> {
        let decoder = JSONDecoder()
        decoder.userInfo[methodUserInfoKey] = method
        return try decoder.decode(EnvelopeBox<R>.self, from: body).envelope
    }

    static let methodUserInfoKey = CodingUserInfoKey(rawValue: "alifeed.method")!
}

private struct RespResultBody<R: Decodable & Sendable>: Decodable {
    var respCode: Int
    var respMessage: String?
    var result: R?

    enum CodingKeys: String, CodingKey { case respCode = "resp_code", respMessage = "resp_msg", result }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let code = try c.decodeFlexibleIntIfPresent(forKey: .respCode) else {
            throw DecodingError.keyNotFound(CodingKeys.respCode, .init(codingPath: decoder.codingPath, debugDescription: "resp_result without resp_code"))
        }
        respCode = code
        respMessage = try c.decodeLenientStringIfPresent(forKey: .respMessage)
        // Only a success carries a result; an error code's stray result is not worth failing on.
        result = code == 200 ? try c.decodeIfPresent(R.self, forKey: .result) : nil
    }
}

private struct EnvelopeBox<R: Decodable & Sendable>: Decodable {
    var envelope: Envelope<R>

    init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: DynamicKey.self)
        if root.contains(DynamicKey("error_response")) {
            envelope = .gatewayError(try root.decode(GatewayErrorBody.self, forKey: DynamicKey("error_response")))
            return
        }
        let method = decoder.userInfo[EnvelopeDecoder.methodUserInfoKey] as? String ?? ""
        let wrapper = DynamicKey(EnvelopeDecoder.wrapperKey(for: method))
        if root.contains(wrapper) {
            let inner = try root.nestedContainer(keyedBy: DynamicKey.self, forKey: wrapper)
            envelope = .success(try Self.business(in: inner, path: decoder.codingPath + [wrapper]))
        } else if root.contains(DynamicKey("resp_result")) {
            envelope = .success(try Self.business(in: root, path: decoder.codingPath))
        } else if root.contains(DynamicKey("code")) {
            envelope = .gatewayError(try GatewayErrorBody(from: decoder))
        } else {
            let keys = root.allKeys.map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected \(wrapper.stringValue) or error_response, got keys [\(keys)]"))
        }
    }

    private static func business(in container: KeyedDecodingContainer<DynamicKey>, path: [any CodingKey]) throws -> BusinessResult<R> {
        let requestID = try container.decodeLenientStringIfPresent(forKey: DynamicKey("request_id"))
        guard container.contains(DynamicKey("resp_result")) else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "no resp_result"))
        }
        let body = try container.decode(RespResultBody<R>.self, forKey: DynamicKey("resp_result"))
        return BusinessResult(respCode: body.respCode, respMessage: body.respMessage, result: body.result, requestID: requestID)
    }
}
