import Foundation

/// The main image and the gallery (main image not repeated), plus an optional video.
///
/// The URLs are kept back to back in one buffer. As an optional String, an array and a String
/// per URL, a product's images were half a dozen allocations, and every copy of the product
/// (each feed's thread takes one) retained and released each of them: the largest share of the
/// reference counting on the feeds' threads. Feeds read the URLs as bytes
/// (``withImage(at:_:)``); the String properties make Strings when asked.
public struct ImageSet: Sendable, Hashable {
    /// Empty, or: a flags byte (``Flags``), the URL count (UInt32), each URL's end offset in the
    /// text (UInt32 each, little-endian), then the URLs' UTF-8 text: main, gallery, video.
    @usableFromInline var storage: [UInt8] = []

    private enum Flags {
        static let hasMain: UInt8 = 1, hasVideo: UInt8 = 2
    }

    public init(main: String? = nil, gallery: [String] = [], video: String? = nil) {
        set(main: main, gallery: gallery, video: video)
    }

    /// The same from UTF-8 bytes.
    public init(main: UnsafeBufferPointer<UInt8>?, gallery: [UnsafeBufferPointer<UInt8>], video: UnsafeBufferPointer<UInt8>?) {
        storage = gallery.withUnsafeBufferPointer { Self.pack(main: main, gallery: $0, video: video) }
    }

    /// The same, the gallery's URLs listed in a buffer (``GatewayImages`` lists them on the stack).
    init(main: UnsafeBufferPointer<UInt8>?, gallery: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, video: UnsafeBufferPointer<UInt8>?) {
        storage = Self.pack(main: main, gallery: gallery, video: video)
    }

    private mutating func set(main: String?, gallery: [String], video: String?) {
        var text: [UInt8] = []
        var ranges: [Range<Int>] = []
        for url in (main.map { [$0] } ?? []) + gallery + (video.map { [$0] } ?? []) {
            let start = text.count
            text.append(contentsOf: url.utf8)
            ranges.append(start..<text.count)
        }
        storage = text.withUnsafeBufferPointer { all -> [UInt8] in
            var urls = ranges.map { UnsafeBufferPointer(rebasing: all[$0]) }[...]
            let mainBytes = main == nil ? nil : urls.popFirst()
            let videoBytes = video == nil ? nil : urls.popLast()
            return Array(urls).withUnsafeBufferPointer { Self.pack(main: mainBytes, gallery: $0, video: videoBytes) }
        }
    }

    private static func pack(
        main: UnsafeBufferPointer<UInt8>?, gallery: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>, video: UnsafeBufferPointer<UInt8>?
    ) -> [UInt8] {
        let count = gallery.count + (main == nil ? 0 : 1) + (video == nil ? 0 : 1)
        guard count > 0 else { return [] }
        let textLength = gallery.reduce(0) { $0 + $1.count } + (main?.count ?? 0) + (video?.count ?? 0)
        // A page body is far smaller than 4 GiB, so its URLs' offsets fit 32 bits.
        precondition(textLength <= Int(UInt32.max), "image URLs too long")
        // Written in place: the load pass packs every product's images.
        return [UInt8](unsafeUninitializedCapacity: Self.header + 4 * count + textLength) { out, initialized in
            out[0] = (main == nil ? 0 : Flags.hasMain) | (video == nil ? 0 : Flags.hasVideo)
            for shift in 0..<4 { out[1 + shift] = UInt8(truncatingIfNeeded: count >> (8 * shift)) }
            var endAt = Self.header, textAt = Self.header + 4 * count, end = 0
            func add(_ url: UnsafeBufferPointer<UInt8>) {
                end += url.count
                for shift in 0..<4 { out[endAt + shift] = UInt8(truncatingIfNeeded: end >> (8 * shift)) }
                endAt += 4
                if let source = url.baseAddress { (out.baseAddress! + textAt).initialize(from: source, count: url.count) }
                textAt += url.count
            }
            if let main { add(main) }
            for url in gallery { add(url) }
            if let video { add(video) }
            initialized = textAt
        }
    }

