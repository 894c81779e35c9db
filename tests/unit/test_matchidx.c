/* test_matchidx.c — the matching index: which items an event alerts, through the index's own
 * candidate generation (not only the score), and the alert it hands out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "seawall/buf.h"
#include "seawall/matchidx.h"

/* What one sw_mindex_match call gave: each alert as the JSON text the matcher would write,
 * and each item entry of the alerts on its own, marked with its subscriber. */
struct got {
    int n;                     /* item entries: (subscriber, item) pairs alerted */
    int nalerts;               /* alerts: one per subscriber */
    json_t *alerts;            /* array of {"sub", …members} */
    json_t *items;             /* array of {"sub", "id", …the item entry's members} */
};

static void collect(void *ud, const struct sw_match *m)
{
    struct got *g = ud;
    struct sw_buf b;
    json_t *a, *it;
    size_t i;

    sw_buf_init(&b, 1 << 20);
    assert_int_equal(sw_buf_add(&b, "{", 1), SW_OK);
    assert_int_equal(sw_match_json_members(m, &b), SW_OK);
    assert_int_equal(sw_buf_printf(&b, ",\"sub\":%lld}", m->sub), SW_OK);
    a = json_loads(b.p, 0, NULL);
    assert_non_null(a);   /* the members are valid JSON */
    assert_int_equal(json_array_size(json_object_get(a, "items")), m->nitems);
    assert_true(m->nitems > 0);
    json_array_foreach(json_object_get(a, "items"), i, it) {
        json_t *e = json_deep_copy(it);

        json_object_set_new(e, "sub", json_integer(m->sub));
        json_object_set(e, "id", json_object_get(json_object_get(it, "item"), "id"));
        assert_int_equal(json_integer_value(json_array_get(json_object_get(a, "item_ids"), i)),
                         json_integer_value(json_object_get(e, "id")));
        json_array_append_new(g->items, e);
        g->n++;
    }
    json_array_append_new(g->alerts, a);
    g->nalerts++;
    sw_buf_free(&b);
}

static struct got last;   /* the latest match's, freed by the next */

static struct got *match(struct sw_mindex *ix, json_t *ev)
{
    size_t n;

    json_decref(last.alerts);
    json_decref(last.items);
    last.alerts = json_array();
    last.items = json_array();
    last.n = last.nalerts = 0;
    n = sw_mindex_match(ix, ev, collect, &last);
    assert_int_equal(n, (size_t)last.nalerts);
    json_decref(ev);
    return &last;
}

/* The entry of item in sub's alert in g, or NULL. */
static json_t *alert_of(const struct got *g, long long sub, long long item)
{
    size_t i;
    json_t *a;

    json_array_foreach(g->items, i, a)
        if (json_integer_value(json_object_get(a, "sub")) == sub &&
            json_integer_value(json_object_get(a, "id")) == item)
            return a;
    return NULL;
}

/* Subscriber sub's alert in g, or NULL. */
static json_t *sub_alert(const struct got *g, long long sub)
{
    size_t i;
    json_t *a;

    json_array_foreach(g->alerts, i, a)
        if (json_integer_value(json_object_get(a, "sub")) == sub)
            return a;
    return NULL;
}

static void subscriber(struct sw_mindex *ix, long long sub, const char *markets_json)
{
    json_t *p = json_pack("{s:o}", "markets", json_loads(markets_json, 0, NULL));

    assert_int_equal(sw_mindex_subscriber(ix, sub, p), SW_OK);
    json_decref(p);
}

static void put(struct sw_mindex *ix, long long sub, const char *item_json)
{
    json_t *it = json_loads(item_json, 0, NULL);

    assert_non_null(it);
    assert_int_equal(sw_mindex_put(ix, sub, it), SW_OK);
    json_decref(it);
}

static json_t *filing(const char *mark, const char *jur, int nice)
{
    return nice ? json_pack("{s:s, s:s, s:s, s:[s], s:{s:[i]}}", "id", "ev", "type",
                            "trademark_filing", "jurisdiction", jur, "marks", mark, "classes",
                            "nice", nice)
                : json_pack("{s:s, s:s, s:s, s:[s]}", "id", "ev", "type", "trademark_filing",
                            "jurisdiction", jur, "marks", mark);
}

