"""What the browser tests share besides the browser: the data the public pages show (seeded
once per stack through the API, as staff and admins would make it), the catalogue, and the
check that every visible string comes from it."""
import datetime
import glob
import json
import os
import re
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from harness import wait_until  # noqa: E402

TAG = "zqportal"
# What the seeded bulletins are about: subject, country, severity, text.
TOPICS = [
    ("Schedule A lawsuits against online sellers of LED lamps", "US", "high",
     "Several complaints filed in the Northern District of Illinois name online stores selling "
     "LED lamps and ask for temporary restraining orders that freeze their accounts.\n\n"
     "Check your listings and note the answer deadline if you are served."),
    ("Customs detentions of power banks at the port of Hamburg", "DE", "medium",
     "Customs have detained several shipments of power banks on applications by a rights "
     "holder under Regulation (EU) No 608/2013.\n\nKeep your licences and invoices at hand."),
    ("Trade mark filings copying Chinese lighting brands", "FR", "low",
     "New French filings reproduce the names of several Chinese lighting brands in class 11. "
     "Opposition periods are running."),
    ("Design complaints expected at the spring consumer electronics fair", "GB", "critical",
     "Rights holders have announced design complaints against exhibitors of portable "
     "loudspeakers.\n\nBring proof of your own designs and contact the fair's IP service "
     "station on arrival."),
]


def seed(s):
    """Bulletins (more than a page, every severity, hostile and Chinese text), a fair with its
    station and one without, a source that works and one that fails. Once per stack."""
    if getattr(s, "portal", None):
        return s.portal
    centre = s.make("/api/v1/centres", {"name": "Portal Test Centre", "country": "CN"})
    tri = s.make(f"/api/v1/centres/{centre['id']}/staff",
                 {"name": "Portal Triager", "email": "tri@portal.example", "role": "triager"})
    tri_tok = s.token_for("triager", tri["id"])
    # The hostile one first, so that the newest page shows what exporters would read.
    hostile = s.post("/api/v1/bulletins", {
        "title": f"{TAG} <script>alert('x')</script> & <b>bold</b>", "country": "US",
        "severity": "critical", "keywords": ["<img src=x onerror=alert(1)>"],
        "url": "javascript:alert(1)",
        "text": "<iframe src=//evil.example></iframe> Ampersand & \"quotes\"."}, token=tri_tok)
    assert hostile.status == 201, hostile
    made = []
    for i in range(23):
        subject, country, severity, text = TOPICS[i % len(TOPICS)]
        r = s.post("/api/v1/bulletins", {
            "title": f"Bulletin {datetime.date.today().year}-{i + 1:03d}: {subject}",
            "country": country, "severity": severity, "text": text}, token=tri_tok)
        assert r.status == 201, r
        made.append(r.json())
    chinese = s.post("/api/v1/bulletins", {
        "title": "美国伊利诺伊州北区法院集中起诉LED灯具网店卖家", "country": "US",
        "severity": "high", "keywords": ["LED灯具", "Schedule A"],
        "url": "https://www.ilnd.uscourts.gov/",
        "text": "近期多起“Schedule A”案件以LED灯具网店卖家为被告，原告同时申请临时限制令冻结店铺资金。"
                "\n\n请核查相关商品链接，留意答辩期限，如需帮助请向纠纷应对指导中心提交求助。"},
        token=tri_tok)
    assert chinese.status == 201, chinese
    today = datetime.date.today()
    show_id = f"{TAG}-fair-{today.year}"
    show = s.post("/api/v1/shows", {
        "id": show_id, "name": "Berlin Consumer Electronics Fair", "city": "Berlin",
        "country": "DE", "venue": "Messe Berlin", "organiser": "Messe Berlin GmbH",
        "starts": str(today), "ends": str(today + datetime.timedelta(days=3)),
        "website": "https://www.messe-berlin.de/"},
        token=s.admin)
    assert show.status == 201, show
    # The station serves the fair, which exists by now; the fair then names its station.
    station = s.make("/api/v1/stations", {"name": "IP service station, Hall 5", "show": show_id,
                                          "country": "DE", "email": "desk@fair.example"})
    show = s.request("PATCH", f"/api/v1/shows/{show_id}", body={"station_id": station["id"]},
                     token=s.admin)
    assert show.status == 200, show
    bare = s.post("/api/v1/shows", {
        "id": f"{TAG}-expo-{today.year}", "name": "Milan Lighting Expo", "city": "Milan",
        "country": "IT", "starts": str(today + datetime.timedelta(days=20)),
        "ends": str(today + datetime.timedelta(days=23))}, token=s.admin)
    assert bare.status == 201, bare
    # Sources: the demo feed, served by the stack's nginx, and one that is not there.
    shutil.copy(os.path.join(ROOT, "demo", "feeds", "customs-notices.json"),
                os.path.join(s.dir, "feeds", f"{TAG}-customs.json"))
    base = f"http://127.0.0.1:{s.port}/feeds"
    good = s.make("/api/v1/feeds", {"url": f"{base}/{TAG}-customs.json", "format": "json",
                                    "name": "Customs notices (Seawall demo feed)",
                                    "interval_s": 3600})
    bad = s.make("/api/v1/feeds", {"url": f"{base}/{TAG}-missing.xml", "format": "rss",
                                   "name": "Court filings, N.D. Illinois (RSS)",
                                   "interval_s": 3600})

    def polled():
        st = {f["name"]: f for f in s.get("/api/v1/coverage?limit=200").json()["items"]}
        g, b = st.get(good["name"]), st.get(bad["name"])
        return g and b and g["last_success_at"] and b["last_error_at"] and (g, b)
    wait_until("both test sources polled", polled, timeout=30)
    s.portal = {"bulletins": made, "hostile": hostile.json(), "chinese": chinese.json(),
                "show": show.json(), "bare_show": bare.json(), "good_feed": good,
                "bad_feed": bad, "triager": tri_tok}
    return s.portal


