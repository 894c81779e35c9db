"""Dated sources and archives through the real poller: files named by date served over HTTP,
the test clock (sw:testclock:poller_at_ms) saying what day it is for the publisher; each date
fetched once, oldest first, a day that never appears reported missing (after waiting through
its grace), the days a stopped poller missed back-filled when it is back; ZIP and gzip bombs
refused with the cap named and nothing stored; a broken archive named by entry and byte."""
import datetime
import gzip
import io
import os
import zipfile
from zoneinfo import ZoneInfo

from feedserver import Server
from harness import feed, wait_status

NY = ZoneInfo("America/New_York")


def ny_ms(y, m, d, hh, mm=0):
    return int(datetime.datetime(y, m, d, hh, mm, tzinfo=NY).timestamp() * 1000)


def set_clock(s, ms):
    s.redis("SET", "sw:testclock:poller_at_ms", str(ms))


def yymmdd(day):
    return day.replace("-", "")[2:]


def case_file(s, serial):
    path = os.path.join(s.root, "..", "shared", "feeds", "uspto-trademark-daily",
                        "daily-na-98763166.xml")
    with open(path, "rb") as f:
        return f.read().replace(b"98763166", serial.encode())


def zipped(entries):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return b.getvalue()


def apc_zip(s, day, serial):
    return zipped([(f"apc{yymmdd(day)}.xml", case_file(s, serial))])


def add_feed(s, body):
    r = s.post("/api/v1/feeds", body, token=s.admin)
    assert r.status == 201, r
    return r.json()


def coverage_of(s, fid):
    items = s.get("/api/v1/coverage?limit=200").json()["items"]
    return next(i for i in items if i["id"] == fid)


def stream_events(s, fid):
    return [f for _, f in s.stream_entries("events") if f'"source":"feed:{fid}"' in f["event"]]


