"""The exporter's dashboard in one request: alert counts by severity and status, the newest
critical and high alerts still new (as summaries), the action windows still open (filled and
ordered in test_actions), the open cases with whose move it is, and their deadlines soonest
first."""
from harness import problem
from test_cases import Desk


def test_dashboard_in_one_request(s):
    d = Desk(s, "dash")
    sub, tok = d.sub, d.exp
    late = d.file(served_at="2026-11-30")
    soon = d.file(served_at="2026-11-20", opposing_party="Early Brands LLC")
    undated = d.file(served_at=None)
    gone = d.file()
    d.move(gone, "rejected", d.tri)            # closed for good: not on the dashboard
    d.move(undated, "needs_info", d.tri)       # the exporter's move
    s.make_alerts(sub, tok, 2, "dashmed")
    high = s.make_alerts(sub, tok, 1, "dashhigh", kind="patent")
    crit = s.make_alerts(sub, tok, 5, "dashcrit", kind="name")
    r = s.get("/api/v1/dashboard", token=tok)
    assert r.status == 200, r
    db = r.json()
    assert set(db) == {"alerts", "latest", "actions", "open_cases", "deadlines"}, db
    assert db["alerts"] == s.get("/api/v1/alerts/counts", token=tok).json()
    assert db["alerts"]["new"]["critical"] == 5 and db["alerts"]["new"]["medium"] == 2
    # The five newest critical or high alerts still new, newest first, as summaries.
    assert [a["id"] for a in db["latest"]] == [a["id"] for a in crit], db["latest"]
    one = db["latest"][0]
    assert set(one) == {"id", "severity", "status", "rule", "created_at", "event", "items",
                        "action", "title", "summary"}, one   # title and summary in the reader's language
    # Named as defendant in a US suit: the answer's window, its start unknown from the record.
    assert one["action"]["kind"] == "answer" and one["action"]["unknown"] == \
        "the date of service is not in the record", one
    assert one["severity"] == "critical" and one["status"] == "new"
    assert one["event"]["type"] == "litigation" and one["event"]["title"].startswith("Case ")
    assert one["items"] == [{"id": crit[0]["item_ids"][0], "kind": "name",
                             "text": "Zqdashcritx Audio Ltd."}], one
    # Read ones leave the list; the next newest (the high one) comes in.
    r = s.post("/api/v1/alerts/status", {"ids": [crit[0]["id"], crit[1]["id"]],
                                         "status": "read"}, token=tok)
    assert r.status == 200, r
    db = s.get("/api/v1/dashboard", token=tok).json()
    assert [a["id"] for a in db["latest"]][:4] == [a["id"] for a in crit[2:]] + [high[0]["id"]]
    assert db["alerts"]["status"]["read"] == 2
    # Open cases, newest first, and the deadlines of those that have one, soonest first.
    assert [c["id"] for c in db["open_cases"]] == [undated["id"], soon["id"], late["id"]]
    by_id = {c["id"]: c for c in db["open_cases"]}
    assert by_id[undated["id"]]["waiting_on_you"] is True
    assert by_id[undated["id"]]["state"] == "needs_info" and by_id[undated["id"]]["deadline"] \
        is None
    assert by_id[soon["id"]]["waiting_on_you"] is False
    assert by_id[soon["id"]]["opposing_party"] == "Early Brands LLC"
    assert by_id[soon["id"]]["deadline"]["at"] == soon["deadline"]["at"], by_id[soon["id"]]
    assert by_id[late["id"]]["deadline"]["rule"]["id"] == late["deadline"]["rule"]["id"]
    assert [x["case_id"] for x in db["deadlines"]] == [soon["id"], late["id"]], db["deadlines"]
    first = db["deadlines"][0]
    assert first["at"] < db["deadlines"][1]["at"]
    assert first["case_type"] == "lawsuit" and first["case_state"] == "submitted", first
    assert first["time_left_s"] < db["deadlines"][1]["time_left_s"]
    assert isinstance(first["overdue"], bool)
    assert db["actions"] == []    # an unknown window is not an open one
    # Nobody else's, and exporters only.
    _, other = s.tenant("Empty Dashboard Ltd")
    db = s.get("/api/v1/dashboard", token=other).json()
    assert db["alerts"]["total"] == 0 and db["latest"] == [] and db["open_cases"] == [] and \
        db["deadlines"] == [], db
    problem(s.get("/api/v1/dashboard", token=s.admin), 403)
    problem(s.get("/api/v1/dashboard"), 401)
