#ifndef ALIFEED_CBYTESCAN_H
#define ALIFEED_CBYTESCAN_H

#include <stddef.h>
#include <stdint.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// Inline, so Swift callers compile each scan in place for their class: the decoder looks for the
// end of every string of every page, most of them a few bytes long.

// Each class twice: a byte at a time, and (SSE2) as a mask over sixteen bytes whose sign bits
// mark the bytes in the class. Every class is a function of its own, so its compares are
// constants the compiler unrolls.

static inline int alifeed_byte_quote_or_backslash(uint8_t b) { return b == 0x22 || b == 0x5C; }
static inline int alifeed_byte_json_special(uint8_t b) { return b < 0x20 || b == 0x22 || b == 0x5C; }
static inline int alifeed_byte_quote(uint8_t b) { return b == 0x22; }
static inline int alifeed_byte_csv_special(uint8_t b) { return b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D; }
static inline int alifeed_byte_xml_special(uint8_t b) {
    return (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x22 || b == 0x26 || b == 0x27 || b == 0x3C || b == 0x3E || b >= 0x7F;
}
static inline int alifeed_byte_html_special(uint8_t b) { return b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22; }
static inline int alifeed_byte_url_unsafe(uint8_t b) { return b <= 0x20 || b == 0x22 || b == 0x2C || b == 0x3C || b == 0x3E || b >= 0x7F; }
static inline int alifeed_byte_non_ascii(uint8_t b) { return b >= 0x80; }
static inline int alifeed_byte_not_printable(uint8_t b) { return b < 0x20 || b >= 0x7F; }

#if defined(__SSE2__)
static inline __m128i alifeed_eq(__m128i v, uint8_t c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c)); }
static inline __m128i alifeed_below(__m128i v, uint8_t bound) { return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((char)(uint8_t)(bound - 1))), v); }
static inline __m128i alifeed_or2(__m128i a, __m128i b) { return _mm_or_si128(a, b); }
// DEL and above: the sign bit of the byte itself, or of the compare with 0x7F.
static inline __m128i alifeed_from_del(__m128i v) { return alifeed_or2(v, alifeed_eq(v, 0x7F)); }

static inline __m128i alifeed_vec_quote_or_backslash(__m128i v) { return alifeed_or2(alifeed_eq(v, 0x22), alifeed_eq(v, 0x5C)); }
static inline __m128i alifeed_vec_json_special(__m128i v) { return alifeed_or2(alifeed_below(v, 0x20), alifeed_or2(alifeed_eq(v, 0x22), alifeed_eq(v, 0x5C))); }
static inline __m128i alifeed_vec_quote(__m128i v) { return alifeed_eq(v, 0x22); }
static inline __m128i alifeed_vec_csv_special(__m128i v) { return alifeed_or2(alifeed_or2(alifeed_eq(v, 0x2C), alifeed_eq(v, 0x22)), alifeed_or2(alifeed_eq(v, 0x0A), alifeed_eq(v, 0x0D))); }
static inline __m128i alifeed_vec_xml_special(__m128i v) {
    __m128i controls = _mm_andnot_si128(alifeed_or2(alifeed_eq(v, 0x09), alifeed_or2(alifeed_eq(v, 0x0A), alifeed_eq(v, 0x0D))), alifeed_below(v, 0x20));
    return alifeed_or2(alifeed_or2(controls, alifeed_from_del(v)), alifeed_or2(alifeed_or2(alifeed_eq(v, 0x22), alifeed_eq(v, 0x26)), alifeed_or2(alifeed_eq(v, 0x27), alifeed_or2(alifeed_eq(v, 0x3C), alifeed_eq(v, 0x3E)))));
}
static inline __m128i alifeed_vec_html_special(__m128i v) { return alifeed_or2(alifeed_or2(alifeed_eq(v, 0x26), alifeed_eq(v, 0x3C)), alifeed_or2(alifeed_eq(v, 0x3E), alifeed_eq(v, 0x22))); }
static inline __m128i alifeed_vec_url_unsafe(__m128i v) {
    return alifeed_or2(alifeed_or2(alifeed_below(v, 0x21), alifeed_from_del(v)), alifeed_or2(alifeed_or2(alifeed_eq(v, 0x22), alifeed_eq(v, 0x2C)), alifeed_or2(alifeed_eq(v, 0x3C), alifeed_eq(v, 0x3E))));
}
static inline __m128i alifeed_vec_non_ascii(__m128i v) { return v; }
static inline __m128i alifeed_vec_not_printable(__m128i v) { return alifeed_or2(alifeed_below(v, 0x20), alifeed_from_del(v)); }

