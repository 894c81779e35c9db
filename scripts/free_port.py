#!/usr/bin/env python3
"""Prints a free TCP port on 127.0.0.1 below the kernel's ephemeral port range (so no
outgoing connection takes it while a server we killed is being started again); with
--bus, one whose port + 10000 (a Redis Cluster node's bus port) is free and below it too."""
import random
import socket
import sys


def ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def free(port):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def main():
    bus = "--bus" in sys.argv[1:]
    low, high = 10000, ephemeral_low() - (10000 if bus else 0)
    if high - low > 1000:
        for _ in range(500):
            p = random.randrange(low, high)
            if free(p) and (not bus or free(p + 10000)):
                print(p)
                return
    s = socket.socket()          # no room below the range: any free port
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


main()
