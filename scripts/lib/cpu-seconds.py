#!/usr/bin/env python3
"""CPU seconds used so far by a process (the service), by PostgreSQL and by Redis, live processes and the children
they have reaped: prints "<service> <postgres> <redis>". The benchmarks take it before and after a run.
Usage: scripts/lib/cpu-seconds.py <service pid>"""
import os
import sys

hz = os.sysconf("SC_CLK_TCK")
service, postgres, redis = 0, 0, 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")]
    fields = stat[stat.rindex(")") + 2:].split()
    used = sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    if pid == sys.argv[1]:
        service = used
    elif name == "postgres":
        postgres += used
    elif name == "redis-server":
        redis += used
print(f"{service / hz:.1f} {postgres / hz:.1f} {redis / hz:.1f}")
