"""make screenshots for risk screening, its report, a party and the followed records: an
exporter per language with the register's planted filing and lawsuits (registerdata.py), a
finished screening, the filing followed; the form with the earlier screenings, the report (and
the report as printed at a desktop's width, the print style sheet applied), the party's page and the followed
records."""
from exporter import enter
from registerdata import plant, planted_conflict, screened

PAGES = [
    ("screening", "/app/screening", None),
    ("screening-report", "/app/screenings/{sid}", None),
    ("screening-print", "/app/screenings/{sid}", "print"),
    ("party", "/app/parties/{pid}", None),
    ("follows", "/app/follows", None),
]


def prepare(stack):
    """{lang: {planted, job, party}} (once per run)."""
    out = {}
    for lang in ("zh-CN", "en"):
        p = plant(stack, lang=lang, company="宁波港湾照明有限公司" if lang == "zh-CN"
                  else "Ningbo Harbour Lighting Co., Ltd.")
        job = screened(stack, p, names=[p["company"]], classes=[9, 11])
        r = stack.post("/api/v1/follows", {"kind": "mark", "office": "US", "number": p["number"]},
                       token=p["who"]["token"])
        assert r.status == 201, r
        r = stack.post("/api/v1/follows", {"kind": "docket", "court": p["court"],
                                           "docket": p["docket"]}, token=p["who"]["token"])
        assert r.status == 201, r
        out[lang] = {"p": p, "job": job, "party": planted_conflict(job, p)["owner"]["id"]}
    return out


def save(b, d, shoot):
    """Each page for d in browser b; shoot(name) saves the picture."""
    for name, path, how in PAGES:
        if how == "print" and b.size[0] < 500:
            continue            # paper is as wide as a desktop's page, not a phone's
        enter(b, d["p"]["who"], path.format(sid=d["job"]["id"], pid=d["party"]))
        if how == "print":
            b.cdp("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            yield shoot(name)
        finally:
            if how == "print":
                b.cdp("Emulation.setEmulatedMedia", {"media": ""})
