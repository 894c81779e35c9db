"""Tokens and scopes through nginx: missing, malformed, wrong, revoked; each role's reach."""
from harness import problem, wait_until


def test_missing_token_is_401_with_challenge(s):
    r = s.get("/api/v1/me")
    problem(r, 401, "unauthorized")
    assert r.header("WWW-Authenticate") == 'Bearer realm="seawall"'


def test_malformed_and_unknown_tokens_are_401(s):
    for bad in ("Basic dXNlcjpwYXNz", "Bearer", "Bearer nonsense",
                "Bearer swt_0123456789abcdef_" + "A" * 43,        # well-formed, unknown id
                "Bearer swt_0123456789ABCDEF_" + "A" * 43,        # upper-case id
                "Bearer " + s.admin + "x"):                      # secret one byte long
        r = s.request("GET", "/api/v1/me", headers={"Authorization": bad})
        problem(r, 401, "unauthorized")


def test_right_id_wrong_secret_is_401(s):
    good = s.admin
    prefix, secret = good[:21], good[21:]
    flipped = ("B" if secret[0] != "B" else "C") + secret[1:]
    r = s.request("GET", "/api/v1/me", headers={"Authorization": "Bearer " + prefix + flipped})
    problem(r, 401)
    assert s.get("/api/v1/me", token=good).status == 200


def test_token_shown_once_and_stored_only_as_hash(s):
    sub, tok = s.tenant()
    tid = tok.split("_")[1]
    r = s.get(f"/api/v1/tokens/{tid}", token=s.admin)
    assert r.status == 200, r
    assert "token" not in r.json() and "hash" not in r.json()
    assert tok.split("_", 2)[2] not in r.body
    # Redis holds the SHA-256 of the secret, never the secret.
    import hashlib
    import subprocess
    raw = subprocess.run(["redis-cli", "-p", str(s.redis_port), "HGET", f"sw:tok:{tid}", "hash"],
                         capture_output=True, text=True).stdout.strip()
    assert raw == hashlib.sha256(tok.split("_", 2)[2].encode()).hexdigest()


def test_revoked_token_refused_at_once(s):
    sub, tok = s.tenant()
    assert s.get("/api/v1/me", token=tok).status == 200
    tid = tok.split("_")[1]
    r = s.request("DELETE", f"/api/v1/tokens/{tid}", token=s.admin)
    assert r.status == 200 and r.json()["revoked_at"], r
    problem(s.get("/api/v1/me", token=tok), 401)
    # Revoking again keeps the first time; an unknown id is 404.
    again = s.request("DELETE", f"/api/v1/tokens/{tid}", token=s.admin)
    assert again.json()["revoked_at"] == r.json()["revoked_at"]
    problem(s.request("DELETE", "/api/v1/tokens/0000000000000000", token=s.admin), 404)
    problem(s.request("DELETE", "/api/v1/tokens/../../etc", token=s.admin), 404)


def test_me_for_every_role(s):
    sub, exp_tok = s.tenant("Me Exporter")
    centre = s.make("/api/v1/centres", {"name": "Me Centre", "country": "CN"})
    tri = s.make(f"/api/v1/centres/{centre['id']}/staff",
                 {"name": "T", "email": "t@c.example", "role": "triager"})
    expert = s.make(f"/api/v1/centres/{centre['id']}/staff",
                    {"name": "E", "email": "e@c.example", "role": "expert",
                     "expertise": ["US", "patent"]})
    s.fair("canton-fair-2026", "CN")
    st = s.make("/api/v1/stations", {"name": "Hall 3", "show": "canton-fair-2026",
                                     "country": "CN"})
    cases = [("exporter", sub["id"], "subscriber"), ("triager", tri["id"], "staff"),
             ("expert", expert["id"], "staff"), ("station", st["id"], "station")]
    for role, subject, key in cases:
        tok = s.token_for(role, subject)
        me = s.get("/api/v1/me", token=tok).json()
        assert me["role"] == role and me[key] == subject, me
        assert me["account"]["id"] == subject, me
        if role in ("triager", "expert"):
            assert me["centre"] == centre["id"], me
    me = s.get("/api/v1/me", token=s.admin).json()
    assert me["role"] == "admin" and me["account"] is None


def test_token_subject_must_fit_role(s):
    centre = s.make("/api/v1/centres", {"name": "Fit Centre", "country": "DE"})
    tri = s.make(f"/api/v1/centres/{centre['id']}/staff",
                 {"name": "T", "email": "t@c.example", "role": "triager"})
    for body, field in (({"role": "exporter", "subject": 999999}, "/subject"),
                        ({"role": "expert", "subject": tri["id"]}, "/subject"),
                        ({"role": "admin", "subject": 5}, "/subject"),
                        ({"role": "root", "subject": 0}, "/role"),
                        ({"role": "admin"}, "/subject")):
        p = problem(s.post("/api/v1/tokens", body, token=s.admin), 400, "validation")
        assert field in [e["pointer"] for e in p["errors"]], (body, p)


