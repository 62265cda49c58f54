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
}
