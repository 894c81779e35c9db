"""What the public portal reads from the API and how nginx serves the portal: the bulletins as
an Atom feed (read back by Python's XML parser and by Seawall's own feed parser), public
source coverage that never shows a URL or the stored error, fairs naming their station, and
the portal's files with their security headers, compression and caching."""
import json
import os
import subprocess
import xml.etree.ElementTree as ET

from harness import problem, wait_until

ATOM = "{http://www.w3.org/2005/Atom}"
PHRASES = {"the document was too large", "the document could not be read",
           "the events could not be stored", "a redirect could not be followed",
           "the source's address is not allowed", "the source did not answer in time",
           "the source's host name could not be resolved", "a secure connection could not be made",
           "the source could not be reached", "the source says the feed no longer exists",
           "the source asked to be polled later", "the source answered with an error",
           "the poll failed"}
CSP = ("default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'self'")


def triager(s, tag):
    centre = s.make("/api/v1/centres", {"name": f"{tag} Centre", "country": "CN"})
    tri = s.make(f"/api/v1/centres/{centre['id']}/staff",
                 {"name": f"{tag} Triager", "email": f"{tag}@centre.example", "role": "triager"})
    return s.token_for("triager", tri["id"])


def test_bulletins_atom_feed(s):
    tok = triager(s, "atom")
    hostile = {"title": "zqatom <b>Schedule A</b> & \"friends\" \u0001", "country": "MX",
               "severity": "critical", "keywords": ["zqatom"],
               "url": "https://example.org/notice?a=1&b=2",
               "text": "Line one ]]> <script>alert(1)</script>\n\n预警：请核查。"}
    r = s.post("/api/v1/bulletins", hostile, token=tok)
    problem(r, 400)      # a control character is refused at entry (as in every body) …
    hostile["title"] = "zqatom <b>Schedule A</b> & \"friends\""
    first = s.post("/api/v1/bulletins", hostile, token=tok)
    assert first.status == 201, first
    second = s.post("/api/v1/bulletins", {"title": "zqatom second", "country": "MX",
                                          "severity": "low", "url": "javascript:alert(1)",
                                          "text": "plain"}, token=tok)
    assert second.status == 201, second
    r = s.get("/api/v1/bulletins.atom?country=MX")          # public: no token
    assert r.status == 200, r
    assert r.header("Content-Type").startswith("application/atom+xml"), r.headers
    root = ET.fromstring(r.body.encode())
    assert root.tag == f"{ATOM}feed"
    base = s.env["SEAWALL_NOTIFIER_PUBLIC_URL"].rstrip("/")
    self_link = [l for l in root.findall(f"{ATOM}link") if l.get("rel") == "self"][0]
    assert self_link.get("href") == f"{base}/api/v1/bulletins.atom?country=MX"
    assert root.find(f"{ATOM}id").text == self_link.get("href")
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"urn:seawall:bulletin:{second.json()['id']}", f"urn:seawall:bulletin:{first.json()['id']}"]
    # The feed is as new as its newest entry; every entry has its times.
    assert root.find(f"{ATOM}updated").text == second.json()["published_at"]
    e = entries[1]
    assert e.find(f"{ATOM}title").text == hostile["title"]        # markup stays text
    assert e.find(f"{ATOM}content").text == hostile["text"]
    assert e.find(f"{ATOM}published").text == first.json()["published_at"]
    links = {l.get("rel"): l.get("href") for l in e.findall(f"{ATOM}link")}
    assert links == {"alternate": f"{base}/bulletins/{first.json()['id']}",
                     "related": "https://example.org/notice?a=1&b=2"}
    terms = {c.get("scheme"): c.get("term") for c in e.findall(f"{ATOM}category")}
    assert terms == {"urn:seawall:severity": "critical", "urn:iso:std:iso:3166": "MX"}
    # A javascript: URL is never offered as a link.
    assert "javascript:" not in r.body
    assert {l.get("rel") for l in entries[0].findall(f"{ATOM}link")} == {"alternate"}
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Seawall"
    # Seawall's own feed parser reads it as any Atom feed: one event per bulletin.
    p = subprocess.run([os.path.join(s.build, "bin", "seawall"), "feed", "parse", "--format",
                        "auto", "-"], input=r.body.encode(), capture_output=True, timeout=30)
    assert p.returncode == 0, p.stderr
    events = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert [ev["url"] for ev in events] == [links["alternate"].rsplit("/", 1)[0] +
                                            f"/{b.json()['id']}" for b in (second, first)]
    assert [ev["numbers"]["guid"] for ev in events] == [en.find(f"{ATOM}id").text
                                                         for en in entries]
    # Filters are the list's: a severity nobody used gives a valid, empty feed.
    r = s.get("/api/v1/bulletins.atom?country=MX&severity=medium")
    root = ET.fromstring(r.body.encode())
    assert r.status == 200 and root.findall(f"{ATOM}entry") == []
    assert root.find(f"{ATOM}updated").text
    # Compressed on the way out when the reader asks.
    r = s.get("/api/v1/bulletins.atom?country=MX", headers={"Accept-Encoding": "gzip"})
    assert r.header("Content-Encoding") == "gzip", r.headers
    p = problem(s.get("/api/v1/bulletins.atom?cursor=5"), 400, "validation")
    assert [e["parameter"] for e in p["errors"]] == ["cursor"], p


