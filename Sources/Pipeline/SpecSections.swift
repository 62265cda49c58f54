import Catalog
import Foundation
import Load
import OpenPlatform
import Transform
import Yams

extension SpecReader {
    static let rootKeys = ["name", "source", "extract", "transform", "load", "alerts"]
    static let sourceKeys = [
        "endpoint", "app_key", "app_secret", "tracking_id", "sign_method", "rate_limit", "retry", "sandbox", "daily_budget", "budget_reset",
    ]
    static let extractKeys = [
        "keywords", "keywords_file", "pages", "page_size", "sort", "min_price", "max_price", "category_ids",
        "ship_to_country", "target_currency", "target_language", "platform_product_type", "method", "product_ids", "product_ids_file",
    ]
    static let currencies = ["USD", "GBP", "CAD", "EUR", "UAH", "MXN", "TRY", "RUB", "BRL", "AUD", "INR", "JPY", "IDR", "SEK", "KRW", "ILS", "THB", "CLP", "VND"]
    static let languages = ["EN", "RU", "PT", "ES", "FR", "ID", "IT", "TH", "JA", "AR", "VI", "TR", "DE", "HE", "KO", "NL", "PL", "MX", "CL", "IW", "IN"]

    func readSpec(_ root: Node, fileURL: URL, outputDirectory: String?) -> PipelineSpec? {
        guard let entries = mapping(root, "", allowed: Self.rootKeys) else { return nil }
        let defaultName = fileURL.deletingPathExtension().lastPathComponent
        var name = defaultName
        if let node = entries["name"], let value = string(node, "name") {
            if value.range(of: #"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"#, options: .regularExpression) == nil {
                error(node, "name", "use letters, digits, '.', '_' and '-' only (it names output and state files)")
            } else {
                name = value
            }
        }
        let source = required(entries, "source", in: root, "").flatMap { readSource($0) }
        let extract = required(entries, "extract", in: root, "").flatMap { readExtract($0, fileURL: fileURL) }
        let transform = readTransform(entries["transform"])
        let load = required(entries, "load", in: root, "").flatMap { readLoad($0, outputDirectory: outputDirectory) }
        let priceDrop = entries["alerts"].flatMap { readAlerts($0) }
        guard let source, let extract, let transform, let load else { return nil }
        if transform.links.enabled, source.trackingID == nil {
            error(entries["source"], "source.tracking_id", "affiliate links need a tracking id (or set transform.affiliate_links.enabled: false)")
        }
        let hasCatalog = load.contains { $0.kind == .sqlite }
        if load.contains(where: { $0.kind == .keywordReport }), extract.keywords.isEmpty {
            error(entries["load"], "load", "a keyword_report needs keywords to report on")
        }
        if priceDrop != nil, !hasCatalog {
            error(entries["alerts"], "alerts.price_drop", "needs the price history of a sqlite sink: add '- {type: sqlite, path: …}' to load")
        }
        if transform.missingProducts == .outOfStock, !hasCatalog {
            error(entries["transform"], "transform.missing_products", "out_of_stock needs a sqlite sink that remembers earlier products")
        }
        return PipelineSpec(name: name, file: fileURL, source: source, extract: extract, transform: transform, load: load, priceDrop: priceDrop)
    }

