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
