"""The register through the real stack: real trademark samples served by nginx and polled
become one record per (office, number) with status, dates and history; litigation events
make party records with their cases; following a mark or a docket brings a "followed" alert
in the follower's language; frequent plaintiffs are flagged on litigation alerts."""
import json
import os
import shutil
import signal
import subprocess

import tmgen
from harness import pointers, problem, wait_until

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "feeds")


def serve(s, rel, name):
    shutil.copy(os.path.join(SHARED, rel), os.path.join(s.dir, "feeds", name))
    r = s.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{s.port}/feeds/{name}",
                                 "interval_s": 3600}, token=s.admin)
    assert r.status == 201, r


def push(s, ev):
    return s.add_event(ev)


def mark(s, tok, office, number, pred=lambda m: True, what=None):
    def get():
        r = s.get(f"/api/v1/register/marks/{office}/{number}", token=tok)
        return r.json() if r.status == 200 and pred(r.json()) else None
    return wait_until(what or f"the register's {office} {number}", get, timeout=20)


def changes(s):
    """Every entry of the register's changes stream, all its shards (sw:{reg:changes:N})."""
    out = []
    for key in s.redis("KEYS", "sw:{reg:changes:*}"):
        for _, fields in s.redis("XRANGE", key, "-", "+"):
            out.append(dict(zip(fields[::2], fields[1::2])))
    return out