    /// `alerts: {price_drop: {threshold: 10%, window: 30 runs | 30 days, min_observations: 3}}`.
    func readAlerts(_ node: Node) -> PriceDropRule? {
        guard let a = mapping(node, "alerts", allowed: ["price_drop"]), let dropNode = a["price_drop"] else { return nil }
        let path = "alerts.price_drop"
        guard let p = mapping(dropNode, path, allowed: ["threshold", "window", "min_observations"]) else { return nil }
        guard let thresholdNode = required(p, "threshold", in: dropNode, path),
            let threshold = decimal(thresholdNode, "\(path).threshold", allowPercent: true)
        else { return nil }
        if threshold <= 0 || threshold >= 100 { error(thresholdNode, "\(path).threshold", "must be between 0% and 100%") }
        var window = PriceWindow.runs(30)
        if let node = p["window"], let text = string(node, "\(path).window") {
            let parts = text.lowercased().split(separator: " ")
            if parts.count == 2, let n = Int(parts[0]), n > 0, ["run", "runs", "day", "days"].contains(String(parts[1])) {
                window = parts[1].hasPrefix("run") ? .runs(n) : .days(n)
            } else {
                error(node, "\(path).window", "expected a count of runs or days, such as '30 runs' or '14 days', got '\(text)'")
            }
        }
        let minimum = p["min_observations"].map { int($0, "\(path).min_observations", range: 1...10_000) } ?? 3
        guard let minimum else { return nil }
        return PriceDropRule(threshold: threshold / 100, window: window, minimumObservations: minimum)
    }

    func readSource(_ node: Node) -> PipelineSpec.SourceSpec? {
        guard let e = mapping(node, "source", allowed: Self.sourceKeys) else { return nil }
        var endpoint: PipelineSpec.Endpoint? = .sandbox
        if let value = e["endpoint"], let text = string(value, "source.endpoint") {
            endpoint = Self.endpoint(text)
            if endpoint == nil {
                error(value, "source.endpoint", "expected 'sandbox' or an http(s) URL such as https://api-sg.aliexpress.com, got '\(text)'")
            }
        }
        let appKeyNode = required(e, "app_key", in: node, "source")
        let appKey = string(appKeyNode, "source.app_key")
        let secretNode = required(e, "app_secret", in: node, "source")
        let secret = string(secretNode, "source.app_secret")
        if let secretNode, secret != nil, !usesEnvironment(secretNode) {
            warning(secretNode, "source.app_secret", "the secret is written in the file; take it from the environment: ${ALIEXPRESS_APP_SECRET}")
        }
        let tracking = e["tracking_id"].flatMap { string($0, "source.tracking_id") }
        var signMethod = SignMethod.sha256
        if let value = e["sign_method"] {
            signMethod = choice(value, "source.sign_method", SignMethod.allCases.map { ($0.rawValue, $0) }) ?? .sha256
        }
        var rateLimit = RateLimit()
        if let value = e["rate_limit"], let r = mapping(value, "source.rate_limit", allowed: ["qps", "max_in_flight", "burst"]) {
            if let qps = r["qps"].flatMap({ double($0, "source.rate_limit.qps", range: 0.01...1000) }) { rateLimit.qps = qps }
            if let inFlight = r["max_in_flight"].flatMap({ int($0, "source.rate_limit.max_in_flight", range: 1...64) }) { rateLimit.maxInFlight = inFlight }
            if let burst = r["burst"].flatMap({ int($0, "source.rate_limit.burst", range: 1...100) }) { rateLimit.burst = burst }
        }
        var retry = RetryPolicy()
        if let value = e["retry"],
            let r = mapping(value, "source.retry", allowed: ["max_attempts", "base_delay_ms", "max_delay_ms", "max_ban_retries"])
        {
            if let attempts = r["max_attempts"].flatMap({ int($0, "source.retry.max_attempts", range: 1...20) }) { retry.maxAttempts = attempts }
            if let base = r["base_delay_ms"].flatMap({ int($0, "source.retry.base_delay_ms", range: 1...600_000) }) { retry.baseDelay = .milliseconds(base) }
            if let maxDelay = r["max_delay_ms"].flatMap({ int($0, "source.retry.max_delay_ms", range: 1...3_600_000) }) { retry.maxDelay = .milliseconds(maxDelay) }
            if let bans = r["max_ban_retries"].flatMap({ int($0, "source.retry.max_ban_retries", range: 0...1000) }) { retry.maxBanRetries = bans }
        }
        var seed: UInt64 = 1
        var day: Int?
        if let value = e["sandbox"], let s = mapping(value, "source.sandbox", allowed: ["seed", "day"]) {
            if let v = s["seed"].flatMap({ int($0, "source.sandbox.seed", range: 0...Int.max) }) { seed = UInt64(v) }
            day = s["day"].flatMap { int($0, "source.sandbox.day", range: 0...1_000_000) }
        }
        let budget = e["daily_budget"].flatMap { int($0, "source.daily_budget", range: 1...100_000_000) }
        var reset = BudgetReset.gmt8
        if let value = e["budget_reset"], let chosen = choice(value, "source.budget_reset", BudgetReset.allCases.map { ($0.rawValue, $0) }) {
            reset = chosen
        }
        guard let endpoint, let appKey, let secret else { return nil }
        if appKey.isEmpty { error(appKeyNode, "source.app_key", "must not be empty") }
        if secret.isEmpty { error(secretNode, "source.app_secret", "must not be empty") }
        return PipelineSpec.SourceSpec(
            endpoint: endpoint, appKey: appKey, appSecret: Secret(secret), trackingID: tracking?.isEmpty == true ? nil : tracking,
            signMethod: signMethod, rateLimit: rateLimit, retry: retry, sandboxSeed: seed, sandboxDay: day, dailyBudget: budget,
            budgetReset: reset)
    }

