"""Sessions: the cookie and its flags, the CSRF rules for cookie-authenticated changes (bearer
tokens unaffected), a person's list of sessions and ending one, sign-out, and the idle and
absolute limits (moved past with the stack's test clock)."""
import hashlib
import os

from harness import HIGH_LIMIT, Monitor, key_slot, problem, wait_until
from peoplelib import (PASSWORD, Browser, audit_events, clear_throttle, fastcgi, make_person,
                       origin, set_clock, sign_in, sign_in_fastcgi)

MIN = 60 * 1000


def person(s, tag="Session Exporter Ltd"):
    sub, _ = s.tenant(tag)
    return sub, make_person(s, "exporter", sub["id"])


def test_cookie_flags(s):
    clear_throttle(s)
    _, email = person(s)
    b = sign_in(s, email)
    c = b.last.header("Set-Cookie")
    parts = [p.strip() for p in c.split(";")]
    assert parts[0].startswith("sw_session=") and len(parts[0]) == len("sw_session=") + 43, c
    assert "HttpOnly" in parts and "SameSite=Strict" in parts and "Path=/" in parts, c
    assert "Secure" not in parts, c
    assert b.last.header("Cache-Control") == "no-store"
    # Over TLS (nginx sets HTTPS) the cookie is Secure too.
    secure = [p.strip() for p in sign_in_fastcgi(s, email, https=True).split(";")]
    assert "Secure" in secure and "HttpOnly" in secure and "SameSite=Strict" in secure, secure
    plain = [p.strip() for p in sign_in_fastcgi(s, email, https=False).split(";")]
    assert "Secure" not in plain
    # A client's own "HTTPS" header is not nginx's parameter: no Secure from it.
    r = Browser(s).post("/api/v1/session", {"email": email, "password": PASSWORD},
                        headers={"HTTPS": "on"})
    assert "Secure" not in [p.strip() for p in r.header("Set-Cookie").split(";")]


def test_csrf_origin_and_token_for_cookie_changes_only(s):
    clear_throttle(s)
    sub, email = person(s, "CSRF Exporter Ltd")
    b = sign_in(s, email)
    item = {"kind": "mark", "text": "CSRFMARK"}
    path = f"/api/v1/subscribers/{sub['id']}/portfolio"
    p = problem(b.post(path, item, origin_ok=False), 403, "csrf")
    assert "Origin" in p["detail"]
    p = problem(b.post(path, item, headers={"Origin": "https://evil.example"}), 403, "csrf")
    assert "evil.example" in p["detail"]
    p = problem(b.post(path, item, csrf_ok=False), 403, "csrf")
    assert "X-CSRF-Token" in p["detail"]
    problem(b.post(path, item, headers={"X-CSRF-Token": "A" * 43}), 403, "csrf")
    assert b.post(path, item).status == 201
    # Reads need neither; the CSRF token is the session's and comes with GET /session.
    assert b.get(path).status == 200
    assert b.get("/api/v1/session").json()["csrf_token"] == b.csrf
    # A bearer token is not a cookie: no Origin or CSRF token needed, a foreign Origin ignored.
    tok = s.token_for("exporter", sub["id"])
    r = s.post(path, {"kind": "mark", "text": "BEARERMARK"}, token=tok,
               headers={"Origin": "https://evil.example"})
    assert r.status == 201, r
    # Sign-in from a foreign page is refused too (login CSRF); without Origin it is a script.
    problem(Browser(s).post("/api/v1/session", {"email": email, "password": PASSWORD},
                            headers={"Origin": "https://evil.example"}), 403, "csrf")
    assert s.post("/api/v1/session", {"email": email, "password": PASSWORD}).status == 200


