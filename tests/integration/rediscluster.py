"""A Redis Cluster of real redis-server processes on loopback ports, for tests: primaries
with one replica each, made with `redis-cli --cluster create`, stopped by pid."""
import os
import signal
import subprocess
import sys

from harness import wait_until


def free_ports(n):
    """n distinct free loopback ports whose port+10000 (the cluster bus) is free too, all
    below the kernel's ephemeral range (scripts/free_port.py says why)."""
    ports = []
    script = os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "free_port.py")
    while len(ports) < n:
        p = int(subprocess.run([sys.executable, script, "--bus"], capture_output=True,
                               text=True, check=True).stdout)
        if p not in ports:
            ports.append(p)
    return ports


class Cluster:
    def __init__(self, root, primaries=3, node_timeout_ms=1000, replicas=1):
        self.root = root
        self.replicas = replicas
        self.n = primaries * (1 + replicas)
        self.primaries = primaries
        self.node_timeout_ms = node_timeout_ms
        self.ports = free_ports(self.n)
        self.procs = {}

    @property
    def url(self):
        return "redis://" + ",".join(f"127.0.0.1:{p}" for p in self.ports[:1])

    def cli(self, *args, port=None, check=True, timeout=60):
        cmd = ["redis-cli"]
        if port is not None:
            cmd += ["-h", "127.0.0.1", "-p", str(port)]
        p = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError(f"redis-cli {' '.join(args)}: {p.stdout}{p.stderr}")
        return p.stdout

    def start_node(self, port):
        d = os.path.join(self.root, f"node-{port}")
        os.makedirs(d, exist_ok=True)
        self.procs[port] = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", d,
             "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
             "--cluster-node-timeout", str(self.node_timeout_ms), "--appendonly", "yes",
             "--save", "", "--logfile", os.path.join(d, "redis.log"),
             "--cluster-replica-validity-factor", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(f"redis on {port} to answer",
                   lambda: self.cli("ping", port=port, check=False).strip() == "PONG")

    def start(self):
        for p in self.ports:
            self.start_node(p)
        self.cli("--cluster", "create", *[f"127.0.0.1:{p}" for p in self.ports],
                 "--cluster-replicas", str(self.replicas), "--cluster-yes")
        for p in self.ports:
            wait_until(f"node {p} to see the cluster ok",
                       lambda p=p: "cluster_state:ok" in self.cli("cluster", "info", port=p,
                                                                  check=False), timeout=30)
        return self

    def kill(self, port):
        proc = self.procs.pop(port)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)

    def stop(self):
        for port in list(self.procs):
            proc = self.procs.pop(port)
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def nodes(self, port=None):
        """[(id, port, role, slots)] as a live node sees them ('master'/'slave'; failed
        nodes carry 'fail' in their flags and are left out)."""
        port = port or next(iter(self.procs))
        out = []
        for line in self.cli("cluster", "nodes", port=port).splitlines():
            f = line.split()
            if "fail" in f[2] or "noaddr" in f[2]:
                continue
            role = "master" if "master" in f[2] else "slave"
            out.append((f[0], int(f[1].split(":")[1].split("@")[0]), role, f[8:]))
        return out

    def masters(self, port=None):
        return [n for n in self.nodes(port) if n[2] == "master" and n[3]]

    def ok(self, port=None):
        port = port or next(iter(self.procs))
        return "cluster_state:ok" in self.cli("cluster", "info", port=port, check=False)
