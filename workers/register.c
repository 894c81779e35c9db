/* register.c — seawall-register: keeps the register (seawall/register.h) from the events
 * stream. Reads with its own consumer group "registers" in batches, writes each batch's mark
 * and party records in a few pipelined round trips, tells the followers of a changed mark or
 * docket (seawall/follows.h), and acknowledges the batch only once all of it is stored; a
 * batch that failed is read again (applying an event twice changes nothing). Entries a
 * crashed writer read but never acknowledged are claimed after register.claim_idle_ms. Its
 * heartbeat (sw_register_alive) says when it last read. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "seawall/config.h"
#include "seawall/feedreg.h"
#include "seawall/follows.h"
#include "seawall/i18n.h"
#include "seawall/log.h"
#include "seawall/register.h"
#include "seawall/store.h"
#include "seawall/stream.h"
#include "seawall/worker.h"

#define EVENTS SW_EVENTS_STREAM
#define GROUP "registers"

static const struct sw_config *cfg;
static struct sw_store store;
static volatile sig_atomic_t stopping;
static char me[128];
static int follow_failed;

/* A followed mark's alerts not stored fail the batch (SW_EAGAIN): it is read again, and the
 * record's marker has the alerts stored then (their ids make a second store harmless). */
static int on_change(void *ud, const struct sw_reg_change *ch)
{
    (void)ud;
    return sw_follow_mark_changed(&store, cfg, ch);
}

static void on_docket(void *ud, const struct sw_reg_docket *d)
{
    (void)ud;
    if (sw_follow_docket_entry(&store, cfg, d) != SW_OK)
        follow_failed = 1;
}

/* Writes the entries' events and acknowledges them; on failure nothing is acknowledged. */
static void process(const redisReply *entries, int shard)
{
    struct sw_reg_writer *w;
    size_t i;
    int rc = SW_OK;
    long long events, marks;

    if (entries == NULL || entries->type != REDIS_REPLY_ARRAY || entries->elements == 0)
        return;
    if ((w = sw_register_writer_new(&store, on_change, on_docket, NULL)) == NULL)
        return;
    follow_failed = 0;
    for (i = 0; i < entries->elements && rc == SW_OK; i++) {
        const redisReply *e = entries->element[i];
        const char *text;
        json_t *ev;

        if (e->type != REDIS_REPLY_ARRAY || e->elements < 2 ||
            e->element[1]->type != REDIS_REPLY_ARRAY)
            continue;
        text = sw_stream_field(e, "event");
        if (text == NULL || (ev = json_loads(text, 0, NULL)) == NULL)
            continue;
        /* When the event entered the stream: a record it makes keeps it as "seen". */
        if (e->element[0]->type == REDIS_REPLY_STRING)
            json_object_set_new(ev, SW_REG_STREAM_MS, json_integer(strtoll(e->element[0]->str,
                                                                          NULL, 10)));
        rc = sw_register_add(w, ev);
        json_decref(ev);
    }
    rc = rc ?: sw_register_flush(w);
    sw_register_counts(w, &events, &marks);
    sw_register_writer_free(w);
    if (rc != SW_OK) {
        sw_warn("register: a batch of %zu events not written (%s); it is read again",
                entries->elements, store.errstr);
        return;
    }
    if (follow_failed)   /* the docket's set says it was seen: reading again would not help */
        sw_warn("register: a followed docket's alert was not stored (%s)", store.errstr);
    {
        const char **ids = calloc(entries->elements, sizeof(*ids));
        size_t n = 0;

        if (ids == NULL)
            return;
        for (i = 0; i < entries->elements; i++)
            if (entries->element[i]->type == REDIS_REPLY_ARRAY &&
                entries->element[i]->elements > 0 &&
                entries->element[i]->element[0]->type == REDIS_REPLY_STRING)
                ids[n++] = entries->element[i]->element[0]->str;
        sw_stream_ack(&store, EVENTS, shard, GROUP, (int)n, ids);
        free(ids);
    }
    if (marks > 0)
        sw_debug("register: %lld events, %lld marks written", events, marks);
}

static void take_claimed(void *ud, int shard, const redisReply *entries)
{
    (void)ud;
    process(entries, shard);
}

int main(int argc, char **argv)
{
    struct sw_config *loaded;
    struct sw_stream_batch batch;
    int64_t last_claim = 0, last_beat = 0;
    int rc = sw_worker_start("seawall-register", argc, argv, "register.id", &loaded, me,
                             sizeof(me), &stopping);

    if (rc != 0)
        return rc;
    cfg = loaded;
    sw_store_init(&store, cfg);
    sw_stream_group(&store, EVENTS, GROUP, "0");
    sw_info("registering as %s", me);
    while (!stopping) {
        int64_t now = sw_mono_us() / 1000;
        int i;

        if (now - last_beat >= 10000) {
            sw_register_alive(&store, me);
            last_beat = now;
        }
        if (now - last_claim >= sw_config_int(cfg, "register.claim_idle_ms") / 4 + 1) {
            sw_stream_claim(&store, EVENTS, GROUP, me,
                            sw_config_int(cfg, "register.claim_idle_ms"),
                            sw_config_int(cfg, "register.batch"), "events", take_claimed, NULL,
                            &stopping);
            last_claim = now;
        }
        if (sw_stream_read(&store, EVENTS, GROUP, me, sw_config_int(cfg, "register.batch"),
                           sw_config_int(cfg, "register.block_ms"), &batch) != SW_OK) {
            sw_warn("reading events failed (%s)", store.errstr);
            sleep(1);
            continue;
        }
        for (i = 0; i < batch.n; i++)
            process(batch.entries[i], batch.shard[i]);
        sw_stream_batch_free(&batch);
    }
    sw_info("stopping");
    sw_store_close(&store);
    sw_i18n_free();
    sw_config_free(loaded);
    return 0;
}
