public import Foundation

/// One product of the sandbox's catalog as it stands on a given day: every field the gateway
/// returns, in USD and in the store's currency, derived from the seed alone.
public struct SandboxProduct: Sendable, Hashable {
    public var productID: Int64
    public var skuID: Int64
    public var title: String
    /// The vocabulary noun this product was made from (what keywords match).
    public var noun: String
    public var firstLevelCategoryID: Int64
    public var firstLevelCategoryName: String
    public var secondLevelCategoryID: Int64
    public var secondLevelCategoryName: String
    /// Sale price in USD on ``day``, exact to the cent.
    public var saleUSD: Decimal
    /// Price before discount, in USD.
    public var originalUSD: Decimal
    /// Whole percent off (`discount`).
    public var discountPercent: Int
    /// The mobile-app price in USD, when the product has one (some real products don't).
    public var appSaleUSD: Decimal?
    /// The store's own currency (`sale_price_currency`): CNY or USD.
    public var storeCurrency: String
    public var mainImageURL: String
    public var imageURLs: [String]
    public var videoURL: String?
    public var shopID: Int64
    public var shopName: String
    public var volume: Int
    /// `evaluate_rate`, percent with one decimal.
    public var evaluateRate: Decimal
    public var commissionRate: Decimal
    public var hotCommissionRate: Decimal
    /// `link.generate` leaves this product out, as the real gateway does for some sources.
    public var linkRefused: Bool
    public var platformType: String
    public var day: Int

    public var detailURL: String { "https://www.aliexpress.com/item/\(productID).html" }
    public var shopURL: String { "https://www.aliexpress.com/store/\(shopID)" }
}

/// A product's place in the catalog: vocabulary entry and index within that entry's pool.
struct ProductRef: Hashable, Sendable {
    var entry: Int
    var serial: Int
}

/// The deterministic catalog behind the sandbox: keywords map to finite, stable result lists;
/// products recur under related keywords; prices move with the `day`.
public struct SandboxCatalog: Sendable {
    public let seed: UInt64
    let vocabulary: Vocabulary
    /// Products per vocabulary entry (benchmarks raise it to reach a million distinct products).
    public var poolSize = 5_000
    /// Result counts for a matched keyword lie in this range.
    public var resultRange: ClosedRange<Int> = 40...499

    public init(seed: UInt64 = 1) {
        self.seed = seed
        vocabulary = .standard
    }

    // MARK: ids

    /// Ids are `1005` and twelve digits; entry and serial are scrambled over all of them.
    private static let modulus: UInt64 = 1_000_000_000_000
    private static let multiplier: UInt64 = 618_033_988_749
    /// Keeps the first products from having ids full of zeros.
    private static let offset: UInt64 = 338_829_917_003
    private static let inverse: UInt64 = {
        // Modular inverse of `multiplier` modulo 10^12 by the extended Euclidean algorithm.
        var (t, newT, r, newR): (Int64, Int64, Int64, Int64) = (0, 1, Int64(modulus), Int64(multiplier))
        while newR != 0 {
            let q = r / newR
            (t, newT) = (newT, t - q * newT)
            (r, newR) = (newR, r - q * newR)
        }
        return UInt64(t < 0 ? t + Int64(modulus) : t)
    }()

    private static func multiplied(_ a: UInt64, _ b: UInt64) -> UInt64 {
        modulus.dividingFullWidth(a.multipliedFullWidth(by: b)).remainder
    }

    /// `1005` + 12 digits spread over the whole range, like the real ids (one search's results
    /// run from 1005001… to 1005008…): the products of one keyword are not neighbours, so a
    /// catalog writes them all over its tables, as it will with real data. (Ids that grouped
    /// by keyword once made the catalog writer look three times faster than it is.)
    func productID(_ ref: ProductRef) -> Int64 {
        let number = UInt64(ref.entry) * 1_000_000_000 + UInt64(ref.serial)
        return 1_005_000_000_000_000 + Int64((Self.multiplied(number, Self.multiplier) + Self.offset) % Self.modulus)
    }

    func ref(for productID: Int64) -> ProductRef? {
        let body = productID - 1_005_000_000_000_000
        guard body >= 0, body < Int64(Self.modulus) else { return nil }
        let number = Self.multiplied((UInt64(body) + Self.modulus - Self.offset) % Self.modulus, Self.inverse)
        let entry = number / 1_000_000_000, serial = number % 1_000_000_000
        guard entry < vocabulary.entries.count, serial < poolSize else { return nil }
        let ref = ProductRef(entry: Int(entry), serial: Int(serial))
        return productID == self.productID(ref) ? ref : nil
    }

