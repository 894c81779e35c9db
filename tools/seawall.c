/* seawall.c — the admin program: accounts and tokens straight in Redis, configuration.
 * Feed parsing and match inspection join it as those modules land.
 *
 *   seawall config
 *   seawall token create --role ROLE [--subject ID] [--label TEXT]
 *                        [--expires-at WHEN | --expires-in-s N] [-q]
 *   seawall token list | get ID | revoke ID
 *   seawall subscriber|centre|station create --FIELD VALUE ...
 *   seawall staff create --centre ID --FIELD VALUE ...
 *   seawall subscriber|centre|staff|station list | get ID
 *   seawall person create --email E --role R [--subject ID] [--name N] [--team-role T]
 *                         [--lang L] [--password-stdin]
 *   seawall person list
 *   seawall i18n json LANG | i18n check [--pot FILE] [--dir DIR]
 *
 * Output is one JSON document on stdout; errors are one line on stderr and a non-zero exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "seawall/accounts.h"
#include "seawall/archive.h"
#include "seawall/auth.h"
#include "seawall/config.h"
#include "seawall/date.h"
#include "seawall/feed.h"
#include "seawall/feedreg.h"
#include "seawall/i18n.h"
#include "seawall/matchidx.h"
#include "seawall/normalise.h"
#include "seawall/people.h"
#include "seawall/portfolio.h"
#include "seawall/shows.h"
#include "seawall/sources.h"
#include "seawall/store.h"
#include "tool.h"

static const char *prog = "seawall";

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: seawall [--config FILE] COMMAND ...\n"
            "  config                                   print the effective configuration\n"
            "  token create --role R [--subject ID] [--label T]\n"
            "               [--expires-at ISO-8601 | --expires-in-s N] [-q]\n"
            "                                           new token (shown once; -q: only the token)\n"
            "  token list | token get ID | token revoke ID\n"
            "  subscriber create --name N --country CC --email E [--markets CC]... "
            "[--alert_threshold X]\n"
            "  centre create --name N --country CC [--email E]\n"
            "  staff create --centre ID --name N --email E --role triager|expert "
            "[--expertise TAG]...\n"
            "  station create --name N --show SHOW --country CC [--email E]\n"
            "  subscriber|centre|staff|station list | get ID\n"
            "  person create --email E --role R [--subject ID] [--name N] [--team-role "
            "owner|member]\n"
            "                [--lang en|zh-CN] [--password-stdin]\n"
            "                                           a person who signs in (password: the "
            "first\n"
            "                                           line of stdin; without it, set by "
            "reset mail)\n"
            "  person list\n"
            "  feed parse [--format F|auto] [--charset C] [--type T] [--source S]\n"
            "             [--html JSON] [--base URL] [--compression none|zip|gzip|auto] FILE|-\n"
            "                                           one event per line as JSON (a ZIP or\n"
            "                                           gzip file: each feed document in it)\n"
            "  register import [--format uspto-tm|euipo|st66|st96|auto] [--compression C]\n"
            "                  [--resume] FILE      a trademark back-file into the register\n"
            "                                           (progress on stderr; --resume goes on\n"
            "                                           where a stopped import of FILE ended)\n"
            "  feed add --url U [--name N] [--format F] [--type T] [--interval_s S]\n"
            "           [--charset C] [--html JSON] [--enabled true|false]\n"
            "                                           register a feed (polled at once)\n"
            "  feed list | feed get ID | feed poll ID | feed rm ID\n"
            "  source list                              the source catalogue (sources.dir), each\n"
            "                                           with its feed's state here\n"
            "  source get NAME | source disable NAME\n"
            "  source enable NAME [--confirm | --url U | --url-template T]\n"
            "                                           register it as a feed, polled at once\n"
            "  match pair [--kind mark|name] [--threshold X] A B\n"
            "                                           how two texts compare, as JSON\n"
            "  match eval [--threshold X] FILE...       precision and recall on labelled pairs,\n"
            "                                           for marks and names apart\n"
            "  i18n json LANG [--dir DIR]               the portal's catalogue {msgid: msgstr}\n"
            "  i18n check [--pot FILE] [--dir DIR]      every message translated alike; exit 1\n"
            "                                           and each problem when not\n"
            "Feed formats: rss, cmecf, uspto-tm, uspto-patent, st66, st96, euipo, ical, json.\n"
            "Roles: exporter (subject: subscriber id), triager and expert (staff id),\n"
            "       station (station id), admin (no subject).\n");
}

int sw_tool_fail(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: ", prog);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int sw_tool_print_json(json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);

    if (s == NULL)
        return sw_tool_fail("%s", "out of memory");
    puts(s);
    free(s);
    json_decref(v);
    return 0;
}

static int store_fail(struct sw_store *s, int rc)
{
    if (rc == SW_EAGAIN)
        return sw_tool_fail("Redis unavailable: %s", s->errstr);
    if (rc == SW_NOTFOUND)
        return sw_tool_fail("%s", "not found");
    return sw_tool_fail("%s", "the operation failed");
}

static const struct sw_kind *kind_named(const char *name)
{
    static const struct sw_kind *const kinds[] = { &sw_kind_subscriber, &sw_kind_centre,
                                                   &sw_kind_staff, &sw_kind_station };
    size_t i;

    for (i = 0; i < SW_ARRAY_LEN(kinds); i++)
        if (strcmp(kinds[i]->name, name) == 0)
            return kinds[i];
    return NULL;
}

/* Builds a document from --field value pairs as the kind's field table types them. */
static int doc_from_args(const struct sw_kind *k, int argc, char **argv, long long *parent,
                         json_t **out)
{
    json_t *doc = json_object();
    struct sw_verrs errs;
    int i;

    for (i = 0; i < argc; i++) {
        const struct sw_jfield *f;
        const char *name = argv[i], *val;

        if (strncmp(name, "--", 2) != 0 || i + 1 >= argc) {
            json_decref(doc);
            return sw_tool_fail("expected --FIELD VALUE, got \"%s\"", name);
        }
        name += 2;
        val = argv[++i];
        if (k->parent_field != NULL && strcmp(name, "centre") == 0) {
            if (sw_parse_ll(val, 1, INT64_MAX, parent) != SW_OK) {
                json_decref(doc);
                return sw_tool_fail("--centre takes a centre id, not \"%s\"", val);
            }
            continue;
        }
        for (f = k->fields; f->name != NULL && strcmp(f->name, name) != 0; f++)
            ;
        if (f->name == NULL) {
            json_decref(doc);
            return sw_tool_fail("unknown field --%s", name);
        }
        if (f->type == SW_J_STRINGS) {
            json_t *arr = json_object_get(doc, name);

            if (arr == NULL) {
                arr = json_array();
                json_object_set_new(doc, name, arr);
            }
            json_array_append_new(arr, json_string(val));
        } else if (f->type == SW_J_INT) {
            long long v;

            if (sw_parse_ll(val, INT64_MIN, INT64_MAX, &v) != SW_OK) {
                json_decref(doc);
                return sw_tool_fail("--%s takes a whole number", name);
            }
            json_object_set_new(doc, name, json_integer(v));
        } else if (f->type == SW_J_BOOL) {
            if (strcmp(val, "true") != 0 && strcmp(val, "false") != 0) {
                json_decref(doc);
                return sw_tool_fail("--%s takes true or false", name);
            }
            json_object_set_new(doc, name, json_boolean(strcmp(val, "true") == 0));
        } else if (f->type == SW_J_NUMBER) {
            json_object_set_new(doc, name, json_real(strtod(val, NULL)));
        } else if (f->type == SW_J_OBJECT) {
            json_error_t jerr;
            json_t *obj = json_loads(val, JSON_REJECT_DUPLICATES, &jerr);

            if (!json_is_object(obj)) {
                json_decref(obj);
                json_decref(doc);
                return sw_tool_fail("--%s takes a JSON object (%s)", name,
                                    obj == NULL ? jerr.text : "not an object");
            }
            json_object_set_new(doc, name, obj);
        } else {
            json_object_set_new(doc, name, json_string(val));
        }
    }
    sw_verrs_init(&errs);
    if (sw_json_check(doc, k->fields, 0, "", &errs) > 0) {
        size_t j;

        for (j = 0; j < sw_verrs_count(&errs); j++) {
            json_t *e = json_array_get(errs.list, j);

            fprintf(stderr, "%s: --%s %s\n", prog,
                    json_string_value(json_object_get(e, "pointer")) + 1,
                    json_string_value(json_object_get(e, "message")));
        }
        sw_verrs_free(&errs);
        json_decref(doc);
        return 1;
    }
    sw_verrs_free(&errs);
    if (k->parent_field != NULL && *parent == 0) {
        json_decref(doc);
        return sw_tool_fail("%s", "--centre ID is required");
    }
    *out = doc;
    return 0;
}

