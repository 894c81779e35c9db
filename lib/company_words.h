/* company_words.h — the tables company names are parsed with (lib/company_words.c), private
 * to lib/: places of China in Chinese and in Latin letters, industry words in both scripts
 * with the industry each names, and the readings of characters that names pronounce otherwise
 * than ICU's default pinyin. */
#ifndef SEAWALL_COMPANY_WORDS_H
#define SEAWALL_COMPANY_WORDS_H

#include <stdint.h>

/* Industry families: what an industry word's code covers. Two names' industries contradict
 * when no code of one shares a family with a code of the other. */
enum {
    SW_CO_ELEC = 1u << 0,     /* electrical, electronics, appliances, lighting */
    SW_CO_IT = 1u << 1,       /* software, networks, information, communications */
    SW_CO_MACH = 1u << 2,     /* machinery, equipment, tools, instruments */
    SW_CO_AUTO = 1u << 3,     /* vehicles and their parts */
    SW_CO_CHEM = 1u << 4,     /* chemicals, petrochemicals, plastics, materials */
    SW_CO_BUILD = 1u << 5,    /* cement, building materials, glass, construction */
    SW_CO_METAL = 1u << 6,    /* steel, metals, mining */
    SW_CO_ENERGY = 1u << 7,   /* energy, power, coal, oil and gas, solar */
    SW_CO_PHARMA = 1u << 8,   /* medicine, biotechnology, medical care */
    SW_CO_FOOD = 1u << 9,     /* food, drink, agriculture */
    SW_CO_TEXTILE = 1u << 10, /* textiles, garments, shoes */
    SW_CO_TRADE = 1u << 11,   /* trading, import and export, retail */
    SW_CO_FIN = 1u << 12,     /* trusts, futures, leasing */
    SW_CO_REAL = 1u << 13,    /* real estate */
    SW_CO_TRANS = 1u << 14,   /* transport, logistics, ports, airlines */
    SW_CO_MEDIA = 1u << 15,   /* media, culture, tourism, hotels */
    SW_CO_HOME = 1u << 16,    /* furniture, household goods */
    SW_CO_BANK = 1u << 17,    /* banks: licensed apart from insurers and brokers, so a */
    SW_CO_INSURE = 1u << 18,  /* bank, an insurer and a securities house of one trade name */
    SW_CO_BROKER = 1u << 19,  /* are three companies */
};

/* One industry code: its name (what `seawall match pair` shows), the families it covers and
 * whether it is a modifier (technology, industrial, smart) that qualifies another industry
 * rather than naming one. */
struct sw_co_code {
    const char *name;
    uint32_t cover;
    int modifier;
};

/* An industry word as a name writes it — Chinese characters, or lower-case Latin words one
 * space apart as normalisation leaves them ("import export" for "Import & Export") — and the
 * codes it names (one or two; code 0: a word that names no industry, such as 集团 / group,
 * 控股 / holdings, dropped all the same). */
struct sw_co_word {
    const char *text;
    uint8_t code, code2;
};

/* A place: its Chinese name without its suffix (省, 市, 自治区 …), its Latin spellings
 * separated by '|' (the first is the one keys use, its words run together:
 * "innermongolia"; a spelling of several words is matched only as those words: "inner
 * mongolia", "xi an", never "tong ren" for Tongren), and
 * its level: 0 the country, 1 a province-level division (municipalities among them), 2 a
 * prefecture-level city, 3 a county-level city or district known in company names. The
 * table lists each province before its cities. */
struct sw_co_place {
    const char *han, *latin;
    uint8_t level;
};

/* A character (or word) and the reading names give it where ICU's default differs:
 * 长 is "chang" in 长虹, 长安, 长城, not "zhang". */
struct sw_co_reading {
    const char *han, *latin;
};

extern const struct sw_co_code sw_co_codes[];
extern const unsigned sw_co_ncodes;
extern const struct sw_co_word sw_co_words_zh[], sw_co_words_en[];
extern const struct sw_co_place sw_co_places[];
extern const struct sw_co_reading sw_co_readings[];
/* A suffix a Chinese place name takes (省, 市, 自治区 …) and the levels of place that take
 * it (bit n: level n). */
struct sw_co_suffix {
    const char *text;
    uint8_t levels;
};

extern const struct sw_co_suffix sw_co_place_suffixes[];

#endif