def test_real_samples_make_mark_records(s):
    _, tok = s.tenant("Register Reader Ltd")
    serve(s, "uspto-trademark-daily/daily-na-98763166.xml", "reg-daily.xml")
    serve(s, "uspto-trademark-daily/annual-2025-full-tx-60146682.xml", "reg-annual.xml")
    serve(s, "uspto-tsdr-st66-st96/sn76044902-ST66.xml", "reg-st66.xml")
    serve(s, "uspto-tsdr-st66-st96/sn76044902-ST96.xml", "reg-st96.xml")
    for n in ("018222211", "018222474", "018222714", "018226743"):
        serve(s, f"euipo-tm-xml/{n}.xml", f"reg-{n}.xml")

    m = mark(s, tok, "US", "98763166")
    assert m["office"] == "US" and m["number"] == "98763166" and m["mark"] == "SUVENEER", m
    assert m["status"] == "pending" and m["status_text"] == "630", m
    assert m["owners"] == [{"name": "Nguyen Quang Huy", "country": "VN"}], m
    assert m["classes"] == [16] and m["goods"].startswith("Stickers"), m
    assert m["dates"] == {"filed": "2024-09-24"}, m   # not published or registered yet
    assert isinstance(m["rid"], int) and m["rid"] > 0, m
    assert [h["event"] for h in m["history"]] and len(m["history"]) == 1, m
    assert m["url"].startswith("https://tsdr.uspto.gov/"), m

    old = mark(s, tok, "US", "60146682")
    assert old["status"] == "dead" and old["mark"] == "MACHINE-PISTOL", old
    assert old["dates"] == {"filed": "1920-09-25", "registered": "1921-09-20"}, old

    # ST.66 (status 702, 2010) and ST.96 (800, 2014) of one registration: one record, both
    # in its history, the later one deciding the status.
    py = mark(s, tok, "US", "76044902", lambda x: len(x["history"]) == 2, "both PYTHON events")
    assert py["status"] == "live" and py["status_text"] == "800", py
    assert [h["date"] for h in py["history"]] == ["2010-09-08", "2014-02-10"], py
    assert all(h["source"].startswith("feed:") for h in py["history"]), py
    assert py["dates"] == {"filed": "2000-05-09", "published": "2003-12-30",
                           "registered": "2004-03-23"}, py   # no expiry in either record
    assert py["classes"] == [9, 42], py

    assert mark(s, tok, "EM", "018222211")["status"] == "pending"        # published
    assert mark(s, tok, "EM", "018222474")["status"] == "pending"        # under examination
    assert mark(s, tok, "EM", "018222714")["status"] == "dead"           # refused
    ap = mark(s, tok, "EM", "018226743")
    assert ap["status"] == "pending" and ap["status_text"] == "Appeal pending", ap
    assert ap["owners"] == [], ap   # EUIPO names its applicants by identifier only

    # Every record is in its office's set and in the changes stream, rids unique.
    assert "98763166" in s.redis("SMEMBERS", "sw:{reg:US}:tms")
    assert {"US", "EM"} <= set(s.redis("SMEMBERS", "sw:{reg}:offices"))
    ch = changes(s)
    mine = [c for c in ch if c["number"] == "98763166"]
    assert mine and mine[0]["office"] == "US" and int(mine[0]["rid"]) == m["rid"], mine
    rids = {(c["office"], c["number"]): c["rid"] for c in ch}
    assert len(set(rids.values())) == len(rids), rids

    # The owners are parties owning their marks; the writer says it is alive.
    psf = party_named(s, "PYTHON SOFTWARE FOUNDATION")
    r = s.get(f"/api/v1/parties/{psf['id']}", token=tok)
    assert r.status == 200, r
    assert {"office": "US", "number": "76044902", "mark": "PYTHON", "status": "live"} in \
        r.json()["marks"], r.json()
    assert r.json()["cases"] == [] and r.json()["frequent"] is False, r.json()
    assert s.redis("KEYS", "sw:{reg}:alive:*"), "no register heartbeat"

    # The same event again changes nothing: no second history entry, no new change.
    ev = {"id": m["history"][0]["event"], "source": "uspto-tm", "type": "trademark_filing",
          "jurisdiction": "US", "title": "again", "date": "2024-09-24",
          "numbers": {"serial": "98763166", "status": "630"}, "marks": ["SUVENEER"]}
    before = len(changes(s))
    entry = push(s, ev)
    wait_until("the register to read the repeated event", lambda: registered_up_to(s, entry))
    assert len(mark(s, tok, "US", "98763166")["history"]) == 1
    assert len(changes(s)) == before

    # A writer that stopped between storing a record and announcing its change left the
    # record's marker: the same event read again announces the change, and the marker goes.
    mine = [c for c in changes(s) if c["number"] == "98763166"]
    s.redis("HSET", "sw:{reg:US}:unannounced", "98763166",
            json.dumps({"created": True, "status": "", "text": ""}))
    entry = push(s, ev)
    wait_until("the register to read the event once more", lambda: registered_up_to(s, entry))
    again = [c for c in changes(s) if c["number"] == "98763166"]
    assert len(again) == len(mine) + 1 and again[-1]["rid"] == str(m["rid"]), again
    assert s.redis("HGET", "sw:{reg:US}:unannounced", "98763166") is None
    assert len(mark(s, tok, "US", "98763166")["history"]) == 1


def party_named(s, name, cases=0):
    """The register's party known by that name (its doc) once it has at least cases cases.
    The doc keeps the spelling met first, which depends on the order the register read the
    events in (several shards); every spelling is in the party's names."""
    def find():
        for k in s.redis("KEYS", "sw:{pty:*}:doc"):
            d = json.loads(s.redis("GET", k))
            spellings = {d["name"].lower()} | \
                {n.lower() for n in s.redis("SMEMBERS", k.replace(":doc", ":names"))}
            if name.lower() in spellings and \
                    int(s.redis("HLEN", k.replace(":doc", ":cases"))) >= cases:
                return d
        return None
    return wait_until(f"the party {name}", find)


def registered_up_to(s, entry_id):
    """The register has read and acknowledged everything in every shard of the events stream
    (entry_id, an entry added before, among it)."""
    return s.stream_settled("events", "registers")


