/* test_names.c — company names parsed into place, trade name, industry and listing marker in
 * either script (lib/company.c), compared by their trade names, and the one-string name key
 * the fairs file parties under; and the sound-alike rule for short marks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "seawall/common.h"
#include "seawall/normalise.h"

static void parts(const char *name, struct sw_name_parts *np)
{
    struct sw_keys k;

    assert_int_equal(sw_normalise(name, SW_NORM_NAME, &k), SW_OK);
    assert_int_equal(sw_name_parts(k.name, np), SW_OK);
}

static int has_industry(const struct sw_name_parts *np, const char *ind)
{
    size_t i;

    for (i = 0; i < np->nindustries; i++)
        if (strcmp(np->industries[i], ind) == 0)
            return 1;
    return 0;
}

static double score(const char *a, const char *b, enum sw_norm_kind kind, char *why)
{
    struct sw_keys ka, kb;

    assert_int_equal(sw_normalise(a, kind, &ka), SW_OK);
    assert_int_equal(sw_normalise(b, kind, &kb), SW_OK);
    return sw_similarity(&ka, &kb, why, 64);
}

/* The parts of a name in Chinese and of its official English name. */
static void parsed_in_both_scripts(void **state)
{
    struct sw_name_parts np;

    parts("江西万年青水泥股份有限公司", &np);
    assert_string_equal(np.trade, "wannianqing");
    assert_string_equal(np.han, "万年青");
    assert_string_equal(np.provinces, "jiangxi");
    assert_true(has_industry(&np, "cement") && np.nindustries == 1);
    assert_false(np.trade_is_place || np.listing_marker);
    parts("JIANGXI WANNIANQING CEMENT CO.,LTD", &np);
    assert_string_equal(np.trade, "wannianqing");
    assert_string_equal(np.han, "");
    assert_true(has_industry(&np, "cement"));
    /* "Inc. of Zhuhai": the legal form before the place; the place implies its province */
    parts("Gree Electric Appliances, Inc. of Zhuhai", &np);
    assert_string_equal(np.trade, "gree");
    assert_string_equal(np.cities, "zhuhai");
    assert_string_equal(np.provinces, "guangdong");
    assert_true(has_industry(&np, "electric") && np.nindustries == 1);
    /* a place in brackets in the middle, in either script */
    parts("Baidu Online Network Technology (Beijing) Co., Ltd.", &np);
    assert_string_equal(np.trade, "baidu");
    assert_string_equal(np.provinces, "beijing");
    parts("百度在线网络技术（北京）有限公司", &np);
    assert_string_equal(np.trade, "baidu");
    assert_true(has_industry(&np, "network") && has_industry(&np, "technology"));
    /* province, city with its suffix, and a district after it */
    parts("广东省深圳市宝安区明亮电子有限公司", &np);
    assert_string_equal(np.trade, "mingliang");
    assert_string_equal(np.cities, "shenzhen baoan");
    parts("深圳市坪山区明亮电子有限公司", &np);   /* a district the table does not name */
    assert_string_equal(np.trade, "mingliang");
    assert_string_equal(np.cities, "shenzhen");
    /* 镇江 after 江苏 is a city, not 江苏 with the suffix 镇 */
    parts("江苏镇江明亮电子有限公司", &np);
    assert_string_equal(np.trade, "mingliang");
    assert_string_equal(np.cities, "zhenjiang");
    /* readings names give: 长 is chang in 长虹 */
    parts("四川长虹电器股份有限公司", &np);
    assert_string_equal(np.trade, "changhong");
    assert_string_equal(np.han, "长虹");
    /* old postal spellings official names keep */
    parts("Kweichow Moutai Co., Ltd.", &np);
    assert_string_equal(np.provinces, "guizhou");
    assert_string_equal(np.trade, "moutai");
}

/* A place counts as a prefix only within the province of the one before it, and a Latin
 * place of two words only as written: "Yili" in Inner Mongolia and "Tong Ren" stay trade
 * names. */
static void places_that_are_trade_names(void **state)
{
    struct sw_name_parts np;

    parts("Inner Mongolia Yili Industrial Group Co., Ltd.", &np);
    assert_string_equal(np.trade, "yili");
    assert_string_equal(np.provinces, "innermongolia");
    parts("Tong Ren Tang Co., Ltd.", &np);
    assert_string_equal(np.trade, "tongrentang");
    parts("山东南山铝业股份有限公司", &np);   /* 南山 is also a district of Shenzhen */
    assert_string_equal(np.trade, "nanshan");
    /* All place and industry: the place stands for the trade name. */
    parts("上海电气集团股份有限公司", &np);
    assert_string_equal(np.trade, "shanghai");
    assert_true(np.trade_is_place);
    parts("Bank of China Limited", &np);
    assert_string_equal(np.trade, "china");
    assert_true(np.trade_is_place && has_industry(&np, "bank"));
}

