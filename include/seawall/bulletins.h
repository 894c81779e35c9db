/* bulletins.h — early-warning bulletins: centre staff write them in Chinese and English side
 * by side, preview, publish, correct (every version kept) and withdraw them; anyone may read
 * the published ones; each published version reaches the exporters it concerns as alerts.
 *
 * A bulletin (the document, as GET /api/v1/bulletins/{id} gives it):
 *   id, status ("draft", "published", "withdrawn"), version (0 while a draft, then 1, 2 …),
 *   title, text          {"zh-CN": …, "en": …}: one language at least, both recommended
 *   country, severity, keywords, url
 *   centre               the centre whose staff wrote it (0: an admin did)
 *   created_at, created_by, updated_at
 *   published_at, published_by               when version 1 went out
 *   corrected_at, correction {version, note, at, by}   the latest correction, if any
 *   withdrawn_at, withdrawal {reason, at, by}          after a withdrawal
 * A version (GET …/versions): {version, title, text, country, severity, keywords, url, at, by,
 * note (from version 2)}.
 *
 * Keys (keys.h; a bulletin's own keys share the tag {bulletin:N}, one Redis Cluster slot):
 *   sw:{bulletin:<id>}            the bulletin as it is now (JSON)
 *   sw:{bulletin:<id>}:versions   list of its published versions, oldest first (JSON each)
 *   sw:{bulletin:<id>}:live       the number of the version that is out ("1", "2" …), or
 *                                 "withdrawn"; absent while a draft
 *   sw:{bulletin:<id>}:alerted    hash subscriber -> the first alert a version of it gave them
 *   sw:seq:bulletin               the last id given
 *   sw:idx:bulletins              published and withdrawn bulletins, score = id (a draft may
 *                                 be there a moment: listings skip drafts)
 *   sw:idx:bulletin-drafts        drafts, score = id (listings skip what is not a draft)
 * Bulletins stored before versions existed (a plain string title, no live key) read as version
 * 1 of a published bulletin: sw_bulletin_get upgrades them, and the scripts treat a bulletin
 * whose document is not a draft and has no live key as version 1.
 *
 * Who hears of a bulletin. Every publication, correction and withdrawal is three steps, each
 * on one slot (sw_bulletin_commit says what a crash between them leaves): the id into the
 * public index; one script changing the document, the live key and the version list, all or
 * nothing; then the id out of the drafts and the event ("bulletin:<id>", "bulletin:<id>:v<n>",
 * "bulletin:<id>:withdrawn") published once (sw_event_publish). A request that finds its change
 * already made announces it again (sw_bulletin_announce), so a crash before the event went out
 * loses nothing. The
 * matcher (sw_bulletin_fanout_begin) drops the event of a version that is no longer out; it
 * claims each subscriber it matches (sw_bulletin_claim) before storing their alert, so the
 * alerted hash knows exactly who had some version. A correction then gives every subscriber in
 * that hash one follow-up alert (sw_bulletin_followup_store) linked to their first alert, and
 * the normal alert to those it matches who had none; a withdrawal gives only the follow-ups.
 * Alert ids are (subscriber, event) as for every alert, so a retried event repeats nothing. */
#ifndef SEAWALL_BULLETINS_H
#define SEAWALL_BULLETINS_H

#include <jansson.h>

#include "seawall/common.h"
#include "seawall/json.h"

struct sw_store;
struct sw_config;

/* Most bulletins one listing looks at before it answers with what it found (a narrow filter
 * over a long history stays quick; the cursor continues from where it stopped). */
#define SW_BULLETINS_SCAN_MAX 5000

#define SW_BULLETIN_TITLE_MAX 200      /* characters of a title, in each language */
#define SW_BULLETIN_TEXT_MAX 20000     /* characters of a text, in each language */
#define SW_BULLETIN_NOTE_MAX 2000      /* characters of a correction note or withdrawal reason */
#define SW_BULLETIN_VERSIONS_MAX 100   /* versions one bulletin may have */

/* --- the document (pure: no store) ----------------------------------------------------- */

