/* country.c — ISO 3166-1 alpha-2 codes, the EU's member states, and EM/EU. */
#include <stdio.h>
#include <string.h>

#include "seawall/country.h"
#include "seawall/i18n.h"

static const char countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW";

/* Greece is GR here as in ISO 3166 (the EU's own lists write EL). */
const char *const sw_eu_members[SW_EU_MEMBERS_N + 1] = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", NULL,
};

int sw_country_valid(const char *s)
{
    size_t i;

    if (s == NULL || strlen(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z')
        return 0;
    for (i = 0; i + 1 < sizeof(countries); i += 3)
        if (countries[i] == s[0] && countries[i + 1] == s[1])
            return 1;
    return 0;
}

int sw_country_eu_member(const char *s)
{
    const char *const *m;

    for (m = sw_eu_members; s != NULL && *m != NULL; m++)
        if (strcmp(*m, s) == 0)
            return 1;
    return 0;
}

int sw_country_eu_wide(const char *s)
{
    return s != NULL && (strcmp(s, "EM") == 0 || strcmp(s, "EU") == 0);
}

const char *sw_country_check(const char *s, unsigned allow, char *msg, size_t msglen)
{
    if (sw_country_valid(s) || (strcmp(s, "EM") == 0 && (allow & SW_CC_EM)) ||
        (strcmp(s, "EU") == 0 && (allow & SW_CC_EU)))
        return NULL;
    /* Worded for whoever the thread answers (sw_t): these reach people beside their field. */
    if (strcmp(s, "EU") == 0 && (allow & SW_CC_EM))
        snprintf(msg, msglen, "%s",
                 sw_t("\"EU\" is the EU as a market; an EU trade mark is written EM"));
    else if (strcmp(s, "EM") == 0 && (allow & SW_CC_EU))
        snprintf(msg, msglen, "%s",
                 sw_t("\"EM\" is the EU trade mark; the EU as a market is written EU"));
    else if (sw_country_eu_wide(s))
        snprintf(msg, msglen, sw_t("\"%s\" is not a country here: name a member state (ISO "
                                   "3166-1 alpha-2, e.g. DE)"), s);
    else if (allow == (SW_CC_EM | SW_CC_EU))
        snprintf(msg, msglen, sw_t("\"%.8s\" is not an ISO 3166-1 alpha-2 country code, EM or EU"),
                 s);
    else if (allow & SW_CC_EM)
        snprintf(msg, msglen, sw_t("\"%.8s\" is not an ISO 3166-1 alpha-2 country code or EM"), s);
    else if (allow & SW_CC_EU)
        snprintf(msg, msglen, sw_t("\"%.8s\" is not an ISO 3166-1 alpha-2 country code or EU"), s);
    else
        snprintf(msg, msglen, sw_t("\"%.8s\" is not an ISO 3166-1 alpha-2 country code"), s);
    return msg;
}
