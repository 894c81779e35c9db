/* message.c — alerts as people read them, in their language: reason sentences, titles and
 * summaries, mails and digests, messenger markdown; numbers and dates through ICU. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

#include "seawall/alerts.h"
#include "seawall/bulletins.h"
#include "seawall/date.h"
#include "seawall/delivery.h"
#include "seawall/i18n.h"
#include "seawall/message.h"
#include "seawall/zone.h"

#define TITLE_MAX 300     /* bytes of an outside title shown in a subject or a card */

static const char *locale_of(const char *lang)
{
    return lang != NULL && strcmp(lang, SW_LANG_ZH_CN) == 0 ? "zh_CN" : "en";
}

static const char *str(const json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* Cuts s (NUL-terminated) to at most max bytes, never inside a UTF-8 sequence. */
static void utf8_cut(char *s, size_t max)
{
    size_t n = strlen(s);

    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    s[max] = '\0';
}

/* in as one line of at most max bytes (controls become spaces) into out (>= max + 1). */
static void one_line(char *out, size_t outlen, const char *in, size_t max)
{
    size_t i;

    sw_strlcpy(out, in != NULL ? in : "", outlen);
    utf8_cut(out, max < outlen ? max : outlen - 1);
    for (i = 0; out[i] != '\0'; i++)
        if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
            out[i] = ' ';
}

/* --- numbers, dates, labels -------------------------------------------------------------- */

int sw_msg_percent(const char *lang, double v, char *out, size_t outlen)
{
    UErrorCode st = U_ZERO_ERROR;
    UNumberFormat *f = unum_open(UNUM_PERCENT, NULL, 0, locale_of(lang), NULL, &st);
    UChar u[64];
    int32_t n = 0;

    if (U_SUCCESS(st)) {
        unum_setAttribute(f, UNUM_MIN_FRACTION_DIGITS, 0);
        unum_setAttribute(f, UNUM_MAX_FRACTION_DIGITS, 1);
        n = unum_formatDouble(f, v, u, (int32_t)SW_ARRAY_LEN(u), NULL, &st);
    }
    unum_close(f);
    if (U_SUCCESS(st))
        u_strToUTF8(out, (int32_t)outlen, NULL, u, n, &st);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING) {
        sw_strlcpy(out, "?", outlen);
        return SW_ERR;
    }
    return SW_OK;
}

int sw_msg_date(const char *lang, const char *tz, int64_t ms, char *out, size_t outlen)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar zone[SW_ZONE_MAX + 1], skel[16], pat[96], u[160];
    UDateTimePatternGenerator *g = NULL;
    UDateFormat *df = NULL;
    int32_t zn = 0, pn = 0, n = 0;

    if (tz == NULL || !sw_zone_valid(tz))
        tz = "UTC";
    u_strFromUTF8(zone, (int32_t)SW_ARRAY_LEN(zone), &zn, tz, -1, &st);
    u_uastrcpy(skel, "yMMMdjmz");
    g = udatpg_open(locale_of(lang), &st);
    if (U_SUCCESS(st))
        pn = udatpg_getBestPattern(g, skel, -1, pat, (int32_t)SW_ARRAY_LEN(pat), &st);
    if (U_SUCCESS(st))
        df = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale_of(lang), zone, zn, pat, pn, &st);
    if (U_SUCCESS(st))
        n = udat_format(df, (UDate)ms, u, (int32_t)SW_ARRAY_LEN(u), NULL, &st);
    if (U_SUCCESS(st))
        u_strToUTF8(out, (int32_t)outlen, NULL, u, n, &st);
    if (df != NULL)
        udat_close(df);
    if (g != NULL)
        udatpg_close(g);
    if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING) {
        sw_iso8601(ms, out, outlen);
        return SW_ERR;
    }
    return SW_OK;
}

const char *sw_msg_severity(const char *lang, const char *severity)
{
    if (severity == NULL)
        return "";
    if (strcmp(severity, "critical") == 0)
        return sw_tr(lang, "Critical");
    if (strcmp(severity, "high") == 0)
        return sw_tr(lang, "High");
    if (strcmp(severity, "medium") == 0)
        return sw_tr(lang, "Medium");
    if (strcmp(severity, "low") == 0)
        return sw_tr(lang, "Low");
    return severity;
}

/* TRANSLATORS: the kinds of a watch-list item, as in "your keyword “led lamps”". */
static const char *const kinds[][2] = {
    { "name", SW_N("company name") },
    { "mark", SW_N("trademark") },
    { "keyword", SW_N("keyword") },
    { "patent", SW_N("patent") },
    { "show", SW_N("trade fair") },
    { "market", SW_N("market") },
};

const char *sw_msg_kind(const char *lang, const char *kind)
{
    size_t i;

    for (i = 0; kind != NULL && i < SW_ARRAY_LEN(kinds); i++)
        if (strcmp(kind, kinds[i][0]) == 0)
            return sw_tr(lang, kinds[i][1]);
    return kind != NULL ? kind : "";
}

