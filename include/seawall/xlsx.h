/* xlsx.h — a table written as an Excel workbook (.xlsx) through libxlsxwriter. */
#ifndef SEAWALL_XLSX_H
#define SEAWALL_XLSX_H

#include <jansson.h>

#include "seawall/buf.h"

struct sw_xlsx_col {
    const char *name;   /* the header cell */
    double width;       /* in characters, as Excel counts them */
    int number;         /* integer cells of this column are numbers (others stay text) */
};

/* Appends to out a workbook of one sheet named sheet: a bold header row that stays in view,
 * then rows (an array of arrays, one value per column: a string is written as text — never
 * read as a formula or a date —, an integer as a number where the column says so, else as
 * text, null as an empty cell). The library writes to a file without a name in tmpdir
 * (O_TMPFILE, or a name removed before returning where the file system has none), so nothing
 * is left behind. Returns SW_OK, SW_TOOBIG (past out's ceiling; out unchanged) or SW_ERR
 * with the reason in err. */
int sw_xlsx_table(const char *tmpdir, const char *sheet, const struct sw_xlsx_col *cols,
                  size_t ncols, const json_t *rows, struct sw_buf *out, char *err,
                  size_t errlen);

#endif
