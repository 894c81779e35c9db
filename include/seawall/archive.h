/* archive.h — feed documents inside ZIP and gzip archives (USPTO's daily and weekly bulk files,
 * a gzip'd export), read through libarchive and streamed entry by entry into the feed parsers
 * (feed.h) without unpacking anything to disk: an entry's name is only ever a name in a
 * message, never a path.
 *
 * Caps, each checked against what the archive declares before its data is read (so a bomb
 * with honest headers is refused before any event) and again against the bytes that really
 * come out (so one that lies is stopped where it passes the cap): entries, uncompressed bytes
 * of one entry and of the whole archive, and how many times an entry expands (checked once
 * 1 MiB of it has come out). An entry that is itself an archive (by its name or its first
 * bytes) is refused: archives inside archives are never read. Encrypted entries are refused.
 *
 * Entries read as feed documents: regular files named *.xml, *.rss, *.atom, *.rdf, *.json or
 * *.ics (the one member of a gzip file, whatever its name). Other files are passed over with a
 * warning, their data drained through the same caps; directories and links are passed over. */
#ifndef SEAWALL_ARCHIVE_H
#define SEAWALL_ARCHIVE_H

#include <stdint.h>

#include "seawall/feed.h"

enum sw_compression {
    SW_COMP_NONE = 0,   /* a plain document */
    SW_COMP_ZIP,
    SW_COMP_GZIP,
    SW_COMP_AUTO,       /* recognised from the first bytes (PK\3\4 or 1f 8b), else none */
};

/* Defaults (the config keys archive.* in lib/config.c say the same). */
#define SW_ARCHIVE_MAX_ENTRIES     10000ULL
#define SW_ARCHIVE_MAX_ENTRY_BYTES (4ULL << 30)
#define SW_ARCHIVE_MAX_TOTAL_BYTES (8ULL << 30)
#define SW_ARCHIVE_MAX_RATIO       200ULL
#define SW_ARCHIVE_RATIO_AFTER     (1ULL << 20)   /* bytes out before the ratio is judged */

struct sw_archive_limits {
    uint64_t max_entries;       /* 0: SW_ARCHIVE_MAX_ENTRIES */
    uint64_t max_entry_bytes;   /* uncompressed bytes of one entry; 0: default */
    uint64_t max_total_bytes;   /* uncompressed bytes of all entries; 0: default */
    uint64_t max_ratio;         /* uncompressed / compressed of one entry; 0: default */
};

struct sw_archive_stats {
    uint64_t entries;           /* entries seen */
    uint64_t parsed;            /* entries read as feed documents */
    uint64_t skipped;           /* entries passed over */
    uint64_t bytes_in;          /* archive bytes consumed */
    uint64_t bytes_out;         /* uncompressed bytes read */
};

/* Parses the feed documents in an archive of len bytes at buf (comp NONE parses buf as one
 * plain document). Events go to emit as with sw_feed_parse_buffer, and res sums every entry:
 * its err is the first entry's reason (prefixed with the entry's name) or the archive's own.
 * Returns SW_OK; SW_TOOBIG when a cap refused the archive (res->err names the cap and its
 * config key: "(archive.max_entry_bytes)"); SW_INVALID when the archive or an entry could not
 * be read (a broken archive names the entry and the byte of the archive where it broke);
 * SW_ERR without memory. st (may be NULL) receives the counts. */
int sw_archive_parse_buffer(const char *buf, size_t len, enum sw_compression comp,
                            const struct sw_archive_limits *lim, const struct sw_feed_opts *o,
                            sw_feed_emit_fn emit, void *ud, struct sw_feed_result *res,
                            struct sw_archive_stats *st);

/* Same, reading the archive from fd (from its current offset). A regular file is read twice:
 * once for the headers (the declared sizes and entries, judged before any data is parsed) and
 * once for the data; a pipe once, its caps judged as the data comes. fd stays open. */
int sw_archive_parse_fd(int fd, enum sw_compression comp, const struct sw_archive_limits *lim,
                        const struct sw_feed_opts *o, sw_feed_emit_fn emit, void *ud,
                        struct sw_feed_result *res, struct sw_archive_stats *st);

/* What the first bytes say: SW_COMP_ZIP, SW_COMP_GZIP or SW_COMP_NONE. */
enum sw_compression sw_compression_detect(const char *head, size_t len);

/* Names: none, zip, gzip, auto. */
const char *sw_compression_name(enum sw_compression c);
int sw_compression_parse(const char *name, enum sw_compression *out);

#endif