    // MARK: products

    private func hash(_ ref: ProductRef, _ salt: String) -> UInt64 { StableHash.of(seed, ref.entry, ref.serial, salt) }

    /// The base price in USD cents, before the day's movement.
    func baseCents(_ ref: ProductRef) -> Int {
        let range = vocabulary.leaf(of: vocabulary.entries[ref.entry]).priceCents
        // Log-uniform, so cheap items are common and expensive ones rare.
        let low = log(Double(range.lowerBound)), high = log(Double(range.upperBound))
        let cents = exp(low + (high - low) * hash(ref, "price").unit)
        return max(range.lowerBound, Int(cents.rounded()))
    }

    /// How the price moves: most products wobble by at most 2 % a day; one in six has a sale of
    /// 15–40 % for a few days; one in twelve rises 10 % for good from some day on.
    public func priceFactorPermille(productID: Int64, day: Int) -> Int {
        guard let ref = ref(for: productID) else { return 1000 }
        return priceFactorPermille(ref, day: day)
    }

    func priceFactorPermille(_ ref: ProductRef, day: Int) -> Int {
        let kind = hash(ref, "movement")
        var factor = 1000 + Int(StableHash.of(seed, ref.entry, ref.serial, "wobble", day).below(41)) - 20
        if kind.below(6) == 0 {
            let start = 2 + Int((kind >> 8).below(12))
            let length = 2 + Int((kind >> 16).below(4))
            let cycle = 20
            let position = ((day % cycle) + cycle) % cycle
            if position >= start && position < start + length {
                factor = factor * (600 + Int((kind >> 24).below(251))) / 1000
            }
        } else if kind.below(12) == 1 {
            let from = Int((kind >> 8).below(30))
            if day >= from { factor = factor * 1100 / 1000 }
        }
        return factor
    }

    /// Sale price in USD cents on `day`.
    func saleCents(_ ref: ProductRef, day: Int) -> Int {
        max(1, (baseCents(ref) * priceFactorPermille(ref, day: day) + 500) / 1000)
    }

    func discount(_ ref: ProductRef) -> Int {
        let h = hash(ref, "discount")
        return h.below(5) == 0 ? 0 : 5 + h.below(66)
    }

    func volume(_ ref: ProductRef) -> Int {
        let u = hash(ref, "volume").unit
        return Int(u * u * u * 25_000)
    }

    func hotCommission(_ ref: ProductRef) -> Decimal {
        let h = hash(ref, "hot")
        return h.below(5) < 2 ? Decimal(7 + h.below(24)) / 2 : 0
    }

    /// Builds the full product as it stands on `day`.
    public func product(id: Int64, day: Int) -> SandboxProduct? {
        ref(for: id).map { product($0, day: day) }
    }

    func product(_ ref: ProductRef, day: Int) -> SandboxProduct {
        let entry = vocabulary.entries[ref.entry]
        let top = vocabulary.tops[entry.top]
        let leaf = top.leaves[entry.leaf]
        let id = productID(ref)
        let saleCents = saleCents(ref, day: day)
        let discount = discount(ref)
        let originalCents = discount == 0 ? saleCents : Int((Double(saleCents) * 100 / Double(100 - discount)).rounded())
        let h = hash(ref, "attributes")
        let appCents = h.below(10) < 7 ? max(1, saleCents * 97 / 100) : nil
        let shopIndex = Int((h >> 8).below(25))
        let shopHash = StableHash.of(seed, entry.top, entry.leaf, shopIndex, "shop")
        let brand = Vocabulary.brands[shopHash.below(Vocabulary.brands.count)]
        let imageCount = 3 + Int((h >> 16).below(4))
        let images = (0..<imageCount).map { imageURL(ref, $0) }
        let videoHash = hash(ref, "video")
        return SandboxProduct(
            productID: id, skuID: 12_000_000_000_000_000 + Int64(hash(ref, "sku") % 100_000_000_000),
            title: title(ref, brand: brand), noun: entry.noun,
            firstLevelCategoryID: top.id, firstLevelCategoryName: top.name,
            secondLevelCategoryID: leaf.id, secondLevelCategoryName: leaf.name,
            saleUSD: Decimal(saleCents) / 100, originalUSD: Decimal(originalCents) / 100, discountPercent: discount,
            appSaleUSD: appCents.map { Decimal($0) / 100 }, storeCurrency: (h >> 24).below(3) == 0 ? "USD" : "CNY",
            mainImageURL: images[0], imageURLs: images,
            videoURL: videoHash.below(4) == 0
                ? "https://video.aliexpress-media.com/play/u/ae_sg_item/\(2_200_000_000 + Int64(videoHash % 900_000_000))/p/1/e/6/t/10301/\(id % 10_000_000_000).mp4"
                : nil,
            shopID: 900_000_000 + Int64(shopHash % 200_000_000), shopName: "\(brand) \(Vocabulary.shopWords[(shopHash >> 8).below(Vocabulary.shopWords.count)])",
            volume: volume(ref), evaluateRate: Decimal(850 + Int(hash(ref, "rating").below(151))) / 10,
            commissionRate: Decimal(6 + Int(hash(ref, "commission").below(19))) / 2,
            hotCommissionRate: hotCommission(ref), linkRefused: hash(ref, "link").below(40) == 0,
            platformType: (h >> 32).below(8) == 0 ? "TMALL" : "PLAZA", day: day)
    }