def test_mark_route_refusals(s):
    _, tok = s.tenant("Register Refusals Ltd")
    p = problem(s.get("/api/v1/register/marks/us/98763166", token=tok), 400)
    assert [e["parameter"] for e in p["errors"]] == ["office"], p
    p = problem(s.get("/api/v1/register/marks/QQ/98763166", token=tok), 400)
    assert [e["parameter"] for e in p["errors"]] == ["office"], p
    p = problem(s.get("/api/v1/register/marks/US/9876-3166", token=tok), 400)
    assert [e["parameter"] for e in p["errors"]] == ["number"], p
    p = problem(s.get("/api/v1/register/marks/US/" + "9" * 40, token=tok), 400)
    assert [e["parameter"] for e in p["errors"]] == ["number"], p
    p = problem(s.get("/api/v1/register/marks/US/11111111", token=tok), 404, "not-found")
    assert "US 11111111" in p["detail"], p
    problem(s.get("/api/v1/register/marks/US/98763166"), 401)


def lit(i, plaintiff, defendant, court="nysd", docket=None, counsel=None, date="2026-03-0"):
    p = {"name": plaintiff, "role": "plaintiff"}
    if counsel:
        p["counsel"] = counsel
    return {"id": f"ev_reg_lit_{i}", "source": "test", "type": "litigation",
            "jurisdiction": "US", "title": f"{plaintiff} v. {defendant}",
            "case_name": f"{plaintiff} v. {defendant}", "date": f"{date}{i % 9 + 1}",
            "url": f"https://courts.example/{i}",
            "numbers": {"court": court, "docket": docket or f"1:26-cv-0{i:04d}"},
            "parties": [p, {"name": defendant, "role": "defendant"}]}


def test_frequent_plaintiff_party_and_alert_flag(s):
    sub, tok = s.tenant("Quiet Exporter Co")
    r = s.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
               {"kind": "name", "text": "Zephyrine Lamp Works Ltd"}, token=tok)
    assert r.status == 201, r
    # Three earlier suits by the same plaintiff (written two ways), one naming counsel.
    push(s, lit(1, "Trollbridge Holdings LLC", "Alpha Goods Ltd", counsel="Hale & Pike LLP"))
    push(s, lit(2, "TROLLBRIDGE HOLDINGS, LLC", "Beta Trading Co", court="cacd",
                date="2025-06-1"))
    push(s, lit(3, "Trollbridge Holdings LLC", "Gamma Imports Inc"))
    push(s, {"id": "ev_reg_seiz_1", "source": "test", "type": "customs_seizure",
             "jurisdiction": "DE", "title": "Held at Hamburg", "date": "2026-04-02",
             "parties": [{"name": "Trollbridge Holdings LLC", "role": "complainant"}]})
    # The party's id (the alert below carries it too).
    d = party_named(s, "Trollbridge Holdings LLC", cases=4)
    r = s.get(f"/api/v1/parties/{d['id']}", token=tok)
    assert r.status == 200, r
    p = r.json()
    assert p["id"] == d["id"] and p["cases_total"] == 4 and p["as_plaintiff"] == 4, p
    assert p["frequent"] is True, p
    assert set(p["names"]) == {"Trollbridge Holdings LLC", "TROLLBRIDGE HOLDINGS, LLC"}, p
    assert p["cases_by_year"] == {"2026": 3, "2025": 1}, p
    assert set(p["courts"]) == {"nysd", "cacd"} and p["counsel"] == ["Hale & Pike LLP"], p
    assert [c["date"] for c in p["cases"]] == sorted((c["date"] for c in p["cases"]),
                                                     reverse=True), p
    one = [c for c in p["cases"] if c.get("docket") == "1:26-cv-00001"][0]
    assert one["role"] == "plaintiff" and one["court"] == "nysd", one
    assert one["title"] == "Trollbridge Holdings LLC v. Alpha Goods Ltd", one
    assert one["url"] == "https://courts.example/1", one
    problem(s.get("/api/v1/parties/999999999", token=tok), 404)

    # A fourth suit names the exporter: its alert flags the frequent plaintiff.
    push(s, lit(4, "Trollbridge Holdings LLC", "Zephyrine Lamp Works Ltd"))
    a = wait_until("the defendant's alert", lambda: [
        x for x in s.get("/api/v1/alerts?limit=50", token=tok).json()["items"]
        if x["event_id"] == "ev_reg_lit_4"])[0]
    fp = a.get("frequent_plaintiff")
    assert fp and fp["id"] == d["id"] and fp["cases"] >= 4, a
    assert fp["name"].lower().startswith("trollbridge"), fp


