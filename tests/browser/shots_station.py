"""make screenshots for the station app: a station person of a fair running today signed in
for real, in the page's language; the desk with the incidents the server holds, the log form
with a name looked up, the queue (offline, with a record waiting and a conflict showing both
versions) and the escalation with the matcher's suggestion first."""
import stationdata
import wslib

OFFLINE = {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
ONLINE = dict(OFFLINE, offline=False)


def demo(stack):
    """The fair, its station person, two incidents on the server and an attending exporter
    whose company name is the first incident's exhibitor (made once per stack)."""
    if getattr(stack, "_station_demo", None):
        return stack._station_demo
    d = stationdata.desk(stack, "shots")
    show, tok = d["show"]["id"], d["token"]
    sub, stok = stack.tenant("Ningbo Lamp Works Co., Ltd.")
    r = stack.post(f"/api/v1/subscribers/{sub['id']}/portfolio", {"kind": "show", "show": show},
                   token=stok)
    assert r.status == 201, r
    ids = []
    for key, body in (
            ("shots-1", {"kind": "complaint_received", "hall": "5.2", "booth": "5.2 A14",
                         "product_category": "LED lamps",
                         "exhibitor": {"name": "Ningbo Lamp Works Co., Ltd.", "country": "CN"},
                         "complainant": {"name": "Brightlight GmbH", "country": "DE"},
                         "rights": [{"type": "design", "number": "EM 001234567-0001",
                                     "country": "EM"}]}),
            ("shots-2", {"kind": "booth_inspection", "hall": "3", "booth": "3 B7",
                         "exhibitor": {"name": "Yiwu Toys"},
                         "complainant": {"name": "Toy Brand Inc."}})):
        r = stack.post(f"/api/v1/shows/{show}/incidents", body, token=tok,
                       headers={"Idempotency-Key": key})
        assert r.status in (200, 201), r
        ids.append(r.json()["id"])
    d["incidents"] = ids
    stack._station_demo = d
    return d


# A record waiting on the device and one whose re-send met other content on the server.
RECORDS = """
const done = arguments[arguments.length - 1];
const [show, stored] = [arguments[0], arguments[1]];
import('/lib/station-store.js').then(async (m) => {
  await m.wipe();
  const body = {kind: 'goods_removed', hall: '11', exhibitor: {name: 'Dongguan Tools'},
    complainant: {name: 'Schmidt Werkzeuge'}, received_at: new Date().toISOString()};
  await m.add(show, body, []);
  const r = await m.add(show, {kind: 'complaint_received', hall: '5.2',
    exhibitor: {name: 'Ningbo Lamp Works Co., Ltd.'}, complainant: {name: 'Brightlight GmbH'},
    notes: 'Three lamps on display.', received_at: new Date().toISOString()}, []);
  r.state = 'conflict';
  r.id = stored;
  r.conflict = {differs: ['notes', 'booth'], sent_sha256: '0'.repeat(64),
    stored: {notes: 'Two lamps on display.', booth: '5.2 A14'},
    sent: {notes: 'Three lamps on display.', booth: '5.2 A16'}};
  await m.put(r);
  done(true);
});
"""


def save(stack, b, lang, shoot):
    d = demo(stack)
    wslib.set_person(stack, d["email"], lang=lang, tz="Asia/Shanghai")
    wslib.sign_in(b, d["email"], next_path="/station")
    b.open("/station")
    yield shoot("station-desk")
    b.open("/station/log")
    wslib.type_into(b, "main [name=exhibitor_name]", "Ningbo Lamp Works")
    b.click("main button.lookup-button[data-role=exhibitor]")
    b.wait("the look-up", lambda: b.finds("main .lookup ul.lookup-results li"))
    yield shoot("station-log")
    b.open(f"/station/incidents/{d['incidents'][0]}/escalate")
    b.wait("the attendees", lambda: b.finds("main fieldset.attendees input[type=radio]"))
    yield shoot("station-escalate")
    b.cdp("Network.enable")
    b.cdp("Network.emulateNetworkConditions", OFFLINE)
    b.wait("offline", lambda: b.js("return !navigator.onLine"))
    b.driver.execute_async_script(RECORDS, d["show"]["id"], d["incidents"][0])
    b.js("history.pushState(null, '', '/station/queue'); "
         "dispatchEvent(new PopStateEvent('popstate'))")
    b.wait("the queue", lambda: len(b.finds("main .queue-list > li")) == 2)
    yield shoot("station-queue")
    b.driver.execute_async_script("""const done = arguments[arguments.length - 1];
        import('/lib/station-store.js').then((m) => m.wipe()).then(() => done(true));""")
    b.cdp("Network.emulateNetworkConditions", ONLINE)