def test_exporter_scope(s):
    sub_a, tok_a = s.tenant("Tenant A")
    sub_b, tok_b = s.tenant("Tenant B")
    assert s.get(f"/api/v1/subscribers/{sub_a['id']}", token=tok_a).status == 200
    # Another tenant's id, existing or not, answers the same 404 with none of its content.
    for path in (f"/api/v1/subscribers/{sub_b['id']}", "/api/v1/subscribers/987654321"):
        r = s.get(path, token=tok_a)
        problem(r, 404, "not-found")
        assert "Tenant B" not in r.body
    r = s.request("PATCH", f"/api/v1/subscribers/{sub_b['id']}", body={"markets": ["JP"]},
                  token=tok_a)
    problem(r, 404)
    assert s.get(f"/api/v1/subscribers/{sub_b['id']}", token=s.admin).json()["markets"] == \
        ["US", "DE"]
    # Collections that are not theirs: 403, no data. Tokens are a person's own business: a bare
    # exporter token (no person made it) lists and makes none.
    for method, path, slug in (("GET", "/api/v1/subscribers", "forbidden"),
                               ("GET", "/api/v1/tokens", "person-required"),
                               ("POST", "/api/v1/tokens", "person-required"),
                               ("GET", "/api/v1/centres", "forbidden"),
                               ("GET", "/api/v1/stations", "forbidden")):
        r = s.request(method, path, token=tok_a,
                      body={"role": "admin", "subject": 0} if method == "POST" else None)
        problem(r, 403, slug)


def test_staff_and_station_scope(s):
    c1 = s.make("/api/v1/centres", {"name": "Centre One", "country": "CN"})
    c2 = s.make("/api/v1/centres", {"name": "Centre Two", "country": "CN"})
    t1 = s.make(f"/api/v1/centres/{c1['id']}/staff",
                {"name": "A", "email": "a@one.example", "role": "triager"})
    t2 = s.make(f"/api/v1/centres/{c2['id']}/staff",
                {"name": "B", "email": "b@two.example", "role": "triager"})
    tok = s.token_for("triager", t1["id"])
    assert s.get(f"/api/v1/centres/{c1['id']}", token=tok).status == 200
    assert s.get(f"/api/v1/centres/{c1['id']}/staff", token=tok).json()["items"][0]["id"] == \
        t1["id"]
    problem(s.get(f"/api/v1/centres/{c2['id']}", token=tok), 404)
    problem(s.get(f"/api/v1/centres/{c2['id']}/staff", token=tok), 404)
    problem(s.get(f"/api/v1/centres/{c2['id']}/staff/{t2['id']}", token=tok), 404)
    # Staff of centre 2 addressed through centre 1's path is not found either.
    problem(s.get(f"/api/v1/centres/{c1['id']}/staff/{t2['id']}", token=tok), 404)
    s.fair("show-a")
    s.fair("show-b")
    st1 = s.make("/api/v1/stations", {"name": "S1", "show": "show-a", "country": "DE"})
    st2 = s.make("/api/v1/stations", {"name": "S2", "show": "show-b", "country": "DE"})
    stok = s.token_for("station", st1["id"])
    assert s.get(f"/api/v1/stations/{st1['id']}", token=stok).status == 200
    problem(s.get(f"/api/v1/stations/{st2['id']}", token=stok), 404)
    problem(s.get(f"/api/v1/subscribers/1", token=stok), 404)


def test_revocation_reaches_every_thread_at_once(s):
    # Used often enough that every API thread has verified and remembered it …
    sub, tok = s.tenant("Busy Token Holder")
    for _ in range(40):
        me = s.get("/api/v1/me", token=tok)
        assert me.status == 200 and me.json()["account"]["name"] == "Busy Token Holder"
    s.request("DELETE", f"/api/v1/tokens/{tok.split('_')[1]}", token=s.admin)
    # … and refused by all of them from the next request on.
    for _ in range(40):
        problem(s.get("/api/v1/me", token=tok), 401)
    # The remembered record never stands in for a wrong secret.
    other, tok2 = s.tenant("Second Holder")
    assert s.get("/api/v1/me", token=tok2).status == 200
    forged = tok2[:-1] + ("A" if tok2[-1] != "A" else "B")
    for _ in range(10):
        problem(s.get("/api/v1/me", token=forged), 401)
    # An account change shows at once too (it is read on every request).
    s.request("PATCH", f"/api/v1/subscribers/{other['id']}", body={"name": "Renamed Holder"},
              token=tok2)
    assert s.get("/api/v1/me", token=tok2).json()["account"]["name"] == "Renamed Holder"