    @usableFromInline var flags: UInt8 { storage.isEmpty ? 0 : storage[0] }

    /// The flags byte and the count.
    @usableFromInline static let header = 5

    @usableFromInline var urlCount: Int {
        guard storage.count >= Self.header else { return 0 }
        return Int(storage[1]) | Int(storage[2]) << 8 | Int(storage[3]) << 16 | Int(storage[4]) << 24
    }

    /// Whether there is a main image (then image 0 of ``withImage(at:_:)``).
    public var hasMain: Bool { flags & Flags.hasMain != 0 }

    public var hasVideo: Bool { flags & Flags.hasVideo != 0 }

    /// The main image (when there is one) and the gallery: what feeds list.
    public var imageCount: Int { urlCount - (hasVideo ? 1 : 0) }

    /// Where the gallery is among the images of ``withImage(at:_:)``.
    public var galleryIndices: Range<Int> { (hasMain ? 1 : 0)..<imageCount }

    /// The bytes of URL `index` of all the stored ones (main, gallery, video).
    // Inlinable, so the feeds and the catalog call it specialized: generic over `R` from another
    // module, each call looked up type metadata at run time.
    @inlinable
    func withURL<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { all in
            let count = urlCount
            func end(_ i: Int) -> Int {
                let at = Self.header + 4 * i
                return Int(all[at]) | Int(all[at + 1]) << 8 | Int(all[at + 2]) << 16 | Int(all[at + 3]) << 24
            }
            let text = Self.header + 4 * count
            let start = index == 0 ? 0 : end(index - 1)
            return try body(UnsafeBufferPointer(rebasing: all[(text + start)..<(text + end(index))]))
        }
    }

    private func string(_ index: Int) -> String { withURL(index) { String(decoding: $0, as: UTF8.self) } }

    /// The UTF-8 bytes of image `index` (0 is the main image when there is one, then the gallery),
    /// below ``imageCount``.
    @inlinable
    public func withImage<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        precondition(index >= 0 && index < imageCount, "image index out of range")
        return try withURL(index, body)
    }

    /// The video URL's UTF-8 bytes; `nil` without a video.
    @inlinable
    public func withVideo<R>(_ body: (UnsafeBufferPointer<UInt8>?) throws -> R) rethrows -> R {
        hasVideo ? try withURL(urlCount - 1, body) : try body(nil)
    }

    public var main: String? {
        get { hasMain ? string(0) : nil }
        set { set(main: newValue, gallery: gallery, video: video) }
    }

    public var gallery: [String] {
        get { galleryIndices.map(string) }
        set { set(main: main, gallery: newValue, video: video) }
    }

    public var video: String? {
        get { hasVideo ? string(urlCount - 1) : nil }
        set { set(main: main, gallery: gallery, video: newValue) }
    }

    /// Main image first, then the gallery.
    public var all: [String] { (0..<imageCount).map(string) }
}

extension ImageSet: Codable {
    private enum CodingKeys: String, CodingKey {
        case main, gallery, video
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            main: try container.decodeIfPresent(String.self, forKey: .main), gallery: try container.decode([String].self, forKey: .gallery),
            video: try container.decodeIfPresent(String.self, forKey: .video))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(main, forKey: .main)
        try container.encode(gallery, forKey: .gallery)
        try container.encodeIfPresent(video, forKey: .video)
    }
}

/// A product's images as the gateway lists them (`product_main_image_url`,
/// `product_small_image_urls`, `product_video_url`), collected as bytes and made into an
/// ``ImageSet``: the main image is the listed one or else the first small one; the gallery is the
/// small images without the main one or repeats, in order. The decoder collects them straight
/// from a page's bytes (one buffer reused from product to product, no String per URL).
public struct GatewayImages: Sendable {
    private var text: [UInt8] = []
    /// Where each small image is in `text`.
    private var smalls: [Span] = []
    private var main: Span?
    private var video: Range<Int>?

