"""The source catalogue through the admin API and the admin program: the real catalogue listed
with each entry's state here; an entry enabled (with a local copy's URL, as make run does) is a
feed with the entry's format, type and schedule, polled at once, its events arriving; enabling
again keeps the feed; disabling stops it; what cannot be enabled as it stands answers 409 with
why; bad overrides answer 400 naming the field."""
import json
import os
import shutil

from feedserver import Server
from harness import problem, wait_until


def view(s, name):
    r = s.get(f"/api/v1/sources/{name}", token=s.admin)
    assert r.status == 200, r
    return r.json()


def enable(s, name, body=None):
    return s.post(f"/api/v1/sources/{name}/enable", body, token=s.admin)


def test_catalogue_listed_with_state(s):
    r = s.get("/api/v1/sources", token=s.admin)
    assert r.status == 200, r
    items = r.json()["items"]
    assert len(items) >= 25
    names = [i["name"] for i in items]
    assert names == sorted(names) and len(set(names)) == len(names)
    tm = next(i for i in items if i["name"] == "uspto-tm-daily-applications")
    assert tm["url_template"].endswith("/TRTDXFAP/apc{yymmdd}.zip") and tm["compression"] == "zip"
    assert tm["readable"] is True and tm["ready"] is True and tm["schedule"]["every"] == "day"
    assert tm["title"]["zh-CN"] and tm["licence"]["url"] and tm["coverage"]["since"]
    for i in items:
        assert i["enabled_by_default"] is False and i["events"], i["name"]
        assert i["ready"] == (i["readable"] and i["url_status"] == "confirmed"), i["name"]
    # Admins only; an unknown name is a 404 problem.
    _, tok = s.tenant("Catalogue Snooper")
    problem(s.get("/api/v1/sources", token=tok), 403)
    p = problem(s.get("/api/v1/sources/no-such-source", token=s.admin), 404, "not-found")
    assert "no source named \"no-such-source\"" in p["detail"], p


def test_enable_poll_disable_enable_again(s):
    shutil.copy(os.path.join(s.root, "..", "shared", "feeds", "pacer-rss", "cafc.xml"),
                os.path.join(s.dir, "feeds", "source-cafc.xml"))
    local = f"http://127.0.0.1:{s.port}/feeds/source-cafc.xml"
    r = enable(s, "cmecf-cafc", {"url": local})
    assert r.status == 201, r
    v = r.json()
    fid = v["feed"]["id"]
    assert v["feed"]["enabled"] is True and v["feed"]["url"] == local
    feed = s.get(f"/api/v1/feeds/{fid}", token=s.admin).json()
    assert feed["format"] == "cmecf" and feed["type"] == "litigation", feed
    assert feed["interval_s"] == 900 and feed["source"] == "cmecf-cafc", feed
    # The file's two entries read (other tests poll the same real file: events already made
    # from them are not made twice, so the count of events is not this test's to know).
    v = wait_until("the source's first poll", lambda: (lambda x: x if (x["feed"]["status"] or {})
                   .get("items_seen", 0) == 2 else None)(view(s, "cmecf-cafc")))
    assert v["feed"]["status"]["last_success_at"], v
    cov = [c for c in s.get("/api/v1/coverage?limit=200").json()["items"] if c["id"] == fid]
    assert cov[0]["source"] == "cmecf-cafc" and cov[0]["dates"] is None, cov
    # Disabled: unscheduled, the feed kept. Enabled again: the same feed, polled at once.
    r = s.post("/api/v1/sources/cmecf-cafc/disable", None, token=s.admin)
    assert r.status == 200 and r.json()["feed"]["enabled"] is False, r
    assert s.redis("ZSCORE", "sw:feeds:due", str(fid)) is None
    r = enable(s, "cmecf-cafc", {"url": local})
    assert r.status == 200 and r.json()["feed"]["id"] == fid, r
    assert r.json()["feed"]["enabled"] is True
    assert s.redis("ZSCORE", "sw:feeds:due", str(fid)) is not None
    s.request("DELETE", f"/api/v1/feeds/{fid}", token=s.admin)
    # Deleted behind the catalogue's back: enabling registers a new feed.
    r = enable(s, "cmecf-cafc", {"url": local})
    assert r.status == 201 and r.json()["feed"]["id"] != fid, r
    s.request("DELETE", f"/api/v1/feeds/{r.json()['feed']['id']}", token=s.admin)


