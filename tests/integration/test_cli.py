"""The admin program: tokens and accounts from the command line, clear errors."""
import json

from harness import problem


def test_token_lifecycle_from_cli(s):
    sub = json.loads(s.cli("subscriber", "create", "--name", "CLI Exporter", "--country", "VN",
                           "--email", "cli@exporter.example", "--markets", "US"))
    rec = json.loads(s.cli("token", "create", "--role", "exporter", "--subject",
                           str(sub["id"]), "--label", "from-cli"))
    assert rec["token"].startswith("swt_") and rec["label"] == "from-cli"
    me = s.get("/api/v1/me", token=rec["token"]).json()
    assert me["account"]["name"] == "CLI Exporter"
    listed = json.loads(s.cli("token", "list"))
    assert rec["id"] in [t["id"] for t in listed]
    assert all("token" not in t and "hash" not in t for t in listed)
    s.cli("token", "revoke", rec["id"])
    problem(s.get("/api/v1/me", token=rec["token"]), 401)
    # With an expiry: shown in the record and to the token itself.
    rec = json.loads(s.cli("token", "create", "--role", "exporter", "--subject",
                           str(sub["id"]), "--expires-at", "2099-01-02T03:04:05Z"))
    assert rec["expires_at"] == "2099-01-02T03:04:05Z" and rec["last_used_at"] is None, rec
    assert s.get("/api/v1/me", token=rec["token"]).json()["token"]["expires_at"] == \
        "2099-01-02T03:04:05Z"
    rec = json.loads(s.cli("token", "create", "--role", "admin", "--expires-in-s", "600"))
    assert rec["expires_at"] > rec["created_at"], rec
    p = s.cli("token", "create", "--role", "admin", "--expires-at", "2001-01-01", check=False)
    assert p.returncode == 1 and "--expires-at 2001-01-01 is not in the future" in p.stderr, \
        p.stderr
    p = s.cli("token", "create", "--role", "admin", "--expires-in-s", "0", check=False)
    assert p.returncode == 1 and "--expires-in-s takes 1 to 315360000 seconds" in p.stderr


def test_cli_validation_errors(s):
    p = s.cli("subscriber", "create", "--name", "X", "--country", "ZZ", "--email", "bad",
              check=False)
    assert p.returncode == 1
    assert "--country" in p.stderr and "--email" in p.stderr, p.stderr
    p = s.cli("token", "create", "--role", "exporter", "--subject", "99999999", check=False)
    assert p.returncode == 1 and "no subscriber with id 99999999" in p.stderr, p.stderr
    p = s.cli("staff", "create", "--centre", "99999", "--name", "N", "--email", "n@x.example",
              "--role", "expert", check=False)
    assert p.returncode == 1 and "no such centre" in p.stderr, p.stderr
    p = s.cli("frobnicate", check=False)
    assert p.returncode == 2 and "unknown command" in p.stderr


def test_cli_reports_redis_unreachable(s):
    p = s.cli("token", "list", check=False, env={"SEAWALL_REDIS_PORT": "1"})
    assert p.returncode == 1
    assert 'connect() to "127.0.0.1:1" failed' in p.stderr, p.stderr


def test_config_file_env_and_errors(s):
    out = s.cli("config", env={"SEAWALL_API_THREADS": "3"})
    assert "\napi.threads = 3\n" in out
    assert "(default \"8\"; environment SEAWALL_API_THREADS)" in out
    p = s.cli("config", check=False, env={"SEAWALL_API_THREADS": "zero"})
    assert p.returncode == 1 and "SEAWALL_API_THREADS" in p.stderr and "1 to 256" in p.stderr


def test_feed_registry_from_cli(s):
    p = s.cli("feed", "add", "--url", "ftp://example.com/feed", check=False)
    assert p.returncode == 1 and "--url only http and https URLs are allowed" in p.stderr, p.stderr
    p = s.cli("feed", "add", "--url", "https://example.com/f", "--interval_s", "0", check=False)
    assert p.returncode == 1 and "--interval_s" in p.stderr, p.stderr
    p = s.cli("feed", "add", "--url", "https://example.com/f", "--enabled", "yes", check=False)
    assert p.returncode == 1 and "--enabled takes true or false" in p.stderr, p.stderr
    made = json.loads(s.cli("feed", "add", "--url", "https://example.invalid/cli.xml",
                            "--enabled", "false"))
    assert made["enabled"] is False and made["format"] == "auto"
    p = s.cli("feed", "poll", str(made["id"]), check=False)
    assert p.returncode == 1 and "is disabled" in p.stderr
    s.cli("feed", "rm", str(made["id"]))
    p = s.cli("feed", "get", str(made["id"]), check=False)
    assert p.returncode == 1 and "not found" in p.stderr
