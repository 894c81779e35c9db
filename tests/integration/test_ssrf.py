"""URLs that try to reach inside the network in disguise (hardening item 10), for feeds and
webhooks alike: refused at entry with a 400 naming /url, and — for a URL stored before a rule
existed — refused again by the poller and the notifier before they connect, so the server
behind it sees nothing. The test stack allows 127.0.0.1/32 so that its own feed server and
webhook receiver can be reached; none of these may use that allowance to get through.
(Names that resolve inside the network are refused when the connection is made: see
test_poller's and test_delivery's "refused_at_connect" tests.)"""
import json

from feedserver import Server
from harness import pointers, problem, wait_until
from hookserver import Receiver

SERVER = None


def server():
    global SERVER
    if SERVER is None:
        SERVER = Server()
    return SERVER


def hostile(port, path):
    """(URL, what the refusal says) for each disguise; port and path those of a real server on
    127.0.0.1, so that any of them getting through would be seen."""
    return [
        (f"http://LOCALHOST.:{port}{path}", "names this machine (localhost)"),
        (f"http://localhost.:{port}{path}", "names this machine (localhost)"),
        (f"http://localhost:{port}{path}", "names this machine (localhost)"),
        (f"http://hooks.localhost:{port}{path}", "names this machine (localhost)"),
        (f"http://%31%32%37.0.0.1:{port}{path}", "is percent-encoded"),
        (f"http://127.0.0.%31:{port}{path}", "is percent-encoded"),
        (f"http://%6c%6f%63%61%6c%68%6f%73%74:{port}{path}", "is percent-encoded"),
        (f"http://127.0.0.1.:{port}{path}", "ends in a dot"),
        (f"http://0x7f.1:{port}{path}", "reads as 127.0.0.1"),
        (f"http://2130706433:{port}{path}", "reads as 127.0.0.1"),
        (f"http://127.1:{port}{path}", "reads as 127.0.0.1"),
        (f"http://0177.0.0.1:{port}{path}", "reads as 127.0.0.1"),
        (f"http://[::ffff:127.0.0.1]:{port}{path}", "(loopback address)"),
        (f"http://[::127.0.0.1]:{port}{path}", "(loopback address)"),
        (f"http://[64:ff9b::7f00:1]:{port}{path}", "(loopback address)"),
        (f"http://[2002:7f00:1::]:{port}{path}", "(6to4 address)"),
        (f"http://[2002:808:808::1]:{port}{path}", "(6to4 address)"),
        (f"http://[64:ff9b:1::7f00:1]:{port}{path}", "(NAT64 local-use address)"),
        (f"http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]:{port}{path}", "(Teredo address)"),
        (f"http://127.0.0.2:{port}{path}", "(loopback address)"),
        (f"http://[::1]:{port}{path}", "(loopback address)"),
        (f"http://[fe80::1%25lo]:{port}{path}", "zone identifier"),
        ("http://169.254.169.254/latest/meta-data/", "(link-local (cloud metadata) address)"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "(unique local (cloud metadata) address)"),
        ("http://100.100.100.200/latest/meta-data/", "(shared (CGNAT) address)"),
        (f"http://user@127.0.0.1:{port}{path}", "credentials"),
    ]


def refused(r, needle, url):
    p = problem(r, 400, "validation")
    assert pointers(p) == ["/url"], (url, p)
    assert needle in p["errors"][0]["message"], (url, p)


def test_webhook_urls_in_disguise_refused_at_entry(s):
    rec = Receiver().start()
    try:
        _, tok = s.tenant("Disguise Probe Ltd")
        for url, needle in hostile(rec.port, "/ok/disguised"):
            refused(s.post("/api/v1/webhooks", {"url": url}, token=tok), needle, url)
        assert s.get("/api/v1/webhooks", token=tok).json()["items"] == []
        # The allowance admits exactly 127.0.0.1 written plainly; changing to a disguise is
        # refused like creating one, and the stored URL stays as it was.
        good = rec.url("ok", "disguised")
        r = s.post("/api/v1/webhooks", {"url": good}, token=tok)
        assert r.status == 201, r
        wid = r.json()["id"]
        for url, needle in hostile(rec.port, "/ok/disguised"):
            refused(s.request("PATCH", f"/api/v1/webhooks/{wid}", body={"url": url}, token=tok),
                    needle, url)
        assert s.get(f"/api/v1/webhooks/{wid}", token=tok).json()["url"] == good
    finally:
        rec.stop()


