"""What the risk screening, party and followed-record pages are tested and shot with, made
through the stack as it would happen: a trademark filing by a party that keeps suing goes into
the events stream with four lawsuits it brought (the last against the exporter), so the
register worker records the mark and the party (a frequent plaintiff) and the matcher makes
the exporter's early warnings; then a screening through the API, waited for until done.
Every name carries a tag of letters unique to the call, so runs on one stack never meet."""
import itertools
import os
import string

from exporter import exporter
from harness import wait_until

_n = itertools.count(1)


def _letters(n):
    """n as capital letters (1 → "B", 26 → "BA"): a mark's distinctive tail, no digits."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = string.ascii_uppercase[r] + out
        if not n:
            return out


def route_here(s, method, path):
    """Whether the stack routes path for method: an unknown route is a plain 404 to anyone,
    a known one asks for a token (401) or answers."""
    r = s.request(method, path, body={} if method == "POST" else None)
    return r.status != 404 and r.status != 405


def plant(s, lang="en", company=None):
    """An exporter whose watch list has a mark and its company name, and the register events
    that meet them. Returns {who, tag, mark (the exporter's), filed (the register's mark),
    office, number, plaintiff, docket, court, alerts: {"tm": id, "suit": id}}."""
    tag = _letters(os.getpid() % 9000 + 26 * 26) + _letters(next(_n))
    company = company or f"Ningbo {tag.title()} Lighting Co., Ltd."
    who = exporter(s, company, lang=lang, markets=("US", "EU"))
    mine = f"SUVENER{tag}"
    filed = f"SUVENEER{tag}"
    number = str(97000000 + (os.getpid() * 131 + next(_n) * 7) % 999999)
    plaintiff = f"Brightstar {tag.title()} Lighting LLC"
    court, docket = "N.D. Ill.", f"1:26-cv-{number[-5:]}"
    base = f"/api/v1/subscribers/{who['sub']['id']}/portfolio"
    for item in ({"kind": "mark", "text": mine, "classes": [9, 11], "countries": ["US"]},
                 {"kind": "name", "text": company}):
        r = s.post(base, item, token=who["token"])
        assert r.status == 201, r
    ev_tm = {"id": f"ev_reg_tm_{tag}", "source": "uspto-tm", "type": "trademark_filing",
             "jurisdiction": "US", "date": "2026-11-18",
             "title": f"Trademark application {number}: {filed}",
             "text": f"{filed} — LED lamps, lighting fixtures (classes 9, 11).",
             "marks": [filed], "classes": {"nice": [9, 11]},
             "goods": "LED lamps; lighting fixtures; light bulbs",
             "numbers": {"serial": number},
             "parties": [{"name": plaintiff, "role": "applicant", "country": "US"}],
             "url": f"https://tsdr.uspto.gov/#caseNumber={number}&caseType=SERIAL_NO"}
    # Three lawsuits it brought against others, then its filing: once the register holds the
    # filing it has counted the three (one stream, read in order), so the fourth lawsuit, the
    # one against the exporter, is flagged as a frequent plaintiff's when it is matched.
    suits = []
    for i, (day, against) in enumerate((("2024-04-02", "Shenzhen Glow Co."),
                                         ("2025-02-11", "Yiwu Lamps Ltd."),
                                         ("2025-09-30", "Dongguan Bright Ltd."),
                                         ("2026-11-20", company))):
        d = docket if i == 3 else f"1:2{4 + i}-cv-{(int(number[-4:]) + i * 17) % 99999:05d}"
        suits.append({
            "id": f"ev_reg_suit{i}_{tag}", "source": "courtlistener", "type": "litigation",
            "jurisdiction": "US", "date": day,
            "title": f"{plaintiff} v. {against}",
            "text": f"Complaint for trademark infringement ({filed}).",
            "marks": [filed], "numbers": {"docket": d, "court": court},
            "parties": [{"name": plaintiff, "role": "plaintiff", "country": "US"},
                        {"name": against, "role": "defendant"}],
            "url": "https://www.ilnd.uscourts.gov/"})
    for ev in suits[:3] + [ev_tm]:
        s.add_event(ev)
    wait_until("the register's record", lambda: s.get(
        f"/api/v1/register/marks/US/{number}", token=who["token"]).status == 200, timeout=30)
    s.add_event(suits[3])
    events = [ev_tm] + suits

    def alerts():
        items = s.get("/api/v1/alerts?limit=50", token=who["token"]).json()["items"]
        by = {a["event_id"]: a["id"] for a in items}
        return ev_tm["id"] in by and events[-1]["id"] in by and by
    by = wait_until("the exporter's early warnings", alerts, timeout=30)
    return {"who": who, "tag": tag, "mark": mine, "filed": filed, "office": "US",
            "number": number, "plaintiff": plaintiff, "docket": docket, "court": court,
            "company": company,
            "alerts": {"tm": by[ev_tm["id"]], "suit": by[events[-1]["id"]]}}


def screened(s, p, **body):
    """A screening of the planted exporter's mark in the US, through the API, waited for
    until done: its final answer."""
    req = {"marks": [{"text": p["mark"]}], "markets": ["US"], **body}
    r = s.post("/api/v1/screenings", req, token=p["who"]["token"])
    assert r.status == 202, r
    sid = r.json()["id"]

    def done():
        j = s.get(f"/api/v1/screenings/{sid}", token=p["who"]["token"]).json()
        return j["status"] in ("done", "failed") and j
    job = wait_until("the screening", done, timeout=60)
    assert job["status"] == "done", job
    return job


def planted_conflict(job, p):
    """The conflict of the planted record in a screening's answer, or None."""
    for c in job.get("conflicts") or []:
        rec = c.get("record") or {}
        if rec.get("office") == p["office"] and rec.get("number") == p["number"]:
            return c
    return None