def ts(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def dated_feed(srv, base, **kw):
    body = {"url_template": srv.url(base + "/apc{yymmdd}.zip"), "compression": "zip",
            "format": "uspto-tm", "name": "USPTO daily (test copy)",
            "days": ["mon", "tue", "wed", "thu", "fri"], "lag_days": 1, "publish_at": "01:00",
            "zone": "America/New_York", "grace_h": 24, "interval_s": 3600}
    body.update(kw)
    return body


def cleanup(s, srv, fids):
    srv.stop()
    s.redis("DEL", "sw:testclock:poller_at_ms")
    for fid in fids:
        s.request("DELETE", f"/api/v1/feeds/{fid}", token=s.admin)
    s.ensure_running()


def test_dated_days_once_missing_day_and_back_fill_after_restart(s):
    srv, fids = Server(), []
    base = "/dated/a"
    week = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    path = {d: f"{base}/apc{yymmdd(d)}.zip" for d in week + ["2026-12-07", "2026-12-08",
                                                           "2026-12-09"]}
    try:
        for n, d in enumerate(week):
            if d != "2026-12-02":   # the day that never appears
                srv.files[path[d]] = apc_zip(s, d, f"9700000{n}")
        # Thursday 3 December, 03:00 in New York: Monday's and Tuesday's files are out,
        # Wednesday's was due at 01:00 and is not there yet (its grace runs 24 h).
        set_clock(s, ny_ms(2026, 12, 3, 3))
        f = add_feed(s, dated_feed(srv, base, start_date="2026-11-30"))
        fids.append(f["id"])
        f = wait_status(s, f["id"], lambda st: st.get("dates_fetched", 0) >= 2 and
                        "2026-12-02" in (st.get("dates") or {}).get("waiting", []),
                        "two dates fetched and the third waiting")
        assert f["status"]["dates"]["missing"] == [], f["status"]
        # Monday 7 December, noon: the grace is over. The waiting day is asked once more and
        # is missing; Thursday's and Friday's files are fetched, each once, oldest first.
        set_clock(s, ny_ms(2026, 12, 7, 12))
        assert s.post(f"/api/v1/feeds/{f['id']}/poll", None, token=s.admin).status == 202
        f = wait_status(s, f["id"], lambda st: st.get("dates_fetched", 0) >= 4 and
                        st.get("dates_missing", 0) >= 1, "four dates fetched and one missing")
        st = f["status"]
        asked = [p for p in srv.order if p.startswith(base)]
        assert asked == [path["2026-11-30"], path["2026-12-01"], path["2026-12-02"],
                         path["2026-12-02"], path["2026-12-03"], path["2026-12-04"]], asked
        assert st["dates_fetched"] == 4 and st["dates_missing"] == 1, st
        assert st["last_date"] == "2026-12-04" and st["events_emitted"] == 4, st
        assert len(stream_events(s, f["id"])) == 4
        # Nothing is due until Monday's file at 01:00 on Tuesday: 13 hours away.
        wait_ahead = ts(st["next_poll_at"]) - ts(st["last_poll_at"])
        assert datetime.timedelta(hours=12, minutes=55) <= wait_ahead <= \
            datetime.timedelta(hours=13, minutes=5), st
        cov = coverage_of(s, f["id"])["dates"]
        assert cov["missing"] == ["2026-12-02"] and cov["fetched"] == 4, cov
        assert cov["expected"] == 5 and cov["pending"] == [] and cov["waiting"] == [], cov
        assert cov["last_fetched"] == "2026-12-04" and cov["not_backfilled"] is None, cov

        # The poller is stopped; three more files appear; it comes back on Thursday 10
        # December (the test clock stands in for the days it was away) and fetches them,
        # oldest first, each once.
        s.script("stop-one", "seawall-poller")
        for n, d in enumerate(["2026-12-07", "2026-12-08", "2026-12-09"]):
            srv.files[path[d]] = apc_zip(s, d, f"9710000{n}")
        before = len(srv.order)
        set_clock(s, ny_ms(2026, 12, 10, 12))
        s.script("start-worker", "seawall-poller")
        assert s.post(f"/api/v1/feeds/{f['id']}/poll", None, token=s.admin).status == 202
        f = wait_status(s, f["id"], lambda st: st.get("dates_fetched", 0) >= 7,
                        "the missed days back-filled")
        asked = [p for p in srv.order[before:] if p.startswith(base)]
        assert asked == [path["2026-12-07"], path["2026-12-08"], path["2026-12-09"]], asked
        for d in week + ["2026-12-07", "2026-12-08", "2026-12-09"]:
            assert srv.count(path[d]) == (2 if d == "2026-12-02" else 1), (d, srv.order)
        cov = coverage_of(s, f["id"])["dates"]
        assert cov["fetched"] == 7 and cov["missing"] == ["2026-12-02"], cov
        assert len(stream_events(s, f["id"])) == 7
        # The public view names dates, never the template.
        assert "/dated/a" not in s.get("/api/v1/coverage?limit=200").body
    finally:
        cleanup(s, srv, fids)


def test_dated_back_fill_is_bounded(s):
    """Away longer than poller.backfill_max (14 days): the window's files are fetched, the
    days before it are reported as not back-filled."""
    srv, fids = Server(), []
    base = "/dated/b"
    try:
        srv.files[f"{base}/apc261102.zip"] = apc_zip(s, "2026-11-02", "97200001")
        set_clock(s, ny_ms(2026, 11, 3, 12))
        f = add_feed(s, dated_feed(srv, base, start_date="2026-11-02"))
        fids.append(f["id"])
        wait_status(s, f["id"], lambda st: st.get("dates_fetched", 0) >= 1, "the first date")
        set_clock(s, ny_ms(2026, 12, 10, 12))   # Thursday; the window starts 26 November
        for d in ("2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02",
                  "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09"):
            srv.files[f"{base}/apc{yymmdd(d)}.zip"] = apc_zip(s, d, "972" + yymmdd(d)[1:])
        before = len(srv.order)
        assert s.post(f"/api/v1/feeds/{f['id']}/poll", None, token=s.admin).status == 202
        f = wait_status(s, f["id"], lambda st: st.get("dates_fetched", 0) >= 11,
                        "the window's ten dates")
        asked = [p for p in srv.order[before:] if p.startswith(base)]
        assert asked[0] == f"{base}/apc261126.zip" and len(asked) == 10, asked
        cov = coverage_of(s, f["id"])["dates"]
        assert cov["window_start"] == "2026-11-26", cov
        assert cov["not_backfilled"] == {"from": "2026-11-03", "to": "2026-11-25",
                                         "days": 17}, cov
    finally:
        cleanup(s, srv, fids)


def bomb_huge():
    return zipped([("big.xml", b"<rss><channel><item><title>x</title><guid>bomb-1</guid>"
                               b"</item>" + b" " * (200 << 20) + b"</channel></rss>")])


def test_archive_bombs_refused_and_nothing_stored(s):
    srv, fids = Server(), []
    item = b"<rss><channel><item><title>x</title><guid>bomb-2</guid></item>"
    srv.files["/bomb/huge.zip"] = bomb_huge()
    srv.files["/bomb/dense.zip"] = zipped([("dense.xml", item + b" " * (40 << 20) +
                                            b"</channel></rss>")])
    srv.files["/bomb/nested.zip"] = zipped([("feed.xml", item + b"</channel></rss>"),
                                            ("inner.zip", srv.files["/bomb/huge.zip"])])
    srv.files["/bomb/many.zip"] = zipped([(f"{i}.xml", item + b"</channel></rss>")
                                          for i in range(1001)])
    srv.files["/bomb/huge.xml.gz"] = gzip.compress(item + b" " * (100 << 20) +
                                                   b"</channel></rss>")
    cases = (("/bomb/huge.zip", "zip", "more than 67108864 (archive.max_entry_bytes)"),
             ("/bomb/dense.zip", "zip", "more than 200 times (archive.max_ratio)"),
             ("/bomb/nested.zip", "zip", "archive entry \"inner.zip\" is itself an archive"),
             ("/bomb/many.zip", "zip", "more than 1000 entries (archive.max_entries)"),
             ("/bomb/huge.xml.gz", "gzip", "more than 200 times (archive.max_ratio)"))
    try:
        for path, comp, needle in cases:
            f = add_feed(s, {"url": srv.url(path), "compression": comp, "interval_s": 3600})
            fids.append(f["id"])
            f = wait_status(s, f["id"], lambda st: st.get("consecutive_failures", 0) >= 1,
                            f"{path} to be refused")
            st = f["status"]
            assert st["last_error"].startswith("the archive was refused: "), st
            assert needle in st["last_error"], (needle, st)
            assert st.get("events_emitted", 0) == 0 and stream_events(s, f["id"]) == [], st
            assert coverage_of(s, f["id"])["last_error"] == \
                "the archive was refused by a safety limit"
    finally:
        cleanup(s, srv, fids)


def test_dated_file_that_is_a_bomb_does_not_stop_the_next_days(s):
    srv, fids = Server(), []
    base = "/dated/c"
    try:
        srv.files[f"{base}/apc261130.zip"] = bomb_huge()
        srv.files[f"{base}/apc261201.zip"] = apc_zip(s, "2026-12-01", "97300001")
        set_clock(s, ny_ms(2026, 12, 3, 3))
        f = add_feed(s, dated_feed(srv, base, start_date="2026-11-30",
                                   days=["mon", "tue"]))
        fids.append(f["id"])
        f = wait_status(s, f["id"], lambda st: st.get("dates_fetched", 0) >= 1,
                        "the day after the bomb", timeout=30)
        cov = f["status"]["dates"]
        assert cov["unreadable"] == ["2026-11-30"] and cov["fetched"] == 1, cov
        assert srv.count(f"{base}/apc261130.zip") == 1
        assert len(stream_events(s, f["id"])) == 1
    finally:
        cleanup(s, srv, fids)


def test_broken_archive_names_entry_and_byte(s):
    srv, fids = Server(), []
    whole = zipped([("a.xml", case_file(s, "97400001")),
                    ("b.xml", b"".join(case_file(s, "974%05d" % i) for i in range(40)))])
    srv.files["/broken/cut.zip"] = whole[:len(whole) - 2000]
    try:
        f = add_feed(s, {"url": srv.url("/broken/cut.zip"), "compression": "zip",
                         "format": "uspto-tm", "interval_s": 3600})
        fids.append(f["id"])
        st = wait_status(s, f["id"], lambda st: st.get("consecutive_failures", 0) >= 1,
                         "the broken archive")["status"]
        assert "archive entry \"b.xml\" broken at byte " in st["last_error"], st
        assert stream_events(s, f["id"]) == []   # found before anything was parsed
    finally:
        cleanup(s, srv, fids)


def test_dated_settings_checked(s):
    for body, ptr in (({"url_template": "https://example.com/feed.xml"}, "/url_template"),
                      ({"url_template": "https://example.com/{date}.zip"}, "/url_template"),
                      ({"url_template": "ftp://example.com/{yyyy}.zip"}, "/url_template"),
                      ({"url_template": "https://example.com/{yy}.zip", "zone": "Mars/Base"},
                       "/zone"),
                      ({"url_template": "https://example.com/{yy}.zip", "days": ["caturday"]},
                       "/days/0"),
                      ({"url_template": "https://example.com/{yy}.zip", "publish_at": "7am"},
                       "/publish_at"),
                      ({"url_template": "https://example.com/{yy}.zip",
                        "start_date": "2026-13-01"}, "/start_date"),
                      ({"url": "https://example.com/f", "compression": "rar"}, "/compression"),
                      ({"name": "neither"}, "/url")):
        r = s.post("/api/v1/feeds", body, token=s.admin)
        assert r.status == 400, (body, r)
        assert ptr in [e["pointer"] for e in r.json()["errors"]], (body, r.json())


def test_api_keys_checked_at_start_and_never_shown(s):
    """poller.api_keys: a malformed entry stops the poller at start, naming the entry and not
    its value; `seawall config` shows the setting as stars."""
    import subprocess
    secret = "zqsekrit-key-123"
    env = dict(os.environ, **s.env_for_programs(),
               SEAWALL_POLLER_API_KEYS=f"api.uspto.gov={secret}")
    p = subprocess.run([os.path.join(s.build, "bin", "seawall-poller"), "--config",
                        os.path.join(s.dir, "seawall.conf")], env=env, capture_output=True,
                       text=True, timeout=30)
    assert p.returncode == 2, p
    assert "poller.api_keys: entry 1: not host=Header:value" in p.stderr, p.stderr
    assert secret not in p.stderr + p.stdout
    out = s.cli("config", env={"SEAWALL_POLLER_API_KEYS": f"api.uspto.gov=X-API-KEY:{secret}"})
    assert "poller.api_keys = ********" in out and secret not in out