static const char *rule_of(const json_t *a)
{
    return json_string_value(json_object_get(a, "rule"));
}

/* Two edits score as similar from eight letters on; the index must propose them, whatever the
 * edits are: two substitutions, or an item two letters longer. */
static void two_edits_proposed(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;

    subscriber(ix, 1, "[]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"SILVERSTONE\"}");
    put(ix, 1, "{\"id\": 2, \"kind\": \"mark\", \"text\": \"BRIGHTSOUND\"}");
    put(ix, 1, "{\"id\": 3, \"kind\": \"mark\", \"text\": \"NIKE\"}");
    g = match(ix, filing("SILWERSTOME", "US", 0));   /* v→w, n→m */
    assert_int_equal(g->n, 1);
    assert_string_equal(rule_of(alert_of(g, 1, 1)), "similar-mark");
    g = match(ix, filing("BRIGHSUND", "US", 0));      /* t and o gone */
    assert_non_null(alert_of(g, 1, 2));
    g = match(ix, filing("BRIGHTSOUNDS", "US", 0));   /* one letter more */
    assert_non_null(alert_of(g, 1, 2));
    g = match(ix, filing("MIKE", "US", 0));           /* one edit in four letters: 0.9 */
    assert_non_null(alert_of(g, 1, 3));
    g = match(ix, filing("SILWERSTAMP", "US", 0));    /* four edits: nothing */
    assert_int_equal(g->n, 0);
    sw_mindex_free(ix);
}

/* Classes fold into 32 bits in the postings; class 41 shares class 9's bit and must still be
 * told apart. */
static void classes_filter(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();

    subscriber(ix, 1, "[]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"ZEPHYRA\", \"classes\": [9]}");
    assert_int_equal(match(ix, filing("ZEPHYRA", "US", 9))->n, 1);
    assert_int_equal(match(ix, filing("ZEPHYRA", "US", 25))->n, 0);
    assert_int_equal(match(ix, filing("ZEPHYRA", "US", 41))->n, 0);
    assert_int_equal(match(ix, filing("ZEPHYRA", "US", 0))->n, 1);
    sw_mindex_free(ix);
}

static json_t *news(const char *jur, const char *text)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", "ev", "type", "news", "jurisdiction", jur,
                     "text", text);
}

/* An item's own countries, else the subscriber's markets; EM stands for the EU members. */
static void countries_and_markets(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;

    subscriber(ix, 1, "[\"FR\"]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"QUORIVA\", \"countries\": [\"DE\"]}");
    put(ix, 1, "{\"id\": 2, \"kind\": \"mark\", \"text\": \"QUORIVO\"}");
    g = match(ix, filing("QUORIVA", "EM", 0));
    assert_non_null(alert_of(g, 1, 1));   /* DE is in the EU */
    assert_non_null(alert_of(g, 1, 2));   /* the markets: FR is too */
    g = match(ix, filing("QUORIVA", "DE", 0));
    assert_non_null(alert_of(g, 1, 1));
    assert_null(alert_of(g, 1, 2));
    g = match(ix, filing("QUORIVA", "US", 0));
    assert_int_equal(g->n, 0);
    g = match(ix, filing("QUORIVA", "WO", 0));
    assert_int_equal(g->n, 2);
    sw_mindex_free(ix);
}

static json_t *bulletin(const char *jur)
{
    return json_pack("{s:s, s:s, s:s, s:s}", "id", "b", "type", "bulletin", "jurisdiction", jur,
                     "title", "market notice");
}

/* EM (an EU trade mark) and EU (the EU as a market) stand for every member state: an item
 * watched in EM meets a DE filing and an EUIPO one, a market EU meets DE, EM and EU events
 * and bulletins; neither meets the US or Switzerland. */
