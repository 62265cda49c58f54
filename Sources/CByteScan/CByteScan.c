#include "CByteScan.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

// Each class twice: a byte at a time, and (SSE2) as a mask over sixteen bytes whose sign bits
// mark the bytes in the class. Every class is a function of its own, so its compares are
// constants the compiler unrolls.

static inline int byte_quote_or_backslash(uint8_t b) { return b == 0x22 || b == 0x5C; }
static inline int byte_json_special(uint8_t b) { return b < 0x20 || b == 0x22 || b == 0x5C; }
static inline int byte_quote(uint8_t b) { return b == 0x22; }
static inline int byte_csv_special(uint8_t b) { return b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D; }
static inline int byte_xml_special(uint8_t b) {
    return (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D) || b == 0x22 || b == 0x26 || b == 0x27 || b == 0x3C || b == 0x3E || b >= 0x7F;
}
static inline int byte_html_special(uint8_t b) { return b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22; }
static inline int byte_url_unsafe(uint8_t b) { return b <= 0x20 || b == 0x22 || b == 0x2C || b == 0x3C || b == 0x3E || b >= 0x7F; }
static inline int byte_non_ascii(uint8_t b) { return b >= 0x80; }
static inline int byte_not_printable(uint8_t b) { return b < 0x20 || b >= 0x7F; }

#if defined(__SSE2__)
static inline __m128i eq(__m128i v, uint8_t c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8((char)c)); }
static inline __m128i below(__m128i v, uint8_t bound) { return _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8((char)(uint8_t)(bound - 1))), v); }
static inline __m128i or2(__m128i a, __m128i b) { return _mm_or_si128(a, b); }
// DEL and above: the sign bit of the byte itself, or of the compare with 0x7F.
static inline __m128i from_del(__m128i v) { return or2(v, eq(v, 0x7F)); }

static inline __m128i vec_quote_or_backslash(__m128i v) { return or2(eq(v, 0x22), eq(v, 0x5C)); }
static inline __m128i vec_json_special(__m128i v) { return or2(below(v, 0x20), or2(eq(v, 0x22), eq(v, 0x5C))); }
static inline __m128i vec_quote(__m128i v) { return eq(v, 0x22); }
static inline __m128i vec_csv_special(__m128i v) { return or2(or2(eq(v, 0x2C), eq(v, 0x22)), or2(eq(v, 0x0A), eq(v, 0x0D))); }
static inline __m128i vec_xml_special(__m128i v) {
    __m128i controls = _mm_andnot_si128(or2(eq(v, 0x09), or2(eq(v, 0x0A), eq(v, 0x0D))), below(v, 0x20));
    return or2(or2(controls, from_del(v)), or2(or2(eq(v, 0x22), eq(v, 0x26)), or2(eq(v, 0x27), or2(eq(v, 0x3C), eq(v, 0x3E)))));
}
static inline __m128i vec_html_special(__m128i v) { return or2(or2(eq(v, 0x26), eq(v, 0x3C)), or2(eq(v, 0x3E), eq(v, 0x22))); }
static inline __m128i vec_url_unsafe(__m128i v) {
    return or2(or2(below(v, 0x21), from_del(v)), or2(or2(eq(v, 0x22), eq(v, 0x2C)), or2(eq(v, 0x3C), eq(v, 0x3E))));
}
static inline __m128i vec_non_ascii(__m128i v) { return v; }
static inline __m128i vec_not_printable(__m128i v) { return or2(below(v, 0x20), from_del(v)); }

#define SCAN(NAME)                                                                                     \
    static ptrdiff_t scan_##NAME(const uint8_t *bytes, size_t count, size_t i) {                      \
        if (count - i < 16) {                                                                          \
            /* Short text: copied into sixteen bytes, the bits past its end ignored. */                 \
            uint8_t padded[16] = {0};                                                                  \
            for (size_t k = i; k < count; k++) padded[k - i] = bytes[k];                               \
            unsigned bits = (unsigned)_mm_movemask_epi8(vec_##NAME(_mm_loadu_si128((const __m128i *)padded))) \
                & ((1u << (count - i)) - 1);                                                           \
            return bits ? (ptrdiff_t)(i + (size_t)__builtin_ctz(bits)) : -1;                           \
        }                                                                                              \
        for (; i + 16 <= count; i += 16) {                                                             \
            unsigned bits = (unsigned)_mm_movemask_epi8(vec_##NAME(_mm_loadu_si128((const __m128i *)(bytes + i)))); \
            if (bits) return (ptrdiff_t)(i + (size_t)__builtin_ctz(bits));                             \
        }                                                                                              \
        if (i < count) {                                                                               \
            /* The last sixteen bytes, overlapping some the loop found none in. */                     \
            size_t last = count - 16;                                                                  \
            unsigned bits = (unsigned)_mm_movemask_epi8(vec_##NAME(_mm_loadu_si128((const __m128i *)(bytes + last)))); \
            if (bits) return (ptrdiff_t)(last + (size_t)__builtin_ctz(bits));                          \
        }                                                                                              \
        return -1;                                                                                     \
    }
#else
#define SCAN(NAME)                                                                                     \
    static ptrdiff_t scan_##NAME(const uint8_t *bytes, size_t count, size_t i) {                      \
        for (; i < count; i++) {                                                                       \
            if (byte_##NAME(bytes[i])) return (ptrdiff_t)i;                                            \
        }                                                                                              \
        return -1;                                                                                     \
    }
#endif

SCAN(quote_or_backslash)
SCAN(json_special)
SCAN(quote)
SCAN(csv_special)
SCAN(xml_special)
SCAN(html_special)
SCAN(url_unsafe)
SCAN(non_ascii)
SCAN(not_printable)

ptrdiff_t alifeed_first_in_class(const uint8_t *bytes, size_t count, size_t start, alifeed_byte_class byte_class) {
    if (start >= count) return -1;
    switch (byte_class) {
    case alifeed_quote_or_backslash: return scan_quote_or_backslash(bytes, count, start);
    case alifeed_json_special: return scan_json_special(bytes, count, start);
    case alifeed_quote: return scan_quote(bytes, count, start);
    case alifeed_csv_special: return scan_csv_special(bytes, count, start);
    case alifeed_xml_special: return scan_xml_special(bytes, count, start);
    case alifeed_html_special: return scan_html_special(bytes, count, start);
    case alifeed_url_unsafe: return scan_url_unsafe(bytes, count, start);
    case alifeed_non_ascii: return scan_non_ascii(bytes, count, start);
    case alifeed_not_printable: return scan_not_printable(bytes, count, start);
    }
    return -1;
}