/* TRANSLATORS: why two names or marks match, in brackets after them: "(similar spelling)". */
static const char *const whys[][2] = {
    { "identical", SW_N("identical") },
    { "spelling", SW_N("similar spelling") },
    { "look-alike characters", SW_N("look-alike characters") },
    { "look-alike spelling", SW_N("look-alike spelling") },
    { "sound-alike", SW_N("sounds alike") },
    { "same but for generic words", SW_N("the same but for generic words") },
    { "different", SW_N("different") },
    { "same patent number", SW_N("the same patent number") },
    { "keyword in the text", SW_N("the keyword is in the text") },
    { "a show you attend", SW_N("a trade fair you attend") },
    { "a market you trade in", SW_N("a market you trade in") },
    /* Two company names (lib/company.c): what their parts say. */
    { "same trade name", SW_N("the same trade name") },
    { "same trade name in pinyin", SW_N("the same trade name, one written in pinyin") },
    { "same place and industry", SW_N("the same place and industry") },
    { "same trade name, other place", SW_N("the same trade name in another place") },
    { "same trade name, other industry", SW_N("the same trade name in another industry") },
    { "same place, other industry", SW_N("the same place, another industry") },
    { "same sound, other characters", SW_N("the same sound, other characters") },
    { "other trade name", SW_N("another trade name") },
};

const char *sw_msg_why(const char *lang, const char *why)
{
    size_t i;

    for (i = 0; why != NULL && i < SW_ARRAY_LEN(whys); i++)
        if (strcmp(why, whys[i][0]) == 0)
            return sw_tr(lang, whys[i][1]);
    return why != NULL ? why : "";
}

/* TRANSLATORS: what an exporter is told about their case, after "Your case #12: ". */
static const char *const notices[][2] = {
    { "needs_info", SW_N("more material is needed") },
    { "accepted", SW_N("accepted") },
    { "rejected", SW_N("rejected") },
    { "assigned", SW_N("assigned to an expert") },
    { "reassigned", SW_N("assigned to another expert") },
    { "waiting_on_exporter", SW_N("more material is needed") },
    { "resolved", SW_N("resolved") },
    { "reply", SW_N("a reply from the assistance centre") },
    { "incident", SW_N("opened from a trade-show incident") },
    { "insurance_covered", SW_N("the centre finds the dispute within your insurance cover") },
    { "insurance_not_covered", SW_N("the centre finds the dispute outside your insurance "
                                    "cover") },
};

const char *sw_msg_notice_text(const char *code)
{
    size_t i;

    for (i = 0; code != NULL && i < SW_ARRAY_LEN(notices); i++)
        if (strcmp(code, notices[i][0]) == 0)
            return notices[i][1];
    return NULL;
}

/* --- one alert ----------------------------------------------------------------------------- */

/* The sentence for rule, naming the item (it), what the event says (ev) and why (why,
 * translated). Every format is a literal, so the compiler checks each translation's. */