    func imageURL(_ ref: ProductRef, _ index: Int) -> String {
        let a = StableHash.of(seed, ref.entry, ref.serial, "image", index)
        let b = StableHash.mix(a)
        let hex = String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return "https://ae-pic-a1.aliexpress-media.com/kf/S\(hex)\(letters[(b >> 40).below(letters.count)]).jpg"
    }

    /// Realistic marketplace titles; about one in twenty-three is an edge case that feeds must survive
    /// (formula characters, markup, quotes, newlines, emoji, RTL, control characters, 300+ chars).
    func title(_ ref: ProductRef, brand: String) -> String {
        let entry = vocabulary.entries[ref.entry]
        let leaf = vocabulary.leaf(of: entry)
        let h = hash(ref, "title")
        let noun = entry.noun.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
        // Every 23rd product of a noun, cycling through the kinds, so any few keywords meet them all.
        if ref.serial % 23 == 7 {
            let kind = (ref.serial / 23 + ref.entry) % SandboxCatalog.edgeTitleKinds
            return SandboxCatalog.edgeTitle(kind: kind, noun: noun, features: leaf.features)
        }
        var words: [String] = []
        if h.below(3) == 0 { words.append(Vocabulary.prefixes[(h >> 4).below(Vocabulary.prefixes.count)]) }
        if (h >> 8).below(2) == 0 { words.append(brand) }
        let featureCount = 1 + Int((h >> 12).below(4))
        var features = leaf.features
        for i in 0..<featureCount where !features.isEmpty {
            let pick = StableHash.of(h, i).below(features.count)
            let feature = features.remove(at: pick)
            if i == 0 { words.append(feature) }
            words.append(i == 0 ? noun : feature)
        }
        if (h >> 20).below(3) == 0 { words.append(Vocabulary.suffixes[(h >> 24).below(Vocabulary.suffixes.count)]) }
        return words.joined(separator: " ")
    }

    static let edgeTitleKinds = 12

    static func edgeTitle(kind: Int, noun: String, features: [String]) -> String {
        switch kind {
        case 0: return "=HYPERLINK(\"http://example.invalid\",\"\(noun)\")"
        case 1: return "+\(noun) 2-Pack, Black & White <Best> \"Deal\""
        case 2: return "@SUM(1+1) \(noun) 'Special' Edition"
        case 3: return "-50% OFF \(noun), \"Pro\" Size: 10\" x 12\"; Color: Red/Blue"
        case 4: return "\(noun) with\nline break\r\nand\ttab"
        case 5: return "\(noun) 🎧🔥 Édition naïve café – “quoted” ™"
        case 6: return "\(noun) אוזניות אלחוטיות سماعات لاسلكية"
        case 7: return "\(noun)\u{01}\u{08} Control\u{0B}\u{1F} Chars\u{7F} \u{FFFE}End"
        case 8:
            var text = "\(noun)"
            var i = 0
            while text.count < 340 {
                text += " " + features[i % features.count] + " " + noun
                i += 1
            }
            return text
        case 9: return "\(noun) \(noun) \(noun) \(noun.lowercased()) Best \(noun) \(noun)"
        case 10: return "<script>alert('x')</script> \(noun) & <b>Bold</b> &amp; More"
        default: return "   \(noun)    with   odd    spacing   "
        }
    }

    // MARK: searching

