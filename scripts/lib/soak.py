#!/usr/bin/env python3
"""The soak drill of scripts/drill.sh (standard library only, loopback only).

  soak.py run BASE APP_PID OUT_DIR SECONDS SAMPLE WARMUP TENANTS_JSON
      sends a fixed-rate mix of requests from every tenant for SECONDS, samples the server every SAMPLE seconds,
      waits for the accepted documents, prints the time series as a table (standard error) and the verdict row
      (standard output), and writes OUT_DIR/soak.csv and OUT_DIR/soak.gnuplot (drawn by scripts/drill.sh)

The load is open: every request has a due time fixed in advance (stream start + n / rate) and is sent on its own
thread at that time whatever earlier answers took, and its latency is measured from the due time, so a server that
falls behind shows as latency instead of silently lowering the rate (no coordinated omission).

Per tenant and second (RATES): 0.5 JSON documents ingested (an external id from a pool of POOL per tenant, so most are
new versions of a document, with the old version's chunks deleted: the index stays the same size instead of growing
for the whole run), 1.5 hybrid searches, 0.75 MCP exchanges (initialize, then tools/call search_documents: two HTTP
requests), 1 query-API read (document list, one document's status, the usage overview, the configuration, in
turn); plus, for the whole server, 0.5 reads of /actuator/prometheus. With 4 tenants: 18.5 HTTP requests a second
(16.5 operations, an MCP exchange counted once). At 1 ingest a tenant a second the app alone took 1-1.5 of the 2
cores while other agents built: halved, so the app has headroom and latency shows the app, not a saturated host.

An answer counts as an error when it is not 2xx, when no HTTP answer came within TIMEOUT seconds (status 0), or when
an MCP answer carries a JSON-RPC error or a tool result marked isError; a document that ends failed is one too.
"""
import csv
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

sys.dont_write_bytecode = True   # importing drill.py must not leave scripts/lib/__pycache__ in the work tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import drill  # noqa: E402  (call: one HTTP request with a JSON body)

TIMEOUT = 30
POOL = 150
RATES = {"ingest": 0.5, "search": 1.5, "mcp": 0.75, "query": 1.0}
METRICS_RATE = 0.5
KINDS = ["ingest", "search", "mcp", "query", "metrics"]
QUERIES = ["quarterly revenue region", "hiring plan churn", "warehouse shipment delay", "invoice payment terms",
           "customer support backlog"]
WORDS = ("revenue churn hiring region warehouse shipment invoice payment support backlog forecast budget audit "
         "contract renewal pricing margin supplier inventory logistics").split()
MCP_ACCEPT = "application/json, text/event-stream"


def body_text(n, token):
    """A paragraph of ~600 characters that differs for every request (so every ingest is a real new version)."""
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(80)]
    return f"Soak document {token}. " + " ".join(words) + "."


