"""A centre's statistics over cases the test makes and moves through their states on a clock
that stands still where the test puts it (sw:testclock:at_ms), so every number is exact: cases
by month × type and month × country, median and 90th-percentile times to first response and
to resolution with the time waiting on the exporter left out, SLA breaches by month (recorded
and still running), expert workload, outcomes recorded at resolution; each table as CSV that
Excel opens with Chinese intact (a BOM, CRLF, formula-guarded cells, Chinese headers for a
zh-CN reader); who may see which centre."""
import csv
import datetime
import io

from harness import pointers, problem

HOUR = 3600


def at(iso):
    return int(datetime.datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


class Centre:
    """A centre with targets of 4 h (first response) and 48 h (resolution), a triager, two
    experts and an exporter; the clock stands at the instant a step names."""

    def __init__(self, s, tag):
        self.s = s
        self.centre = s.make("/api/v1/centres", {"name": f"Stats {tag}", "country": "CN",
                                                 "sla_first_response_h": 4,
                                                 "sla_resolution_h": 48})
        cid = self.centre["id"]
        staff = lambda body: s.make(f"/api/v1/centres/{cid}/staff", body)
        self.triager = staff({"name": f"Tri {tag}", "email": "t@s.example", "role": "triager"})
        self.e1 = staff({"name": f"Alpha {tag}", "email": "a@s.example", "role": "expert"})
        self.e2 = staff({"name": f"Beta {tag}", "email": "b@s.example", "role": "expert"})
        self.tri = s.token_for("triager", self.triager["id"])
        self.xp1 = s.token_for("expert", self.e1["id"])
        self.sub, self.exp = s.tenant(f"Stats Exporter {tag}")

    def now(self, iso):
        self.s.redis("SET", "sw:testclock:at_ms", str(at(iso)))

    def file(self, when, **kw):
        self.now(when)
        body = {"type": "lawsuit", "country": "US", "opposing_party": "Brand Holdings LLC",
                "own_role": "defendant", "description": "A dispute.",
                "centre_id": self.centre["id"]}
        body.update(kw)
        r = self.s.post("/api/v1/cases", body, token=self.exp)
        assert r.status == 201, r
        assert r.json()["created_at"] == when
        return r.json()

    def move(self, case, when, to, tok=None, expert=None, **kw):
        self.now(when)
        body = {"to": to}
        if to in ("needs_info", "rejected", "waiting_on_exporter", "resolved"):
            body["reason"] = f"going to {to}"
        if to == "assigned":
            body["expert_id"] = (expert or self.e1)["id"]
        body.update(kw)
        r = self.s.post(f"/api/v1/cases/{case['id']}/transition", body, token=tok or self.tri)
        assert r.status == 200, (to, r)
        return r.json()

    def stats(self, q="", tok=None, headers=None):
        r = self.s.get(f"/api/v1/cases/stats{q}", token=tok or self.tri, headers=headers)
        assert r.status == 200, r
        return r

    def csv(self, table, lang="en", q=""):
        r = self.stats(f"?format=csv&table={table}{q}", headers={"Accept-Language": lang})
        assert r.header("Content-Type").startswith("text/csv"), r.headers
        assert f'cases-{table}.csv' in r.header("Content-Disposition")
        assert r.body.startswith("\ufeff"), r.body[:10]          # the BOM: Excel reads UTF-8
        body = r.body[1:]
        assert body.endswith("\r\n") and "\n" not in body.replace("\r\n", ""), body
        return list(csv.reader(io.StringIO(body, newline="")))


def test_statistics_over_cases_moved_on_a_standing_clock(s):
    c = Centre(s, "zqstat")
    try:
        # January: a lawsuit answered in 2 h, a day waiting on the exporter, won in 6 h of
        # active time, closed; a customs seizure first answered after 6 h (breach), settled
        # after 59 h (breach).
        c1 = c.file("2026-01-05T00:00:00Z", type="lawsuit", country="US",
                    opposing_party='=HYPERLINK("http://evil.example","x")')
        c2 = c.file("2026-01-05T01:00:00Z", type="customs_seizure", country="DE",
                    opposing_party="Zollamt 海关")
        c.move(c1, "2026-01-05T02:00:00Z", "accepted")
        c.move(c1, "2026-01-05T03:00:00Z", "assigned")
        c.move(c1, "2026-01-05T04:00:00Z", "in_progress", c.xp1)
        c.move(c1, "2026-01-05T05:00:00Z", "waiting_on_exporter", c.xp1)
        c.move(c1, "2026-01-06T05:00:00Z", "in_progress", c.exp)
        p = problem(s.post(f"/api/v1/cases/{c1['id']}/transition",
                           {"to": "resolved", "reason": "r", "outcome": "victory"},
                           token=c.xp1), 400, "validation")
        assert pointers(p) == ["/outcome"], p
        done = c.move(c1, "2026-01-06T06:00:00Z", "resolved", c.xp1, outcome="won")
        assert done["outcome"] == "won" and done["resolved_at"] == "2026-01-06T06:00:00Z"
        assert done["sla"]["resolution"]["elapsed_s"] == 6 * HOUR
        c.move(c1, "2026-01-06T07:00:00Z", "closed")
        hist = s.get(f"/api/v1/cases/{c1['id']}/history?limit=50", token=c.tri).json()["items"]
        assert [h["after"].get("outcome") for h in hist
                if h.get("after", {}).get("state") == "resolved"] \
            == ["won"]
        c.move(c2, "2026-01-05T07:00:00Z", "accepted")
        c.move(c2, "2026-01-05T08:00:00Z", "assigned")
        c.move(c2, "2026-01-05T08:00:00Z", "in_progress", c.xp1)
        c.move(c2, "2026-01-07T12:00:00Z", "resolved", c.xp1, outcome="settled")
        # February: a lawsuit in Germany with the second expert, still open (its resolution
        # clock runs past its target); a Schedule A case rejected in an hour.
        c3 = c.file("2026-02-10T00:00:00Z", type="lawsuit", country="DE")
        c4 = c.file("2026-02-11T00:00:00Z", type="schedule_a", country="US")
        c.move(c3, "2026-02-10T01:00:00Z", "accepted")
        p = problem(s.post(f"/api/v1/cases/{c3['id']}/transition",
                           {"to": "assigned", "expert_id": c.e2["id"], "outcome": "won"},
                           token=c.tri), 400, "validation")
        assert pointers(p) == ["/outcome"], p                  # only a resolution has one
        c.move(c3, "2026-02-10T01:00:00Z", "assigned", expert=c.e2)
        c.move(c4, "2026-02-11T01:00:00Z", "rejected")
        # March: a case nobody has answered for 12 h (first response running past 4 h).
        c.file("2026-03-02T00:00:00Z", type="other", country="CN")
        c.now("2026-03-02T12:00:00Z")

        st = c.stats().json()
        assert st["centre"] == c.centre["id"] and st["truncated"] is False
        assert st["cases"] == 5
        assert st["by_state"] == {"closed": 1, "resolved": 1, "assigned": 1, "rejected": 1,
                                  "submitted": 1}
        assert st["months"] == ["2026-01", "2026-02", "2026-03"]
        assert st["by_month_type"] == [
            {"month": "2026-01", "type": "customs_seizure", "cases": 1},
            {"month": "2026-01", "type": "lawsuit", "cases": 1},
            {"month": "2026-02", "type": "lawsuit", "cases": 1},
            {"month": "2026-02", "type": "schedule_a", "cases": 1},
            {"month": "2026-03", "type": "other", "cases": 1}]
        assert st["by_month_country"] == [
            {"month": "2026-01", "country": "DE", "cases": 1},
            {"month": "2026-01", "country": "US", "cases": 1},
            {"month": "2026-02", "country": "DE", "cases": 1},
            {"month": "2026-02", "country": "US", "cases": 1},
            {"month": "2026-03", "country": "CN", "cases": 1}]
        # First responses 1 h, 1 h, 2 h, 6 h; resolutions 6 h (24 h paused not counted), 59 h.
        assert st["first_response"] == {"count": 4, "median_s": 5400, "p90_s": 6 * HOUR}
        assert st["resolution"] == {"count": 2, "median_s": (6 + 59) * HOUR // 2,
                                    "p90_s": 59 * HOUR}
        assert st["sla_breaches"] == {"first_response": 2, "resolution": 2}
        assert st["sla_by_month"] == [
            {"month": "2026-01", "cases": 2, "first_response_breached": 1,
             "resolution_breached": 1},
            {"month": "2026-02", "cases": 2, "first_response_breached": 0,
             "resolution_breached": 1},
            {"month": "2026-03", "cases": 1, "first_response_breached": 1,
             "resolution_breached": 0}]
        assert st["workload"] == [
            {"expert_id": c.e1["id"], "name": "Alpha zqstat", "open": 0, "resolved": 2},
            {"expert_id": c.e2["id"], "name": "Beta zqstat", "open": 1, "resolved": 0}]
        outcomes = {o["outcome"]: o for o in st["outcomes"]}
        assert list(outcomes) == ["won", "settled", "withdrawn_by_other_side", "lost",
                                  "no_action_needed", "other"]
        assert outcomes["won"] == {"outcome": "won", "resolved": 0, "closed": 1, "cases": 1}
        assert outcomes["settled"] == {"outcome": "settled", "resolved": 1, "closed": 0,
                                       "cases": 1}
        assert sum(o["cases"] for o in st["outcomes"]) == 2

        # A period: February only. Open work is counted now; resolutions in the period.
        feb = c.stats("?from=2026-02-01&until=2026-03-01").json()
        assert feb["cases"] == 2 and feb["months"] == ["2026-02"]
        assert feb["from"] == "2026-02-01" and feb["until"] == "2026-03-01"
        assert feb["first_response"] == {"count": 2, "median_s": HOUR, "p90_s": HOUR}
        assert feb["resolution"] == {"count": 0, "median_s": None, "p90_s": None}
        assert feb["sla_by_month"] == [{"month": "2026-02", "cases": 2,
                                        "first_response_breached": 0,
                                        "resolution_breached": 1}]
        assert [(w["open"], w["resolved"]) for w in feb["workload"]] == [(0, 0), (1, 0)]
        assert all(o["cases"] == 0 for o in feb["outcomes"])
        jan = c.stats("?from=2026-01-01T00:00:00Z&until=2026-02-01T00:00:00Z").json()
        assert [(w["open"], w["resolved"]) for w in jan["workload"]] == [(0, 2), (1, 0)]
        assert jan["cases"] == 2 and jan["sla_breaches"] == {"first_response": 1,
                                                             "resolution": 1}

        # CSV: each table, Chinese headers for a Chinese reader, names for others.
        rows = c.csv("month_type", "zh-CN")
        assert rows[0] == ["月份", "案件类型", "案件数"], rows[0]
        assert rows[1:] == [[x["month"], x["type"], str(x["cases"])]
                            for x in st["by_month_type"]]
        rows = c.csv("month_type")
        assert rows[0] == ["month", "type", "cases"]
        rows = c.csv("month_country", "zh-CN")
        assert rows[0] == ["月份", "国家或地区", "案件数"] and ["2026-03", "CN", "1"] in rows
        rows = c.csv("times", "zh-CN")
        assert rows == [["指标", "案件数", "中位数（秒）", "第 90 百分位数（秒）"],
                        ["first_response", "4", "5400", "21600"],
                        ["resolution", "2", "117000", "212400"]], rows
        rows = c.csv("sla")
        assert rows[0] == ["month", "cases", "first_response_breached", "resolution_breached"]
        assert rows[1:] == [["2026-01", "2", "1", "1"], ["2026-02", "2", "0", "1"],
                            ["2026-03", "1", "1", "0"]]
        rows = c.csv("workload", "zh-CN")
        assert rows == [["专家编号", "专家", "办理中的案件", "期内办结"],
                        [str(c.e1["id"]), "Alpha zqstat", "0", "2"],
                        [str(c.e2["id"]), "Beta zqstat", "1", "0"]], rows
        rows = c.csv("outcomes", "zh-CN")
        assert rows[0] == ["结果", "已办结未结案", "已结案", "案件数"]
        assert ["won", "0", "1", "1"] in rows and ["settled", "1", "0", "1"] in rows
        # The cases, one row each (the default table): text that a spreadsheet would run as a
        # formula starts with ', and Chinese comes through.
        rows = c.csv("cases", "zh-CN")
        assert rows[0][:3] == ["案件编号", "收案时间", "案件类型"] and len(rows) == 6
        rows = list(csv.DictReader(io.StringIO(c.stats("?format=csv").body[1:], newline="")))
        by_id = {int(r["id"]): r for r in rows}
        assert by_id[c1["id"]]["opposing_party"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
        assert by_id[c2["id"]]["opposing_party"] == "Zollamt 海关"
        assert by_id[c1["id"]]["outcome"] == "won" and by_id[c1["id"]]["resolution_s"] == "21600"
        assert by_id[c2["id"]]["first_response_sla"] == "breached"
        assert by_id[c4["id"]]["resolution_sla"] == "stopped"

        # Who sees which centre: an expert their own; another centre's staff nothing of it.
        assert c.stats(tok=c.xp1).json()["cases"] == 5
        other = Centre(s, "zqstat-other")
        assert s.get(f"/api/v1/cases/stats?centre={c.centre['id']}", token=other.tri).status \
            == 404
        assert other.stats().json()["cases"] == 0
        assert s.get("/api/v1/cases/stats", token=c.exp).status == 403
        mine = s.get(f"/api/v1/cases/stats?centre={c.centre['id']}", token=s.admin).json()
        assert mine["cases"] == 5 and mine["workload"] == st["workload"]
        every = s.get("/api/v1/cases/stats", token=s.admin).json()
        assert every["centre"] is None and every["cases"] >= 5
        # Bad parameters are named.
        p = problem(s.get("/api/v1/cases/stats?table=pies&from=2026-03-01&until=2026-02-01",
                          token=c.tri), 400, "validation")
        assert sorted(e["parameter"] for e in p["errors"]) == ["table", "until"], p
        p = problem(s.get("/api/v1/cases/stats?table=sla", token=c.tri), 400, "validation")
        assert [e["parameter"] for e in p["errors"]] == ["table"], p
    finally:
        s.redis("DEL", "sw:testclock:at_ms")