    static func endpoint(_ text: String) -> PipelineSpec.Endpoint? {
        if text.lowercased() == "sandbox" { return .sandbox }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", url.host != nil
        else { return nil }
        return .url(url)
    }

    func readExtract(_ node: Node, fileURL: URL) -> PipelineSpec.ExtractSpec? {
        guard let e = mapping(node, "extract", allowed: Self.extractKeys) else { return nil }
        var keywords: [String] = []
        if let value = e["keywords"], let list = stringList(value, "extract.keywords") {
            keywords += list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var keywordsFile: String?
        if let value = e["keywords_file"], let path = string(value, "extract.keywords_file") {
            keywordsFile = path
            let url = URL(fileURLWithPath: path, relativeTo: fileURL.deletingLastPathComponent())
            if let text = try? String(contentsOf: url, encoding: .utf8) {
                keywords += KeywordFile.parse(text)
            } else {
                error(value, "extract.keywords_file", "cannot read '\(url.path)' (paths are relative to the pipeline file)")
            }
        }
        var productIDs: [Int64] = []
        func addIDs(_ texts: [String], _ node: Node?, _ path: String) {
            for (index, text) in texts.enumerated() {
                switch ProductURL.parse(text) {
                case .success(let url): productIDs.append(url.productID)
                case .failure(let rejection): error(node, "\(path)[\(index)]", "'\(text)': \(rejection.reason)")
                }
            }
        }
        if let value = e["product_ids"], let list = stringList(value, "extract.product_ids") { addIDs(list, value, "extract.product_ids") }
        if let value = e["product_ids_file"], let path = string(value, "extract.product_ids_file") {
            let url = URL(fileURLWithPath: path, relativeTo: fileURL.deletingLastPathComponent())
            if let text = try? String(contentsOf: url, encoding: .utf8) { addIDs(KeywordFile.parse(text), value, "extract.product_ids_file") }
            else { error(value, "extract.product_ids_file", "cannot read '\(url.path)' (paths are relative to the pipeline file)") }
        }
        var seenIDs = Set<Int64>()
        productIDs = productIDs.filter { seenIDs.insert($0).inserted }
        var method = OpenPlatformClient.productQueryMethod
        if let value = e["method"] {
            method = choice(value, "extract.method", [
                ("product.query", OpenPlatformClient.productQueryMethod), ("hotproduct.query", OpenPlatformClient.hotProductQueryMethod),
                (OpenPlatformClient.productQueryMethod, OpenPlatformClient.productQueryMethod),
                (OpenPlatformClient.hotProductQueryMethod, OpenPlatformClient.hotProductQueryMethod),
            ]) ?? method
        }
        let hasIDs = e["product_ids"] != nil || e["product_ids_file"] != nil
        if e["keywords"] == nil && e["keywords_file"] == nil && !hasIDs {
            error(node, "extract.keywords", "missing required field 'keywords' (or 'keywords_file', 'product_ids')")
        } else if keywords.isEmpty && !hasIDs && !diagnostics.contains(where: { $0.path.hasPrefix("extract.keywords") }) {
            error(e["keywords"] ?? e["keywords_file"], "extract.keywords", "no keywords: give at least one")
        }
        var seen = Set<String>()
        keywords = keywords.filter { seen.insert($0.lowercased()).inserted }
        let pages = e["pages"].map { int($0, "extract.pages", range: 1...100) } ?? 1
        let pageSize = e["page_size"].map { int($0, "extract.page_size", range: 1...50) } ?? 50
        let sort = e["sort"].flatMap { choice($0, "extract.sort", ProductSort.allCases.map { ($0.rawValue, $0) }) }
        let minPrice = e["min_price"].flatMap { decimal($0, "extract.min_price") }
        let maxPrice = e["max_price"].flatMap { decimal($0, "extract.max_price") }
        if let minPrice, let maxPrice, minPrice > maxPrice {
            error(e["max_price"], "extract.max_price", "is below min_price (\(minPrice))")
        }
        var categoryIDs: [Int64] = []
        if let value = e["category_ids"], let list = stringList(value, "extract.category_ids") {
            for (index, text) in list.enumerated() {
                if let id = Int64(text.trimmingCharacters(in: .whitespaces)), id > 0 { categoryIDs.append(id) }
                else { error(value, "extract.category_ids[\(index)]", "expected a category id (a positive number), got '\(text)'") }
            }
        }
        var ship: String?
        if let value = e["ship_to_country"], let text = string(value, "extract.ship_to_country") {
            if text.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) { ship = text.uppercased() }
            else { error(value, "extract.ship_to_country", "expected a two-letter ISO country code such as US, got '\(text)'") }
        }
        let currency = e["target_currency"].map { choice($0, "extract.target_currency", Self.currencies.map { ($0, $0) }) } ?? "USD"
        let language = e["target_language"].map { choice($0, "extract.target_language", Self.languages.map { ($0, $0) }) } ?? "EN"
        let platform = e["platform_product_type"].flatMap {
            choice($0, "extract.platform_product_type", PlatformProductType.allCases.map { ($0.rawValue, $0) })
        }
        guard let pages, let pageSize, let currency, let language else { return nil }
        return PipelineSpec.ExtractSpec(
            keywords: keywords, keywordsFile: keywordsFile, pages: pages, pageSize: pageSize, sort: sort, minPrice: minPrice,
            maxPrice: maxPrice, categoryIDs: categoryIDs, shipToCountry: ship, targetCurrency: currency, targetLanguage: language,
            platformProductType: platform, method: method, productIDs: productIDs)
    }

