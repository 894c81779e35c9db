"""POST with Idempotency-Key: a retry returns the first result and writes nothing new."""
from harness import problem


def test_retry_returns_first_result(s):
    body = {"name": "Idem Centre", "country": "IT"}
    h = {"Idempotency-Key": "centre-create-0001"}
    r1 = s.request("POST", "/api/v1/centres", body=body, token=s.admin, headers=h)
    r2 = s.request("POST", "/api/v1/centres", body=body, token=s.admin, headers=h)
    assert r1.status == r2.status == 201, (r1, r2)
    assert r1.json() == r2.json()
    assert r2.header("Idempotent-Replayed") == "true"
    assert r1.header("Idempotent-Replayed") is None
    assert r2.header("Location") == r1.header("Location")
    names = [c["name"] for c in
             s.get("/api/v1/centres?limit=200", token=s.admin).json()["items"]]
    assert names.count("Idem Centre") == 1


def test_same_key_different_body_is_422(s):
    h = {"Idempotency-Key": "reuse-me"}
    assert s.request("POST", "/api/v1/centres", body={"name": "A1", "country": "IT"},
                     token=s.admin, headers=h).status == 201
    problem(s.request("POST", "/api/v1/centres", body={"name": "A2", "country": "IT"},
                      token=s.admin, headers=h), 422, "idempotency-mismatch")


def test_keys_are_per_caller(s):
    # The same key from another principal is a different request.
    other = s.cli("token", "create", "--role", "admin", "-q").strip()
    h = {"Idempotency-Key": "shared-key"}
    a = s.request("POST", "/api/v1/centres", body={"name": "K", "country": "ES"},
                  token=s.admin, headers=h)
    b = s.request("POST", "/api/v1/centres", body={"name": "K", "country": "ES"},
                  token=other, headers=h)
    assert a.status == b.status == 201
    # Both admins share subject 0 and role admin: one principal, so it is a replay.
    assert a.json()["id"] == b.json()["id"]
    sub, tok = s.tenant("Idem Tenant")
    c = s.request("PATCH", f"/api/v1/subscribers/{sub['id']}", body={"markets": ["ES"]},
                  token=tok, headers=h)
    assert c.status == 200 and c.header("Idempotent-Replayed") is None


def test_failed_validation_is_replayed_too(s):
    h = {"Idempotency-Key": "bad-body"}
    r1 = s.request("POST", "/api/v1/centres", body={"name": "NoCountry"}, token=s.admin,
                   headers=h)
    r2 = s.request("POST", "/api/v1/centres", body={"name": "NoCountry"}, token=s.admin,
                   headers=h)
    problem(r1, 400)
    problem(r2, 400)
    assert r2.header("Idempotent-Replayed") == "true"


def test_bad_keys_refused(s):
    for key in ("x" * 256, "has space", "tab\tkey"):
        r = s.request("POST", "/api/v1/centres", body={"name": "B", "country": "IT"},
                      token=s.admin, headers={"Idempotency-Key": key})
        p = problem(r, 400, "validation")
        assert p["errors"][0]["header"] == "Idempotency-Key"


def test_token_creation_is_never_cached(s):
    # The result holds a secret, so it is not kept for replay: a retry makes a new token.
    h = {"Idempotency-Key": "token-key"}
    a = s.request("POST", "/api/v1/tokens", body={"role": "admin", "subject": 0},
                  token=s.admin, headers=h)
    b = s.request("POST", "/api/v1/tokens", body={"role": "admin", "subject": 0},
                  token=s.admin, headers=h)
    assert a.status == b.status == 201
    assert a.json()["id"] != b.json()["id"]
    assert a.header("Cache-Control") == "no-store"