def catalogue(s):
    """The Chinese catalogue as the browser reads it: the stack's /i18n/zh-CN.json, which
    `seawall i18n json zh-CN` made from po/zh-CN.po (plural messages hold a list of forms)."""
    r = s.get("/i18n/zh-CN.json")
    assert r.status == 200, r
    return json.loads(r.body)


MSGID = re.compile(r'\bt(?:nodes|n)?\(\s*"((?:[^"\\]|\\.)*)"')
# tn("one {n} file", "{n} files", n): the English plural, which is no key of the catalogue.
PLURAL = re.compile(r'\btn\(\s*"(?:[^"\\]|\\.)*"\s*,\s*"((?:[^"\\]|\\.)*)"')


def _sources():
    for path in sorted(glob.glob(os.path.join(ROOT, "www", "**", "*.js"), recursive=True)):
        with open(path, encoding="utf-8") as f:
            yield path, f.read()


def portal_msgids():
    """{msgid: [file:line]} of every t("…"), tn("…", …) and tnodes("…") in www/."""
    out = {}
    for path, src in _sources():
        for m in MSGID.finditer(src):
            msgid = json.loads(f'"{m.group(1)}"')
            line = src.count("\n", 0, m.start()) + 1
            out.setdefault(msgid, []).append(f"{os.path.relpath(path, ROOT)}:{line}")
    return out


def english_plurals():
    """The English plural of every tn() in www/."""
    return {json.loads(f'"{m.group(1)}"') for _, src in _sources() for m in PLURAL.finditer(src)}


def patterns(strings):
    """Each catalogue string as a regular expression: its {placeholders} match any text."""
    out = []
    for s in strings:
        parts = re.split(r"\{[a-z_][a-z0-9_]*\}", s, flags=re.I)
        out.append(re.compile("^" + ".+?".join(re.escape(p.strip()) if i in (0, len(parts) - 1)
                                                  else re.escape(p)
                                                  for i, p in enumerate(parts)) + "$", re.S))
    return out


def pieces(strings):
    """The literal pieces between placeholders (a t() string rendered around nodes is split
    into text nodes at its placeholders)."""
    out = set()
    for s in strings:
        for p in re.split(r"\{[a-z_][a-z0-9_]*\}", s, flags=re.I):
            p = p.strip()
            if p:
                out.add(p)
    return out


NOT_WORDS = re.compile(r"^[\s\d.,:;!?()\[\]{}/\\·•…—–\-+*#%&'\"“”‘’。，：；！？（）、]*$")


def foreign(texts, lang, cat):
    """The visible texts that are neither data nor from the catalogue for lang."""
    strings = [] if lang == "zh-CN" else sorted(english_plurals())
    for v in (cat.values() if lang == "zh-CN" else cat.keys()):
        strings.extend(v if isinstance(v, list) else [v])   # a plural message: its forms
    strings.append("Seawall")
    pats = patterns(strings)
    lit = pieces(strings)
    bad = []
    for t in texts:
        text = " ".join(t["text"].split())
        if NOT_WORDS.match(text) or text in lit:
            continue
        if any(p.match(text) for p in pats):
            continue
        bad.append(t)
    return bad