/* What a request body is for. */
enum sw_bulletin_body {
    SW_BB_CREATE,       /* POST /bulletins: a new bulletin (a draft may leave fields out) */
    SW_BB_DRAFT,        /* PATCH a draft: any fields; a language set to null is removed */
    SW_BB_CORRECTION,   /* POST …/corrections: the changed fields, a note, the version */
    SW_BB_WITHDRAWAL,   /* POST …/withdraw: the reason */
};

/* Checks body in (an object) for what, adding each problem to errs with its pointer
 * ("/title/en", "/note"). Texts (title, text, note, reason) are a string or {"zh-CN": …,
 * "en": …}. With SW_BB_CREATE, every field publishing needs is required unless in has
 * "status": "draft". Returns the number of problems added. */
size_t sw_bulletin_check(const json_t *in, enum sw_bulletin_body what, struct sw_verrs *errs);

/* Problems that keep draft doc from being published (a field missing, no language left in a
 * title or text), added to errs. Returns how many. */
size_t sw_bulletin_check_complete(const json_t *doc, struct sw_verrs *errs);

/* The language the plain-string texts of body in are taken to be written in (the form of
 * older clients, and of bulletins stored before there were two languages): zh-CN when the
 * first of title, text, note and reason that is a plain string holds a Han character, else
 * en. One language for the whole body, so a title and its text stay together. */
const char *sw_bulletin_plain_lang(const json_t *in);

/* A text as stored: a copy of v when it is an object (null members dropped), {lang: v} for a
 * plain string (lang from sw_bulletin_plain_lang), NULL for anything else. New reference. */
json_t *sw_bulletin_texts(const json_t *v, const char *lang);

/* Applies the content fields of in (title, text, country, severity, keywords, url) to doc: a
 * plain string text goes under lang, an object's members replace or (null) remove theirs, the
 * other fields replace. Returns 1 when doc changed, else 0. */
int sw_bulletin_merge(json_t *doc, const json_t *in, const char *lang);

/* The text of v ({"zh-CN", "en"} or a legacy plain string) in lang, else in the other
 * language; NULL when there is none. *got (may be NULL) gets the language it is in. Points
 * into v. */
const char *sw_bulletin_text_in(const json_t *v, const char *lang, const char **got);

/* Brings a stored document of an older release to the current form (in place): plain string
 * title and text under sw_bulletin_plain_lang's language; status published and version 1 when
 * missing; centre from published_by. */
void sw_bulletin_upgrade(json_t *doc);

/* The version record of doc as it is now (see above). New reference. */
json_t *sw_bulletin_version_of(const json_t *doc);

/* 1 when a and b say the same: title, text, country, severity, keywords, url. */
int sw_bulletin_same_content(const json_t *a, const json_t *b);

/* The event of doc's latest change: "publish" (version 1), "correction" (its version, note)
 * or "withdrawal" (reason), at when — the event the matcher turns into alerts. Its title is
 * the Chinese one when there is one (titles has both), its text both texts and the keywords,
 * where the keyword rule looks. New reference. */
json_t *sw_bulletin_event(const json_t *doc, const char *change, const char *when);

/* doc for a reader in lang: title, text, correction's note and withdrawal's reason as plain
 * strings in lang (else the other language), "lang" the language the title is in and
 * "languages" those the bulletin has. New reference. */
json_t *sw_bulletin_localise(const json_t *doc, const char *lang);

/* --- the store --------------------------------------------------------------------------- */

/* Gives the next bulletin id in *id. Returns SW_OK or SW_EAGAIN (errstr on the handle). */
int sw_bulletin_next_id(struct sw_store *s, long long *id);

/* Loads bulletin id into *doc (caller decrefs; NULL unless SW_OK), upgraded
 * (sw_bulletin_upgrade). Returns SW_OK, SW_NOTFOUND or SW_EAGAIN. */
int sw_bulletin_get(struct sw_store *s, long long id, json_t **doc);

/* Stores draft doc (id in it) and files it among the drafts, unless it was published
 * meanwhile. SW_OK, SW_CONFLICT (no longer a draft), SW_EAGAIN or SW_ERR. */
int sw_bulletin_save_draft(struct sw_store *s, const json_t *doc);

