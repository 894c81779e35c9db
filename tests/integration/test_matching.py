"""Matching end to end: portfolios stored through the API, real sample feeds served by nginx
and polled, and events added to the stream directly; alerts appear once, with reasons, only
for their own tenant; a matcher that died holding events loses none of them."""
import os
import shutil

from harness import wait_until

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "feeds")


def add_items(s, sub, tok, items):
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio/import", {"items": items}, token=tok)
    assert r.status == 201, r


def alerts(s, tok):
    """The matcher's alerts. A back-fill alert of the screener (a mark already in the register)
    is left out: another test may have put the same real filing into the shared register, and
    then a new portfolio item hears of it from there too (test_screenings tests those)."""
    return [a for a in s.get("/api/v1/alerts?limit=200", token=tok).json()["items"]
            if a.get("rule") != "backfill"]


def wait_alerts(s, tok, n, what):
    return wait_until(what, lambda: (lambda a: a if len(a) >= n else None)(alerts(s, tok)),
                      timeout=30)


def serve(s, rel, name):
    shutil.copy(os.path.join(SHARED, rel), os.path.join(s.dir, "feeds", name))
    r = s.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/{name}",
                                 "interval_s": 3600}, token=s.admin)
    assert r.status == 201, r


def push_event(s, ev):
    return s.add_event(ev)


def matched_up_to(s, entry_id):
    """The matchers have read and acknowledged everything in every shard of the events stream
    (entry_id, an entry added before, among it)."""
    return s.stream_settled("events", "matchers")


def test_look_alike_mark_from_a_real_uspto_filing(s):
    owner, tok = s.tenant("Sticker Brand Owner Ltd")
    add_items(s, owner, tok, [{"kind": "mark", "text": "SUVENER", "classes": [16],
                               "countries": ["US"]},
                              {"kind": "mark", "text": "SUVENEER", "classes": [25]}])
    other, tok2 = s.tenant("Unrelated Ltd")
    add_items(s, other, tok2, [{"kind": "mark", "text": "GLACIO"}])
    serve(s, "uspto-trademark-daily/daily-na-98763166.xml", "match-tm.xml")
    got = wait_alerts(s, tok, 1, "an alert for the look-alike filing")
    a = got[0]
    assert a["severity"] == "medium" and a["rule"] == "similar-mark", a
    assert len(a["items"]) == 1 and a["item_ids"] == [a["items"][0]["item"]["id"]], a
    it = a["items"][0]
    r = it["reasons"][0]
    assert r["matched"] == ["SUVENEER", "SUVENER"] and r["field"] == "marks[0]"
    assert 0.85 <= r["score"] < 1 and it["score"] == r["score"]
    # What a side-by-side view needs, in the alert itself.
    assert it["item"] == {"id": it["item"]["id"], "kind": "mark", "text": "SUVENER",
                          "classes": [16], "countries": ["US"]}, it
    assert it["event_texts"] == ["SUVENEER"] and it["classes_common"] == [16], it
    assert it["countries_common"] == ["US"] and it["countries_source"] == "item", it
    assert a["event"]["numbers"]["serial"] == "98763166"
    assert a.get("source_url") == a["event"].get("url"), a
    # The identical mark is in class 25 only: the filing is class 16, so no alert for it.
    assert len(alerts(s, tok)) == 1
    assert alerts(s, tok2) == []
    one = s.get(f"/api/v1/alerts/{a['id']}", token=tok)
    assert one.status == 200 and one.json()["id"] == a["id"]
    assert s.get(f"/api/v1/alerts/{a['id']}", token=tok2).status == 404


def test_named_defendant_and_cited_patent(s):
    sub, tok = s.tenant("Defendant Holder")
    add_items(s, sub, tok, [{"kind": "name", "text": "Shenzhen Bright Audio Technology Co., Ltd."},
                            {"kind": "patent", "number": "US 9,123,456 B2"},
                            {"kind": "keyword", "text": "bluetooth speaker",
                             "countries": ["US"]}])
    ev = {"id": "ev_test_litigation_0001", "source": "test", "type": "litigation",
          "jurisdiction": "US", "title": "1:26-cv-01234 Acme Audio Inc. v. Shenzhen Bright "
          "Audio Technology Co., Ltd.",
          "parties": [{"name": "Acme Audio Inc.", "role": "plaintiff"},
                      {"name": "SHENZHEN BRIGHT AUDIO TECHNOLOGY LIMITED", "role": "defendant"}],
          "text": "Complaint for infringement of U.S. Patent No. 9,123,456 by a bluetooth "
                  "speaker"}
    push_event(s, ev)
    got = wait_alerts(s, tok, 1, "the alert")
    # One alert for the event, naming the three items it touched, strongest first.
    assert len(got) == 1, got
    a = got[0]
    assert a["severity"] == "critical" and a["rule"] == "named-as-defendant", a
    assert [(i["rule"], i["severity"], i["item"]["kind"]) for i in a["items"]] == [
        ("named-as-defendant", "critical", "name"), ("patent-cited", "high", "patent"),
        ("keyword-in-market", "medium", "keyword")], a["items"]
    assert a["item_ids"] == [i["item"]["id"] for i in a["items"]]
    # ?item= finds the alert by any of its items.
    for iid in a["item_ids"]:
        assert [x["id"] for x in s.get(f"/api/v1/alerts?item={iid}",
                                       token=tok).json()["items"]] == [a["id"]]
    # The same event delivered again makes no second alert and changes nothing.
    push_event(s, ev)
    marker = push_event(s, dict(ev, id="ev_marker_after_duplicate", parties=[],
                                text="nothing here"))
    wait_until("the matcher to pass the duplicate", lambda: matched_up_to(s, marker))
    assert alerts(s, tok) == got