    func readTransform(_ node: Node?) -> PipelineSpec.TransformSpec? {
        var links = PipelineSpec.LinkSpec(enabled: true, promotionLinkType: .normal, batchSize: 50)
        var filters = PipelineSpec.FilterSpec()
        var dedupe = true
        guard let node else { return PipelineSpec.TransformSpec(links: links, filters: filters, dedupe: dedupe) }
        guard let e = mapping(node, "transform", allowed: ["affiliate_links", "filters", "dedupe", "pricing", "missing_products"]) else { return nil }
        if let value = e["affiliate_links"],
            let l = mapping(value, "transform.affiliate_links", allowed: ["enabled", "promotion_link_type", "batch_size"])
        {
            if let enabled = l["enabled"].flatMap({ bool($0, "transform.affiliate_links.enabled") }) { links.enabled = enabled }
            if let type = l["promotion_link_type"].flatMap({
                choice($0, "transform.affiliate_links.promotion_link_type", [("0", PromotionLinkType.normal), ("2", .hot), ("normal", .normal), ("hot", .hot)])
            }) { links.promotionLinkType = type }
            if let size = l["batch_size"].flatMap({ int($0, "transform.affiliate_links.batch_size", range: 1...50) }) { links.batchSize = size }
        }
        if let value = e["filters"],
            let f = mapping(value, "transform.filters", allowed: ["min_price", "max_price", "min_rating", "min_volume", "min_commission"])
        {
            filters.minPrice = f["min_price"].flatMap { decimal($0, "transform.filters.min_price") }
            filters.maxPrice = f["max_price"].flatMap { decimal($0, "transform.filters.max_price") }
            filters.minRating = f["min_rating"].flatMap { decimal($0, "transform.filters.min_rating", allowPercent: true) }
            filters.minVolume = f["min_volume"].flatMap { int($0, "transform.filters.min_volume", range: 0...Int.max) }
            filters.minCommission = f["min_commission"].flatMap { decimal($0, "transform.filters.min_commission", allowPercent: true) }
            if let rating = filters.minRating, rating > 100 { error(f["min_rating"], "transform.filters.min_rating", "is a percentage: 0...100") }
            if let low = filters.minPrice, let high = filters.maxPrice, low > high {
                error(f["max_price"], "transform.filters.max_price", "is below min_price (\(low))")
            }
        }
        if let value = e["dedupe"], let flag = bool(value, "transform.dedupe") { dedupe = flag }
        let pricing = e["pricing"].flatMap { readPricing($0) }
        var missing = PipelineSpec.MissingProducts.drop
        if let value = e["missing_products"],
            let chosen = choice(value, "transform.missing_products", PipelineSpec.MissingProducts.allCases.map { ($0.rawValue, $0) })
        {
            missing = chosen
        }
        return PipelineSpec.TransformSpec(links: links, filters: filters, dedupe: dedupe, pricing: pricing, missingProducts: missing)
    }