static void em_and_eu_stand_for_the_union(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;

    subscriber(ix, 1, "[\"EU\"]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"VELMORA\", \"countries\": [\"EM\"]}");
    put(ix, 1, "{\"id\": 2, \"kind\": \"mark\", \"text\": \"VELMORE\"}");
    put(ix, 1, "{\"id\": 3, \"kind\": \"keyword\", \"text\": \"solar inverter\"}");
    subscriber(ix, 2, "[\"FR\"]");
    put(ix, 2, "{\"id\": 4, \"kind\": \"mark\", \"text\": \"VELMORA\", \"countries\": [\"US\"]}");
    g = match(ix, filing("VELMORA", "EM", 0));
    assert_int_equal(g->n, 2);
    assert_non_null(alert_of(g, 1, 1));   /* the EU trade mark */
    assert_non_null(alert_of(g, 1, 2));   /* the market EU */
    g = match(ix, filing("VELMORA", "DE", 0));
    assert_int_equal(g->n, 2);
    assert_non_null(alert_of(g, 1, 1));   /* a national filing against an EU trade mark */
    assert_non_null(alert_of(g, 1, 2));
    assert_int_equal(match(ix, filing("VELMORA", "US", 0))->n, 1);
    assert_non_null(alert_of(&last, 2, 4));
    assert_int_equal(match(ix, filing("VELMORA", "CH", 0))->n, 0);
    assert_non_null(alert_of(match(ix, news("DE", "a solar inverter recall")), 1, 3));
    assert_int_equal(match(ix, news("US", "a solar inverter recall"))->n, 0);
    /* Bulletins about the Union reach FR's trader too; one about DE only the EU's. */
    g = match(ix, bulletin("EU"));
    assert_int_equal(g->n, 2);
    assert_non_null(alert_of(g, 1, 0));
    assert_non_null(alert_of(g, 2, 0));
    g = match(ix, bulletin("DE"));
    assert_int_equal(g->n, 1);
    assert_non_null(alert_of(g, 1, 0));
    assert_int_equal(match(ix, bulletin("US"))->n, 0);
    sw_mindex_free(ix);
}

/* Replacing and deleting take the old postings out: nothing stale alerts, nothing piles up. */
static void replace_and_delete(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    size_t items, postings, postings2, bytes;
    int i;

    subscriber(ix, 1, "[]");
    put(ix, 1, "{\"id\": 7, \"kind\": \"mark\", \"text\": \"VANTORIX\"}");
    sw_mindex_stats(ix, &items, &postings, &bytes);
    for (i = 0; i < 50; i++) {
        put(ix, 1, "{\"id\": 7, \"kind\": \"mark\", \"text\": \"MELODRAN\"}");
        put(ix, 1, "{\"id\": 7, \"kind\": \"mark\", \"text\": \"VANTORIX\"}");
    }
    sw_mindex_stats(ix, &items, &postings2, &bytes);
    assert_int_equal(items, 1);
    assert_int_equal(postings2, postings);
    put(ix, 1, "{\"id\": 7, \"kind\": \"mark\", \"text\": \"MELODRAN\"}");
    assert_int_equal(match(ix, filing("VANTORIX", "US", 0))->n, 0);
    assert_int_equal(match(ix, filing("MELODRAN", "US", 0))->n, 1);
    sw_mindex_del(ix, 1, 7);
    assert_int_equal(match(ix, filing("MELODRAN", "US", 0))->n, 0);
    sw_mindex_stats(ix, &items, &postings, &bytes);
    assert_int_equal(items, 0);
    assert_int_equal(postings, 0);
    sw_mindex_del(ix, 1, 7);   /* again: nothing to do */
    sw_mindex_free(ix);
}

/* Keywords in scripts written without spaces are found by their characters; Latin keywords
 * of up to eight words by their words. */
static void keywords_in_any_script(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;

    subscriber(ix, 1, "[\"CN\", \"JP\", \"KR\", \"US\"]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"keyword\", \"text\": \"手机\"}");
    put(ix, 1, "{\"id\": 2, \"kind\": \"keyword\", \"text\": \"ソニー\"}");
    put(ix, 1, "{\"id\": 3, \"kind\": \"keyword\", \"text\": \"삼성\"}");
    put(ix, 1, "{\"id\": 4, \"kind\": \"keyword\", \"text\": \"wireless charging pad holder\"}");
    put(ix, 1, "{\"id\": 5, \"kind\": \"keyword\", \"text\": \"表\"}");
    g = match(ix, news("CN", "华为手机侵权案在深圳开庭"));
    assert_int_equal(g->n, 1);
    assert_string_equal(rule_of(alert_of(g, 1, 1)), "keyword-in-news");
    g = match(ix, news("JP", "ソニーの特許が争われている"));
    assert_non_null(alert_of(g, 1, 2));
    g = match(ix, news("KR", "삼성이 소송을 제기했다"));
    assert_non_null(alert_of(g, 1, 3));
    g = match(ix, news("CN", "手表 and 手 机"));   /* 表 alone; 手机 split by a space folds */
    assert_non_null(alert_of(g, 1, 5));
    assert_non_null(alert_of(g, 1, 1));
    g = match(ix, news("US", "A Wireless Charging-Pad Holder, seized at the port"));
    assert_non_null(alert_of(g, 1, 4));
    g = match(ix, news("US", "a wireless charging pad"));
    assert_int_equal(g->n, 0);
    g = match(ix, news("DE", "华为手机"));   /* not a market of the subscriber */
    assert_int_equal(g->n, 0);
    sw_mindex_free(ix);
}

