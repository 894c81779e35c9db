"""The request limit (GCRA in Redis): a token or, without one, an address gets its burst and
then 429 with Retry-After; guessing a token's secret is slowed with the token; other callers
and health probes go on. seawall-api is restarted with a low limit for these tests."""
import os
import time

from harness import HIGH_LIMIT, problem, wait_until

PER_S, BURST = "1", "5"


def low_limit(s):
    os.environ["SEAWALL_API_RATE_PER_S"] = PER_S
    os.environ["SEAWALL_API_RATE_BURST"] = BURST
    s.script("restart-api")


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
