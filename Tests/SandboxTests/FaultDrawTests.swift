import Foundation
import OpenPlatform
import Sandbox
import Testing

@Suite struct FaultDrawTests {
    @Test func faultRateIsRoughlyHonoured() throws {
        let gateway = Gateway(configuration: SandboxConfiguration(faults: FaultPlan(rate: 0.2, kinds: [.serverError])))
        var faults = 0
        for _ in 0..<500 {
            let reply = gateway.handle(query: nil, body: Self.signedBody())
            if reply.status == 500 { faults += 1 }
        }
        #expect((60...140).contains(faults), "\(faults) of 500 calls faulted at rate 0.2")
        #expect(gateway.statistics.faults["500"] == faults)
    }

    static func signedBody() -> String {
        var params = [
            "app_key": SandboxApp.demo.appKey, "method": "aliexpress.affiliate.category.get", "sign_method": "md5",
            "timestamp": String(Int64(Date().timeIntervalSince1970 * 1000)),
        ]
        params["sign"] = Signer(method: .md5).sign(params, secret: Secret(SandboxApp.demo.appSecret))
        return FormEncoding.encode(params)
    }
}
