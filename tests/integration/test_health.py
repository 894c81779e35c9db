"""GET /healthz and GET /metrics through nginx."""
import re


def test_healthz_reports_redis_up(s):
    r = s.get("/healthz")
    assert r.status == 200, r
    assert r.json()["status"] == "ok" and r.json()["redis"] == "up"


def test_metrics_count_requests_by_route_and_status(s):
    def count(text, route, status):
        m = re.search(r'^seawall_http_requests_total\{route="%s",status="%s"\} (\d+)$'
                      % (re.escape(route), status), text, re.M)
        return int(m.group(1)) if m else 0

    before = s.get("/metrics").body
    for _ in range(3):
        s.get("/api/v1/me")                      # 401
    s.get("/api/v1/me", token=s.admin)           # 200
    s.get("/api/v1/no/such/route")               # 404, unmatched
    after = s.get("/metrics")
    assert after.status == 200
    assert after.header("Content-Type").startswith("text/plain")
    t = after.body
    assert count(t, "GET /api/v1/me", 401) - count(before, "GET /api/v1/me", 401) == 3
    assert count(t, "GET /api/v1/me", 200) - count(before, "GET /api/v1/me", 200) == 1
    assert count(t, "unmatched", 404) - count(before, "unmatched", 404) == 1
    assert "# TYPE seawall_http_request_duration_seconds histogram" in t
    assert re.search(r'seawall_http_request_duration_seconds_bucket\{route="GET /api/v1/me",'
                     r'le="\+Inf"\} \d+', t)
    assert re.search(r"^seawall_redis_errors_total \d+$", t, re.M)


def test_portal_static_files_served(s):
    r = s.get("/")
    assert r.status == 200 and "<title>Seawall</title>" in r.body, r
    assert '<script type="module" src="/app.js"></script>' in r.body, r
    assert s.get("/app.js").status == 200