def test_party_index_entry_without_its_doc(s):
    """A writer that stopped between a new party's name-key entry and its doc left an entry
    naming no party: readers skip it (no owner summary, 404), and the next event naming the
    party writes the missing doc under the same id."""
    _, tok = s.tenant("Dangling Reader Ltd")
    push(s, lit(7101, "Quillmoor Fasteners GmbH", "Someone Ltd", docket="1:26-cv-07101"))
    d = party_named(s, "Quillmoor Fasteners GmbH", cases=1)
    s.redis("DEL", f"sw:{{pty:{d['id']}}}:doc")
    problem(s.get(f"/api/v1/parties/{d['id']}", token=tok), 404)
    push(s, lit(7102, "Quillmoor Fasteners GmbH", "Another Ltd", docket="1:26-cv-07102"))
    again = party_named(s, "Quillmoor Fasteners GmbH", cases=2)
    assert again["id"] == d["id"] and again["name"] == "Quillmoor Fasteners GmbH", again
    r = s.get(f"/api/v1/parties/{d['id']}", token=tok)
    assert r.status == 200 and r.json()["cases_total"] == 2, r


def test_follow_mark_and_docket(s):
    sub, tok = s.tenant("Follower Exporter Ltd")
    # A mark the register does not hold yet may be followed; its record is null until then.
    r = s.post("/api/v1/follows", {"kind": "mark", "office": "US", "number": "97000111"},
               token=tok)
    assert r.status == 201, r
    f = r.json()
    assert f["kind"] == "mark" and f["record"] is None and r.header("Location") == \
        f"/api/v1/follows/{f['id']}", f
    # Following twice gives the follow there is.
    r = s.post("/api/v1/follows", {"kind": "mark", "office": "US", "number": "97000111"},
               token=tok)
    assert r.status == 200 and r.json()["id"] == f["id"], r
    # ... and the mark's followers name that follow alone (the second try's id is taken out)
    assert s.redis("SMEMBERS", "sw:{flw}:t:mark:US:97000111") == [f"{sub['id']}:{f['id']}"]
    r = s.post("/api/v1/follows", {"kind": "docket", "court": "NYSD",
                                   "docket": "1:26-cv-09999"}, token=tok)
    assert r.status == 201, r
    fd = r.json()

    push(s, {"id": "ev_reg_f1", "source": "test", "type": "trademark_filing",
             "jurisdiction": "US", "title": "US trademark application 97000111: GLIMMERO",
             "date": "2026-05-01", "numbers": {"serial": "97000111",
                                               "status": "New application"},
             "marks": ["GLIMMERO"], "parties": [{"name": "Rival Lights Inc", "role":
                                                  "applicant", "country": "US"}],
             "classes": {"nice": [11]}})
    mark(s, tok, "US", "97000111")
    push(s, {"id": "ev_reg_f2", "source": "test", "type": "trademark_status",
             "jurisdiction": "US", "title": "US trademark 97000111: GLIMMERO (opposed)",
             "date": "2026-09-01", "numbers": {"serial": "97000111",
                                               "status": "Opposition pending"},
             "marks": ["GLIMMERO"]})
    push(s, lit(9999, "Rival Lights Inc", "Someone Else Ltd", court="nysd",
                docket="1:26-cv-09999"))

    def followed():
        got = [a for a in s.get("/api/v1/alerts?type=followed&limit=50", token=tok,
                                headers={"Accept-Language": "zh-CN"}).json()["items"]]
        return got if len(got) >= 3 else None
    got = wait_until("three followed alerts", followed)
    by = {a["event"]["id"]: a for a in got}
    opposed = by[f"followed:{f['id']}:ev_reg_f2"]
    assert opposed["rule"] == "followed" and opposed["event"]["status"] == "opposed", opposed
    assert opposed["event"]["old_status"] == "pending", opposed
    assert "GLIMMERO" in opposed["title"] and "异议" in opposed["title"], opposed["title"]
    created = by[f"followed:{f['id']}:ev_reg_f1"]
    assert created["event"]["status"] == "pending", created
    dk = by[f"followed:{fd['id']}:ev_reg_lit_9999"]
    assert dk["event"]["kind"] == "docket" and "1:26-cv-09999" in dk["title"], dk
    en = s.get(f"/api/v1/alerts/{opposed['id']}", token=tok,
               headers={"Accept-Language": "en"}).json()
    assert en["title"].startswith("Followed trademark US 97000111"), en["title"]

    lst = s.get("/api/v1/follows", token=tok).json()["items"]
    assert [x["id"] for x in lst] == [fd["id"], f["id"]], lst
    assert lst[1]["record"]["status"] == "opposed", lst

    # Ended: no more alerts from it; a second delete is 404.
    r = s.request("DELETE", f"/api/v1/follows/{f['id']}", token=tok)
    assert r.status == 204, r
    problem(s.request("DELETE", f"/api/v1/follows/{f['id']}", token=tok), 404)
    problem(s.get(f"/api/v1/follows/{f['id']}", token=tok), 404)
    assert [x["id"] for x in s.get("/api/v1/follows", token=tok).json()["items"]] == [fd["id"]]