    /// Which vocabulary entries a keyword matches, best first; empty for a keyword with no results.
    func matchedEntries(keywords: String?, categoryIDs: [Int64]) -> [Int] {
        let allowed: (Vocabulary.Entry) -> Bool = { entry in
            guard !categoryIDs.isEmpty else { return true }
            let top = vocabulary.tops[entry.top]
            return categoryIDs.contains(top.id) || categoryIDs.contains(top.leaves[entry.leaf].id)
        }
        let tokens = Vocabulary.tokens(keywords ?? "").map(Self.singular)
        guard !tokens.isEmpty else { return vocabulary.entries.filter(allowed).map(\.index) }
        let query = Set(tokens)
        var scored: [(Int, Int)] = []
        for entry in vocabulary.entries where allowed(entry) {
            let score = entry.tokens.map(Self.singular).filter(query.contains).count
            if score > 0 { scored.append((entry.index, score * 100 / entry.tokens.count + score * 1000)) }
        }
        if scored.isEmpty {
            // Unknown words: most still find something (the real search is fuzzy), some nothing.
            let h = StableHash.of(seed, tokens.joined(separator: " "), "fallback")
            if h.below(4) == 0 { return [] }
            let candidates = vocabulary.entries.filter(allowed)
            guard !candidates.isEmpty else { return [] }
            let first = candidates[(h >> 8).below(candidates.count)].index
            let second = candidates[(h >> 24).below(candidates.count)].index
            return first == second ? [first] : [first, second]
        }
        let ordered = scored.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        let best = ordered[0].1
        return ordered.filter { $0.1 == best }.map(\.0) + ordered.filter { $0.1 != best }.map(\.0)
    }

    /// How many of `matchedEntries` are best matches (the rest fill every fourth slot).
    func primaryCount(keywords: String?, categoryIDs: [Int64], entries: [Int]) -> Int {
        let tokens = Set(Vocabulary.tokens(keywords ?? "").map(Self.singular))
        guard !tokens.isEmpty, let first = entries.first else { return entries.count }
        func score(_ index: Int) -> Int {
            let entryTokens = vocabulary.entries[index].tokens.map(Self.singular)
            let hits = entryTokens.filter(tokens.contains).count
            return hits * 1000 + hits * 100 / max(entryTokens.count, 1)
        }
        let best = score(first)
        return entries.prefix { score($0) == best }.count
    }

    static func singular(_ word: String) -> String {
        word.count > 3 && word.hasSuffix("s") && !word.hasSuffix("ss") ? String(word.dropLast()) : word
    }

    /// How many results a keyword has in all (`total_record_count`).
    public func totalResults(keywords: String?, categoryIDs: [Int64] = []) -> Int {
        results(keywords: keywords, categoryIDs: categoryIDs, hotOnly: false).count
    }

    /// The full, ordered result list of a search (relevance order).
    func results(keywords: String?, categoryIDs: [Int64], hotOnly: Bool) -> [ProductRef] {
        let entries = matchedEntries(keywords: keywords, categoryIDs: categoryIDs)
        guard !entries.isEmpty else { return [] }
        let key = Vocabulary.tokens(keywords ?? "").joined(separator: " ") + "|" + categoryIDs.map(String.init).joined(separator: ",")
        let spread = resultRange.upperBound - resultRange.lowerBound + 1
        let total = resultRange.lowerBound + StableHash.of(seed, key, "total").below(spread)
        var refs: [ProductRef] = []
        refs.reserveCapacity(total)
        // Extra words a noun does not have ("pro", "for kids") move the keyword to another slice of
        // that noun's products: related keywords still share products, variants add new ones.
        let known = Set(vocabulary.entries.flatMap(\.tokens).map(Self.singular))
        let extra = Vocabulary.tokens(keywords ?? "").map(Self.singular).filter { !known.contains($0) }.sorted()
        let start = extra.isEmpty ? 0 : StableHash.of(seed, extra.joined(separator: " "), "slice").below(max(poolSize / 2, 1))
        var serials = [Int](repeating: start, count: entries.count)
        let primary = max(1, primaryCount(keywords: keywords, categoryIDs: categoryIDs, entries: entries))
        let secondary = entries.count - primary
        var round = 0
        var secondaryTurn = 0
        var exhausted = 0
        while refs.count < total && exhausted < entries.count * 2 {
            // Best matches fill three slots in four, like a relevance ranking; weaker matches the rest.
            let position: Int
            if secondary > 0 && round % 4 == 3 {
                position = primary + secondaryTurn % secondary
                secondaryTurn += 1
            } else {
                position = (round - round / 4 * (secondary > 0 ? 1 : 0)) % primary
            }
            round += 1
            guard serials[position] < poolSize + start else {
                exhausted += 1
                continue
            }
            let ref = ProductRef(entry: entries[position], serial: serials[position] % poolSize)
            serials[position] += 1
            // Each keyword skips some products, so related keywords overlap without being equal.
            if StableHash.of(seed, key, ref.entry, ref.serial, "gap").below(7) == 0 { continue }
            if hotOnly && hotCommission(ref) == 0 { continue }
            refs.append(ref)
        }
        return refs
    }

