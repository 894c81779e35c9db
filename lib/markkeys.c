/* markkeys.c — the keys of a mark for filing and for probing (include/seawall/markkeys.h). */
#include <string.h>

#include "seawall/markkeys.h"

uint64_t sw_key_hash(char tag, const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    h = (h ^ (unsigned char)tag) * 1099511628211ULL;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ? h : 1;
}

/* Calls fn for key itself and its one- and two-letter deletions, for keys of min1..max1
 * letters (their two-letter deletions from min2..max2). */
static int deletions(const char *key, size_t max1, size_t max2, sw_key_fn fn, void *ud)
{
    size_t n = strlen(key), i, j;
    char v[SW_DEL1_MAX + 3], w[SW_DEL1_MAX + 3];
    int rc = 0;

    if (n < SW_DEL1_MIN || n > max1)
        return 0;
    rc |= fn(ud, 'D', key);
    for (i = 0; i < n; i++) {
        if (i > 0 && key[i] == key[i - 1])
            continue;   /* deleting either of two equal letters gives the same string */
        memcpy(v, key, i);
        memcpy(v + i, key + i + 1, n - i);
        rc |= fn(ud, 'D', v);
        if (n < SW_DEL2_MIN || n > max2)
            continue;
        for (j = i; j + 1 < n; j++) {
            if (j > i && v[j] == v[j - 1])
                continue;
            memcpy(w, v, j);
            memcpy(w + j, v + j + 1, n - 1 - j);
            rc |= fn(ud, 'D', w);
        }
    }
    return rc;
}

static int file_one(sw_key_fn fn, void *ud, char tag, const char *key)
{
    return key[0] != '\0' ? fn(ud, tag, key) : 0;
}

int sw_mark_file_keys(const struct sw_keyref *k, sw_key_fn fn, void *ud)
{
    int rc = 0;

    rc |= file_one(fn, ud, 'E', k->exact);
    rc |= file_one(fn, ud, 'V', k->visual);
    if (strlen(k->phonetic) >= 2 && strlen(k->exact) >= 4)
        rc |= fn(ud, 'P', k->phonetic);
    if (strcmp(k->bare, k->exact) != 0)
        rc |= file_one(fn, ud, 'B', k->bare);
    rc |= deletions(k->exact, SW_DEL1_MAX, SW_DEL2_MAX, fn, ud);
    return rc;
}

int sw_mark_probe_keys(const struct sw_keyref *k, sw_key_fn fn, void *ud)
{
    int rc = 0;

    rc |= file_one(fn, ud, 'E', k->exact);
    rc |= file_one(fn, ud, 'V', k->visual);
    if (strlen(k->phonetic) >= 2 && strlen(k->exact) >= 4)
        rc |= fn(ud, 'P', k->phonetic);
    if (strcmp(k->bare, k->exact) != 0) {
        rc |= file_one(fn, ud, 'E', k->bare);
        rc |= file_one(fn, ud, 'B', k->bare);
    }
    rc |= file_one(fn, ud, 'B', k->exact);
    rc |= deletions(k->exact, SW_DEL1_MAX + 1, SW_DEL2_MAX + 2, fn, ud);
    return rc;
}