/* An item's entry holds its reasons, the strongest first; text is escaped. */
static void one_alert_with_reasons(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;
    json_t *a, *ev, *r0, *r1;

    subscriber(ix, 1, "[]");
    put(ix, 1, "{\"id\": 9, \"kind\": \"name\", \"text\": \"Acme \\\"Widgets\\\"\\tCo., Ltd.\"}");
    ev = json_pack("{s:s, s:s, s:s, s:[s], s:[{s:s, s:s}]}", "id", "ev", "type", "litigation",
                   "jurisdiction", "US", "marks", "ACME WIDGETS", "parties", "name",
                   "ACME \"WIDGETS\" GMBH", "role", "defendant");
    g = match(ix, ev);
    assert_int_equal(g->n, 1);
    a = alert_of(g, 1, 9);
    assert_string_equal(json_string_value(json_object_get(a, "severity")), "critical");
    assert_string_equal(rule_of(a), "named-as-defendant");
    assert_int_equal(json_array_size(json_object_get(a, "reasons")), 2);
    r0 = json_array_get(json_object_get(a, "reasons"), 0);
    r1 = json_array_get(json_object_get(a, "reasons"), 1);
    assert_string_equal(json_string_value(json_object_get(r0, "rule")), "named-as-defendant");
    assert_string_equal(json_string_value(json_object_get(r0, "field")), "parties[0]");
    assert_string_equal(json_string_value(json_array_get(json_object_get(r0, "matched"), 0)),
                        "ACME \"WIDGETS\" GMBH");
    assert_string_equal(json_string_value(json_object_get(json_object_get(a, "item"), "text")),
                        "Acme \"Widgets\"\tCo., Ltd.");
    assert_string_equal(json_string_value(json_array_get(json_object_get(r0, "matched"), 1)),
                        "Acme \"Widgets\"\tCo., Ltd.");
    assert_true(json_real_value(json_object_get(r0, "score")) == 1.0);
    assert_string_equal(json_string_value(json_object_get(r1, "rule")), "mark-mentioned");
    sw_mindex_free(ix);
}

/* A bulletin reaches every subscriber trading in its country, each once. */
static void bulletin_to_many(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;
    long long s;

    for (s = 1; s <= 300; s++)
        subscriber(ix, s, s % 3 ? "[\"US\", \"DE\"]" : "[\"FR\"]");
    put(ix, 5, "{\"id\": 1, \"kind\": \"keyword\", \"text\": \"anti-dumping\"}");
    g = match(ix, json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", "b1", "type", "bulletin",
                            "jurisdiction", "US", "severity", "high", "text",
                            "New anti-dumping duties in the US"));
    assert_int_equal(g->n, 201);   /* 200 markets, and subscriber 5's keyword */
    assert_string_equal(rule_of(alert_of(g, 7, 0)), "bulletin-market");
    assert_null(alert_of(g, 3, 0));
    assert_string_equal(rule_of(alert_of(g, 5, 1)), "bulletin-keyword");
    assert_string_equal(json_string_value(json_object_get(alert_of(g, 5, 0), "severity")),
                        "high");
    sw_mindex_free(ix);
}

/* Past sixteen candidates the set is kept by stamps: every entry still counts once, though it
 * is filed under several of the keys probed (exact, look-alike, deletions). */
