import Foundation
import Crypto

/// The signature algorithms of the gateway (spec §2).
public enum SignMethod: String, Sendable, CaseIterable, Codable {
    /// HMAC-SHA256 keyed with the secret: the official IOP SDKs' default.
    case sha256
    /// MD5 of `secret + canonical + secret`: the TOP-derived SDKs, widely used live.
    case md5
    /// HMAC-MD5 keyed with the secret: the TOP algorithm; acceptance on api-sg is unverified.
    case hmac
}

/// Builds the canonical string and the signature of a parameter set, exactly as spec §2.
public struct Signer: Sendable {
    public var method: SignMethod

    public init(method: SignMethod) { self.method = method }

    /// Every parameter except `sign`, keys sorted by byte order, `key1value1key2value2…`, raw UTF-8
    /// values. `apiPath` is prepended only for system APIs (names that contain `/`).
    public static func canonicalString(_ parameters: [String: String], apiPath: String? = nil) -> String {
        var text = ""
        if let apiPath, apiPath.contains("/") { text += apiPath }
        for key in parameters.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        where key != "sign" {
            text += key
            text += parameters[key]!
        }
        return text
    }

    /// The signature as 32 or 64 upper-case hex digits.
    public func sign(_ parameters: [String: String], secret: Secret, apiPath: String? = nil) -> String {
        sign(canonical: Self.canonicalString(parameters, apiPath: apiPath), secret: secret)
    }

    /// Signs an already built canonical string.
    public func sign(canonical: String, secret: Secret) -> String {
        let key = Data(secret.reveal().utf8)
        let message = Data(canonical.utf8)
        switch method {
        case .sha256:
            let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return Self.hex(Data(mac))
        case .md5:
            var wrapped = key
            wrapped.append(message)
            wrapped.append(key)
            return Self.hex(Data(Insecure.MD5.hash(data: wrapped)))
        case .hmac:
            let mac = HMAC<Insecure.MD5>.authenticationCode(for: message, using: SymmetricKey(data: key))
            return Self.hex(Data(mac))
        }
    }

    /// The exact bytes that were hashed, as a user can compare them with another SDK's, with the
    /// secret masked where the algorithm wraps it around the canonical string.
    public func maskedSignedString(_ parameters: [String: String], apiPath: String? = nil) -> String {
        let canonical = Self.canonicalString(parameters, apiPath: apiPath)
        switch method {
        case .md5: return "<secret>" + canonical + "<secret>"
        case .sha256, .hmac: return canonical
        }
    }

    static func hex(_ data: Data) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(data.count * 2)
        for byte in data {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Signer {
    /// What `alifeed sign` prints: the method, the signed string with the secret masked, the
    /// signature and the form body to send. The secret itself never appears.
    public func report(_ parameters: [String: String], secret: Secret, apiPath: String? = nil) -> String {
        var params = parameters
        if params["sign_method"] == nil { params["sign_method"] = method.rawValue }
        let signature = sign(params, secret: secret, apiPath: apiPath)
        var body = params
        body["sign"] = signature
        return """
            sign_method:   \(method.rawValue)
            signed string: \(maskedSignedString(params, apiPath: apiPath))
            sign:          \(signature)
            form body:     \(FormEncoding.encode(body))
            """
    }
}
