"""The account page in a real browser against the real stack: the zone and language kept for
the person, the password changed, a session ended from another, an API token made (its secret
shown once), used with http.client and revoked, the TOTP second factor set up from the secret
the page shows (and the QR code it draws, read back with zbarimg), then signing out and in
with a code, and the audit log listing all of it; both languages, a phone and a desktop. Also
the QR encoder itself against zbarimg at every size an otpauth URI can take."""
import http.client
import json
import os
import re
import subprocess
import time

from browser import DESKTOP, PHONE, browser
from peoplelib import PASSWORD, totp
from peoplelib import sign_in as api_sign_in
from portal import ROOT, catalogue
from wslib import (PERSON_ZONE, ZONE, check_page, exporter, field_error, first_load,
                   select, set_person, sign_in, type_into)

NEW_PASSWORD = "a new and much longer passphrase 2026"


def bearer_get(s, path, token):
    """GET path with Authorization: Bearer, as a script would (http.client, no cookie)."""
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
    try:
        c.request("GET", path, headers={"Authorization": f"Bearer {token}",
                                        "Accept": "application/json"})
        r = c.getresponse()
        return r.status, json.loads(r.read() or b"null")
    finally:
        c.close()


def zbar(png):
    """The text of the QR code in the PNG file, as zbarimg reads it."""
    p = subprocess.run(["zbarimg", "--quiet", "--raw", png], capture_output=True, text=True,
                       timeout=30)
    assert p.returncode == 0, p.stderr
    return p.stdout.rstrip("\n")


def qr_png(b, path):
    """A screenshot of the whole page, in which zbarimg finds the QR code (sw-account-qr)."""
    assert b.find("sw-account-qr svg").is_displayed()
    b.screenshot(path)
    return path


def events(b):
    return [r.get_attribute("data-event") for r in b.finds("main table.audit tbody tr")]