def test_feed_urls_in_disguise_refused_at_entry(s):
    seq = s.redis("GET", "sw:seq:feed")
    for url, needle in hostile(server().port, "/ok"):
        refused(s.post("/api/v1/feeds", {"url": url, "interval_s": 3600}, token=s.admin),
                needle, url)
    assert s.redis("GET", "sw:seq:feed") == seq     # not one was registered
    r = s.post("/api/v1/feeds", {"url": server().url("/ok"), "interval_s": 3600,
                                 "enabled": False}, token=s.admin)
    assert r.status == 201, r
    fid = r.json()["id"]
    for url, needle in hostile(server().port, "/ok"):
        refused(s.request("PATCH", f"/api/v1/feeds/{fid}", body={"url": url}, token=s.admin),
                needle, url)
    assert s.get(f"/api/v1/feeds/{fid}", token=s.admin).json()["url"] == server().url("/ok")


def test_feed_stored_in_disguise_refused_before_connecting(s):
    """Feeds registered before the rules (written into the store as they were then): the
    poller checks the URL before every poll, records the refusal like any failed poll, and the
    server behind the disguise sees nothing."""
    port = server().port
    for i, (url, needle) in enumerate([
            (f"http://%31%32%37.0.0.1:{port}/stored-0", "is percent-encoded"),
            (f"http://LOCALHOST.:{port}/stored-1", "names this machine (localhost)"),
            (f"http://2130706433:{port}/stored-2", "reads as 127.0.0.1"),
            (f"http://[::ffff:127.0.0.1]:{port}/stored-3", "(loopback address)")]):
        r = s.post("/api/v1/feeds", {"url": server().url(f"/stored-{i}"), "interval_s": 3600,
                                     "enabled": False}, token=s.admin)
        assert r.status == 201, r
        fid = r.json()["id"]
        doc = json.loads(s.redis("GET", f"sw:feed:{fid}"))
        doc.update(url=url, enabled=True)
        s.redis("SET", f"sw:feed:{fid}", json.dumps(doc))
        assert s.post(f"/api/v1/feeds/{fid}/poll", None, token=s.admin).status == 202
        f = wait_until(f"feed {fid} to fail", lambda: (lambda f: f if f["status"].get(
            "consecutive_failures", 0) >= 1 else None)(
            s.get(f"/api/v1/feeds/{fid}", token=s.admin).json()))
        st = f["status"]
        assert st["last_error"].startswith("refused the URL: ") and needle in st["last_error"], st
        assert server().count(f"/stored-{i}") == 0


def test_webhook_stored_in_disguise_refused_before_connecting(s):
    """The same for webhooks: the percent-encoded form, which the demo's allowance let through
    before, and the trailing-dot localhost, each written into the store as a webhook made
    before the rules; the notifier refuses each attempt and the receiver gets nothing."""
    rec = Receiver().start()
    try:
        sub, tok = s.tenant("Stored Disguise Ltd")
        key = "sw:{sub:%d}:webhooks" % sub["id"]
        want = {}
        for name, host, needle in (("pct", "%31%32%37.0.0.1", "is percent-encoded"),
                                   ("dot", "LOCALHOST.", "names this machine (localhost)")):
            r = s.post("/api/v1/webhooks", {"url": rec.url("ok", name)}, token=tok)
            assert r.status == 201, r
            wid = str(r.json()["id"])
            doc = json.loads(s.redis("HGET", key, wid))
            doc["url"] = rec.url("ok", name).replace("127.0.0.1", host)
            s.redis("HSET", key, wid, json.dumps(doc))
            want[doc["url"]] = needle
        s.make_alerts(sub, tok, 1, "storeddisguise")
        done = wait_until("both deliveries finished", lambda: (lambda d: d if len(d) == 2 and all(
            x["status"] != "pending" for x in d) else None)(
            s.get("/api/v1/deliveries?limit=10", token=tok).json()["items"]))
        for d in done:
            assert d["status"] in ("exhausted", "cancelled"), d
            one = s.get(f"/api/v1/deliveries/{d['id']}", token=tok).json()
            tried = [a for a in one["attempt_log"] if a["outcome"] != "cancelled"]
            assert tried, one
            for a in tried:
                assert a["url"] == d["url"] and a["error"].startswith("refused the URL: "), a
                assert want[d["url"]] in a["error"], a
        assert sorted(d["url"] for d in done) == sorted(want)
        assert rec.for_name("pct") == [] and rec.for_name("dot") == []
    finally:
        rec.stop()
