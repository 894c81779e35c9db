"""Early-warning bulletins from draft to withdrawal, end to end through nginx and the matcher:
drafts written in Chinese and English are not public, a preview shows the page and the alert
in either language, publishing alerts the exporters it concerns (by market, by keyword), a
correction makes a new version that reaches each exporter who had an earlier one exactly once
(a follow-up linked to their first alert, by mail too) while an exporter only the corrected
version concerns gets the normal alert, and a withdrawal needs a reason, leaves the public list
and shows in the Atom feed as an update. The bulletin's country (IS) and keywords are used by
no other test, so "exactly" can be checked across every subscriber of the shared stack."""
import hashlib
import json
import xml.etree.ElementTree as ET

from harness import pointers, problem, wait_until

ATOM = "{http://www.w3.org/2005/Atom}"
ZH = {"Accept-Language": "zh-CN"}
EN = {"Accept-Language": "en"}


def staff(s, tag, role="triager"):
    centre = s.make("/api/v1/centres", {"name": f"{tag} Centre", "country": "CN"})
    person = s.make(f"/api/v1/centres/{centre['id']}/staff",
                    {"name": f"{tag} {role}", "email": f"{tag}@centre.example", "role": role})
    return centre, s.token_for(role, person["id"])


def exporter(s, name, markets, keywords=()):
    sub, tok = s.tenant(name)
    r = s.request("PATCH", f"/api/v1/subscribers/{sub['id']}", body={"markets": markets},
                  token=tok)
    assert r.status == 200, r
    for k in keywords:
        r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio", {"kind": "keyword", "text": k},
                   token=tok)
        assert r.status == 201, r
    return sub, tok


def bulletin_alerts(s, tok, bid, headers=None):
    items = s.get("/api/v1/alerts?type=bulletin&limit=200", token=tok,
                  headers=headers).json()["items"]
    return [a for a in items if a["event"].get("bulletin_id") == bid]


def settled(s):
    """Waits until the matchers have handled every event stored so far, in every shard."""
    wait_until("the matchers to catch up", lambda: s.stream_settled("events", "matchers"),
               timeout=30)


def alert_id(sub, event_id):
    """The id the store gives the alert of (subscriber, event): one per pair."""
    return "al_" + hashlib.sha256(f"{sub}|{event_id}".encode()).hexdigest()[:32]


def delivered_to(s, event_id):
    """{subscriber: number of entries} the deliveries stream — what every channel (inbox
    stream, webhooks, mail, messengers) reads — carries for event_id, across every subscriber
    of the stack."""
    out = {}
    for _, f in s.stream_entries("deliveries"):
        if f.get("kind") == "alert" and f["alert"] == alert_id(f["sub"], event_id):
            out[int(f["sub"])] = out.get(int(f["sub"]), 0) + 1
    return out


def atom(s, q=""):
    r = s.get(f"/api/v1/bulletins.atom{q}")
    assert r.status == 200, r
    root = ET.fromstring(r.body.encode())
    return {e.find(f"{ATOM}id").text: e for e in root.findall(f"{ATOM}entry")}, root


def public_ids(s, q="country=IS"):
    return [b["id"] for b in s.get(f"/api/v1/bulletins?{q}").json()["items"]]


TITLE = {"zh-CN": "冰岛海关加强地热泵查验", "en": "Iceland customs step up checks on heat pumps"}
TEXT = {"zh-CN": "冰岛海关近期对 zqgeothermal pumps 加强知识产权边境查验，请核查商标授权。",
        "en": "Icelandic customs are detaining zqgeothermal pumps shipments; check your "
              "trademark licences."}


