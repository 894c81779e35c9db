"""Helpers for the parser tests: run `seawall feed parse` and read its events."""
import json
import os
import subprocess


class Feeds:
    def __init__(self, root, build):
        self.root = root
        self.build = build
        self.shared = os.path.normpath(os.path.join(root, "..", "shared"))
        self.samples = os.path.join(self.shared, "feeds")

    def sample(self, rel):
        return os.path.join(self.samples, rel)

    def parse(self, path, *args, data=None, check=True, timeout=120):
        """Returns (events, exit status, stderr). path may be "-" with data on stdin."""
        p = subprocess.run([os.path.join(self.build, "bin", "seawall"), "feed", "parse", *args,
                            path], input=data, capture_output=True, timeout=timeout,
                           env=dict(os.environ, SEAWALL_CONFIG=""))
        events = [json.loads(line) for line in p.stdout.decode().splitlines() if line]
        err = p.stderr.decode(errors="replace")
        if check:
            assert p.returncode == 0, f"seawall feed parse {path} exited {p.returncode}: {err}"
        return events, p.returncode, err

    def one(self, rel, *args):
        events, _, _ = self.parse(self.sample(rel), *args)
        assert len(events) == 1, events
        return events[0]
