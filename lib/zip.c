/* zip.c — ZIP archives written front to back (stored entries, CRC-32 from zlib): the local
 * headers as entries begin, the central directory at the end (PKWARE APPNOTE 6.3, 4.3). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "seawall/common.h"
#include "seawall/zip.h"

#define LOCAL_SIZE 30
#define CENTRAL_SIZE 46
#define END_SIZE 22
#define FLAG_UTF8 0x0800
#define LIMIT 0xFFFFFFFFULL

struct sw_zip_rec {
    char *name;
    uint32_t crc, size, offset;
    uint16_t time, date;
};

uint32_t sw_crc32(uint32_t crc, const void *p, size_t n)
{
    const unsigned char *b = p;

    while (n > 0) {   /* zlib counts in uInt */
        uInt k = n > 0x40000000u ? 0x40000000u : (uInt)n;

        crc = (uint32_t)crc32(crc, b, k);
        b += k;
        n -= k;
    }
    return crc;
}

int sw_zip_fits(size_t entries, uint64_t name_bytes, uint64_t data_bytes)
{
    uint64_t total = data_bytes + 2 * name_bytes +
                     (uint64_t)entries * (LOCAL_SIZE + CENTRAL_SIZE) + END_SIZE;

    return entries <= SW_ZIP_MAX_ENTRIES && data_bytes < LIMIT && total < LIMIT;
}

void sw_zip_init(struct sw_zip *z, sw_zip_sink sink, void *ud)
{
    memset(z, 0, sizeof(*z));
    z->sink = sink;
    z->ud = ud;
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)((v >> 8) & 0xff);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v & 0xffff);
    put16(p + 2, v >> 16);
}

static int emit(struct sw_zip *z, const void *p, size_t n)
{
    if (z->failed)
        return SW_ERR;
    if (n > 0 && z->sink(z->ud, p, n) != 0) {
        z->failed = 1;
        return SW_ERR;
    }
    z->offset += n;
    return SW_OK;
}

/* MS-DOS date and time of ms (UTC), from 1980 (earlier instants read as 1980-01-01). */
static void dos_time(int64_t ms, uint16_t *t, uint16_t *d)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;

    if (ms < 315532800000LL || gmtime_r(&s, &tm) == NULL || tm.tm_year + 1900 > 2107) {
        *t = 0;
        *d = (1 << 5) | 1;
        return;
    }
    *t = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *d = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

int sw_zip_begin(struct sw_zip *z, const char *name, uint32_t crc, uint64_t size,
                 int64_t mtime_ms)
{
    unsigned char h[LOCAL_SIZE];
    size_t len = name != NULL ? strlen(name) : 0;
    struct sw_zip_rec *r;

    if (z->failed)
        return SW_ERR;
    if (len == 0 || len > SW_ZIP_NAME_MAX || name[0] == '/' || z->left != 0)
        return SW_INVALID;
    if (z->n >= SW_ZIP_MAX_ENTRIES || size >= LIMIT || z->offset >= LIMIT ||
        z->offset + LOCAL_SIZE + len + size >= LIMIT)
        return SW_TOOBIG;
    if (z->n == z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 16;
        struct sw_zip_rec *more = realloc(z->recs, cap * sizeof(*more));

        if (more == NULL)
            return SW_ERR;
        z->recs = more;
        z->cap = cap;
    }
    r = &z->recs[z->n];
    r->name = strdup(name);
    if (r->name == NULL)
        return SW_ERR;
    z->n++;
    r->crc = crc;
    r->size = (uint32_t)size;
    r->offset = (uint32_t)z->offset;
    dos_time(mtime_ms, &r->time, &r->date);
    put32(h, 0x04034b50);
    put16(h + 4, 20);             /* version needed: 2.0 */
    put16(h + 6, FLAG_UTF8);
    put16(h + 8, 0);              /* stored */
    put16(h + 10, r->time);
    put16(h + 12, r->date);
    put32(h + 14, crc);
    put32(h + 18, r->size);       /* compressed: the same */
    put32(h + 22, r->size);
    put16(h + 26, (unsigned)len);
    put16(h + 28, 0);
    if (emit(z, h, sizeof(h)) != SW_OK || emit(z, name, len) != SW_OK)
        return SW_ERR;
    z->left = size;
    return SW_OK;
}

int sw_zip_data(struct sw_zip *z, const void *p, size_t n)
{
    if (z->failed)
        return SW_ERR;
    if (n > z->left) {
        z->failed = 1;
        return SW_INVALID;
    }
    z->left -= n;
    return emit(z, p, n);
}

int sw_zip_add(struct sw_zip *z, const char *name, const void *p, size_t n, int64_t mtime_ms)
{
    int rc = sw_zip_begin(z, name, sw_crc32(0, p, n), n, mtime_ms);

    return rc != SW_OK ? rc : sw_zip_data(z, p, n);
}

int sw_zip_finish(struct sw_zip *z)
{
    unsigned char h[CENTRAL_SIZE], e[END_SIZE];
    uint64_t start = z->offset;
    size_t i;

    if (z->failed)
        return SW_ERR;
    if (z->left != 0) {
        z->failed = 1;
        return SW_INVALID;
    }
    for (i = 0; i < z->n; i++) {
        const struct sw_zip_rec *r = &z->recs[i];
        size_t len = strlen(r->name);

        put32(h, 0x02014b50);
        put16(h + 4, (3 << 8) | 30);   /* made by: Unix, 3.0 */
        put16(h + 6, 20);
        put16(h + 8, FLAG_UTF8);
        put16(h + 10, 0);
        put16(h + 12, r->time);
        put16(h + 14, r->date);
        put32(h + 16, r->crc);
        put32(h + 20, r->size);
        put32(h + 24, r->size);
        put16(h + 28, (unsigned)len);
        put16(h + 30, 0);              /* extra */
        put16(h + 32, 0);              /* comment */
        put16(h + 34, 0);              /* disk */
        put16(h + 36, 0);              /* internal attributes */
        put32(h + 38, (uint32_t)0100644 << 16);   /* a regular file, rw-r--r-- */
        put32(h + 42, r->offset);
        if (emit(z, h, sizeof(h)) != SW_OK || emit(z, r->name, len) != SW_OK)
            return SW_ERR;
    }
    if (z->offset >= LIMIT) {
        z->failed = 1;
        return SW_TOOBIG;
    }
    put32(e, 0x06054b50);
    put16(e + 4, 0);
    put16(e + 6, 0);
    put16(e + 8, (unsigned)z->n);
    put16(e + 10, (unsigned)z->n);
    put32(e + 12, (uint32_t)(z->offset - start));
    put32(e + 16, (uint32_t)start);
    put16(e + 20, 0);
    return emit(z, e, sizeof(e));
}

void sw_zip_free(struct sw_zip *z)
{
    size_t i;

    for (i = 0; z != NULL && i < z->n; i++)
        free(z->recs[i].name);
    if (z != NULL) {
        free(z->recs);
        z->recs = NULL;
        z->n = z->cap = 0;
    }
}
