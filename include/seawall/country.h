/* country.h — country codes: ISO 3166-1 alpha-2, and the two codes that stand for the EU.
 *
 * EM is the EU trade mark (EUIPO's office code, as feeds and WIPO standard ST.3 write it): a
 * right. EU is the European Union as a market: where an exporter trades. Both stand for the
 * whole Union — every member state in SW_EU_MEMBERS — when countries are compared; where a
 * list may hold which is said by the field (docs/design-notes.md, "EM and EU"). */
#ifndef SEAWALL_COUNTRY_H
#define SEAWALL_COUNTRY_H

#include <stddef.h>

#define SW_EU_MEMBERS_N 27

/* The member states of the European Union (since 1 February 2020), NULL-terminated. */
extern const char *const sw_eu_members[SW_EU_MEMBERS_N + 1];

/* 1 when s is an assigned ISO 3166-1 alpha-2 code (upper case), else 0. */
int sw_country_valid(const char *s);

/* 1 when s is one of sw_eu_members. */
int sw_country_eu_member(const char *s);

/* 1 when s is EM or EU: a code that stands for every member state. */
int sw_country_eu_wide(const char *s);

#define SW_CC_EM 0x01   /* the list may hold EM, the EU trade mark */
#define SW_CC_EU 0x02   /* the list may hold EU, the EU as a market */

/* Checks s as a country code where the codes in allow (SW_CC_* bits) are accepted besides
 * ISO 3166-1 alpha-2. Returns NULL when it is fine, else a message that says what to write
 * instead (in msg, msglen bytes; s is quoted at most 8 bytes of it). */
const char *sw_country_check(const char *s, unsigned allow, char *msg, size_t msglen);

#endif
