import Foundation

/// An AliExpress product reference found in text a user pasted: an item URL in any of its common
/// forms, or a bare product id, reduced to the canonical `https://www.aliexpress.com/item/<id>.html`.
public struct ProductURL: Sendable, Hashable {
    public let productID: Int64
    /// What the user gave.
    public let original: String

    public var canonical: String { Product.canonicalURL(id: productID) }

    /// Why a text is not a product URL, in words a user can act on.
    public struct Rejection: Error, Sendable, Hashable, CustomStringConvertible {
        public let input: String
        public let reason: String
        public var description: String { "\(input): \(reason)" }
    }

    /// Accepts `https://www.aliexpress.com/item/1005006338829917.html?spm=…`, country and mobile
    /// hosts (`he.`, `es.`, `m.`, `aliexpress.ru`, `aliexpress.us`), `/i/<id>.html`,
    /// `/item/<slug>/<id>.html`, `?productId=<id>`, a missing scheme, and a bare id.
    public static func parse(_ text: String) -> Result<ProductURL, Rejection> {
        let input = text.trimmingCharacters(in: .whitespacesAndNewlines)
        func reject(_ reason: String) -> Result<ProductURL, Rejection> { .failure(Rejection(input: input, reason: reason)) }
        guard !input.isEmpty else { return reject("empty") }
        if input.allSatisfy(\.isNumber) {
            guard let id = Int64(input), isPlausible(id) else { return reject("not a product id (AliExpress ids have 10 to 17 digits)") }
            return .success(ProductURL(productID: id, original: input))
        }
        var candidate = input
        if !candidate.contains("://") { candidate = "https://" + candidate }
        guard let url = URLComponents(string: candidate), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else {
            return reject("not a URL")
        }
        guard scheme == "https" || scheme == "http" else { return reject("only http(s) links can be converted") }
        let labels = host.split(separator: ".")
        guard let aliIndex = labels.firstIndex(of: "aliexpress"), aliIndex == labels.count - 2 || (aliIndex == labels.count - 3 && labels.last!.count == 2) else {
            return reject("not an AliExpress link (host \(host))")
        }
        if labels.first == "a" || labels.first == "s" || host.hasPrefix("click.") {
            return reject("a short or affiliate link: open it in a browser and use the item URL it leads to")
        }
        if let productID = url.queryItems?.first(where: { $0.name.lowercased() == "productid" })?.value, let id = Int64(productID), isPlausible(id) {
            return .success(ProductURL(productID: id, original: input))
        }
        let parts = url.path.split(separator: "/").map(String.init)
        guard let last = parts.last, parts.count >= 2, ["item", "i"].contains(parts[0].lowercased()) || parts.contains("item") else {
            if parts.first == "store" { return reject("a store page, not a product") }
            return reject("no product in this link (expected …/item/<id>.html)")
        }
        let name = last.lowercased().hasSuffix(".html") ? String(last.dropLast(5)) : last
        guard let id = Int64(name), isPlausible(id) else { return reject("no product id in the path") }
        return .success(ProductURL(productID: id, original: input))
    }

    static func isPlausible(_ id: Int64) -> Bool { id >= 1_000_000_000 && id < 100_000_000_000_000_000 }
}
