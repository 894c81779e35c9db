/* report.c — the organiser's printable report of a show's incidents: an HTML page in the
 * fair's local time (the show's zone), labelled in Chinese, English and German side by side
 * or in one of them, with a summary (counts by kind and status, answers within the deadline)
 * and a print layout (A4 landscape, the table's head repeated on every page). English and
 * Chinese labels come from the message catalogue like every other text; German only here,
 * from the table below (see docs/shows.md "The organiser's report"). */
#include <stdio.h>
#include <string.h>

#include "seawall/buf.h"
#include "seawall/date.h"
#include "seawall/i18n.h"
#include "seawall/shows.h"
#include "seawall/zone.h"
#include "api.h"

/* A label: its English text (the catalogue's msgid, which gives the Chinese) and its German. */
struct label {
    const char *key;
    const char *en;
    const char *de;
};

static const struct label labels[] = {
    { "title", SW_N("IP incidents"), "Schutzrechtsvorfälle" },
    { "venue", SW_N("Venue"), "Veranstaltungsort" },
    { "dates", SW_N("Show days"), "Messetage" },
    { "organiser", SW_N("Organiser"), "Veranstalter" },
    { "zone", SW_N("Local time"), "Ortszeit" },
    { "made", SW_N("Report made"), "Bericht erstellt" },
    { "summary", SW_N("Summary"), "Zusammenfassung" },
    { "incidents", SW_N("Incidents"), "Vorfälle" },
    { "by_kind", SW_N("By kind"), "Nach Art" },
    { "by_status", SW_N("By status"), "Nach Status" },
    { "by_deadline", SW_N("Answer within the deadline"), "Antwort innerhalb der Frist" },
    { "escalated_n", SW_N("Escalated to a case"), "An einen Fall übergeben" },
    { "evidence_n", SW_N("Evidence files"), "Beweisdateien" },
    { "more", SW_N("Only the first incidents (shows.export_max)"),
      "Nur die ersten Vorfälle (shows.export_max)" },
    { "no", SW_N("No."), "Nr." },
    { "received", SW_N("Received"), "Eingegangen" },
    { "hall", SW_N("Hall"), "Halle" },
    { "booth", SW_N("Booth"), "Stand" },
    { "kind", SW_N("Kind"), "Art" },
    { "product", SW_N("Product category"), "Produktkategorie" },
    { "exhibitor", SW_N("Exhibitor"), "Aussteller" },
    { "complainant", SW_N("Complainant"), "Beschwerdeführer" },
    { "rights", SW_N("Rights invoked"), "Geltend gemachte Schutzrechte" },
    { "measures", SW_N("Measures"), "Maßnahmen" },
    { "due", SW_N("Answer due"), "Antwort fällig" },
    { "answered_at", SW_N("Answered at"), "Beantwortet am" },
    { "deadline", SW_N("Deadline"), "Frist" },
    { "status", SW_N("Status"), "Status" },
    { "case", SW_N("Case"), "Fall" },
    { "evidence", SW_N("Evidence"), "Beweise" },
    { "notes", SW_N("Notes"), "Notizen" },
    { "device", SW_N("† time recorded by the station's device"),
      "† vom Gerät der Servicestelle erfasste Zeit" },
    { "footer", SW_N("Each incident's evidence is kept with the SHA-256 recorded at upload."),
      "Die Beweisdateien jedes Vorfalls sind mit der beim Hochladen erfassten SHA-256 "
      "verzeichnet." },
    { "show_id", SW_N("Show id"), "Messe-ID" },
    /* kinds */
    { "complaint_received", SW_N("Complaint received"), "Beschwerde eingegangen" },
    { "booth_inspection", SW_N("Booth inspection"), "Standkontrolle" },
    { "evidence_preserved", SW_N("Evidence preserved"), "Beweise gesichert" },
    { "mediation", SW_N("Mediation"), "Schlichtung" },
    { "goods_removed", SW_N("Goods removed"), "Waren entfernt" },
    { "injunction_served", SW_N("Injunction served"), "Einstweilige Verfügung zugestellt" },
    { "customs_sweep", SW_N("Customs sweep"), "Zollkontrolle" },
    { "other", SW_N("Other"), "Sonstiges" },
    /* statuses */
    { "open", SW_N("Open"), "Offen" },
    { "answered", SW_N("Answered"), "Beantwortet" },
    { "mediated", SW_N("Mediated"), "Geschlichtet" },
    { "escalated", SW_N("Escalated"), "Eskaliert" },
    { "closed", SW_N("Closed"), "Abgeschlossen" },
    /* the answer deadline's standing */
    { "running", SW_N("Running"), "Läuft" },
    { "overdue", SW_N("Overdue"), "Überfällig" },
    { "answered_in_time", SW_N("Answered in time"), "Fristgerecht beantwortet" },
    { "answered_late", SW_N("Answered late"), "Verspätet beantwortet" },
    { "stopped", SW_N("Stopped"), "Angehalten" },
};