class Recorder:
    """Answers as they complete, and the documents accepted (for the closing count)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.done = []          # (completed_at monotonic, kind, ok, status, ms, lag_ms)
        self.documents = {}     # document_id -> tenant name
        self.recent = {}        # tenant name -> a recently accepted document id
        self.errors = []        # a few error details

    def record(self, kind, ok, status, ms, lag_ms, detail=None):
        with self.lock:
            self.done.append((time.monotonic(), kind, ok, status, ms, lag_ms))
            if not ok and detail and len(self.errors) < 20:
                self.errors.append(f"{kind} {status}: {detail}")


def mcp_exchange(base, key, query, n):
    """initialize, then tools/call search_documents (stateless Streamable HTTP: one JSON answer per POST)."""
    headers = {"X-API-Key": key, "Accept": MCP_ACCEPT}
    status, _, answer, _ = drill.call(base, "POST", "/mcp", {
        "jsonrpc": "2.0", "id": f"init-{n}", "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "soak-drill", "version": "1"}}}, headers, timeout=TIMEOUT)
    if status != 200 or not isinstance(answer, dict) or "result" not in answer:
        return False, status, f"initialize answered {status}: {str(answer)[:160]}"
    version = answer["result"].get("protocolVersion")
    headers["MCP-Protocol-Version"] = version
    status, _, answer, _ = drill.call(base, "POST", "/mcp", {
        "jsonrpc": "2.0", "id": f"call-{n}", "method": "tools/call",
        "params": {"name": "search_documents", "arguments": {"query": query, "top_k": 5}}}, headers,
        timeout=TIMEOUT)
    if status != 200 or not isinstance(answer, dict) or "result" not in answer:
        return False, status, f"tools/call answered {status}: {str(answer)[:160]}"
    if answer["result"].get("isError"):
        return False, status, f"tools/call isError: {str(answer['result'])[:160]}"
    return True, status, None


def one_request(base, kind, tenant, n, recorder):
    """(ok, status, detail) of one request of KIND for TENANT (None for the server-wide metrics reads)."""
    if kind == "metrics":
        req = urllib.request.Request(base + "/actuator/prometheus")
        try:
            with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
                r.read()
                return 200 <= r.status < 300, r.status, None
        except urllib.error.HTTPError as e:
            return False, e.code, e.reason
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
            return False, 0, str(e)
    key = tenant["api_key"]
    if kind == "ingest":
        token = f"soaktoken{uuid.uuid4().hex[:12]}"
        status, _, answer, _ = drill.call(base, "POST", "/api/ingest/document", {
            "title": f"{tenant['name']} {n % POOL}", "doc_type": "txt", "external_id": f"soak-{n % POOL}",
            "content": body_text(n, token)}, {"X-API-Key": key, "Idempotency-Key": f"soak-{token}"})
        if status == 202 and answer and answer.get("document_id"):
            with recorder.lock:
                recorder.documents[answer["document_id"]] = tenant["name"]
                recorder.recent[tenant["name"]] = answer["document_id"]
        return status == 202, status, None if status == 202 else str(answer)[:200]
    query = QUERIES[n % len(QUERIES)]
    if kind == "search":
        status, _, answer, _ = drill.call(base, "POST", "/search", {"query": query, "top_k": 5, "mode": "hybrid"},
                                          {"X-API-Key": key})
        return status == 200, status, None if status == 200 else str(answer)[:200]
    if kind == "mcp":
        return mcp_exchange(base, key, query, n)
    if kind == "query":
        with recorder.lock:
            recent = recorder.recent.get(tenant["name"])
        paths = ["/api/documents?page=1&size=20", "/api/metrics/overview", "/api/customers/config"]
        if recent:
            paths.append(f"/api/documents/{recent}/status")
        status, _, answer, _ = drill.call(base, "GET", paths[n % len(paths)], None, {"X-API-Key": key})
        return 200 <= status < 300, status, None if 200 <= status < 300 else str(answer)[:200]
    raise ValueError(kind)


def stream(base, kind, tenant, rate, started, seconds, recorder, workers):
    """Sends KIND at RATE per second from STARTED for SECONDS; each request on its own thread at its due time."""
    interval = 1.0 / rate
    n = 0
    while True:
        due = started + n * interval
        if due - started >= seconds:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        n += 1

        def send(n=n, due=due):
            lag_ms = (time.monotonic() - due) * 1000
            try:
                ok, status, detail = one_request(base, kind, tenant, n, recorder)
            except Exception as e:  # a bug here must show as an error, not end the stream
                ok, status, detail = False, -1, repr(e)
            recorder.record(kind, ok, status, (time.monotonic() - due) * 1000, lag_ms, detail)

        worker = threading.Thread(target=send, daemon=True)
        worker.start()
        workers.append(worker)


PROM_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)')


def prometheus(base):
    """{(name, labels text): value} of the app's /actuator/prometheus, {} when it does not answer."""
    try:
        with urllib.request.urlopen(base + "/actuator/prometheus", timeout=10) as r:
            text = r.read().decode()
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return {}
    out = {}
    for line in text.splitlines():
        m = PROM_LINE.match(line)
        if m and not line.startswith("#"):
            try:
                out[(m.group(1), m.group(2) or "")] = float(m.group(3))
            except ValueError:
                pass
    return out


def metric(values, name, label=None):
    """The sum of NAME's series (those whose labels contain LABEL), None when there is none."""
    found = [v for (n, labels), v in values.items() if n == name and (label is None or label in labels)]
    return sum(found) if found else None


def process(pid):
    """RSS (MB), threads, open fds, open fds on Lance files, CPU seconds so far of PID."""
    status = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            status[k] = v.strip()
    fds = lance = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        fds += 1
        try:
            if ".lance" in os.readlink(f"/proc/{pid}/fd/{fd}"):
                lance += 1
        except OSError:
            pass  # closed meanwhile
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return {"rss_mb": int(status["VmRSS"].split()[0]) / 1024, "threads": int(status["Threads"]), "fds": fds,
            "lance_fds": lance, "cpu_s": cpu}