def test_token_expiry_refused_with_when(s):
    sub, _ = s.tenant("Expiring Token Holder")

    def create(**kw):
        return s.post("/api/v1/tokens", {"role": "exporter", "subject": sub["id"], **kw},
                      token=s.admin)

    # Bad expiries, each named.
    for body, ptr, msg in (
            ({"expires_at": "2020-01-01T00:00:00Z"}, "/expires_at", "must be in the future"),
            ({"expires_at": "next tuesday"}, "/expires_at",
             "must be a date-time (ISO 8601, e.g. 2027-06-30T00:00:00Z)"),
            ({"expires_at": "2099-01-01T00:00:00Z", "expires_in_s": 60}, "/expires_in_s",
             "give expires_at or expires_in_s, not both"),
            ({"expires_in_s": 0}, "/expires_in_s", "must be from 1 to 315360000")):
        p = problem(create(**body), 400, "validation")
        assert p["errors"] == [{"pointer": ptr, "message": msg}], (body, p)
    # A token with an expiry in an hour works and says when it ends; one without has none.
    r = create(expires_at="2099-06-30T08:00:00+08:00", label="long")
    assert r.status == 201 and r.json()["expires_at"] == "2099-06-30T00:00:00Z", r
    long_tok = r.json()["token"]
    me = s.get("/api/v1/me", token=long_tok).json()
    assert me["token"]["expires_at"] == "2099-06-30T00:00:00Z", me
    assert s.get("/api/v1/me", token=s.tenant("No Expiry Ltd")[1]).json()[
        "token"]["expires_at"] is None
    # A token that expires in a second: refused afterwards, saying when, on every thread and
    # on routes with and without the account.
    r = create(expires_in_s=1, label="short")
    assert r.status == 201, r
    rec = r.json()
    tok = rec["token"]
    assert s.get(f"/api/v1/tokens/{rec['id']}", token=s.admin).json()["expires_at"] == \
        rec["expires_at"]
    wait_until("the token to expire", lambda: s.get("/api/v1/me", token=tok).status == 401)
    for path in ("/api/v1/me", "/api/v1/alerts") * 10:
        r = s.get(path, token=tok)
        p = problem(r, 401, "token-expired")
        assert p["detail"] == (f"the token expired at {rec['expires_at']}; ask an admin for "
                               f"a new one"), p
        assert 'error="invalid_token"' in r.header("WWW-Authenticate"), r.header(
            "WWW-Authenticate")
    # A wrong secret for it learns nothing of the expiry.
    forged = tok[:-1] + ("A" if tok[-1] != "A" else "B")
    problem(s.get("/api/v1/me", token=forged), 401, "unauthorized")
    assert s.get("/api/v1/me", token=long_tok).status == 200


def test_token_last_use_shown_to_the_minute(s):
    sub, tok = s.tenant("Last Use Ltd")
    tid = tok.split("_")[1]
    rec = s.get(f"/api/v1/tokens/{tid}", token=s.admin).json()
    assert rec["last_used_at"] is None, rec
    assert s.get("/api/v1/alerts", token=tok).status == 200      # a route without the account

    def used():
        return s.get(f"/api/v1/tokens/{tid}", token=s.admin).json()["last_used_at"]
    first = wait_until("the use to be recorded", used)
    assert first.endswith(":00Z") and first[:16] >= rec["created_at"][:16], (first, rec)
    score = int(float(s.redis("ZSCORE", "sw:idx:tokens:used", tid)))
    # Used again and again: the record changes at most when the minute turns.
    for _ in range(30):
        assert s.get("/api/v1/me", token=tok).status == 200
    again = int(float(s.redis("ZSCORE", "sw:idx:tokens:used", tid)))
    assert again in (score, score + 60000), (score, again)
    listed = {t["id"]: t for t in s.get("/api/v1/tokens?limit=200", token=s.admin).json()["items"]}
    assert listed[tid]["last_used_at"] >= first


def test_revocation_reaches_every_thread_on_routes_without_the_account(s):
    sub, tok = s.tenant("Busy Alert Reader")
    for _ in range(40):
        assert s.get("/api/v1/alerts", token=tok).status == 200
    s.request("DELETE", f"/api/v1/tokens/{tok.split('_')[1]}", token=s.admin)
    for _ in range(40):
        problem(s.get("/api/v1/alerts", token=tok), 401, "unauthorized")


def test_a_token_index_entry_without_its_record_is_skipped(s):
    """A token is written index first, then its record (two cluster slots): a crash between
    leaves an index entry naming no record, which the list skips."""
    sub, tok = s.tenant("Dangling Token Ltd")
    tid = tok.split("_")[1]
    seq = int(float(s.redis("ZSCORE", "sw:idx:tokens", tid)))
    assert s.redis("ZADD", "sw:idx:tokens", seq + 1000000, "feedfacefeedface") == 1
    try:
        r = s.get(f"/api/v1/tokens?cursor={seq - 1}&limit=5", token=s.admin)
        assert r.status == 200, r
        ids = [t["id"] for t in r.json()["items"]]
        assert tid in ids and "feedfacefeedface" not in ids, ids
        problem(s.get("/api/v1/tokens/feedfacefeedface", token=s.admin), 404)
    finally:
        s.redis("ZREM", "sw:idx:tokens", "feedfacefeedface")