static const char *const langs[] = { SW_LANG_ZH_CN, SW_LANG_EN, "de" };

static const char *const deadline_states[] = { "running", "overdue", "answered_in_time",
                                               "answered_late", "stopped", NULL };

static const struct label *label_of(const char *key)
{
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(labels); i++)
        if (strcmp(labels[i].key, key) == 0)
            return &labels[i];
    return NULL;
}

/* The label's text in one language. */
static const char *label_in(const struct label *l, const char *lang)
{
    if (strcmp(lang, "de") == 0)
        return l->de;
    return sw_tr(lang, l->en);
}

/* Appends label key (or, for a key with no label, the key itself) in lang, or in all three
 * languages, each in a span of its own. */
static void put_label(struct sw_buf *b, const char *key, const char *lang)
{
    const struct label *l = label_of(key);
    size_t i;

    if (l == NULL) {
        sw_buf_add_html(b, key);
        return;
    }
    if (strcmp(lang, "all") != 0) {
        sw_buf_add_html(b, label_in(l, lang));
        return;
    }
    for (i = 0; i < SW_ARRAY_LEN(langs); i++) {
        sw_buf_printf(b, "<span class=l lang=%s>", langs[i]);
        sw_buf_add_html(b, label_in(l, langs[i]));
        sw_buf_adds(b, "</span>");
    }
}

static const char *str_at(const json_t *v, const char *a, const char *b)
{
    const json_t *x = json_object_get(v, a);

    if (b != NULL)
        x = json_object_get(x, b);
    return json_string_value(x) ?: "";
}

/* "+08:00" for offset_s. */
static void offset_text(int offset_s, char *out, size_t n)
{
    int a = offset_s < 0 ? -offset_s : offset_s;

    snprintf(out, n, "%c%02d:%02d", offset_s < 0 ? '-' : '+', a / 3600, a % 3600 / 60);
}

/* The local time in zone of an ISO 8601 instant ("2026-10-15 17:30"), with its offset when
 * it is not the report's (base_offset: a fair that passes a change of summer time); "" for
 * none. Appends to b, escaped. */
