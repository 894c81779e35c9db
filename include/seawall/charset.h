/* charset.h — text as spreadsheets save it, read into UTF-8: UTF-8 with or without a BOM,
 * UTF-16 (Excel's "Unicode text"), GB18030 and its subsets GBK and GB2312 (what Excel on
 * Chinese Windows saves as "CSV"). Conversions through ICU's converters, stopping at the first
 * byte that is not in the encoding, never substituting. */
#ifndef SEAWALL_CHARSET_H
#define SEAWALL_CHARSET_H

#include <stddef.h>

enum sw_charset {
    SW_CS_AUTO,        /* find out (sw_text_decode says how) */
    SW_CS_UTF8,
    SW_CS_UTF16,       /* by its BOM; little-endian without one (what Windows writes) */
    SW_CS_UTF16LE,
    SW_CS_UTF16BE,
    SW_CS_GB18030,     /* also read for GBK, GB2312 and code page 936: GB18030 holds them */
};

/* Reads a charset name as HTTP and people write it, in any case: utf-8, utf8, utf-16, unicode,
 * utf-16le, utf-16be, gb18030, gbk, gb2312, cp936, windows-936. SW_OK or SW_INVALID. */
int sw_charset_parse(const char *name, enum sw_charset *out);

/* The name to show for what was read: "UTF-8", "UTF-16LE", "UTF-16BE", "GB18030". */
const char *sw_charset_name(enum sw_charset cs);

struct sw_text {
    char *text;                /* UTF-8, NUL-terminated, no BOM; caller frees (sw_text_free) */
    size_t len;
    enum sw_charset charset;   /* what the bytes were read as (never AUTO or UTF16) */
    int bom;                   /* the bytes began with a byte order mark */
    /* When the bytes are not text in charset: */
    size_t bad_at;             /* offset of the first byte that is not */
    unsigned char bad[4];      /* it and up to three after it (nbad of them) */
    size_t nbad;
    int pua;                   /* they are in it, but name a private-use character */
};

/* Decodes len bytes into out->text. With SW_CS_AUTO: a BOM says UTF-8, UTF-16LE or UTF-16BE;
 * without one, a NUL in the second or first byte and again two later says UTF-16LE or BE
 * (a header such as "kind" begins with letters); else UTF-8 when the bytes are UTF-8 — or
 * nearly: more than three valid multi-byte characters for each byte that is not, which is a
 * UTF-8 file with a broken cell rather than GB18030 — else GB18030. GB18030 text is checked
 * too: a byte sequence that maps to a private-use character (user-defined areas, not text
 * anyone types) is refused. At most 3/2 × len + 4 bytes are allocated.
 * Returns SW_OK; SW_INVALID with bad_at, bad, nbad and pua saying where, and out->text holding
 * the UTF-8 of everything before bad_at (to say which line it is in); SW_ERR on no memory. */
int sw_text_decode(const char *in, size_t len, enum sw_charset cs, struct sw_text *out);

void sw_text_free(struct sw_text *t);

#endif