def test_account_zone_password_sessions_tokens_totp_audit(s):
    sub, tok, email = exporter(s, company="Account Lighting Co.", name="Li Wei")
    cat = catalogue(s)
    api_sign_in(s, email, password="not the password", expect=401)      # a failure to log
    with browser(s, lang="en", size=DESKTOP, tz=ZONE) as a:
        sign_in(a, email, next_path="/app/account")
        assert a.text("main h1") == "Your account"
        calls = check_page(a, s, "en", "/app/account")
        assert sorted(c.split("?")[0] for c in calls) == [
            "/api/v1/me/audit", "/api/v1/me/sessions", "/api/v1/session", "/api/v1/tokens"]
        # The zone: kept for the person, and every time on the page follows it.
        assert a.find("main select[name=tz]").get_attribute("value") == PERSON_ZONE
        select(a, "main select[name=tz]", "Europe/Berlin")
        type_into(a, "main [name=name]", "Li Wei (Legal)")
        a.js("document.documentElement.dataset.state = 'leaving'")
        a.click("main #profile-section button[type=submit]")
        a.wait_ready()
        assert a.text("main .notice.success") == "Your name, language and time zone have been saved."
        me = api_sign_in(s, email).get("/api/v1/me").json()["person"]
        assert (me["tz"], me["name"], me["lang"]) == ("Europe/Berlin", "Li Wei (Legal)", "en")
        t = a.find("main table.sessions time")
        fmt = ("return new Intl.DateTimeFormat('en', {timeZone: arguments[1], dateStyle: "
               "'medium', timeStyle: 'short'}).format(new Date(arguments[0]))")
        assert t.text == a.js(fmt, t.get_attribute("datetime"), "Europe/Berlin")
        # The password: the wrong current one at its field, then changed.
        a.allow("/api/v1/me/password", 400)
        type_into(a, "main [name=current]", "not the password")
        type_into(a, "main [name=new]", NEW_PASSWORD)
        type_into(a, "main [name=confirm]", NEW_PASSWORD + "!")
        a.click("main #password-section button[type=submit]")
        a.wait("the error", lambda: a.finds("#password-section .error-summary:not([hidden])"))
        assert field_error(a, "confirm") == ("true", "Error: The two passwords are not the same")
        type_into(a, "main [name=confirm]", NEW_PASSWORD)
        a.click("main #password-section button[type=submit]")
        a.wait("the API's error", lambda: field_error(a, "current")[0] == "true")
        assert "is not the current password" in field_error(a, "current")[1]
        type_into(a, "main [name=current]", PASSWORD)
        a.click("main #password-section button[type=submit]")
        a.wait("the change", lambda: a.finds("#password-section .notice.success:not([hidden])"))
        assert a.find("main [name=current]").get_attribute("value") == ""
        # A second session (a phone, in Chinese) with the new password; ended from the first.
        with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
            b.allow("/api/v1/me/sessions", 401)
            b.allow("/api/v1/session", 401)
            sign_in(b, email, password=NEW_PASSWORD, next_path="/app/account")
            mine = b.find("main table.sessions tr.current").get_attribute("data-session")
            a.open("/app/account")
            rows = a.finds("main table.sessions tbody tr")
            assert len(rows) == 2, [r.text for r in rows]
            current = a.find("main table.sessions tr.current")
            assert "This session" in current.text and current.get_attribute("data-session") != mine
            a.click(f"main table.sessions tr[data-session='{mine}'] button")
            a.wait("the session gone", lambda: not a.finds(f"main tr[data-session='{mine}']"))
            assert a.text("main #sessions-section p[role=status]") == "The session has been ended."
            # The ended session's next request is refused: the phone is sent to sign in.
            b.open("/app/account")
            b.wait("the sign-in page", lambda: b.path().startswith("/signin"))
        # A token: made with a label and an expiry, its secret shown once, used, revoked.
        type_into(a, "main form.token-form [name=label]", "nightly export")
        select(a, "main form.token-form select[name=expires]", str(30 * 86400))
        a.click("main form.token-form button[type=submit]")
        a.wait("the secret", lambda: a.finds("main .token-secret:not([hidden]) code"))
        secret = a.text("main .token-secret code")
        assert re.fullmatch(r"swt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}", secret), secret
        assert a.focused()["cls"].startswith("notice success token-secret")
        status, body = bearer_get(s, "/api/v1/me", secret)
        assert status == 200 and body["person"]["email"] == email, body
        tid = secret.split("_")[1]
        made = s.get(f"/api/v1/tokens/{tid}", token=s.admin).json()
        assert made["label"] == "nightly export" and made["expires_at"], made
        a.open("/app/account")
        assert not a.finds("main .token-secret:not([hidden])")         # shown once only
        assert secret not in a.driver.page_source
        row = a.find(f"main table.tokens tr[data-token='{tid}']")
        assert "nightly export" in row.text and "Not used yet" not in row.text, row.text
        a.click(f"main table.tokens tr[data-token='{tid}'] button")
        a.wait("revoked", lambda: "Revoked" in a.text(f"main table.tokens tr[data-token='{tid}']"))
        assert bearer_get(s, "/api/v1/me", secret)[0] == 401
        # The second factor: the key and the URI from the page's text, the QR code read back.
        a.click("main #totp-section button")
        a.wait("the key", lambda: a.finds("main .totp-secret"))
        key = a.text("main .totp-secret").replace(" ", "")
        assert re.fullmatch(r"[A-Z2-7]{32}", key), key
        assert a.focused()["name"] == "code"
        a.click("main #totp-section details summary")
        uri = a.text("main .totp-uri")
        assert uri.startswith("otpauth://totp/Seawall:") and f"secret={key}" in uri, uri
        png = qr_png(a, os.path.join(s.dir, "totp-qr.png"))
        assert zbar(png) == uri
        a.find("main #totp-section [name=code]").send_keys(totp(key))
        a.click("main #totp-section button[type=submit]")
        a.wait("on", lambda: "On." in a.text("main #totp-section .totp-state"))
        assert api_sign_in(s, email, password=NEW_PASSWORD, expect=401).last.json()["type"] \
            == "urn:seawall:problem:totp-required"
        # Signing out, and in again with a code of the next step (this one is used).
        a.js("document.documentElement.dataset.state = 'leaving'")
        a.click("sw-app-nav button")
        a.wait_ready()
        a.allow("/api/v1/session", 401)
        sign_in(a, email, password=NEW_PASSWORD, code=totp(key, time.time() + 30),
                next_path="/app/account")
        assert "On." in a.text("main #totp-section")
        # The audit log lists it all.
        got = set(events(a))
        for want in ("sign-in", "sign-in-failed", "sign-out", "profile-changed",
                     "password-change-failed", "password-changed", "session-ended",
                     "token-created", "token-revoked", "totp-enabled"):
            assert want in got, (want, got)
        assert "API token revoked" in a.text("main table.audit")
        check_page(a, s, "en", "/app/account after everything", max_api=None)
        # The language, chosen here, is the person's from now on.
        select(a, "main select[name=lang]", "zh-CN")
        a.click("main #profile-section button[type=submit]")
        a.wait("Chinese", lambda: a.js("return document.documentElement.lang") == "zh-CN" and
               a.js("return document.documentElement.dataset.state") == "ready")
        # The saved profile may render the page once more after the switch: the heading is
        # waited for, not read once (a read between the two renders found a stale element).
        a.wait("the heading in Chinese", lambda: a.text("main h1") == cat["Your account"])
        mine = [p for p in json.loads(s.cli("person", "list")) if p["email"] == email]
        assert mine[0]["lang"] == "zh-CN", mine
        check_page(a, s, "zh-CN", "/app/account in Chinese", max_api=None)