static void put_local(struct sw_buf *b, const char *zone, int base_offset, const char *iso)
{
    struct sw_local t;
    int64_t ms;
    char off[16];

    if (iso == NULL || iso[0] == '\0' || sw_date_ms(iso, &ms) != SW_OK ||
        sw_zone_local(zone, ms, &t) != SW_OK)
        return;
    sw_buf_printf(b, "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
    if (t.offset_s != base_offset) {
        offset_text(t.offset_s, off, sizeof(off));
        sw_buf_printf(b, " (UTC%s)", off);
    }
}

/* Counts of values of field (path a, b) among views, in the order of keys. */
static void count_rows(struct sw_buf *b, const json_t *views, const char *a, const char *f,
                       const char *const *keys, const char *lang)
{
    size_t i, j;
    const json_t *v;

    for (i = 0; keys[i] != NULL; i++) {
        size_t n = 0;

        json_array_foreach(views, j, v)
            n += strcmp(str_at(v, a, f), keys[i]) == 0;
        sw_buf_adds(b, "<tr><th>");
        put_label(b, keys[i], lang);
        sw_buf_printf(b, "</th><td class=n>%zu</td></tr>", n);
    }
}

static const char *const columns[] = { "no", "received", "hall", "booth", "kind", "product",
                                       "exhibitor", "complainant", "rights", "measures", "due",
                                       "answered_at", "deadline", "status", "case", "evidence",
                                       "notes", NULL };

static const char css[] =
    "body{font:10pt/1.35 'Noto Sans','Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
    "'Microsoft YaHei',sans-serif;margin:2em;color:#111}"
    "h1{font-size:16pt;margin:0 0 .4em}h2{font-size:12pt;margin:1em 0 .3em}"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:0}"
    "dl.facts dt{font-weight:bold}dl.facts dd{margin:0}"
    ".l{display:block}.l+.l{font-size:85%;color:#444;font-weight:normal}"
    "h1 .l+.l{display:inline;font-size:70%}h1 .l+.l:before{content:' / '}"
    ".summary{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}"
    "table{border-collapse:collapse}td,th{border:1px solid #888;padding:2px 5px;"
    "vertical-align:top;text-align:left}th{background:#eee}td.n{text-align:right}"
    "table.incidents{width:100%;margin-top:1em;font-size:8.5pt}"
    "table.incidents td{word-break:break-word}"
    "footer{margin-top:1em;font-size:8.5pt;color:#444}"
    "@page{size:A4 landscape;margin:12mm}"
    "@media print{body{margin:0}thead{display:table-header-group}"
    "tr,.summary table{page-break-inside:avoid}h2{page-break-after:avoid}"
    "th{background:#eee;-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* The page's head, the show's facts and the summary, into b. */
