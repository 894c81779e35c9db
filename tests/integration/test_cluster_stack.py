"""The whole stack on a Redis Cluster (three primaries with a replica each, on loopback):
scripts/stack.sh starts nginx, seawall-api and every worker with SEAWALL_REDIS_URL naming a
cluster node, and a client goes through nginx only: an exporter's keyword, a feed naming it
polled, matched, and the alert in the inbox, on the live stream and at a webhook; a case filed
on it and read back; the request limit still answering 429. Writes people rely on wait for a
replica (redis.wait_replicas 1), which the cluster has. stack.sh still starts its own Redis:
it must stay empty, which shows every program used the cluster.

Harness helpers that talk to Redis directly (s.redis, add_event, stream_*) reach a stack's own
Redis, not the cluster, and are not used on the cluster's stack here."""
import json
import os

import harness
from harness import problem, wait_until
from hookserver import Receiver
from rediscluster import Cluster
from test_alerts import SSE

WORD = "zqclusterstackx"


def rss(items):
    body = "".join(f'<item><guid isPermaLink="false">{g}</guid><title>{t}</title>'
                   f"<link>http://cluster.example/{g}</link></item>" for g, t in items)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>cluster feed</title><link>http://cluster.example/</link>{body}"
            "</channel></rss>")


def cluster_keys(cl):
    """Keys on each primary of the cluster, by port."""
    return {m[1]: int(cl.cli("dbsize", port=m[1])) for m in cl.masters()}


def test_whole_stack_on_a_redis_cluster(s):
    cl = Cluster(os.path.join(s.dir, "cluster-stack", "redis-cluster"))
    run_dir = os.path.join(s.dir, "cluster-stack", "run")
    os.makedirs(run_dir, exist_ok=True)
    env = {"SEAWALL_REDIS_URL": cl.url,
           # Every case, alert and portfolio change waits for its replica; the cluster has
           # one per primary, so none is refused (a loaded machine may take a moment).
           "SEAWALL_REDIS_WAIT_REPLICAS": "1", "SEAWALL_REDIS_WAIT_TIMEOUT_MS": "10000"}
    c2 = harness.Stack(s.root, s.build, run_dir, env=env)
    rec = Receiver().start()
    stream = None
    try:
        cl.start()
        c2.start()
        # Through nginx as a client: an exporter watching a keyword, with a webhook.
        sub, tok = c2.tenant("Cluster Exporter Co., Ltd.")
        r = c2.post(f"/api/v1/subscribers/{sub['id']}/portfolio",
                    {"kind": "keyword", "text": f"{WORD} lamp"}, token=tok)
        assert r.status == 201, r
        r = c2.post("/api/v1/webhooks", {"url": rec.url("ok", "cluster")}, token=tok)
        assert r.status == 201, r
        rec.secrets["cluster"] = [r.json()["secret"]]
        stream = SSE(c2, tok)
        assert stream.status == 200, stream.headers

        # A feed naming the keyword, served by the stack's nginx, registered and polled
        # through the API: the poller writes the event, the matcher the alert.
        path = os.path.join(c2.dir, "feeds", "cluster.xml")
        with open(path, "w") as f:
            f.write(rss([("cl-1", f"Recall notice: {WORD} lamp sold without a licence"),
                         ("cl-2", "An unrelated notice about garden chairs")]))
        r = c2.post("/api/v1/feeds", {"url": f"http://127.0.0.1:{c2.port}/feeds/cluster.xml",
                                      "interval_s": 3600}, token=c2.admin)
        assert r.status == 201, r
        fid = r.json()["id"]
        r = c2.post(f"/api/v1/feeds/{fid}/poll", None, token=c2.admin)
        assert r.status == 202, r

        def inbox():
            items = c2.get("/api/v1/alerts?limit=50", token=tok).json()["items"]
            return items or None
        alerts = wait_until("the feed's alert in the inbox", inbox, timeout=40)
        assert len(alerts) == 1, alerts
        alert = alerts[0]
        assert WORD in json.dumps(alert["event"]), alert
        # The same alert on the live stream and at the webhook, signed.
        ev = stream.event(timeout=20)
        assert ev["event"] == "alert" and json.loads(ev["data"])["id"] == alert["id"], ev
        hook = rec.wait("the webhook", lambda hs: [h for h in hs if h.path == "/ok/cluster"])[0]
        assert hook.json()["type"] == "alert.created", hook.body
        assert hook.json()["data"]["id"] == alert["id"], hook.body
        assert hook.valid_with == rec.secrets["cluster"], hook.headers

        # A case on the alert, filed and read back (it waited for a replica: 201).
        centre = c2.make("/api/v1/centres", {"name": "Cluster Centre", "country": "CN"})
        body = {"type": "lawsuit", "country": "US", "forum": "N.D. Ill.",
                "opposing_party": "Brand Holdings LLC", "own_role": "defendant",
                "products": ["LED lamps"], "description": f"Complaint about the {WORD} lamp.",
                "centre_id": centre["id"], "alerts": [alert["id"]]}
        r = c2.post("/api/v1/cases", body, token=tok)
        assert r.status == 201, r
        case = r.json()
        got = c2.get(r.header("Location"), token=tok)
        assert got.status == 200, got
        assert got.json()["id"] == case["id"] and got.json()["state"] == "submitted", got
        assert got.json()["alerts"] == [alert["id"]], got
        listed = c2.get("/api/v1/cases", token=tok).json()["items"]
        assert [c["id"] for c in listed] == [case["id"]], listed

        # Everything went to the cluster, spread over its primaries; the stack's own Redis
        # holds nothing.
        spread = cluster_keys(cl)
        assert len(spread) == 3 and all(n > 0 for n in spread.values()), spread
        assert c2.redis("DBSIZE") == 0

        # The request limit on the cluster: a low one, and the token's burst then 429.
        c2.extra_env.update({"SEAWALL_API_RATE_PER_S": "1", "SEAWALL_API_RATE_BURST": "3"})
        c2.script("restart-api")
        _, limited = c2.tenant("Cluster Rate Limited Ltd")
        codes = []
        while 429 not in codes and len(codes) < 30:
            r = c2.get("/api/v1/me", token=limited)
            codes.append(r.status)
        # Each request but the last was let through; at most a few more than the burst (the
        # bucket refills one a second on a slow machine).
        assert codes[-1] == 429 and set(codes[:-1]) == {200} and len(codes) >= 4, codes
        p = problem(r, 429, "rate-limited")
        assert "requests a second" in p["detail"], p
        assert int(r.header("Retry-After")) >= 1, r.headers
        # The exporter who has sent nothing since keeps its own burst.
        assert c2.get("/api/v1/me", token=tok).status == 200
        assert c2.ended() == []
    except Exception:
        print(c2.logs_tail(40))
        raise
    finally:
        if stream is not None:
            stream.close()
        rec.stop()
        c2.stop()
        cl.stop()
