import Foundation
import Logging
import OpenPlatform
import Sandbox
import Testing

/// The app secret never reaches a log line, an error message, an encoded value or `alifeed sign`.
@Suite struct SecretTests {
    @Test func secretIsRedactedEverywhereItCanBePrinted() throws {
        let secret = Secret("super-secret-value")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        let credentials = Credentials(appKey: "1", appSecret: secret, trackingID: "t")
        #expect(!"\(credentials)".contains("super-secret-value"))
        #expect(!String(reflecting: credentials).contains("super-secret-value"))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("super-secret-value"))
        let json = String(decoding: try JSONEncoder().encode(secret), as: UTF8.self)
        #expect(!json.contains("super-secret-value"))
    }

    @Test func signReportMasksTheSecret() {
        let secret = "helloworld"
        for method in SignMethod.allCases {
            let report = Signer(method: method).report(
                ["app_key": "12345678", "keywords": "helloworld earbuds", "timestamp": "1700000000000"], secret: Secret(secret))
            // The keyword legitimately contains the same text; the secret must not appear elsewhere.
            #expect(report.components(separatedBy: secret).count - 1 == 2)
            #expect(report.contains("sign:"))
        }
        let md5 = Signer(method: .md5).report(["app_key": "1"], secret: Secret("s3cr3t-xyz"))
        #expect(!md5.contains("s3cr3t-xyz"))
        #expect(md5.contains("<secret>app_key1sign_methodmd5<secret>"))
    }

    @Test func logsAndErrorsNeverContainTheSecret() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = FaultPlan(scripted: [1: .serverError, 2: .ban, 3: .truncatedBody])
        try await withSandbox(configuration) { server in
            let capture = LogCapture()
            let client = Fixtures.client(server, logger: capture.logger)
            _ = try await client.queryProducts(ProductQuery(keywords: "usb cable", pageSize: 3))
            let wrong = Fixtures.client(server, secret: "wrong-secret-123", logger: capture.logger)
            let error = await expectAPIError(.signature) { _ = try await wrong.queryProducts(ProductQuery(keywords: "x")) }
            let everything = capture.text + "\n" + "\(error.map { "\($0)" } ?? "")" + String(reflecting: error as Any)
            #expect(capture.text.contains("retrying"))
            #expect(!everything.contains(SandboxApp.demo.appSecret))
            #expect(!everything.contains("wrong-secret-123"))
        }
    }
}
