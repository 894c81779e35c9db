"""Many clients at once through nginx: every answer right, every write kept once."""
import threading


def test_concurrent_reads_and_writes(s):
    sub, tok = s.tenant("Busy Exporter")
    errors, ids = [], []
    lock = threading.Lock()
    for n in range(16):
        s.fair(f"show-{n}", "US")

    def client(n):
        try:
            for i in range(20):
                r = s.get("/api/v1/me", token=tok)
                if r.status != 200 or r.json()["subscriber"] != sub["id"]:
                    errors.append(r)
                r = s.post("/api/v1/stations", {"name": f"c{n}-{i}", "show": f"show-{n}",
                                                "country": "US"}, token=s.admin)
                if r.status != 201:
                    errors.append(r)
                else:
                    with lock:
                        ids.append(r.json()["id"])
        except Exception as e:  # noqa: BLE001 — any failure fails the test below
            errors.append(e)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "clients still running"
    assert not errors, errors[:5]
    assert len(ids) == 16 * 20 and len(set(ids)) == len(ids)
    seen, cursor = set(), None
    while True:
        page = s.get("/api/v1/stations?limit=200" + (f"&cursor={cursor}" if cursor else ""),
                     token=s.admin).json()
        seen |= {st["id"] for st in page["items"]}
        cursor = page["next"]
        if not cursor:
            break
    assert set(ids) <= seen


def test_concurrent_patches_lose_no_field(s):
    sub, tok = s.tenant("Patch Race")
    path = f"/api/v1/subscribers/{sub['id']}"
    errors = []

    def patch(field, value):
        for _ in range(10):
            r = s.request("PATCH", path, body={field: value}, token=tok)
            if r.status != 200:
                errors.append(r)

    a = threading.Thread(target=patch, args=("markets", ["JP", "KR"]))
    b = threading.Thread(target=patch, args=("alert_threshold", 0.75))
    a.start(); b.start(); a.join(60); b.join(60)
    assert not errors, errors[:3]
    doc = s.get(path, token=tok).json()
    assert doc["markets"] == ["JP", "KR"] and doc["alert_threshold"] == 0.75, doc
