import Foundation
import Catalog

/// A coding key made at run time, for the method-named envelope keys and list wrappers.
struct DynamicKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension KeyedDecodingContainer {
    /// An Int64 sent as a JSON number (on the wire) or as a string (re-encoded captures).
    /// Never goes through `Double`: `sku_id` is above 2^53.
    func decodeFlexibleInt64IfPresent(forKey key: Key) throws -> Int64? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let value = try? decode(Int64.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key) {
            if text.isEmpty { return nil }
            if let value = Int64(text) { return value }
        }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected an integer id (number or digit string)")
    }

    func decodeFlexibleIntIfPresent(forKey key: Key) throws -> Int? {
        try decodeFlexibleInt64IfPresent(forKey: key).map { Int(truncatingIfNeeded: $0) }
    }

    /// A string, or a number/bool written as text; empty strings are absent.
    func decodeLenientStringIfPresent(forKey key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text.isEmpty ? nil : text }
        if let number = try? decode(Int64.self, forKey: key) { return String(number) }
        if let number = try? decode(Decimal.self, forKey: key) { return "\(number)" }
        if let flag = try? decode(Bool.self, forKey: key) { return String(flag) }
        throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected a string")
    }

    /// A decimal price string (`"15.68"`, tolerating `"5.00 USD"`), or a JSON number.
    func decodeDecimalIfPresent(forKey key: Key) throws -> Decimal? {
        guard let text = try decodeLenientStringIfPresent(forKey: key) else { return nil }
        let number = text.split(separator: " ").first.map(String.init) ?? text
        guard let value = DecimalText.parse(number) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected a decimal string, got \"\(text)\"")
        }
        return value
    }

    func decodePercentageIfPresent(forKey key: Key) throws -> Percentage? {
        guard let text = try decodeLenientStringIfPresent(forKey: key) else { return nil }
        guard let value = Percentage(wire: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected a percentage like \"7.0%\", got \"\(text)\"")
        }
        return value
    }

    func decodeCurrencyIfPresent(forKey key: Key) throws -> CurrencyCode? {
        guard let text = try decodeLenientStringIfPresent(forKey: key) else { return nil }
        guard let code = CurrencyCode(rawValue: text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "expected a currency code, got \"\(text)\"")
        }
        return code
    }

    /// A wrapped list (`{"product": [...]}`), a bare object where a one-element list was expected,
    /// a flattened list (`[...]`, as `simplify=true` may send), or nothing.
    func decodeWrappedListIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> [T] {
        guard contains(key), try !decodeNil(forKey: key) else { return [] }
        return try decode(WrappedList<T>.self, forKey: key).items
    }
}

/// See ``KeyedDecodingContainer/decodeWrappedListIfPresent(_:forKey:)``.
struct WrappedList<T: Decodable>: Decodable {
    var items: [T]

    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [T] = []
            while !list.isAtEnd { items.append(try list.decode(T.self)) }
            self.items = items
            return
        }
        let container = try decoder.container(keyedBy: DynamicKey.self)
        guard container.allKeys.count <= 1 else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected one list wrapper key, got \(container.allKeys.map(\.stringValue))"))
        }
        guard let key = container.allKeys.first, try !container.decodeNil(forKey: key) else {
            items = []
            return
        }
        if let list = try? container.decode([T].self, forKey: key) {
            items = list
        } else {
            items = [try container.decode(T.self, forKey: key)]
        }
    }
}

/// A string element of `product_small_image_urls.string[]`.
struct LenientString: Decodable {
    var value: String
    init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }
}
