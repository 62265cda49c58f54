import Catalog
import Testing

@Suite struct TitleCleanerTests {
    @Test(arguments: [
        ("=HYPERLINK(\"x\",\"Phone Case\")", "HYPERLINK(\"x\",\"Phone Case\")"),
        ("+Led Strip 2-Pack", "Led Strip 2-Pack"),
        ("@SUM(1+1) Ring", "SUM(1+1) Ring"),
        ("-50% OFF Drone", "50% OFF Drone"),
        ("= = +Cable", "Cable"),
        ("   odd    spacing   here ", "odd spacing here"),
        ("line\nbreak\r\nand\ttab", "line break and tab"),
        ("Control\u{01}\u{08}Chars\u{7F} End", "Control Chars End"),
        ("Phone Case Phone Case phone case Best Phone Case", "Phone Case Best"),
        ("3 in 1 Cable 3 in 1 USB", "3 in 1 Cable 3 in 1 USB"),
        ("2 Pack 2 Pack USB", "2 Pack 2 USB"),
    ])
    func cleans(input: String, expected: String) {
        #expect(TitleCleaner.clean(input) == expected)
    }

    @Test func truncatesOnAWordBoundary() {
        let text = "Wireless Earbuds Bluetooth 5.3 Noise Cancelling Headphones"
        #expect(TitleCleaner.truncate(text, limit: 30) == "Wireless Earbuds Bluetooth 5.3")
        #expect(TitleCleaner.truncate(text, limit: 33) == "Wireless Earbuds Bluetooth 5.3")
        #expect(TitleCleaner.truncate(text, limit: 29) == "Wireless Earbuds Bluetooth")
        #expect(TitleCleaner.truncate(text, limit: 200) == text)
    }

    @Test func neverCutsInsideACharacter() {
        let family = "👨‍👩‍👧‍👦"  // one character, seven scalars
        let text = "Earbuds " + String(repeating: family, count: 3)
        for limit in 8...30 {
            let cut = TitleCleaner.truncate(text, limit: limit)
            #expect(cut.unicodeScalars.count <= limit)
            #expect(cut.unicodeScalars.filter { $0 == "\u{200D}" }.count % 3 == 0, "a family emoji was split at limit \(limit)")
        }
        let accented = "Caf\u{0065}\u{0301}" + String(repeating: "x", count: 10)
        #expect(!TitleCleaner.truncate(accented, limit: 4).hasSuffix("e"))
    }

    @Test func longWordIsCutAtACharacter() {
        let word = String(repeating: "é", count: 50)
        #expect(TitleCleaner.truncate(word, limit: 10) == String(repeating: "é", count: 10))
    }

    @Test func slugsAreLowercaseAlphanumericAndDashes() {
        #expect(PlainText.slug("Écouteurs Sans-Fil, 2-Pack!") == "ecouteurs-sans-fil-2-pack")
        #expect(PlainText.slug("--- ===") == "")
    }

    @Test func htmlIsStripped() {
        #expect(PlainText.strippingHTML("<script>alert('x')</script> Ring &amp; <b>Bold</b> &#39;x&#39;") == "alert('x') Ring & Bold 'x'")
    }
}
