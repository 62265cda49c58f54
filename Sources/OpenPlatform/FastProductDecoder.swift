public import Foundation
import Catalog

/// A fast path for the bodies a catalog run reads most: successful product pages. It walks the
/// bytes once and fills ``WireProduct`` directly, about an order of magnitude faster than
/// `JSONDecoder`. Anything it does not expect (an error body, a `resp_code` other than 200, a
/// field of an unusual type, `promo_code_info`) makes it return `nil`, and the caller decodes
/// with ``EnvelopeDecoder`` instead, so both paths give the same result.
public enum FastProductDecoder {
    public static func decode(_ data: Data, method: String) -> WireProductResult? {
        let wrapper = Array(EnvelopeDecoder.wrapperKey(for: method).utf8)
        return data.withUnsafeBytes { raw -> WireProductResult? in
            var s = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return s.envelope(wrapper: wrapper)
        }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var i = 0

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

        /// Iterates an object's members; `member` gets the raw key bytes and must consume the value.
        mutating func object(_ member: (inout Scanner, ArraySlice<UInt8>) -> Bool) -> Bool {
            guard take(0x7B) else { return false }
            if take(0x7D) { return true }
            while true {
                guard let key = rawKey(), take(0x3A), member(&self, key) else { return false }
                if take(0x2C) { continue }
                return take(0x7D)
            }
        }

        /// A key without escapes, as bytes.
        mutating func rawKey() -> ArraySlice<UInt8>? {
            guard take(0x22) else { return nil }
            let start = i
            while i < bytes.count, bytes[i] != 0x22 {
                if bytes[i] == 0x5C { return nil }
                i += 1
            }
            guard i < bytes.count else { return nil }
            let key = ArraySlice(UnsafeBufferPointer(rebasing: bytes[start..<i]))
            i += 1
            return key
        }

        mutating func string() -> String? {
            guard take(0x22) else { return nil }
            let start = i
            while i < bytes.count, bytes[i] != 0x22, bytes[i] != 0x5C { i += 1 }
            guard i < bytes.count else { return nil }
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
            case 0x22: return string() != nil
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
                while i < bytes.count, ![0x2C, 0x7D, 0x5D, 0x20, 0x0A, 0x0D, 0x09].contains(bytes[i]) { i += 1 }
                return true
            }
        }

        // MARK: the shapes