static void many_candidates_each_once(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;
    long long sub;
    size_t i;
    json_t *a;

    for (sub = 1; sub <= 40; sub++) {
        subscriber(ix, sub, "[]");
        put(ix, sub, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"ZEPHYRA\"}");
        put(ix, sub, "{\"id\": 2, \"kind\": \"mark\", \"text\": \"ZEPHYRAS\"}");
    }
    g = match(ix, filing("ZEPHYRA", "US", 0));
    assert_int_equal(g->n, 80);
    assert_int_equal(g->nalerts, 40);   /* one per subscriber, both its marks in it */
    json_array_foreach(g->items, i, a)
        assert_int_equal(json_array_size(json_object_get(a, "reasons")), 1);
    assert_string_equal(rule_of(alert_of(g, 40, 1)), "identical-mark");
    assert_string_equal(rule_of(alert_of(g, 40, 2)), "similar-mark");
    sw_mindex_free(ix);
}

/* The subscriber's own filing (its name among the applicants) does not alert it. */
static void own_filing_skipped(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;

    subscriber(ix, 1, "[]");
    subscriber(ix, 2, "[]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"name\", \"text\": \"Acme Widgets Co., Ltd.\"}");
    put(ix, 1, "{\"id\": 2, \"kind\": \"mark\", \"text\": \"WIDGETRON\"}");
    put(ix, 2, "{\"id\": 3, \"kind\": \"mark\", \"text\": \"WIDGETRON\"}");
    g = match(ix, json_pack("{s:s, s:s, s:s, s:[s], s:[{s:s, s:s}]}", "id", "ev", "type",
                            "trademark_filing", "jurisdiction", "US", "marks", "WIDGETRON",
                            "parties", "name", "ACME WIDGETS GMBH", "role", "applicant"));
    assert_int_equal(g->n, 1);
    assert_string_equal(rule_of(alert_of(g, 2, 3)), "identical-mark");
    sw_mindex_free(ix);
}

/* A docket entry: the exporter as defendant, its patent cited in the text (US style), its
 * keyword in the text — one alert naming the three items, strongest first, critical. */
static void docket_entry(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;
    json_t *a, *ids;

    subscriber(ix, 1, "[]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"name\", \"text\": \"Shenzhen Bright Audio Technology Co., "
               "Ltd.\"}");
    put(ix, 1, "{\"id\": 2, \"kind\": \"patent\", \"number\": \"US 9,123,456 B2\", "
               "\"normalised\": \"US9123456\"}");
    put(ix, 1, "{\"id\": 3, \"kind\": \"keyword\", \"text\": \"bluetooth speaker\", "
               "\"countries\": [\"US\"]}");
    g = match(ix, json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], s:s}", "id", "ev",
                            "type", "litigation", "jurisdiction", "US", "title",
                            "1:26-cv-01234 Acme Audio Inc. v. Shenzhen Bright Audio Technology "
                            "Co., Ltd.", "parties", "name", "Acme Audio Inc.", "role",
                            "plaintiff", "name", "SHENZHEN BRIGHT AUDIO TECHNOLOGY LIMITED",
                            "role", "defendant", "text", "Complaint for infringement of U.S. "
                            "Patent No. 9,123,456 by a bluetooth speaker"));
    assert_string_equal(rule_of(alert_of(g, 1, 1)), "named-as-defendant");
    assert_string_equal(rule_of(alert_of(g, 1, 2)), "patent-cited");
    assert_string_equal(rule_of(alert_of(g, 1, 3)), "keyword-in-market");
    assert_int_equal(g->n, 3);
    assert_int_equal(g->nalerts, 1);
    a = sub_alert(g, 1);
    assert_string_equal(json_string_value(json_object_get(a, "severity")), "critical");
    assert_string_equal(rule_of(a), "named-as-defendant");
    ids = json_object_get(a, "item_ids");
    assert_int_equal(json_array_size(ids), 3);
    assert_int_equal(json_integer_value(json_array_get(ids, 0)), 1);   /* critical */
    assert_int_equal(json_integer_value(json_array_get(ids, 1)), 2);   /* high */
    assert_int_equal(json_integer_value(json_array_get(ids, 2)), 3);   /* medium */
    sw_mindex_free(ix);
}

static json_t *defendant(const char *name)
{
    return json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}]}", "id", "ev", "type", "litigation",
                     "jurisdiction", "US", "parties", "name", name, "role", "defendant");
}

