"""Every error class answered as application/problem+json through nginx."""
import json
import os
import subprocess

from harness import pointers, problem

SUB = "/api/v1/subscribers"
GOOD = {"name": "Acme Exports", "country": "CN", "email": "ip@acme.example"}


def test_malformed_json_names_the_position(s):
    for raw in ('{"name": "x",', '{"name": }', "not json", "[1,2]", '"string"', ""):
        r = s.request("POST", SUB, raw=raw, token=s.admin,
                      headers={"Content-Type": "application/json"})
        p = problem(r, 400)
        assert p["type"] in ("urn:seawall:problem:malformed-json",), p
    p = problem(s.request("POST", SUB, raw='{"name": "x",', token=s.admin,
                          headers={"Content-Type": "application/json"}), 400)
    assert "line 1" in p["detail"] and "column" in p["detail"], p


def test_wrong_types_and_unknown_fields_each_named(s):
    body = {"name": 42, "country": "XX", "email": "no-at-sign", "markets": ["US", 7, "US"],
            "alert_threshold": 2, "colour": "blue"}
    p = problem(s.post(SUB, body, token=s.admin), 400, "validation")
    got = pointers(p)
    for ptr in ("/name", "/country", "/email", "/markets/1", "/markets/2",
                "/alert_threshold", "/colour"):
        assert ptr in got, (ptr, p)
    msgs = {e["pointer"]: e["message"] for e in p["errors"]}
    assert msgs["/colour"] == "unknown field"
    assert msgs["/name"] == "must be a string"


def test_required_fields_and_nulls(s):
    p = problem(s.post(SUB, {}, token=s.admin), 400, "validation")
    assert sorted(pointers(p)) == ["/country", "/email", "/name"]
    p = problem(s.post(SUB, dict(GOOD, name=None), token=s.admin), 400)
    assert pointers(p) == ["/name"]
    p = problem(s.post(SUB, dict(GOOD, name="   "), token=s.admin), 400)
    assert pointers(p) == ["/name"]


def test_strings_with_nul_or_controls_refused(s):
    r = s.request("POST", SUB, raw='{"name":"a\\u0000b","country":"CN","email":"a@b.cn"}',
                  token=s.admin, headers={"Content-Type": "application/json"})
    problem(r, 400)
    p = problem(s.post(SUB, dict(GOOD, name="line\u0007bell"), token=s.admin), 400)
    assert pointers(p) == ["/name"]


def test_invalid_utf8_refused(s):
    raw = b'{"name":"\xff\xfe","country":"CN","email":"a@b.cn"}'
    problem(s.request("POST", SUB, raw=raw, token=s.admin,
                      headers={"Content-Type": "application/json"}), 400, "malformed-json")


def test_duplicate_keys_and_deep_nesting_refused(s):
    raw = '{"name":"a","name":"b","country":"CN","email":"a@b.cn"}'
    problem(s.request("POST", SUB, raw=raw, token=s.admin,
                      headers={"Content-Type": "application/json"}), 400, "malformed-json")
    deep = '{"name":' + "[" * 100 + "]" * 100 + "}"
    p = problem(s.request("POST", SUB, raw=deep, token=s.admin,
                          headers={"Content-Type": "application/json"}), 400)
    assert "deeper" in p["detail"], p