def test_bulletin_lifecycle_reaches_exactly_those_it_concerns(s):
    centre, tri = staff(s, "zqbul")
    _, xp = staff(s, "zqbul-xp", "expert")
    _, other_tri = staff(s, "zqbul-other")
    xp_same = s.token_for("expert", s.make(f"/api/v1/centres/{centre['id']}/staff",
                                           {"name": "Same-centre expert", "role": "expert",
                                            "email": "x@centre.example"})["id"])
    a, tok_a = exporter(s, "Zqbul Market Trader", ["IS"])                    # by market
    b, tok_b = exporter(s, "Zqbul Keyword Trader", ["JP"], ["zqgeothermal pumps"])
    c, tok_c = exporter(s, "Zqbul Late Match Trader", ["JP"], ["zqheat exchangers"])
    d, tok_d = exporter(s, "Zqbul Unconcerned Trader", ["FR"], ["zqunrelated widgets"])
    # A reads its mail in Chinese, every alert from low up.
    r = s.request("PATCH", "/api/v1/delivery", body={"emails": ["legal@zqbul-a.example"],
                                                     "email_severity_floor": "low",
                                                     "lang": "zh-CN"}, token=tok_a)
    assert r.status == 200, r

    # --- a draft: not public, previewed in both languages ---------------------------------
    r = s.post("/api/v1/bulletins", {"status": "draft", "title": {"zh-CN": TITLE["zh-CN"]},
                                     "country": "IS"}, token=tri)
    assert r.status == 201, r
    draft = r.json()
    bid = draft["id"]
    assert draft["status"] == "draft" and draft["version"] == 0 and draft["title"] == {
        "zh-CN": TITLE["zh-CN"]}
    assert s.get(f"/api/v1/bulletins/{bid}").status == 404            # public: no such thing
    assert s.get(f"/api/v1/bulletins/{bid}/versions").status == 404
    assert bid not in public_ids(s)
    assert f"urn:seawall:bulletin:{bid}" not in atom(s, "?country=IS")[0]
    drafts = lambda tok: [x["id"] for x in s.get("/api/v1/bulletins/drafts",
                                                  token=tok).json()["items"]]
    assert bid in drafts(tri) and bid in drafts(xp_same) and bid in drafts(s.admin)
    assert bid not in drafts(other_tri) and bid not in drafts(xp)
    assert s.get(f"/api/v1/bulletins/{bid}/preview", token=other_tri).status == 404
    # Publishing names what a draft still lacks.
    p = problem(s.post(f"/api/v1/bulletins/{bid}/publish", None, token=tri), 400, "validation")
    assert sorted(pointers(p)) == ["/severity", "/text"], p
    # The draft in one language previews in the other with what it has.
    pv = s.get(f"/api/v1/bulletins/{bid}/preview?lang=en", token=xp_same).json()
    assert pv["page"]["title"] == TITLE["zh-CN"] and pv["page"]["lang"] == "zh-CN", pv
    # Edits: the English title beside the Chinese, the texts, severity; experts only read.
    edit = {"title": {"en": TITLE["en"]}, "text": TEXT, "severity": "high",
            "keywords": ["zqgeothermal pumps"]}
    assert s.request("PATCH", f"/api/v1/bulletins/{bid}", body=edit, token=xp_same).status == 404
    r = s.request("PATCH", f"/api/v1/bulletins/{bid}", body=edit, token=tri)
    assert r.status == 200, r
    assert r.json()["title"] == TITLE and r.json()["status"] == "draft"
    p = problem(s.request("PATCH", f"/api/v1/bulletins/{bid}",
                          body={"title": {"fr": "x"}, "status": "published"}, token=tri),
                400, "validation")
    assert sorted(pointers(p)) == ["/status", "/title/fr"], p
    for lang, other in (("zh-CN", "en"), ("en", "zh-CN")):
        pv = s.get(f"/api/v1/bulletins/{bid}/preview?lang={lang}", token=tri).json()
        assert pv["lang"] == lang and pv["page"]["lang"] == lang
        assert pv["page"]["title"] == TITLE[lang] and pv["page"]["text"] == TEXT[lang]
        assert pv["page"]["languages"] == ["zh-CN", "en"]
        assert pv["alert"]["title"] == TITLE[lang] and TITLE[other] not in pv["alert"]["title"]
        assert pv["alert"]["severity"] == "high" and TITLE[lang] in pv["alert"]["mail_subject"]
        assert "/bulletins/%d" % bid in pv["alert"]["mail_text"]
    assert "预警" in s.get(f"/api/v1/bulletins/{bid}/preview?lang=zh-CN",
                         token=tri).json()["alert"]["summary"]
    problem(s.get(f"/api/v1/bulletins/{bid}/preview?lang=fr", token=tri), 400, "validation")
    settled(s)
    assert delivered_to(s, f"bulletin:{bid}") == {}                    # a draft alerts nobody

    # --- published: the exporters it concerns are alerted, once --------------------------
    r = s.post(f"/api/v1/bulletins/{bid}/publish", None, token=tri)
    assert r.status == 200, r
    pub = r.json()
    assert pub["status"] == "published" and pub["version"] == 1 and pub["published_at"]
    again = s.post(f"/api/v1/bulletins/{bid}/publish", None, token=tri)      # a retry
    assert again.status == 200 and again.json()["published_at"] == pub["published_at"]
    assert bid in public_ids(s)
    got = s.get(f"/api/v1/bulletins/{bid}").json()
    assert got["title"] == TITLE and got["text"] == TEXT and "correction" not in got
    first_a = wait_until("A's alert", lambda: bulletin_alerts(s, tok_a, bid))
    first_b = wait_until("B's alert", lambda: bulletin_alerts(s, tok_b, bid))
    settled(s)
    assert [x["rule"] for x in first_a] == ["bulletin-market"]
    assert [x["rule"] for x in first_b] == ["bulletin-keyword"]
    assert bulletin_alerts(s, tok_c, bid) == [] and bulletin_alerts(s, tok_d, bid) == []
    assert delivered_to(s, f"bulletin:{bid}") == {a["id"]: 1, b["id"]: 1}
    # Each reads it in their language.
    assert bulletin_alerts(s, tok_a, bid, ZH)[0]["title"] == TITLE["zh-CN"]
    assert bulletin_alerts(s, tok_a, bid, EN)[0]["title"] == TITLE["en"]
    entries, _ = atom(s, "?country=IS&lang=en")
    e = entries[f"urn:seawall:bulletin:{bid}"]
    assert e.find(f"{ATOM}title").text == TITLE["en"]
    assert e.find(f"{ATOM}updated").text == pub["published_at"]
    entries, _ = atom(s, "?country=IS&lang=zh-CN")
    assert entries[f"urn:seawall:bulletin:{bid}"].find(f"{ATOM}title").text == TITLE["zh-CN"]
    # A published bulletin is not edited in place, and another centre cannot touch it.
    problem(s.request("PATCH", f"/api/v1/bulletins/{bid}", body={"severity": "low"},
                      token=tri), 409, "bulletin-not-draft")
    note = {"zh-CN": "增补热交换器，并更正查验范围。",
            "en": "Heat exchangers added; the scope of the checks corrected."}
    corr = {"note": note, "version": 1, "keywords": ["zqgeothermal pumps", "zqheat exchangers"],
            "text": {"en": TEXT["en"] + " Heat exchangers (zqheat exchangers) too."}}
    assert s.post(f"/api/v1/bulletins/{bid}/corrections", corr, token=other_tri).status == 404
    assert s.post(f"/api/v1/bulletins/{bid}/corrections", corr, token=xp_same).status == 404

    # --- corrected: a new version; those alerted told once; the newly concerned alerted --
    p = problem(s.post(f"/api/v1/bulletins/{bid}/corrections", {"severity": "low"},
                       token=tri), 400, "validation")
    assert pointers(p) == ["/note"], p
    p = problem(s.post(f"/api/v1/bulletins/{bid}/corrections",
                       {"note": "nothing", "severity": "high"}, token=tri), 400, "validation")
    assert pointers(p) == [""], p                                       # changes nothing
    r = s.post(f"/api/v1/bulletins/{bid}/corrections", corr, token=tri)
    assert r.status == 201, r
    v2 = r.json()
    assert v2["version"] == 2 and v2["corrected_at"] and v2["correction"]["note"] == note
    assert v2["title"] == TITLE and v2["text"]["zh-CN"] == TEXT["zh-CN"]
    # The same correction again (a client retrying) makes no third version.
    r = s.post(f"/api/v1/bulletins/{bid}/corrections", corr, token=tri)
    assert r.status == 200 and r.json()["version"] == 2, r
    p = problem(s.post(f"/api/v1/bulletins/{bid}/corrections",
                       {"note": "late", "version": 1, "severity": "critical"}, token=tri),
                409, "bulletin-version-conflict")
    assert p["version"] == 2
    got = s.get(f"/api/v1/bulletins/{bid}").json()
    assert got["version"] == 2 and got["corrected_at"] == v2["corrected_at"]
    assert got["correction"]["note"] == note
    vs = s.get(f"/api/v1/bulletins/{bid}/versions").json()["items"]
    assert [x["version"] for x in vs] == [1, 2]
    assert vs[0]["keywords"] == ["zqgeothermal pumps"] and "note" not in vs[0]
    assert vs[1]["note"] == note and vs[1]["at"] == v2["corrected_at"]

    def followups(tok):
        return [x for x in bulletin_alerts(s, tok, bid) if x["rule"] == "bulletin-corrected"]
    fa = wait_until("A told of the correction", lambda: followups(tok_a))
    fb = wait_until("B told of the correction", lambda: followups(tok_b))
    new_c = wait_until("C alerted by the corrected version",
                       lambda: bulletin_alerts(s, tok_c, bid))
    settled(s)
    assert len(fa) == 1 and fa[0]["follows"] == first_a[0]["id"], fa
    assert len(fb) == 1 and fb[0]["follows"] == first_b[0]["id"], fb
    assert [x["rule"] for x in new_c] == ["bulletin-keyword"] and "follows" not in new_c[0]
    assert new_c[0]["event"]["bulletin_version"] == 2
    assert bulletin_alerts(s, tok_d, bid) == []
    assert len(bulletin_alerts(s, tok_a, bid)) == 2 and len(bulletin_alerts(s, tok_b, bid)) == 2
    # Exactly A, B (follow-ups) and C (its first alert), one each, across the whole stack.
    assert delivered_to(s, f"bulletin:{bid}:v2") == {a["id"]: 1, b["id"]: 1, c["id"]: 1}
    assert {fa[0]["id"], fb[0]["id"], new_c[0]["id"]} == {
        alert_id(x["id"], f"bulletin:{bid}:v2") for x in (a, b, c)}
    # In the reader's language, with the note.
    zh = [x for x in bulletin_alerts(s, tok_a, bid, ZH) if x["id"] == fa[0]["id"]][0]
    assert zh["title"] == f"预警公告已更正：{TITLE['zh-CN']}", zh["title"]
    assert note["zh-CN"] in zh["summary"]
    en = [x for x in bulletin_alerts(s, tok_b, bid, EN) if x["id"] == fb[0]["id"]][0]
    assert en["title"] == f"Bulletin corrected: {TITLE['en']}" and note["en"] in en["summary"]
    mails = wait_until("A's mail about the correction",
                       lambda: [m for m in s.mail_to("legal@zqbul-a.example")
                                if "预警公告已更正" in str(m["Subject"])])
    assert len(mails) == 1 and TITLE["zh-CN"] in str(mails[0]["Subject"])
    # The event delivered again (a matcher crashing before its acknowledgement) repeats
    # nothing.
    ev = json.loads(s.redis("GET", s.event_seen_key(f"bulletin:{bid}:v2")))
    s.add_event(ev)
    settled(s)
    assert delivered_to(s, f"bulletin:{bid}:v2") == {a["id"]: 1, b["id"]: 1, c["id"]: 1}
    assert len(bulletin_alerts(s, tok_a, bid)) == 2
    entries, _ = atom(s, "?country=IS&lang=en")
    e = entries[f"urn:seawall:bulletin:{bid}"]
    assert e.find(f"{ATOM}updated").text == v2["corrected_at"]
    assert e.find(f"{ATOM}published").text == pub["published_at"]
    assert e.find(f"{ATOM}content").text.startswith("Corrected on ")
    assert note["en"] in e.find(f"{ATOM}content").text

    # --- withdrawn: a reason is required; everyone alerted is told; gone from the list ---
    p = problem(s.post(f"/api/v1/bulletins/{bid}/withdraw", {}, token=tri), 400, "validation")
    assert pointers(p) == ["/reason"], p
    p = problem(s.post(f"/api/v1/bulletins/{bid}/withdraw", {"reason": "  "}, token=tri),
                400, "validation")
    assert pointers(p) == ["/reason"], p
    assert s.get(f"/api/v1/bulletins/{bid}").json()["status"] == "published"
    reason = {"zh-CN": "冰岛海关已撤销该查验通知。", "en": "Icelandic customs revoked the notice."}
    r = s.post(f"/api/v1/bulletins/{bid}/withdraw", {"reason": reason}, token=tri)
    assert r.status == 200, r
    w = r.json()
    assert w["status"] == "withdrawn" and w["withdrawal"]["reason"] == reason
    again = s.post(f"/api/v1/bulletins/{bid}/withdraw", {"reason": "again"}, token=tri)
    assert again.status == 200 and again.json()["withdrawn_at"] == w["withdrawn_at"]
    assert bid not in public_ids(s)
    got = s.get(f"/api/v1/bulletins/{bid}")
    assert got.status == 200 and got.json()["status"] == "withdrawn"
    assert got.json()["withdrawal"]["reason"] == reason
    assert [x["version"] for x in s.get(f"/api/v1/bulletins/{bid}/versions").json()["items"]] \
        == [1, 2]
    problem(s.post(f"/api/v1/bulletins/{bid}/corrections", corr | {"version": 2}, token=tri),
            409, "bulletin-withdrawn")
    problem(s.post(f"/api/v1/bulletins/{bid}/publish", None, token=tri), 409,
            "bulletin-withdrawn")
    entries, root = atom(s, "?country=IS&lang=en")
    e = entries[f"urn:seawall:bulletin:{bid}"]
    assert e.find(f"{ATOM}title").text == f"Withdrawn: {TITLE['en']}"
    assert e.find(f"{ATOM}updated").text == w["withdrawn_at"]
    assert e.find(f"{ATOM}content").text.startswith("Withdrawn on ")
    assert reason["en"] in e.find(f"{ATOM}content").text
    assert root.find(f"{ATOM}updated").text >= w["withdrawn_at"]

    def withdrawn(tok):
        return [x for x in bulletin_alerts(s, tok, bid) if x["rule"] == "bulletin-withdrawn"]
    wa = wait_until("A told of the withdrawal", lambda: withdrawn(tok_a))
    wc = wait_until("C told of the withdrawal", lambda: withdrawn(tok_c))
    settled(s)
    assert wa[0]["follows"] == first_a[0]["id"] and wc[0]["follows"] == new_c[0]["id"]
    assert delivered_to(s, f"bulletin:{bid}:withdrawn") == {a["id"]: 1, b["id"]: 1, c["id"]: 1}
    assert bulletin_alerts(s, tok_d, bid) == []
    zh = [x for x in bulletin_alerts(s, tok_c, bid, ZH) if x["id"] == wc[0]["id"]][0]
    assert zh["title"] == f"预警公告已撤回：{TITLE['zh-CN']}" and reason["zh-CN"] in zh["summary"]