static int cmd_kind(struct sw_store *s, const struct sw_kind *k, int argc, char **argv)
{
    long long id, next, parent = 0;
    json_t *doc = NULL, *out;
    int rc;

    if (argc >= 1 && strcmp(argv[0], "create") == 0) {
        if (doc_from_args(k, argc - 1, argv + 1, &parent, &doc) != 0)
            return 1;
        if (k == &sw_kind_station) {   /* a station serves a fair that exists */
            const char *show = json_string_value(json_object_get(doc, "show"));
            int known = 0;

            rc = sw_shows_exist(s, &show, 1, &known);
            if (rc == SW_OK && !known) {
                rc = sw_tool_fail("--show \"%s\": no such fair (create it first: POST "
                                  "/api/v1/shows)", show);
                json_decref(doc);   /* show points into it */
                return rc;
            }
            if (rc != SW_OK) {
                json_decref(doc);
                return store_fail(s, rc);
            }
        }
        rc = sw_doc_create(s, k, doc, parent, &out);
        json_decref(doc);
        if (rc == SW_OK && k == &sw_kind_subscriber)
            sw_portfolio_profile_changed(s, json_integer_value(json_object_get(out, "id")));
        if (rc == SW_NOTFOUND)
            return sw_tool_fail("%s", "no such centre");
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (argc == 2 && strcmp(argv[0], "get") == 0) {
        if (sw_parse_ll(argv[1], 1, INT64_MAX, &id) != SW_OK)
            return sw_tool_fail("not an id: \"%s\"", argv[1]);
        rc = sw_doc_get(s, k, id, &out);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        rc = sw_doc_list(s, k, 0, 0, 10000, &out, &next);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    usage(stderr);
    return 2;
}

static int cmd_token(struct sw_store *s, int argc, char **argv)
{
    const char *label = "", *role_name = NULL;
    long long subject = 0, next;
    int64_t expires = 0;
    enum sw_role role;
    char err[256];
    json_t *out;
    int i, rc, quiet = 0;

    if (argc >= 1 && strcmp(argv[0], "create") == 0) {
        for (i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
                role_name = argv[++i];
            else if (strcmp(argv[i], "--subject") == 0 && i + 1 < argc) {
                if (sw_parse_ll(argv[++i], 0, INT64_MAX, &subject) != SW_OK)
                    return sw_tool_fail("--subject takes an id, not \"%s\"", argv[i]);
            } else if (strcmp(argv[i], "--label") == 0 && i + 1 < argc) {
                label = argv[++i];
            } else if (strcmp(argv[i], "--expires-at") == 0 && i + 1 < argc) {
                if (sw_date_ms(argv[++i], &expires) != SW_OK)
                    return sw_tool_fail("--expires-at takes a date-time (ISO 8601), not \"%s\"", argv[i]);
                if (expires <= sw_now_ms())
                    return sw_tool_fail("--expires-at %s is not in the future", argv[i]);
            } else if (strcmp(argv[i], "--expires-in-s") == 0 && i + 1 < argc) {
                long long in_s;

                if (sw_parse_ll(argv[++i], 1, 315360000, &in_s) != SW_OK)
                    return sw_tool_fail("--expires-in-s takes 1 to 315360000 seconds, not \"%s\"",
                                argv[i]);
                expires = sw_now_ms() + in_s * 1000;
            } else if (strcmp(argv[i], "-q") == 0) {
                quiet = 1;
            } else {
                return sw_tool_fail("unknown argument \"%s\"", argv[i]);
            }
        }
        if (role_name == NULL || sw_role_parse(role_name, &role) != SW_OK)
            return sw_tool_fail("%s", "--role must be exporter, triager, expert, station or admin");
        if (strlen(label) > 120)
            return sw_tool_fail("%s", "--label is longer than 120 bytes");
        rc = sw_auth_token_create(s, role, subject, 0, label, expires, &out, err, sizeof(err));
        if (rc == SW_INVALID)
            return sw_tool_fail("%s", err);
        if (rc != SW_OK)
            return store_fail(s, rc);
        if (quiet) {
            puts(json_string_value(json_object_get(out, "token")));
            json_decref(out);
            return 0;
        }
        return sw_tool_print_json(out);
    }
    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        rc = sw_auth_token_list(s, 0, 100000, &out, &next);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (argc == 2 && strcmp(argv[0], "get") == 0) {
        rc = sw_auth_token_get(s, argv[1], &out);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (argc == 2 && strcmp(argv[0], "revoke") == 0) {
        rc = sw_auth_token_revoke(s, argv[1], &out);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    usage(stderr);
    return 2;
}

/* Reads the password from the first line of stdin into pw (pwlen bytes). */
static int read_password(char *pw, size_t pwlen)
{
    size_t n;

    if (fgets(pw, (int)pwlen, stdin) == NULL)
        return sw_tool_fail("%s", "--password-stdin: no password on standard input");
    n = strlen(pw);
    while (n > 0 && (pw[n - 1] == '\n' || pw[n - 1] == '\r'))
        pw[--n] = '\0';
    return 0;
}

static int cmd_person(struct sw_store *s, const struct sw_config *cfg, int argc, char **argv)
{
    const char *email = NULL, *role = NULL, *name = NULL, *team = NULL, *lang = "en";
    char pw[SW_PW_MAX + 2], hash[SW_PWHASH_MAX], err[256];
    long long subject = 0, next;
    struct sw_pwparams params;
    struct sw_verrs errs;
    json_t *in, *out, *v;
    int i, rc, with_pw = 0;

    if (argc >= 1 && strcmp(argv[0], "create") == 0) {
        for (i = 1; i < argc; i++) {
            if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
                email = argv[++i];
            else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
                role = argv[++i];
            else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
                name = argv[++i];
            else if (strcmp(argv[i], "--team-role") == 0 && i + 1 < argc)
                team = argv[++i];
            else if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc)
                lang = argv[++i];
            else if (strcmp(argv[i], "--subject") == 0 && i + 1 < argc) {
                if (sw_parse_ll(argv[++i], 0, INT64_MAX, &subject) != SW_OK)
                    return sw_tool_fail("--subject takes an id, not \"%s\"", argv[i]);
            } else if (strcmp(argv[i], "--password-stdin") == 0)
                with_pw = 1;
            else
                return sw_tool_fail("unknown argument \"%s\"", argv[i]);
        }
        if (email == NULL || role == NULL)
            return sw_tool_fail("%s", "person create needs --email and --role");
        if (strcmp(lang, "en") != 0 && strcmp(lang, "zh-CN") != 0)
            return sw_tool_fail("%s", "--lang must be en or zh-CN");
        if (team != NULL && strcmp(team, "owner") != 0 && strcmp(team, "member") != 0)
            return sw_tool_fail("%s", "--team-role must be owner or member");
        if (with_pw) {
            if (read_password(pw, sizeof(pw)) != 0)
                return 1;
            v = json_string(pw);
            sw_verrs_init(&errs);
            sw_password_check(v, "password", &errs);
            json_decref(v);
            if (sw_verrs_count(&errs) > 0) {
                const char *m = json_string_value(json_object_get(json_array_get(errs.list, 0),
                                                                  "message"));

                rc = sw_tool_fail("the password %s", m ? m : "is not acceptable");
                sw_verrs_free(&errs);
                return rc;
            }
            sw_verrs_free(&errs);
            sw_pwparams_from(cfg, &params);
            rc = sw_password_hash(&params, pw, hash);
            sodium_memzero(pw, sizeof(pw));
            if (rc != SW_OK)
                return sw_tool_fail("%s", "hashing the password failed (out of memory?)");
        }
        in = json_pack("{s:s, s:s, s:s?, s:I, s:s?, s:s, s:b}", "email", email, "role", role,
                       "name", name, "subject", (json_int_t)subject, "team_role", team, "lang",
                       lang, "verified", 1);
        rc = sw_person_create(s, in, with_pw ? hash : NULL, &out, err, sizeof(err));
        json_decref(in);
        if (rc == SW_INVALID || rc == SW_CONFLICT)
            return sw_tool_fail("%s", err);
        if (rc != SW_OK)
            return store_fail(s, rc);
        v = sw_person_public(out);
        json_decref(out);
        return sw_tool_print_json(v);
    }
    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        rc = sw_person_list(s, 0, 100000, &out, &next);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    usage(stderr);
    return 2;
}

static int print_event(void *ud, json_t *ev)
{
    char *s = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);

    (void)ud;
    json_decref(ev);
    if (s == NULL)
        return 1;
    fputs(s, stdout);
    fputc('\n', stdout);
    free(s);
    return ferror(stdout) ? 1 : 0;
}

/* seawall feed parse: prints one event per line; a document it cannot read (or reads only in
 * part) ends with a one-line reason on stderr and exit status 1. */
/* The feed registry from the command line: the same checks and effects as the API. */
static int cmd_feed_registry(struct sw_store *s, const struct sw_config *cfg, int argc,
                             char **argv)
{
    long long id, parent = 0, next;
    json_t *doc = NULL, *out, *st;
    struct sw_verrs errs;
    int rc;

    if (argc >= 1 && strcmp(argv[0], "add") == 0) {
        if (doc_from_args(&sw_kind_feed, argc - 1, argv + 1, &parent, &doc) != 0)
            return 1;
        sw_verrs_init(&errs);
        sw_feedreg_check_create(doc, &errs);
        sw_feedreg_check(doc, 0, sw_config_int(cfg, "poller.min_interval_s"),
                         sw_config_str(cfg, "net.allow_private"), &errs);
        if (json_is_object(json_object_get(doc, "html")))
            sw_feed_html_check(json_object_get(doc, "html"), "/html", &errs);
        if (sw_verrs_count(&errs) > 0) {
            json_t *e = json_array_get(errs.list, 0);

            rc = sw_tool_fail("--%s %s", json_string_value(json_object_get(e, "pointer")) + 1,
                      json_string_value(json_object_get(e, "message")));
            sw_verrs_free(&errs);
            json_decref(doc);
            return rc;
        }
        sw_verrs_free(&errs);
        sw_feedreg_defaults(doc);
        rc = sw_doc_create(s, &sw_kind_feed, doc, 0, &out);
        json_decref(doc);
        if (rc == SW_OK && json_is_true(json_object_get(out, "enabled")))
            rc = sw_feedreg_schedule(s, json_integer_value(json_object_get(out, "id")), 0);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (argc == 1 && strcmp(argv[0], "list") == 0) {
        size_t i;

        rc = sw_doc_list(s, &sw_kind_feed, 0, 0, 100000, &out, &next);
        json_array_foreach(out, i, doc)
            if (rc == SW_OK && (rc = sw_feedreg_status(s, json_integer_value(
                                    json_object_get(doc, "id")), &st)) == SW_OK)
                json_object_set_new(doc, "status", st);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (argc != 2 || sw_parse_ll(argv[1], 1, INT64_MAX, &id) != SW_OK) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[0], "get") == 0) {
        rc = sw_doc_get(s, &sw_kind_feed, id, &out);
        if (rc == SW_OK && (rc = sw_feedreg_status(s, id, &st)) == SW_OK)
            json_object_set_new(out, "status", st);
        return rc == SW_OK ? sw_tool_print_json(out) : store_fail(s, rc);
    }
    if (strcmp(argv[0], "poll") == 0) {
        rc = sw_doc_get(s, &sw_kind_feed, id, &out);
        if (rc == SW_OK && !json_is_true(json_object_get(out, "enabled"))) {
            json_decref(out);
            return sw_tool_fail("feed %s is disabled", argv[1]);
        }
        json_decref(out);
        rc = rc == SW_OK ? sw_feedreg_schedule(s, id, 0) : rc;
        return rc == SW_OK ? 0 : store_fail(s, rc);
    }
    if (strcmp(argv[0], "rm") == 0) {
        rc = sw_feedreg_delete(s, id);
        return rc == SW_OK ? 0 : store_fail(s, rc);
    }
    usage(stderr);
    return 2;
}

static size_t repairs_total(const struct sw_feed_result *res)
{
    size_t i, n = 0;

    for (i = 0; i < SW_REPAIR_COUNT; i++)
        n += res->repairs[i];
    return n;
}

/* One line on stderr per kind of repair the lenient reader made: never accepted silently. */
static void print_repairs(const char *path, const struct sw_feed_result *res)
{
    size_t i;

    for (i = 0; i < SW_REPAIR_COUNT; i++)
        if (res->repairs[i] > 0)
            fprintf(stderr, "%s: %s: repaired (%s) %zu time%s: %s\n", prog, path,
                    sw_feed_repair_name((enum sw_feed_repair)i), res->repairs[i],
                    res->repairs[i] == 1 ? "" : "s",
                    sw_feed_repair_text((enum sw_feed_repair)i));
}

/* One line of `seawall source list`: what a person scans for. */
static json_t *source_summary(const json_t *v)
{
    json_t *f = json_object_get(v, "feed"), *st = json_object_get(f, "status");
    json_t *dates = json_object_get(st, "dates");

    return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O?, s:O?, s:O?, s:O?, s:O?, s:O?}",
                     "name", json_object_get(v, "name"), "title",
                     json_object_get(json_object_get(v, "title"), "en"), "format",
                     json_object_get(v, "format"), "schedule",
                     json_object_get(json_object_get(v, "schedule"), "every"), "url_status",
                     json_object_get(v, "url_status"), "readable",
                     json_object_get(v, "readable"), "ready", json_object_get(v, "ready"),
                     "feed", json_object_get(f, "id"), "enabled", json_object_get(f, "enabled"),
                     "last_success_at", json_object_get(st, "last_success_at"), "last_error",
                     json_object_get(st, "last_error"), "consecutive_failures",
                     json_object_get(st, "consecutive_failures"), "missing_dates",
                     json_object_get(dates, "missing"));
}