/* Commits doc (id in it), the bulletin before was (as loaded: a draft, or a published
 * version) now in the state doc says — published (a publication or a correction: its version
 * is recorded, and before's too when a bulletin of an older release has none) or withdrawn —
 * with event ev (from sw_bulletin_event; sw_event_publish with ttl_s and maxlen). The change
 * is made only while before's version is still the one out: SW_OK, SW_CONFLICT (it moved on:
 * reload and decide), SW_TOOBIG (SW_BULLETIN_VERSIONS_MAX reached), SW_EAGAIN (the change may
 * be made and its event not yet out: a retry announces it) or SW_ERR. */
int sw_bulletin_commit(struct sw_store *s, const json_t *before, const json_t *doc,
                       const json_t *ev, long long ttl_s, long long maxlen);

/* Announces doc's latest change again (doc as stored: published, corrected or withdrawn; a
 * draft has nothing to announce): the id out of the drafts' index and the change's event,
 * dated as doc says, published (a no-op when it went out before). A request that finds its
 * change already made calls it, so the event a crash kept back goes out. SW_OK, SW_EAGAIN,
 * SW_ERR. */
int sw_bulletin_announce(struct sw_store *s, const json_t *doc, long long ttl_s,
                         long long maxlen);

/* Every published version of bulletin id, oldest first. SW_OK with *out (an array) or
 * SW_EAGAIN. */
int sw_bulletin_versions(struct sw_store *s, long long id, json_t **out);

/* Decides whether a bulletin belongs in a listing: nonzero keeps it. */
typedef int (*sw_bulletin_keep)(const json_t *bulletin, void *ud);

/* One page of bulletins, newest first, from the public index (drafts 0: published and
 * withdrawn) or the drafts: those with an id below `before` (0: from the newest) that keep
 * accepts (NULL accepts all), at most limit of them, looking at no more than
 * SW_BULLETINS_SCAN_MAX. *items (caller decrefs) is an array of upgraded documents; *next is
 * the cursor for the following page (the last id looked at) or 0 when nothing older exists.
 * Returns SW_OK or SW_EAGAIN (*items is then NULL). */
int sw_bulletins_page(struct sw_store *s, int drafts, long long before, int limit,
                      sw_bulletin_keep keep, void *ud, json_t **items, long long *next);

/* --- who hears of it (the matcher) --------------------------------------------------------- */

struct sw_bulletin_fanout {
    long long id;             /* the bulletin */
    long long version;        /* the version the event is about */
    int withdrawal;           /* the event withdraws it: follow-ups only, no matching */
    int correction;           /* the event corrects it: follow-ups, and matching */
    const char *event_id;     /* points into the event */
    json_t *followers;        /* {"<subscriber>": "<first alert id>"}: had an earlier version */
};

/* Starts the fan-out of bulletin event ev (one with "bulletin_id"): SW_OK with f filled (free
 * it with sw_bulletin_fanout_free), SW_CONFLICT when the event's version is no longer out (a
 * later change has its own event: acknowledge this one and alert nobody), SW_EAGAIN. */
int sw_bulletin_fanout_begin(struct sw_store *s, const json_t *ev,
                             struct sw_bulletin_fanout *f);
void sw_bulletin_fanout_free(struct sw_bulletin_fanout *f);

/* Claims subscriber sub for the alert alert_id that f's event gives them, unless a version
 * gave them one already: SW_OK with *first set to alert_id (store the alert) or to the first
 * alert they had (they get a follow-up instead), SW_CONFLICT when the version is no longer out
 * (store nothing), SW_EAGAIN. first holds at least 40 bytes. */
int sw_bulletin_claim(struct sw_store *s, const struct sw_bulletin_fanout *f, long long sub,
                      const char *alert_id, char *first, size_t firstlen);

/* Stores the follow-up alert of correction or withdrawal event ev for subscriber sub, whose
 * first alert about the bulletin was first: rule "bulletin-corrected" or
 * "bulletin-withdrawn", "follows": first, the bulletin's severity, delivered like every
 * alert. As sw_alert_store: SW_OK with *stored 1 or 0 (there already), SW_EAGAIN, SW_ERR. */
int sw_bulletin_followup_store(struct sw_store *s, const struct sw_config *cfg, long long sub,
                               const char *first, const json_t *ev, int *stored);

/* The follow-up alert sw_bulletin_followup_store stores (stamped for sub). New reference. */
json_t *sw_bulletin_followup(const json_t *ev, long long sub, const char *first);

#endif
