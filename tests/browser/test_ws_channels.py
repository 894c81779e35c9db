"""The delivery channels (/app/channels) against the real stack, signed in as an exporter: both
languages at a phone's and a desktop's width; the company's language and time zone, the API's
defaults shown as such with where they come from, then chosen; the account's address offered
(and said not to be saved), then saved with a digest hour in the company's zone, which the
digest follows; a webhook added against the test receiver (tests/integration/hookserver.py),
its secret shown once, a test event followed until the receiver's answer; WeCom, DingTalk and
Feishu group robots added against the local robots (tests/integration/robotserver.py, which
the stack's net.allow_private lets stand in for the platforms), the server's URL and secret
messages at their fields, a test message delivered and logged, a wrong signing secret shown
as the platform's refusal, changed and the message replayed, a robot held to its rate limit;
a pending delivery retried now, one that gave up replayed; a new secret with the old one's
overlap; switching off and deleting; the attempts log; and the exporter's pages as a triager
sees them."""
import os

from browser import DESKTOP, PHONE, browser
from exporter import api_requests, enter, exporter, field_error, no_sideways_scroll
from harness import wait_until
from hookserver import Receiver
from portal import catalogue, foreign
from robotserver import DINGTALK, FEISHU, WECOM, Robots


def hook(s, who, url):
    r = s.post("/api/v1/webhooks", {"url": url}, token=who["token"])
    assert r.status == 201, r
    return r.json()


def delivery(s, who, did):
    return s.get(f"/api/v1/deliveries/{did}", token=who["token"]).json()


def restart_notifier(s, env):
    """Restarts the notifier with env; returns the settings it replaced (None: unset)."""
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    s.script("stop-one", "seawall-notifier")
    s.script("start-worker", "seawall-notifier")
    return old


def test_page_in_both_languages_and_widths(s):
    cat = catalogue(s)
    rec = Receiver().start()
    bots = Robots().start()
    try:
        for lang in ("en", "zh-CN"):
            who = exporter(s, f"Channels {lang} Ltd", lang=lang)
            w = hook(s, who, rec.url("ok", f"both-{lang}"))
            r = s.post("/api/v1/webhooks", {"kind": "dingtalk", "secret": "SECboth1",
                                            "url": bots.add(DINGTALK, f"dt-both-{lang}", "SECboth1")},
                       token=who["token"])
            assert r.status == 201, r
            for hid in (w["id"], r.json()["id"]):
                d = s.post(f"/api/v1/webhooks/{hid}/test", None, token=who["token"]).json()
                wait_until("the test delivered", lambda: delivery(s, who, d["id"])["status"] == "delivered")
            tr = (lambda m: m) if lang == "en" else (lambda m: cat[m])
            for size in (PHONE, DESKTOP):
                with browser(s, lang=lang, size=size) as b:
                    b.cdp("Network.enable")
                    b.cdp("Network.setCacheDisabled", {"cacheDisabled": True})
                    for path in ("/app/channels", "/app/channels?log=attempts"):
                        enter(b, who, path)
                        h1 = [e.text for e in b.finds("main h1")]
                        assert h1 == ["Delivery channels" if lang == "en" else "推送渠道"], h1
                        hooks = b.text("main .hooks")
                        assert rec.url("ok", f"both-{lang}") in hooks and f"dt-both-{lang}" in hooks
                        assert b.text("main .hook[data-kind=dingtalk] .channel-kind") == tr(
                            "DingTalk group robot")
                        assert b.text("main .hook[data-kind=generic] .channel-kind") == tr("Webhook")
                        assert b.find("main .lang-form input[name=lang]:checked").get_attribute(
                            "value") == "zh-CN"                    # a company in China
                        assert b.finds("main .delivery-table tbody tr"), path
                        if path == "/app/channels":
                            assert tr("DingTalk group robot") in b.text("main .delivery-table")
                        bad = foreign(b.texts(), lang, cat)
                        assert not bad, (lang, size, path, bad[:8])
                        no_sideways_scroll(b)
                        calls = api_requests(b)
                        assert len(calls) <= 4, (path, calls)
                        size_kb = sum(r["transfer"] for r in b.resources()
                                      if not r["name"][len(b.base):].startswith("/api/"))
                        assert size_kb <= 150 * 1024, (path, size_kb)
                    # Each kind of channel's form, in this language and at this width.
                    for kind in ("wecom", "dingtalk", "feishu", "generic"):
                        b.click(f"main .hook-form input[name=kind][value={kind}]")
                        bad = foreign(b.texts(), lang, cat)
                        assert not bad, (lang, size, kind, bad[:8])
                        no_sideways_scroll(b)
    finally:
        bots.stop()
        rec.stop()