/* seawall source: the catalogue from the command line, with the same checks and effects as
 * the API (lib/sources.c). */
static int cmd_source(struct sw_store *s, const struct sw_config *cfg, int argc, char **argv)
{
    json_t *cat = NULL, *e, *v, *out, *doc = NULL, *feed = NULL;
    const char *url = NULL, *tmpl = NULL;
    char err[600];
    struct sw_verrs errs;
    size_t i;
    int rc, confirm = 0, created = 0, k;

    if (argc < 1 || (strcmp(argv[0], "list") != 0 && argc < 2)) {
        usage(stderr);
        return 2;
    }
    if (sw_sources_load(sw_config_str(cfg, "sources.dir"), &cat, err, sizeof(err)) != SW_OK)
        return sw_tool_fail("%s", err);
    if (strcmp(argv[0], "list") == 0) {
        out = json_array();
        rc = SW_OK;
        json_array_foreach(cat, i, e) {
            if ((rc = sw_sources_view(s, cfg, e, &v)) != SW_OK)
                break;
            json_array_append_new(out, source_summary(v));
            json_decref(v);
        }
        json_decref(cat);
        if (rc != SW_OK) {
            json_decref(out);
            return store_fail(s, rc);
        }
        return sw_tool_print_json(out);
    }
    if ((e = sw_sources_find(cat, argv[1])) == NULL) {
        json_decref(cat);
        return sw_tool_fail("no source named \"%s\" in the catalogue", argv[1]);
    }
    for (k = 2; k < argc; k++) {
        if (strcmp(argv[k], "--confirm") == 0) {
            confirm = 1;
        } else if (strcmp(argv[k], "--url") == 0 && k + 1 < argc) {
            url = argv[++k];
        } else if (strcmp(argv[k], "--url-template") == 0 && k + 1 < argc) {
            tmpl = argv[++k];
        } else {
            json_decref(cat);
            return sw_tool_fail("unknown argument \"%s\"", argv[k]);
        }
    }
    if (strcmp(argv[0], "get") == 0) {
        rc = sw_sources_view(s, cfg, e, &v);
    } else if (strcmp(argv[0], "enable") == 0) {
        rc = sw_sources_feed_doc(e, url, tmpl, confirm, &doc, err, sizeof(err));
        if (rc != SW_OK) {
            json_decref(cat);
            return sw_tool_fail("%s", err);
        }
        sw_verrs_init(&errs);
        rc = sw_sources_enable(s, cfg, e, doc, &feed, &created, &errs);
        json_decref(doc);
        json_decref(feed);
        if (rc == SW_INVALID) {
            json_t *first = json_array_get(errs.list, 0);

            rc = sw_tool_fail("%s %s", json_string_value(json_object_get(first, "pointer")),
                              json_string_value(json_object_get(first, "message")));
            sw_verrs_free(&errs);
            json_decref(cat);
            return rc;
        }
        sw_verrs_free(&errs);
        if (rc == SW_OK)
            rc = sw_sources_view(s, cfg, e, &v);
    } else if (strcmp(argv[0], "disable") == 0) {
        rc = sw_sources_disable(s, e, &feed);
        json_decref(feed);
        if (rc == SW_NOTFOUND) {
            json_decref(cat);
            return sw_tool_fail("source %s was never enabled here", argv[1]);
        }
        if (rc == SW_OK)
            rc = sw_sources_view(s, cfg, e, &v);
    } else {
        json_decref(cat);
        usage(stderr);
        return 2;
    }
    json_decref(cat);
    return rc == SW_OK ? sw_tool_print_json(v) : store_fail(s, rc);
}