def test_coverage_is_public_and_names_no_url(s):
    secret = "zqcoverage-secret-token"
    base = f"http://127.0.0.1:{s.port}/feeds"
    # The file is in place, whole, before the feed that names it is registered (and polled at
    # once): written after, a poll could meet it missing or half written.
    with open(os.path.join(os.path.dirname(__file__), "..", "..", "demo", "feeds",
                           "customs-notices.json"), "rb") as f:
        data = f.read()
    path = os.path.join(s.dir, "feeds", "customs-zqcov.json")
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)
    good = s.make("/api/v1/feeds", {"url": f"{base}/customs-zqcov.json?key={secret}",
                                    "format": "json", "name": "zqcov works", "interval_s": 3600})
    bad = s.make("/api/v1/feeds", {"url": f"{base}/zqcov-missing.xml?key={secret}",
                                   "format": "rss", "name": "zqcov fails", "interval_s": 3600})
    paused = s.make("/api/v1/feeds", {"url": f"{base}/zqcov-paused.xml", "name": "zqcov paused",
                                      "enabled": False})

    def both():
        items = {i["id"]: i for i in s.get("/api/v1/coverage?limit=200").json()["items"]}
        g, b = items.get(good["id"]), items.get(bad["id"])
        return g and b and g["last_success_at"] and b["last_error_at"] and items
    items = wait_until("both feeds polled", both, timeout=30)
    g, b, p = items[good["id"]], items[bad["id"]], items[paused["id"]]
    keys = {"id", "name", "format", "enabled", "last_success_at", "last_error_at", "last_error",
            "consecutive_failures", "items_seen", "source", "dates"}
    assert set(g) == keys and set(b) == keys and set(p) == keys, (g, b, p)
    # Neither came from the catalogue, nor has one file per date (test_archives has those).
    assert g["source"] is None and g["dates"] is None
    assert g["name"] == "zqcov works" and g["format"] == "json" and g["enabled"] is True
    assert g["last_error"] is None and g["consecutive_failures"] == 0 and g["items_seen"] >= 1, \
        (g, s.get(f"/api/v1/feeds/{good['id']}").json())
    assert b["last_success_at"] is None and b["consecutive_failures"] >= 1
    assert b["last_error"] == "the source answered with an error", b
    assert p["enabled"] is False and p["last_success_at"] is None and p["last_error"] is None
    # The admins see the stored text; the public answer holds neither it nor any URL.
    stored = s.get(f"/api/v1/feeds/{bad['id']}", token=s.admin).json()["status"]["last_error"]
    assert stored and stored not in json.dumps(b)
    body = s.get("/api/v1/coverage?limit=200").body
    assert secret not in body and "http://" not in body and "/feeds/" not in body
    # Paged as every list.
    first = s.get("/api/v1/coverage?limit=1").json()
    assert len(first["items"]) == 1 and first["next"]
    nxt = s.get(f"/api/v1/coverage?limit=1&cursor={first['next']}").json()
    assert nxt["items"][0]["id"] > first["items"][0]["id"]
    for q, param in (("limit=0", "limit"), ("url=1", "url")):
        p = problem(s.get(f"/api/v1/coverage?{q}"), 400, "validation")
        assert [e["parameter"] for e in p["errors"]] == [param], p
    r = s.request("POST", "/api/v1/coverage", body={})
    assert r.status == 405, r


