"""The request limit (GCRA in Redis): a token or, without one (or with an invented id), an
address gets its burst and then 429 with Retry-After; guessing a token's secret is slowed with
the token; other callers and health probes go on. seawall-api is restarted with a low limit for these tests."""
import os
import time

from harness import HIGH_LIMIT, Monitor, key_slot, problem, wait_until

PER_S, BURST = "1", "5"


def limiter_keys(s):
    keys, cursor = set(), "0"
    while True:
        cursor, batch = s.redis("SCAN", cursor, "MATCH", "sw:rl:*", "COUNT", "1000")
        keys.update(batch)
        if cursor == "0":
            return keys


def low_limit(s):
    os.environ["SEAWALL_API_RATE_PER_S"] = PER_S
    os.environ["SEAWALL_API_RATE_BURST"] = BURST
    s.script("restart-api")
    for k in limiter_keys(s):   # every caller starts with a full burst
        s.redis("DEL", k)


def restore(s):
    os.environ.update(HIGH_LIMIT)
    s.script("restart-api")


def test_burst_then_429_with_retry_after_and_back(s):
    sub, tok = s.tenant("Rate Limited Exporter")
    _, other = s.tenant("Patient Exporter")
    low_limit(s)
    try:
        codes = [s.get("/api/v1/me", token=tok).status for _ in range(int(BURST))]
        assert codes == [200] * int(BURST), codes
        r = s.get("/api/v1/me", token=tok)
        p = problem(r, 429, "rate-limited")
        assert "requests a second" in p["detail"], p
        assert 1 <= int(r.header("Retry-After")) <= 2, r.header("Retry-After")
        # Another caller has a bucket of its own; health probes are never counted.
        assert s.get("/api/v1/me", token=other).status == 200
        assert all(s.get("/healthz").status == 200 for _ in range(20))
        # After Retry-After the token may go on.
        t0 = time.monotonic()
        wait_until("the token's next request to be allowed",
                   lambda: s.get("/api/v1/me", token=tok).status == 200, timeout=10)
        assert time.monotonic() - t0 < 5
    finally:
        restore(s)
    assert s.get("/api/v1/me", token=tok).status == 200


def test_guessing_a_secret_is_slowed_and_a_right_guess_not_revealed(s):
    sub, tok = s.tenant("Brute Forced Exporter")
    prefix, _, secret = tok.rpartition("_")
    wrong = prefix + "_" + ("A" if secret[0] != "A" else "B") + secret[1:]
    low_limit(s)
    try:
        codes = [s.get("/api/v1/me", token=wrong).status for _ in range(int(BURST))]
        assert codes == [401] * int(BURST), codes
        problem(s.get("/api/v1/me", token=wrong), 429, "rate-limited")
        # The right secret now waits like the wrong ones: a guess that happens to be right
        # cannot be told from one that is not while the token is over its limit.
        problem(s.get("/api/v1/me", token=tok), 429, "rate-limited")
    finally:
        restore(s)


def test_requests_without_a_token_are_limited_by_address(s):
    low_limit(s)
    try:
        codes = [s.get("/api/v1/shows").status for _ in range(int(BURST))]
        assert codes == [200] * int(BURST), codes
        problem(s.get("/api/v1/shows"), 429, "rate-limited")
        # A malformed token counts against the address too.
        problem(s.get("/api/v1/me", token="not-a-token"), 429, "rate-limited")
        # A token is a caller of its own.
        assert s.get("/api/v1/me", token=s.admin).status == 200
    finally:
        restore(s)


def test_invented_token_ids_count_against_the_address_and_write_nothing(s):
    low_limit(s)
    try:
        before = limiter_keys(s)
        n, codes = 150, []
        t0 = time.monotonic()
        for i in range(n):
            invented = "swt_%016x_%s" % (0xfeed0000 + i, "A" * 43)
            codes.append(s.get("/api/v1/me", token=invented).status)
        elapsed = time.monotonic() - t0
        # Like requests without a token: the address's burst (plus what refilled meanwhile)
        # answered 401, the rest 429.
        assert set(codes) <= {401, 429}, codes
        assert codes[:int(BURST)] == [401] * int(BURST), codes
        allowed = codes.count(401)
        assert allowed <= int(BURST) + int(elapsed * int(PER_S)) + 1, (allowed, elapsed)
        assert codes.count(429) >= n - allowed and codes.count(429) > 0, codes
        # The same address without a token is over its limit too: one count.
        problem(s.get("/api/v1/shows"), 429, "rate-limited")
        # No key per invented id: at most the address's own.
        added = limiter_keys(s) - before
        assert len(added) <= 1 and all(k.startswith("sw:rl:ip:") for k in added), added
        # A real token still has its own count.
        assert s.get("/api/v1/me", token=s.admin).status == 200
    finally:
        restore(s)


def test_a_token_read_is_one_script_on_the_tokens_slot(s):
    """Authentication and the request limit are one script (ratelimit.h): each request names
    the token in one command, the script given the token's record and its count, two keys of
    one cluster slot (so it runs in a Redis Cluster); nothing else reads the token. The limit
    is on (the stack's high one) and counted under sw:rl:{sw:tok:<id>}."""
    _, tok = s.tenant("One Slot Exporter")
    tid = tok.split("_")[1]
    record, n = "sw:tok:" + tid, 12
    with Monitor(s) as m:
        codes = [s.get("/api/v1/me", token=tok).status for _ in range(n)]
        sent = wait_until("a command of each request", lambda: (
            len(m.naming(record)) >= n and m.naming(record)))
    assert codes == [200] * n, codes
    assert len(sent) == n, sent
    for args in sent:
        assert args[0] in ("EVALSHA", "EVAL") and args[2] == "2", args
        assert args[3] == record and args[4] == "sw:rl:{%s}" % record, args
        assert key_slot(args[3]) == key_slot(args[4]), args
