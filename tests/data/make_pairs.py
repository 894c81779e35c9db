#!/usr/bin/env python3
"""Writes tests/data/similarity-pairs.tsv: labelled mark and name pairs for the matching
quality test. Each pair is made by one named transformation whose answer is known (a spacing
variant of a mark is the same mark; two unrelated marks that share letters are not), from fixed
lists, with a fixed seed, so the file is reproducible. Columns: kind, label (1 similar / 0 not),
category, a, b."""
import random

MARKS = """SUVENEER BRIGHTSOUND HARBOURLUX PYTHON ANKERA VOLTIQ LUMENTA ZENTRIX ORBIQUA NOVALUX
KARIBOO SOLARIX TRAVELIO PIXELON MAGNETA FLORENTA QUASAR VERDANT GLACIO CORVETTA MERIDIA
TITANEX AURORA FALCONE ECLIPSA HORIZONT NEPTUNA STELLARO VANTAGE BLUEWAVE REDSTONE GOLDLEAF
SILVERLINE IRONCLAD COPPERFIELD EMBERLY FROSTLINE THUNDERA LIGHTHAUS SHADOWEX MAPLETON
OAKRIDGE PINECREST WILLOWAY CEDARIX BIRCHWOOD ASPENIA ROSALIND LILYPAD DAISYCHAIN TULIPANO
ORCHIDEA JASMINA VIOLETTA SAFFRONA CINNAMO NUTMEGGA GINGERLY PEPPERIX BASILICO OREGANO
THYMELINE SAGEWELL MINTORA CLOVERLY HAZELNUT CASHEWY ALMONDO PECANA WALNUTTA KETTLEX
TEAPOTTA MUGWORTH SPOONIX FORKLIFTA LADLEON WHISKERA SKILLETO GRIDDLA ROASTERA TOASTIX
BLENDORA JUICERA MIXOLA GRINDEX STEAMIO FROTHY BREWSTER PERCOLA DRIPTON CAFETIX""".split()

NAMES = """Ningbo Harbour Lighting|Shenzhen Bright Audio Technology|Guangzhou Pearl River Textiles
Hangzhou West Lake Tea|Suzhou Silk Garden|Xiamen Ocean Foods|Qingdao Sea Breeze Electric
Dongguan Precision Moulds|Foshan Ceramic Works|Yiwu Small Commodities|Wenzhou Shoe Makers
Tianjin Port Machinery|Dalian Harbour Logistics|Chengdu Panda Toys|Wuhan Optical Valley
Hamburg Trading|Berliner Maschinenbau|Lyon Soieries|Milano Moda|Rotterdam Shipping
Porto Vinhos|Madrid Ceramicas|Osaka Seimitsu|Seoul Semicon|Busan Marine""".replace("\n", "|")
NAMES = [n.strip() for n in NAMES.split("|") if n.strip()]

FORMS = [("Co., Ltd.", "Limited"), ("Co., Ltd.", "Company Limited"), ("Ltd", "Limited"),
         ("GmbH", "GmbH & Co. KG"), ("AG", ""), ("S.A.", "SA"), ("S.r.l.", "SRL"),
         ("B.V.", "BV"), ("Ltda.", "Ltda"), ("Inc.", "Incorporated"), ("LLC", "L.L.C."),
         ("Corp.", "Corporation"), ("S.p.A.", "SpA"), ("SARL", "S.A.R.L."), ("Pty Ltd", "")]

CJK = [("华为", "HUAWEI"), ("小米", "XIAOMI"), ("格力", "GELI"), ("海尔", "HAIER"),
       ("美的", "MEIDI"), ("联想", "LIANXIANG"), ("比亚迪", "BIYADI"), ("大疆", "DAJIANG"),
       ("安踏", "ANTA"), ("李宁", "LINING"), ("茅台", "MAOTAI"), ("青岛", "QINGDAO"),
       ("百度", "BAIDU"), ("阿里巴巴", "ALIBABA"), ("腾讯", "TENGXUN"), ("京东", "JINGDONG"),
       ("美团", "MEITUAN"), ("海信", "HAIXIN"), ("创维", "CHUANGWEI"), ("九阳", "JIUYANG"),
       ("苏泊尔", "SUBOER"), ("老干妈", "LAOGANMA")]

