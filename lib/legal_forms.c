/* legal_forms.c — the table of company legal forms dropped from names before matching.
 * Latin forms are written as the words normalisation leaves of them (lower case, punctuation
 * gone: "S.A." is "s a"); CJK forms as written, matched at either end of the name. */
#include <stddef.h>

#include "legal_forms.h"

const struct sw_legal_form sw_legal_forms[] = {
    /* English */
    { "en", "co ltd" }, { "en", "company limited" }, { "en", "co limited" }, { "en", "ltd" },
    { "en", "limited" }, { "en", "inc" }, { "en", "incorporated" }, { "en", "corp" },
    { "en", "corporation" }, { "en", "llc" }, { "en", "l l c" }, { "en", "llp" },
    { "en", "lp" }, { "en", "plc" }, { "en", "pty ltd" }, { "en", "pty" }, { "en", "co" },
    { "en", "company" }, { "en", "pte ltd" }, { "en", "pte" }, { "en", "sdn bhd" },
    { "en", "bhd" }, { "en", "pvt ltd" }, { "en", "private limited" },
    /* German */
    { "de", "gmbh" }, { "de", "gmbh co kg" }, { "de", "ag" }, { "de", "kg" }, { "de", "ohg" },
    { "de", "ug" }, { "de", "ug haftungsbeschrankt" }, { "de", "e v" }, { "de", "kgaa" },
    { "de", "mbh" }, { "de", "se" }, { "de", "aktiengesellschaft" },
    { "de", "gesellschaft mit beschrankter haftung" }, { "de", "kommanditgesellschaft" },
    /* French */
    { "fr", "sa" }, { "fr", "s a" }, { "fr", "sarl" }, { "fr", "s a r l" }, { "fr", "sas" },
    { "fr", "s a s" }, { "fr", "sasu" }, { "fr", "eurl" }, { "fr", "snc" }, { "fr", "sca" },
    /* Spanish */
    { "es", "sl" }, { "es", "s l" }, { "es", "slu" }, { "es", "sa de cv" },
    { "es", "s a de c v" }, { "es", "s de rl" }, { "es", "sociedad anonima" },
    { "es", "sociedad limitada" },
    /* Italian */
    { "it", "spa" }, { "it", "s p a" }, { "it", "srl" }, { "it", "s r l" }, { "it", "snc" },
    { "it", "sas" }, { "it", "srls" },
    /* Dutch */
    { "nl", "bv" }, { "nl", "b v" }, { "nl", "nv" }, { "nl", "n v" }, { "nl", "vof" },
    /* Portuguese */
    { "pt", "ltda" }, { "pt", "lda" }, { "pt", "s a" }, { "pt", "eireli" }, { "pt", "me" },
    /* Nordic and others met in trade */
    { "sv", "ab" }, { "no", "as" }, { "da", "aps" }, { "fi", "oy" }, { "fi", "oyj" },
    { "pl", "sp z o o" }, { "cs", "s r o" }, { "ru", "ooo" }, { "tr", "a s" },
    /* Chinese */
    { "zh", "股份有限公司" }, { "zh", "有限责任公司" }, { "zh", "有限公司" }, { "zh", "集团公司" },
    { "zh", "公司" }, { "zh", "有限會社" }, { "zh", "股份有限公司" }, { "zh", "有限公司" },
    /* Japanese */
    { "ja", "株式会社" }, { "ja", "有限会社" }, { "ja", "合同会社" }, { "ja", "合資会社" },
    { "ja", "kabushiki kaisha" }, { "ja", "kk" }, { "ja", "godo kaisha" },
    /* Korean */
    { "ko", "주식회사" }, { "ko", "(주)" }, { "ko", "㈜" }, { "ko", "유한회사" },
    { "ko", "chusik hoesa" },
    { NULL, NULL },
};