def test_single_language_bodies_and_what_is_refused(s):
    _, tri = staff(s, "zqbulform")
    # The plain string form of older clients: the title's script says the language, and the
    # text goes with it (whatever language the request asks answers in).
    r = s.post("/api/v1/bulletins", {"title": "海关通知 zqform", "text": "Body in English.",
                                     "country": "NZ", "severity": "low"}, token=tri, headers=EN)
    assert r.status == 201, r
    assert r.json()["title"] == {"zh-CN": "海关通知 zqform"} and r.json()["version"] == 1
    assert r.json()["text"] == {"zh-CN": "Body in English."}
    r = s.post("/api/v1/bulletins", {"title": "Notice zqform", "text": "Body.", "country": "NZ",
                                     "severity": "low"}, token=tri)
    assert r.status == 201 and r.json()["title"] == {"en": "Notice zqform"}, r
    p = problem(s.post("/api/v1/bulletins", {"title": {}, "text": {"en": "x", "de": "y"},
                                             "country": "NZ", "severity": "low"}, token=tri),
                400, "validation")
    assert sorted(pointers(p)) == ["/text/de", "/title"], p
    p = problem(s.post("/api/v1/bulletins", {"title": {"en": None}, "text": 7, "country": "NZ",
                                             "severity": "low", "note": "x"}, token=tri),
                400, "validation")
    assert sorted(pointers(p)) == ["/note", "/text", "/title", "/title/en"], p
    # An expert reads but does not publish; exporters neither.
    _, xp = staff(s, "zqbulform-xp", "expert")
    _, exp = s.tenant("Zqform Exporter")
    body = {"title": "t", "text": "x", "country": "NZ", "severity": "low"}
    assert s.post("/api/v1/bulletins", body, token=xp).status == 403
    assert s.post("/api/v1/bulletins", body, token=exp).status == 403
    assert s.get("/api/v1/bulletins/drafts", token=exp).status == 403
    # A draft cannot be corrected or withdrawn, only edited or published.
    d = s.post("/api/v1/bulletins", dict(body, status="draft"), token=tri).json()
    problem(s.post(f"/api/v1/bulletins/{d['id']}/corrections", {"note": "n", "severity": "high"},
                   token=tri), 409, "bulletin-not-published")
    problem(s.post(f"/api/v1/bulletins/{d['id']}/withdraw", {"reason": "r"}, token=tri), 409,
            "bulletin-not-published")
    # An Idempotency-Key replays the first answer of a correction.
    pub = s.post(f"/api/v1/bulletins/{d['id']}/publish", None, token=tri).json()
    h = {"Idempotency-Key": "zqform-corr-1"}
    one = s.post(f"/api/v1/bulletins/{pub['id']}/corrections",
                 {"note": "n", "severity": "high"}, token=tri, headers=h)
    two = s.post(f"/api/v1/bulletins/{pub['id']}/corrections",
                 {"note": "n", "severity": "high"}, token=tri, headers=h)
    assert one.status == 201 and two.status == 201 and two.header("Idempotent-Replayed")
    assert two.json()["version"] == one.json()["version"] == 2