def test_account_on_a_phone_in_chinese(s):
    sub, tok, email = exporter(s, company="Phone Account Ltd.", name="Wang Fang")
    set_person(s, email, lang="zh-CN")
    cat = catalogue(s)
    with browser(s, lang="zh-CN", size=PHONE, tz=ZONE) as b:
        sign_in(b, email, next_path="/app/account")
        check_page(b, s, "zh-CN", "/app/account")
        b.click("main #totp-section button")
        b.wait("the key", lambda: b.finds("main .totp-secret"))
        key = b.text("main .totp-secret").replace(" ", "")
        b.click("main #totp-section details summary")
        uri = b.text("main .totp-uri")
        assert f"secret={key}" in uri
        assert zbar(qr_png(b, os.path.join(s.dir, "totp-qr-phone.png"))) == uri
        # A wrong code is refused at its field; the right one turns it on.
        b.allow("/api/v1/me/totp/confirm", 400)
        b.click("main #totp-section button[type=submit]")
        b.wait("the error", lambda: field_error(b, "code")[0] == "true")
        assert field_error(b, "code")[1] == f"{cat['Error:']} {cat['Enter the 6 digits of the code']}"
        b.find("main #totp-section [name=code]").send_keys(totp(key))
        b.click("main #totp-section button[type=submit]")
        b.wait("on", lambda: cat["On."] in b.text("main #totp-section .totp-state"))
        check_page(b, s, "zh-CN", "/app/account with the second factor", max_api=None)
        size, calls = first_load(b, "/app/account")
        assert size <= 150 * 1024 and len(calls) <= 4, (size, calls)


def test_qr_encoder_against_zbar(s):
    """www/lib/qr.js, run by node, at lengths from a short text to past version 10 (version
    information drawn from 7 on), UTF-8 included: zbarimg reads every code back."""
    folder = os.path.join(s.dir, "qr")
    os.makedirs(folder, exist_ok=True)
    texts = ["A", "otpauth://totp/Seawall:a%40b.example?secret=JBSWY3DPEHPK3PXP&issuer=Seawall",
             "x" * 150, "otpauth://totp/Seawall:" + "l" * 200 + "%40example.com?secret="
             + "A" * 32 + "&issuer=Seawall", "预警" * 60]
    script = f"""
import {{ qr }} from {json.dumps(os.path.join(ROOT, "www", "lib", "qr.js"))};
import {{ writeFileSync }} from "fs";
const texts = {json.dumps(texts)};
texts.forEach((text, k) => {{
  const q = qr(text);
  const scale = 4, quiet = 4, n = (q.size + 2 * quiet) * scale;
  const px = Buffer.alloc(n * n, 255);
  q.modules.forEach((row, y) => row.forEach((dark, x) => {{
    if (!dark) return;
    for (let a = 0; a < scale; a++) for (let b = 0; b < scale; b++)
      px[((y + quiet) * scale + a) * n + (x + quiet) * scale + b] = 0;
  }}));
  writeFileSync({json.dumps(folder)} + `/${{k}}.pgm`, Buffer.concat([Buffer.from(`P5 ${{n}} ${{n}} 255\\n`), px]));
  console.log(q.version);
}});
"""
    path = os.path.join(folder, "draw.mjs")
    with open(path, "w") as f:
        f.write(script)
    p = subprocess.run(["node", path], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    versions = [int(v) for v in p.stdout.split()]
    assert versions[0] == 1 and max(versions) >= 10, versions
    for k, text in enumerate(texts):
        assert zbar(os.path.join(folder, f"{k}.pgm")) == text, (k, versions[k])