def test_unsupported_media_type(s):
    for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx"):
        r = s.request("POST", SUB, raw=json.dumps(GOOD), token=s.admin,
                      headers={"Content-Type": ct})
        problem(r, 415, "unsupported-media-type")
    r = s.request("POST", SUB, raw=json.dumps(GOOD), token=s.admin)
    problem(r, 415)
    r = s.request("POST", SUB, raw=json.dumps(dict(GOOD, name="Charset Ok")), token=s.admin,
                  headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status == 201, r


def test_body_over_the_app_cap_is_413(s):
    cap = 1048576
    pad = cap - len(json.dumps(dict(GOOD, name=""))) + 1
    raw = json.dumps(dict(GOOD, name="x" * pad))
    assert len(raw) == cap + 1
    p = problem(s.request("POST", SUB, raw=raw, token=s.admin,
                          headers={"Content-Type": "application/json"}), 413, "too-large")
    assert "1048577" in p["detail"] and "1048576" in p["detail"], p
    # Exactly at the cap is read (and then fails validation on the long name, not on size).
    raw = json.dumps(dict(GOOD, name="x" * (pad - 1)))
    assert len(raw) == cap
    p = problem(s.request("POST", SUB, raw=raw, token=s.admin,
                          headers={"Content-Type": "application/json"}), 400, "validation")
    assert pointers(p) == ["/name"]


def test_body_over_the_nginx_cap_is_413_problem(s):
    raw = b"x" * (16 * 1024 * 1024 + 1)
    r = s.request("POST", SUB, raw=raw, token=s.admin,
                  headers={"Content-Type": "application/json"})
    problem(r, 413, "too-large")


def test_unknown_path_404_and_wrong_method_405(s):
    problem(s.get("/api/v1/nothing-here", token=s.admin), 404, "not-found")
    problem(s.get("/api/v2/me", token=s.admin), 404)
    r = s.request("PUT", "/api/v1/me", token=s.admin)
    problem(r, 405, "method-not-allowed")
    assert r.header("Allow") == "GET, PATCH"
    r = s.request("PUT", "/api/v1/me/sessions", token=s.admin)
    problem(r, 405, "method-not-allowed")
    assert r.header("Allow") == "GET"
    r = s.request("DELETE", "/api/v1/subscribers/1", token=s.admin)
    problem(r, 405)
    assert r.header("Allow") == "GET, PATCH"


def test_query_parameters_checked(s):
    p = problem(s.get("/api/v1/subscribers?colour=red", token=s.admin), 400, "validation")
    assert p["errors"][0]["parameter"] == "colour"
    for q in ("limit=0", "limit=abc", "limit=100000", "cursor=-5", "cursor=x"):
        p = problem(s.get(f"/api/v1/subscribers?{q}", token=s.admin), 400, "validation")
        assert p["errors"][0]["parameter"] == q.split("=")[0], p
    problem(s.get("/api/v1/subscribers?limit=1&limit=2", token=s.admin), 400, "bad-query")
    problem(s.get("/api/v1/subscribers?limit=%zz", token=s.admin), 400, "bad-query")
    problem(s.get("/api/v1/me?x=1", token=s.admin), 400)


def api_log(s):
    with open(os.path.join(s.dir, "logs", "seawall-api.log"), encoding="utf-8",
              errors="replace") as f:
        return f.read()


def test_bytes_that_are_not_utf8_in_paths_and_queries(s):
    _, tok = s.tenant("Byte Fiddler Ltd")
    # A path parameter that is not UTF-8 names no resource: 404, the bytes shown as \xHH.
    for path, shown in (("/api/v1/shows/%ff", "/api/v1/shows/\\xFF"),
                        ("/api/v1/subscribers/%c0%80", "/api/v1/subscribers/\\xC0\\x80"),
                        ("/api/v1/alerts/al_%ed%a0%80", "/api/v1/alerts/al_\\xED\\xA0\\x80"),
                        ("/api/v1/cases/%e6%89/history", "/api/v1/cases/\\xE6\\x89/history")):
        for t in (tok, s.admin, None):
            p = problem(s.get(path, token=t), 404, "not-found")
            assert p["instance"] == shown and p["detail"] == f"no such resource: {shown}", p
    # Every route with a path parameter, by every method.
    out = subprocess.run([os.path.join(s.build, "bin", "seawall-api"), "--routes"],
                         capture_output=True, text=True, check=True).stdout
    for method, pattern in (line.split()[:2] for line in out.splitlines() if "{" in line):
        path = "/".join("x%ffy" if part.startswith("{") else part for part in pattern.split("/"))
        r = s.request(method, path, body={} if method in ("POST", "PATCH") else None,
                      token=s.admin)
        assert problem(r, 404, "not-found")["instance"] == path.replace("%ff", "\\xFF"), r
    # A query parameter name that is not UTF-8 is no parameter of any route: 400 bad-query
    # naming it.
    for path in ("/api/v1/alerts?%ff=1", "/api/v1/shows?limit=5&%ff", "/api/v1/me?a%ffb=1",
                 "/api/v1/nothing-here?%e6%89=2"):
        p = problem(s.get(path, token=tok), 400, "bad-query")
        name = path.split("?")[1].split("&")[-1].split("=")[0]
        shown = name.replace("%ff", "\\xFF").replace("%e6%89", "\\xE6\\x89")
        assert p["detail"] == f'unknown query parameter "{shown}": not UTF-8', p
    # Values that are not UTF-8 are judged like any other bad value.
    p = problem(s.get("/api/v1/subscribers?limit=%ff", token=s.admin), 400, "validation")
    assert p["errors"][0]["parameter"] == "limit", p
    p = problem(s.get("/api/v1/deliveries?status=%ff&kind=a%c0", token=tok), 400, "validation")
    assert sorted(e["parameter"] for e in p["errors"]) == ["kind", "status"], p
    # A name cut inside a character where the detail quotes 64 bytes of it.
    name = "a" * 63 + "%c3%a9"
    p = problem(s.get(f"/api/v1/shows?{name}=1&{name}=2"), 400, "bad-query")
    assert p["detail"] == f'query parameter "{"a" * 63}\\xC3" given twice', p
    assert "could not be kept" not in api_log(s)


def test_a_bad_query_parameter_is_named_in_the_detail(s):
    # The detail names the first error's parameter (it once read "first: (null) …").
    p = problem(s.get("/api/v1/shows?country=XX"), 400, "validation")
    assert p["detail"] == ("1 field failed validation; first: country must be country codes "
                           "separated by commas"), p
    assert p["errors"] == [{"parameter": "country",
                            "message": "must be country codes separated by commas"}], p
    p = problem(s.get("/api/v1/shows?from=soon&until=later"), 400, "validation")
    assert p["detail"] == "2 fields failed validation; first: from must be a date YYYY-MM-DD", p
    _, tok = s.tenant("Named Parameter Ltd")
    p = problem(s.get("/api/v1/alerts?severity=urgent", token=tok), 400, "validation")
    assert p["errors"][0]["parameter"] == "severity" and "pointer" not in p["errors"][0], p
    assert p["detail"].startswith("1 field failed validation; first: severity must be low, "), p


def test_bad_ids_are_404(s):
    for path in ("/api/v1/subscribers/0", "/api/v1/subscribers/-1",
                 "/api/v1/subscribers/abc", "/api/v1/subscribers/99999999999999999999",
                 "/api/v1/centres/1%2F2"):
        problem(s.get(path, token=s.admin), 404)


def test_patch_validates_like_create(s):
    sub = s.make(SUB, GOOD)
    path = f"{SUB}/{sub['id']}"
    p = problem(s.request("PATCH", path, body={"markets": "US"}, token=s.admin), 400)
    assert pointers(p) == ["/markets"]
    problem(s.request("PATCH", path, body={}, token=s.admin), 400)
    p = problem(s.request("PATCH", path, body={"id": 5}, token=s.admin), 400)
    assert pointers(p) == ["/id"]
    r = s.request("PATCH", path, body={"markets": ["JP"], "alert_threshold": 0.9},
                  token=s.admin)
    assert r.status == 200 and r.json()["markets"] == ["JP"], r
    assert r.json()["name"] == GOOD["name"]
    # An optional field set to null is removed.
    r = s.request("PATCH", path, body={"alert_threshold": None}, token=s.admin)
    assert "alert_threshold" not in r.json(), r


def test_created_resources_have_location_and_pages(s):
    made = [s.make("/api/v1/centres", {"name": f"Page {i}", "country": "FR"})
            for i in range(5)]
    r = s.post("/api/v1/centres", {"name": "Located", "country": "FR"}, token=s.admin)
    assert r.header("Location") == f"/api/v1/centres/{r.json()['id']}", r.headers
    seen, cursor = [], None
    for _ in range(100):
        q = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = s.get("/api/v1/centres" + q, token=s.admin).json()
        assert len(page["items"]) <= 2
        seen += [c["id"] for c in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    for c in made:
        assert c["id"] in seen