#define ALIFEED_SCAN(NAME)                                                                                     \
    static inline ptrdiff_t alifeed_scan_##NAME(const uint8_t *bytes, size_t count, size_t i) {                      \
        if (count - i < 16) {                                                                          \
            /* Short text: copied into sixteen bytes, the bits past its end ignored. */                 \
            uint8_t padded[16] = {0};                                                                  \
            for (size_t k = i; k < count; k++) padded[k - i] = bytes[k];                               \
            unsigned bits = (unsigned)_mm_movemask_epi8(alifeed_vec_##NAME(_mm_loadu_si128((const __m128i *)padded))) \
                & ((1u << (count - i)) - 1);                                                           \
            return bits ? (ptrdiff_t)(i + (size_t)__builtin_ctz(bits)) : -1;                           \
        }                                                                                              \
        for (; i + 16 <= count; i += 16) {                                                             \
            unsigned bits = (unsigned)_mm_movemask_epi8(alifeed_vec_##NAME(_mm_loadu_si128((const __m128i *)(bytes + i)))); \
            if (bits) return (ptrdiff_t)(i + (size_t)__builtin_ctz(bits));                             \
        }                                                                                              \
        if (i < count) {                                                                               \
            /* The last sixteen bytes, overlapping some the loop found none in. */                     \
            size_t last = count - 16;                                                                  \
            unsigned bits = (unsigned)_mm_movemask_epi8(alifeed_vec_##NAME(_mm_loadu_si128((const __m128i *)(bytes + last)))); \
            if (bits) return (ptrdiff_t)(last + (size_t)__builtin_ctz(bits));                          \
        }                                                                                              \
        return -1;                                                                                     \
    }
#else
#define ALIFEED_SCAN(NAME)                                                                                     \
    static inline ptrdiff_t alifeed_scan_##NAME(const uint8_t *bytes, size_t count, size_t i) {                      \
        for (; i < count; i++) {                                                                       \
            if (alifeed_byte_##NAME(bytes[i])) return (ptrdiff_t)i;                                            \
        }                                                                                              \
        return -1;                                                                                     \
    }
#endif

ALIFEED_SCAN(quote_or_backslash)
ALIFEED_SCAN(json_special)
ALIFEED_SCAN(quote)
ALIFEED_SCAN(csv_special)
ALIFEED_SCAN(xml_special)
ALIFEED_SCAN(html_special)
ALIFEED_SCAN(url_unsafe)
ALIFEED_SCAN(non_ascii)
ALIFEED_SCAN(not_printable)
#undef ALIFEED_SCAN

static inline ptrdiff_t alifeed_first_in_class(const uint8_t *bytes, size_t count, size_t start, alifeed_byte_class byte_class) {
    if (start >= count) return -1;
    switch (byte_class) {
    case alifeed_quote_or_backslash: return alifeed_scan_quote_or_backslash(bytes, count, start);
    case alifeed_json_special: return alifeed_scan_json_special(bytes, count, start);
    case alifeed_quote: return alifeed_scan_quote(bytes, count, start);
    case alifeed_csv_special: return alifeed_scan_csv_special(bytes, count, start);
    case alifeed_xml_special: return alifeed_scan_xml_special(bytes, count, start);
    case alifeed_html_special: return alifeed_scan_html_special(bytes, count, start);
    case alifeed_url_unsafe: return alifeed_scan_url_unsafe(bytes, count, start);
    case alifeed_non_ascii: return alifeed_scan_non_ascii(bytes, count, start);
    case alifeed_not_printable: return alifeed_scan_not_printable(bytes, count, start);
    }
    return -1;
}

#endif
