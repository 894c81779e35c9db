/* zip.h — a ZIP archive written front to back to a sink, for answers streamed to a client:
 * every entry stored (method 0) with its CRC-32 and size known before its data (so the local
 * header is complete and no data descriptor follows), names flagged as UTF-8 (bit 11), the
 * central directory and its end record last. No ZIP64: at most SW_ZIP_MAX_ENTRIES entries and
 * under 4 GiB in all (sw_zip_fits says beforehand). Memory: one small record per entry. */
#ifndef SEAWALL_ZIP_H
#define SEAWALL_ZIP_H

#include <stddef.h>
#include <stdint.h>

#define SW_ZIP_MAX_ENTRIES 65535
#define SW_ZIP_NAME_MAX 1024

/* Writes n bytes somewhere; 0, or -1 when they could not be (the client went away). */
typedef int (*sw_zip_sink)(void *ud, const void *p, size_t n);

struct sw_zip_rec;

struct sw_zip {
    sw_zip_sink sink;
    void *ud;
    uint64_t offset;             /* bytes written so far */
    struct sw_zip_rec *recs;     /* one per entry begun */
    size_t n, cap;
    uint64_t left;               /* bytes the current entry still expects */
    int failed;                  /* a write failed or the archive went wrong: all later calls
                                  * fail */
};

/* CRC-32 (ISO 3309, as ZIP and gzip use) of n bytes, continuing from crc (0 to start). */
uint32_t sw_crc32(uint32_t crc, const void *p, size_t n);

/* 1 when an archive of entries entries, whose names take name_bytes and data data_bytes in
 * all, stays within what a ZIP without ZIP64 can say. */
int sw_zip_fits(size_t entries, uint64_t name_bytes, uint64_t data_bytes);

void sw_zip_init(struct sw_zip *z, sw_zip_sink sink, void *ud);

/* Starts entry name (UTF-8, '/' between folders, 1 to SW_ZIP_NAME_MAX bytes) of size bytes
 * whose CRC-32 is crc, dated mtime_ms (UTC). The previous entry must have had all its bytes.
 * SW_OK; SW_INVALID for a bad name or a previous entry cut short; SW_TOOBIG past the ZIP
 * limits; SW_ERR when the sink failed or no memory. */
int sw_zip_begin(struct sw_zip *z, const char *name, uint32_t crc, uint64_t size,
                 int64_t mtime_ms);

/* The current entry's next n bytes (never more than it declared: SW_INVALID). */
int sw_zip_data(struct sw_zip *z, const void *p, size_t n);

/* An entry held in memory: begin and data in one call. */
int sw_zip_add(struct sw_zip *z, const char *name, const void *p, size_t n, int64_t mtime_ms);

/* Writes the central directory and the end record. SW_OK, or as sw_zip_begin. */
int sw_zip_finish(struct sw_zip *z);

/* Frees what z holds (not the sink). */
void sw_zip_free(struct sw_zip *z);

#endif