static int cmd_feed(struct sw_store *s, const struct sw_config *cfg, int argc, char **argv)
{
    struct sw_feed_opts o = { .format = SW_FEED_AUTO };
    struct sw_feed_result res;
    struct sw_archive_limits lim;
    enum sw_compression comp = SW_COMP_AUTO;
    const char *path = NULL;
    json_t *html = NULL;
    int i, fd, rc;

    if (argc < 1 || strcmp(argv[0], "parse") != 0)
        return cmd_feed_registry(s, cfg, argc, argv);
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            if (sw_feed_format_parse(argv[++i], &o.format) != SW_OK)
                return sw_tool_fail("unknown format \"%s\"", argv[i]);
        } else if (strcmp(argv[i], "--charset") == 0 && i + 1 < argc) {
            o.charset = argv[++i];
        } else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) {
            o.item_type = argv[++i];
        } else if (strcmp(argv[i], "--source") == 0 && i + 1 < argc) {
            o.source = argv[++i];
        } else if (strcmp(argv[i], "--base") == 0 && i + 1 < argc) {
            o.base_url = argv[++i];
        } else if (strcmp(argv[i], "--html") == 0 && i + 1 < argc && html == NULL) {
            struct sw_verrs errs;
            json_error_t jerr;

            html = json_loads(argv[++i], JSON_REJECT_DUPLICATES, &jerr);
            if (!json_is_object(html)) {
                json_decref(html);
                return sw_tool_fail("--html takes a JSON object (%s)",
                                    html == NULL ? jerr.text : "not an object");
            }
            sw_verrs_init(&errs);
            sw_feed_html_check(html, "html", &errs);
            if (sw_verrs_count(&errs) > 0) {
                json_t *e = json_array_get(errs.list, 0);

                rc = sw_tool_fail("--%s %s", json_string_value(json_object_get(e, "pointer")),
                                  json_string_value(json_object_get(e, "message")));
                sw_verrs_free(&errs);
                json_decref(html);
                return rc;
            }
            sw_verrs_free(&errs);
            o.html = html;
        } else if (strcmp(argv[i], "--compression") == 0 && i + 1 < argc) {
            if (sw_compression_parse(argv[++i], &comp) != SW_OK)
                return sw_tool_fail("unknown compression \"%s\" (none, zip, gzip or auto)",
                                    argv[i]);
        } else if (path == NULL && (argv[i][0] != '-' || strcmp(argv[i], "-") == 0)) {
            path = argv[i];
        } else {
            json_decref(html);
            return sw_tool_fail("unknown argument \"%s\"", argv[i]);
        }
    }
    if (path == NULL) {
        json_decref(html);
        return sw_tool_fail("%s", "feed parse needs a FILE (or - for standard input)");
    }
    fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY);
    if (fd < 0) {
        json_decref(html);
        return sw_tool_fail("open(\"%s\") failed (%s)", path, strerror(errno));
    }
    sw_feedreg_archive_limits(cfg, &lim);
    rc = sw_archive_parse_fd(fd, comp, &lim, &o, print_event, NULL, &res, NULL);
    json_decref(html);
    if (fd != 0)
        close(fd);
    fflush(stdout);
    print_repairs(path, &res);
    if (rc != SW_OK) {
        if (res.partial)
            return sw_tool_fail("%s: read in part (%zu events): %s", path, res.events, res.err);
        return sw_tool_fail("%s: %s", path, res.err[0] ? res.err : "cannot be read");
    }
    if (res.warnings > repairs_total(&res))
        fprintf(stderr, "%s: %s: %zu warning%s; first: %s\n", prog, path,
                res.warnings - repairs_total(&res),
                res.warnings - repairs_total(&res) == 1 ? "" : "s", res.err);
    return 0;
}

