public import Foundation
import Catalog

/// A fast path for the bodies a catalog run reads most: successful product pages. It walks the
/// bytes once and fills ``WireProduct`` directly, about an order of magnitude faster than
/// `JSONDecoder`. Anything it does not expect (an error body, a `resp_code` other than 200, a
/// field of an unusual type, `promo_code_info`) makes it return `nil`, and the caller decodes
/// with ``EnvelopeDecoder`` instead, so both paths give the same result.
public enum FastProductDecoder {
    /// - Parameter catalogFieldsOnly: leave out what a catalog run never reads (the detail URL,
    ///   which is rebuilt from the id, the promotion link, app prices, tax rate, platform type and
    ///   market commission), so no Strings or Decimals are made for them.
    public static func decode(_ data: Data, method: String, catalogFieldsOnly: Bool = false) -> WireProductResult? {
        let wrapper = Array(EnvelopeDecoder.wrapperKey(for: method).utf8)
        return data.withUnsafeBytes { raw -> WireProductResult? in
            var s = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            s.catalogFieldsOnly = catalogFieldsOnly
            return s.envelope(wrapper: wrapper)
        }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0
        var catalogFieldsOnly = false
        /// In catalog mode, the product's image URLs, straight from the bytes.
        var images = GatewayImages()
        /// Category and shop names and shop URLs read from this page: the products of a page
        /// share them often, and each share is one String instead of one per product (an
        /// allocation here and a free on a feed's thread).
        var recentNames: [String] = []
        /// Each recent name's length and last bytes (``nameKey(_:)``), compared before its bytes.
        var recentKeys: [UInt64] = []
        var nextName = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func ws() {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            ws()
            guard i < bytes.count, bytes[i] == byte else { return false }
            i += 1
            return true
        }

        var peek: UInt8? {
            mutating get {
                ws()
                return i < bytes.count ? bytes[i] : nil
            }
        }

        /// Iterates an object's members; `member` gets the key's place in the bytes and must consume the value.
        mutating func object(_ member: (inout Scanner, Range<Int>) -> Bool) -> Bool {
            guard take(0x7B) else { return false }
            if take(0x7D) { return true }
            while true {
                guard let key = rawKey(), take(0x3A), member(&self, key) else { return false }
                if take(0x2C) { continue }
                return take(0x7D)
            }
        }

        /// Where the next quote or backslash is, from `start`, eight bytes at a time (the end of a
        /// string, or its first escape).
        func quoteOrEscape(from start: Int) -> Int? {
            ByteScan.firstIndex(in: bytes, from: start, of: .quoteOrBackslash)
        }

        /// A key without escapes: where its bytes are (no copy is made).
        mutating func rawKey() -> Range<Int>? {
            guard take(0x22) else { return nil }
            let start = i
            guard let end = quoteOrEscape(from: i), bytes[end] == 0x22 else { return nil }
            i = end
            let key = start..<i
            i += 1
            return key
        }

        func key(_ key: Range<Int>, is name: StaticString) -> Bool {
            key.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress! + key.lowerBound, name.utf8Start, key.count) == 0
        }

        /// The bytes of a string value without escapes, or `nil` (the value is then left unread).
        mutating func plainStringBytes() -> Range<Int>? {
            ws()
            guard i < bytes.count, bytes[i] == 0x22 else { return nil }
            guard let j = quoteOrEscape(from: i + 1), bytes[j] == 0x22 else { return nil }
            let range = (i + 1)..<j
            i = j + 1
            return range
        }

