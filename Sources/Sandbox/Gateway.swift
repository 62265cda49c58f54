public import Foundation
import Catalog
import OpenPlatform
import Synchronization

/// What the sandbox sends back for one HTTP request.
public struct GatewayReply: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    /// How long to hold the answer (slow-answer faults, configured latency).
    public var delay: Duration
}

/// What the sandbox has seen, for tests and the `/sandbox/stats` page.
public struct SandboxStatistics: Sendable, Codable, Hashable {
    /// HTTP requests received on `/sync`.
    public var requests = 0
    /// Requests answered with a business result (any `resp_code`), by method.
    public var served: [String: Int] = [:]
    /// Gateway errors answered, by code.
    public var rejected: [String: Int] = [:]
    /// Faults injected, by kind.
    public var faults: [String: Int] = [:]
    /// The most calls of one app key that arrived within any one-second window.
    public var maxCallsPerSecond = 0
    /// Links generated and sources left out by `link.generate`.
    public var linksGenerated = 0
    public var linksRefused = 0
}

/// The gateway emulator's logic, free of HTTP: parameters in, status and body out. It checks what
/// the real gateway checks, in the same order (spec §1–§4), then answers from the catalog.
public final class Gateway: Sendable {
    public let configuration: SandboxConfiguration
    public let catalog: SandboxCatalog
    private let state = Mutex(State())

    private struct State {
        var stats = SandboxStatistics()
        var recentCalls: [String: [Date]] = [:]
        var bannedUntil: [String: Date] = [:]
        var dailyCalls: [String: Int] = [:]
        var counter: UInt64 = 0
    }