    /// All categories, top level first within each branch (as `category.get` returns them).
    public var categories: [(id: Int64, name: String, parentID: Int64?)] {
        var list: [(Int64, String, Int64?)] = []
        for top in vocabulary.tops {
            list.append((top.id, top.name, nil))
            for leaf in top.leaves { list.append((leaf.id, leaf.name, top.id)) }
        }
        return list
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension SandboxCatalog {
    /// Whether the product ships to the country (searches with `ship_to_country` leave it out otherwise).
    public func ships(productID: Int64, to country: String) -> Bool {
        ref(for: productID).map { ships($0, to: country) } ?? false
    }

    /// About one product in twenty does not ship to a given country.
    func ships(_ ref: ProductRef, to country: String) -> Bool {
        hash(ref, "ships-" + country).below(20) != 0
    }

    /// Delivery days to any country (`ship_to_days`).
    public func shippingDays(_ productID: Int64) -> Int {
        [3, 5, 7, 10, 15][StableHash.of(seed, productID, "days").below(5)]
    }

    func platformType(_ ref: ProductRef) -> String {
        (hash(ref, "attributes") >> 32).below(8) == 0 ? "TMALL" : "PLAZA"
    }

    /// Orders a result list as the `sort` parameter asks; ties keep relevance order.
    func sorted(_ refs: [ProductRef], by sort: String, day: Int) -> [ProductRef] {
        let indexed = Array(refs.enumerated())
        func key(_ ref: ProductRef) -> Int {
            switch sort {
            case "SALE_PRICE_ASC", "SALE_PRICE_DESC": saleCents(ref, day: day)
            case "LAST_VOLUME_ASC", "LAST_VOLUME_DESC": volume(ref)
            default: discount(ref)
            }
        }
        let descending = sort.hasSuffix("_DESC")
        let keyed: [(position: Int, ref: ProductRef, key: Int)] = indexed.map { ($0.offset, $0.element, key($0.element)) }
        let ordered = keyed.sorted { (a, b) -> Bool in
            if a.key == b.key { return a.position < b.position }
            return descending ? a.key > b.key : a.key < b.key
        }
        return ordered.map { $0.ref }
    }

    /// The product id in an AliExpress item URL (`https://<any>.aliexpress.<tld>/item/<id>.html`,
    /// query string allowed); `nil` for anything else, such as `a.aliexpress.com/_…` short links.
    public static func itemID(inURL text: String) -> Int64? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = url.host?.lowercased(), host.contains("aliexpress.")
        else { return nil }
        let parts = url.path.split(separator: "/")
        guard parts.count == 2, parts[0] == "item", parts[1].hasSuffix(".html") else { return nil }
        return Int64(parts[1].dropLast(5))
    }

    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func base62(_ value: UInt64, length: Int) -> String {
        var v = value
        var out = ""
        for _ in 0..<length {
            out.append(base62[Int(v % 62)])
            v /= 62
        }
        return out
    }

    /// `link.generate`'s short link: depends on the tracking id, the source and the link type.
    public func shortLink(trackingID: String, source: String, type: Int) -> String {
        "https://s.click.aliexpress.com/e/_c" + Self.base62(StableHash.of(seed, trackingID, source, type, "short"), length: 7)
    }

    /// The long `promotion_link` that product searches carry when a valid tracking id is sent.
    func longLink(trackingID: String, productID: Int64) -> String {
        var text = "https://s.click.aliexpress.com/s/"
        var h = StableHash.of(seed, trackingID, productID, "long")
        for _ in 0..<12 {
            text += Self.base62(h, length: 10)
            h = StableHash.mix(h)
        }
        return text
    }
}

extension SandboxCatalog {
    /// Titles of a keyword's whole result list (tests and reports).
    public func searchTitles(keywords: String, day: Int = 0) -> [String] {
        results(keywords: keywords, categoryIDs: [], hotOnly: false).map { product($0, day: day).title }
    }

    /// Product ids of a keyword's whole result list, in relevance order.
    public func searchIDs(keywords: String) -> [Int64] {
        results(keywords: keywords, categoryIDs: [], hotOnly: false).map(productID)
    }
}
