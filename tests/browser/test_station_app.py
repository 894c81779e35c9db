"""The station app on the real stack: a station person signs in, the network is cut through
the DevTools protocol, three incidents and a photo are logged, the browser is closed and opened
again on the same profile, the network returns → exactly three incidents and one evidence file
(a JPEG of at most 2 megapixels with the hash the browser computed); sending again doubles
nothing; an edited re-send is a conflict shown with both versions and settled in the queue
page. Then the station pages in both languages at phone and desktop widths: clean, every
string from the catalogue."""
import hashlib
import http.client
import json
import os
import shutil
import tempfile

from browser import DESKTOP, PHONE, Browser, browser
from stationdata import desk, jpeg_size, png
from wslib import check_page, set_person, sign_in, type_into, wait_until

OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}


def network(b, on):
    """Cuts or restores the network for the page and for its service workers (each is a
    DevTools target of its own, reached through the page's session)."""
    b.cdp("Network.enable")
    if not on:
        b.cdp("Network.emulateNetworkConditions", OFFLINE)
    for target in b.cdp("Target.getTargets")["targetInfos"]:
        if target["type"] != "service_worker":
            continue
        sid = b.cdp("Target.attachToTarget", {"targetId": target["targetId"],
                                              "flatten": False})["sessionId"]
        for n, (method, params) in enumerate([
                ("Network.enable", {}),
                ("Network.emulateNetworkConditions", ONLINE if on else OFFLINE)]):
            b.cdp("Target.sendMessageToTarget", {"sessionId": sid, "message": json.dumps(
                {"id": n + 1, "method": method, "params": params})})
    if on:      # the page last: its online event finds the workers' network back
        b.cdp("Network.emulateNetworkConditions", ONLINE)


def expected_failures(b):
    """Clears the requests that failed because the network was cut (and the session check
    once the browser had closed: its cookie ended with it); anything else is a problem."""
    found = b.problems()
    ok = [p for p in found if "net::ERR_INTERNET_DISCONNECTED" in p or
          ("/api/v1/session " in p and "status of 401 " in p)]
    b.seen = [p for p in b.seen if p not in ok]
    b.assert_clean()
    return ok


def raw(s, path, token):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        r = conn.getresponse()
        assert r.status == 200, r.status
        return r.read()
    finally:
        conn.close()


def incidents(s, show):
    r = s.get(f"/api/v1/shows/{show}/incidents?limit=200", token=s.admin)
    assert r.status == 200, r
    return r.json()["items"]


def log_one(b, complainant, exhibitor, hall, photo=None):
    type_into(b, "main [name=hall]", hall)
    type_into(b, "main [name=complainant_name]", complainant)
    type_into(b, "main [name=exhibitor_name]", exhibitor)
    if photo:
        b.find("main input[type=file]").send_keys(photo)
        b.wait("the photo scaled and hashed", lambda: b.finds("main .photo-list img"))
    before = b.js("return document.querySelector('main .station-bar').dataset.unsent")
    b.click("main form.station-form button[type=submit]")
    b.wait("the record kept on the device", lambda: b.js(
        "return document.querySelector('main .station-bar').dataset.unsent") == str(int(before) + 1))


