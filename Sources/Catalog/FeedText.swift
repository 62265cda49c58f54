import Foundation

/// Storefront-ready titles: no control characters, no leading formula characters (`= + - @`),
/// collapsed whitespace, keyword-stuffing repeats dropped, cut on a word boundary to a limit.
public enum TitleCleaner {
    public static let formulaTriggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\n"]

    public static func clean(_ title: String, limit: Int? = nil) -> String {
        if let fast = cleanASCII(title) ?? cleanScalars(title) {
            return limit.map { truncate(fast, limit: $0) } ?? fast
        }
        return cleanGeneral(title, limit: limit)
    }

    /// Printable ASCII titles (most of them): the same rules on bytes. Titles are cleaned several
    /// times per product per feed, so words are ranges, repeats are found by comparing keys in one
    /// scratch buffer (a title has a few dozen words), scratch space is temporary (on the stack
    /// for titles of usual length); a title with nothing to drop is returned as it is.
    static func cleanASCII(_ title: String) -> String? {
        var title = title
        // `.some(nil)`: printable ASCII and already clean.
        let cleaned = title.withUTF8 { bytes -> String?? in
            guard ByteScan.isPrintableASCII(bytes) else { return .none }
            if isCleanASCII(bytes) { return .some(nil) }
            let n = bytes.count
            // Word i is bounds[2i]..<bounds[2i+1]; key k is keyBounds[2k]..<keyBounds[2k+1] in keyBytes.
            let maxWords = n / 2 + 1
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * maxWords) { scratch -> String? in
                let bounds = UnsafeMutableBufferPointer(rebasing: scratch[0..<(2 * maxWords)])
                let keyBounds = UnsafeMutableBufferPointer(rebasing: scratch[(2 * maxWords)...])
                var words = 0
                var start = -1
                for i in 0..<n {
                    if bytes[i] == 0x20 {
                        if start >= 0 { bounds[2 * words] = start; bounds[2 * words + 1] = i; words += 1; start = -1 }
                    } else if start < 0 {
                        start = i
                    }
                }
                if start >= 0 { bounds[2 * words] = start; bounds[2 * words + 1] = n; words += 1 }
                // A word may only start the title if it does not start with = + - @.
                func isTrigger(_ b: UInt8) -> Bool { b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 }
                var first = 0
                while first < words {
                    while bounds[2 * first] < bounds[2 * first + 1], isTrigger(bytes[bounds[2 * first]]) { bounds[2 * first] += 1 }
                    if bounds[2 * first] < bounds[2 * first + 1] { break }
                    first += 1
                }
                return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2 * max(n, 1)) { scratchBytes -> String? in
                    // Keys: the word's letters (lower-cased) and digits, back to back.
                    let keyBytes = UnsafeMutableBufferPointer(rebasing: scratchBytes[..<max(n, 1)])
                    let out = UnsafeMutableBufferPointer(rebasing: scratchBytes[max(n, 1)...])
                    var keyEnd = 0, keys = 0
                    let length = { () -> Int in
                        var length = 0
                        for w in first..<max(first, words) {
                            let lower = bounds[2 * w], upper = bounds[2 * w + 1]
                            let keyStart = keyEnd
                            var allDigits = true
                            for i in lower..<upper {
                                guard let key = keyByte(bytes[i]) else { continue }
                                keyBytes[keyEnd] = key
                                keyEnd += 1
                                if key > 0x39 { allDigits = false }
                            }
                            let count = keyEnd - keyStart
                            if count >= 3 && !allDigits {
                                var repeated = false
                                for k in 0..<keys where keyBounds[2 * k + 1] - keyBounds[2 * k] == count
                                    && memcmp(keyBytes.baseAddress! + keyBounds[2 * k], keyBytes.baseAddress! + keyStart, count) == 0 {
                                    repeated = true
                                    break
                                }
                                if repeated {
                                    keyEnd = keyStart
                                    continue
                                }
                                keyBounds[2 * keys] = keyStart
                                keyBounds[2 * keys + 1] = keyEnd
                                keys += 1
                            } else {
                                keyEnd = keyStart
                            }
                            if length > 0 { out[length] = 0x20; length += 1 }
                            for i in lower..<upper { out[length] = bytes[i]; length += 1 }
                        }
                        return length
                    }()
                    // The result keeps the title's bytes in order, dropping some: as long as the
                    // title, it is the title (most are clean), and no new String is made.
                    if length == n { return nil }
                    return String(decoding: UnsafeBufferPointer(rebasing: out[..<length]), as: UTF8.self)
                }
            }
        }
        guard let cleaned else { return nil }
        return cleaned ?? title
    }

    /// Whether printable ASCII comes out of the rules as it is: one space between words and none
    /// at either end, no formula character first, no word whose key repeats an earlier one's.
    /// One pass that writes nothing but a hash per key; most titles are clean, and each feed
    /// cleans every title (the full pass, which builds the keys and the output, was 15 % of the
    /// Shopify writer's samples in a profile). A hash seen before may be a repeat or a
    /// collision: `false`, and the full pass decides.
    static func isCleanASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        guard n > 0 else { return true }
        let first = bytes[0]
        if first == 0x20 || bytes[n - 1] == 0x20 || first == 0x3D || first == 0x2B || first == 0x2D || first == 0x40 { return false }
        // A counted key has three bytes or more, and words are a space apart.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n / 4 + 2) { hashes -> Bool in
            let seed: UInt64 = 0xCBF2_9CE4_8422_2325
            var count = 0, hash = seed, keyLength = 0, allDigits = true, previous: UInt8 = 0
            func isNewKey() -> Bool {
                guard keyLength >= 3 && !allDigits else { return true }
                let key = hash ^ UInt64(truncatingIfNeeded: keyLength)
                for k in 0..<count where hashes[k] == key { return false }
                hashes[count] = key
                count += 1
                return true
            }
            for i in 0..<n {
                let byte = bytes[i]
                if byte == 0x20 {
                    if previous == 0x20 || !isNewKey() { return false }
                    hash = seed
                    keyLength = 0
                    allDigits = true
                } else if let key = keyByte(byte) {
                    hash = (hash ^ UInt64(key)) &* 0x100_0000_01B3
                    keyLength += 1
                    if key > 0x39 { allDigits = false }
                }
                previous = byte
            }
            return isNewKey()
        }
    }

    /// Titles in which every Unicode scalar is a character of its own (accents precomposed,
    /// punctuation, symbols, emoji without joiners or skin tones, CJK, Hebrew and Arabic letters
    /// without points): the rules of ``cleanGeneral(_:limit:)`` on scalars, without splitting
    /// the title into Characters (a grapheme-breaking walk) and a String per word; a key is made
    /// as a String only for a word that is not ASCII. That path was 5–7 % of each feed's thread
    /// in a profile though only the sandbox's odd titles took it, and real titles carry `™`, `–`,
    /// `°` or an emoji often. `nil` when a scalar may join its neighbours.
    static func cleanScalars(_ title: String) -> String? {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(title.utf8.count)
        for scalar in title.unicodeScalars {
            let category = scalar.properties.generalCategory
            if category == .control || category == .format && scalar.value < 0x2000 {
                scalars.append(" ")
                continue
            }
            guard standsAlone(scalar, category) else { return nil }
            scalars.append(scalar)
        }
        var words: [Range<Int>] = []
        var start = -1
        for (index, scalar) in scalars.enumerated() {
            if scalar.properties.isWhitespace {
                if start >= 0 { words.append(start..<index); start = -1 }
            } else if start < 0 {
                start = index
            }
        }
        if start >= 0 { words.append(start..<scalars.count) }
        // A word may only start the title if it does not start with a formula character.
        var first = 0
        while first < words.count {
            var word = words[first]
            while let head = word.first, "=+-@".unicodeScalars.contains(scalars[head]) { word = (head + 1)..<word.upperBound }
            words[first] = word
            if !word.isEmpty { break }
            first += 1
        }
        var seen = Set<String>()
        var out: [UInt8] = []
        out.reserveCapacity(title.utf8.count)
        for word in words[first...] {
            if isNewOrMayRepeat(scalars[word], seen: &seen) {
                if !out.isEmpty { out.append(0x20) }
                for scalar in scalars[word] { UTF8.encode(scalar) { out.append($0) } }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// ``dropRepeats(_:)``'s rule for one word: `false` when its key was seen before.
    private static func isNewOrMayRepeat(_ word: ArraySlice<Unicode.Scalar>, seen: inout Set<String>) -> Bool {
        let key: String
        if word.allSatisfy(\.isASCII) {
            var bytes: [UInt8] = []
            var allDigits = true
            for scalar in word {
                guard let key = keyByte(UInt8(scalar.value)) else { continue }
                bytes.append(key)
                if key > 0x39 { allDigits = false }
            }
            guard bytes.count >= 3, !allDigits else { return true }
            key = String(decoding: bytes, as: UTF8.self)
        } else {
            var text = ""
            text.unicodeScalars.append(contentsOf: word)
            key = text.lowercased().filter { $0.isLetter || $0.isNumber }
            guard key.count >= 3, !key.allSatisfy(\.isNumber) else { return true }
        }
        return seen.insert(key).inserted
    }

    /// An ASCII byte's part of a word's repeat key: a letter lower-cased, a digit as it is, `nil`
    /// for anything else (for ASCII these are the alphabetic and the numeric characters).
    @inline(__always)
    static func keyByte(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x41...0x5A: byte + 32
        case 0x61...0x7A, 0x30...0x39: byte
        default: nil
        }
    }

    /// Whether a scalar is a grapheme of its own whatever surrounds it: not a mark, joiner,
    /// variation selector, skin tone, regional indicator or Hangul jamo, and not from the scripts
    /// (Indic, Southeast Asian, historic) whose letters may combine; the rest is left to Characters.
    static func standsAlone(_ scalar: Unicode.Scalar, _ category: Unicode.GeneralCategory) -> Bool {
        switch category {
        case .nonspacingMark, .spacingMark, .enclosingMark, .format, .unassigned, .privateUse, .surrogate: return false
        default: break
        }
        switch scalar.value {
        case 0..<0x0900, 0x10A0..<0x1100, 0x1E00..<0xA000, 0xAC00..<0xD7A4, 0xF900..<0xFE00, 0xFE10..<0xFF9E,
             0xFFA0..<0xFFFE, 0x1F000..<0x1F1E6, 0x1F200..<0x1F3FB, 0x1F400..<0x1FB00, 0x20000..<0x30000:
            return true
        default:
            return false
        }
    }

    /// ``truncate(_:limit:)`` for printable ASCII longer than the limit (most titles and
    /// descriptions), on bytes: there one byte is one character and one scalar, and the space is
    /// the only whitespace. `nil` for other text.
    static func truncatePrintableASCII(_ text: String, limit: Int) -> String? {
        guard limit >= 0 else { return nil }
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard bytes.count > limit, ByteScan.isPrintableASCII(bytes) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<printableASCIICut(bytes, limit: limit)]), as: UTF8.self)
        }
    }

    /// ``truncate(_:limit:)`` on the text held as UTF-8 bytes from `start` to the end, in place.
    public static func cut(_ bytes: inout ByteBuffer, from start: Int = 0, limit: Int) {
        guard bytes.count - start > limit, limit >= 0 else { return }
        let end = bytes.withUnsafeBufferPointer(from: start) { text -> Int? in
            ByteScan.isPrintableASCII(text) ? printableASCIICut(text, limit: limit) : nil
        }
        if let end {
            bytes.removeSuffix(from: start + end)
        } else {
            let text = truncate(bytes.string(from: start), limit: limit)
            bytes.replaceSuffix(from: start, with: text.utf8)
        }
    }

    /// Where ``truncate(_:limit:)`` cuts printable ASCII longer than `limit` (feeds cut text
    /// they have already written as bytes).
    public static func printableASCIICut(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> Int {
        var end = limit
        // Drop the partial last word, unless that would throw away more than half.
        if bytes[limit] != 0x20, let lastSpace = bytes[..<limit].lastIndex(of: 0x20), lastSpace > limit / 2 { end = lastSpace }
        while end > 0, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x2C || bytes[end - 1] == 0x2D { end -= 1 }
        return end
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
        return truncatePrintableASCII(text, limit: limit) ?? truncateGeneral(text, limit: limit)
    }

    static func truncateGeneral(_ text: String, limit: Int) -> String {
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
