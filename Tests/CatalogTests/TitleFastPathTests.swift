import Testing
@testable import Catalog

/// The byte-level path for ASCII titles applies the same rules as the general one.
@Suite struct TitleFastPathTests {
    @Test func asciiPathAgreesWithTheGeneralPath() {
        let words = ["Phone", "phone", "CASE", "case", "2", "2-Pack", "=SUM(1)", "+Led", "-50%", "@x", "USB", "usb-c", "a", "of", "10\"", "&", "<b>", "", "3.0"]
        var state: UInt64 = 11
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3000 {
            let title = (0..<(next() % 9)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 3) }.joined(separator: " ")
            let fast = TitleCleaner.cleanASCII(title)
            #expect(fast != nil)
            #expect(fast == TitleCleaner.cleanGeneral(title, limit: nil), "\"\(title)\"")
        }
        #expect(TitleCleaner.cleanASCII("tab\there") == nil)
        #expect(TitleCleaner.cleanASCII("café") == nil)
    }

    @Test func asciiTruncationAgreesWithTheGeneralPath() {
        let words = ["Phone", "case,", "-", "2-Pack", "a", "extraordinarily-long-word-without-spaces", "USB", ",", "of", "x"]
        var state: UInt64 = 5
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
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
        var state: UInt64 = 9
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        for _ in 0..<3000 {
            let text = (0..<(1 + next() % 10)).map { _ in words[next() % words.count] + String(repeating: " ", count: next() % 2) }.joined()
            let limit = next() % (text.unicodeScalars.count + 2)
            var bytes = Array("prefix:".utf8) + Array(text.utf8)
            TitleCleaner.cut(&bytes, from: 7, limit: limit)
            #expect(String(decoding: bytes, as: UTF8.self) == "prefix:" + TitleCleaner.truncate(text, limit: limit), "\"\(text)\" at \(limit)")
        }
    }
}