def test_sessions_listed_and_ended(s):
    clear_throttle(s)
    _, email = person(s)
    a = sign_in(s, email)
    b = Browser(s)
    assert b.post("/api/v1/session", {"email": email, "password": PASSWORD},
                  headers={"User-Agent": "Second Browser/2"}).status == 200
    items = a.get("/api/v1/me/sessions").json()["items"]
    assert len(items) == 2, items
    mine = [i for i in items if i["current"]]
    theirs = [i for i in items if not i["current"]]
    assert len(mine) == 1 and theirs[0]["user_agent"] == "Second Browser/2", items
    assert theirs[0]["address"] == "127.0.0.1" and theirs[0]["created_at"]
    assert set(theirs[0]) == {"id", "created_at", "last_seen_at", "expires_at", "address",
                              "user_agent", "current"}
    assert a.delete(f"/api/v1/me/sessions/{theirs[0]['id']}").status == 204
    problem(b.get("/api/v1/me"), 401, "unauthorized")
    problem(a.delete(f"/api/v1/me/sessions/{theirs[0]['id']}"), 404)
    problem(a.delete("/api/v1/me/sessions/0123456789abcdef"), 404)
    assert [i["current"] for i in a.get("/api/v1/me/sessions").json()["items"]] == [True]
    assert "session-ended" in audit_events(a)


def test_sign_out_ends_the_session_and_clears_the_cookie(s):
    clear_throttle(s)
    _, email = person(s)
    b = sign_in(s, email)
    cookie = b.cookie
    problem(b.delete("/api/v1/session", csrf_ok=False), 403, "csrf")
    r = b.delete("/api/v1/session")
    assert r.status == 204, r
    assert "Max-Age=0" in r.header("Set-Cookie") and b.cookie is None
    r = s.get("/api/v1/me", headers={"Cookie": cookie})
    problem(r, 401, "unauthorized")
    assert "Max-Age=0" in r.header("Set-Cookie")
    events = audit_events(sign_in(s, email))
    assert events[:3] == ["sign-in", "sign-out", "sign-in"], events


def test_unknown_cookie_and_a_bearer_on_session_routes(s):
    problem(s.get("/api/v1/me", headers={"Cookie": "sw_session=" + "A" * 43}), 401,
            "unauthorized")
    p = problem(s.get("/api/v1/me"), 401, "unauthorized")
    assert "sign in" in p["detail"]
    problem(s.get("/api/v1/session", token=s.admin), 400, "no-session")
    # A malformed cookie is no session at all.
    problem(s.get("/api/v1/me", headers={"Cookie": "sw_session=short; other=1"}), 401)


def test_idle_limit(s):
    clear_throttle(s)
    _, email = person(s)
    b = sign_in(s, email)
    try:
        set_clock(s, 29 * MIN)
        assert b.get("/api/v1/me").status == 200   # used: the idle clock starts again
        set_clock(s, 29 * MIN + 29 * MIN)
        assert b.get("/api/v1/me").status == 200
        set_clock(s, 29 * MIN + 29 * MIN + 31 * MIN)
        problem(b.get("/api/v1/me"), 401, "unauthorized")
    finally:
        set_clock(s, 0)
    assert b.get("/api/v1/me").status == 401   # ended for good, not just past the clock


def test_absolute_limit(s):
    clear_throttle(s)
    _, email = person(s)
    b = sign_in(s, email)
    try:
        offset = 0
        while offset + 25 * MIN < 12 * 60 * MIN:   # used every 25 minutes: never idle
            offset += 25 * MIN
            set_clock(s, offset)
            assert b.get("/api/v1/me").status == 200, offset
        set_clock(s, 12 * 60 * MIN + MIN)
        problem(b.get("/api/v1/me"), 401, "unauthorized")
    finally:
        set_clock(s, 0)


def test_request_limit_counts_a_person_not_a_session(s):
    """Every session of one person shares one request count (ratelimit.h): the limit keys a
    session by its person. seawall-api is restarted with a low limit, as in test_ratelimit."""
    clear_throttle(s)
    _, email = person(s)
    _, other_email = person(s, "Other Limited Ltd")
    a, b, other = sign_in(s, email), sign_in(s, email), sign_in(s, other_email)
    os.environ["SEAWALL_API_RATE_PER_S"] = "1"
    os.environ["SEAWALL_API_RATE_BURST"] = "5"
    s.script("restart-api")
    try:
        codes = [x.get("/api/v1/me").status for x in (a, b, a, b, a)]
        assert codes == [200] * 5, codes
        r = b.get("/api/v1/me")
        problem(r, 429, "rate-limited")
        assert int(r.header("Retry-After")) >= 1
        assert other.get("/api/v1/me").status == 200   # another person has a count of their own
    finally:
        os.environ.update(HIGH_LIMIT)
        s.script("restart-api")


