import Foundation

/// Storefront-ready titles: no control characters, no leading formula characters (`= + - @`),
/// collapsed whitespace, keyword-stuffing repeats dropped, cut on a word boundary to a limit.
public enum TitleCleaner {
    public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n"]

    public static func clean(_ title: String, limit: Int? = nil) -> String {
        if let fast = cleanASCII(title) {
            return limit.map { truncate(fast, limit: $0) } ?? fast
        }
        return cleanGeneral(title, limit: limit)
    }

    /// Printable ASCII titles (most of them): the same rules on bytes. Titles are cleaned several
    /// times per product per feed, so words are ranges and repeats are found by comparing keys in
    /// one scratch buffer (a title has a few dozen words), with no allocation per word.
    static func cleanASCII(_ title: String) -> String? {
        var title = title
        return title.withUTF8 { bytes -> String? in
            var words: [Range<Int>] = []
            words.reserveCapacity(32)
            var start = -1
            for i in 0..<bytes.count {
                let b = bytes[i]
                guard b >= 0x20 && b < 0x7F else { return nil }
                if b == 0x20 {
                    if start >= 0 { words.append(start..<i); start = -1 }
                } else if start < 0 {
                    start = i
                }
            }
            if start >= 0 { words.append(start..<bytes.count) }
            // A word may only start the title if it does not start with = + - @.
            func isTrigger(_ b: UInt8) -> Bool { b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 }
            var first = 0
            while first < words.count {
                var word = words[first]
                while !word.isEmpty, isTrigger(bytes[word.lowerBound]) { word = (word.lowerBound + 1)..<word.upperBound }
                if word.isEmpty { first += 1 } else { words[first] = word; break }
            }
            // Keys: the word's letters (lower-cased) and digits, back to back; keys[k] is where key k is.
            var keyBytes: [UInt8] = []
            keyBytes.reserveCapacity(bytes.count)
            var keys: [Range<Int>] = []
            keys.reserveCapacity(words.count)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            for word in words[first...] {
                let keyStart = keyBytes.count
                var allDigits = true
                for i in word {
                    let b = bytes[i]
                    if b >= 0x41 && b <= 0x5A { keyBytes.append(b + 32); allDigits = false }
                    else if b >= 0x61 && b <= 0x7A { keyBytes.append(b); allDigits = false }
                    else if b >= 0x30 && b <= 0x39 { keyBytes.append(b) }
                }
                let key = keyStart..<keyBytes.count
                if key.count >= 3 && !allDigits {
                    let repeated = keyBytes.withUnsafeBufferPointer { k in
                        keys.contains { $0.count == key.count && memcmp(k.baseAddress! + $0.lowerBound, k.baseAddress! + key.lowerBound, key.count) == 0 }
                    }
                    if repeated {
                        keyBytes.removeSubrange(key)
                        continue
                    }
                    keys.append(key)
                } else {
                    keyBytes.removeSubrange(key)
                }
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[word]))
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func cleanGeneral(_ title: String, limit: Int?) -> String {
        // Control characters become spaces (a newline separates words), then whitespace collapses.
        let scalars = title.unicodeScalars.map { scalar -> Unicode.Scalar in
            (scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format && scalar.value < 0x2000)
                ? " " : scalar
        }
        var words = String(String.UnicodeScalarView(scalars)).split(whereSeparator: \.isWhitespace).map(String.init)
        // A word may only start the title if it does not start with a formula character.
        while let first = words.first, let c = first.first, formulaTriggers.contains(c) {
            let stripped = String(first.drop { formulaTriggers.contains($0) })
            if stripped.isEmpty { words.removeFirst() } else { words[0] = stripped }
        }
        words = dropRepeats(words)
        var text = words.joined(separator: " ")
        if let limit { text = truncate(text, limit: limit) }
        return text
    }

    /// Keeps the first occurrence of each word (case-insensitive, letters and digits compared);
    /// short connective words and numbers may repeat.
    static func dropRepeats(_ words: [String]) -> [String] {
        var seen = Set<String>()
        return words.filter { word in
            let key = word.lowercased().filter { $0.isLetter || $0.isNumber }
            guard key.count >= 3, !key.allSatisfy(\.isNumber) else { return true }
            return seen.insert(key).inserted
        }
    }

    /// At most `limit` Unicode scalars, cut before a word that would not fit, never inside a
    /// character (grapheme); a single over-long word is cut at a character boundary.
    public static func truncate(_ text: String, limit: Int) -> String {
        if text.utf8.count <= limit { return text }
        guard text.unicodeScalars.count > limit else { return text }
        var result = ""
        var count = 0
        var lastSpace: String.Index?
        var endsAtWord = false
        for character in text {
            let size = character.unicodeScalars.count
            if count + size > limit {
                endsAtWord = character.isWhitespace
                break
            }
            if character == " " { lastSpace = result.endIndex }
            result.append(character)
            count += size
        }
        // Drop the partial last word, unless that would throw away more than half.
        if !endsAtWord, let lastSpace, result.distance(from: result.startIndex, to: lastSpace) > limit / 2 {
            result = String(result[..<lastSpace])
        }
        while result.last == " " || result.last == "," || result.last == "-" { result.removeLast() }
        return result
    }
}

/// Text for feeds that allow no markup (Meta descriptions, Google plain text).
public enum PlainText {
    /// Removes tags and decodes the common entities, then collapses whitespace.
    public static func strippingHTML(_ text: String) -> String {
        var out = text.replacingOccurrences(of: #"<[^>]*>"#, with: " ", options: .regularExpression)
        for (entity, value) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&nbsp;", " ")] {
            out = out.replacingOccurrences(of: entity, with: value)
        }
        out = out.replacingOccurrences(of: #"&#?[A-Za-z0-9]+;"#, with: " ", options: .regularExpression)
        return out.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// `[a-z0-9-]`: accents folded, everything else a dash, no leading/trailing/double dashes.
    public static func slug(_ text: String, maxLength: Int = 60) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var out = ""
        for scalar in folded.unicodeScalars {
            if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
            if out.count >= maxLength { break }
        }
        while out.last == "-" { out.removeLast() }
        return out
    }
}