def test_follow_refusals_and_limit(s):
    _, tok = s.tenant("Follow Limits Ltd")
    _, other = s.tenant("Other Follower Ltd")
    p = problem(s.post("/api/v1/follows", {"kind": "mark", "office": "US"}, token=tok), 400)
    assert pointers(p) == ["/number"], p
    p = problem(s.post("/api/v1/follows", {"kind": "mark", "office": "XX", "number": "1",
                                           "colour": "red"}, token=tok), 400)
    assert set(pointers(p)) == {"/colour"}, p
    p = problem(s.post("/api/v1/follows", {"kind": "mark", "office": "XX", "number": "1"},
                       token=tok), 400)
    assert pointers(p) == ["/office"], p
    p = problem(s.post("/api/v1/follows", {"kind": "patent", "number": "1"}, token=tok), 400)
    assert pointers(p) == ["/kind"], p
    p = problem(s.post("/api/v1/follows", {"kind": "docket", "docket": "  "}, token=tok), 400)
    assert pointers(p) == ["/docket"], p
    p = problem(s.post("/api/v1/follows", {"kind": "docket", "docket": "1:2",
                                           "office": "US"}, token=tok), 400)
    assert pointers(p) == ["/office"], p
    for i in range(5):   # the test stack allows five
        r = s.post("/api/v1/follows", {"kind": "mark", "office": "EM",
                                       "number": f"01800000{i}"}, token=tok)
        assert r.status == 201, r
    p = problem(s.post("/api/v1/follows", {"kind": "mark", "office": "EM",
                                           "number": "018000009"}, token=tok), 409,
                "follows-full")
    assert "5" in p["detail"], p
    assert s.redis("SMEMBERS", "sw:{flw}:t:mark:EM:018000009") == []   # refused: no entry
    # Following one already followed is still answered at the limit.
    r = s.post("/api/v1/follows", {"kind": "mark", "office": "EM", "number": "018000000"},
               token=tok)
    assert r.status == 200, r
    # Another company sees none of them.
    fid = r.json()["id"]
    assert s.get("/api/v1/follows", token=other).json()["items"] == []
    problem(s.get(f"/api/v1/follows/{fid}", token=other), 404)
    problem(s.request("DELETE", f"/api/v1/follows/{fid}", token=other), 404)
    problem(s.get("/api/v1/follows", token=s.admin), 403)


def import_keys(s, path):
    """The checkpoint of the import of path, as a dict (or None)."""
    for k in s.redis("KEYS", "sw:{reg}:import:*"):
        h = s.redis("HGETALL", k)
        d = dict(zip(h[::2], h[1::2]))
        if d.get("path") == path:
            return d
    return None