        mutating func envelope(wrapper: [UInt8]) -> WireProductResult? {
            var result: WireProductResult?
            var ok = true
            guard object({ s, key in
                guard key.elementsEqual(wrapper) else { ok = false; return false }
                return s.object { s, key in
                    if key.elementsEqual("resp_result".utf8) {
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
                if key.elementsEqual("resp_code".utf8) {
                    code = s.integer()
                    return code != nil
                }
                if key.elementsEqual("result".utf8) {
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
                if key.elementsEqual("products".utf8) {
                    guard let list = s.productList() else { return false }
                    products = list
                    return true
                }
                if key.elementsEqual("is_finished".utf8) {
                    guard let b = s.peek else { return false }
                    if b == 0x74 { s.i += 4; finished = true; return true }
                    if b == 0x66 { s.i += 5; finished = false; return true }
                    return false
                }
                let name = String(decoding: key, as: UTF8.self)
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
                    guard let product = s.product() else { return false }
                    items.append(product)
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

        mutating func decimal() -> Decimal?? {
            guard let text = optionalString() else { return nil }
            guard let text else { return .some(nil) }
            let number = text.split(separator: " ").first.map(String.init) ?? text
            guard let value = DecimalText.parse(number) else { return nil }
            return .some(value)
        }

        mutating func percentage() -> Percentage?? {
            guard let text = optionalString() else { return nil }
            guard let text else { return .some(nil) }
            guard let value = Percentage(wire: text) else { return nil }
            return .some(value)
        }

        mutating func currency() -> CurrencyCode?? {
            guard let text = optionalString() else { return nil }
            guard let text else { return .some(nil) }
            guard let code = CurrencyCode(rawValue: text) else { return nil }
            return .some(code)
        }

        /// Field names by length, compared as bytes: no String is made per key.
        static let fieldNames: [Int: [([UInt8], String)]] = Dictionary(grouping: [
            "product_id", "sku_id", "shop_id", "first_level_category_id", "second_level_category_id", "lastest_volume",
            "product_title", "product_detail_url", "product_main_image_url", "product_video_url", "shop_name", "shop_url",
            "first_level_category_name", "second_level_category_name", "promotion_link", "ship_to_days", "platform_product_type",
            "sale_price", "original_price", "app_sale_price", "target_sale_price", "target_original_price", "target_app_sale_price",
            "tax_rate", "sale_price_currency", "original_price_currency", "app_sale_price_currency", "target_sale_price_currency",
            "target_original_price_currency", "target_app_sale_price_currency", "discount", "commission_rate",
            "hot_product_commission_rate", "relevant_market_commission_rate", "evaluate_rate", "product_small_image_urls",
            "promo_code_info",
        ].map { (Array($0.utf8), $0) }, by: { $0.0.count })

        static func fieldName(_ key: ArraySlice<UInt8>) -> String {
            guard let candidates = fieldNames[key.count] else { return "" }
            for (bytes, name) in candidates where key.elementsEqual(bytes) { return name }
            return ""
        }

        mutating func product() -> WireProduct? {
            var p = WireProduct(productID: 0)
            var hasID = false
            let ok = object { s, key in
                switch Self.fieldName(key) {
                case "product_id": guard let v = s.integer() else { return false }; p.productID = v; hasID = true
                case "sku_id": guard let v = s.integer() else { return false }; p.skuID = v
                case "shop_id": guard let v = s.integer() else { return false }; p.shopID = v
                case "first_level_category_id": guard let v = s.integer() else { return false }; p.firstLevelCategoryID = v
                case "second_level_category_id": guard let v = s.integer() else { return false }; p.secondLevelCategoryID = v
                case "lastest_volume": guard let v = s.integer() else { return false }; p.lastestVolume = Int(v)
                case "product_title": guard let v = s.optionalString() else { return false }; p.title = v
                case "product_detail_url": guard let v = s.optionalString() else { return false }; p.detailURL = v
                case "product_main_image_url": guard let v = s.optionalString() else { return false }; p.mainImageURL = v
                case "product_video_url": guard let v = s.optionalString() else { return false }; p.videoURL = v
                case "shop_name": guard let v = s.optionalString() else { return false }; p.shopName = v
                case "shop_url": guard let v = s.optionalString() else { return false }; p.shopURL = v
                case "first_level_category_name": guard let v = s.optionalString() else { return false }; p.firstLevelCategoryName = v
                case "second_level_category_name": guard let v = s.optionalString() else { return false }; p.secondLevelCategoryName = v
                case "promotion_link": guard let v = s.optionalString() else { return false }; p.promotionLink = v
                case "ship_to_days": guard let v = s.optionalString() else { return false }; p.shipToDays = v
                case "platform_product_type": guard let v = s.optionalString() else { return false }; p.platformProductType = v
                case "sale_price": guard let v = s.decimal() else { return false }; p.salePrice = v
                case "original_price": guard let v = s.decimal() else { return false }; p.originalPrice = v
                case "app_sale_price": guard let v = s.decimal() else { return false }; p.appSalePrice = v
                case "target_sale_price": guard let v = s.decimal() else { return false }; p.targetSalePrice = v
                case "target_original_price": guard let v = s.decimal() else { return false }; p.targetOriginalPrice = v
                case "target_app_sale_price": guard let v = s.decimal() else { return false }; p.targetAppSalePrice = v
                case "tax_rate": guard let v = s.decimal() else { return false }; p.taxRate = v
                case "sale_price_currency": guard let v = s.currency() else { return false }; p.salePriceCurrency = v
                case "original_price_currency": guard let v = s.currency() else { return false }; p.originalPriceCurrency = v
                case "app_sale_price_currency": guard let v = s.currency() else { return false }; p.appSalePriceCurrency = v
                case "target_sale_price_currency": guard let v = s.currency() else { return false }; p.targetSalePriceCurrency = v
                case "target_original_price_currency": guard let v = s.currency() else { return false }; p.targetOriginalPriceCurrency = v
                case "target_app_sale_price_currency": guard let v = s.currency() else { return false }; p.targetAppSalePriceCurrency = v
                case "discount": guard let v = s.percentage() else { return false }; p.discount = v
                case "commission_rate": guard let v = s.percentage() else { return false }; p.commissionRate = v
                case "hot_product_commission_rate": guard let v = s.percentage() else { return false }; p.hotProductCommissionRate = v
                case "relevant_market_commission_rate": guard let v = s.percentage() else { return false }; p.relevantMarketCommissionRate = v
                case "evaluate_rate": guard let v = s.percentage() else { return false }; p.evaluateRate = v
                case "product_small_image_urls":
                    var urls: [String] = []
                    guard s.object({ s, _ in
                        guard s.take(0x5B) else { return false }
                        if s.take(0x5D) { return true }
                        while true {
                            guard let url = s.string() else { return false }
                            urls.append(url)
                            if s.take(0x2C) { continue }
                            return s.take(0x5D)
                        }
                    }) else { return false }
                    p.smallImageURLs = urls
                case "promo_code_info": return false
                default: return s.skip()
                }
                return true
            }
            return ok && hasID ? p : nil
        }
    }
}