/* A company name in Chinese meets its official English name through the index's trade-name
 * key (万年青 is "wannianqing"), with or without a place; another trade name of the same
 * place and industry, or the same trade name in another business, does not alert. */
static void names_across_scripts(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;
    json_t *a, *r;

    subscriber(ix, 1, "[]");
    subscriber(ix, 2, "[]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"name\", \"text\": \"江西万年青水泥股份有限公司\"}");
    put(ix, 2, "{\"id\": 5, \"kind\": \"name\", \"text\": \"珠海格力电器股份有限公司\", "
               "\"aliases\": [\"GREE\"]}");
    g = match(ix, defendant("JIANGXI WANNIANQING CEMENT CO.,LTD"));
    assert_int_equal(g->n, 1);
    a = alert_of(g, 1, 1);
    assert_non_null(a);
    r = json_array_get(json_object_get(a, "reasons"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "why")), "same trade name in pinyin");
    g = match(ix, defendant("Wannianqing Cement Co., Ltd."));
    assert_non_null(alert_of(g, 1, 1));
    g = match(ix, defendant("Jiangxi Copper Company Limited"));   /* same province, other name */
    assert_int_equal(g->n, 0);
    g = match(ix, defendant("Jiangxi Wannianqing Trading Co., Ltd."));   /* other business */
    assert_int_equal(g->n, 0);
    /* The English trade name is not the pinyin (GREE, not Geli): the alias finds it. */
    g = match(ix, defendant("Gree Electric Appliances, Inc. of Zhuhai"));
    assert_int_equal(g->n, 1);
    assert_non_null(alert_of(g, 2, 5));
    g = match(ix, defendant("Gree Real Estate Co., Ltd."));
    assert_int_equal(g->n, 0);
    sw_mindex_free(ix);
}

/* Fails unless got is the JSON text want. */
static void same_json(const json_t *got, const char *want)
{
    json_t *w = json_loads(want, 0, NULL);
    char *text = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
    int same = json_equal(got, w);

    if (!same)
        print_error("got %s, want %s\n", text ? text : "(nothing)", want);
    free(text);
    json_decref(w);
    assert_true(same);
}

/* Each item entry carries what a side-by-side view needs: the item (kind, text, classes,
 * countries), the event's text it met, the score, the classes and countries in common and
 * whose countries counted. */
