import Foundation

/// Finds the `product_id` values of a page body in order, without decoding it: the cheap first
/// pass that tells which products repeat under later keywords.
enum ProductIDScanner {
    static let key = Array("\"product_id\"".utf8)

    static func ids(in body: Data) -> [Int64] {
        body.withUnsafeBytes { raw -> [Int64] in
            let bytes = raw.bindMemory(to: UInt8.self)
            var ids: [Int64] = []
            ids.reserveCapacity(50)
            var i = 0
            let n = bytes.count, k = key.count
            guard let base = bytes.baseAddress else { return ids }
            while i + k < n {
                // Find the key (memchr to each quote, then memcmp); only `"product_id"` as a key (followed by `:`) counts.
                guard let quote = memchr(base + i, 0x22, n - i - k) else { break }
                let at = UnsafeRawPointer(quote) - UnsafeRawPointer(base)
                // Most quotes open other keys and values: two bytes rule them out before memcmp.
                guard base[at + 1] == 0x70, base[at + k - 1] == 0x22, key.withUnsafeBytes({ memcmp(base + at, $0.baseAddress!, k) }) == 0 else {
                    i = at + 1
                    continue
                }
                var j = at + k
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x0D || bytes[j] == 0x09 { j += 1 }
                guard j < n, bytes[j] == 0x3A else { i = j; continue }
                j += 1
                while j < n, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x0D || bytes[j] == 0x09 || bytes[j] == 0x22 { j += 1 }
                var value: Int64 = 0
                var digits = 0
                while j < n, bytes[j] >= 0x30, bytes[j] <= 0x39, digits < 19 {
                    value = value * 10 + Int64(bytes[j] - 0x30)
                    digits += 1
                    j += 1
                }
                if digits > 0 { ids.append(value) }
                i = j
            }
            return ids
        }
    }
}