static void reason_sentence(struct sw_buf *b, const char *lang, const char *rule,
                            const char *kind, const char *it, const char *ev, const char *why)
{
    if (strcmp(rule, "named-as-defendant") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your company name “%s” is named as defendant: “%s” "
                                     "(%s)."), it, ev, why);
    else if (strcmp(rule, "named-as-respondent") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your company name “%s” is named as respondent: “%s” "
                                     "(%s)."), it, ev, why);
    else if (strcmp(rule, "named-as-exhibitor") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your company name “%s” is named as the accused "
                                     "exhibitor: “%s” (%s)."), it, ev, why);
    else if (strcmp(rule, "named-as-complainant") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your company name “%s” is named as the complainant: “%s” "
                                     "(%s)."), it, ev, why);
    else if (strcmp(rule, "identical-mark") == 0)
        sw_buf_printf(b, sw_tr(lang, "A mark identical to your trademark “%s” was filed: “%s” "
                                     "(%s)."), it, ev, why);
    else if (strcmp(rule, "similar-mark") == 0)
        sw_buf_printf(b, sw_tr(lang, "A mark similar to your trademark “%s” was filed: “%s” "
                                     "(%s)."), it, ev, why);
    else if (strcmp(rule, "mark-mentioned") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your trademark “%s” is mentioned: “%s” (%s)."), it, ev,
                      why);
    else if (strcmp(rule, "name-filed-as-mark") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your company name “%s” was filed as a trademark: “%s” "
                                     "(%s)."), it, ev, why);
    else if (strcmp(rule, "backfill") == 0 && kind != NULL && strcmp(kind, "name") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your company name “%s” is already in the register as a "
                                     "mark: “%s” (%s)."), it, ev, why);
    else if (strcmp(rule, "backfill") == 0)
        sw_buf_printf(b, sw_tr(lang, "A mark like your trademark “%s” is already in the "
                                     "register: “%s” (%s)."), it, ev, why);
    else if (strcmp(rule, "patent-cited") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your patent %s is cited: “%s”."), it, ev);
    else if (strcmp(rule, "keyword-in-market") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your keyword “%s” appears in a market you watch: “%s”."),
                      it, ev);
    else if (strcmp(rule, "keyword-in-news") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your keyword “%s” appears in the news: “%s”."), it, ev);
    else if (strcmp(rule, "keyword-in-patent") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your keyword “%s” appears in a patent: “%s”."), it, ev);
    else if (strcmp(rule, "bulletin-keyword") == 0)
        sw_buf_printf(b, sw_tr(lang, "Your keyword “%s” appears in an early-warning bulletin: "
                                     "“%s”."), it, ev);
    else if (strcmp(rule, "show-attended") == 0)
        sw_buf_printf(b, sw_tr(lang, "It concerns a trade fair you attend: %s."), ev);
    else if (strcmp(rule, "bulletin-market") == 0)
        sw_buf_printf(b, sw_tr(lang, "An early-warning bulletin concerns a market you trade "
                                     "in: %s."), ev);
    else
        sw_buf_printf(b, sw_tr(lang, "Your %s “%s” matches “%s” (%s)."),
                      sw_msg_kind(lang, kind), it, ev, why);
}

/* What the item is called: its text, or a patent's number. */
static const char *item_text(const json_t *item)
{
    const char *t = str(item, "text");

    return t != NULL ? t : str(item, "number") ? str(item, "number") : "";
}

void sw_msg_reason(const char *lang, const json_t *item, const json_t *reason,
                   struct sw_buf *out)
{
    const json_t *it = json_object_get(item, "item");
    char itext[320], etext[320];

    one_line(itext, sizeof(itext), item_text(it), TITLE_MAX);
    one_line(etext, sizeof(etext),
             json_string_value(json_array_get(json_object_get(reason, "matched"), 0)),
             TITLE_MAX);
    reason_sentence(out, lang, str(reason, "rule") ?: str(item, "rule") ?: "",
                    str(it, "kind"), itext, etext, sw_msg_why(lang, str(reason, "why")));
}

static int is_notice(const json_t *alert)
{
    return strcmp(str(json_object_get(alert, "event"), "type") ?: "", "case_notice") == 0;
}

/* 1 when alert tells those alerted to a bulletin of its correction or withdrawal; 2 for a
 * withdrawal. */
static int is_followup(const json_t *alert)
{
    const char *rule = str(alert, "rule");

    if (rule == NULL)
        return 0;
    return strcmp(rule, "bulletin-withdrawn") == 0 ? 2 : strcmp(rule, "bulletin-corrected") == 0;
}

/* 1 for an alert about a record the subscriber follows (seawall/follows.h). */
/* 1 for a back-fill: what the register already held when a portfolio item was added. */
static int is_backfill(const json_t *alert)
{
    return strcmp(str(json_object_get(alert, "event"), "type") ?: "", "backfill") == 0;
}

static int is_followed(const json_t *alert)
{
    return strcmp(str(json_object_get(alert, "event"), "type") ?: "", "followed") == 0;
}

/* A register status in lang (seawall/register.h: live, pending, opposed, dead). */
static const char *mark_status(const char *lang, const char *st)
{
    st = st ? st : "";
    /* TRANSLATORS: a trademark's state in the register, after "now": "now opposed". */
    if (strcmp(st, "live") == 0)
        return sw_trc(lang, "mark status", "registered");
    if (strcmp(st, "pending") == 0)
        return sw_trc(lang, "mark status", "pending");
    if (strcmp(st, "opposed") == 0)
        return sw_trc(lang, "mark status", "opposed");
    if (strcmp(st, "dead") == 0)
        return sw_trc(lang, "mark status", "dead (refused, withdrawn, cancelled or expired)");
    return sw_trc(lang, "mark status", "unknown");
}

/* A followed record's alert: its title (what changed) and its reason, in lang. */
static void followed_text(const char *lang, const json_t *ev, int title, struct sw_buf *out)
{
    const char *court = str(ev, "court") ?: "";

    if (strcmp(str(ev, "kind") ?: "", "docket") == 0) {
        char where[160];

        snprintf(where, sizeof(where), "%s%s%s", court, court[0] ? " " : "",
                 str(ev, "docket") ?: "");
        if (title)
            sw_buf_printf(out, sw_tr(lang, "Followed docket %s: a new entry (%s)"), where,
                          str(ev, "entry_type") ?: str(ev, "case_name") ?: "-");
        else
            sw_buf_printf(out, sw_tr(lang, "New entry on the docket you follow: %s"),
                          str(ev, "case_name") ?: where);
        return;
    }
    if (title) {
        sw_buf_printf(out, sw_tr(lang, "Followed trademark %s %s (%s): now %s"),
                      str(ev, "office") ?: "", str(ev, "number") ?: "", str(ev, "mark") ?: "-",
                      mark_status(lang, str(ev, "status")));
    } else if ((str(ev, "old_status") ?: "")[0] != '\0') {
        sw_buf_printf(out, sw_tr(lang, "Its status changed from %s to %s (the office says: %s)."),
                      mark_status(lang, str(ev, "old_status")),
                      mark_status(lang, str(ev, "status")), str(ev, "status_text") ?: "");
    } else {
        sw_buf_printf(out, sw_tr(lang, "It is in the register now, %s (the office says: %s)."),
                      mark_status(lang, str(ev, "status")), str(ev, "status_text") ?: "");
    }
}

/* The event's title in lang: a bulletin's "titles" has it in Chinese and English. */
static const char *event_title(const char *lang, const json_t *ev)
{
    const char *t = sw_bulletin_text_in(json_object_get(ev, "titles"), lang, NULL);

    return t != NULL ? t : str(ev, "title");
}

void sw_msg_title(const char *lang, const json_t *alert, struct sw_buf *out)
{
    const json_t *ev = json_object_get(alert, "event");
    const char *notice = sw_msg_notice_text(str(ev, "notice"));
    char title[320];

    if (is_notice(alert) && notice != NULL) {
        sw_buf_printf(out, sw_tr(lang, "Your case #%lld: %s"),
                      (long long)json_integer_value(json_object_get(ev, "case_id")),
                      sw_tr(lang, notice));
        return;
    }
    if (is_followed(alert)) {
        followed_text(lang, ev, 1, out);
        return;
    }
    if (is_backfill(alert)) {
        size_t n = json_array_size(json_object_get(alert, "items"));

        one_line(title, sizeof(title),
                 item_text(json_object_get(json_array_get(json_object_get(alert, "items"), 0),
                                           "item")),
                 TITLE_MAX);
        sw_buf_printf(out, sw_trn(lang, "Already in the register: %zu mark like your “%s”",
                                  "Already in the register: %zu marks like your “%s”", n),
                      n, title);
        return;
    }
    if (strcmp(str(ev, "type") ?: "", "association_invitation") == 0) {
        one_line(title, sizeof(title), str(ev, "name") ?: "", TITLE_MAX);
        /* TRANSLATORS: %s is an industry association (行业组织) or IP alliance. */
        sw_buf_printf(out, sw_tr(lang, "%s invites your company to join it"), title);
        return;
    }
    one_line(title, sizeof(title), event_title(lang, ev), TITLE_MAX);
    if (is_followup(alert) == 2)
        sw_buf_printf(out, sw_tr(lang, "Bulletin withdrawn: %s"), title);
    else if (is_followup(alert))
        sw_buf_printf(out, sw_tr(lang, "Bulletin corrected: %s"), title);
    else
        sw_buf_adds(out, title);
}

/* What an alert without items says beside its title, in lang: a case notice's text (the
 * catalogue's when it came from there, else as written: a triager's reason), a bulletin's
 * correction note or reason for withdrawal; "" for others. */
static const char *alert_detail(const char *lang, const json_t *alert)
{
    const json_t *ev = json_object_get(alert, "event");
    const char *text = str(ev, "text");
    const char *notice = sw_msg_notice_text(str(ev, "notice"));

    if (is_followup(alert))
        return sw_bulletin_text_in(json_object_get(ev, is_followup(alert) == 2 ? "reason"
                                                                                : "note"),
                                   lang, NULL) ?: "";
    if (strcmp(str(ev, "type") ?: "", "matter_notice") == 0)
        return text ? text : "";   /* written by the association or centre, in lang */
    if (!is_notice(alert))
        return "";
    if (text == NULL || (notice != NULL && strcmp(text, notice) == 0))
        return "";   /* the title says it already */
    return json_is_true(json_object_get(ev, "text_from_catalogue")) ? sw_tr(lang, text) : text;
}

void sw_msg_summary(const char *lang, const json_t *alert, struct sw_buf *out)
{
    const json_t *items = json_object_get(alert, "items"), *first = json_array_get(items, 0);
    const char *sev = sw_msg_severity(lang, str(alert, "severity"));
    struct sw_buf s, t;
    char pct[32];

    sw_buf_init(&s, 4096);
    sw_buf_init(&t, 1024);
    if (first != NULL) {
        sw_msg_reason(lang, first, json_array_get(json_object_get(first, "reasons"), 0), &s);
        sw_msg_percent(lang, json_number_value(json_object_get(first, "score")), pct,
                       sizeof(pct));
        sw_buf_printf(out, sw_tr(lang, "%s alert: %s Score: %s."), sev, s.p ? s.p : "", pct);
        if (json_array_size(items) > 1 && !is_backfill(alert)) {
            sw_buf_adds(out, " ");
            sw_buf_printf(out, sw_tr(lang, "It touches %zu of your items."),
                          json_array_size(items));
        }
    } else {
        char d[520];

        const char *by = str(json_object_get(alert, "forwarded_by"), "name");

        sw_msg_title(lang, alert, &t);
        if (by != NULL) {
            char name[220];

            one_line(name, sizeof(name), by, 200);
            /* TRANSLATORS: %s is the industry association whose sector watch matched. */
            snprintf(d, sizeof(d), sw_tr(lang, "sent on by %s, which watches your sector"), name);
        } else {
            one_line(d, sizeof(d), alert_detail(lang, alert), 500);
        }
        if (d[0] != '\0' && strcmp(d, t.p ? t.p : "") != 0)
            sw_buf_printf(out, sw_tr(lang, "%s alert: %s — %s"), sev, t.p ? t.p : "", d);
        else
            sw_buf_printf(out, sw_tr(lang, "%s alert: %s"), sev, t.p ? t.p : "");
    }
    sw_buf_free(&s);
    sw_buf_free(&t);
}

json_t *sw_msg_localise(const char *lang, const json_t *alert)
{
    json_t *out = json_deep_copy(alert), *it, *re;
    struct sw_buf b;
    size_t i, j;

    if (out == NULL)
        return NULL;
    sw_buf_init(&b, 16384);
    json_array_foreach(json_object_get(out, "items"), i, it) {
        json_array_foreach(json_object_get(it, "reasons"), j, re) {
            sw_buf_reset(&b);
            sw_msg_reason(lang, it, re, &b);
            json_object_set_new(re, "text", json_string(b.p ? b.p : ""));
        }
    }
    if (is_notice(out)) {
        const char *notice = sw_msg_notice_text(str(json_object_get(out, "event"), "notice"));

        json_array_foreach(json_object_get(out, "reasons"), j, re)
            if (notice != NULL)
                json_object_set_new(re, "text", json_string(sw_tr(lang, notice)));
    }
    if (is_followup(out)) {
        const char *said = is_followup(out) == 2
            ? sw_tr(lang, "The early-warning bulletin you were alerted to was withdrawn.")
            : sw_tr(lang, "The early-warning bulletin you were alerted to was corrected.");

        json_array_foreach(json_object_get(out, "reasons"), j, re)
            json_object_set_new(re, "text", json_string(said));
    }
    if (is_followed(out)) {
        json_array_foreach(json_object_get(out, "reasons"), j, re) {
            sw_buf_reset(&b);
            followed_text(lang, json_object_get(out, "event"), 0, &b);
            json_object_set_new(re, "text", json_string(b.p ? b.p : ""));
        }
    }
    sw_buf_reset(&b);
    sw_msg_title(lang, out, &b);
    json_object_set_new(out, "title", json_string(b.p ? b.p : ""));
    sw_buf_reset(&b);
    sw_msg_summary(lang, out, &b);
    json_object_set_new(out, "summary", json_string(b.p ? b.p : ""));
    sw_buf_free(&b);
    return out;
}

/* public_url without its trailing slashes. */
static void base_url(const struct sw_msg_ctx *m, struct sw_buf *out)
{
    const char *u = m->public_url != NULL ? m->public_url : "";
    size_t n = strlen(u);

    while (n > 0 && u[n - 1] == '/')
        n--;
    sw_buf_add(out, u, n);
}

void sw_msg_alert_url(const struct sw_msg_ctx *m, const json_t *alert, struct sw_buf *out)
{
    const char *id = str(alert, "id");

    if (id == NULL || !sw_alert_id_valid(id))
        return;
    base_url(m, out);
    sw_buf_printf(out, "/app/alerts/%s", id);
}

void sw_msg_source_url(const struct sw_msg_ctx *m, const json_t *alert, struct sw_buf *out)
{
    const json_t *ev = json_object_get(alert, "event");
    const char *src = sw_alert_source_url(ev);

    if (is_notice(alert) && json_integer_value(json_object_get(ev, "case_id")) > 0) {
        base_url(m, out);
        sw_buf_printf(out, "/app/cases/%lld",
                      (long long)json_integer_value(json_object_get(ev, "case_id")));
    } else if (json_integer_value(json_object_get(ev, "bulletin_id")) > 0) {
        base_url(m, out);
        sw_buf_printf(out, "/bulletins/%lld",
                      (long long)json_integer_value(json_object_get(ev, "bulletin_id")));
    } else if (src != NULL) {
        sw_buf_adds(out, src);
    }
}

/* --- mail ---------------------------------------------------------------------------------- */

static int64_t created_ms(const json_t *alert)
{
    int64_t ms;

    return sw_date_ms(str(alert, "created_at") ?: "", &ms) == SW_OK ? ms : sw_now_ms();
}

static void html_link(struct sw_buf *html, const char *label, const char *url)
{
    sw_buf_adds(html, "<a href=\"");
    sw_buf_add_html(html, url);
    sw_buf_adds(html, "\">");
    sw_buf_add_html(html, label);
    sw_buf_adds(html, "</a>");
}

/* One line of text: s and a line break; the same as an HTML list element. */
static void both_li(struct sw_buf *text, struct sw_buf *html, const char *s)
{
    sw_buf_adds(text, "  - ");
    sw_buf_adds(text, s);
    sw_buf_adds(text, "\n");
    sw_buf_adds(html, "<li>");
    sw_buf_add_html(html, s);
    sw_buf_adds(html, "</li>");
}

/* An alert in a mail: its heading (severity and title), when it came, a line per reason of
 * each item (the sentence and the score), how many items, and its links. */
static void alert_block(const struct sw_msg_ctx *m, const json_t *a, struct sw_buf *text,
                        struct sw_buf *html)
{
    const char *lang = m->lang;
    const json_t *it, *re;
    struct sw_buf line, url, title;
    char when[96], pct[32];
    size_t i, j, n = json_array_size(json_object_get(a, "items"));

    sw_buf_init(&line, 8192);
    sw_buf_init(&url, 4096);
    sw_buf_init(&title, 1024);
    sw_msg_title(lang, a, &title);
    sw_buf_printf(&line, sw_tr(lang, "%s alert: %s"), sw_msg_severity(lang, str(a, "severity")),
                  title.p ? title.p : "");
    sw_buf_adds(text, line.p ? line.p : "");
    sw_buf_adds(text, "\n");
    sw_buf_adds(html, "<h3>");
    sw_buf_add_html(html, line.p ? line.p : "");
    sw_buf_adds(html, "</h3>");
    sw_msg_date(lang, m->tz, created_ms(a), when, sizeof(when));
    sw_buf_reset(&line);
    sw_buf_printf(&line, sw_tr(lang, "Found on %s"), when);
    sw_buf_adds(text, line.p ? line.p : "");
    sw_buf_adds(text, "\n");
    sw_buf_adds(html, "<p>");
    sw_buf_add_html(html, line.p ? line.p : "");
    sw_buf_adds(html, "</p><ul>");
    json_array_foreach(json_object_get(a, "items"), i, it) {
        sw_msg_percent(lang, json_number_value(json_object_get(it, "score")), pct, sizeof(pct));
        json_array_foreach(json_object_get(it, "reasons"), j, re) {
            sw_buf_reset(&line);
            sw_msg_reason(lang, it, re, &line);
            sw_buf_adds(&line, " ");
            sw_buf_printf(&line, sw_tr(lang, "Score: %s."), pct);
            both_li(text, html, line.p ? line.p : "");
        }
    }
    if (n == 0 && alert_detail(lang, a)[0] != '\0') {
        char d[2100];

        one_line(d, sizeof(d), alert_detail(lang, a), 2000);
        both_li(text, html, d);
    }
    sw_buf_adds(html, "</ul>");
    if (n > 1) {
        sw_buf_reset(&line);
        sw_buf_printf(&line, sw_tr(lang, "It touches %zu of your items."), n);
        sw_buf_printf(text, "%s\n", line.p ? line.p : "");
        sw_buf_adds(html, "<p>");
        sw_buf_add_html(html, line.p ? line.p : "");
        sw_buf_adds(html, "</p>");
    }
    sw_msg_alert_url(m, a, &url);
    if (url.len > 0) {
        sw_buf_printf(text, sw_tr(lang, "Open it in Seawall: %s"), url.p);
        sw_buf_adds(text, "\n");
        sw_buf_adds(html, "<p>");
        html_link(html, sw_tr(lang, "Open it in Seawall"), url.p);
        sw_buf_adds(html, "</p>");
    }
    sw_buf_reset(&url);
    sw_msg_source_url(m, a, &url);
    if (url.len > 0) {
        sw_buf_printf(text, sw_tr(lang, "Source link: %s"), url.p);
        sw_buf_adds(text, "\n");
        sw_buf_adds(html, "<p>");
        html_link(html, sw_tr(lang, "Source link"), url.p);
        sw_buf_adds(html, "</p>");
    }
    sw_buf_adds(text, "\n");
    sw_buf_free(&line);
    sw_buf_free(&url);
    sw_buf_free(&title);
}

void sw_msg_mail_open(const struct sw_msg_ctx *m, struct sw_buf *html)
{
    sw_buf_printf(html, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
                  "</head><body>", strcmp(m->lang ?: "", SW_LANG_ZH_CN) == 0 ? "zh-CN" : "en");
}

void sw_msg_mail_close(const struct sw_msg_ctx *m, const char *unsub, struct sw_buf *text,
                       struct sw_buf *html)
{
    if (unsub != NULL) {
        sw_buf_adds(text, "\n--\n");
        sw_buf_printf(text, sw_tr(m->lang, "Stop these emails: %s"), unsub);
        sw_buf_adds(text, "\n");
        sw_buf_adds(html, "<hr><p>");
        html_link(html, sw_tr(m->lang, "Stop these emails"), unsub);
        sw_buf_adds(html, "</p>");
    }
    sw_buf_adds(html, "</body></html>");
}

void sw_msg_mail_alert(const struct sw_msg_ctx *m, const json_t *alert, char *subject,
                       size_t sublen, struct sw_buf *text, struct sw_buf *html)
{
    const json_t *first = json_array_get(json_object_get(alert, "items"), 0);
    const char *sev = sw_msg_severity(m->lang, str(alert, "severity"));
    struct sw_buf s, title;
    char it[320], t[320];

    sw_buf_init(&s, 2048);
    sw_buf_init(&title, 1024);
    sw_msg_title(m->lang, alert, &title);
    one_line(t, sizeof(t), title.p, TITLE_MAX);
    if (first != NULL) {
        const json_t *item = json_object_get(first, "item");

        one_line(it, sizeof(it), item_text(item), 200);
        sw_buf_printf(&s, sw_tr(m->lang, "[Seawall] %s alert: your %s “%s” — %s"), sev,
                      sw_msg_kind(m->lang, str(item, "kind")), it, t);
    } else {
        sw_buf_printf(&s, sw_tr(m->lang, "[Seawall] %s alert: %s"), sev, t);
    }
    one_line(subject, sublen, s.p, sublen - 1);
    alert_block(m, alert, text, html);
    sw_buf_free(&s);
    sw_buf_free(&title);
}

void sw_msg_mail_digest(const struct sw_msg_ctx *m, const json_t *alerts, char *subject,
                        size_t sublen, struct sw_buf *text, struct sw_buf *html)
{
    static const char *const order[] = { "critical", "high", "medium", "low" };
    unsigned long counts[4] = { 0, 0, 0, 0 }, total = (unsigned long)json_array_size(alerts);
    const json_t *v;
    size_t i, k;

    for (k = 0; k < 4; k++) {
        int header = 0;

        json_array_foreach(alerts, i, v) {
            if (strcmp(str(v, "severity") ?: "", order[k]) != 0)
                continue;
            if (!header) {
                const char *label = sw_msg_severity(m->lang, order[k]);

                sw_buf_printf(text, "\n== %s ==\n\n", label);
                sw_buf_adds(html, "<h2>");
                sw_buf_add_html(html, label);
                sw_buf_adds(html, "</h2>");
                header = 1;
            }
            counts[k]++;
            alert_block(m, v, text, html);
        }
    }
    snprintf(subject, sublen, sw_trn(m->lang, "[Seawall] Daily digest: %lu alert (%lu critical, "
                                     "%lu high, %lu medium, %lu low)",
                                     "[Seawall] Daily digest: %lu alerts (%lu critical, %lu "
                                     "high, %lu medium, %lu low)", total),
             total, counts[0], counts[1], counts[2], counts[3]);
    utf8_cut(subject, sublen - 1);
}

void sw_msg_mail_disabled(const struct sw_msg_ctx *m, long long wid, const char *url,
                          const char *error, char *subject, size_t sublen,
                          struct sw_buf *text, struct sw_buf *html)
{
    struct sw_buf b;
    char u[600], e[600];

    sw_buf_init(&b, 4096);
    one_line(u, sizeof(u), url, 512);
    one_line(e, sizeof(e), error, 512);
    snprintf(subject, sublen, "%s", sw_tr(m->lang, "[Seawall] A webhook endpoint was disabled"));
    sw_buf_printf(&b, sw_tr(m->lang, "Seawall stopped sending alerts to webhook %lld (%s): it "
                                     "has failed for longer than the allowed time. Last error: "
                                     "%s"), wid, u, e);
    sw_buf_adds(text, b.p ? b.p : "");
    sw_buf_adds(text, "\n");
    sw_buf_adds(html, "<p>");
    sw_buf_add_html(html, b.p ? b.p : "");
    sw_buf_adds(html, "</p><p>");
    sw_buf_reset(&b);
    sw_buf_adds(&b, sw_tr(m->lang, "Enable it again (PATCH /api/v1/webhooks/{id} with "
                                   "{\"enabled\": true}) once it answers, and replay what it "
                                   "missed."));
    sw_buf_adds(text, b.p ? b.p : "");
    sw_buf_adds(text, "\n");
    sw_buf_add_html(html, b.p ? b.p : "");
    sw_buf_adds(html, "</p>");
    sw_buf_free(&b);
}

/* --- messengers ---------------------------------------------------------------------------- */

void sw_msg_md_text(struct sw_buf *md, const char *s)
{
    /* ASCII markup and its fullwidth look-alike (UTF-8). */
    static const struct { char c; const char *w; } swap[] = {
        { '[', "［" }, { ']', "］" }, { '(', "（" }, { ')', "）" }, { '<', "＜" },
        { '>', "＞" }, { '*', "＊" }, { '_', "＿" }, { '`', "｀" }, { '#', "＃" },
        { '!', "！" }, { '~', "～" }, { '|', "｜" }, { '\\', "＼" },
    };
    size_t i;

    for (; s != NULL && *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch < 0x20 || ch == 0x7f) {
            sw_buf_add(md, " ", 1);
            continue;
        }
        for (i = 0; i < SW_ARRAY_LEN(swap); i++)
            if (swap[i].c == *s)
                break;
        if (i < SW_ARRAY_LEN(swap))
            sw_buf_adds(md, swap[i].w);
        else
            sw_buf_add(md, s, 1);
    }
}

/* A link in markdown: the label defused, the URL (ours or an http(s) source checked by
 * sw_alert_source_url) with its parentheses and spaces percent-encoded. */
static void md_link(struct sw_buf *md, const char *label, const char *url)
{
    sw_buf_adds(md, "[");
    sw_msg_md_text(md, label);
    sw_buf_adds(md, "](");
    for (; *url != '\0'; url++) {
        if (*url == '(' || *url == ')' || *url == ' ' || *url == '<' || *url == '>')
            sw_buf_printf(md, "%%%02X", (unsigned char)*url);
        else
            sw_buf_add(md, url, 1);
    }
    sw_buf_adds(md, ")");
}

static const char *wecom_colour(const char *severity)
{
    /* WeCom's markdown knows three: info (green), comment (grey), warning (orange-red). */
    return sw_severity_rank(severity) >= 3 ? "warning" : sw_severity_rank(severity) == 2
                                                            ? "comment" : "info";
}

void sw_msg_card(const struct sw_msg_ctx *m, enum sw_md_dialect d, const json_t *alert,
                 size_t max, char *title, size_t titlelen, struct sw_buf *md)
{
    const char *lang = m->lang;
    const json_t *it, *re;
    struct sw_buf head, line, tail, t;
    char when[96], pct[32], tt[320];
    size_t i, j, shown = 0, total = 0;
    int full = 0;

    sw_buf_init(&head, 4096);
    sw_buf_init(&line, 8192);
    sw_buf_init(&tail, 8192);
    sw_buf_init(&t, 1024);
    sw_msg_title(lang, alert, &t);
    one_line(tt, sizeof(tt), t.p, TITLE_MAX);
    snprintf(title, titlelen, sw_tr(lang, "%s alert: %s"),
             sw_msg_severity(lang, str(alert, "severity")), tt);
    utf8_cut(title, titlelen - 1);
    /* The head: severity and title (Feishu's card header already shows the title). */
    if (d == SW_MD_WECOM) {
        sw_buf_printf(&head, "### <font color=\"%s\">", wecom_colour(str(alert, "severity")));
        sw_msg_md_text(&head, sw_msg_severity(lang, str(alert, "severity")));
        sw_buf_adds(&head, "</font> ");
        sw_msg_md_text(&head, tt);
        sw_buf_adds(&head, "\n");
    } else if (d == SW_MD_DINGTALK) {
        sw_buf_adds(&head, "### ");
        sw_msg_md_text(&head, title);
        sw_buf_adds(&head, "\n\n");
    }
    sw_msg_date(lang, m->tz, created_ms(alert), when, sizeof(when));
    sw_buf_printf(&line, sw_tr(lang, "Found on %s"), when);
    sw_msg_md_text(&head, line.p);
    sw_buf_adds(&head, d == SW_MD_WECOM ? "\n" : "\n\n");
    /* The tail: how many items, the links. */
    sw_buf_reset(&line);
    sw_msg_alert_url(m, alert, &line);
    if (line.len > 0) {
        md_link(&tail, sw_tr(lang, "Open it in Seawall"), line.p);
        sw_buf_adds(&tail, "\n");
    }
    sw_buf_reset(&line);
    sw_msg_source_url(m, alert, &line);
    if (line.len > 0) {
        md_link(&tail, sw_tr(lang, "Source link"), line.p);
        sw_buf_adds(&tail, "\n");
    }
    sw_buf_add(md, head.p, head.len);
    /* The reasons, as many as fit with the tail and a line saying how many were left out. */
    json_array_foreach(json_object_get(alert, "items"), i, it)
        total += json_array_size(json_object_get(it, "reasons"));
    json_array_foreach(json_object_get(alert, "items"), i, it) {
        sw_msg_percent(lang, json_number_value(json_object_get(it, "score")), pct, sizeof(pct));
        json_array_foreach(json_object_get(it, "reasons"), j, re) {
            sw_buf_reset(&t);
            sw_msg_reason(lang, it, re, &t);
            sw_buf_adds(&t, " ");
            sw_buf_printf(&t, sw_tr(lang, "Score: %s."), pct);
            sw_buf_reset(&line);
            sw_buf_adds(&line, d == SW_MD_WECOM ? "> " : "- ");
            sw_msg_md_text(&line, t.p);
            sw_buf_adds(&line, "\n");
            if (full || md->len + line.len + tail.len + 200 > max) {
                full = 1;
                continue;
            }
            sw_buf_add(md, line.p, line.len);
            shown++;
        }
    }
    if (total == 0 && alert_detail(lang, alert)[0] != '\0') {
        char dt[2100];

        one_line(dt, sizeof(dt), alert_detail(lang, alert), 1000);
        sw_buf_adds(md, d == SW_MD_WECOM ? "> " : "- ");
        sw_msg_md_text(md, dt);
        sw_buf_adds(md, "\n");
    }
    if (shown < total) {
        sw_buf_reset(&line);
        sw_buf_printf(&line, sw_tr(lang, "… and %zu more reasons in Seawall."), total - shown);
        sw_msg_md_text(md, line.p);
        sw_buf_adds(md, "\n");
    }
    sw_buf_adds(md, "\n");
    sw_buf_add(md, tail.p, tail.len);
    sw_buf_free(&head);
    sw_buf_free(&line);
    sw_buf_free(&tail);
    sw_buf_free(&t);
}