static json_t *keys_json(const struct sw_keys *k)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "exact", k->exact, "visual",
                          k->visual, "phonetic", k->phonetic, "words", k->words, "bare",
                          k->bare, "transliterated", k->translit);
    struct sw_name_parts np;

    if (o != NULL && sw_name_parts(k->name, &np) == SW_OK) {
        json_t *ind = json_array();
        size_t i;

        for (i = 0; i < np.nindustries; i++)
            json_array_append_new(ind, json_string(np.industries[i]));
        json_object_set_new(o, "name", json_pack("{s:s, s:s, s:o, s:s, s:s, s:b, s:b}",
                                                 "trade", np.trade, "han", np.han,
                                                 "industries", ind, "provinces", np.provinces,
                                                 "cities", np.cities, "trade_is_place",
                                                 np.trade_is_place, "listing_marker",
                                                 np.listing_marker));
    }
    return o;
}

static void count_alert(void *ud, const struct sw_match *m)
{
    (void)m;
    (*(int *)ud)++;
}

/* Whether the matching index, holding b (with its aliases, a JSON array or NULL) as a
 * subscriber's only item, alerts on an event that carries a: a trademark filing for a mark,
 * a defendant for a name. This is the score and the index's candidate generation together:
 * a pair the score calls similar but no key proposes is missed here. -1 when the index could
 * not be made. */
