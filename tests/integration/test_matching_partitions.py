"""Partitioned matchers (matcher.partitions): each holds only the portfolios of its partition's
subscribers and reads every event through its own consumer group, so an event is matched once
per partition and each subscriber by exactly one partition."""
import os
import re

from harness import key_slot, wait_until
from test_matching import add_items, alerts, push_event, wait_alerts

PARTITIONS = 2
WORDS = ("alder", "birch", "cedar", "damson", "elder", "fir", "ginkgo", "hazel", "ilex",
         "juniper", "kapok", "larch", "maple", "nutmeg", "olive", "poplar")


def partition_of(sub_id):
    """The same function as sw_portfolio_partition: the cluster slot of the id's text."""
    return key_slot(str(sub_id)) % PARTITIONS


def builds(s, name):
    """Every index build the matcher name logged, oldest first: (partition, of, subscribers,
    entries). The log outlives the process: another test's matcher of the same name wrote the
    first lines."""
    try:
        with open(os.path.join(s.dir, "logs", f"{name}.log")) as f:
            found = re.findall(r"index built in [0-9.]+ s: partition (\d+) of (\d+), (\d+) "
                               r"subscribers, (\d+) entries", f.read())
    except FileNotFoundError:
        return []
    return [tuple(int(x) for x in b) for b in found]


def built(s, name):
    """What the matcher logged when its index was last built."""
    found = builds(s, name)
    assert found, f"{name} logged no build"
    return found[-1]


def start_matcher(s, name, partition):
    """Starts matcher name in partition and waits for its own index build to be logged."""
    before = len(builds(s, name))
    os.environ.update(SEAWALL_MATCHER_PARTITIONS=str(PARTITIONS),
                      SEAWALL_MATCHER_PARTITION=str(partition))
    try:
        s.script("start-worker", name)
    finally:
        del os.environ["SEAWALL_MATCHER_PARTITIONS"], os.environ["SEAWALL_MATCHER_PARTITION"]
    wait_until(f"{name} to build its index", lambda: len(builds(s, name)) > before)


def test_two_partitions_alert_each_subscriber_once(s):
    # Exporters watching the same words, until each partition has at least two of them.
    tenants = []
    while len(tenants) < len(WORDS) and \
            min(sum(1 for t in tenants if partition_of(t[0]["id"]) == p)
                for p in range(PARTITIONS)) < 2:
        sub, tok = s.tenant(f"Partitioned Exporter {len(tenants)}")
        add_items(s, sub, tok, [{"kind": "keyword", "text": "tidal lagoon"}])
        tenants.append((sub, tok))
    names = [f"seawall-matcher-{p + 2}" for p in range(PARTITIONS)]
    groups = [f"matchers.p{p}of{PARTITIONS}" for p in range(PARTITIONS)]
    s.script("stop-one", "seawall-matcher")
    try:
        for p, name in enumerate(names):
            start_matcher(s, name, p)
        # Each holds its share of the subscribers, and together all of them.
        subs = [int(x) for x in s.redis("ZRANGE", "sw:idx:subscribers", "0", "-1")]
        held = [built(s, name) for name in names]
        for p, (part, of, nsubs, _) in enumerate(held):
            assert (part, of) == (p, PARTITIONS), held
            assert nsubs == sum(1 for x in subs if partition_of(x) == p), (held, subs)
        assert sum(h[2] for h in held) == len(subs) and all(h[2] < len(subs) for h in held)
        # One event: every exporter hears of it once, whichever partition holds them.
        push_event(s, {"id": "ev_partitioned_1", "source": "test", "type": "news",
                       "title": "Tidal lagoon approved"})
        for sub, tok in tenants:
            wait_alerts(s, tok, 1, f"subscriber {sub['id']}'s alert")
        # A change made while they run reaches the partition that holds its subscriber only.
        for (sub, tok), word in zip(tenants, WORDS):
            add_items(s, sub, tok, [{"kind": "keyword", "text": f"estuary {word}"}])
        for (sub, _), word in zip(tenants, WORDS):
            push_event(s, {"id": f"ev_partitioned_{word}", "source": "test", "type": "news",
                           "title": f"Estuary {word} planned"})
        wait_until("both partitions to have read every event",
                   lambda: all(s.stream_settled("events", g) for g in groups), timeout=60)
        for (sub, tok), word in zip(tenants, WORDS):
            got = sorted(a["event_id"] for a in alerts(s, tok))
            assert got == ["ev_partitioned_1", f"ev_partitioned_{word}"], (sub, got)
    finally:
        for name in names:
            s.script("stop-one", name, check=False)
        for key in s.stream_keys("events"):
            for g in groups:
                s.redis("XGROUP", "DESTROY", key, g)
        s.script("start-worker", "seawall-matcher")


def test_a_partition_outside_the_partitions_is_refused(s):
    """matcher.partition must be below matcher.partitions: the matcher says so and exits 2
    before it reads anything."""
    import subprocess
    env = dict(os.environ, **s.env, SEAWALL_MATCHER_PARTITIONS="2",
               SEAWALL_MATCHER_PARTITION="2")
    p = subprocess.run([os.path.join(s.build, "bin", "seawall-matcher"), "--config",
                        os.path.join(s.dir, "seawall.conf")], env=env, capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 2, (p.returncode, p.stderr[-2000:])
    assert "matcher.partition 2 is not below matcher.partitions 2" in p.stderr, p.stderr[-2000:]
