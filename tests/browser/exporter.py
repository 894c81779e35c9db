"""An exporter signed in for real, for the workspace pages' tests and screenshots: a new
subscriber, its owner (a person made with the admin program, speaking the browser's language,
in its zone), signed in through the API, and the session cookie handed to the browser as the
sign-in page would have it set."""
import itertools
import os

from peoplelib import make_person, sign_in

_n = itertools.count(1)


def exporter(s, company, lang="en", tz="Asia/Shanghai", markets=("US", "DE")):
    """{sub, email, token (a bearer token of the subscriber, for checks), session (peoplelib's
    cookie client)}."""
    sub = s.make("/api/v1/subscribers", {"name": company, "country": "CN",
                                          "email": f"legal-{os.getpid()}-{next(_n)}@exporter.example",
                                          "markets": list(markets)})
    email = make_person(s, "exporter", sub["id"], team_role="owner", name="Li Wei")
    session = sign_in(s, email)
    r = session.patch("/api/v1/me", {"lang": lang, "tz": tz})
    assert r.status == 200, r
    return {"sub": sub, "email": email, "token": s.token_for("exporter", sub["id"]),
            "session": session}


def enter(b, who, path):
    """Opens path in browser b signed in as who."""
    name, value = who["session"].cookie.split("=", 1)
    b.cdp("Network.setCookie", {"name": name, "value": value, "url": b.base + "/",
                                "httpOnly": True, "sameSite": "Strict"})
    b.open(path)


def fetch_bytes(b, url):
    """GET url from the page (its cookie, as a download would go): {status, type,
    disposition, body (bytes)}."""
    import base64
    r = b.js("""return (async (url) => {
        const r = await fetch(url, {credentials: 'same-origin'});
        const buf = new Uint8Array(await r.arrayBuffer());
        let bin = '';
        for (let i = 0; i < buf.length; i += 8192) {
          bin += String.fromCharCode.apply(null, buf.subarray(i, i + 8192));
        }
        return {status: r.status, type: r.headers.get('Content-Type'),
                disposition: r.headers.get('Content-Disposition'), body: btoa(bin)};
        })(arguments[0]);""", url)
    r["body"] = base64.b64decode(r["body"])
    return r


def api_requests(b):
    """The API requests the page has made since it loaded."""
    origin = b.base
    return [r["name"] for r in b.resources() if r["name"][len(origin):].startswith("/api/")]


def field_error(b, control_css):
    """(aria-invalid, the text of the control's error message, whether aria-describedby
    names that message) of a form control."""
    return b.js("""
        const c = document.querySelector(arguments[0]);
        const wrap = c.closest('.field');
        const err = wrap.querySelector('.field-error');
        const ids = (c.getAttribute('aria-describedby') || '').split(/\\s+/);
        return [c.getAttribute('aria-invalid'),
                err.hidden ? '' : err.textContent.replace(/\\s+/g, ' ').trim(),
                ids.includes(err.id)];""", control_css)


def no_sideways_scroll(b):
    width = b.js("return document.documentElement.scrollWidth")
    assert width <= b.size[0], f"{b.path()} is {width}px wide at {b.size[0]}px"
