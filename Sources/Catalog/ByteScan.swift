public import CByteScan

/// Finding the few bytes that need care (quotes, escapes, control characters) in text that is
/// mostly plain, sixteen bytes at a time: each product's titles, URLs and descriptions are
/// scanned several times per feed, and a test per byte was a tenth of the feed writers' time.
/// (Eight-byte words with the "has zero byte" bit tricks came first; the SSE2 compares in
/// `CByteScan` took the scans from ~230 to ~150 samples of an end-to-end profile.)
public enum ByteScan {
    /// The classes of bytes looked for in text.
    public enum ByteClass: Sendable, CaseIterable {
        /// `"` and `\` (the end of a JSON string, or an escape in it).
        case quoteOrBackslash
        /// `"`, `\` and control characters (what a JSON string must escape).
        case jsonSpecial
        /// `"` alone.
        case quote
        /// `,` `"` LF CR (what makes a CSV field quoted).
        case csvSpecial
        /// `" & ' < >`, DEL, control characters other than tab, LF and CR, and bytes from 0x80.
        case xmlSpecial
        /// `& < > "`.
        case htmlSpecial
        /// Space and control characters, `" , < >`, DEL and bytes from 0x80.
        case urlUnsafe
        /// Bytes from 0x80.
        case nonASCII
        /// Control characters, DEL and bytes from 0x80.
        case notPrintable

        @usableFromInline var raw: alifeed_byte_class {
            switch self {
            case .quoteOrBackslash: alifeed_quote_or_backslash
            case .jsonSpecial: alifeed_json_special
            case .quote: alifeed_quote
            case .csvSpecial: alifeed_csv_special
            case .xmlSpecial: alifeed_xml_special
            case .htmlSpecial: alifeed_html_special
            case .urlUnsafe: alifeed_url_unsafe
            case .nonASCII: alifeed_non_ascii
            case .notPrintable: alifeed_not_printable
            }
        }

        /// Whether `byte` is in the class, a byte at a time (the definition the scan must agree with).
        public func contains(_ byte: UInt8) -> Bool {
            switch self {
            case .quoteOrBackslash: byte == 0x22 || byte == 0x5C
            case .jsonSpecial: byte < 0x20 || byte == 0x22 || byte == 0x5C
            case .quote: byte == 0x22
            case .csvSpecial: byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
            case .xmlSpecial:
                (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x22 || byte == 0x26 || byte == 0x27
                    || byte == 0x3C || byte == 0x3E || byte >= 0x7F
            case .htmlSpecial: byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22
            case .urlUnsafe: byte <= 0x20 || byte == 0x22 || byte == 0x2C || byte == 0x3C || byte == 0x3E || byte >= 0x7F
            case .nonASCII: byte >= 0x80
            case .notPrintable: byte < 0x20 || byte >= 0x7F
            }
        }
    }

    /// The index of the first byte from `start` that is in `byteClass`. Sixteen bytes at a time
    /// (SSE2, in C: through Swift's `SIMD16<UInt8>` the same scan ran 10× slower, or 20 % faster
    /// than eight-byte words with the mask bit-cast); each product's titles, URLs and
    /// descriptions are scanned several times per feed, and the decoder scans every string of
    /// every page. Inlinable, so the C function is compiled into each caller.
    @inlinable
    public static func firstIndex(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, of byteClass: ByteClass) -> Int? {
        guard let base = bytes.baseAddress, start < bytes.count else { return nil }
        let index = alifeed_first_in_class(base, bytes.count, start, byteClass.raw)
        return index < 0 ? nil : index
    }

    /// Whether every byte is printable ASCII (0x20–0x7E): then each byte is one character.
    public static func isPrintableASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        firstIndex(in: bytes, of: .notPrintable) == nil
    }
}
