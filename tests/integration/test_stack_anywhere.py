"""The first command works wherever the checkout is: a copy of the checkout in a folder only its
owner may enter (as root's home is, mode 0700) runs the whole demo stack with `stack.sh run` —
what `make run` runs — and nginx's workers (nobody, when root starts it) still reach the API's
socket, the portal's files, the feeds and their own temporary files. Ctrl-C, at a normal start
and in the middle of creating the demo data, stops every process it started and says so."""
import glob
import http.client
import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading

from harness import wait_until

COPIED = ("scripts", "nginx", "www", "etc", "demo", "po")


class Run:
    """scripts/stack.sh run from a copy of the checkout in a 0700 folder, in a session of its
    own, so that a signal to its process group is what Ctrl-C at a terminal sends."""

    def __init__(self, s):
        self.home = tempfile.mkdtemp(prefix="seawall-home-")
        os.chmod(self.home, 0o700)
        self.root = os.path.join(self.home, "seawall")
        for d in COPIED:
            shutil.copytree(os.path.join(s.root, d), os.path.join(self.root, d))
        self.dir = os.path.join(self.root, "build", "run")
        self.lines = []
        self.proc = subprocess.Popen(
            [os.path.join(self.root, "scripts", "stack.sh"), "run", "--build", s.build],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True, env={k: v for k, v in os.environ.items()
                                         if not k.startswith("SEAWALL_")})
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)

    def output(self):
        return "".join(self.lines)

    def wait_for_line(self, text, timeout=120):
        return wait_until(f"'{text}' from stack.sh run",
                          lambda: text in self.output() or self.proc.poll() is not None,
                          timeout=timeout) and text in self.output()

    def pids(self):
        out = {}
        for f in glob.glob(os.path.join(self.dir, "pids", "*.pid")):
            with open(f) as fh:
                out[os.path.basename(f)[:-4]] = int(fh.read())
        return out

    def env(self):
        with open(os.path.join(self.dir, "env")) as f:
            return dict(line.strip().split("=", 1) for line in f if "=" in line)

    def ctrl_c(self):
        os.killpg(self.proc.pid, signal.SIGINT)
        self.proc.wait(timeout=90)
        self.reader.join(timeout=30)

    def close(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=90)
        if os.path.isdir(os.path.join(self.dir, "pids")):
            subprocess.run([os.path.join(self.root, "scripts", "stack.sh"), "stop", "--dir",
                            self.dir], capture_output=True, timeout=120)
        shutil.rmtree(self.home, ignore_errors=True)


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def get(port, path, token=None, body=None, method=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if body is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method or ("POST" if body is not None else "GET"), path, body=body,
                 headers=headers)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r.getheader("Content-Type") or "", data


def test_run_from_a_folder_only_its_owner_may_enter_then_ctrl_c(s):
    run = Run(s)
    try:
        assert run.wait_for_line("Seawall is running"), run.output()
        env = run.env()
        port = int(env["HTTP_PORT"])
        public = env["SEAWALL_PUBLIC_DIR"]
        if os.geteuid() == 0:
            # nginx's workers are nobody: what they open cannot be under the 0700 folder.
            assert public.startswith("/tmp/seawall-public."), public
            assert os.path.realpath(os.path.join(run.dir, "public")) == public
        with open(os.path.join(run.dir, "demo.env")) as f:
            demo = dict(line.strip().split("=", 1) for line in f if "=" in line)
        # The portal's files, the API through the socket, the sample feeds.
        status, ctype, body = get(port, "/")
        assert status == 200 and ctype.startswith("text/html"), (status, ctype, body[:200])
        status, ctype, body = get(port, "/i18n/zh-CN.json")       # made from po/ at start
        assert status == 200 and json.loads(body)["Early-warning bulletins"] == "预警公告", status
        status, _, body = get(port, "/healthz")
        assert status == 200 and json.loads(body)["redis"] == "up", (status, body)
        status, _, body = get(port, "/api/v1/me", token=demo["EXPORTER_TOKEN"])
        assert status == 200 and json.loads(body)["role"] == "exporter", (status, body)
        # The demo people sign in with the password the banner prints.
        assert f"password {demo['DEMO_PASSWORD']}" in run.output()
        status, _, body = get(port, "/api/v1/session", body=json.dumps(
            {"email": "ip@nbh-lighting.example", "password": demo["DEMO_PASSWORD"]}))
        assert status == 200 and json.loads(body)["person"]["subject"] == \
            int(demo["DEMO_SUBSCRIBER"]), (status, body)
        status, _, body = get(port, "/api/v1/session", body=json.dumps(
            {"email": "admin@seawall.example", "password": demo["DEMO_PASSWORD"]}))
        assert status == 200 and json.loads(body)["totp_setup_required"] is True, (status, body)
        status, _, body = get(port, "/feeds/customs-notices.json")
        assert status == 200, (status, body[:200])
        # A body larger than nginx keeps in memory goes through its temporary files.
        items = [{"kind": "keyword", "text": f"lamp model {i:05d} housing"} for i in range(4000)]
        big = json.dumps({"items": items})
        assert len(big) > 200 * 1024
        status, _, body = get(port, f"/api/v1/subscribers/{demo['DEMO_SUBSCRIBER']}"
                                    "/portfolio/import", token=demo["ADMIN_TOKEN"], body=big)
        assert status == 201, (status, body[:300])
        # The demo fair is on today, so the public list of fairs is not empty.
        status, _, body = get(port, "/api/v1/shows")
        assert status == 200 and demo["DEMO_SHOW"] in [x["id"] for x in
                                                       json.loads(body)["items"]], body[:300]

        pids = run.pids()
        assert {"redis", "seawall-api", "nginx", "seawall-poller", "seawall-matcher",
                "seawall-notifier", "seawall-register", "seawall-screener", "mailsink"} <= set(pids), pids
        run.ctrl_c()
        out = run.output()
        assert "Seawall stopped: every process it started has ended." in out, out[-2000:]
        assert "stopped unexpectedly" not in out and "Traceback" not in out, out[-2000:]
        assert [n for n, pid in pids.items() if alive(pid)] == [], pids
        assert not os.path.exists(public), public
        with open(os.path.join(run.dir, "logs", "mailsink.log")) as f:
            assert "Traceback" not in f.read()
    finally:
        run.close()


def test_ctrl_c_while_the_demo_data_is_created_stops_everything(s):
    run = Run(s)
    try:
        assert run.wait_for_line("Creating the demo accounts"), run.output()
        pids = run.pids()
        assert {"redis", "seawall-api", "nginx", "mailsink"} <= set(pids), pids
        run.ctrl_c()
        out = run.output()
        assert "Seawall stopped: every process it started has ended." in out, out[-2000:]
        assert "Traceback" not in out, out[-2000:]
        assert [n for n, pid in pids.items() if alive(pid)] == [], pids
        assert glob.glob(os.path.join(run.dir, "pids", "*.pid")) == []
        with open(os.path.join(run.dir, "logs", "mailsink.log")) as f:
            assert "Traceback" not in f.read()
    finally:
        run.close()