    /// `pricing: {multiplier, add, tiers: [{below, multiplier, add}], rounding, compare_at, min_margin}`.
    func readPricing(_ node: Node) -> PriceRule? {
        let path = "transform.pricing"
        guard let p = mapping(node, path, allowed: ["multiplier", "add", "tiers", "rounding", "compare_at", "min_margin"]) else { return nil }
        let multiplier = p["multiplier"].map { decimal($0, "\(path).multiplier") } ?? 1
        let add = p["add"].map { decimal($0, "\(path).add") } ?? 0
        var tiers: [PriceTier] = []
        if let list = p["tiers"] {
            if case .sequence(let items) = list {
                var previous: Decimal?
                for (index, item) in items.enumerated() {
                    let tierPath = "\(path).tiers[\(index)]"
                    guard let t = mapping(item, tierPath, allowed: ["below", "multiplier", "add"]) else { continue }
                    guard let belowNode = required(t, "below", in: item, tierPath), let below = decimal(belowNode, "\(tierPath).below") else { continue }
                    if let previous, below <= previous {
                        error(belowNode, "\(tierPath).below", "tiers must go up: \(below) is not above \(previous)")
                    }
                    previous = below
                    let m = t["multiplier"].map { decimal($0, "\(tierPath).multiplier") } ?? 1
                    let a = t["add"].map { decimal($0, "\(tierPath).add") } ?? 0
                    if let m, let a { tiers.append(PriceTier(maxCost: below, multiplier: m, add: a)) }
                }
            } else {
                error(list, "\(path).tiers", "expected a list such as '- {below: 10, multiplier: 2.5}'")
            }
        }
        var rounding = PriceRounding.cents
        if let value = p["rounding"], let text = string(value, "\(path).rounding") {
            switch text.lowercased() {
            case "none", "cents": rounding = .cents
            case "whole": rounding = .whole
            default:
                let normalized = text.hasPrefix(".") ? "0" + text : text
                if let ending = Decimal(string: normalized, locale: Locale(identifier: "en_US_POSIX")), ending >= 0, ending < 1,
                    normalized.range(of: #"^0\.[0-9]{1,2}$"#, options: .regularExpression) != nil
                {
                    rounding = .ending(ending)
                } else {
                    error(value, "\(path).rounding", "expected none, whole or an ending such as .99 or .95, got '\(text)'")
                }
            }
        }
        var compareAt = true
        if let value = p["compare_at"] {
            compareAt = choice(value, "\(path).compare_at", [("original", true), ("none", false)]) ?? true
        }
        var minimumMargin: Decimal?
        if let value = p["min_margin"], let margin = decimal(value, "\(path).min_margin", allowPercent: true) {
            if margin >= 100 { error(value, "\(path).min_margin", "must be below 100%") } else { minimumMargin = margin / 100 }
        }
        guard let multiplier, let add else { return nil }
        if multiplier <= 0 { error(p["multiplier"], "\(path).multiplier", "must be above 0") }
        tiers.append(PriceTier(maxCost: nil, multiplier: multiplier, add: add))
        return PriceRule(tiers: tiers, rounding: rounding, minimumMargin: minimumMargin, compareAtFromOriginal: compareAt)
    }

    func readLoad(_ node: Node, outputDirectory: String?) -> [PipelineSpec.SinkSpec]? {
        guard case .sequence(let items) = node else {
            error(node, "load", "expected a list of sinks such as '- {type: csv, path: output/x.csv}', got \(Self.kind(of: node))")
            return nil
        }
        if items.isEmpty { error(node, "load", "no sinks: add at least one of sqlite, csv, xml") }
        var sinks: [PipelineSpec.SinkSpec] = []
        var paths: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let path = "load[\(index)]"
            guard let e = mapping(item, path, allowed: Self.sinkKeys) else { continue }
            let kind = required(e, "type", in: item, path).flatMap {
                choice($0, "\(path).type", PipelineSpec.SinkSpec.Kind.allCases.map { ($0.rawValue, $0) })
            }
            guard let pathNode = required(e, "path", in: item, path), var file = string(pathNode, "\(path).path") else { continue }
            if let outputDirectory, !file.hasPrefix("/") {
                file = (outputDirectory as NSString).appendingPathComponent(file)
            }
            if let problem = Self.writabilityProblem(file) { error(pathNode, "\(path).path", problem) }
            if let other = paths[file] { error(pathNode, "\(path).path", "the same file as load[\(other)].path") }
            paths[file] = index
            var profile = FeedProfile.generic
            if kind == .keywordReport, !file.hasSuffix(".csv") {
                error(pathNode, "\(path).path", "a keyword report is a .csv file (the JSON is written beside it)")
            }
            if let value = e["profile"], let kind {
                let allowed: [FeedProfile] = kind == .csv ? FeedProfile.csvProfiles : kind == .xml ? FeedProfile.xmlProfiles : []
                if allowed.isEmpty {
                    error(value, "\(path).profile", "a \(kind.rawValue) sink has no profiles")
                } else if let chosen = choice(value, "\(path).profile", allowed.map { ($0.rawValue, $0) }) {
                    profile = chosen
                }
            }
            let options = readFeedOptions(e, path: path, kind: kind, profile: profile)
            if let kind { sinks.append(PipelineSpec.SinkSpec(kind: kind, path: file, profile: profile, options: options)) }
        }
        return sinks
    }