    /// Where a URL is in `text`, and whether it is all ASCII (then only the same bytes are the
    /// same URL: Strings compare other text by canonical equivalence).
    private struct Span: Sendable {
        var range: Range<Int>
        var isASCII: Bool
    }

    public init() {
        text.reserveCapacity(1024)
        smalls.reserveCapacity(16)
    }

    /// Starts the next product (the storage is kept).
    public mutating func removeAll() {
        text.removeAll(keepingCapacity: true)
        smalls.removeAll(keepingCapacity: true)
        main = nil
        video = nil
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) -> Span {
        let start = text.count
        text.append(contentsOf: bytes)
        let isASCII = ByteScan.firstIndex(in: bytes, of: .nonASCII) == nil
        return Span(range: start..<text.count, isASCII: isASCII)
    }

    /// Forgets the small images so far (a list given again replaces the first).
    public mutating func removeSmall() { smalls.removeAll(keepingCapacity: true) }

    public mutating func setMain(_ bytes: UnsafeBufferPointer<UInt8>) { main = add(bytes) }

    public mutating func setVideo(_ bytes: UnsafeBufferPointer<UInt8>) { video = add(bytes).range }

    public mutating func addSmall(_ bytes: UnsafeBufferPointer<UInt8>) { smalls.append(add(bytes)) }

    public mutating func setMain(_ url: String) {
        var url = url
        url.withUTF8 { setMain($0) }
    }

    public mutating func setVideo(_ url: String) {
        var url = url
        url.withUTF8 { setVideo($0) }
    }

    public mutating func addSmall(_ url: String) {
        var url = url
        url.withUTF8 { addSmall($0) }
    }

    /// The images: main, the gallery without the main one or repeats, the video.
    public func make() -> ImageSet {
        text.withUnsafeBufferPointer { all in
            func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: all[range]) }
            // Equal as Strings are: the same bytes, or (both non-ASCII) canonically equivalent.
            func same(_ a: Span, _ b: Span) -> Bool {
                if a.range.count == b.range.count, let base = all.baseAddress,
                    memcmp(base + a.range.lowerBound, base + b.range.lowerBound, a.range.count) == 0 {
                    return true
                }
                guard !a.isASCII && !b.isASCII else { return false }
                return String(decoding: bytes(a.range), as: UTF8.self) == String(decoding: bytes(b.range), as: UTF8.self)
            }
            // The main image and the gallery are small images themselves or text of their own.
            let main = main ?? smalls.first
            // The gallery is listed on the stack: two arrays per product were made here.
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: smalls.count) { kept in
                var count = 0
                if smalls.count <= 32 {
                    // A handful of images (the usual case): a linear check is cheaper than a set.
                    for (index, url) in smalls.enumerated() {
                        if let main, same(url, main) { continue }
                        if kept[..<count].contains(where: { same(smalls[$0], url) }) { continue }
                        kept[count] = index
                        count += 1
                    }
                } else {
                    // A long list does not take quadratic time: Strings hash canonically equivalent text alike.
                    var seen = Set(main.map { [String(decoding: bytes($0.range), as: UTF8.self)] } ?? [])
                    for (index, url) in smalls.enumerated() where seen.insert(String(decoding: bytes(url.range), as: UTF8.self)).inserted {
                        kept[count] = index
                        count += 1
                    }
                }
                return withUnsafeTemporaryAllocation(of: UnsafeBufferPointer<UInt8>.self, capacity: count) { gallery in
                    for position in 0..<count { gallery.initializeElement(at: position, to: bytes(smalls[kept[position]].range)) }
                    return ImageSet(main: main.map { bytes($0.range) }, gallery: UnsafeBufferPointer(gallery), video: video.map(bytes))
                }
            }
        }
    }
}