def test_mail_offers_the_account_address_then_saves(s):
    """The person reads Berlin time, but the company (in China, its sign-up address not the
    person's) has the API's default zone, Asia/Shanghai: the digest's zone field offers that,
    as the company's, and the saved digest follows it."""
    who = exporter(s, "Mail Settings Ltd", lang="en", tz="Europe/Berlin")
    account = who["sub"]["email"]
    api = s.get("/api/v1/delivery", token=who["token"]).json()
    assert api["tz"] == "Asia/Shanghai" and api["defaults"]["digest_tz"] == "tz", api
    with browser(s, lang="en") as b:
        b.allow("/api/v1/delivery", 400)
        enter(b, who, "/app/channels")
        first = b.find("main .mail-form input[name=emails-0]")
        assert first.get_attribute("value") == account
        assert "not saved yet" in b.text("main .mail-form .warning")
        assert not b.find("main .mail-form select[name=digest_hour]").is_displayed()
        # A digest at 7 in the company's zone (the API's default, offered first); a second
        # address that is no address: the server's message beside it, nothing saved.
        b.click("main .mail-form input[name=email_mode][value=digest]")
        zone = b.find("main .mail-form select[name=digest_tz]")
        assert zone.is_displayed() and zone.get_attribute("value") == ""
        chosen = b.js("const s = document.querySelector('main select[name=digest_tz]');"
                      "return s.options[s.selectedIndex].textContent")
        assert chosen == "Your company's time zone (Asia/Shanghai)", chosen
        assert len(b.finds("main .mail-form select[name=digest_tz] option")) > 300
        b.js("document.querySelector('main select[name=digest_hour]').value = '7'")
        b.click("main .mail-form .emails + button")
        second = b.find("main .mail-form input[name=emails-1]")
        assert b.focused()["name"] == "emails-1"
        second.send_keys("not an address")
        b.click("main .mail-form button[type=submit]")
        b.wait("the error", lambda: b.finds("main .mail-form .error-summary:not([hidden])"))
        invalid, message, tied = field_error(b, "main .mail-form input[name=emails-1]")
        assert invalid == "true" and tied and message, (invalid, message)
        assert field_error(b, "main .mail-form input[name=emails-0]")[0] is None
        assert b.focused()["name"] == "emails-1"
        assert s.get("/api/v1/delivery", token=who["token"]).json()["emails_default"] is True
        second.clear()
        second.send_keys("export@mail-settings.example")
        b.click("main .mail-form button[type=submit]")
        b.wait("saved", lambda: "Your mail settings are saved." in b.text("main .mail-panel .status"))
        got = s.get("/api/v1/delivery", token=who["token"]).json()
        assert got["emails"] == [account, "export@mail-settings.example"], got
        assert got["emails_default"] is False and got["email_mode"] == "digest", got
        assert got["digest_hour"] == 7 and got["digest_tz"] == "Asia/Shanghai", got
        assert got["defaults"].get("digest_tz") == "tz", got        # it follows, not pinned
        b.wait("the note gone", lambda: not b.finds("main .mail-form .warning"))
        assert "The next digest comes at" in b.text("main .mail-form")
        # A zone of the digest's own, kept; then the company's again, followed.
        b.js("const s = document.querySelector('main select[name=digest_tz]');"
             "s.value = 'Europe/Berlin'; s.dispatchEvent(new Event('change', {bubbles: true}))")
        b.click("main .mail-form button[type=submit]")
        wait_until("its own zone", lambda: s.get("/api/v1/delivery", token=who["token"]).json()[
            "digest_tz"] == "Europe/Berlin")
        assert "digest_tz" not in s.get("/api/v1/delivery", token=who["token"]).json()["defaults"]
        b.wait("shown", lambda: b.find("main select[name=digest_tz]").get_attribute("value")
               == "Europe/Berlin")
        b.js("const s = document.querySelector('main select[name=digest_tz]');"
             "s.value = ''; s.dispatchEvent(new Event('change', {bubbles: true}))")
        b.click("main .mail-form button[type=submit]")
        wait_until("following again", lambda: s.get("/api/v1/delivery", token=who["token"]).json()[
            "defaults"].get("digest_tz") == "tz")
        # Removing an address and saving keeps the other.
        b.wait("re-rendered", lambda: b.find("main select[name=digest_tz]").get_attribute("value")
               == "")
        b.click("main .mail-form [data-field=emails-0] .address-row button")
        assert b.focused()["name"] == "emails-0"
        b.click("main .mail-form button[type=submit]")
        wait_until("one address", lambda: s.get("/api/v1/delivery", token=who["token"]).json()[
            "emails"] == ["export@mail-settings.example"])