SOUNDS = [("PHOTONIX", "FOTONIX"), ("QUICKLY", "KWIKLY"), ("XTREMA", "EXTREMA"),
          ("KLEENEX", "CLEANEX"), ("LIGHTEX", "LITEX"), ("NITELINE", "NIGHTLINE"),
          ("FONEPRO", "PHONEPRO"), ("KANDOR", "CANDOR"), ("ZIPPA", "SIPPA"), ("KRISPA", "CRISPA"),
          ("KOOLMAX", "COOLMAX"), ("SKYNET", "SKINET"), ("PHASERA", "FASERA"),
          ("KWANTUM", "QUANTUM"), ("KARBON", "CARBON"), ("SITRUS", "CITRUS"),
          ("FLEXSY", "FLEKSI"), ("LUXXOR", "LUKSOR"), ("ROKKET", "ROCKET"), ("FIZZIX", "PHYSIX"),
          ("KOMPASS", "COMPASS"), ("EZYLINE", "EASYLINE"), ("DYNAMIKS", "DYNAMICS"),
          ("TEKNIKA", "TECHNICA"), ("KRYSTAL", "CRYSTAL"), ("FANTASEA", "PHANTASEA"),
          ("SOFTEK", "SOFTECH"), ("KLIKK", "CLICK"), ("STARBRITE", "STARBRIGHT"),
          ("HIGHLITE", "HIGHLIGHT")]

GENERIC = ["PRO", "MAX", "TECH", "PLUS", "MINI", "ULTRA", "SMART", "GLOBAL", "ONLINE", "HOME"]

CONFUSE = [("O", "0"), ("I", "1"), ("L", "1"), ("I", "l"), ("M", "RN"), ("W", "VV"),
           ("A", "\u0410"), ("E", "\u0415"), ("O", "\u041e"), ("P", "\u0420"), ("C", "\u0421"),
           ("H", "\u0397"), ("T", "\u0422"), ("K", "\u039a"), ("X", "\u03a7")]


def edit(word, n, rng):
    w = list(word)
    alphabet = "ABCDEFGHIJKLMNOPRSTUVWYZ"
    for _ in range(n):
        op = rng.choice("sdi")
        i = rng.randrange(1, len(w) - 1)
        if op == "s":
            w[i] = rng.choice([c for c in alphabet if c != w[i]])
        elif op == "d":
            del w[i]
        else:
            w.insert(i, rng.choice(alphabet))
    return "".join(w)


def main():
    rng = random.Random(20261122)
    rows = []
    for m in MARKS[:45]:                                   # case, spacing, punctuation
        v = rng.choice([m.lower(), m.capitalize(), m[:3] + " " + m[3:], m[:4] + "-" + m[4:],
                        m + "®", m + "™", f"{m[:2]}.{m[2:]}", " ".join(m)])
        rows.append(("mark", 1, "case-spacing-punctuation", m, v))
    for m in MARKS:                                        # confusable characters
        cands = [(a, b) for a, b in CONFUSE if a in m]
        if cands and len(rows) < 45 + 35:
            a, b = rng.choice(cands)
            rows.append(("mark", 1, "confusable", m, m.replace(a, b, 1)))
    for m in MARKS[10:55]:                                 # one-letter edits
        rows.append(("mark", 1, "one-edit", m, edit(m, 1, rng)))
    for m in [m for m in MARKS if len(m) >= 8][:25]:       # two-letter edits, longer marks
        rows.append(("mark", 1, "two-edits", m, edit(m, 2, rng)))
    for a, b in SOUNDS:
        rows.append(("mark", 1, "sound-alike", a, b))
    for a, b in CJK:
        rows.append(("mark", 1, "cjk-pinyin", a, b))
    for m in MARKS[30:55]:
        rows.append(("mark", 1, "generic-word", m, f"{m} {rng.choice(GENERIC)}"))
    for n in NAMES:                                        # legal forms
        f1, f2 = rng.choice(FORMS)
        rows.append(("name", 1, "legal-form", f"{n} {f1}", f"{n.upper()} {f2}".strip()))
    # Clear negatives: different marks that share letters (three or more in common).
    pool = MARKS[:]
    negs = 0
    while negs < 90:
        a, b = rng.sample(pool, 2)
        if len(set(a) & set(b)) >= 3:
            rows.append(("mark", 0, "negative-shared-letters", a, b))
            negs += 1
    for i, n in enumerate(NAMES):                          # different companies, shared words
        other = NAMES[(i + 7) % len(NAMES)]
        city = n.split()[0]
        rows.append(("name", 0, "negative-company", f"{n} Co., Ltd.",
                     f"{city} {' '.join(other.split()[1:])} Co., Ltd."))
    with open("tests/data/similarity-pairs.tsv", "w", encoding="utf-8") as f:
        f.write("# kind\tlabel\tcategory\ta\tb — made by tests/data/make_pairs.py\n")
        for r in rows:
            f.write("\t".join(str(x) for x in r) + "\n")
    print(len(rows), "pairs")


if __name__ == "__main__":
    main()
