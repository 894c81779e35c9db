/* actions.h — what an alert lets its subscriber do about the event, and until when: oppose a
 * published mark, answer a complaint once served, object to the destruction of detained goods,
 * answer a complaint at a fair, act before a Madrid designation's refusal period ends.
 *
 * Computed once, when the matcher makes the alert, from the event's type, jurisdiction and
 * dates ("published", "notified", "served"), the match rules that made the alert (they say the
 * subscriber's part: a rival's filing threatens its mark, it is named as defendant …) and the
 * action rules of the deadline table (etc/deadlines.json "actions", docs/deadlines.md), and
 * stored with the alert as its "action". A date the record does not give is never guessed:
 * the action then says what is unknown. Pure: no store, no I/O; safe from any thread. */
#ifndef SEAWALL_ACTIONS_H
#define SEAWALL_ACTIONS_H

#include <stdint.h>

#include <jansson.h>

#include "seawall/common.h"

struct sw_deadlines;

#define SW_ACTION_DESIGNATIONS_MAX 60   /* designations of a Madrid event an action lists */

/* The action for event, whose alert was made by the match rules reasons[0..nreasons)
 * ("similar-mark", "named-as-defendant" …): NULL when no action rule applies (or d is NULL),
 * else a new object (the caller decrefs):
 *   {"kind", "opens", "closes", "last_day", "zone", "from": {"what", "date"}, "extendable",
 *    "extension"?, "rule": {"id", "text", "source", "url"?}, "designations"?, "note"?}
 * where opens and closes are UTC instants (ISO 8601), last_day the closing day as the forum
 * counts it (YYYY-MM-DD in zone); or, when the date the rule counts from is not in the event,
 *   {"kind", "unknown": why, "extendable", "extension"?, "rule": {…}}.
 * An event may carry the window its maker computed ("deadline": {"at", "rule"}, as a fair's
 * incident does with the fair's own answer period): then closes is that. *closes_ms gets when
 * the window closes (ms since the epoch), 0 when unknown or no action. */
json_t *sw_action_for(const struct sw_deadlines *d, const json_t *event,
                      const char *const *reasons, size_t nreasons, int64_t *closes_ms);

#endif
