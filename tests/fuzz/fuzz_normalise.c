/* fuzz_normalise.c — libFuzzer target: two texts (split at the first NUL) through the
 * normaliser as marks, names and text, the character fold, the search fold (the whole input,
 * NULs and all, into a small and a large ceiling: what it gives must be UTF-8 and never more
 * than fits), and the similarity of the two. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/buf.h"
#include "seawall/common.h"
#include "seawall/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a = malloc(size + 2), *b, chars[4 * SW_KEY_MAX], why[64];
    struct sw_keys ka, kb;
    int kind;

    if (a == NULL)
        return 0;
    memcpy(a, data, size);
    a[size] = a[size + 1] = '\0';
    b = a + strlen(a) + 1;
    for (kind = SW_NORM_MARK; kind <= SW_NORM_TEXT; kind++) {
        if (sw_normalise(a, (enum sw_norm_kind)kind, &ka) == SW_OK &&
            sw_normalise(b, (enum sw_norm_kind)kind, &kb) == SW_OK) {
            double s = sw_similarity(&ka, &kb, why, sizeof(why));

            if (s < 0 || s > 1)
                abort();
        }
    }
    sw_fold_chars(a, chars, sizeof(chars));
    {
        size_t caps[] = { 7, 1 << 16 }, i;

        for (i = 0; i < 2; i++) {
            struct sw_buf f;

            sw_buf_init(&f, caps[i]);
            if (sw_fold_search((const char *)data, size, &f) != SW_ERR &&
                (f.len > caps[i] || !sw_utf8_valid(f.p ? f.p : "", f.len, NULL)))
                abort();
            sw_buf_free(&f);
        }
    }
    sw_edit_distance(ka.exact, kb.exact, 3);
    free(a);
    return 0;
}