static int index_alerts(int name, const char *a, const char *b, json_t *aliases,
                        double threshold)
{
    struct sw_mindex *ix = sw_mindex_new();
    json_t *profile = json_pack("{s:f}", "alert_threshold", threshold);
    json_t *item = json_pack("{s:i, s:s, s:s}", "id", 1, "kind", name ? "name" : "mark", "text",
                             b);
    json_t *ev = name ? json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "id", "eval", "type",
                                  "litigation", "parties", "name", a, "role", "defendant")
                      : json_pack("{s:s, s:s, s:[s]}", "id", "eval", "type", "trademark_filing",
                                  "marks", a);
    int alerts = -1;

    if (item != NULL && aliases != NULL)
        json_object_set(item, "aliases", aliases);
    if (ix != NULL && profile != NULL && item != NULL && ev != NULL &&
        sw_mindex_subscriber(ix, 1, profile) == SW_OK) {
        alerts = 0;
        if (sw_mindex_put(ix, 1, item) == SW_OK)
            sw_mindex_match(ix, ev, count_alert, &alerts);
    }
    json_decref(profile);
    json_decref(item);
    json_decref(ev);
    sw_mindex_free(ix);
    return alerts < 0 ? -1 : alerts > 0;
}

/* Counts of one slice of the labelled pairs. */
struct tally {
    const char *name;
    long tp, fp, fn, tn;
};

static void tally_add(struct tally *t, int label, int said)
{
    t->tp += label && said;
    t->fn += label && !said;
    t->fp += !label && said;
    t->tn += !label && !said;
}

static void tally_print(const struct tally *t, double threshold)
{
    long n = t->tp + t->fp + t->fn + t->tn;

    if (n == 0)
        return;
    printf("RESULT %s pairs=%ld precision=%.3f recall=%.3f threshold=%.2f\n", t->name, n,
           t->tp + t->fp ? (double)t->tp / (double)(t->tp + t->fp) : 1.0,
           t->tp + t->fn ? (double)t->tp / (double)(t->tp + t->fn) : 1.0, threshold);
}