def test_public_fairs_name_their_station(s):
    show = "zqstation-fair-2099"
    # The fair first (a station serves a fair that exists), then its station on it.
    s.make("/api/v1/shows", {"id": show, "name": "Zqstation Fair 2099", "country": "FR",
                             "starts": "2099-03-01", "ends": "2099-03-04"})
    st = s.make("/api/v1/stations", {"name": "IP desk, Hall 9", "show": show, "country": "FR",
                                      "email": "desk@zqstation.example"})
    r = s.request("PATCH", f"/api/v1/shows/{show}", body={"station_id": st["id"]},
                  token=s.admin)
    assert r.status == 200, r
    s.make("/api/v1/shows", {"id": "zqstation-bare-2099", "name": "Zqstation Bare 2099",
                             "country": "FR", "starts": "2099-03-05", "ends": "2099-03-06"})
    items = {i["id"]: i for i in
             s.get("/api/v1/shows?from=2099-03-01&until=2099-03-31&country=FR").json()["items"]}
    assert items[show]["station"] == {"id": st["id"], "name": "IP desk, Hall 9"}, items[show]
    assert "station" not in items["zqstation-bare-2099"]
    assert "desk@zqstation.example" not in json.dumps(items)       # the desk's mail stays private
    assert s.get(f"/api/v1/shows/{show}").json()["station"]["name"] == "IP desk, Hall 9"


def test_portal_files_and_headers(s):
    # Every portal path is the one document, with the strict policy and friends.
    for path in ("/", "/bulletins", "/bulletins/12", "/fairs", "/coverage", "/signin",
                 "/verify?token=abc", "/app", "/app/cases/7", "/no/such/page"):
        r = s.get(path)
        assert r.status == 200, (path, r)
        assert r.header("Content-Type").startswith("text/html"), (path, r.headers)
        assert '<script type="module" src="/app.js">' in r.body, path
        assert r.header("Content-Security-Policy") == CSP, (path, r.headers)
        assert r.header("X-Content-Type-Options") == "nosniff"
        assert r.header("Referrer-Policy") == "same-origin"
        assert r.header("X-Frame-Options") == "DENY"
    # No inline script or style in the document, nothing from another origin.
    doc = s.get("/").body
    assert "<script>" not in doc and "<style" not in doc and " style=" not in doc
    assert "http://" not in doc and "https://" not in doc
    # Modules: JavaScript, compressed, cached with validators.
    r = s.get("/lib/api.js", headers={"Accept-Encoding": "gzip"})
    assert r.status == 200 and r.header("Content-Type").startswith("application/javascript")
    assert r.header("Content-Encoding") == "gzip" and r.header("Cache-Control") == "no-cache"
    assert r.header("Content-Security-Policy") == CSP
    etag = r.header("ETag")
    assert etag
    assert s.get("/lib/api.js", headers={"If-None-Match": etag,
                                         "Accept-Encoding": "gzip"}).status == 304
    # A file that is not there is a 404 — never the document in its place.
    for path in ("/lib/nope.js", "/style/nope.css", "/i18n/fr.json", "/favicon.ico"):
        r = s.get(path)
        assert r.status == 404 and "app.js" not in r.body, (path, r)
    # The API and the sample feeds keep their own answers.
    r = s.get("/api/v1/no-such-route.json")
    problem(r, 404)
    # The API's JSON is never compressed (a session's CSRF token next to what a caller sent
    # would leak through the compressed size, BREACH); the public feed is.
    r = s.get("/api/v1/coverage?limit=200", headers={"Accept-Encoding": "gzip"})
    assert r.status == 200 and r.header("Content-Encoding") is None, r.headers
    assert s.get("/feeds/no-such-feed.xml").status == 404
    # The catalogue the portal reads is po/zh-CN.po's translations, as the admin program's
    # own .po reader gives them.
    r = s.get("/i18n/zh-CN.json", headers={"Accept-Encoding": "gzip"})
    assert r.status == 200 and r.header("Content-Type").startswith("application/json")
    assert r.header("Content-Encoding") == "gzip"
    plain = s.get("/i18n/zh-CN.json")
    assert json.loads(plain.body) == json.loads(s.cli("i18n", "json", "zh-CN"))
    assert json.loads(plain.body)["Early-warning bulletins"] == "预警公告"