def test_language_and_zone_defaults_then_chosen(s):
    """In Chinese: the company's language and zone are the API's defaults for a company in
    China, said to be so; English and Berlin chosen and saved (the digest, following the
    company's zone, follows); then the defaults again."""
    cat = catalogue(s)
    who = exporter(s, "宁波语言时区有限公司", lang="zh-CN", tz="Europe/Berlin")
    with browser(s, lang="zh-CN", size=PHONE) as b:
        enter(b, who, "/app/channels")
        form = "main .lang-form"
        checked = b.find(f"{form} input[name=lang]:checked")
        assert checked.get_attribute("value") == "zh-CN"
        note = b.text(f"{form} .langs .default-note")
        assert note == cat["Not chosen yet, so Seawall uses the language for a company in "
                           "China: {value}."].replace("{value}", "中文"), note
        tz = b.find(f"{form} select[name=tz]")
        assert tz.get_attribute("value") == "Asia/Shanghai"
        hint = b.text(f"{form} [data-field=tz] .hint")
        assert hint == cat["Not chosen yet, so Seawall uses China's time zone: {value}."].replace(
            "{value}", "Asia/Shanghai"), hint
        # The notes are tied to what they describe.
        assert b.js(f"return document.querySelector('{form} .langs').getAttribute("
                    "'aria-describedby')") == b.find(f"{form} .langs .default-note").get_attribute("id")
        assert not b.finds(f"{form} button.defaults")
        assert not foreign(b.texts(), "zh-CN", cat)
        no_sideways_scroll(b)
        # English (by keyboard: the arrow key moves the choice) and Berlin, saved.
        checked.send_keys("\ue014")
        assert b.find(f"{form} input[name=lang]:checked").get_attribute("value") == "en"
        b.js(f"document.querySelector('{form} select[name=tz]').value = 'Europe/Berlin'")
        b.click(f"{form} button[type=submit]")
        b.wait("saved", lambda: cat["The language and time zone are saved."] in b.text("main"))
        got = s.get("/api/v1/delivery", token=who["token"]).json()
        assert (got["lang"], got["tz"], got["digest_tz"]) == ("en", "Europe/Berlin", "Europe/Berlin"), got
        assert got["defaults"] == {"digest_tz": "tz"}, got
        assert not b.finds(f"{form} .default-note")
        assert b.focused()["text"] == cat["Language and time zone"]
        # The digest's first choice names the zone it now follows.
        first = b.js("return document.querySelector('main select[name=digest_tz] option').textContent")
        assert first == cat["Your company's time zone ({zone})"].replace("{zone}", "Europe/Berlin"), first
        # And back to the defaults.
        b.click(f"{form} button.defaults")
        b.wait("the defaults", lambda: b.finds(f"{form} .langs .default-note"))
        got = s.get("/api/v1/delivery", token=who["token"]).json()
        assert (got["lang"], got["tz"]) == ("zh-CN", "Asia/Shanghai"), got
        assert got["defaults"] == {"lang": "country", "tz": "country", "digest_tz": "tz"}, got
        assert cat["Seawall's defaults apply again."] in b.text("main")
    # An English page for a company whose owner holds the account's address: the owner's.
    sub = s.make("/api/v1/subscribers", {"name": "Owner Default GmbH", "country": "DE",
                                         "email": f"owner-{os.getpid()}@channels.example"})
    from peoplelib import make_person, sign_in
    email = make_person(s, "exporter", sub["id"], team_role="owner",
                        email=f"owner-{os.getpid()}@channels.example")
    session = sign_in(s, email)
    assert session.patch("/api/v1/me", {"lang": "en", "tz": "America/Chicago"}).status == 200
    with browser(s, lang="en", size=DESKTOP) as b:
        enter(b, {"session": session}, "/app/channels")
        assert b.text("main .lang-form .langs .default-note") == (
            "Not chosen yet, so Seawall uses the language of the person who signed your "
            "company up: English.")
        assert b.text("main .lang-form [data-field=tz] .hint") == (
            "Not chosen yet, so Seawall uses the time zone of the person who signed your "
            "company up: America/Chicago.")
        assert b.find("main .lang-form select[name=tz]").get_attribute("value") == "America/Chicago"