/* Whether s holds a Chinese character (U+3400 to U+9FFF). */
static int has_han(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    for (; *p != '\0'; p++)
        if (*p >= 0xe3 && *p <= 0xe9 && (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80) {
            unsigned c = (unsigned)(*p & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 |
                         (unsigned)(p[2] & 0x3f);

            if (c >= 0x3400 && c <= 0x9fff)
                return 1;
        }
    return 0;
}

/* The best score of a against b and each of b's aliases (a JSON array, or NULL). */
static double best_score(enum sw_norm_kind kind, const char *a, const char *b, json_t *aliases,
                         char *why, size_t whylen)
{
    struct sw_keys ka, kb;
    double best = 0.0, s;
    size_t i;
    json_t *v;
    char w[64], name[SW_KEY_MAX] = "";

    sw_strlcpy(why, "nothing to compare", whylen);
    if (sw_normalise(a, kind, &ka) != SW_OK)
        return 0.0;
    if (sw_normalise(b, kind, &kb) == SW_OK) {
        best = sw_similarity(&ka, &kb, why, whylen);
        sw_strlcpy(name, kb.name, sizeof(name));
    }
    json_array_foreach(aliases, i, v) {
        if (sw_normalise(json_string_value(v), kind, &kb) != SW_OK)
            continue;
        if (kb.name[0] != '\0' && name[0] != '\0')   /* as the matching index does */
            sw_name_inherit(kb.name, sizeof(kb.name), name);
        if ((s = sw_similarity(&ka, &kb, w, sizeof(w))) > best) {
            best = s;
            snprintf(why, whylen, "alias: %s", w);
        }
    }
    return best;
}

enum { T_ALL, T_MARKS, T_NAMES, T_ZH_EN, T_ZH_EN_UNAIDED, T_PLACE, T_SHORT, T_LISTING, T_ALIAS,
       T_ALIAS_UNAIDED, T_INDEX, T_COUNT };

/* seawall match eval: reads "kind<TAB>label<TAB>category<TAB>a<TAB>b[<TAB>aliases]" lines
 * (aliases of b separated by ';', as a portfolio holds them) and reports precision and
 * recall at the threshold: overall, for marks and for names apart, for the slices of names
 * (Chinese against Latin, with a place prefix, short names, listing markers, names that need
 * an alias) and through the matching index, with each miss. */
static int cmd_match_eval(char **paths, int npaths, double threshold)
{
    struct tally t[T_COUNT] = {
        [T_ALL] = { "quality" }, [T_MARKS] = { "marks" }, [T_NAMES] = { "names" },
        [T_ZH_EN] = { "names-zh-en" }, [T_ZH_EN_UNAIDED] = { "names-zh-en-unaided" },
        [T_PLACE] = { "names-place" }, [T_SHORT] = { "names-short" },
        [T_LISTING] = { "names-listing-marker" }, [T_ALIAS] = { "names-alias" },
        [T_ALIAS_UNAIDED] = { "names-alias-unaided" }, [T_INDEX] = { "index" },
    };
    json_t *cats = json_object();
    char line[4096];
    int f, i;

    for (f = 0; f < npaths; f++) {
        FILE *fp = fopen(paths[f], "r");

        if (fp == NULL) {
            json_decref(cats);
            return sw_tool_fail("open(\"%s\") failed (%s)", paths[f], strerror(errno));
        }
        while (fgets(line, sizeof(line), fp) != NULL) {
            char *fl[6], *save = NULL, *p = line, why[96];
            json_t *c, *aliases = NULL;
            int n = 0, label, said, found, name, cross, alias;
            double score;

            if (line[0] == '#' || line[0] == '\n')
                continue;
            line[strcspn(line, "\n")] = '\0';
            for (; n < 6 && (fl[n] = strtok_r(p, "\t", &save)) != NULL; n++)
                p = NULL;
            if (n < 5)
                continue;
            if (n == 6) {
                char *al, *s2 = NULL;

                aliases = json_array();
                for (al = strtok_r(fl[5], ";", &s2); al != NULL; al = strtok_r(NULL, ";", &s2))
                    json_array_append_new(aliases, json_string(al));
            }
            label = strcmp(fl[1], "1") == 0;
            name = strcmp(fl[0], "name") == 0;
            cross = name && has_han(fl[3]) != has_han(fl[4]);
            alias = name && strstr(fl[2], "alias") != NULL;
            score = best_score(name ? SW_NORM_NAME : SW_NORM_MARK, fl[3], fl[4], aliases, why,
                               sizeof(why));
            said = score >= threshold;
            found = index_alerts(name, fl[3], fl[4], aliases, threshold);
            if (found < 0) {
                fclose(fp);
                json_decref(aliases);
                json_decref(cats);
                return sw_tool_fail("%s", "out of memory");
            }
            tally_add(&t[T_INDEX], label, found);
            if (found != said)
                printf("INDEX %s %s \"%s\" ~ \"%s\": score %.3f, index %s\n", fl[2],
                       label ? "similar" : "different", fl[3], fl[4], score,
                       found ? "alerted" : "proposed nothing");
            tally_add(&t[T_ALL], label, said);
            tally_add(&t[name ? T_NAMES : T_MARKS], label, said);
            if (cross && !alias)
                tally_add(&t[T_ZH_EN], label, said);
            if (name && strstr(fl[2], "place") != NULL)
                tally_add(&t[T_PLACE], label, said);
            if (name && strstr(fl[2], "short") != NULL)
                tally_add(&t[T_SHORT], label, said);
            if (name && strstr(fl[2], "listing") != NULL)
                tally_add(&t[T_LISTING], label, said);
            if (alias)
                tally_add(&t[T_ALIAS], label, said);
            if (cross || alias) {   /* as a portfolio without the alias would fare */
                char w[96];
                int bare = best_score(SW_NORM_NAME, fl[3], fl[4], NULL, w, sizeof(w)) >=
                           threshold;

                if (cross)
                    tally_add(&t[T_ZH_EN_UNAIDED], label, bare);
                if (alias)
                    tally_add(&t[T_ALIAS_UNAIDED], label, bare);
            }
            json_decref(aliases);
            c = json_object_get(cats, fl[2]);
            if (c == NULL) {
                c = json_pack("{s:i, s:i}", "pairs", 0, "right", 0);
                json_object_set_new(cats, fl[2], c);
            }
            json_object_set_new(c, "pairs", json_integer(json_integer_value(
                                                json_object_get(c, "pairs")) + 1));
            if (said == label)
                json_object_set_new(c, "right", json_integer(json_integer_value(
                                                    json_object_get(c, "right")) + 1));
            else
                printf("MISS %s %s \"%s\" ~ \"%s\": %.3f (%s)\n", fl[2],
                       label ? "similar" : "different", fl[3], fl[4], score, why);
        }
        fclose(fp);
    }
    {
        const char *k;
        json_t *c;

        json_object_foreach(cats, k, c)
            printf("%-36s %3lld/%-3lld\n", k, (long long)json_integer_value(
                   json_object_get(c, "right")), (long long)json_integer_value(
                   json_object_get(c, "pairs")));
    }
    json_decref(cats);
    for (i = 0; i < T_COUNT; i++)
        tally_print(&t[i], threshold);
    return 0;
}

/* seawall match pair: the normalised forms, the score and the decision for two texts. */
static int cmd_match(int argc, char **argv)
{
    enum sw_norm_kind kind = SW_NORM_MARK;
    const char *a = NULL, *b = NULL;
    double threshold = SW_MATCH_THRESHOLD, score;
    struct sw_keys ka, kb;
    char why[64];
    char **files = NULL;
    int i, nfiles = 0, rc;

    if (argc < 1 || (strcmp(argv[0], "pair") != 0 && strcmp(argv[0], "eval") != 0)) {
        usage(stderr);
        return 2;
    }
    if ((files = calloc((size_t)argc, sizeof(*files))) == NULL)
        return sw_tool_fail("%s", "out of memory");
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "mark") == 0)
                kind = SW_NORM_MARK;
            else if (strcmp(argv[i], "name") == 0)
                kind = SW_NORM_NAME;
            else {
                free(files);
                return sw_tool_fail("--kind is mark or name, not \"%s\"", argv[i]);
            }
        } else if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
            char *end;

            threshold = strtod(argv[++i], &end);
            if (*end != '\0' || threshold < 0.5 || threshold > 1.0) {
                free(files);
                return sw_tool_fail("%s", "--threshold is a number from 0.5 to 1");
            }
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (strcmp(argv[0], "eval") == 0) {
        rc = nfiles == 0 ? sw_tool_fail("%s", "match eval needs a FILE")
                         : cmd_match_eval(files, nfiles, threshold);
        free(files);
        return rc;
    }
    a = nfiles > 0 ? files[0] : NULL;
    b = nfiles > 1 ? files[1] : NULL;
    rc = nfiles;
    free(files);
    if (rc > 2)
        return sw_tool_fail("unexpected argument \"%s\"", argv[argc - 1]);
    if (a == NULL || b == NULL)
        return sw_tool_fail("%s", "match pair needs two texts");
    if (sw_normalise(a, kind, &ka) != SW_OK)
        return sw_tool_fail("nothing to compare in \"%s\" (empty, or not UTF-8)", a);
    if (sw_normalise(b, kind, &kb) != SW_OK)
        return sw_tool_fail("nothing to compare in \"%s\" (empty, or not UTF-8)", b);
    score = sw_similarity(&ka, &kb, why, sizeof(why));
    return sw_tool_print_json(json_pack("{s:s, s:o, s:o, s:f, s:s, s:f, s:s}", "kind",
                                kind == SW_NORM_MARK ? "mark" : "name", "a", keys_json(&ka), "b",
                                keys_json(&kb), "score", (double)((int)(score * 1000 + 0.5)) / 1000,
                                "why", why, "threshold", threshold, "decision",
                                score >= 1.0 ? "identical" : score >= threshold ? "similar"
                                                                                : "different"));
}

