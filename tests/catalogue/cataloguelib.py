"""Helpers for the catalogue tests: run scripts/po.sh, the seawall programs and gettext's own
tools against the checkout's po/ or a folder of the test's own."""
import os
import subprocess


class Catalogue:
    def __init__(self, root, build):
        self.root = root
        self.build = build
        self.po = os.path.join(root, "po")
        self.work = os.path.join(build, "po")   # fresh templates go here, never into po/

    def run(self, *args, env=None, check=True, timeout=120):
        """Runs args in the checkout; returns the CompletedProcess (text)."""
        e = dict(os.environ, SEAWALL_CONFIG="")
        e.update(env or {})
        p = subprocess.run(list(args), cwd=self.root, capture_output=True, text=True, env=e,
                           timeout=timeout)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(args)} exited {p.returncode}:\n{p.stdout}{p.stderr}")
        return p

    def program(self, name):
        return os.path.join(self.build, "bin", name)

    def extract(self, out, www=None):
        """The template made afresh from the sources (and the JavaScript in www)."""
        os.makedirs(os.path.dirname(out), exist_ok=True)
        self.run(os.path.join(self.root, "scripts", "po.sh"), "extract", out,
                 env={"PO_WWW": www} if www else None)
        with open(out, encoding="utf-8") as f:
            return f.read()
