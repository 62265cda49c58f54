import Foundation
import OpenPlatform
import Sandbox
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the real gateway rejects, the sandbox rejects, with the real body shapes. These requests
/// are built by hand because the client never sends them.
@Suite struct GatewayRejectionTests {
    static let app = SandboxApp.demo

    static func baseParams(method: SignMethod = .md5, timestamp: Int64? = nil) -> [String: String] {
        // Distinct keywords keep otherwise identical calls apart.
        [
            "app_key": app.appKey, "method": "aliexpress.affiliate.product.query", "sign_method": method.rawValue,
            "timestamp": String(timestamp ?? Int64(Date().timeIntervalSince1970 * 1000)), "keywords": "usb cable",
            "page_size": "3",
        ]
    }

    static func signed(_ params: [String: String], secret: String = app.appSecret) -> [String: String] {
        var params = params
        params["sign"] = Signer(method: SignMethod(rawValue: params["sign_method"] ?? "md5") ?? .md5).sign(params, secret: Secret(secret))
        return params
    }

    /// POSTs the form body and returns the parsed JSON object.
    static func post(_ server: SandboxServer, _ params: [String: String], query: [String: String] = [:]) async throws -> [String: Any] {
        var components = server.url.absoluteString + "/sync"
        if !query.isEmpty { components += "?" + FormEncoding.encode(query) }
        var request = URLRequest(url: URL(string: components)!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded;charset=UTF-8", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(FormEncoding.encode(params).utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func expectCode(_ server: SandboxServer, _ params: [String: String], _ code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let body = try await post(server, params)
        #expect(errorCode(body) == code, sourceLocation: sourceLocation)
    }

    static func errorCode(_ body: [String: Any]) -> String? {
        ((body["error_response"] as? [String: Any])?["code"]) as? String
    }

    @Test func correctlySignedRequestSucceedsForEachMethod() async throws {
        try await withServer { server in
            for method in SignMethod.allCases {
                let body = try await Self.post(server, Self.signed(Self.baseParams(method: method)))
                #expect(body["aliexpress_affiliate_product_query_response"] != nil, "sign_method \(method)")
            }
        }
    }

    @Test func systemParametersMayComeInTheQueryString() async throws {
        try await withServer { server in
            let all = Self.signed(Self.baseParams())
            let system = all.filter { ["app_key", "method", "sign_method", "timestamp", "sign"].contains($0.key) }
            let business = all.filter { system[$0.key] == nil }
            let body = try await Self.post(server, business, query: system)
            #expect(body["aliexpress_affiliate_product_query_response"] != nil)
        }
    }

    @Test(arguments: ["sign", "app_key", "timestamp", "sign_method", "method"])
    func missingSystemParameterIsRejected(name: String) async throws {
        try await withServer { server in
            var params = Self.signed(Self.baseParams())
            params[name] = nil
            let body = try await Self.post(server, params)
            #expect(Self.errorCode(body) == "MissingParameter")
            let error = try #require(body["error_response"] as? [String: Any])
            #expect((error["msg"] as? String)?.contains("“\(name)”") == true)
            #expect(error["type"] as? String == "ISV")
            #expect((error["request_id"] as? String)?.count == 25)
        }
    }

    @Test func wrongVariantsOfTheSignatureAreRejected() async throws {
        try await withServer { server in
            let params = Self.baseParams()
            let canonical = Signer.canonicalString(params)
            let secret = Self.app.appSecret
            // HMAC-MD5 over secret+canonical+secret while claiming md5 (spec §2.1).
            let hmacWrapped = Signer(method: .hmac).sign(canonical: secret + canonical + secret, secret: Secret(secret))
            let correct = Signer(method: .md5).sign(params, secret: Secret(secret))
            for bad in [hmacWrapped, correct.lowercased(), String(correct.dropLast()) + "0", ""] where bad != correct {
                var sent = params
                sent["sign"] = bad
                let body = try await Self.post(server, sent)
                #expect(Self.errorCode(body) == (bad.isEmpty ? "MissingParameter" : "IncompleteSignature"))
            }
            // Signing URL-encoded values is wrong too.
            var encoded = params
            encoded["keywords"] = FormEncoding.percentEncode(params["keywords"]!)
            var sent = params
            sent["sign"] = Signer(method: .md5).sign(encoded, secret: Secret(secret))
            try await Self.expectCode(server, sent, "IncompleteSignature")
        }
    }

    @Test func tamperedParameterBreaksTheSignature() async throws {
        try await withServer { server in
            var params = Self.signed(Self.baseParams())
            params["page_size"] = "4"
            try await Self.expectCode(server, params, "IncompleteSignature")
        }
    }

    @Test(arguments: [-7_300_000, 7_300_000] as [Int64])
    func timestampOutsideTwoHoursIsRejected(offsetMs: Int64) async throws {
        try await withServer { server in
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let body = try await Self.post(server, Self.signed(Self.baseParams(timestamp: now + offsetMs)))
            #expect(Self.errorCode(body) == "InvalidTimestamp")
        }
    }

    @Test func secondPrecisionTimestampIsRejected() async throws {
        try await withServer { server in
            var params = Self.baseParams()
            params["timestamp"] = String(Int64(Date().timeIntervalSince1970))
            try await Self.expectCode(server, Self.signed(params), "InvalidTimestamp")
        }
    }

    @Test func unknownAppKeyAndMethodAreRejected() async throws {
        try await withServer { server in
            var params = Self.baseParams()
            params["app_key"] = "123"
            try await Self.expectCode(server, Self.signed(params), "InvalidAppKey")
            var other = Self.baseParams()
            other["method"] = "aliexpress.affiliate.no.such.method"
            try await Self.expectCode(server, Self.signed(other), "InvalidApiPath")
        }
    }

    @Test(arguments: ["0", "51", "abc"])
    func pageSizeOutsideOneToFiftyIs402(size: String) async throws {
        try await withServer { server in
            var params = Self.baseParams()
            params["page_size"] = size
            let body = try await Self.post(server, Self.signed(params))
            let result = try #require((body["aliexpress_affiliate_product_query_response"] as? [String: Any])?["resp_result"] as? [String: Any])
            #expect(result["resp_code"] as? Int == 402)
            #expect(result["result"] == nil)
        }
    }

    @Test func requiredBusinessParametersAreChecked() async throws {
        try await withServer { server in
            var params = Self.baseParams()
            params["method"] = "aliexpress.affiliate.link.generate"
            params["promotion_link_type"] = "0"
            params["tracking_id"] = "default"
            params["keywords"] = nil
            params["page_size"] = nil
            let body = try await Self.post(server, Self.signed(params))
            #expect(Self.errorCode(body) == "MissingParameter")
        }
    }

    @Test func successBodyHasTheRealShape() async throws {
        try await withServer { server in
            var params = Self.baseParams()
            params["tracking_id"] = "alifeed_demo"
            let body = try await Self.post(server, Self.signed(params))
            let wrapper = try #require(body["aliexpress_affiliate_product_query_response"] as? [String: Any])
            #expect(wrapper["request_id"] is String)
            let resp = try #require(wrapper["resp_result"] as? [String: Any])
            #expect(resp["resp_code"] as? Int == 200)
            let result = try #require(resp["result"] as? [String: Any])
            #expect(result["total_page_no"] == nil)
            let products = try #require((result["products"] as? [String: Any])?["product"] as? [[String: Any]])
            #expect(products.count == 3)
            for product in products {
                #expect(product["product_id"] is NSNumber)
                #expect(product["sale_price"] is String)
                #expect((product["commission_rate"] as? String)?.hasSuffix("%") == true)
                #expect(product["lastest_volume"] is NSNumber)
                #expect((product["product_small_image_urls"] as? [String: Any])?["string"] is [String])
                #expect((product["promotion_link"] as? String)?.hasPrefix("https://s.click.aliexpress.com/s/") == true)
            }
        }
    }

    @Test func qpsLimitBansAndReportsTheLength() async throws {
        // A frozen sandbox clock puts every call in the same second, however slow the machine.
        let frozen = Date()
        try await withServer(SandboxConfiguration(qpsLimit: 3, banSeconds: 2, now: { frozen })) { server in
            var codes: [String?] = []
            var messages: [String] = []
            for _ in 0..<5 {
                let body = try await Self.post(server, Self.signed(Self.baseParams()))
                codes.append(Self.errorCode(body))
                if let msg = (body["error_response"] as? [String: Any])?["msg"] as? String { messages.append(msg) }
            }
            #expect(codes.prefix(3).allSatisfy { $0 == nil })
            #expect(codes.suffix(2).allSatisfy { $0 == "ApiCallLimit" })
            #expect(messages.first == "Api access frequency exceeds the limit. this ban will last 2 seconds")
            #expect(server.gateway.statistics.maxCallsPerSecond == 3)
        }
    }

    @Test func injectedFaultsHaveTheConfiguredShape() async throws {
        try await withServer(SandboxConfiguration(faults: FaultPlan(scripted: [1: .serverError, 2: .malformedBody, 3: .truncatedBody]))) { server in
            var request = URLRequest(url: URL(string: server.url.absoluteString + "/sync")!)
            request.httpMethod = "POST"
            request.httpBody = Data(FormEncoding.encode(Self.signed(Self.baseParams())).utf8)
            let (_, first) = try await URLSession.shared.data(for: request)
            #expect((first as? HTTPURLResponse)?.statusCode == 500)
            request.httpBody = Data(FormEncoding.encode(Self.signed(Self.baseParams())).utf8)
            let (malformed, _) = try await URLSession.shared.data(for: request)
            #expect((try? JSONSerialization.jsonObject(with: malformed)) == nil)
            request.httpBody = Data(FormEncoding.encode(Self.signed(Self.baseParams())).utf8)
            let (truncated, _) = try await URLSession.shared.data(for: request)
            #expect((try? JSONSerialization.jsonObject(with: truncated)) == nil)
            #expect(String(decoding: truncated, as: UTF8.self).hasPrefix("{\"aliexpress_affiliate_product_query_response\""))
            #expect(server.gateway.statistics.faults == ["500": 1, "malformed": 1, "truncated": 1])
        }
    }
}
