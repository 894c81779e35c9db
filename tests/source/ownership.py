#!/usr/bin/env python3
"""Who may touch Redis: lib/ owns every key and every script (issue 22). This finds, in fcgi/,
workers/ and tools/, every call into the store other than opening and closing a handle, every string
that spells a key ("sw:..."), and every Redis command written as a string;
and in lib/ and include/seawall/, every key spelt outside include/seawall/keys.h.

    tests/source/ownership.py [FILE ...]     prints what it finds, exits 1 when anything

Comments are skipped; strings are read as C reads them."""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# "GET" is left out: it is also the HTTP method every route names.
# Opening and closing a handle, and reading its counters for /metrics, are the programs' own
# business; everything else about the store goes through lib's data operations.
ALLOWED_CALLS = {"sw_store_init", "sw_store_close", "sw_store_cluster_stats"}
REDIS_COMMANDS = set("""
APPEND BLPOP BRPOP DECR DECRBY DEL EVAL EVALSHA EXEC EXISTS EXPIRE EXPIREAT GETDEL GETSET
HDEL HEXISTS HGET HGETALL HINCRBY HKEYS HLEN HMGET HMSET HSET HSETNX HVALS INCR INCRBY KEYS
LINDEX LLEN LPOP LPUSH LRANGE LREM LTRIM MGET MSET MULTI PERSIST PEXPIRE PEXPIREAT PING
PSETEX PTTL PUBLISH RENAME RPOP RPUSH SADD SCAN SCARD SET SETEX SETNX SISMEMBER SMEMBERS
SREM SSCAN TTL TYPE UNLINK WATCH UNWATCH XACK XADD XAUTOCLAIM XCLAIM XDEL XGROUP XINFO XLEN
XPENDING XRANGE XREAD XREADGROUP XREVRANGE XTRIM ZADD ZCARD ZCOUNT ZINCRBY ZRANGE
ZRANGEBYSCORE ZREM ZREMRANGEBYSCORE ZREVRANGE ZREVRANGEBYSCORE ZSCORE ZSCAN
""".split())


def strip_comments(text):
    """The text with C comments blanked (line numbers kept) and strings left in place."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
CALL = re.compile(r"\b(sw_store_[a-z_]+)\s*\(")


def findings(path):
    rel = os.path.relpath(path, ROOT)
    edge = rel.startswith(("fcgi/", "workers/", "tools/"))
    with open(path, encoding="utf-8", errors="replace") as f:
        text = strip_comments(f.read())
    for lineno, line in enumerate(text.splitlines(), 1):
        if edge:
            for m in CALL.finditer(line):
                if m.group(1) not in ALLOWED_CALLS:
                    yield rel, lineno, f"calls the store: {m.group(1)}()"
        for m in STRING.finditer(line):
            s = m.group(1)
            if s.startswith("sw:") or "sw:{" in s:
                yield rel, lineno, f'spells a key: "{s}"'
            elif edge and s in REDIS_COMMANDS:
                yield rel, lineno, f'sends a Redis command: "{s}"'


def sources():
    for folder in ("fcgi", "workers", "tools", "lib", "include/seawall"):
        for name in sorted(os.listdir(os.path.join(ROOT, folder))):
            if name.endswith((".c", ".h")) and name != "keys.h":
                yield os.path.join(ROOT, folder, name)


def main(argv):
    paths = [os.path.abspath(p) for p in argv] or list(sources())
    found = [f for p in paths for f in findings(p)]
    for rel, lineno, what in found:
        print(f"{rel}:{lineno}: {what}")
    if found:
        files = len({f[0] for f in found})
        print(f"{len(found)} findings in {files} files", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