def test_webhook_secret_shown_once_and_test_delivered(s):
    """Added from a phone in Chinese: a URL inside the network refused with the server's
    message at the field; the receiver's URL added, its secret shown once with a warning and
    copied; a test event signed with it and followed to "delivered" with the receiver's
    answer; the delivery and its attempt in the log."""
    cat = catalogue(s)
    rec = Receiver().start()
    try:
        who = exporter(s, "深圳蓝牙音箱有限公司", lang="zh-CN")
        with browser(s, lang="zh-CN", size=PHONE) as b:
            b.allow("/api/v1/webhooks", 400)
            b.cdp("Browser.grantPermissions", {"origin": b.base,
                                               "permissions": ["clipboardReadWrite",
                                                               "clipboardSanitizedWrite"]})
            enter(b, who, "/app/channels")
            url = b.find("main .hook-form input[name=url]")
            url.send_keys("http://10.0.0.1/hooks")
            b.click("main .hook-form button[type=submit]")
            b.wait("the URL refused", lambda: field_error(b, "main .hook-form input[name=url]")[0] == "true")
            invalid, message, tied = field_error(b, "main .hook-form input[name=url]")
            assert tied and "10.0.0.1" in message, message
            assert s.get("/api/v1/webhooks", token=who["token"]).json()["items"] == []
            url.clear()
            url.send_keys(rec.url("ok", "phone"))
            b.click("main .hook-form button[type=submit]")
            b.wait("the secret", lambda: b.finds("dialog[open] .secret"))
            secret = b.find("dialog .secret").text
            assert secret.startswith("whsec_"), secret
            assert cat["Copy it now: Seawall shows it only this once."] in b.text("dialog .warning")
            assert not foreign(b.texts(), "zh-CN", cat)
            b.click("dialog .actions .button:not(.secondary)")
            b.wait("copied", lambda: cat["Copied."] in b.text("dialog [role=status]"))
            assert b.js("return navigator.clipboard.readText()") == secret
            b.click("dialog .actions .button.secondary")
            b.wait("closed", lambda: not b.finds("dialog[open]"))
            # Shown once: not on the page any more, nor after a reload, nor from the API.
            assert secret not in b.js("return document.body.textContent")
            enter(b, who, "/app/channels")
            assert secret not in b.js("return document.body.textContent")
            w = s.get("/api/v1/webhooks", token=who["token"]).json()["items"][0]
            assert "secret" not in w and w["url"] == rec.url("ok", "phone")
            rec.secrets["phone"] = [secret]
            b.click("main .hook .actions button")                      # send a test event
            b.wait("delivered", lambda: cat["Delivered."] in b.text("main .hook .follow"), timeout=30)
            said = b.text("main .hook .follow")
            assert "HTTP 200" in said, said
            got = rec.wait("the test event", lambda hs: [x for x in hs if x.path == "/ok/phone"])[0]
            assert got.valid_with == [secret] and got.json()["type"] == "webhook.test"
            b.wait("the delivery listed", lambda: b.finds("main tr[data-status=delivered]"))
            row = b.find("main tr[data-status=delivered]")
            assert row.get_attribute("data-delivery") == got.id
            assert cat["Test event"] in row.text and cat["HTTP {code}"].replace("{code}", "200") in row.text
            b.follow("main .views li:nth-child(2) a")
            assert b.path() == "/app/channels?log=attempts"
            attempt = b.find("main .delivery-table tbody tr")
            assert rec.url("ok", "phone") in attempt.text and "200" in attempt.text, attempt.text
            no_sideways_scroll(b)
    finally:
        rec.stop()