    static let sinkKeys = [
        "type", "path", "profile", "vendor", "status", "woocommerce_type", "button_text", "link_template", "channel_title",
        "channel_link", "channel_description", "max_images", "spreadsheet_safe",
    ]

    func readFeedOptions(_ e: [String: Node], path: String, kind: PipelineSpec.SinkSpec.Kind?, profile: FeedProfile) -> FeedOptions {
        var options = FeedOptions()
        // Options that the chosen profile would ignore are reported, not silently dropped.
        let applies: [String: [FeedProfile]] = [
            "vendor": [.shopify, .shopifyLegacy, .googleMerchant, .meta], "status": [.shopify, .shopifyLegacy],
            "woocommerce_type": [.woocommerce], "button_text": [.woocommerce], "link_template": [.googleMerchant, .meta],
            "channel_title": [.googleMerchant, .meta], "channel_link": [.googleMerchant, .meta],
            "channel_description": [.googleMerchant, .meta], "max_images": [.shopify, .shopifyLegacy, .woocommerce, .googleMerchant, .meta],
            "spreadsheet_safe": FeedProfile.csvProfiles,
        ]
        for (key, profiles) in applies where e[key] != nil {
            let fits = profiles.contains(profile) && (key != "spreadsheet_safe" || kind == .csv)
            if !fits { error(e[key], "\(path).\(key)", "does not apply to a \(kind?.rawValue ?? "") sink with profile \(profile.rawValue)") }
        }
        if let v = e["vendor"].flatMap({ string($0, "\(path).vendor") }) {
            if v.trimmingCharacters(in: .whitespaces).count < 2 { error(e["vendor"], "\(path).vendor", "must be at least 2 characters") }
            options.vendor = v
        }
        if let v = e["status"].flatMap({ choice($0, "\(path).status", [("active", "active"), ("draft", "draft")]) }) { options.status = v }
        if let v = e["woocommerce_type"].flatMap({ choice($0, "\(path).woocommerce_type", WooCommerceType.allCases.map { ($0.rawValue, $0) }) }) {
            options.wooType = v
        }
        if let v = e["button_text"].flatMap({ string($0, "\(path).button_text") }) { options.buttonText = v }
        if let node = e["link_template"], let v = string(node, "\(path).link_template") {
            if !(v.hasPrefix("https://") || v.hasPrefix("http://")) { error(node, "\(path).link_template", "must be an http(s) URL, e.g. https://shop.example/products/{handle}") }
            options.linkTemplate = v
        }
        if let v = e["channel_title"].flatMap({ string($0, "\(path).channel_title") }) { options.channelTitle = v }
        if let v = e["channel_link"].flatMap({ string($0, "\(path).channel_link") }) { options.channelLink = v }
        if let v = e["channel_description"].flatMap({ string($0, "\(path).channel_description") }) { options.channelDescription = v }
        if let v = e["max_images"].flatMap({ int($0, "\(path).max_images", range: 1...(profile == .meta ? 21 : profile == .googleMerchant ? 11 : 250)) }) {
            options.maxImages = v
        }
        if let v = e["spreadsheet_safe"].flatMap({ bool($0, "\(path).spreadsheet_safe") }) { options.spreadsheetSafe = v }
        return options
    }

    /// Why a file could not be written there, or `nil` when it can.
    static func writabilityProblem(_ path: String) -> String? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "'\(path)' is a directory" }
        }
        var directory = (path as NSString).deletingLastPathComponent
        if directory.isEmpty { directory = "." }
        // The nearest existing ancestor must be a writable directory (missing ones are created).
        while !manager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            let parent = (directory as NSString).deletingLastPathComponent
            if parent == directory || parent.isEmpty { directory = "."; break }
            directory = parent
        }
        guard manager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "cannot create a file under '\(directory)': it is not a directory"
        }
        guard manager.isWritableFile(atPath: directory) else { return "the directory '\(directory)' is not writable" }
        return nil
    }
}

/// Keyword files: one keyword per line, `#` starts a comment, blank lines ignored.
public enum KeywordFile {
    public static func parse(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let keyword = content.trimmingCharacters(in: .whitespaces)
            return keyword.isEmpty ? nil : keyword
        }
    }
}