def test_what_cannot_be_enabled_as_it_stands(s):
    p = problem(enable(s, "uspto-patent-applications-weekly"), 409, "source-url-unconfirmed")
    assert "is to be confirmed" in p["detail"] and "https://data.uspto.gov/" in p["detail"], p
    p = problem(enable(s, "partner-customs-notices", {"confirm": True}), 409,
                "source-url-unconfirmed")
    assert "has no URL of its own" in p["detail"], p
    p = problem(enable(s, "uspto-tm-daily-assignments", {"confirm": True}), 409,
                "source-format-unreadable")
    assert "uspto-tm-assignments, which this build cannot read" in p["detail"], p
    p = problem(enable(s, "cmecf-cafc", {"url_template": "https://example.com/{yy}.xml"}), 409,
                "source-url-unconfirmed")
    assert "is polled at one URL: give url" in p["detail"], p
    for body, ptr in (({"url": 5}, "/url"), ({"url": "ftp://example.com/feed"}, "/url"),
                      ({"url": "https://example.com/f", "colour": 1}, "/colour"),
                      ({"confirm": "yes"}, "/confirm")):
        p = problem(enable(s, "cmecf-cafc", body), 400, "validation")
        assert ptr in [e["pointer"] for e in p["errors"]], (body, p)
    problem(enable(s, "no-such-source"), 404, "not-found")
    problem(s.post("/api/v1/sources/cmecf-txed/disable", None, token=s.admin), 409,
            "source-not-enabled")


def test_dated_source_enabled_from_a_local_copy(s):
    """The USPTO daily applications entry, enabled with a local server's template: its
    schedule (business days, the next day at 03:00 New York) is the catalogue's."""
    import io
    import zipfile
    srv, fid = Server(), None
    try:
        with open(os.path.join(s.root, "..", "shared", "feeds", "uspto-trademark-daily",
                               "daily-na-98763166.xml"), "rb") as f:
            rec = f.read()
        b = io.BytesIO()
        with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("apc261130.xml", rec)
        srv.files["/odp/apc261130.zip"] = b.getvalue()
        # Tuesday 1 December, 04:00 in New York: Monday's file is out; nothing else is, in a
        # window that starts on Monday.
        s.redis("SET", "sw:testclock:poller_at_ms", "1796115600000")
        r = enable(s, "uspto-tm-daily-applications",
                   {"url_template": srv.url("/odp/apc{yymmdd}.zip")})
        assert r.status == 201, r
        fid = r.json()["feed"]["id"]
        feed = s.get(f"/api/v1/feeds/{fid}", token=s.admin).json()
        assert feed["zone"] == "America/New_York" and feed["lag_days"] == 1, feed
        assert feed["publish_at"] == "03:00" and feed["compression"] == "zip", feed
        s.request("PATCH", f"/api/v1/feeds/{fid}", token=s.admin,
                  body={"start_date": "2026-11-30"})
        assert s.post(f"/api/v1/feeds/{fid}/poll", None, token=s.admin).status == 202
        v = wait_until("the dated source's first file", lambda: (lambda x: x if (
            x["feed"]["status"] or {}).get("dates_fetched", 0) >= 1 else None)(
            view(s, "uspto-tm-daily-applications")))
        assert v["feed"]["status"]["dates"]["last_fetched"] == "2026-11-30", v
        # The one record read; its event is made once however many feeds carry it (other
        # tests poll the same real record), so events_emitted is 0 or 1 here.
        assert v["feed"]["status"]["items_seen"] == 1, v
        assert v["feed"]["status"]["events_emitted"] in (0, 1), v
    finally:
        srv.stop()
        s.redis("DEL", "sw:testclock:poller_at_ms")
        if fid is not None:
            s.request("DELETE", f"/api/v1/feeds/{fid}", token=s.admin)


def test_admin_program(s):
    listed = json.loads(s.cli("source", "list"))
    assert len(listed) >= 25
    row = next(r for r in listed if r["name"] == "cmecf-nysd")
    assert row["format"] == "cmecf" and row["url_status"] == "confirmed" and row["ready"] is True
    assert row["feed"] is None and row["schedule"] == "interval"
    shutil.copy(os.path.join(s.root, "..", "shared", "feeds", "pacer-rss", "sdny_1.xml"),
                os.path.join(s.dir, "feeds", "source-sdny.xml"))
    out = json.loads(s.cli("source", "enable", "cmecf-nysd", "--url",
                           f"http://127.0.0.1:{s.port}/feeds/source-sdny.xml"))
    fid = out["feed"]["id"]
    assert out["feed"]["enabled"] is True
    row = next(r for r in json.loads(s.cli("source", "list")) if r["name"] == "cmecf-nysd")
    assert row["feed"] == fid and row["enabled"] is True
    out = json.loads(s.cli("source", "disable", "cmecf-nysd"))
    assert out["feed"]["enabled"] is False
    p = s.cli("source", "enable", "uspto-patent-applications-weekly", check=False)
    assert p.returncode == 1 and "is to be confirmed" in p.stderr, p
    p = s.cli("source", "enable", "nope", check=False)
    assert p.returncode == 1 and "no source named \"nope\"" in p.stderr, p
    s.request("DELETE", f"/api/v1/feeds/{fid}", token=s.admin)