static void comparison_members(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    struct got *g;
    json_t *a, *e, *item;

    subscriber(ix, 1, "[\"US\"]");
    subscriber(ix, 2, "[]");
    put(ix, 1, "{\"id\": 4, \"kind\": \"mark\", \"text\": \"SUVENER\", \"classes\": [16, 9], "
               "\"countries\": [\"US\", \"DE\"]}");
    put(ix, 1, "{\"id\": 5, \"kind\": \"mark\", \"text\": \"SUVENEER\"}");
    put(ix, 2, "{\"id\": 6, \"kind\": \"mark\", \"text\": \"SUVENEER\", \"classes\": [25]}");
    g = match(ix, json_pack("{s:s, s:s, s:s, s:[s], s:{s:[i, i]}}", "id", "ev", "type",
                            "trademark_filing", "jurisdiction", "US", "marks", "SUVENEER",
                            "classes", "nice", 9, 42));
    assert_int_equal(g->nalerts, 1);   /* subscriber 2's mark is in class 25 only */
    a = sub_alert(g, 1);
    assert_string_equal(json_string_value(json_object_get(a, "severity")), "high");
    assert_int_equal(json_integer_value(json_array_get(json_object_get(a, "item_ids"), 0)), 5);
    e = alert_of(g, 1, 4);
    item = json_object_get(e, "item");
    assert_string_equal(json_string_value(json_object_get(item, "kind")), "mark");
    assert_string_equal(json_string_value(json_object_get(item, "text")), "SUVENER");
    same_json(json_object_get(item, "classes"), "[9, 16]");
    same_json(json_object_get(item, "countries"), "[\"DE\", \"US\"]");
    same_json(json_object_get(e, "classes_common"), "[9]");
    same_json(json_object_get(e, "countries_common"), "[\"US\"]");
    assert_string_equal(json_string_value(json_object_get(e, "countries_source")), "item");
    same_json(json_object_get(e, "event_texts"), "[\"SUVENEER\"]");
    assert_string_equal(rule_of(e), "similar-mark");
    assert_true(json_real_value(json_object_get(e, "score")) >= 0.85 &&
                json_real_value(json_object_get(e, "score")) < 1);
    e = alert_of(g, 1, 5);   /* no classes, no countries: the subscriber's markets count */
    assert_int_equal(json_array_size(json_object_get(json_object_get(e, "item"), "classes")), 0);
    assert_int_equal(json_array_size(json_object_get(e, "classes_common")), 0);
    same_json(json_object_get(e, "countries_common"), "[\"US\"]");
    assert_string_equal(json_string_value(json_object_get(e, "countries_source")), "markets");
    assert_string_equal(rule_of(e), "identical-mark");
    /* An EU trademark meets the EU members an item watches. */
    subscriber(ix, 3, "[]");
    put(ix, 3, "{\"id\": 7, \"kind\": \"mark\", \"text\": \"KALDERON\", \"countries\": "
               "[\"FR\", \"CN\", \"DE\"]}");
    g = match(ix, filing("KALDERON", "EM", 0));
    e = alert_of(g, 3, 7);
    assert_non_null(e);
    same_json(json_object_get(e, "countries_common"), "[\"DE\", \"FR\"]");
    /* A name met by its alias is shown by its own text; the reason names the alias. */
    put(ix, 3, "{\"id\": 8, \"kind\": \"name\", \"text\": \"Ningbo Harbour Lighting Co., Ltd.\", "
               "\"aliases\": [\"宁波港湾照明有限公司\"]}");
    g = match(ix, json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}]}", "id", "ev", "type", "litigation",
                            "jurisdiction", "CN", "parties", "name", "宁波港湾照明有限公司", "role",
                            "defendant"));
    e = alert_of(g, 3, 8);
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "item"), "text")),
                        "Ningbo Harbour Lighting Co., Ltd.");
    same_json(json_object_get(json_array_get(json_object_get(e, "reasons"), 0), "matched"),
              "[\"宁波港湾照明有限公司\", \"宁波港湾照明有限公司\"]");
    /* A bulletin's market "item" is the market. */
    g = match(ix, json_pack("{s:s, s:s, s:s, s:s}", "id", "b", "type", "bulletin",
                            "jurisdiction", "US", "title", "New rules"));
    e = alert_of(g, 1, 0);
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "item"), "kind")),
                        "market");
    assert_string_equal(json_string_value(json_object_get(json_object_get(e, "item"), "text")),
                        "US");
    same_json(json_object_get(e, "countries_common"), "[\"US\"]");
    sw_mindex_free(ix);
}

static void json_escapes(void **state)
{
    struct sw_buf b;

    sw_buf_init(&b, 100);
    assert_int_equal(sw_buf_add_json(&b, "a\"b\\c\n\x01é"), SW_OK);
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\u000a\\u0001é\"");
    sw_buf_reset(&b);
    assert_int_equal(sw_buf_add_json(&b, ""), SW_OK);
    assert_string_equal(b.p, "\"\"");
    sw_buf_free(&b);
}

/* The i-th invented mark of a variant: three consonant-vowel syllables numbered by i in base
 * 95 (distinct for every i below 857,375), a fourth for one in three. */
static void word_of(size_t i, size_t variant, char *w)
{
    static const char cons[] = "bcdfghjklmnprstvwxz", vow[] = "aeiou";
    size_t j = i + variant * 200000, k, o = 0;

    for (k = 0; k < 3; k++, j /= 95) {
        w[o++] = cons[j % 95 / 5];
        w[o++] = vow[j % 5];
    }
    if (i % 3 == 0) {
        w[o++] = 'r';
        w[o++] = 'a';
    }
    w[o] = '\0';
}

static void put_mark(struct sw_mindex *ix, size_t i, size_t variant)
{
    char w[16], item[128];

    word_of(i, variant, w);
    snprintf(item, sizeof(item), "{\"id\": %zu, \"kind\": \"mark\", \"text\": \"%s\"}", 1 + i / 70,
             w);
    put(ix, (long long)(1 + i % 70), item);
}