def test_a_session_read_is_single_slot_scripts(s):
    """A request with the session cookie reads the session with one script on the session's
    own key (it also marks the session used) and counts the person with another on the
    person's slot (record and count of one slot, so each runs in a Redis Cluster): one command
    per request names the session, one the person's count, nothing else reads them."""
    clear_throttle(s)
    _, email = person(s, "One Slot Session Ltd")
    b = sign_in(s, email)
    sid = b.cookie.partition("=")[2].partition(";")[0]
    skey = "sw:sess:" + hashlib.sha256(sid.encode()).hexdigest()
    count, n = "sw:rl:{person:", 12
    with Monitor(s) as m:
        codes = [b.get("/api/v1/me").status for _ in range(n)]
        wait_until("a command of each request", lambda: (
            len(m.naming(skey)) >= n and len(m.naming(count)) >= n))
        sess, limit = m.naming(skey), m.naming(count)
    assert codes == [200] * n, codes
    assert len(sess) == n and len(limit) == n, (sess, limit)
    for args in sess:
        assert args[0] in ("EVALSHA", "EVAL") and args[2] == "1" and args[3] == skey, args
    assert len({args[4] for args in limit}) == 1, limit   # one person, one count
    for args in limit:
        pid = args[4][len(count):-1]
        assert args[0] in ("EVALSHA", "EVAL") and args[2] == "2", args
        assert args[3] == "sw:{person:%s}:profile" % pid and args[4].endswith("}"), args
        assert key_slot(args[3]) == key_slot(args[4]), args


def test_origin_is_the_configured_portal_origin(s):
    clear_throttle(s)
    _, email = person(s)
    b = sign_in(s, email)
    assert origin(s).startswith("http://127.0.0.1:")
    # Same host, other scheme: not the portal.
    problem(b.patch("/api/v1/me", {"name": "X"},
                    headers={"Origin": origin(s).replace("http:", "https:")}), 403, "csrf")
    assert b.patch("/api/v1/me", {"name": "X"}).status == 200
    status, _, text = fastcgi(s, "GET", "/api/v1/session",
                              {"HTTP_COOKIE": b.cookie})
    assert status == 200 and '"csrf_token"' in text, text


def test_idempotency_keys_are_each_persons_own(s):
    """Two people of one company sending the same Idempotency-Key get their own results."""
    clear_throttle(s)
    sub, email = person(s, "Idempotent Team Ltd")
    a = sign_in(s, email)
    b = sign_in(s, make_person(s, "exporter", sub["id"], team_role="member"))
    path = f"/api/v1/subscribers/{sub['id']}/portfolio"
    item = {"kind": "mark", "text": "IDEMTEAM"}
    ra = a.post(path, item, headers={"Idempotency-Key": "same-key-1"})
    rb = b.post(path, item, headers={"Idempotency-Key": "same-key-1"})
    assert ra.status == rb.status == 201, (ra, rb)
    assert rb.header("Idempotent-Replayed") is None and ra.json()["id"] != rb.json()["id"]
    again = a.post(path, item, headers={"Idempotency-Key": "same-key-1"})
    assert again.header("Idempotent-Replayed") == "true" and again.json()["id"] == ra.json()["id"]


def test_a_session_index_entry_without_its_session(s):
    """A session is written index first, then the session (two cluster slots): a crash
    between leaves an entry naming no session. The list skips it, and drops it once it is a
    minute old (not before: the session may be on its way)."""
    clear_throttle(s)
    _, email = person(s)
    a = sign_in(s, email)
    pid = a.get("/api/v1/me").json()["person"]["id"]
    index = "sw:{person:%d}:sessions" % pid
    young, old = "a" * 64, "b" * 64
    now = int(s.redis("TIME")[0]) * 1000
    s.redis("ZADD", index, now, young)
    s.redis("ZADD", index, now - 120000, old)
    items = a.get("/api/v1/me/sessions").json()["items"]
    assert [i["current"] for i in items] == [True], items
    assert s.redis("ZSCORE", index, young) is not None
    assert s.redis("ZSCORE", index, old) is None
    s.redis("ZREM", index, young)