        mutating func string() -> String? {
            guard take(0x22) else { return nil }
            let start = i
            guard let end = quoteOrEscape(from: i) else { return nil }
            i = end
            if bytes[i] == 0x22 {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return text
            }
            // Escapes: rare in product data, decoded the slow way.
            var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x22 {
                    i += 1
                    return String(decoding: out, as: UTF8.self)
                }
                if b != 0x5C {
                    out.append(b)
                    i += 1
                    continue
                }
                guard i + 1 < bytes.count else { return nil }
                let e = bytes[i + 1]
                i += 2
                switch e {
                case 0x22, 0x5C, 0x2F: out.append(e)
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    guard var scalar = hex4() else { return nil }
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 1 < bytes.count, bytes[i] == 0x5C, bytes[i + 1] == 0x75 else { return nil }
                        i += 2
                        guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { return nil }
                    out += Array(String(Character(unicode)).utf8)
                default: return nil
                }
            }
            return nil
        }

        mutating func hex4() -> UInt32? {
            guard i + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[i]
                i += 1
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: return nil
                }
                value = value << 4 | digit
            }
            return value
        }

        /// A JSON integer, or a string of digits (re-encoded ids).
        mutating func integer() -> Int64? {
            let quoted = take(0x22)
            ws()
            var value: Int64 = 0
            var digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                guard digits < 18 else { return nil }
                value = value * 10 + Int64(bytes[i] - 0x30)
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if quoted { guard i < bytes.count, bytes[i] == 0x22 else { return nil }; i += 1 }
            return value
        }

        mutating func isNull() -> Bool {
            ws()
            guard i + 4 <= bytes.count, bytes[i] == 0x6E, bytes[i + 1] == 0x75, bytes[i + 2] == 0x6C, bytes[i + 3] == 0x6C else { return false }
            i += 4
            return true
        }

        /// Skips any value.
        mutating func skip() -> Bool {
            guard let b = peek else { return false }
            switch b {
            case 0x22:
                // No String is made for a skipped value; one with escapes is checked the full way.
                if plainStringBytes() != nil { return true }
                return string() != nil
            case 0x7B: return object { s, _ in s.skip() }
            case 0x5B:
                i += 1
                if take(0x5D) { return true }
                while true {
                    guard skip() else { return false }
                    if take(0x2C) { continue }
                    return take(0x5D)
                }
            default:
                scan: while i < bytes.count {
                    switch bytes[i] {
                    case 0x2C, 0x7D, 0x5D, 0x20, 0x0A, 0x0D, 0x09: break scan
                    default: i += 1
                    }
                }
                return true
            }
        }

        // MARK: the shapes

        mutating func envelope(wrapper: [UInt8]) -> WireProductResult? {
            var result: WireProductResult?
            var ok = true
            guard object({ s, key in
                guard s.bytes[key].elementsEqual(wrapper) else { ok = false; return false }
                return s.object { s, key in
                    if s.key(key, is: "resp_result") {
                        result = s.respResult()
                        return result != nil
                    }
                    return s.skip()
                }
            }), ok else { return nil }
            return result
        }

        mutating func respResult() -> WireProductResult? {
            var code: Int64?
            var result: WireProductResult?
            guard object({ s, key in
                if s.key(key, is: "resp_code") {
                    code = s.integer()
                    return code != nil
                }
                if s.key(key, is: "result") {
                    result = s.result()
                    return result != nil
                }
                return s.skip()
            }), code == 200 else { return nil }
            return result
        }

        mutating func result() -> WireProductResult? {
            var counters: [String: Int] = [:]
            var products: [WireProduct] = []
            var finished: Bool?
            guard object({ s, key in
                if s.key(key, is: "products") {
                    guard let list = s.productList() else { return false }
                    products = list
                    return true
                }
                if s.key(key, is: "is_finished") {
                    guard let b = s.peek else { return false }
                    if b == 0x74 { s.i += 4; finished = true; return true }
                    if b == 0x66 { s.i += 5; finished = false; return true }
                    return false
                }
                let name = String(decoding: s.bytes[key], as: UTF8.self)
                if ["current_page_no", "current_record_count", "total_record_count", "total_page_no"].contains(name) {
                    guard let value = s.integer() else { return false }
                    counters[name] = Int(value)
                    return true
                }
                return s.skip()
            }) else { return nil }
            return WireProductResult(
                currentPageNo: counters["current_page_no"], currentRecordCount: counters["current_record_count"],
                totalRecordCount: counters["total_record_count"], totalPageNo: counters["total_page_no"], isFinished: finished,
                products: products)
        }

        /// `{"product": [...]}`; a bare object or flattened list falls back.
        mutating func productList() -> [WireProduct]? {
            var list: [WireProduct]?
            guard object({ s, _ in
                guard list == nil, s.take(0x5B) else { return false }
                var items: [WireProduct] = []
                items.reserveCapacity(50)
                if s.take(0x5D) { list = items; return true }
                while true {
                    guard s.product(appendingTo: &items) else { return false }
                    if s.take(0x2C) { continue }
                    guard s.take(0x5D) else { return false }
                    list = items
                    return true
                }
            }) else { return nil }
            return list ?? []
        }

        mutating func optionalString() -> String?? {
            if isNull() { return .some(nil) }
            guard let text = string() else { return nil }
            return .some(text.isEmpty ? nil : text)
        }

        /// ``optionalString()`` for a value that repeats across a page's products: the String
        /// made for the same bytes earlier in the page, when there is one.
        mutating func optionalRepeatedString() -> String?? {
            let start = i
            guard !isNull(), let range = plainStringBytes() else {
                i = start
                return optionalString()
            }
            if range.isEmpty { return .some(nil) }
            let text = UnsafeBufferPointer(rebasing: bytes[range])
            // Names that differ mostly differ in their length or last bytes (shop URLs share
            // their first 33): the bytes are compared only when those match. (With the key
            // words in `field`, `memcmp` went from 8.7 % of the decoder's samples to 1.4 %.)
            let key = Self.nameKey(text)
            for index in recentKeys.indices where recentKeys[index] == key {
                var name = recentNames[index]
                if name.withUTF8({ memcmp($0.baseAddress!, text.baseAddress!, text.count) == 0 }) { return .some(name) }
            }
            let name = String(decoding: text, as: UTF8.self)
            if recentNames.count < 16 {
                recentNames.append(name)
                recentKeys.append(key)
            } else {
                recentNames[nextName] = name
                recentKeys[nextName] = key
                nextName = (nextName + 1) % 16
            }
            return .some(name)
        }

        /// A name's length in the top byte, its last (up to) seven bytes below it.
        static func nameKey(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var key = UInt64(truncatingIfNeeded: text.count) << 56
            for offset in 0..<min(7, text.count) { key |= UInt64(text[text.count - 1 - offset]) << (8 * offset) }
            return key
        }

        /// A string value: a plain one (the usual case) read by `fromBytes` without making a
        /// String, else by `fromText`. `.some(nil)` for null or an empty plain string; `nil` when
        /// neither takes it (the caller then decodes the page the Codable way).
        mutating func value<T>(_ fromBytes: (UnsafeBufferPointer<UInt8>) -> T?, _ fromText: (String) -> T?) -> T?? {
            let start = i
            if let range = plainStringBytes() {
                guard !range.isEmpty else { return .some(nil) }
                if let value = fromBytes(UnsafeBufferPointer(rebasing: bytes[range])) { return .some(value) }
                i = start  // another spelling: the String path decides
            }
            guard let text = optionalString() else { return nil }
            guard let text else { return .some(nil) }
            guard let value = fromText(text) else { return nil }
            return .some(value)
        }

        /// `5.00` or `5.00 USD`, read as its number.
        mutating func decimal() -> Decimal?? {
            value({ bytes in
                DecimalText.parse(bytes: UnsafeBufferPointer(rebasing: bytes[..<(bytes.firstIndex(of: 0x20) ?? bytes.endIndex)]))
            }, { text in DecimalText.parse(text.split(separator: " ").first.map(String.init) ?? text) })
        }

        mutating func percentage() -> Percentage?? { value(Percentage.init(percentBytes:), Percentage.init(wire:)) }

        mutating func currency() -> CurrencyCode?? { value(CurrencyCode.init(ascii:), CurrencyCode.init(rawValue:)) }

        /// The product fields this decoder reads.
        enum Field: CaseIterable {
            case productID, skuID, shopID, firstLevelCategoryID, secondLevelCategoryID, lastestVolume
            case productTitle, productDetailURL, productMainImageURL, productVideoURL, shopName, shopURL
            case firstLevelCategoryName, secondLevelCategoryName, promotionLink, shipToDays, platformProductType
            case salePrice, originalPrice, appSalePrice, targetSalePrice, targetOriginalPrice, targetAppSalePrice, taxRate
            case salePriceCurrency, originalPriceCurrency, appSalePriceCurrency, targetSalePriceCurrency
            case targetOriginalPriceCurrency, targetAppSalePriceCurrency
            case discount, commissionRate, hotProductCommissionRate, relevantMarketCommissionRate, evaluateRate
            case productSmallImageURLs, promoCodeInfo

            var name: String {
                switch self {
                case .productID: "product_id"
                case .skuID: "sku_id"
                case .shopID: "shop_id"
                case .firstLevelCategoryID: "first_level_category_id"
                case .secondLevelCategoryID: "second_level_category_id"
                case .lastestVolume: "lastest_volume"
                case .productTitle: "product_title"
                case .productDetailURL: "product_detail_url"
                case .productMainImageURL: "product_main_image_url"
                case .productVideoURL: "product_video_url"
                case .shopName: "shop_name"
                case .shopURL: "shop_url"
                case .firstLevelCategoryName: "first_level_category_name"
                case .secondLevelCategoryName: "second_level_category_name"
                case .promotionLink: "promotion_link"
                case .shipToDays: "ship_to_days"
                case .platformProductType: "platform_product_type"
                case .salePrice: "sale_price"
                case .originalPrice: "original_price"
                case .appSalePrice: "app_sale_price"
                case .targetSalePrice: "target_sale_price"
                case .targetOriginalPrice: "target_original_price"
                case .targetAppSalePrice: "target_app_sale_price"
                case .taxRate: "tax_rate"
                case .salePriceCurrency: "sale_price_currency"
                case .originalPriceCurrency: "original_price_currency"
                case .appSalePriceCurrency: "app_sale_price_currency"
                case .targetSalePriceCurrency: "target_sale_price_currency"
                case .targetOriginalPriceCurrency: "target_original_price_currency"
                case .targetAppSalePriceCurrency: "target_app_sale_price_currency"
                case .discount: "discount"
                case .commissionRate: "commission_rate"
                case .hotProductCommissionRate: "hot_product_commission_rate"
                case .relevantMarketCommissionRate: "relevant_market_commission_rate"
                case .evaluateRate: "evaluate_rate"
                case .productSmallImageURLs: "product_small_image_urls"
                case .promoCodeInfo: "promo_code_info"
                }
            }

            /// Fields the pipeline never reads from a product page.
            var isUnusedByCatalog: Bool {
                switch self {
                case .productDetailURL, .promotionLink, .platformProductType, .appSalePrice, .appSalePriceCurrency, .targetAppSalePrice,
                    .targetAppSalePriceCurrency, .taxRate, .relevantMarketCommissionRate:
                    true
                default: false
                }
            }

            /// A field's name as the words ``words(_:count:)`` reads from a key.
            struct Name {
                let head: UInt64, tail: UInt64
                /// Of a name of 17 to 32 bytes, its bytes 8..<16 and the 8 before its `tail`,
                /// which with `head` and `tail` cover it (``middleWords(_:count:)``).
                let middle: UInt64, nearTail: UInt64
                let bytes: [UInt8]
                let field: Field
            }

            /// By key length: the fields of that length with their names. Made once.
            static let byLength: [[Name]] = {
                var table = Array(repeating: [Name](), count: 64)
                for field in allCases {
                    let bytes = Array(field.name.utf8)
                    let (head, tail) = bytes.withUnsafeBufferPointer { words($0.baseAddress!, count: $0.count) }
                    let (middle, nearTail) = bytes.count > 16
                        ? bytes.withUnsafeBufferPointer { middleWords($0.baseAddress!, count: $0.count) } : (0, 0)
                    table[bytes.count].append(Name(head: head, tail: tail, middle: middle, nearTail: nearTail, bytes: bytes, field: field))
                }
                return table
            }()

            /// The first and last eight bytes of a name (shorter ones zero-padded, both the same):
            /// the fields' names differ there, so a key is told from the others of its length
            /// by two word compares instead of a `memcmp` call per candidate.
            static func words(_ start: UnsafePointer<UInt8>, count: Int) -> (head: UInt64, tail: UInt64) {
                guard count >= 8 else {
                    var word: UInt64 = 0
                    for index in 0..<count { word |= UInt64(start[index]) << (8 * UInt64(index)) }
                    return (word, word)
                }
                let raw = UnsafeRawPointer(start)
                return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
            }

            /// The words at bytes 8..<16 and count-16..<count-8 of a key longer than 16 bytes.
            static func middleWords(_ start: UnsafePointer<UInt8>, count: Int) -> (UInt64, UInt64) {
                let raw = UnsafeRawPointer(start)
                return (raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self), raw.loadUnaligned(fromByteOffset: count - 16, as: UInt64.self))
            }
        }

        /// The field a key names, compared as bytes: no String is made per key. Static, on the
        /// bytes alone: as a method called on the product's `inout` scanner it copied the whole
        /// scanner (112 bytes) for every key (the member closure's own share of the decoder's
        /// profile samples 10–12 % → 3.5 %, plus 3.4 % now in this function).
        static func field(_ key: Range<Int>, of bytes: UnsafeBufferPointer<UInt8>, in table: [[Field.Name]]) -> Field? {
            guard key.count < 64 else { return nil }
            let start = bytes.baseAddress! + key.lowerBound
            let (head, tail) = Field.words(start, count: key.count)
            for name in table[key.count] where name.head == head && name.tail == tail {
                // Up to 16 bytes the two words are the whole key, up to 32 the four words (most
                // of a product's keys are 17–31 bytes, and a `memcmp` call for each was most of
                // the decoder's `memcmp` samples); longer keys are compared byte for byte.
                if key.count <= 16 { return name.field }
                if key.count <= 32 {
                    let (middle, nearTail) = Field.middleWords(start, count: key.count)
                    if middle == name.middle && nearTail == name.nearTail { return name.field }
                } else if memcmp(start, name.bytes, key.count) == 0 {
                    return name.field
                }
            }
            return nil
        }

        enum ImageKind {
            case main, small, video
        }

        /// An image URL into ``images``, from the bytes when it has no escapes. A null or empty
        /// main image or video is none (as ``optionalString()`` reads them); a small image must be a string.
        mutating func image(_ kind: ImageKind) -> Bool {
            if kind != .small && isNull() { return true }
            func add(_ url: UnsafeBufferPointer<UInt8>, to images: inout GatewayImages) {
                switch kind {
                case .main: if !url.isEmpty { images.setMain(url) }
                case .video: if !url.isEmpty { images.setVideo(url) }
                case .small: images.addSmall(url)
                }
            }
            let start = i
            if let range = plainStringBytes() {
                add(UnsafeBufferPointer(rebasing: bytes[range]), to: &images)
                return true
            }
            i = start
            guard var text = string() else { return false }
            text.withUTF8 { add($0, to: &images) }
            return true
        }

        /// `{"string": [...]}` of small image URLs.
        mutating func smallImageList(_ each: (inout Scanner) -> Bool) -> Bool {
            object { s, _ in
                guard s.take(0x5B) else { return false }
                if s.take(0x5D) { return true }
                while true {
                    guard each(&s) else { return false }
                    if s.take(0x2C) { continue }
                    return s.take(0x5D)
                }
            }
        }

        /// Decodes one product and appends it to `list`. (Appended here, not returned: the
        /// optional a decoded product came back in was copied out and destroyed, a retain and a
        /// release of every String in it, ~2 % of the load pass in a profile.)
        mutating func product(appendingTo list: inout [WireProduct]) -> Bool {
            var p = WireProduct(productID: 0)
            var hasID = false
            let names = Field.byLength
            if catalogFieldsOnly { images.removeAll() }
            let ok = object { s, key in
                let field = Scanner.field(key, of: s.bytes, in: names)
                if s.catalogFieldsOnly, let field {
                    if field.isUnusedByCatalog { return s.skip() }
                    switch field {
                    case .productMainImageURL: return s.image(.main)
                    case .productVideoURL: return s.image(.video)
                    case .productSmallImageURLs:
                        // A repeated key replaces the list, as it does below.
                        s.images.removeSmall()
                        return s.smallImageList { $0.image(.small) }
                    default: break
                    }
                }
                switch field {
                case .productID: guard let v = s.integer() else { return false }; p.productID = v; hasID = true
                case .skuID: guard let v = s.integer() else { return false }; p.skuID = v
                case .shopID: guard let v = s.integer() else { return false }; p.shopID = v
                case .firstLevelCategoryID: guard let v = s.integer() else { return false }; p.firstLevelCategoryID = v
                case .secondLevelCategoryID: guard let v = s.integer() else { return false }; p.secondLevelCategoryID = v
                case .lastestVolume: guard let v = s.integer() else { return false }; p.lastestVolume = Int(v)
                case .productTitle: guard let v = s.optionalString() else { return false }; p.title = v
                case .productDetailURL: guard let v = s.optionalString() else { return false }; p.detailURL = v
                case .productMainImageURL: guard let v = s.optionalString() else { return false }; p.mainImageURL = v
                case .productVideoURL: guard let v = s.optionalString() else { return false }; p.videoURL = v
                case .shopName: guard let v = s.optionalRepeatedString() else { return false }; p.shopName = v
                case .shopURL: guard let v = s.optionalRepeatedString() else { return false }; p.shopURL = v
                case .firstLevelCategoryName: guard let v = s.optionalRepeatedString() else { return false }; p.firstLevelCategoryName = v
                case .secondLevelCategoryName: guard let v = s.optionalRepeatedString() else { return false }; p.secondLevelCategoryName = v
                case .promotionLink: guard let v = s.optionalString() else { return false }; p.promotionLink = v
                case .shipToDays: guard let v = s.optionalString() else { return false }; p.shipToDays = v
                case .platformProductType: guard let v = s.optionalString() else { return false }; p.platformProductType = v
                case .salePrice: guard let v = s.decimal() else { return false }; p.salePrice = v
                case .originalPrice: guard let v = s.decimal() else { return false }; p.originalPrice = v
                case .appSalePrice: guard let v = s.decimal() else { return false }; p.appSalePrice = v
                case .targetSalePrice: guard let v = s.decimal() else { return false }; p.targetSalePrice = v
                case .targetOriginalPrice: guard let v = s.decimal() else { return false }; p.targetOriginalPrice = v
                case .targetAppSalePrice: guard let v = s.decimal() else { return false }; p.targetAppSalePrice = v
                case .taxRate: guard let v = s.decimal() else { return false }; p.taxRate = v
                case .salePriceCurrency: guard let v = s.currency() else { return false }; p.salePriceCurrency = v
                case .originalPriceCurrency: guard let v = s.currency() else { return false }; p.originalPriceCurrency = v
                case .appSalePriceCurrency: guard let v = s.currency() else { return false }; p.appSalePriceCurrency = v
                case .targetSalePriceCurrency: guard let v = s.currency() else { return false }; p.targetSalePriceCurrency = v
                case .targetOriginalPriceCurrency: guard let v = s.currency() else { return false }; p.targetOriginalPriceCurrency = v
                case .targetAppSalePriceCurrency: guard let v = s.currency() else { return false }; p.targetAppSalePriceCurrency = v
                case .discount: guard let v = s.percentage() else { return false }; p.discount = v
                case .commissionRate: guard let v = s.percentage() else { return false }; p.commissionRate = v
                case .hotProductCommissionRate: guard let v = s.percentage() else { return false }; p.hotProductCommissionRate = v
                case .relevantMarketCommissionRate: guard let v = s.percentage() else { return false }; p.relevantMarketCommissionRate = v
                case .evaluateRate: guard let v = s.percentage() else { return false }; p.evaluateRate = v
                case .productSmallImageURLs:
                    var urls: [String] = []
                    guard s.smallImageList({ s in
                        guard let url = s.string() else { return false }
                        urls.append(url)
                        return true
                    }) else { return false }
                    p.smallImageURLs = urls
                case .promoCodeInfo: return false
                case nil: return s.skip()
                }
                return true
            }
            guard ok && hasID else { return false }
            if catalogFieldsOnly { p.images = images.make() }
            // Swapped in: `p` is captured by the closure above, so `append(p)` copied it (and
            // `consume` is not supported on it); a swap moves the values without a copy.
            list.append(WireProduct(productID: 0))
            swap(&list[list.count - 1], &p)
            return true
        }
    }
}