static void head(struct sw_buf *b, const json_t *show, const json_t *views, int more,
                 const char *lang, const char *zone, int base_offset, int64_t now)
{
    size_t i, esc = 0, files = 0;
    const json_t *v;
    char off[16], when[32];

    sw_buf_printf(b, "<!doctype html><html lang=%s><meta charset=utf-8>"
                     "<meta name=viewport content=\"width=device-width\"><title>",
                  strcmp(lang, "all") == 0 ? "mul" : lang);
    sw_buf_add_html(b, label_in(label_of("title"), strcmp(lang, "all") == 0 ? "en" : lang));
    sw_buf_adds(b, " — ");
    sw_buf_add_html(b, str_at(show, "name", NULL));
    sw_buf_printf(b, "</title><style>%s</style><header><h1>", css);
    put_label(b, "title", lang);
    sw_buf_adds(b, " <span class=show>");
    sw_buf_add_html(b, str_at(show, "name", NULL));
    sw_buf_adds(b, "</span></h1><dl class=facts><dt>");
    put_label(b, "venue", lang);
    sw_buf_adds(b, "</dt><dd>");
    sw_buf_add_html(b, str_at(show, "venue", NULL));
    sw_buf_adds(b, " ");
    sw_buf_add_html(b, str_at(show, "city", NULL));
    sw_buf_adds(b, " ");
    sw_buf_add_html(b, str_at(show, "country", NULL));
    sw_buf_adds(b, "</dd><dt>");
    put_label(b, "dates", lang);
    sw_buf_adds(b, "</dt><dd>");
    sw_buf_add_html(b, str_at(show, "starts", NULL));
    sw_buf_adds(b, " – ");
    sw_buf_add_html(b, str_at(show, "ends", NULL));
    sw_buf_adds(b, "</dd><dt>");
    put_label(b, "organiser", lang);
    sw_buf_adds(b, "</dt><dd>");
    sw_buf_add_html(b, str_at(show, "organiser", NULL));
    sw_buf_adds(b, "</dd><dt>");
    put_label(b, "zone", lang);
    offset_text(base_offset, off, sizeof(off));
    sw_buf_adds(b, "</dt><dd>");
    sw_buf_add_html(b, zone);
    sw_buf_printf(b, " (UTC%s)</dd><dt>", off);
    put_label(b, "made", lang);
    sw_buf_adds(b, "</dt><dd>");
    put_local(b, zone, base_offset, sw_iso8601(now, when, sizeof(when)));
    sw_buf_adds(b, "</dd></dl></header><h2>");
    put_label(b, "summary", lang);
    sw_buf_adds(b, "</h2><section class=summary><table class=totals><tr><th>");
    put_label(b, "incidents", lang);
    json_array_foreach(views, i, v) {
        esc += json_is_integer(json_object_get(v, "case_id"));
        files += (size_t)json_integer_value(json_object_get(v, "evidence_count"));
    }
    sw_buf_printf(b, "</th><td class=n>%zu</td></tr><tr><th>", json_array_size(views));
    put_label(b, "escalated_n", lang);
    sw_buf_printf(b, "</th><td class=n>%zu</td></tr><tr><th>", esc);
    put_label(b, "evidence_n", lang);
    sw_buf_printf(b, "</th><td class=n>%zu</td></tr>", files);
    if (more) {
        sw_buf_adds(b, "<tr><td colspan=2>");
        put_label(b, "more", lang);
        sw_buf_adds(b, "</td></tr>");
    }
    sw_buf_adds(b, "</table><table class=by-kind><caption>");
    put_label(b, "by_kind", lang);
    sw_buf_adds(b, "</caption>");
    count_rows(b, views, "kind", NULL, sw_incident_kinds, lang);
    sw_buf_adds(b, "</table><table class=by-status><caption>");
    put_label(b, "by_status", lang);
    sw_buf_adds(b, "</caption>");
    count_rows(b, views, "status", NULL, sw_incident_statuses, lang);
    sw_buf_adds(b, "</table><table class=by-deadline><caption>");
    put_label(b, "by_deadline", lang);
    sw_buf_adds(b, "</caption>");
    count_rows(b, views, "deadline", "status", deadline_states, lang);
    sw_buf_adds(b, "</table></section><table class=incidents><thead><tr>");
    for (i = 0; columns[i] != NULL; i++) {
        sw_buf_adds(b, "<th>");
        put_label(b, columns[i], lang);
        sw_buf_adds(b, "</th>");
    }
    sw_buf_adds(b, "</tr></thead><tbody>\n");
}

/* "trademark 123; patent US1", or the measures "a; b". */
static void put_list(struct sw_buf *b, const json_t *list, int rights)
{
    const json_t *m;
    size_t i;

    json_array_foreach(list, i, m) {
        if (i > 0)
            sw_buf_adds(b, "; ");
        if (rights) {
            sw_buf_add_html(b, str_at(m, "type", NULL));
            sw_buf_adds(b, " ");
            sw_buf_add_html(b, str_at(m, "number", NULL));
        } else {
            sw_buf_add_html(b, json_string_value(m) ?: "");
        }
    }
}