def test_pending_events_of_a_dead_matcher_are_claimed(s):
    sub, tok = s.tenant("Claim Test Ltd")
    add_items(s, sub, tok, [{"kind": "keyword", "text": "photovoltaic inverter"}])
    # A matcher that read these events and died before acknowledging them:
    s.script("stop-one", "seawall-matcher")
    try:
        for i in range(5):
            push_event(s, {"id": f"ev_claim_{i}", "source": "test", "type": "news",
                           "title": f"Photovoltaic inverter recall {i}"})
        got = [e for key in s.stream_keys("events")
               for r in [s.redis("XREADGROUP", "GROUP", "matchers", "dead-matcher", "COUNT",
                                 "100", "STREAMS", key, ">")] if r for e in r[0][1]]
        assert len(got) >= 5
    finally:
        os.environ["SEAWALL_MATCHER_CLAIM_IDLE_MS"] = "1000"
        s.script("start-worker", "seawall-matcher")
        del os.environ["SEAWALL_MATCHER_CLAIM_IDLE_MS"]
    got = wait_alerts(s, tok, 5, "the claimed events to alert")
    assert sorted(a["event_id"] for a in got) == [f"ev_claim_{i}" for i in range(5)]
    assert all(a["severity"] == "low" and a["rule"] == "keyword-in-news" for a in got)
    wait_until("nothing pending", lambda: s.stream_pending("events", "matchers") == 0)
    for key in s.stream_keys("events"):
        assert s.redis("XPENDING", key, "matchers", "-", "+", "10", "dead-matcher") == []
    # Restarted with the usual settings for the tests after this one.
    s.script("stop-one", "seawall-matcher")
    s.script("start-worker", "seawall-matcher")


def test_portfolio_changes_reach_a_running_matcher(s):
    sub, tok = s.tenant("Late Adder Ltd")
    before = push_event(s, {"id": "ev_before_item", "source": "test", "type": "news",
                            "title": "Graphene battery news"})
    wait_until("the first event to be matched", lambda: matched_up_to(s, before))
    add_items(s, sub, tok, [{"kind": "keyword", "text": "graphene battery"}])
    push_event(s, {"id": "ev_after_item", "source": "test", "type": "news",
                   "title": "More graphene battery news"})
    got = wait_alerts(s, tok, 1, "an alert after the item was added")
    assert [a["event_id"] for a in got] == ["ev_after_item"]


def test_bulletin_alerts_by_market_and_keyword(s):
    de, tok_de = s.tenant("German Market Trader")           # markets US, DE
    r = s.request("PATCH", f"/api/v1/subscribers/{de['id']}", body={"markets": ["DE"]},
                  token=tok_de)
    assert r.status == 200
    jp, tok_jp = s.tenant("Japan Only Trader")
    s.request("PATCH", f"/api/v1/subscribers/{jp['id']}", body={"markets": ["JP"]}, token=tok_jp)
    add_items(s, jp, tok_jp, [{"kind": "keyword", "text": "solar panels"}])
    push_event(s, {"id": "ev_bulletin_de_1", "source": "test", "type": "bulletin",
                   "jurisdiction": "DE", "severity": "high",
                   "title": "Customs in Germany step up checks on solar panels"})
    got = wait_alerts(s, tok_de, 1, "the market alert")
    assert got[0]["rule"] == "bulletin-market" and got[0]["severity"] == "high"
    assert got[0]["item_ids"] == [0]
    assert got[0]["items"][0]["item"]["kind"] == "market", got[0]
    assert got[0]["items"][0]["item"]["text"] == "DE", got[0]
    kw = wait_alerts(s, tok_jp, 1, "the keyword alert")
    assert kw[0]["rule"] == "bulletin-keyword" and kw[0]["severity"] == "high"


def test_keywords_in_text_without_spaces(s):
    """Chinese, Japanese and Korean keywords are found by their characters inside running
    text; the alert names the keyword and the field."""
    sub, tok = s.tenant("Shenzhen Keyword Co")
    r = s.request("PATCH", f"/api/v1/subscribers/{sub['id']}",
                  body={"markets": ["CN", "JP", "KR"]}, token=s.admin)
    assert r.status == 200, r
    add_items(s, sub, tok, [{"kind": "keyword", "text": "蓝牙音箱"},
                            {"kind": "keyword", "text": "ソニー"},
                            {"kind": "keyword", "text": "삼성"}])
    for i, (jur, text) in enumerate((("CN", "深圳一家公司的蓝牙音箱被控侵犯外观设计专利"),
                                     ("JP", "ソニーの特許をめぐる訴訟"),
                                     ("KR", "삼성이 특허 소송을 제기했다"),
                                     ("CN", "蓝牙耳机和音箱"))):   # the words apart: no alert
        push_event(s, {"id": f"ev_cjk_{i}", "source": "test", "type": "news",
                       "jurisdiction": jur, "text": text})
    marker = push_event(s, {"id": "ev_cjk_marker", "source": "test", "type": "news",
                            "text": "nothing"})
    wait_until("the matcher to read the news", lambda: matched_up_to(s, marker))
    got = alerts(s, tok)
    assert sorted(a["event_id"] for a in got) == ["ev_cjk_0", "ev_cjk_1", "ev_cjk_2"], got
    by_event = {a["event_id"]: a for a in got}
    it = by_event["ev_cjk_0"]["items"][0]
    r = it["reasons"][0]
    assert r["rule"] == "keyword-in-news" and r["field"] == "text"
    assert it["item"]["text"] == "蓝牙音箱" and r["matched"] == ["蓝牙音箱", "蓝牙音箱"]
    assert by_event["ev_cjk_2"]["event"]["text"] == "삼성이 특허 소송을 제기했다"
