"""Redis killed mid-run: the API answers 503 problems meanwhile and recovers by itself, with
the data from the AOF, without a restart of seawall-api."""
from harness import problem, wait_until


def test_api_recovers_after_redis_sigkill(s):
    sub, tok = s.tenant("Survivor Ltd")
    api_pid = open(f"{s.dir}/pids/seawall-api.pid").read().strip()
    assert s.get("/api/v1/me", token=tok).status == 200
    s.script("stop-one", "redis", "--kill")

    r = s.get("/api/v1/me", token=tok)
    p = problem(r, 503, "unavailable")
    assert r.header("Retry-After") == "1"
    # No internals: neither addresses nor library messages reach the client.
    assert "127.0.0.1" not in r.body and "refused" not in r.body.lower(), p
    wait_until("healthz to say redis is down", lambda: s.get("/healthz").status == 503)
    assert s.get("/healthz").json()["redis"] == "down"

    s.script("start-redis")
    me = wait_until("the API to reach Redis again",
                    lambda: (lambda r: r.status == 200 and r.json())(
                        s.get("/api/v1/me", token=tok)))
    assert me["account"]["name"] == "Survivor Ltd"       # read back from the AOF
    wait_until("healthz to say redis is up", lambda: s.get("/healthz").status == 200)
    assert open(f"{s.dir}/pids/seawall-api.pid").read().strip() == api_pid
    # Writes work again too.
    r = s.request("PATCH", f"/api/v1/subscribers/{sub['id']}", body={"markets": ["BR"]},
                  token=tok)
    assert r.status == 200, r
    metrics = s.get("/metrics").body
    errs = [int(l.split()[-1]) for l in metrics.splitlines()
            if l.startswith("seawall_redis_errors_total")]
    assert errs and errs[0] > 0, "Redis errors were not counted"


def test_api_down_gives_problem_not_html(s):
    s.script("stop-one", "seawall-api")
    try:
        r = s.get("/api/v1/me", token=s.admin)
        problem(r, 503, "unavailable")
    finally:
        s.script("restart-api")
    assert s.get("/api/v1/me", token=s.admin).status == 200
