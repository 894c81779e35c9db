"""make screenshots for the watch list, its import and the delivery channels: an exporter per
language signed in for real, with a watch list of every kind, a webhook, a delivered test
event and one that gave up, and a DingTalk group robot (a local one standing in) with its test
message delivered; the pages as they open, the add form with the server's message beside a
field, the channel form with a DingTalk robot chosen (its help and signing secret), and an
import whose bad row is shown beside the row."""
import os
import tempfile

from exporter import enter, exporter
from harness import wait_until
from hookserver import Receiver
from robotserver import DINGTALK, Robots

ITEMS = [
    {"kind": "mark", "text": "LUMA", "classes": [9, 11], "countries": ["EM", "US"]},
    {"kind": "name", "text": "宁波港湾照明有限公司",
     "aliases": ["Ningbo Harbour Lighting Co., Ltd.", "港湾照明"]},
    {"kind": "patent", "number": "US 8,930,553 B2", "label": "LED desk lamp"},
    {"kind": "keyword", "text": "LED灯具", "countries": ["EU"]},
]
BAD_GBK = ("kind,text,aliases,classes,countries\r\n"
           "name,深圳蓝牙音箱有限公司,深蓝;Shenzhen Blue,,\r\n"
           "mark,蓝鲸,,9;99,EU\r\n"
           "keyword,蓝牙音箱,,,DE\r\n").encode("gbk")

# (name, path, what to do before the picture)
PAGES = [
    ("portfolio", "/app/portfolio", None),
    ("portfolio-form-errors", "/app/portfolio", "form-errors"),
    ("portfolio-import", "/app/portfolio/import", None),
    ("portfolio-import-errors", "/app/portfolio/import", "import-errors"),
    ("channels", "/app/channels", None),
    ("channels-attempts", "/app/channels?log=attempts", None),
    ("channels-robot", "/app/channels", "robot-form"),
]


def prepare(stack, data):
    """{lang: exporter} with their data; once per run."""
    out = {}
    rec = Receiver().start()
    bots = Robots().start()
    try:
        for lang in ("zh-CN", "en"):
            who = exporter(stack, "宁波港湾照明有限公司" if lang == "zh-CN"
                           else "Ningbo Harbour Lighting Co., Ltd.", lang=lang,
                           markets=("US", "EU", "JP"))
            base = f"/api/v1/subscribers/{who['sub']['id']}/portfolio"
            for item in ITEMS + [{"kind": "show", "show": data["show"]["id"]}]:
                assert stack.post(base, item, token=who["token"]).status == 201
            made = []
            for url in (rec.url("ok", f"erp-{lang}"), rec.url("fail", f"bot-{lang}")):
                w = stack.post("/api/v1/webhooks", {"url": url, "description": "ERP"},
                               token=who["token"]).json()
                made.append(stack.post(f"/api/v1/webhooks/{w['id']}/test", None,
                                       token=who["token"]).json()["id"])
            robot = stack.post("/api/v1/webhooks", {
                "kind": "dingtalk", "secret": f"SECshots{lang[:2]}", "severity_floor": "high",
                "url": bots.add(DINGTALK, f"shots-{lang}", f"SECshots{lang[:2]}"),
                "description": "法务群" if lang == "zh-CN" else "Legal team group"},
                token=who["token"]).json()
            made.append(stack.post(f"/api/v1/webhooks/{robot['id']}/test", None,
                                   token=who["token"]).json()["id"])

            def finished():
                ds = [stack.get(f"/api/v1/deliveries/{d}", token=who["token"]).json()
                      for d in made]
                return all(d["status"] in ("delivered", "exhausted") for d in ds)
            wait_until("the test events finished", finished, timeout=30)
            out[lang] = who
    finally:
        bots.stop()
        rec.stop()
    return out


def act(b, how, folder):
    if how == "form-errors":
        b.allow("/portfolio/check", 400)
        b.click("main .toolbar button")
        b.wait("the form", lambda: b.finds("dialog[open] input[name=classes]"))
        b.find("dialog input[name=text]").send_keys("LUMA")
        classes = b.find("dialog input[name=classes]")
        classes.send_keys("9, 46")
        classes.send_keys("\ue004")
        b.wait("the server's message", lambda: b.finds("dialog .field.invalid"))
    elif how == "import-errors":
        b.allow("/portfolio/import", 400)
        path = os.path.join(folder, "watch-list-gbk.csv")
        with open(path, "wb") as f:
            f.write(BAD_GBK)
        b.find("main input[type=file]").send_keys(path)
        b.click("main .import-form button[type=submit]")
        b.wait("the bad rows", lambda: b.finds("main .rows-table"))
    elif how == "robot-form":
        b.click("main .hook-form input[name=kind][value=dingtalk]")
        b.wait("the secret field", lambda: b.find("main .hook-form input[name=secret]").is_displayed())


def save(b, who, shoot):
    """Each page for who in browser b; shoot(name, path, full) saves the picture (full: the
    whole page, else what the screen shows)."""
    folder = tempfile.mkdtemp(prefix="seawall-shots-")
    for name, path, how in PAGES:
        enter(b, who, path)
        act(b, how, folder)
        if how in (None, "robot-form"):
            b.js("document.activeElement && document.activeElement.blur()")
        if how == "robot-form":
            # The add form as the screen shows it: the kinds, a robot's help, its secret.
            b.js("document.querySelector('main .hook-form').scrollIntoView()")
        else:
            b.js("window.scrollTo(0, 0)")
        # A dialog as the screen shows it: the page behind it is not the picture.
        yield shoot(name, path, how not in ("form-errors", "robot-form"))
