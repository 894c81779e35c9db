/* fuzz_po.c — libFuzzer target: the message catalogue's pure cores. A .po file as the reader
 * takes it (every entry's strings then through the printf signature and the {name}
 * placeholder scans), or, when the first byte is '!', the rest as an Accept-Language
 * header. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "seawall/i18n.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int each(void *ud, const struct sw_po_entry *e)
{
    char out[512];
    int i;

    (void)ud;
    sw_format_signature(e->msgid, out, sizeof(out));
    sw_placeholders(e->msgid, out, sizeof(out));
    if (e->plural != NULL)
        sw_format_signature(e->plural, out, sizeof(out));
    for (i = 0; i < e->nforms; i++) {
        sw_format_signature(e->msgstr[i], out, sizeof(out));
        sw_placeholders(e->msgstr[i], out, sizeof(out));
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];

    if (size > 0 && data[0] == '!') {
        char *header = malloc(size);

        if (header == NULL)
            return 0;
        memcpy(header, data + 1, size - 1);
        header[size - 1] = '\0';
        sw_lang_negotiate(header);
        free(header);
        return 0;
    }
    sw_po_parse((const char *)data, size, "fuzz.po", each, NULL, err, sizeof(err));
    return 0;
}