def percentile(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def window(rows_done, start_t, since, until, base, pid, cpu_before):
    items = [d for d in rows_done if since <= d[0] < until]
    row = {"t_s": round(until - start_t), "requests": len(items), "errors": sum(1 for d in items if not d[2]),
           "rate": round(len(items) / (until - since), 1)}
    all_ms = [d[4] for d in items if d[1] != "metrics"]
    row["p50_ms"] = percentile(all_ms, 50)
    row["p99_ms"] = percentile(all_ms, 99)
    row["lag_max_ms"] = max((d[5] for d in items), default=None)
    for kind in KINDS:
        ms = [d[4] for d in items if d[1] == kind]
        row[f"{kind}_n"] = len(ms)
        row[f"{kind}_err"] = sum(1 for d in items if d[1] == kind and not d[2])
        row[f"{kind}_p50"] = percentile(ms, 50)
        row[f"{kind}_p99"] = percentile(ms, 99)
    proc = process(pid)
    row.update({k: proc[k] for k in ("rss_mb", "threads", "fds", "lance_fds")})
    row["cpu_pct"] = round((proc["cpu_s"] - cpu_before) / (until - since) * 100)
    values = prometheus(base)
    heap_live = metric(values, "jvm_gc_live_data_size_bytes")
    # 0 until the first collection that measures it
    row["heap_live_mb"] = heap_live / 2**20 if heap_live else None
    heap_used = metric(values, "jvm_memory_used_bytes", 'area="heap"')
    row["heap_used_mb"] = None if heap_used is None else heap_used / 2**20
    session = metric(values, "rag_index_session_cache_bytes")
    row["lance_session_mb"] = None if session is None else session / 2**20
    arrow = metric(values, "rag_index_arrow_allocated_bytes")
    row["arrow_mb"] = None if arrow is None else arrow / 2**20
    row["lance_open"] = metric(values, "rag_index_datasets_open")
    row["lance_cached"] = metric(values, "rag_index_datasets_cached")
    row["docs_processing"] = metric(values, "rag_documents", 'status="processing"')
    row["docs_completed"] = metric(values, "rag_documents", 'status="completed"')
    row["docs_failed"] = metric(values, "rag_documents", 'status="failed"')
    with open("/proc/loadavg") as f:
        row["loadavg"] = float(f.read().split()[0])
    return row, proc["cpu_s"]


COLUMNS = (["t_s", "requests", "rate", "errors", "p50_ms", "p99_ms", "lag_max_ms"]
           + [f"{k}_{m}" for k in KINDS for m in ("n", "err", "p50", "p99")]
           + ["rss_mb", "heap_live_mb", "heap_used_mb", "lance_session_mb", "arrow_mb", "threads", "fds", "lance_fds", "lance_open", "lance_cached",
              "cpu_pct", "loadavg", "docs_processing", "docs_completed", "docs_failed"])


def fmt(v, digits=0):
    if v is None:
        return "-"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def print_table(rows, out):
    head = ("|   t s | req/s | err | p50/p99 ms all | ingest p99 | search p99 | mcp p99 | query p99 | metrics p99 "
            "| RSS MB | heap live MB | Lance session MB | fds | Lance fds | Lance open | JVM CPU % | load | docs processing |")
    print(head, file=out)
    print("|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|", file=out)
    for r in rows:
        print(f"| {r['t_s']:5} | {r['rate']:5} | {r['errors']:3} | {fmt(r['p50_ms'])}/{fmt(r['p99_ms'])} "
              f"| {fmt(r['ingest_p99'])} | {fmt(r['search_p99'])} | {fmt(r['mcp_p99'])} | {fmt(r['query_p99'])} "
              f"| {fmt(r['metrics_p99'])} | {fmt(r['rss_mb'])} | {fmt(r['heap_live_mb'])} "
              f"| {fmt(r['lance_session_mb'])} | {r['fds']} "
              f"| {r['lance_fds']} | {fmt(r['lance_open'])} | {r['cpu_pct']} | {r['loadavg']} "
              f"| {fmt(r['docs_processing'])} |", file=out)


def settle(base, tenants, documents, seconds):
    """Waits (at most SECONDS) for every accepted document to leave processing; {status: count}."""
    keys = {t["name"]: t["api_key"] for t in tenants}
    final = {}
    deadline = time.monotonic() + seconds
    while True:
        for doc_id, name in documents.items():
            if doc_id in final:
                continue
            status, _, body, _ = drill.call(base, "GET", f"/api/documents/{doc_id}/status", None,
                                            {"X-API-Key": keys[name]})
            if status == 200 and body.get("status") != "processing":
                final[doc_id] = body
        if len(final) == len(documents) or time.monotonic() >= deadline:
            break
        time.sleep(2)
    counts = {}
    for doc_id in documents:
        s = final.get(doc_id, {}).get("status", "processing")
        counts[s] = counts.get(s, 0) + 1
    failed = [b.get("error_message") for b in final.values() if b.get("status") == "failed"]
    return counts, failed[:5]


def gnuplot_script(csv_file, png, title):
    """Four panels over time: latency, memory, handles, load."""
    return f"""set terminal pngcairo size 1200,1300 font ",10"
set output '{png}'
set datafile separator ','
set datafile missing ''
set key autotitle columnhead outside right
set grid
set xlabel 'minutes'
set lmargin at screen 0.07
set rmargin at screen 0.78
set multiplot layout 4,1 title '{title}'
set title 'p99 latency per kind of request (ms, window of the sample; due time to answer)'
set logscale y
plot '{csv_file}' using ($1/60):(column('ingest_p99')) with linespoints title 'ingest', \\
     '' using ($1/60):(column('search_p99')) with linespoints title 'search', \\
     '' using ($1/60):(column('mcp_p99')) with linespoints title 'MCP', \\
     '' using ($1/60):(column('query_p99')) with linespoints title 'query API', \\
     '' using ($1/60):(column('metrics_p99')) with linespoints title 'prometheus', \\
     '' using ($1/60):(column('p50_ms')) with lines dashtype 2 title 'p50 all'
unset logscale y
set title 'memory of the app process (MB)'
plot '{csv_file}' using ($1/60):(column('rss_mb')) with linespoints title 'RSS', \\
     '' using ($1/60):(column('heap_used_mb')) with lines title 'heap used', \\
     '' using ($1/60):(column('heap_live_mb')) with linespoints title 'heap live after GC', \\
     '' using ($1/60):(column('lance_session_mb')) with linespoints title 'Lance session caches', \\
     '' using ($1/60):(column('arrow_mb')) with lines title 'Arrow allocated'
set title 'open file descriptors and Lance dataset handles'
set yrange [0:*]
plot '{csv_file}' using ($1/60):(column('fds')) with linespoints title 'open fds', \\
     '' using ($1/60):(column('lance_fds')) with linespoints title 'fds on .lance files', \\
     '' using ($1/60):(column('lance_open')) with linespoints title 'Lance handles open (gauge)', \\
     '' using ($1/60):(column('threads')) with lines title 'JVM threads'
set title 'load: answers per second (an MCP exchange once), errors, app CPU (% of one core) / 10, machine load average'
plot '{csv_file}' using ($1/60):(column('rate')) with linespoints title 'answers/s', \\
     '' using ($1/60):(column('errors')) with impulses lw 3 title 'errors', \\
     '' using ($1/60):(column('cpu_pct')/10) with lines title 'app CPU %/10', \\
     '' using ($1/60):(column('loadavg')) with lines title 'load average (1 min)', \\
     '' using ($1/60):(column('docs_processing')) with lines title 'documents processing'
unset multiplot
"""


def run(base, pid, out_dir, seconds, sample, warmup, tenants):
    recorder = Recorder()
    workers = []
    started = time.monotonic()
    streams = [threading.Thread(target=stream, args=(base, kind, t, rate, started, seconds, recorder, workers),
                                daemon=True)
               for t in tenants for kind, rate in RATES.items()]
    streams.append(threading.Thread(target=stream, args=(base, "metrics", None, METRICS_RATE, started, seconds,
                                                         recorder, workers), daemon=True))
    for s in streams:
        s.start()
    rows = []
    cpu = process(pid)["cpu_s"]
    since = started
    end = started + seconds
    while since < end - 0.5:
        until = min(end, since + sample)
        time.sleep(max(0.0, until - time.monotonic()))
        with recorder.lock:
            done = list(recorder.done)
        row, cpu = window(done, started, since, until, base, pid, cpu)
        rows.append(row)
        print(f"soak: {row['t_s']} s, {row['requests']} answers, {row['errors']} errors, p99 {fmt(row['p99_ms'])} ms,"
              f" RSS {fmt(row['rss_mb'])} MB, fds {row['fds']}, Lance open {fmt(row['lance_open'])}", file=sys.stderr)
        since = until
    for s in streams:
        s.join()
    for w in list(workers):
        w.join(TIMEOUT * 2 + 5)
    late = [d for d in recorder.done if d[0] >= since]
    if late:  # answers that came after the last window: counted in the totals, not drawn
        print(f"soak: {len(late)} answers came after the load ended", file=sys.stderr)
    counts, failed = settle(base, tenants, dict(recorder.documents), 180)

    csv_file = os.path.join(out_dir, "soak.csv")
    with open(csv_file, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for r in rows:
            writer.writerow({k: ("" if r.get(k) is None else round(r[k], 1) if isinstance(r[k], float) else r[k])
                             for k in COLUMNS})
    minutes = seconds / 60
    rate = sum(RATES.values()) * len(tenants) + sum(0.75 for _ in tenants) + METRICS_RATE
    title = (f"soak: {len(tenants)} tenants, {rate:g} HTTP requests/s for {minutes:g} min, samples every "
             f"{sample:g} s")
    with open(os.path.join(out_dir, "soak.gnuplot"), "w") as f:
        f.write(gnuplot_script(csv_file, os.path.join(out_dir, "soak.png"), title))

    print_table(rows, sys.stderr)
    done = recorder.done
    total = len(done)
    errors = [d for d in done if not d[2]]
    by = {}
    for d in errors:
        by[f"{d[1]} {d[3]}"] = by.get(f"{d[1]} {d[3]}", 0) + 1
    for e in recorder.errors[:10]:
        print(f"  error: {e}", file=sys.stderr)
    if failed:
        print(f"  failed documents, first reasons: {failed}", file=sys.stderr)
    per_kind = []
    for kind in KINDS:
        ms = [d[4] for d in done if d[1] == kind]
        per_kind.append(f"{kind} {len(ms)}: p50 {fmt(percentile(ms, 50))} / p99 {fmt(percentile(ms, 99))} ms")
    print("  whole run per kind: " + "; ".join(per_kind), file=sys.stderr)
    print(f"  scheduling lag (due time to the request thread running): max "
          f"{fmt(max((d[5] for d in done), default=None))} ms", file=sys.stderr)

    after = [r for r in rows if r["t_s"] > warmup] or rows
    first, last = after[0], rows[-1]
    growth = (last["rss_mb"] - first["rss_mb"]) / first["rss_mb"] * 100
    fds = [r["fds"] for r in rows]
    lance_fds = [r["lance_fds"] for r in rows]
    opened = [r["lance_open"] for r in rows if r["lance_open"] is not None]
    live = [r["heap_live_mb"] for r in rows if r["heap_live_mb"] is not None]
    doc_errors = counts.get("failed", 0) + counts.get("processing", 0)
    error_text = "0" if not errors and not doc_errors else (
        f"{len(errors)} answers ({', '.join(f'{k}: {v}' for k, v in sorted(by.items())) or 'none'})"
        f"; documents failed {counts.get('failed', 0)}, still processing {counts.get('processing', 0)}")
    print(f"| soak | {minutes:g} min, {len(tenants)} tenants, {rate:g} req/s | {total} | {error_text} "
          f"| {len(recorder.documents)} / {counts.get('completed', 0)} "
          f"| {fmt(first['p99_ms'])} -> {fmt(last['p99_ms'])} ms "
          f"| {fmt(first['rss_mb'])} -> {fmt(last['rss_mb'])} MB ({growth:+.1f}%) "
          f"| {min(fds)}-{max(fds)} | {min(lance_fds)}-{max(lance_fds)} / "
          f"{fmt(min(opened) if opened else None)}-{fmt(max(opened) if opened else None)} "
          f"| {fmt(min(live) if live else None)}-{fmt(max(live) if live else None)} MB |")


if __name__ == "__main__":
    if sys.argv[1] != "run":
        sys.exit(f"unknown command {sys.argv[1]}")
    run(sys.argv[2], int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]),
        json.loads(sys.argv[8]))