def test_retry_now_rotate_switch_off_delete(s):
    """With retries an hour apart: a test event the receiver refuses stays pending with its
    answer shown; once the receiver works, "retry now" delivers it at once. Then a new secret
    (the old one's overlap said), switching off and on, deleting."""
    rec = Receiver().start()
    old = restart_notifier(s, {"SEAWALL_NOTIFIER_RETRY_SCHEDULE": "1h,1h"})
    try:
        who = exporter(s, "Retry Now Ltd", lang="en")
        w = hook(s, who, rec.url("switch", "later"))
        rec.mode["later"] = "fail"
        with browser(s, lang="en") as b:
            enter(b, who, "/app/channels")
            b.click("main .hook .actions button")
            b.wait("the refusal", lambda: "HTTP 500" in b.text("main .hook .follow"), timeout=30)
            assert "Not delivered yet." in b.text("main .hook .follow")
            b.wait("the pending row", lambda: b.finds("main tr[data-status=pending] button.retry"))
            did = b.find("main tr[data-status=pending]").get_attribute("data-delivery")
            assert delivery(s, who, did)["attempts"] == 1
            rec.mode["later"] = "ok"
            b.click(f"main tr[data-delivery='{did}'] button.retry")
            b.wait("delivered", lambda: b.finds(f"main tr[data-delivery='{did}'][data-status=delivered]"),
                   timeout=30)
            d = delivery(s, who, did)
            assert d["status"] == "delivered" and d["attempts"] == 2, d
            assert "Delivered" in b.find(f"main tr[data-delivery='{did}']").text
            assert [x.id for x in rec.for_name("later")] == [did, did]
            # A new secret: asked first, shown once, the old one's overlap said.
            b.click("main .hook .rotate")
            b.wait("the question", lambda: b.finds("dialog[open] .actions"))
            b.click("dialog .actions .button:not(.secondary)")
            b.wait("the new secret", lambda: b.finds("dialog[open] .secret"))
            new = b.find("dialog .secret").text
            assert new.startswith("whsec_") and new != w["secret"]
            assert "the old secret signs every request too" in b.text("dialog")
            b.click("dialog .actions .button.secondary")
            b.wait("closed", lambda: not b.finds("dialog[open]"))
            one = s.get(f"/api/v1/webhooks/{w['id']}", token=who["token"]).json()
            assert one["previous_secret_expires_at"], one
            assert "The old secret also signs until" in b.text("main .hook")
            # Off and on again.
            b.click("main .hook .toggle")
            b.wait("off", lambda: b.find("main .hook .toggle").text == "Switch on")
            assert s.get(f"/api/v1/webhooks/{w['id']}", token=who["token"]).json()["enabled"] is False
            assert b.focused()["text"] == "Switch on"
            b.click("main .hook .toggle")
            b.wait("on", lambda: b.find("main .hook .toggle").text == "Switch off")
            assert s.get(f"/api/v1/webhooks/{w['id']}", token=who["token"]).json()["enabled"] is True
            # Deleted after a question.
            b.click("main .hook .actions button:last-child")
            b.wait("the question", lambda: b.finds("dialog[open] .button.danger"))
            b.click("dialog .button.danger")
            b.wait("gone", lambda: not b.finds("main .hook"))
            assert s.get("/api/v1/webhooks", token=who["token"]).json()["items"] == []
    finally:
        rec.stop()
        restart_notifier(s, old)


