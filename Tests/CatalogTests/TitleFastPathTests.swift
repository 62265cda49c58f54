import Testing
@testable import Catalog

/// The byte-level path for ASCII titles applies the same rules as the general one.
@Suite struct TitleFastPathTests {
    @Test func asciiPathAgreesWithTheGeneralPath() {
        let words = ["Phone", "phone", "CASE", "case", "2", "2-Pack", "=SUM(1)", "+Led", "-50%", "@x", "USB", "usb-c", "a", "of", "10\"", "&", "<b>", "", "3.0"]
        var numbers = Numbers(seed: 11)
        func next() -> Int { numbers.next() }
        for _ in 0..<3000 {
            let title = (0..<(next() % 9)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 3) }.joined(separator: " ")
            let fast = TitleCleaner.cleanASCII(title)
            #expect(fast != nil)
            #expect(fast == TitleCleaner.cleanGeneral(title, limit: nil), "\"\(title)\"")
        }
        #expect(TitleCleaner.cleanASCII("tab\there") == nil)
        #expect(TitleCleaner.cleanASCII("café") == nil)
    }

    static func isClean(_ title: String) -> Bool {
        var title = title
        return title.withUTF8 { TitleCleaner.isCleanASCII($0) }
    }

    /// The one-pass check says a title is clean exactly when the rules leave it as it is.
    @Test func cleanCheckAgreesWithTheGeneralPath() {
        let words = ["Phone", "phone", "CASE", "2", "22", "2-Pack", "2pack", "=SUM(1)", "+Led", "-50%", "@x", "USB", "usb-c", "USBC",
                     "a", "of", "10\"", "&", "<b>", "", "3.0", "Wireless", "Charger", "wire-less", "ab", "AB"]
        var numbers = Numbers(seed: 17)
        func next() -> Int { numbers.next() }
        var clean = 0
        for _ in 0..<5000 {
            var title = (0..<(next() % 9)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 5 == 0 ? 1 : 0) }
                .joined(separator: " ")
            if next() % 7 == 0 { title = " " + title }
            let checked = Self.isClean(title)
            let expected = TitleCleaner.cleanGeneral(title, limit: nil) == title
            #expect(checked == expected, "\"\(title)\"")
            if expected { clean += 1 }
        }
        #expect(clean > 1000, "clean titles are checked, not only dirty ones")
        #expect(Self.isClean("Wireless Charger Stand for iPhone 15"))
        #expect(!Self.isClean("Wireless Charger wireless Stand"))
        #expect(!Self.isClean("USB-C cable usbc"))
        #expect(Self.isClean("2 pack of 2 cables of 2"))
    }

    /// Titles whose scalars stand alone are cleaned on scalars exactly as on Characters; titles
    /// with anything that may join its neighbours are left to Characters.
    @Test func scalarPathAgreesWithTheGeneralPath() {
        let words = [
            "Phone", "phone", "Café", "CAFÉ", "café", "naïve", "Édition", "–", "“quoted”", "™", "°C", "🎧🔥", "🎧",
            "אוזניות", "سماعات", "Ελληνικά", "ΕΛΛΗΝΙΚΆ", "ß", "SS", "İstanbul", "istanbul", "Ⅻ", "½", "２０２４", "ｍｍ", "日本語",
            "한국어", "=SUM(1)", "+Led", "-50%", "@x", "2", "123", "a", "of", "\u{00A0}", "\u{3000}", "\u{00AD}", "\u{2028}",
            "\u{01}x", "tab\there", "line\r\nbreak", "\u{7F}",
        ]
        let joining = ["e\u{301}", "👍🏽", "🇯🇵", "👩\u{200D}💻", "❤\u{FE0F}", "ไทย", "\u{1100}\u{1161}", "\u{FFFE}", "ｶﾞ"]
        var numbers = Numbers(seed: 21)
        func next() -> Int { numbers.next() }
        var scalarPath = 0
        for round in 0..<4000 {
            var parts = (0..<(1 + next() % 9)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 3) }
            if round % 4 == 0 { parts.insert(joining[next() % joining.count], at: next() % (parts.count + 1)) }
            let title = parts.joined(separator: next() % 5 == 0 ? "\u{3000}" : " ")
            let reference = TitleCleaner.cleanGeneral(title, limit: nil)
            if let scalars = TitleCleaner.cleanScalars(title) {
                scalarPath += 1
                #expect(scalars == reference, "\"\(title)\"")
            } else {
                #expect(round % 4 == 0, "only titles with a joining scalar leave the scalar path: \"\(title)\"")
            }
            #expect(TitleCleaner.clean(title) == reference, "\"\(title)\"")
            #expect(TitleCleaner.clean(title, limit: 20) == TitleCleaner.cleanGeneral(title, limit: 20), "\"\(title)\" at 20")
        }
        #expect(scalarPath == 3000, "every title without a joining scalar takes the scalar path")
        for text in joining { #expect(TitleCleaner.cleanScalars("Phone " + text) == nil, "\(text)") }
    }

    @Test func asciiTruncationAgreesWithTheGeneralPath() {
        let words = ["Phone", "case,", "-", "2-Pack", "a", "extraordinarily-long-word-without-spaces", "USB", ",", "of", "x"]
        var numbers = Numbers(seed: 5)
        func next() -> Int { numbers.next() }
        var checked = 0
        for _ in 0..<4000 {
            let text = (0..<(1 + next() % 12)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 3) }.joined()
            let limit = next() % (text.utf8.count + 1)
            guard let fast = TitleCleaner.truncatePrintableASCII(text, limit: limit) else { continue }
            checked += 1
            #expect(fast == TitleCleaner.truncateGeneral(text, limit: limit), "\"\(text)\" at \(limit)")
        }
        #expect(checked > 3000)
        #expect(TitleCleaner.truncatePrintableASCII("café au lait", limit: 5) == nil)
        #expect(TitleCleaner.truncatePrintableASCII("line\r\nbreak", limit: 5) == nil)
        #expect(TitleCleaner.truncatePrintableASCII("short", limit: 5) == nil)
    }

    @Test func cuttingBytesInPlaceAgreesWithTruncate() {
        let words = ["Phone", "case,", "-", "café", "a", ",,,", "Ünïcödé", "x", "e\u{301}", "😀", "long-word-without-spaces"]
        var numbers = Numbers(seed: 9)
        func next() -> Int { numbers.next() }
        for _ in 0..<3000 {
            let text = (0..<(1 + next() % 10)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 2) }.joined()
            let limit = next() % (text.unicodeScalars.count + 2)
            var bytes = ByteBuffer()
            bytes.append(contentsOf: "prefix:" + text)
            TitleCleaner.cut(&bytes, from: 7, limit: limit)
            #expect(bytes.string() == "prefix:" + TitleCleaner.truncate(text, limit: limit), "\"\(text)\" at \(limit)")
        }
    }
}

/// The same numbers every run (a linear congruential generator), so a failure repeats.
struct Numbers {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(truncatingIfNeeded: state >> 33)
    }
}
