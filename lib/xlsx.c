/* xlsx.c — tables as .xlsx workbooks through libxlsxwriter, built in an unnamed file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "seawall/xlsx.h"

/* A file for the library to write: unnamed (O_TMPFILE) when the file system allows, else
 * named and unlinked by the caller (*named set). Returns the descriptor and the path to
 * open it by, or -1. */
static int scratch(const char *tmpdir, char *path, size_t len, int *named)
{
    int fd = open(tmpdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

    *named = 0;
    if (fd >= 0) {
        snprintf(path, len, "/proc/self/fd/%d", fd);
        return fd;
    }
    if ((size_t)snprintf(path, len, "%s/xlsx-XXXXXX", tmpdir) >= len)
        return -1;
    fd = mkostemp(path, O_CLOEXEC);
    *named = fd >= 0;
    return fd;
}

static int write_sheet(lxw_workbook *wb, const char *sheet, const struct sw_xlsx_col *cols,
                       size_t ncols, const json_t *rows)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet);
    lxw_format *bold = workbook_add_format(wb);
    const json_t *row, *v;
    size_t r, k;
    lxw_error e = LXW_NO_ERROR;

    if (ws == NULL || bold == NULL)
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    format_set_bold(bold);
    for (k = 0; k < ncols && e == LXW_NO_ERROR; k++) {
        e = worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, cols[k].width, NULL);
        if (e == LXW_NO_ERROR)
            e = worksheet_write_string(ws, 0, (lxw_col_t)k, cols[k].name, bold);
    }
    worksheet_freeze_panes(ws, 1, 0);
    json_array_foreach(rows, r, row) {
        for (k = 0; k < ncols && e == LXW_NO_ERROR; k++) {
            lxw_row_t y = (lxw_row_t)(r + 1);
            char num[24];

            v = json_array_get(row, k);
            if (json_is_string(v) && json_string_length(v) > 0) {
                e = worksheet_write_string(ws, y, (lxw_col_t)k, json_string_value(v), NULL);
            } else if (json_is_integer(v) && cols[k].number) {
                e = worksheet_write_number(ws, y, (lxw_col_t)k,
                                           (double)json_integer_value(v), NULL);
            } else if (json_is_integer(v)) {
                snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
                e = worksheet_write_string(ws, y, (lxw_col_t)k, num, NULL);
            }
        }
        if (e != LXW_NO_ERROR)
            break;
    }
    return (int)e;
}

int sw_xlsx_table(const char *tmpdir, const char *sheet, const struct sw_xlsx_col *cols,
                  size_t ncols, const json_t *rows, struct sw_buf *out, char *err,
                  size_t errlen)
{
    lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = (char *)tmpdir,
                                 .use_zip64 = LXW_FALSE };
    char path[600];
    int named, fd = scratch(tmpdir, path, sizeof(path), &named), rc = SW_ERR, e;
    lxw_workbook *wb;
    struct stat st;
    size_t got = 0, before = out->len;

    snprintf(err, errlen, "no error");
    if (fd < 0) {
        snprintf(err, errlen, "a file in %s: %s", tmpdir, strerror(errno));
        return SW_ERR;
    }
    wb = workbook_new_opt(path, &opt);
    if (wb == NULL) {
        snprintf(err, errlen, "workbook_new_opt(%s) failed", path);
        goto out;
    }
    e = write_sheet(wb, sheet, cols, ncols, rows);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "writing the sheet: %s", lxw_strerror((lxw_error)e));
        workbook_close(wb);
        goto out;
    }
    e = (int)workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "workbook_close: %s", lxw_strerror((lxw_error)e));
        goto out;
    }
    if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
        snprintf(err, errlen, "reading the workbook back: %s", strerror(errno));
        goto out;
    }
    if ((size_t)st.st_size + out->len > out->max) {
        rc = SW_TOOBIG;
        goto out;
    }
    while (got < (size_t)st.st_size) {
        char buf[65536];
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n <= 0 || sw_buf_add(out, buf, (size_t)n) != SW_OK) {
            snprintf(err, errlen, "reading the workbook back: %s",
                     n < 0 ? strerror(errno) : "short read or no memory");
            out->len = before;
            goto out;
        }
        got += (size_t)n;
    }
    rc = SW_OK;
out:
    if (named)
        unlink(path);
    close(fd);
    return rc;
}