/* One incident's row into b. */
static void row(struct sw_buf *b, const json_t *v, const char *lang, const char *zone,
                int base_offset)
{
    const json_t *dev = json_object_get(v, "device");

    sw_buf_printf(b, "<tr><td class=n>%lld</td><td>",
                  (long long)json_integer_value(json_object_get(v, "id")));
    put_local(b, zone, base_offset, str_at(v, "received_at", NULL));
    if (json_is_string(json_object_get(dev, "received_at")))
        sw_buf_adds(b, " †");
    sw_buf_adds(b, "</td><td>");
    sw_buf_add_html(b, str_at(v, "hall", NULL));
    sw_buf_adds(b, "</td><td>");
    sw_buf_add_html(b, str_at(v, "booth", NULL));
    sw_buf_adds(b, "</td><td>");
    put_label(b, str_at(v, "kind", NULL), lang);
    sw_buf_adds(b, "</td><td>");
    sw_buf_add_html(b, str_at(v, "product_category", NULL));
    sw_buf_adds(b, "</td><td>");
    sw_buf_add_html(b, str_at(v, "exhibitor", "name"));
    sw_buf_adds(b, "</td><td>");
    sw_buf_add_html(b, str_at(v, "complainant", "name"));
    sw_buf_adds(b, "</td><td>");
    put_list(b, json_object_get(v, "rights"), 1);
    sw_buf_adds(b, "</td><td>");
    put_list(b, json_object_get(v, "measures"), 0);
    sw_buf_adds(b, "</td><td>");
    put_local(b, zone, base_offset, str_at(v, "deadline", "at"));
    sw_buf_adds(b, "</td><td>");
    put_local(b, zone, base_offset, str_at(v, "answered_at", NULL));
    if (json_is_string(json_object_get(dev, "answered_at")))
        sw_buf_adds(b, " †");
    sw_buf_adds(b, "</td><td>");
    if (str_at(v, "deadline", "status")[0] != '\0')
        put_label(b, str_at(v, "deadline", "status"), lang);
    sw_buf_adds(b, "</td><td>");
    put_label(b, str_at(v, "status", NULL), lang);
    sw_buf_adds(b, "</td><td>");
    if (json_is_integer(json_object_get(v, "case_id")))
        sw_buf_printf(b, "%lld", (long long)json_integer_value(json_object_get(v, "case_id")));
    sw_buf_printf(b, "</td><td class=n>%lld</td><td>",
                  (long long)json_integer_value(json_object_get(v, "evidence_count")));
    sw_buf_add_html(b, str_at(v, "notes", NULL));
    sw_buf_adds(b, "</td></tr>\n");
}

int sw_incidents_report(struct sw_ctx *c, const json_t *show, const json_t *docs, int more,
                        const char *lang, struct sw_buf *out, size_t *fitted)
{
    char zone[SW_ZONE_MAX + 1];
    struct sw_buf part;
    struct sw_local t;
    int64_t now = sw_cases_now(c), first = now;
    json_t *views = json_array(), *d;
    size_t i;
    int base_offset = 0, rc;

    *fitted = 0;
    sw_show_zone(show, zone, sizeof(zone), NULL);
    /* The report's offset: the zone's on the fair's first day (a later change of summer time
     * shows beside the times it touches). */
    if (sw_date_ms(str_at(show, "starts", NULL), &first) == SW_OK)
        first += 12 * 3600000LL;
    if (sw_zone_local(zone, first, &t) == SW_OK)
        base_offset = t.offset_s;
    json_array_foreach(docs, i, d)
        json_array_append_new(views, sw_incident_view(d, now));
    sw_buf_init(&part, 4 * 1024 * 1024);
    head(&part, show, views, more, lang, zone, base_offset, now);
    rc = sw_buf_add(out, part.p, part.len);
    json_array_foreach(views, i, d) {
        if (rc != SW_OK)
            break;
        sw_buf_reset(&part);
        row(&part, d, lang, zone, base_offset);
        rc = sw_buf_add(out, part.p, part.len);
        *fitted += rc == SW_OK;
    }
    if (rc == SW_OK) {
        sw_buf_reset(&part);
        sw_buf_adds(&part, "</tbody></table><footer><p>");
        put_label(&part, "device", lang);
        sw_buf_adds(&part, "</p><p>");
        put_label(&part, "footer", lang);
        sw_buf_adds(&part, "</p><p>");
        put_label(&part, "show_id", lang);
        sw_buf_adds(&part, ": ");
        sw_buf_add_html(&part, str_at(show, "id", NULL));
        sw_buf_adds(&part, "</p></footer></html>\n");
        rc = sw_buf_add(out, part.p, part.len);
    }
    sw_buf_free(&part);
    json_decref(views);
    return rc == SW_OK ? SW_OK : SW_TOOBIG;
}