def test_a_retry_announces_what_a_crash_kept_back(s):
    """Publishing is three single-slot steps (sw_bulletin_commit): the public index, the
    document, then the drafts' index and the event. A crash after the first leaves a draft in
    the public index, which no listing shows; a crash after the second leaves the bulletin out
    without its event, which the request sent again publishes, once."""
    _, tri = staff(s, "zqbulcrash")
    d = s.post("/api/v1/bulletins", {"title": "Notice zqcrash", "text": "Body.",
                                     "country": "NZ", "severity": "low", "status": "draft"},
               token=tri).json()
    bid, eid = d["id"], f"bulletin:{d['id']}"
    s.redis("ZADD", "sw:idx:bulletins", bid, bid)
    assert bid not in [b["id"] for b in s.get("/api/v1/bulletins?limit=200").json()["items"]]

    def entries():
        return [(entry, f) for entry, f in s.stream_entries("events") if f["id"] == eid]
    r = s.post(f"/api/v1/bulletins/{bid}/publish", None, token=tri)
    assert r.status == 200 and r.json()["status"] == "published", r
    assert bid in [b["id"] for b in s.get("/api/v1/bulletins?limit=200").json()["items"]]
    assert len(entries()) == 1
    for entry, _ in entries():   # as if the API died before step 3
        s.redis("XDEL", s.stream_key("events", eid), entry)
    s.redis("DEL", s.event_seen_key(eid))
    assert entries() == []
    for _ in range(2):
        r = s.post(f"/api/v1/bulletins/{bid}/publish", None, token=tri)
        assert r.status == 200 and r.json()["version"] == 1, r
    assert [json.loads(f["event"])["change"] for _, f in entries()] == ["publish"]