def records(b):
    """The records on the device (IndexedDB), as the page's own module reads them."""
    return b.driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        import('/lib/station-store.js').then((m) => m.all()).then((rs) => done(rs.map((r) =>
          ({cid: r.cid, state: r.state, id: r.id || null, photos: r.photos.length,
            sent: r.photos.filter((p) => p.sent).length}))));""")


def test_offline_journey_survives_closing_the_browser(s):
    d = desk(s, "journey")
    show = d["show"]["id"]
    profile = tempfile.mkdtemp(prefix="seawall-station-profile-")
    photo = f"{profile}-booth.png"
    png(photo, 2000, 1500)                         # 3 megapixels: the page scales it down
    base = f"http://127.0.0.1:{s.port}"
    try:
        b = Browser(base, "en", PHONE, profile=profile)
        try:
            sign_in(b, d["email"], next_path="/station")
            b.open("/station")       # a worker controls pages it saw load (not /signin's)
            b.wait("the worker installed", lambda: b.js(
                "return navigator.serviceWorker.getRegistration('/station')"
                ".then((r) => !!(r && r.active && r.active.state === 'activated'))"))
            b.open("/station")
            b.wait("the service worker", lambda: b.js(
                "return !!navigator.serviceWorker.controller"))
            b.open("/station/log")                 # the log page once through the worker
            b.assert_clean()
            network(b, False)
            b.wait("the page to know it is offline", lambda: b.js("return !navigator.onLine"))
            b.open("/station/log")                 # offline: the worker answers
            log_one(b, "Brightlight GmbH", "Ningbo Lamp Works Co., Ltd.", "5.2",
                    photo=os.path.abspath(photo))
            log_one(b, "Toy Brand Inc.", "Yiwu Toys", "3")
            log_one(b, "Schmidt Werkzeuge", "Dongguan Tools", "11")
            assert [r["state"] for r in records(b)] == ["pending"] * 3
            assert incidents(s, show) == []        # nothing reached the server
            expected_failures(b)
        finally:
            b.driver.quit()
        # The browser again, on the same profile, still without a network.
        b = Browser(base, "en", PHONE, profile=profile)
        try:
            # The worker runs once something wakes it: then its network can be cut too.
            b.open("/")
            b.js("navigator.serviceWorker.getRegistration('/station')"
                 ".then((r) => r.active.postMessage('wake'))")
            b.wait("the worker running", lambda: [
                x for x in b.cdp("Target.getTargets")["targetInfos"]
                if x["type"] == "service_worker"])
            network(b, False)
            b.open("/station/queue")
            b.wait("the three records", lambda: len(b.finds("main .queue-list > li")) == 3)
            assert "1 photo" in b.text("main .queue-list")
            expected_failures(b)
            network(b, True)                       # the session ended with the browser
            b.wait("the sign-in page", lambda: b.path().startswith("/signin"))
            sign_in(b, d["email"], next_path="/station/queue")
            b.wait("everything sent", lambda: b.finds("main .queue p.empty"))
            expected_failures(b)
            got = incidents(s, show)
            assert len(got) == 3, got
            first = next(i for i in got if i["complainant"]["name"] == "Brightlight GmbH")
            assert first["device"]["received_at"] and first["hall"] == "5.2", first
            ev = s.get(f"/api/v1/incidents/{first['id']}/evidence", token=s.admin).json()["items"]
            assert len(ev) == 1, ev
            body = raw(s, f"/api/v1/incidents/{first['id']}/evidence/{ev[0]['sha256']}", s.admin)
            assert hashlib.sha256(body).hexdigest() == ev[0]["sha256"]
            w, h = jpeg_size(body)
            assert w * h <= 2_000_000 and w > 1000, (w, h)
            assert [x for x in got if x["id"] != first["id"] and
                    s.get(f"/api/v1/incidents/{x['id']}/evidence",
                          token=s.admin).json()["items"]] == []
            # Everything sent again (as if the answers were lost): nothing doubles.
            b.driver.execute_async_script("""
                const done = arguments[arguments.length - 1];
                import('/lib/station-store.js').then(async (m) => {
                  for (const r of await m.all()) await m.edit(r.cid, {});
                  const st = await import('/lib/station.js');
                  await st.sync(); done(true); });""")
            assert [r["state"] for r in records(b)] == ["sent"] * 3
            assert len(incidents(s, show)) == 3
            assert len(s.get(f"/api/v1/incidents/{first['id']}/evidence",
                             token=s.admin).json()["items"]) == 1
            # An edited re-send: a conflict with both versions, settled in the queue page.
            cid = next(r["cid"] for r in records(b) if r["id"] == first["id"])
            b.driver.execute_async_script("""
                const done = arguments[arguments.length - 1];
                import('/lib/station-store.js').then(async (m) => {
                  await m.edit(arguments[0], {notes: 'Three lamps on display.'});
                  const st = await import('/lib/station.js');
                  await st.sync(); done(true); });""", cid)
            b.open("/station/queue")
            li = b.wait("the conflict", lambda: b.finds("main li[data-state=conflict]"))[0]
            versions = li.find_element("css selector", ".versions").text
            assert "Three lamps on display." in versions and "On the server" in versions
            assert s.get(f"/api/v1/incidents/{first['id']}", token=s.admin).json().get(
                "notes") is None
            b.click("main li[data-state=conflict] button.take-mine")
            b.wait("the conflict settled", lambda: b.finds("main .queue p.empty"))
            assert s.get(f"/api/v1/incidents/{first['id']}", token=s.admin).json()[
                "notes"] == "Three lamps on display."
            assert len(incidents(s, show)) == 3
            b.assert_clean()
        finally:
            b.driver.quit()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
        os.unlink(photo)


def test_station_pages_in_both_languages_and_widths(s):
    d = desk(s, "langs")
    r = s.post(f"/api/v1/shows/{d['show']['id']}/incidents", {
        "kind": "booth_inspection", "hall": "3", "exhibitor": {"name": "Yiwu Toys Trading Co."},
        "complainant": {"name": "Toy Brand Inc."}}, token=d["token"],
        headers={"Idempotency-Key": "langs-1"})
    assert r.status == 201, r                   # the desk's table, at each width
    for lang in ("zh-CN", "en"):
        set_person(s, d["email"], lang=lang)
        with browser(s, lang=lang, size=PHONE) as b:
            sign_in(b, d["email"], next_path="/station")
            for size in (PHONE, DESKTOP):
                b.resize(size)
                for path in ("/station", "/station/log", "/station/queue"):
                    b.open(path)
                    check_page(b, s, lang, f"{path} {size}", max_api=None)


def test_escalation_picks_the_suggested_attendee_by_name(s):
    d = desk(s, "escalate")
    show = d["show"]["id"]
    if not s.get("/api/v1/centres", token=s.admin).json()["items"]:
        s.make("/api/v1/centres", {"name": "Hannover Fair Desk Centre", "country": "CN"})
    sub, stok = s.tenant("Ningbo Lamp Works Co., Ltd.")
    assert s.post(f"/api/v1/subscribers/{sub['id']}/portfolio", {"kind": "show", "show": show},
                  token=stok).status == 201
    other, otok = s.tenant("Ningbo Lamp Trading Co., Ltd.")
    assert s.post(f"/api/v1/subscribers/{other['id']}/portfolio",
                  {"kind": "show", "show": show}, token=otok).status == 201
    r = s.post(f"/api/v1/shows/{show}/incidents", {
        "kind": "complaint_received", "hall": "5.2",
        "exhibitor": {"name": "Ningbo Lamp Works Co., Ltd.", "country": "CN"},
        "complainant": {"name": "Brightlight GmbH", "country": "DE"}}, token=d["token"],
        headers={"Idempotency-Key": "esc-1"})
    assert r.status == 201, r
    inc = r.json()["id"]
    set_person(s, d["email"], lang="zh-CN")
    with browser(s, lang="zh-CN", size=PHONE) as b:
        sign_in(b, d["email"], next_path="/station")
        b.open(f"/station/incidents/{inc}/escalate")
        first = b.wait("the attendees", lambda: b.finds("main fieldset.attendees input"))[0]
        assert first.get_attribute("data-suggested") == "true" and first.is_selected()
        assert first.get_attribute("value") == str(sub["id"])
        check_page(b, s, "zh-CN", "escalate", max_api=None)
        b.click("main form.escalate-form button[type=submit]")
        b.wait("the case", lambda: "#" in b.text("main form.escalate-form [role=status]"))
        got = s.get(f"/api/v1/incidents/{inc}", token=s.admin).json()
        assert got["status"] == "escalated" and got["case_id"], got
        case = s.get(f"/api/v1/cases/{got['case_id']}", token=s.admin).json()
        assert case["subscriber_id"] == sub["id"], case
        # Signing out with a record unsent warns first; staying keeps it, leaving wipes it.
        network(b, False)
        b.open("/station/log")
        log_one(b, "Brightlight GmbH", "Ningbo Lamp Works Co., Ltd.", "5.2")
        signout = "document.querySelector('sw-app-nav button.button.secondary').click()"
        b.js(signout)
        alert = b.wait("the warning", lambda: b.driver.switch_to.alert)
        assert "1" in alert.text
        alert.dismiss()
        b.wait("the page to stay", lambda: b.path() == "/station/log")
        assert [r["state"] for r in records(b)] == ["pending"]
        b.js(signout)
        b.wait("the warning", lambda: b.driver.switch_to.alert).accept()
        b.wait("the sign-in page", lambda: b.path() == "/signin")
        assert records(b) == []
        assert b.js("return localStorage.getItem('seawall.station.person')") is None
        expected_failures(b)                    # signing out could not reach the server
        network(b, True)
