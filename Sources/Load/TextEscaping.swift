import Catalog

/// CSV (RFC 4180) fields and rows.
public enum CSVFormat {
    /// Quotes a field when it holds a comma, quote, CR or LF; doubles inner quotes.
    public static func field(_ text: String) -> String {
        var out = ByteBuffer(capacity: text.utf8.count + 2)
        appendField(text, to: &out)
        return out.string()
    }

    /// One record, CRLF-terminated as RFC 4180 says.
    public static func row(_ fields: [String]) -> String {
        var out = ByteBuffer()
        appendRow(fields, to: &out)
        return out.string()
    }

    /// ``field(_:)`` appended as bytes: feeds write millions of cells.
    static func appendField(_ text: String, to out: inout ByteBuffer) {
        guard !text.isEmpty else { return }
        var text = text
        text.withUTF8 { bytes in
            guard needsQuotes(bytes) else {
                out.append(contentsOf: bytes)
                return
            }
            // Most quoted cells are text with commas and no quotes: copied in runs, not by byte.
            let quote = UInt8(ascii: "\"")
            out.append(quote)
            var start = 0
            while let index = ByteScan.firstIndex(in: bytes, from: start, of: .quote) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...index]))
                out.append(quote)
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            out.append(quote)
        }
    }

    /// Whether a field with these bytes must be quoted: it holds a comma, quote, CR or LF.
    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ByteScan.firstIndex(in: bytes, of: .csvSpecial) != nil
    }

    /// One record as bytes, CRLF-terminated.
    static func appendRow(_ fields: [String], to out: inout ByteBuffer) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            appendField(field, to: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }
}

/// XML 1.0 text: escaped, with the characters XML forbids removed.
public enum XMLFormat {
    /// Whether XML 1.0 allows the scalar in a document at all.
    /// Also false for the characters XML discourages (feeds.md §4.3): U+007F–0084, U+0086–009F,
    /// U+FDD0–FDEF and the last two code points of every plane.
    public static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        switch v {
        case 0x9, 0xA, 0xD: return true
        case 0x7F...0x84, 0x86...0x9F, 0xFDD0...0xFDEF: return false
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return v & 0xFFFE != 0xFFFE
        default: return false
        }
    }

    /// Removes XML-illegal characters and escapes `& < > " '`.
    public static func escape(_ text: String) -> String {
        var text = text
        // Most text needs nothing: returned as it is.
        if text.withUTF8({ firstSpecial(in: $0) == nil }) { return text }
        var out = ByteBuffer(capacity: text.utf8.count + 16)
        appendEscaped(text, to: &out)
        return out.string()
    }

    /// Text with non-ASCII characters, escaped scalar by scalar.
    private static func escapedScalars(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&apos;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Where the first byte that needs care is (to escape, remove, or non-ASCII), if any: the
    /// control characters other than tab, LF and CR, `" & ' < >`, DEL and non-ASCII bytes.
    static func firstSpecial(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        ByteScan.firstIndex(in: bytes, of: .xmlSpecial)
    }

    /// The same as ``escape(_:)``, appended as bytes.
    static func appendEscaped(_ text: String, to out: inout ByteBuffer) {
        var text = text
        let done = text.withUTF8 { appendEscapedIfASCIISpecials($0, to: &out) }
        if !done { out.append(contentsOf: escapedScalars(text)) }
    }

    /// The same for text given as UTF-8 bytes (feeds build some values as bytes).
    static func appendEscaped(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) {
        if !appendEscapedIfASCIISpecials(bytes, to: &out) {
            out.append(contentsOf: escapedScalars(String(decoding: bytes, as: UTF8.self)))
        }
    }

    /// Appends the escaped text when everything from its first special byte on is ASCII (the
    /// usual case); `false`, with nothing appended, for text the scalar path must take.
    private static func appendEscapedIfASCIISpecials(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) -> Bool {
        guard let first = firstSpecial(in: bytes) else {
            out.append(contentsOf: bytes)
            return true
        }
        let rest = UnsafeBufferPointer(rebasing: bytes[first...])
        if rest.contains(where: { $0 >= 0x80 }) { return false }  // other text: by scalars
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[..<first]))
        appendASCII(rest, to: &out)
        return true
    }

    /// The entity for `& < > " '`; `nil` for other bytes.
    static func entity(_ byte: UInt8) -> StaticString? {
        switch byte {
        case 0x26: "&amp;"
        case 0x3C: "&lt;"
        case 0x3E: "&gt;"
        case 0x22: "&quot;"
        case 0x27: "&apos;"
        default: nil
        }
    }

    /// ASCII text escaped, with the control characters XML 1.0 forbids (or discourages) removed.
    static func appendASCII(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) {
        // The bytes between special ones are copied in runs (descriptions have a few specials in
        // hundreds of bytes); a special byte is an entity, or a control character left out.
        var start = 0
        while start < bytes.count {
            let rest = UnsafeBufferPointer(rebasing: bytes[start...])
            guard let offset = firstSpecial(in: rest) else {
                out.append(contentsOf: rest)
                return
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: rest[..<offset]))
            if let entity = entity(rest[offset]) { out.append(entity) }
            start += offset + 1
        }
    }

    /// `<name>escaped text</name>` appended as bytes.
    static func appendElement(_ name: StaticString, _ text: String, indent: Int, to out: inout ByteBuffer) {
        appendElement(name, indent: indent, to: &out) { appendEscaped(text, to: &$0) }
    }

    /// Where the next `& < > "` is, from `start`.
    private static func firstHTMLSpecial(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        ByteScan.firstIndex(in: bytes, from: start, of: .htmlSpecial)
    }

    /// `<name>…</name>` around bytes the caller appends that need no escaping (numbers, prices).
    static func appendElement(_ name: StaticString, indent: Int, to out: inout ByteBuffer, plain: (inout ByteBuffer) -> Void) {
        openElement(name, indent: indent, to: &out)
        plain(&out)
        closeElement(name, to: &out)
    }

    /// The indent and `<name>`, for content the caller appends itself.
    static func openElement(_ name: StaticString, indent: Int, to out: inout ByteBuffer) {
        out.append(repeating: 0x20, count: indent)
        out.append(UInt8(ascii: "<"))
        out.append(name)
        out.append(UInt8(ascii: ">"))
    }

    /// `</name>` and the line's end.
    static func closeElement(_ name: StaticString, to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "<"))
        out.append(UInt8(ascii: "/"))
        out.append(name)
        out.append(UInt8(ascii: ">"))
        out.append(0x0A)
    }

    /// `& < > "` as entities, for HTML descriptions; text without them is returned as it is.
    public static func escapeHTML(_ text: String) -> String {
        var text = text
        guard text.withUTF8({ firstHTMLSpecial(in: $0, from: 0) != nil }) else { return text }
        var out = ByteBuffer(capacity: text.utf8.count + 16)
        appendHTMLEscaped(text, to: &out)
        return out.string()
    }

    /// ``escapeHTML(_:)`` appended as bytes, the text between entities copied in runs.
    static func appendHTMLEscaped(_ text: String, to out: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            while let index = firstHTMLSpecial(in: bytes, from: start), let entity = entity(bytes[index]) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                out.append(entity)
                start = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// `<name>escaped text</name>`.
    public static func element(_ name: String, _ text: String) -> String { "<\(name)>\(escape(text))</\(name)>" }
}
