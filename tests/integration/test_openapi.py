"""docs/openapi.yaml and the router list the same routes."""
import os
import re
import subprocess


def spec_routes(path):
    routes, current = set(), None
    with open(path) as f:
        in_paths = False
        for line in f:
            if line.rstrip() == "paths:":
                in_paths = True
                continue
            if in_paths and re.match(r"^\S", line):
                break
            m = re.match(r"^  (/\S*):\s*$", line)
            if in_paths and m:
                current = m.group(1)
                continue
            m = re.match(r"^    (get|post|put|patch|delete|head|options):\s*$", line)
            if in_paths and m and current:
                routes.add(f"{m.group(1).upper()} {current}")
    return routes


def test_openapi_lists_every_route(s):
    out = subprocess.run([os.path.join(s.build, "bin", "seawall-api"), "--routes"],
                         capture_output=True, text=True, check=True).stdout
    code = set(out.split("\n")) - {""}
    spec = spec_routes(os.path.join(s.root, "docs", "openapi.yaml"))
    assert code, "the router lists no routes"
    assert code - spec == set(), f"routes missing from docs/openapi.yaml: {sorted(code - spec)}"
    assert spec - code == set(), f"documented but not routed: {sorted(spec - code)}"


def test_reference_is_valid_openapi(s):
    """docs/openapi.yaml passes a standard validator (@apidevtools/swagger-parser, installed
    by make from tests/openapi/package-lock.json), which sees what the route list cannot: a
    response or parameter whose YAML does not say what it seems to."""
    check = os.path.join(s.root, "build", "node", "openapi", "validate.mjs")
    assert os.path.exists(check), f"{check} is missing: make installs it (make test)"
    p = subprocess.run(["node", check, os.path.join(s.root, "docs", "openapi.yaml")],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.startswith("valid: "), p.stdout