/* ST, *ST, S*ST before a name are the exchange's warnings; a word that begins with "st" or a
 * bare ST before a Latin name is not one. */
static void listing_markers(void **state)
{
    struct sw_name_parts np;
    char why[64];

    parts("*ST康美", &np);
    assert_true(np.listing_marker);
    assert_string_equal(np.trade, "kangmei");
    parts("ST华仪", &np);
    assert_true(np.listing_marker);
    assert_string_equal(np.han, "华仪");
    parts("S*ST华仪电气", &np);
    assert_true(np.listing_marker);
    assert_string_equal(np.trade, "huayi");
    parts("＊ＳＴ华仪", &np);   /* full-width */
    assert_true(np.listing_marker);
    parts("*ST Huayi Electric Co., Ltd.", &np);
    assert_true(np.listing_marker);
    assert_string_equal(np.trade, "huayi");
    parts("Stanley Electric Co., Ltd.", &np);
    assert_false(np.listing_marker);
    assert_string_equal(np.trade, "stanley");
    parts("ST Engineering Ltd", &np);
    assert_false(np.listing_marker);
    assert_true(score("ST康美", "Kangmei Pharmaceutical Co., Ltd.", SW_NORM_NAME, why) >= 0.95);
}

/* The trade name decides: same trade name and nothing contradicting it is one company;
 * another trade name of the same place and industry is another company; the same trade name
 * in another business, another place, or other characters that sound alike is not
 * enough. */
static void trade_name_decides(void **state)
{
    char why[64];

    assert_true(score("JIANGXI WANNIANQING CEMENT CO.,LTD", "江西万年青水泥股份有限公司",
                      SW_NORM_NAME, why) >= 0.95);
    assert_string_equal(why, "same trade name in pinyin");
    assert_true(score("Wannianqing Cement Co., Ltd.", "江西万年青水泥股份有限公司", SW_NORM_NAME,
                      why) >= 0.95);
    assert_true(score("万年青", "Jiangxi Wannianqing Cement Co., Ltd.", SW_NORM_NAME, why) >= 0.95);
    assert_true(score("深圳市山寨电子有限公司", "Shenzhen Shanzhai Electronics Co., Ltd.",
                      SW_NORM_NAME, why) >= 0.95);
    /* the same city and industry words, another trade name: however alike the letters */
    assert_true(score("Shenzhen Bright Audio Technology Co., Ltd.",
                      "Shenzhen Light Audio Technology Co., Ltd.", SW_NORM_NAME, why) < 0.85);
    assert_string_equal(why, "other trade name");
    assert_true(score("甘肃上峰水泥股份有限公司", "Gansu Qilianshan Cement Group Co., Ltd.",
                      SW_NORM_NAME, why) < 0.85);
    /* same trade name, other business: a bank and an insurer, a bank and a broker */
    assert_true(score("Ping An Bank Co., Ltd.", "中国平安保险（集团）股份有限公司", SW_NORM_NAME,
                      why) < 0.85);
    assert_string_equal(why, "same trade name, other industry");
    assert_true(score("招商银行股份有限公司", "招商证券股份有限公司", SW_NORM_NAME, why) < 0.85);
    assert_true(score("Haier Smart Home Co., Ltd.", "青岛海尔生物医疗股份有限公司", SW_NORM_NAME,
                      why) < 0.85);
    /* only place and industry: the industry word after the place says which */
    assert_true(score("Shanghai Electric Group Company Limited", "上海电气集团股份有限公司",
                      SW_NORM_NAME, why) >= 0.95);
    assert_true(score("Shanghai Electric Power Co., Ltd.", "上海电气集团股份有限公司",
                      SW_NORM_NAME, why) < 0.85);
    assert_string_equal(why, "same place, other industry");
    assert_true(score("Agricultural Bank of China Limited", "中国银行股份有限公司", SW_NORM_NAME,
                      why) < 0.85);
    /* same trade name, other city */
    assert_true(score("Dongguan Shanzhai Electronics Co., Ltd.", "深圳市山寨电子有限公司",
                      SW_NORM_NAME, why) < 0.85);
    assert_string_equal(why, "same trade name, other place");
    /* other characters that sound alike: 恒力 and 恒立 are two companies */
    assert_true(score("恒力电子有限公司", "恒立电子有限公司", SW_NORM_NAME, why) < 0.85);
    assert_string_equal(why, "same sound, other characters");
    /* and the same characters, traditional or simplified, are one */
    assert_true(score("華為技術有限公司", "华为技术有限公司", SW_NORM_NAME, why) >= 0.95);
    /* a look-alike key still counts, names or not */
    assert_true(score("Shenzhen Brlght Audio Technology Co., Ltd.",
                      "Shenzhen Bright Audio Technology Co., Ltd.", SW_NORM_NAME, why) >= 0.95);
}