int main(int argc, char **argv)
{
    const char *config_path = NULL;
    const struct sw_kind *k;
    struct sw_config *cfg;
    struct sw_store store;
    char err[512];
    int rc;

    argv++;
    argc--;
    if (argc >= 2 && strcmp(argv[0], "--config") == 0) {
        config_path = argv[1];
        argv += 2;
        argc -= 2;
    }
    if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        usage(argc == 0 ? stderr : stdout);
        return argc == 0 ? 2 : 0;
    }
    if (sw_config_load(&cfg, config_path, err, sizeof(err)) != SW_OK)
        return sw_tool_fail("%s", err);
    if (sodium_init() < 0) {
        sw_config_free(cfg);
        return sw_tool_fail("%s", "libsodium failed to initialise");
    }
    /* What words text for people loads the catalogue; the offline commands (parsing a file,
     * comparing two names, the configuration, the catalogue's own check) need none. */
    if (strcmp(argv[0], "match") != 0 && strcmp(argv[0], "feed") != 0 &&
        strcmp(argv[0], "source") != 0 && strcmp(argv[0], "register") != 0 &&
        strcmp(argv[0], "config") != 0 && strcmp(argv[0], "i18n") != 0 &&
        sw_i18n_load(sw_config_str(cfg, "i18n.dir"), err, sizeof(err)) != SW_OK) {
        sw_config_free(cfg);
        return sw_tool_fail("message catalogue not loaded: %s", err);
    }
    sw_store_init(&store, cfg);
    if (strcmp(argv[0], "match") == 0) {
        rc = cmd_match(argc - 1, argv + 1);
    } else if (strcmp(argv[0], "feed") == 0) {
        rc = cmd_feed(&store, cfg, argc - 1, argv + 1);
    } else if (strcmp(argv[0], "source") == 0) {
        rc = cmd_source(&store, cfg, argc - 1, argv + 1);
    } else if (strcmp(argv[0], "register") == 0) {
        rc = sw_tool_register(&store, cfg, argc - 1, argv + 1);
    } else if (strcmp(argv[0], "config") == 0) {
        sw_config_dump(cfg, stdout);
        rc = 0;
    } else if (strcmp(argv[0], "i18n") == 0) {
        rc = sw_tool_i18n(sw_config_str(cfg, "i18n.dir"), argc - 1, argv + 1);
    } else if (strcmp(argv[0], "token") == 0) {
        rc = cmd_token(&store, argc - 1, argv + 1);
    } else if (strcmp(argv[0], "person") == 0) {
        rc = cmd_person(&store, cfg, argc - 1, argv + 1);
    } else if ((k = kind_named(argv[0])) != NULL) {
        rc = cmd_kind(&store, k, argc - 1, argv + 1);
    } else {
        fprintf(stderr, "%s: unknown command \"%s\"\n", prog, argv[0]);
        usage(stderr);
        rc = 2;
    }
    sw_store_close(&store);
    sw_i18n_free();
    sw_config_free(cfg);
    return rc;
}
