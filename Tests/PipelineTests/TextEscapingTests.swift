import Testing
@testable import Load
import Catalog

/// The byte-level escapers (bit masks instead of comparisons) against plain definitions of the
/// rules, over every ASCII byte in every position and text with non-ASCII characters.
@Suite struct TextEscapingTests {
    /// Each ASCII byte alone, at the start, middle and end of plain text, and beside non-ASCII text.
    static let samples: [String] = {
        var texts = ["", "plain text", "Ünïcödé ✓", "a\u{7F}b", "x\u{85}y", "tab\there", "emoji 😀 & more"]
        for byte in UInt8(0)..<0x80 {
            let c = String(UnicodeScalar(byte))
            texts += [c, c + "abc", "ab" + c + "cd", "abc" + c, "é" + c, c + "ü"]
            // Longer text, so the byte in each lane of the eight-byte scans (and in the tail).
            let plain = Array("abcdefghijklmnopqrstuvwxyz0123".utf8)
            for position in [0, 3, 7, 8, 12, 15, 16, 23, 27] {
                var bytes = plain
                bytes[position] = byte
                texts.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return texts
    }()

    /// XML 1.0 text: forbidden characters dropped, `& < > " '` as entities.
    static func referenceXML(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars where XMLFormat.isAllowed(scalar) {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    @Test func xmlBytesFollowTheRule() {
        for text in Self.samples {
            var bytes = ByteBuffer()
            XMLFormat.appendEscaped(text, to: &bytes)
            #expect(bytes.string() == Self.referenceXML(text), "\(Array(text.utf8))")
            #expect(XMLFormat.escape(text) == Self.referenceXML(text), "\(Array(text.utf8))")
        }
    }

    @Test func csvFieldsAreQuotedExactlyWhenTheyMustBe() {
        for text in Self.samples {
            var bytes = ByteBuffer()
            CSVFormat.appendField(text, to: &bytes)
            let needs = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            let expected = needs ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
            #expect(bytes.string() == expected, "\(Array(text.utf8))")
        }
    }

    @Test func urlsAreLeftAsTheyAreOnlyWhenSafe() {
        for text in Self.samples {
            let url = "https://ae01.alicdn.com/kf/" + text + ".jpg"
            let safe = url.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F && !",\"<>".unicodeScalars.contains($0) }
            #expect(FeedValues.isSafeAlready(url) == safe, "\(Array(text.utf8))")
            #expect(FeedValues.safeURL(url).map { $0 == url } == safe, "\(Array(text.utf8))")
        }
        #expect(!FeedValues.isSafeAlready("ftp://example.com/a.jpg"))
        #expect(FeedValues.isSafeAlready("http://example.com/a.jpg"))
    }

    @Test func htmlBytesMatchTheStringEscaper() {
        for text in Self.samples {
            var bytes = ByteBuffer()
            bytes.append(0x41)
            XMLFormat.appendHTMLEscaped(text, to: &bytes)
            let expected = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            #expect(bytes.string() == "A" + expected, "\(Array(text.utf8))")
            #expect(XMLFormat.escapeHTML(text) == expected, "\(Array(text.utf8))")
        }
    }
}
