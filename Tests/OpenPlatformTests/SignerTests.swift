import Foundation
import OpenPlatform
import Testing

/// The vectors of spec §2.2, each computed by a public SDK's own signing code.
@Suite struct SignerTests {
    static let secret = Secret("helloworld")

    static func common(_ method: SignMethod, keywords: String = "wireless earbuds") -> [String: String] {
        [
            "app_key": "12345678", "method": "aliexpress.affiliate.product.query", "timestamp": "1700000000000",
            "keywords": keywords, "page_no": "1", "page_size": "50", "tracking_id": "default",
            "sign_method": method.rawValue,
        ]
    }

    static let nonASCII = "écouteurs 蓝牙"

    @Test func vectorA_md5ASCII() {
        let params = Self.common(.md5)
        #expect(
            "helloworld" + Signer.canonicalString(params) + "helloworld"
                == "helloworldapp_key12345678keywordswireless earbudsmethodaliexpress.affiliate.product.querypage_no1page_size50sign_methodmd5timestamp1700000000000tracking_iddefaulthelloworld")
        #expect(Signer(method: .md5).sign(params, secret: Self.secret) == "4C4EECD2878785730368E71B4EC97933")
    }

    @Test func vectorB_md5NonASCII() {
        #expect(Array(Self.nonASCII.utf8).map { String(format: "%02x", $0) }.joined() == "c3a9636f75746575727320e8939de78999")
        let params = Self.common(.md5, keywords: Self.nonASCII)
        #expect(Signer(method: .md5).sign(params, secret: Self.secret) == "8781FFA2C4D4554C103E6870BADF1C16")
    }

    @Test func vectorC_sha256ASCII() {
        let params = Self.common(.sha256)
        #expect(
            Signer.canonicalString(params)
                == "app_key12345678keywordswireless earbudsmethodaliexpress.affiliate.product.querypage_no1page_size50sign_methodsha256timestamp1700000000000tracking_iddefault")
        #expect(
            Signer(method: .sha256).sign(params, secret: Self.secret)
                == "D605FFDF987406267729F20404D81B32D3469C3F5165EB2A1825D8385367AF83")
    }

    @Test func vectorD_sha256NonASCII() {
        let params = Self.common(.sha256, keywords: Self.nonASCII)
        #expect(
            Signer(method: .sha256).sign(params, secret: Self.secret)
                == "9D145C295797608C4C901DBD0198BFAE6CCCEA16C1061E8C744A699C1147374B")
    }

    @Test func vectorE_hmacASCII() {
        #expect(Signer(method: .hmac).sign(Self.common(.hmac), secret: Self.secret) == "37B4E6C85285DC381740BC72B9C6C13E")
        // The cross-check against taobaopy's own request (legacy timestamp format).
        let taobao = [
            "app_key": "12345678", "format": "json", "keywords": "wireless earbuds",
            "method": "aliexpress.affiliate.product.query", "page_no": "1", "page_size": "50", "sign_method": "hmac",
            "timestamp": "2023-11-15 06:13:20", "tracking_id": "default", "v": "2.0",
        ]
        #expect(Signer(method: .hmac).sign(taobao, secret: Self.secret) == "8D7379306410262AEFEF26839A8F5C1D")
    }

    @Test func vectorF_hmacNonASCII() {
        let params = Self.common(.hmac, keywords: Self.nonASCII)
        #expect(Signer(method: .hmac).sign(params, secret: Self.secret) == "10623990F5C2C630E36A789D7789364A")
    }

    @Test func vectorG_systemAPIPrefixesThePath() {
        let params = ["app_key": "12345678", "code": "3_12345678_abcdef", "sign_method": "sha256", "timestamp": "1700000000000"]
        #expect(
            Signer.canonicalString(params, apiPath: "/auth/token/create")
                == "/auth/token/createapp_key12345678code3_12345678_abcdefsign_methodsha256timestamp1700000000000")
        #expect(
            Signer(method: .sha256).sign(params, secret: Self.secret, apiPath: "/auth/token/create")
                == "CEC79AF52CB251887C976259B1BAF81DD97E1717536491283487BBD990E7205D")
        var full = params
        full["format"] = "json"
        full["method"] = "/auth/token/create"
        full["partner_id"] = "iop-sdk-python-20220609"
        full["simplify"] = "false"
        #expect(
            Signer(method: .sha256).sign(full, secret: Self.secret, apiPath: "/auth/token/create")
                == "B4CF46B51A2E8C3231CD3791F83C8C38C97D09526CCDB8C1824225857E2041BB")
    }

    @Test func vectorH_officialDocument() {
        let params = [
            "access_token": "test", "app_key": "123456", "order_id": "1234", "sign_method": "sha256",
            "timestamp": "1517820392000",
        ]
        #expect(
            Signer(method: .sha256).sign(params, secret: Self.secret, apiPath: "/order/get")
                == "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A")
    }

    @Test func vectorI_fullRequestsAsLibrariesBuildThem() {
        var affiliate = Self.common(.md5)
        affiliate["format"] = "json"
        affiliate["v"] = "2.0"
        affiliate["partner_id"] = "taobao-sdk-python-20200924"
        #expect(Signer(method: .md5).sign(affiliate, secret: Self.secret) == "250C48264C85F9AD52E559ED7D67269F")
        var iop = Self.common(.sha256)
        iop["partner_id"] = "iop-sdk-python-20220609"
        iop["simplify"] = "false"
        iop["format"] = "json"
        #expect(
            Signer(method: .sha256).sign(iop, secret: Self.secret)
                == "247A1C6BB97D2865D745BFA3A8106D36B5030A80ECC7F7B83A845741DDE66C60")
    }

    @Test func dottedMethodNamesAreNotPrefixed() {
        let params = Self.common(.sha256)
        #expect(
            Signer.canonicalString(params, apiPath: "aliexpress.affiliate.product.query") == Signer.canonicalString(params))
    }

    @Test func signStringMasksTheSecret() {
        let masked = Signer(method: .md5).maskedSignedString(Self.common(.md5))
        #expect(masked.hasPrefix("<secret>app_key12345678"))
        #expect(!masked.contains("helloworld"))
    }
}