def test_replay_a_delivery_that_gave_up(s):
    rec = Receiver().start()
    try:
        who = exporter(s, "Replay Ltd", lang="en")
        w = hook(s, who, rec.url("switch", "gaveup"))
        rec.mode["gaveup"] = "fail"
        d = s.post(f"/api/v1/webhooks/{w['id']}/test", None, token=who["token"]).json()
        wait_until("the delivery exhausted", lambda: delivery(s, who, d["id"])["status"] == "exhausted")
        rec.mode["gaveup"] = "ok"
        with browser(s, lang="en") as b:
            enter(b, who, "/app/channels")
            row = b.find(f"main tr[data-delivery='{d['id']}']")
            assert "Gave up" in row.text and "HTTP 500" in row.text, row.text
            assert not row.find_elements("css selector", "button.retry")
            b.click(f"main tr[data-delivery='{d['id']}'] button.replay")
            b.wait("delivered", lambda: b.finds(f"main tr[data-delivery='{d['id']}'][data-status=delivered]"),
                   timeout=30)
            assert delivery(s, who, d["id"])["status"] == "delivered"
            assert "Delivered" in b.text("main .deliveries")
    finally:
        rec.stop()


def test_group_robots_added_tested_and_logged(s):
    """In Chinese on a phone: each kind's help says where its URL is found (and DingTalk and
    Feishu offer the signing secret); a DingTalk robot's URL without its token and a secret
    not as DingTalk writes it are refused with the server's messages at their fields; the
    local robot's URL and secret added (no secret of Seawall's to show), listed with its kind,
    and a test message delivered to it, signed, in the company's language, and logged."""
    cat = catalogue(s)
    bots = Robots().start()
    try:
        who = exporter(s, "宁波群机器人照明有限公司", lang="zh-CN")
        with browser(s, lang="zh-CN", size=PHONE) as b:
            b.allow("/api/v1/webhooks", 400)
            enter(b, who, "/app/channels")
            form = "main .hook-form"
            assert not b.find(f"{form} input[name=secret]").is_displayed()
            for kind, host in ((WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="),
                               (DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token="),
                               (FEISHU, "https://open.feishu.cn/open-apis/bot/v2/hook/")):
                b.click(f"{form} input[name=kind][value={kind}]")
                hint = b.text(f"{form} [data-field=url] .hint")
                assert host in hint, (kind, hint)
                assert b.text(f"{form} [data-field=url] label") == cat["The robot's webhook address"]
                assert b.find(f"{form} input[name=secret]").is_displayed() == (kind != WECOM), kind
                assert b.text(f"{form} button[type=submit]") == cat["Add the group robot"]
                bad = foreign(b.texts(), "zh-CN", cat)
                assert not bad, (kind, bad[:8])
                no_sideways_scroll(b)
            b.click(f"{form} input[name=kind][value={DINGTALK}]")
            assert "加签" in b.text(f"{form} [data-field=secret] .hint")
            url = b.find(f"{form} input[name=url]")
            secret = b.find(f"{form} input[name=secret]")
            url.send_keys("https://oapi.dingtalk.com/robot/send")
            secret.send_keys("notSEC")
            b.click(f"{form} button[type=submit]")
            b.wait("refused", lambda: field_error(b, f"{form} input[name=url]")[0] == "true")
            invalid, message, tied = field_error(b, f"{form} input[name=url]")
            assert tied and "钉钉" in message, message
            invalid, message, tied = field_error(b, f"{form} input[name=secret]")
            assert invalid == "true" and tied and "SEC" in message, message
            assert b.focused()["name"] == "url"
            assert s.get("/api/v1/webhooks", token=who["token"]).json()["items"] == []
            url.clear()
            url.send_keys(bots.add(DINGTALK, "dt-page", "SECpage1"))
            secret.clear()
            secret.send_keys("SECpage1")
            b.click(f"{form} button[type=submit]")
            card = "main .hook[data-kind=dingtalk]"
            b.wait("added", lambda: b.finds(card))
            assert not b.finds("dialog[open]")                 # no secret of Seawall's
            assert "test" in b.focused()["cls"]
            text = b.text(card)
            assert cat["DingTalk group robot"] in text and cat["Signed with the platform's secret"] in text
            assert not b.finds(f"{card} .rotate") and b.finds(f"{card} .sign")
            w = s.get("/api/v1/webhooks", token=who["token"]).json()["items"][0]
            assert w["kind"] == "dingtalk" and w["signed"] is True and "secret" not in w, w
            # The form is back at a webhook, its secret field hidden and empty.
            assert b.find(f"{form} input[name=kind]:checked").get_attribute("value") == "generic"
            assert not b.find(f"{form} input[name=secret]").is_displayed()
            b.click(f"{card} .test")
            b.wait("delivered", lambda: cat["Delivered."] in b.text(f"{card} .follow"), timeout=30)
            took = cat["The group's robot took the message in {ms} ms."].split("{ms}")[0]
            assert took in b.text(f"{card} .follow"), b.text(f"{card} .follow")
            got = bots.wait("the test message", lambda ms: [m for m in ms if m.token == "dt-page"])
            assert got[0].ok and "测试消息" in got[0].body["markdown"]["title"], got
            assert got[0].query["sign"][0]                          # signed with the secret
            b.wait("listed", lambda: b.finds("main tr[data-status=delivered]"))
            row = b.find("main tr[data-status=delivered]").text
            assert cat["DingTalk group robot"] in row and cat["Test event"] in row, row
            assert not foreign(b.texts(), "zh-CN", cat)
            b.follow("main .views li:nth-child(2) a")
            attempt = b.find("main .delivery-table tbody tr").text
            assert "dt-page" in attempt and "200" in attempt, attempt
    finally:
        bots.stop()


def test_a_wrong_robot_secret_shown_then_changed_and_replayed(s):
    """In English on a desktop: a Feishu robot added with a secret that is not the group's;
    its test message refused by the platform (HTTP 200 with an error code): the platform's
    error is shown, not "HTTP 200"; the secret changed in its dialog, the message replayed and
    delivered, signed with the new one. A WeCom robot has neither secret button."""
    bots = Robots().start()
    try:
        who = exporter(s, "Feishu Secret Lamps Ltd", lang="en")
        with browser(s, lang="en", size=DESKTOP) as b:
            enter(b, who, "/app/channels")
            form = "main .hook-form"
            b.click(f"{form} input[name=kind][value={FEISHU}]")
            assert "签名校验" in b.text(f"{form} [data-field=secret] .hint")
            b.find(f"{form} input[name=url]").send_keys(bots.add(FEISHU, "fs-page", "feishuright1"))
            b.find(f"{form} input[name=secret]").send_keys("feishuwrong1")
            b.click(f"{form} button[type=submit]")
            card = "main .hook[data-kind=feishu]"
            b.wait("added", lambda: b.finds(card))
            assert "Feishu (Lark) group robot" in b.text(card)
            b.click(f"{card} .test")
            b.wait("given up", lambda: "Gave up" in b.text(f"{card} .follow"), timeout=30)
            said = b.text(f"{card} .follow")
            assert "Feishu error 19021" in said and "HTTP 200" not in said, said
            d = s.get("/api/v1/deliveries", token=who["token"]).json()["items"][0]
            assert d["status"] == "exhausted" and d["channel"] == "feishu", d
            b.wait("the row", lambda: b.finds(f"main tr[data-delivery='{d['id']}'][data-status=exhausted]"))
            assert "Feishu error 19021" in b.find(f"main tr[data-delivery='{d['id']}']").text
            # The right secret, in the robot's own dialog.
            b.click(f"{card} .sign")
            b.wait("the dialog", lambda: b.finds("dialog[open] input[name=secret]"))
            assert b.focused()["name"] == "secret"
            assert "signs this robot's messages with a secret" in b.text("dialog")
            b.find("dialog input[name=secret]").send_keys("feishuright1")
            b.click("dialog button[type=submit]")
            b.wait("saved", lambda: "The signing secret is saved." in b.text("main"))
            assert not b.finds("dialog[open]")
            assert "sign" in b.focused()["cls"]
            b.click(f"main tr[data-delivery='{d['id']}'] button.replay")
            b.wait("delivered", lambda: b.finds(f"main tr[data-delivery='{d['id']}'][data-status=delivered]"),
                   timeout=30)
            ok = [m for m in bots.got("fs-page") if m.ok]
            assert len(ok) == 1 and ok[0].body["sign"], ok
            # A WeCom robot: its key is its URL, so no secret to make or set.
            r = s.post("/api/v1/webhooks", {"kind": "wecom", "url": bots.add(WECOM, "wk-page")},
                       token=who["token"])
            assert r.status == 201, r
            enter(b, who, "/app/channels")
            wecom = "main .hook[data-kind=wecom]"
            assert "WeCom group robot" in b.text(wecom)
            assert not b.finds(f"{wecom} .rotate") and not b.finds(f"{wecom} .sign")
            assert b.text(f"{wecom} .test") == "Send a test message"
    finally:
        bots.stop()


def test_a_robot_held_to_its_rate_limit(s):
    """With WeCom robots allowed one message a minute: the second test message waits for
    the robot's limit, and the page says so, without counting an attempt."""
    bots = Robots().start()
    old = restart_notifier(s, {"SEAWALL_NOTIFIER_WECOM_PER_MIN": "1"})
    try:
        who = exporter(s, "Rate Limited Lamps Ltd", lang="en")
        w = s.post("/api/v1/webhooks", {"kind": "wecom", "url": bots.add(WECOM, "wk-rate-page")},
                   token=who["token"]).json()
        first = s.post(f"/api/v1/webhooks/{w['id']}/test", None, token=who["token"]).json()
        wait_until("the first delivered", lambda: delivery(s, who, first["id"])["status"] == "delivered")
        with browser(s, lang="en") as b:
            enter(b, who, "/app/channels")
            card = "main .hook[data-kind=wecom]"
            b.click(f"{card} .test")
            b.wait("held back", lambda: "limit on how often a robot may post" in b.text(f"{card} .follow"),
                   timeout=30)
            b.wait("the row", lambda: b.finds("main tr[data-status=pending] .waiting"))
            row = b.find("main tr[data-status=pending]")
            assert "Waiting for the robot's rate limit" in row.text, row.text
            d = delivery(s, who, row.get_attribute("data-delivery"))
            assert d["waiting_for"] == "rate_limit" and d["attempts"] == 0, d
        assert len(bots.got("wk-rate-page")) == 1
    finally:
        restart_notifier(s, old)
        bots.stop()


EXPORTER_PAGES = ["/app/portfolio", "/app/portfolio/import", "/app/channels", "/app/cases",
                  "/app/cases/new", "/app/cases/1", "/app/team"]


def test_exporter_pages_tell_a_triager_whose_they_are(s):
    """A triager signed in who opens an exporter's page (the router's roles) is told whose page
    it is and who they are, with the way to the workspace; the page itself is not loaded and
    asks the API nothing but the session. The side navigation does not offer these pages; the
    account page, for every role, opens."""
    from peoplelib import make_person, sign_in
    cat = catalogue(s)
    centre = s.make("/api/v1/centres", {"name": "Channels Test Centre", "country": "CN"})
    staff = s.make(f"/api/v1/centres/{centre['id']}/staff",
                   {"name": "Tri Ager", "email": "tri@channels.example", "role": "triager"})
    session = sign_in(s, make_person(s, "triager", staff["id"], name="Tri Ager"))
    who = {"session": session}
    for lang, size in (("en", DESKTOP), ("zh-CN", PHONE)):
        assert session.patch("/api/v1/me", {"lang": lang}).status == 200
        tr = (lambda m: m) if lang == "en" else (lambda m: cat[m])
        said = (tr("This page is for exporters: it shows an exporter's own company and its work.")
                + " " + tr("You are signed in as: {role}.").replace("{role}", tr("Triager")))
        with browser(s, lang=lang, size=size) as b:
            b.cdp("Network.enable")
            for path in EXPORTER_PAGES:
                enter(b, who, path)
                assert b.finds("main .not-for-role"), path
                notice = " ".join(b.text("main .notice").split())
                assert notice == said, (path, notice)
                assert len(b.finds("main h1")) == 1
                assert api_requests(b) == [f"{b.base}/api/v1/session"], (path, api_requests(b))
                assert not b.finds(f"sw-app-nav a[href='{path}']"), path
                bad = foreign(b.texts(), lang, cat)
                assert not bad, (lang, path, bad[:8])
                no_sideways_scroll(b)
                b.assert_clean()
            b.follow("main .not-for-role a[href='/app']")
            assert b.path() == "/app"
            assert b.text("main h1") == tr("Workspace")
            enter(b, who, "/app/account")
            assert b.text("main h1") == tr("Your account") and not b.finds("main .not-for-role")
