public import Foundation

/// Storefront-ready titles: no control characters, no leading formula characters (`= + - @`),
/// collapsed whitespace, keyword-stuffing repeats dropped, cut on a word boundary to a limit.
public enum TitleCleaner {
    public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n"]

    public static func clean(_ title: String, limit: Int? = nil) -> String {
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