/* Whether item i's own mark (of variant) alerts it. */
static int found(struct sw_mindex *ix, size_t i, size_t variant)
{
    char w[16];

    word_of(i, variant, w);
    return alert_of(match(ix, filing(w, "US", 0)), (long long)(1 + i % 70),
                    (long long)(1 + i / 70)) != NULL;
}

/* Past one chunk of entries, through many growths of the key table, its lists and the
 * strings' arena, with every item replaced twice and then taken out: each item is found under
 * its own mark and nothing taken out is, and the postings come back to what they were. */
static void many_items_replaced(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    size_t items, postings, postings2, bytes, n = 70000, i, v;
    long long sub;

    for (sub = 1; sub <= 70; sub++)
        subscriber(ix, sub, "[]");
    for (i = 0; i < n; i++)
        put_mark(ix, i, 0);
    sw_mindex_stats(ix, &items, &postings, &bytes);
    assert_int_equal(items, n);
    for (v = 1; v <= 2; v++)
        for (i = 0; i < n; i++)
            put_mark(ix, i, v);
    for (i = 0; i < n; i += 997) {
        assert_true(found(ix, i, 2));
        assert_false(found(ix, i, 0));
    }
    for (i = 0; i < n; i++)
        put_mark(ix, i, 0);
    sw_mindex_stats(ix, &items, &postings2, &bytes);
    assert_int_equal(items, n);
    assert_int_equal(postings2, postings);
    for (i = 1; i < n; i += 2)
        sw_mindex_del(ix, (long long)(1 + i % 70), (long long)(1 + i / 70));
    for (i = 0; i < n; i += 331)
        assert_int_equal(found(ix, i, 0), i % 2 == 0);
    for (i = 0; i < n; i += 2)
        sw_mindex_del(ix, (long long)(1 + i % 70), (long long)(1 + i / 70));
    sw_mindex_stats(ix, &items, &postings, &bytes);
    assert_int_equal(items, 0);
    assert_int_equal(postings, 0);
    assert_false(found(ix, 0, 0));
    sw_mindex_free(ix);
}

/* Two items under one key share a list; taking one out leaves a key that names the other
 * alone, found as before; taking that out leaves nothing. */
static void shared_key_and_back(void **state)
{
    struct sw_mindex *ix = sw_mindex_new();
    size_t items, postings, bytes;
    struct got *g;

    subscriber(ix, 1, "[]");
    subscriber(ix, 2, "[]");
    put(ix, 1, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"KORVALINE\"}");
    put(ix, 2, "{\"id\": 1, \"kind\": \"mark\", \"text\": \"KORVALINE\"}");
    g = match(ix, filing("KORVALINE", "US", 0));
    assert_int_equal(g->nalerts, 2);
    sw_mindex_del(ix, 1, 1);
    g = match(ix, filing("KORVALINE", "US", 0));
    assert_int_equal(g->nalerts, 1);
    assert_non_null(alert_of(g, 2, 1));
    assert_non_null(alert_of(match(ix, filing("KORVALIME", "US", 0)), 2, 1));
    sw_mindex_del(ix, 2, 1);
    sw_mindex_stats(ix, &items, &postings, &bytes);
    assert_int_equal(items, 0);
    assert_int_equal(postings, 0);
    assert_int_equal(match(ix, filing("KORVALINE", "US", 0))->n, 0);
    sw_mindex_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(two_edits_proposed),
        cmocka_unit_test(classes_filter),
        cmocka_unit_test(countries_and_markets),
        cmocka_unit_test(replace_and_delete),
        cmocka_unit_test(many_items_replaced),
        cmocka_unit_test(shared_key_and_back),
        cmocka_unit_test(keywords_in_any_script),
        cmocka_unit_test(one_alert_with_reasons),
        cmocka_unit_test(bulletin_to_many),
        cmocka_unit_test(em_and_eu_stand_for_the_union),
        cmocka_unit_test(many_candidates_each_once),
        cmocka_unit_test(own_filing_skipped),
        cmocka_unit_test(docket_entry),
        cmocka_unit_test(names_across_scripts),
        cmocka_unit_test(comparison_members),
        cmocka_unit_test(json_escapes),
    };
    int rc = cmocka_run_group_tests_name("matchidx", tests, NULL, NULL);

    json_decref(last.alerts);
    json_decref(last.items);
    return rc;
}