def test_import_a_sample_then_again(s):
    path = os.path.join(SHARED, "uspto-trademark-daily", "annual-2025-full-tx-60146682.xml")
    out = json.loads(s.cli("register", "import", path, "--format", "uspto-tm"))
    assert out["records"] == 1 and out["complete"] is True and out["format"] == "uspto-tm", out
    rec = json.loads(s.redis("GET", "sw:{reg:US}:tm:60146682"))
    assert rec["status"] == "dead" and rec["mark"] == "MACHINE-PISTOL", rec
    p = s.cli("register", "import", path, check=False)
    assert p.returncode == 0 and "an earlier import of this file ended after 1" in p.stderr, p
    again = json.loads(p.stdout)
    assert again["marks_changed"] == 0, again   # the same events: nothing new
    assert json.loads(s.redis("GET", "sw:{reg:US}:tm:60146682"))["rid"] == rec["rid"]
    # On a terminal: a bar redrawn in place, ending at 100%.
    master, slave = os.openpty()
    env = dict(os.environ)
    env.update(s.env_for_programs())
    p = subprocess.run([os.path.join(s.build, "bin", "seawall"), "--config",
                        os.path.join(s.dir, "seawall.conf"), "register", "import", path],
                       stdout=subprocess.PIPE, stderr=slave, env=env, timeout=30)
    os.close(slave)
    bar = os.read(master, 65536).decode()
    os.close(master)
    assert p.returncode == 0 and "\r[###" in bar and "100%" in bar, bar
    assert "1 records" in bar and "records/s" in bar, bar
    # Refusals: a format that is no register back-file, a file that is not there.
    p = s.cli("register", "import", path, "--format", "rss", check=False)
    assert p.returncode == 1 and "uspto-tm, euipo, st66, st96 or auto" in p.stderr, p
    p = s.cli("register", "import", path + ".missing", check=False)
    assert p.returncode == 1 and "No such file" in p.stderr, p
    p = s.cli("register", "export", path, check=False)
    assert p.returncode == 1 and "import FILE" in p.stderr, p


def test_import_killed_half_way_resumes(s):
    n = 12000
    path = os.path.join(s.dir, "backfile.xml")
    tmgen.write(path, n)
    env = dict(os.environ)
    env.update(s.env_for_programs())
    cmd = [os.path.join(s.build, "bin", "seawall"), "--config",
           os.path.join(s.dir, "seawall.conf"), "register", "import", path]
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        cp = wait_until("the import's first checkpoints", lambda: (
            lambda d: d if d and int(d["done"]) >= 512 else None)(import_keys(s, path)),
            timeout=30)
        assert p.poll() is None, "the import ended before it could be stopped"
        p.send_signal(signal.SIGKILL)
    finally:
        p.wait(timeout=30)
        p.stdout.close()
        p.stderr.close()
    cp = import_keys(s, path)
    done = int(cp["done"])
    assert 512 <= done < n and cp["finished"] == "0", cp
    # What the checkpoint counts is stored.
    last = 80000000 + done - 1
    assert s.redis("EXISTS", f"sw:{{reg:US}}:tm:{last}") == 1

    r = s.cli("register", "import", path, "--resume", check=False)
    assert r.returncode == 0, r
    out = json.loads(r.stdout)
    assert out["records"] == n and out["skipped"] == done and out["complete"], out
    assert out["written"] == n - done, out
    assert f"{n} records" in r.stderr.splitlines()[-1], r.stderr   # plain lines, no tty
    cp = import_keys(s, path)
    assert cp["done"] == str(n) and cp["finished"] == "1", cp
    present = s.redis_many([("SISMEMBER", "sw:{reg:US}:tms", str(80000000 + i))
                            for i in range(n)])
    assert present.count(1) == n
    # Each record once: one history entry, statuses as the codes say.
    for i in (0, done - 1, done, n - 1):
        rec = json.loads(s.redis("GET", f"sw:{{reg:US}}:tm:{80000000 + i}"))
        assert len(rec["history"]) == 1 and rec["mark"] == f"GENMARK{i}", rec
        assert rec["status"] == ("pending", "pending", "live", "dead")[i % 4], rec
