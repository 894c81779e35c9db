/* templates.h — a centre's reply templates: a name and the text in Chinese and English with
 * placeholders ({exporter}, {case}, {deadline}, {rule}, {opposing_party}, {country}, {forum},
 * {expert}; "{{" and "}}" are braces), rendered into a case reply.
 *
 * Keys:
 *   sw:{centre:C}:templates     hash id -> the template (JSON)
 *   sw:seq:template             INCR counter for ids */
#ifndef SEAWALL_TEMPLATES_H
#define SEAWALL_TEMPLATES_H

#include <jansson.h>

#include "seawall/common.h"

struct sw_store;
struct sw_buf;

#define SW_TEMPLATES_MAX 500        /* templates of one centre */

extern const char *const sw_template_placeholders[];

/* SW_OK when every brace of text opens a known placeholder (or is doubled); else SW_INVALID
 * with the unknown name (or "" for a brace left open or alone) in bad. */
int sw_template_check(const char *text, char *bad, size_t badlen);

/* text with each placeholder replaced by vals' member of that name (a string; missing ones
 * by none, which may be NULL for ""), into out (reset first). SW_OK, or SW_TOOBIG past out's
 * ceiling. text must have passed sw_template_check. */
int sw_template_render(const char *text, const json_t *vals, const char *none,
                       struct sw_buf *out);

/* The store. put adds or replaces template id of centre (SW_TOOBIG when the centre has
 * SW_TEMPLATES_MAX others); get: SW_OK with *out, SW_NOTFOUND; list: every template, by id;
 * delete: SW_OK or SW_NOTFOUND. SW_EAGAIN when Redis did not answer. */
int sw_template_new_id(struct sw_store *s, long long *id);
int sw_template_put(struct sw_store *s, long long centre, long long id, const json_t *doc);
int sw_template_get(struct sw_store *s, long long centre, long long id, json_t **out);
int sw_template_list(struct sw_store *s, long long centre, json_t **out);
int sw_template_delete(struct sw_store *s, long long centre, long long id);

#endif