    public init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        var catalog = SandboxCatalog(seed: configuration.seed)
        catalog.resultRange = configuration.resultRange
        catalog.poolSize = configuration.poolSize
        self.catalog = catalog
    }

    public var statistics: SandboxStatistics { state.withLock { $0.stats } }

    static let methods: Set<String> = [
        OpenPlatformClient.productQueryMethod, OpenPlatformClient.hotProductQueryMethod,
        OpenPlatformClient.productDetailMethod, OpenPlatformClient.linkGenerateMethod,
        OpenPlatformClient.categoryGetMethod,
    ]

    /// Answers one `/sync` request whose parameters came in the query string and/or a form body.
    public func handle(query: String?, body: String?) -> GatewayReply {
        let now = configuration.now()
        let serial = state.withLock { state -> UInt64 in
            state.stats.requests += 1
            state.counter += 1
            return state.counter
        }
        let requestID = Self.requestID(now: now, serial: serial, seed: configuration.seed)
        var params: [String: String] = [:]
        for text in [query, body].compactMap({ $0 }) where !text.isEmpty {
            guard let pairs = FormEncoding.decode(text) else {
                return gatewayError("InvalidParameter", "The request body or query is not valid form encoding", requestID)
            }
            for (key, value) in pairs { params[key] = value }
        }
        return answer(params, now: now, serial: serial, requestID: requestID)
    }

    private func answer(_ params: [String: String], now: Date, serial: UInt64, requestID: String) -> GatewayReply {
        // System parameters, in the order the gateway reports them missing.
        for name in ["app_key", "method", "sign_method", "timestamp", "sign"] where (params[name] ?? "").isEmpty {
            return gatewayError("MissingParameter", "The input parameter “\(name)” that is mandatory for processing this request is not supplied", requestID)
        }
        let appKey = params["app_key"]!, method = params["method"]!
        guard let app = configuration.apps.first(where: { $0.appKey == appKey }) else {
            return gatewayError("InvalidAppKey", "The specified App Key is invalid", requestID)
        }
        guard let signMethod = SignMethod(rawValue: params["sign_method"]!) else {
            return gatewayError("InvalidParameter", "The specified sign_method is invalid: use sha256, md5 or hmac", requestID)
        }
        guard let sent = Self.parseTimestamp(params["timestamp"]!),
            abs(sent.timeIntervalSince(now)) <= configuration.timestampTolerance
        else {
            return gatewayError("InvalidTimestamp", "The specified timestamp is invalid or differs from UTC by more than 7200 seconds", requestID)
        }
        let expected = Signer(method: signMethod).sign(params, secret: Secret(app.appSecret))
        guard params["sign"] == expected else {
            return gatewayError("IncompleteSignature", "The request signature does not conform to platform standards", requestID)
        }
        guard Self.methods.contains(method) else {
            return gatewayError("InvalidApiPath", "The specified API path is invalid: \(method)", requestID)
        }
        if let granted = app.grantedMethods, !granted.contains(method) {
            return gatewayError("InsufficientIsvPermissions", "Insufficient isv permissions", requestID)
        }
        if let refusal = admit(appKey: appKey, now: now, requestID: requestID) { return refusal }
        if let fault = injectFault(serial: serial, requestID: requestID) {
            if fault.kind == .slowAnswer {
                var reply = business(method, params, app: app, now: now, requestID: requestID)
                reply.delay += fault.reply.delay
                return reply
            }
            if fault.kind == .truncatedBody {
                var reply = business(method, params, app: app, now: now, requestID: requestID)
                reply.body = Array(reply.body.prefix(max(1, reply.body.count / 2)))
                return reply
            }
            return fault.reply
        }
        return business(method, params, app: app, now: now, requestID: requestID)
    }

    // MARK: quotas and faults

    /// Applies the daily quota and the per-second limit; `nil` admits the call.
    private func admit(appKey: String, now: Date, requestID: String) -> GatewayReply? {
        let qps = configuration.qpsLimit
        let quota = configuration.dailyQuota
        let dayKey = appKey + "@" + Self.quotaDay(now)
        let ban = configuration.banSeconds
        return state.withLock { state -> GatewayReply? in
            func refuse(_ code: String, _ message: String) -> GatewayReply {
                state.stats.rejected[code, default: 0] += 1
                return Self.errorReply(code, message, requestID)
            }
            if let until = state.bannedUntil[appKey], until > now {
                let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
                return refuse("ApiCallLimit", "Api access frequency exceeds the limit. this ban will last \(seconds) seconds")
            }
            if let quota, state.dailyCalls[dayKey, default: 0] >= quota {
                let reset = Self.secondsUntilQuotaReset(now)
                return refuse("AppCallLimit", "App call limit exceeds the daily quota. this ban will last \(reset) seconds")
            }
            var recent = state.recentCalls[appKey, default: []]
            recent.removeAll { now.timeIntervalSince($0) >= 1 }
            if let qps, Double(recent.count) >= max(qps, 1) {
                state.bannedUntil[appKey] = now.addingTimeInterval(TimeInterval(ban))
                state.recentCalls[appKey] = recent
                return refuse("ApiCallLimit", "Api access frequency exceeds the limit. this ban will last \(ban) seconds")
            }
            recent.append(now)
            state.recentCalls[appKey] = recent
            state.stats.maxCallsPerSecond = max(state.stats.maxCallsPerSecond, recent.count)
            state.dailyCalls[dayKey, default: 0] += 1
            return nil
        }
    }

    private func injectFault(serial: UInt64, requestID: String) -> (kind: FaultKind, reply: GatewayReply)? {
        let plan = configuration.faults
        let kind: FaultKind
        if let scripted = plan.scripted[Int(serial)] {
            kind = scripted
        } else {
            guard plan.rate > 0, !plan.kinds.isEmpty else { return nil }
            let draw = StableHash.of(configuration.seed, serial, "fault")
            guard draw.unit < plan.rate else { return nil }
            kind = plan.kinds[(draw >> 7).below(plan.kinds.count)]
        }
        state.withLock { $0.stats.faults[kind.rawValue, default: 0] += 1 }
        let reply: GatewayReply
        switch kind {
        case .serverError:
            reply = GatewayReply(
                status: 500, contentType: "text/html;charset=UTF-8",
                body: Array("<html><body><h1>500 Internal Server Error</h1></body></html>".utf8), delay: .zero)
        case .malformedBody:
            reply = GatewayReply(
                status: 200, contentType: "application/json;charset=UTF-8",
                body: Array("<html>upstream connect error or disconnect/reset before headers</html>".utf8), delay: .zero)
        case .ban:
            reply = Self.errorReply("ApiCallLimit", "Api access frequency exceeds the limit. this ban will last 1 seconds", requestID)
        case .slowAnswer:
            reply = GatewayReply(status: 200, contentType: "", body: [], delay: plan.slowDelay)
        case .truncatedBody:
            reply = GatewayReply(status: 200, contentType: "", body: [], delay: .zero)
        }
        return (kind, reply)
    }

    // MARK: business methods

    private func business(_ method: String, _ params: [String: String], app: SandboxApp, now: Date, requestID: String) -> GatewayReply {
        state.withLock { $0.stats.served[method, default: 0] += 1 }
        let day = configuration.catalogDay(at: now)
        let outcome: BusinessOutcome
        switch method {
        case OpenPlatformClient.productQueryMethod:
            outcome = search(params, app: app, day: day, hotOnly: false)
        case OpenPlatformClient.hotProductQueryMethod:
            outcome = search(params, app: app, day: day, hotOnly: true)
        case OpenPlatformClient.productDetailMethod:
            outcome = details(params, app: app, day: day)
        case OpenPlatformClient.linkGenerateMethod:
            outcome = links(params, app: app)
        default:
            outcome = categories()
        }
        var reply: GatewayReply
        switch outcome {
        case .missing(let name):
            return gatewayError("MissingParameter", "The input parameter “\(name)” that is mandatory for processing this request is not supplied", requestID)
        case .result(let result):
            reply = Self.businessReply(method: method, code: 200, message: "Call succeeds", result: result, requestID: requestID)
        case .empty:
            reply = Self.businessReply(method: method, code: 405, message: "The result is empty", result: nil, requestID: requestID)
        case .parameterError(let name):
            reply = Self.businessReply(method: method, code: 402, message: "\(name) input parameter error", result: nil, requestID: requestID)
        }
        reply.delay = configuration.latency
        return reply
    }

    enum BusinessOutcome {
        case result(JSONValue)
        case empty
        case parameterError(String)
        case missing(String)
    }

    static let languages: Set<String> = ["EN", "RU", "PT", "ES", "FR", "ID", "IT", "TH", "JA", "AR", "VI", "TR", "DE", "HE", "KO", "NL", "PL", "MX", "CL", "IW", "IN"]

    private func search(_ params: [String: String], app: SandboxApp, day: Int, hotOnly: Bool) -> BusinessOutcome {
        guard let pageNo = Self.int(params["page_no"], default: 1), pageNo >= 1 else { return .parameterError("PageNo") }
        guard let pageSize = Self.int(params["page_size"], default: 50), (1...50).contains(pageSize) else { return .parameterError("PageSize") }
        var sort: String?
        if let value = params["sort"] {
            guard ProductSort(rawValue: value) != nil else { return .parameterError("Sort") }
            sort = value
        }
        guard let currency = Self.currency(params["target_currency"]) else { return .parameterError("TargetCurrency") }
        if let language = params["target_language"], !Self.languages.contains(language.uppercased()) { return .parameterError("TargetLanguage") }
        var categoryIDs: [Int64] = []
        if let text = params["category_ids"] {
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let id = Int64(part.trimmingCharacters(in: .whitespaces)) else { return .parameterError("CategoryIds") }
                categoryIDs.append(id)
            }
        }
        var minPrice: Decimal?, maxPrice: Decimal?
        if let text = params["min_sale_price"] {
            guard let value = DecimalText.parse(text.trimmingCharacters(in: .whitespaces)) else { return .parameterError("MinSalePrice") }
            minPrice = value
        }
        if let text = params["max_sale_price"] {
            guard let value = DecimalText.parse(text.trimmingCharacters(in: .whitespaces)) else { return .parameterError("MaxSalePrice") }
            maxPrice = value
        }
        var platform: String?
        if let value = params["platform_product_type"] {
            guard PlatformProductType(rawValue: value) != nil else { return .parameterError("PlatformProductType") }
            platform = value == "ALL" ? nil : value
        }
        let country = params["ship_to_country"].map { $0.uppercased() }
        if let country, country.count != 2 || !country.allSatisfy(\.isLetter) { return .parameterError("ShipToCountry") }

        var refs = catalog.results(keywords: params["keywords"], categoryIDs: categoryIDs, hotOnly: hotOnly)
        if minPrice != nil || maxPrice != nil || platform != nil || country != nil || sort != nil {
            refs = refs.filter { ref in
                let price = Self.convert(cents: catalog.saleCents(ref, day: day), to: currency)
                if let minPrice, price < minPrice { return false }
                if let maxPrice, price > maxPrice { return false }
                if let country, !catalog.ships(ref, to: country) { return false }
                if let platform, catalog.platformType(ref) != platform { return false }
                return true
            }
            if let sort { refs = catalog.sorted(refs, by: sort, day: day) }
        }
        let start = (pageNo - 1) * pageSize
        guard start < refs.count else { return .empty }
        let page = refs[start..<min(start + pageSize, refs.count)]
        let tracking = params["tracking_id"].flatMap { app.trackingIDs.contains($0) ? $0 : nil }
        let products = page.map {
            productJSON(catalog.product($0, day: day), currency: currency, trackingID: tracking, country: country)
        }
        return .result(.object([
            ("current_record_count", .integer(Int64(products.count))),
            ("total_record_count", .integer(Int64(refs.count))),
            ("current_page_no", .integer(Int64(pageNo))),
            ("products", .object([("product", .array(products))])),
        ]))
    }

    private func details(_ params: [String: String], app: SandboxApp, day: Int) -> BusinessOutcome {
        guard let text = params["product_ids"], !text.isEmpty else { return .missing("product_ids") }
        var ids: [Int64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let id = Int64(part.trimmingCharacters(in: .whitespaces)) else { return .parameterError("ProductIds") }
            ids.append(id)
        }
        guard !ids.isEmpty, ids.count <= 50 else { return .parameterError("ProductIds") }
        guard let currency = Self.currency(params["target_currency"]) else { return .parameterError("TargetCurrency") }
        let country = params["country"].map { $0.uppercased() }
        let tracking = params["tracking_id"].flatMap { app.trackingIDs.contains($0) ? $0 : nil }
        var seen = Set<Int64>()
        let products: [JSONValue] = ids.compactMap { id in
            guard seen.insert(id).inserted, let ref = catalog.ref(for: id) else { return nil }
            if let country, !catalog.ships(ref, to: country) { return nil }
            return productJSON(catalog.product(ref, day: day), currency: currency, trackingID: tracking, country: country)
        }
        guard !products.isEmpty else { return .empty }
        return .result(.object([
            ("current_record_count", .integer(Int64(products.count))),
            ("products", .object([("product", .array(products))])),
        ]))
    }

    private func links(_ params: [String: String], app: SandboxApp) -> BusinessOutcome {
        for name in ["promotion_link_type", "source_values", "tracking_id"] where (params[name] ?? "").isEmpty {
            return .missing(name)
        }
        guard let type = Int(params["promotion_link_type"]!), type == 0 || type == 2 else { return .parameterError("PromotionLinkType") }
        let tracking = params["tracking_id"]!
        guard app.trackingIDs.contains(tracking) else { return .parameterError("TrackingId") }
        let sources = params["source_values"]!.split(separator: ",", omittingEmptySubsequences: true).map(String.init)
        guard sources.count <= 50 else { return .parameterError("SourceValues") }
        var links: [JSONValue] = []
        var refused = 0
        for source in sources {
            guard let id = SandboxCatalog.itemID(inURL: source), let ref = catalog.ref(for: id),
                !catalog.product(ref, day: 0).linkRefused
            else {
                refused += 1
                continue
            }
            links.append(.object([
                ("promotion_link", .string(catalog.shortLink(trackingID: tracking, source: source, type: type))),
                ("source_value", .string(source)),
            ]))
        }
        state.withLock {
            $0.stats.linksGenerated += links.count
            $0.stats.linksRefused += refused
        }
        guard !links.isEmpty else { return .empty }
        return .result(.object([
            ("total_result_count", .integer(Int64(links.count))),
            ("promotion_links", .object([("promotion_link", .array(links))])),
            ("tracking_id", .string(tracking)),
        ]))
    }

    private func categories() -> BusinessOutcome {
        let list: [JSONValue] = catalog.categories.map { category in
            var members: [(String, JSONValue)] = []
            if let parent = category.parentID { members.append(("parent_category_id", .integer(parent))) }
            members.append(("category_name", .string(category.name)))
            members.append(("category_id", .integer(category.id)))
            return .object(members)
        }
        return .result(.object([
            ("total_result_count", .integer(Int64(list.count))),
            ("categories", .object([("category", .array(list))])),
        ]))
    }

    // MARK: product bodies

    private func productJSON(_ p: SandboxProduct, currency: String, trackingID: String?, country: String?) -> JSONValue {
        func money(_ usd: Decimal, _ code: String) -> JSONValue { .string(Self.format(Self.convert(usd: usd, to: code))) }
        func percent(_ value: Decimal, decimals: Int) -> JSONValue { .string(Self.format(value, scale: decimals) + "%") }
        var m: [(String, JSONValue)] = []
        if let app = p.appSaleUSD { m.append(("app_sale_price", money(app, p.storeCurrency))) }
        m.append(("original_price", money(p.originalUSD, p.storeCurrency)))
        m.append(("product_detail_url", .string(p.detailURL)))
        m.append(("product_small_image_urls", .object([("string", .array(p.imageURLs.map { .string($0) }))])))
        m.append(("second_level_category_name", .string(p.secondLevelCategoryName)))
        m.append(("target_sale_price", money(p.saleUSD, currency)))
        m.append(("second_level_category_id", .integer(p.secondLevelCategoryID)))
        m.append(("discount", .string("\(p.discountPercent)%")))
        m.append(("product_main_image_url", .string(p.mainImageURL)))
        m.append(("first_level_category_id", .integer(p.firstLevelCategoryID)))
        m.append(("target_sale_price_currency", .string(currency)))
        if p.appSaleUSD != nil { m.append(("target_app_sale_price_currency", .string(currency))) }
        m.append(("tax_rate", .string("0.00")))
        m.append(("original_price_currency", .string(p.storeCurrency)))
        m.append(("shop_url", .string(p.shopURL)))
        m.append(("target_original_price_currency", .string(currency)))
        m.append(("product_id", .integer(p.productID)))
        m.append(("target_original_price", money(p.originalUSD, currency)))
        m.append(("product_video_url", .string(p.videoURL ?? "")))
        m.append(("first_level_category_name", .string(p.firstLevelCategoryName)))
        if let trackingID { m.append(("promotion_link", .string(catalog.longLink(trackingID: trackingID, productID: p.productID)))) }
        m.append(("sku_id", .integer(p.skuID)))
        m.append(("evaluate_rate", percent(p.evaluateRate, decimals: 1)))
        m.append(("shop_name", .string(p.shopName)))
        m.append(("sale_price", money(p.saleUSD, p.storeCurrency)))
        m.append(("product_title", .string(p.title)))
        m.append(("hot_product_commission_rate", percent(p.hotCommissionRate, decimals: 1)))
        m.append(("shop_id", .integer(p.shopID)))
        if p.appSaleUSD != nil { m.append(("app_sale_price_currency", .string(p.storeCurrency))) }
        m.append(("sale_price_currency", .string(p.storeCurrency)))
        m.append(("lastest_volume", .integer(Int64(p.volume))))
        if let app = p.appSaleUSD { m.append(("target_app_sale_price", money(app, currency))) }
        m.append(("commission_rate", percent(p.commissionRate, decimals: 1)))
        if let country { m.append(("ship_to_days", .string("ship to \(country) in \(catalog.shippingDays(p.productID)) days"))) }
        return .object(m)
    }

    // MARK: helpers

    /// USD → other currencies; rates are fixed so answers are reproducible.
    public static let usdRates: [String: Decimal] = [
        "USD": 1, "CNY": Decimal(string: "7.20")!, "GBP": Decimal(string: "0.79")!, "CAD": Decimal(string: "1.36")!,
        "EUR": Decimal(string: "0.92")!, "UAH": Decimal(string: "41.20")!, "MXN": Decimal(string: "17.10")!,
        "TRY": Decimal(string: "32.50")!, "RUB": Decimal(string: "92.00")!, "BRL": Decimal(string: "5.00")!,
        "AUD": Decimal(string: "1.52")!, "INR": Decimal(string: "83.20")!, "JPY": Decimal(string: "151.00")!,
        "IDR": Decimal(string: "15800")!, "SEK": Decimal(string: "10.60")!, "KRW": Decimal(string: "1350")!,
        "ILS": Decimal(string: "3.70")!, "THB": Decimal(string: "36.00")!, "CLP": Decimal(string: "940")!,
        "VND": Decimal(string: "25000")!,
    ]

    static func currency(_ value: String?) -> String? {
        guard let value else { return "USD" }
        let code = value.uppercased()
        return usdRates[code] == nil ? nil : code
    }

    /// A USD amount in `currency`, rounded half-up to the cent.
    public static func convert(usd: Decimal, to currency: String) -> Decimal {
        var value = usd * (usdRates[currency] ?? 1)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        return rounded
    }

    static func convert(cents: Int, to currency: String) -> Decimal { convert(usd: Decimal(cents) / 100, to: currency) }

    static func format(_ value: Decimal, scale: Int = 2) -> String { DecimalText.format(value, scale: scale) }

    static func int(_ text: String?, default value: Int) -> Int? {
        guard let text else { return value }
        return Int(text.trimmingCharacters(in: .whitespaces))
    }

    /// Accepts epoch milliseconds (what the SDKs send), ISO 8601 UTC, and the legacy
    /// `yyyy-MM-dd HH:mm:ss` in GMT+8.
    static func parseTimestamp(_ text: String) -> Date? {
        if text.allSatisfy(\.isNumber), let ms = Int64(text) { return Date(timeIntervalSince1970: Double(ms) / 1000) }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)
    }

    /// The quota day, which ends at 24:00 GMT+8.
    static func quotaDay(_ date: Date) -> String {
        String(Int(((date.timeIntervalSince1970 + 8 * 3600) / 86_400).rounded(.down)))
    }

    static func secondsUntilQuotaReset(_ date: Date) -> Int {
        let shifted = date.timeIntervalSince1970 + 8 * 3600
        return max(1, Int((86_400 - shifted.truncatingRemainder(dividingBy: 86_400)).rounded(.up)))
    }

    /// Shaped like the real ids: 8 hex digits, the call time in ms, then 4 digits.
    static func requestID(now: Date, serial: UInt64, seed: UInt64) -> String {
        let h = StableHash.of(seed, serial, "request")
        let prefix = String(h >> 32, radix: 16).leftPadded(8)
        let ms = Int64((now.timeIntervalSince1970 * 1000).rounded())
        return prefix + String(ms) + String(h % 10_000).leftPadded(4)
    }

    private func gatewayError(_ code: String, _ message: String, _ requestID: String) -> GatewayReply {
        state.withLock { $0.stats.rejected[code, default: 0] += 1 }
        return Self.errorReply(code, message, requestID)
    }

    static func errorReply(_ code: String, _ message: String, _ requestID: String) -> GatewayReply {
        let body = JSONValue.object([
            ("error_response", .object([
                ("type", .string("ISV")), ("code", .string(code)), ("msg", .string(message)),
                ("request_id", .string(requestID)), ("_trace_id_", .string(traceID(requestID))),
            ]))
        ])
        return GatewayReply(status: 200, contentType: "application/json;charset=UTF-8", body: body.serialized(), delay: .zero)
    }

    static func traceID(_ requestID: String) -> String {
        String(StableHash.of(0, requestID) >> 4, radix: 16).leftPadded(15) + "e0d72"
    }

    static func businessReply(method: String, code: Int, message: String, result: JSONValue?, requestID: String) -> GatewayReply {
        var resp: [(String, JSONValue)] = []
        if let result { resp.append(("result", result)) }
        resp.append(("resp_code", .integer(Int64(code))))
        resp.append(("resp_msg", .string(message)))
        let body = JSONValue.object([
            (EnvelopeDecoder.wrapperKey(for: method), .object([
                ("resp_result", .object(resp)),
                ("request_id", .string(requestID)),
                ("_trace_id_", .string(traceID(requestID))),
            ]))
        ])
        return GatewayReply(status: 200, contentType: "application/json;charset=UTF-8", body: body.serialized(), delay: .zero)
    }
}