/* The one-string key: one company's names in both scripts share it. */
static void name_key(void **state)
{
    char a[SW_KEY_MAX], b[SW_KEY_MAX], small[4];

    assert_int_equal(sw_name_key("深圳市山寨电子有限公司", a, sizeof(a)), SW_OK);
    assert_int_equal(sw_name_key("SHENZHEN SHANZHAI ELECTRONICS CO LTD", b, sizeof(b)), SW_OK);
    assert_string_equal(a, "shanzhai");
    assert_string_equal(a, b);
    assert_int_equal(sw_name_key("!!!", a, sizeof(a)), SW_INVALID);
    assert_int_equal(sw_name_key("Shenzhen Shanzhai Electronics", small, sizeof(small)),
                     SW_TOOBIG);
    {
        struct sw_name_parts np;

        assert_int_equal(sw_name_parts("", &np), SW_INVALID);
        assert_int_equal(sw_name_parts("damaged\x1fkey", &np), SW_INVALID);
    }
}

/* A sound-alike key of two or three consonants decides only with the vowels: MIKE and MAKO
 * share "mk" and are different marks; KWIK and QUICK, HIGHLITE and HIGHLIGHT agree. */
static void short_sound_alikes(void **state)
{
    char why[64];

    assert_true(score("MIKE", "MAKO", SW_NORM_MARK, why) < 0.85);
    assert_true(score("KINDA", "CANDY", SW_NORM_MARK, why) < 0.85);
    assert_true(score("KWIK", "QUICK", SW_NORM_MARK, why) >= 0.85);
    assert_string_equal(why, "sound-alike");
    assert_true(score("HIGHLITE", "HIGHLIGHT", SW_NORM_MARK, why) >= 0.85);
    assert_true(score("KANDOR", "CANDOR", SW_NORM_MARK, why) >= 0.85);
}

/* The words exporters' English names give their lines of business (pumps, wheels, home
 * collections, robotics …) are industry words in both scripts, so the trade name is what is
 * left; 拓 is read "tuo" as names read it. Made-up names: the rules, not any company. */
static void exporters_industry_words(void **state)
{
    struct sw_name_parts np;
    char why[64];

    (void)state;
    parts("Ningbo Mingliang Pumps Industry Co., Ltd.", &np);
    assert_string_equal(np.trade, "mingliang");
    assert_true(has_industry(&np, "machinery"));
    parts("宁波明亮泵业股份有限公司", &np);
    assert_string_equal(np.trade, "mingliang");
    assert_true(has_industry(&np, "machinery"));
    parts("Mingliang Home Collection Co., Ltd.", &np);
    assert_string_equal(np.trade, "mingliang");
    assert_true(has_industry(&np, "furniture"));
    parts("深圳拓亮机器人有限公司", &np);
    assert_string_equal(np.trade, "tuoliang");
    assert_true(has_industry(&np, "automation"));
    assert_true(score("Shenzhen Tuoliang Robotics Co., Ltd.", "深圳拓亮机器人有限公司",
                      SW_NORM_NAME, why) >= 0.95);
    assert_true(score("Zhejiang Mingliang Auto Wheel Co., Ltd.", "浙江明亮轮毂股份有限公司",
                      SW_NORM_NAME, why) >= 0.95);
    assert_true(score("Mingliang Hi-Tech Co., Ltd.", "明亮高科", SW_NORM_NAME, why) >= 0.95);
    assert_true(score("Mingliang Agrochemicals Co., Ltd.", "明亮农化股份有限公司", SW_NORM_NAME,
                      why) >= 0.95);
    /* the same trade name in another line of business stays another company */
    assert_true(score("Mingliang Pumps Co., Ltd.", "明亮乳业股份有限公司", SW_NORM_NAME, why) <
                0.85);
    assert_string_equal(why, "same trade name, other industry");
    assert_true(score("Mingliang Kitchen and Bath Products Co., Ltd.",
                      "明亮冷却塔股份有限公司", SW_NORM_NAME, why) < 0.85);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parsed_in_both_scripts),
        cmocka_unit_test(places_that_are_trade_names),
        cmocka_unit_test(listing_markers),
        cmocka_unit_test(trade_name_decides),
        cmocka_unit_test(name_key),
        cmocka_unit_test(short_sound_alikes),
        cmocka_unit_test(exporters_industry_words),
    };

    return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
