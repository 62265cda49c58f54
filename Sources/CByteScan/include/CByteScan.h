#ifndef ALIFEED_CBYTESCAN_H
#define ALIFEED_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

/// The classes of bytes the feeds, the catalog and the decoder look for in text.
typedef enum {
    /// `"` and `\` (the end of a JSON string, or an escape in it).
    alifeed_quote_or_backslash = 0,
    /// `"`, `\` and control characters (what a JSON string must escape).
    alifeed_json_special = 1,
    /// `"` alone.
    alifeed_quote = 2,
    /// `,` `"` LF CR (what makes a CSV field quoted).
    alifeed_csv_special = 3,
    /// `" & ' < >`, DEL, control characters other than tab, LF and CR, and bytes from 0x80
    /// (what XML text escapes or drops, and where text stops being ASCII).
    alifeed_xml_special = 4,
    /// `& < > "` (what HTML text escapes).
    alifeed_html_special = 5,
    /// Space and control characters, `" , < >`, DEL and bytes from 0x80 (what makes a URL need encoding).
    alifeed_url_unsafe = 6,
    /// Bytes from 0x80.
    alifeed_non_ascii = 7,
    /// Control characters, DEL and bytes from 0x80 (what is not printable ASCII).
    alifeed_not_printable = 8,
} alifeed_byte_class;

/// The index of the first byte of `bytes[start..<count]` in `byte_class`, or -1 when there is none.
ptrdiff_t alifeed_first_in_class(const uint8_t *bytes, size_t count, size_t start, alifeed_byte_class byte_class);

#endif
