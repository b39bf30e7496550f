#!/usr/bin/env python3
"""The hostile-input drill of scripts/drill.sh fuzz (standard library only, loopback only).

  fuzz.py inputs BASE APP_PID SEED N OUT_DIR   N seeded inputs per target (fuzz_inputs.py) against the app at
                                               BASE; per target: answers by status, 5xx (index and what the input
                                               was), answers slower than the request time-out, the JVM's RSS
                                               before / peak / after; then follows every accepted document to its
                                               end (completed, or failed with which reason). Prints a table;
                                               writes OUT_DIR/fuzz.json and each 5xx/hang input to OUT_DIR/inputs
  fuzz.py slowloris BASE APP_PID CONNS SECONDS CONNS connections that send their request headers a byte a second
                                               (half of them) or nothing at all (the other half) for SECONDS, while
                                               a normal client searches and ingests: when the server dropped them,
                                               and the normal client's answers and latency meanwhile
  fuzz.py big-json BASE APP_PID MB             one JSON body of MB megabytes to /api/ingest/document, streamed;
                                               the answer (status, content type, time), bytes the server took
                                               before answering, and the RSS

Environment: RAG_FUZZ_TIMEOUT (the request time-out, seconds, default 30): an answer slower than this is a hang.
"""
import concurrent.futures
import http.client
import json
import os
import random
import select
import socket
import sys
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fuzz_inputs  # noqa: E402

TIMEOUT = float(os.environ.get("RAG_FUZZ_TIMEOUT", "30"))
WORKERS = 4
PASSWORD = "fuzz-password-0"


# ---- the JVM's resident memory --------------------------------------------------------------------------------

def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


class RssSampler:
    """Samples VmRSS every 0.2 s; peak() since the last mark()."""

    def __init__(self, pid):
        self.pid = pid
        self.peak_mb = 0
        self.alive = True
        self.lock = threading.Lock()
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while self.alive:
            value = rss_mb(self.pid)
            if value is not None:
                with self.lock:
                    self.peak_mb = max(self.peak_mb, value)
            time.sleep(0.2)

    def mark(self):
        with self.lock:
            self.peak_mb = rss_mb(self.pid) or 0
        return self.peak_mb

    def peak(self):
        with self.lock:
            return self.peak_mb


# ---- HTTP ------------------------------------------------------------------------------------------------------

def send(base, method, path, body=b"", headers=None, timeout=TIMEOUT):
    """(status, headers, body bytes, seconds, note). Status 0: no HTTP answer; note says why (timeout, reset...)."""
    url = urllib.parse.urlsplit(base)
    started = time.monotonic()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        if body or method in ("POST", "PUT"):
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        if body:
            try:
                conn.send(body)
            except (BrokenPipeError, ConnectionResetError):
                pass   # the server answered (e.g. 413) and closed before taking the whole body: read its answer
        response = conn.getresponse()
        data = response.read()
        return response.status, dict(response.getheaders()), data, time.monotonic() - started, ""
    except socket.timeout:
        return 0, {}, b"", time.monotonic() - started, "timeout"
    except (ConnectionError, http.client.HTTPException, OSError) as e:
        return 0, {}, b"", time.monotonic() - started, type(e).__name__
    finally:
        conn.close()


def call_json(base, method, path, value=None, headers=None):
    body = b"" if value is None else json.dumps(value).encode()
    status, head, data, seconds, note = send(base, method, path, body,
                                             {"Content-Type": "application/json", **(headers or {})})
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = None
    return status, parsed


def new_tenant(base, name):
    status, body = call_json(base, "POST", "/api/auth/signup", {
        "email": f"fuzz-{name}-{uuid.uuid4()}@example.com", "password": PASSWORD, "company_name": f"fuzz {name}"})
    if status != 201:
        sys.exit(f"sign-up of {name} answered {status}: {body}")
    key = body["api_key"]
    status, answer = call_json(base, "PUT", "/api/customers/config", {
        "rate_limit_requests_per_minute": 100_000, "rate_limit_requests_per_day": 100_000_000,
        "max_documents": 1_000_000, "allowed_document_types": ["pdf", "docx", "txt", "html", "md"]},
        {"X-API-Key": key})
    if status != 200:
        sys.exit(f"configuring {name} answered {status}: {answer}")
    return key


# ---- the hostile page server (URL ingestion fetches from it on 127.0.0.1) -------------------------------------

class PageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        parts = urllib.parse.urlsplit(self.path)
        kind = parts.path.strip("/")
        rng = random.Random(parts.query)
        status, headers, chunks, pause = fuzz_inputs.hostile_page(kind, rng)
        try:
            self.send_response(status)
            if "Content-Length" not in headers:
                headers = {**headers, "Content-Length": str(sum(len(c) for c in chunks))}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in chunks:
                self.wfile.write(chunk)
                self.wfile.flush()
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True

    def log_message(self, *args):
        pass


def page_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# ---- the fuzz run ------------------------------------------------------------------------------------------------

class TargetStats:
    def __init__(self, name):
        self.name = name
        self.inputs = 0
        self.requests = 0
        self.statuses = {}
        self.server_errors = []     # (index, request, status, what)
        self.hangs = []             # (index, request, seconds, what)
        self.item_errors = []       # batch items rejected with a 5xx inside a 202
        self.slowest = 0.0
        self.documents = {}         # document_id -> index
        self.rss = {}
        self.lock = threading.Lock()

    def record(self, index, request, status, seconds, note, what, body):
        with self.lock:
            self.requests += 1
            key = str(status) if status else f"0 ({note})"
            self.statuses[key] = self.statuses.get(key, 0) + 1
            self.slowest = max(self.slowest, seconds)
            if status >= 500:
                self.server_errors.append((index, request, status, what, body[:300].decode("utf-8", "replace")))
            if seconds >= TIMEOUT or note == "timeout":
                self.hangs.append((index, request, round(seconds, 1), what))


def accepted_documents(status, body):
    """Document ids of a 202 (one document or a batch), and batch items rejected with a 5xx."""
    if status != 202 or not body:
        return [], []
    try:
        answer = json.loads(body)
    except ValueError:
        return [], []
    if isinstance(answer, dict) and "results" in answer:
        ids = [r["document_id"] for r in answer["results"] if r.get("document_id")]
        bad = [r for r in answer["results"] if (r.get("error") or {}).get("status", 0) >= 500]
        return ids, bad
    if isinstance(answer, dict) and answer.get("document_id"):
        return [answer["document_id"]], []
    return [], []


def save_input(out_dir, target, index, request):
    os.makedirs(os.path.join(out_dir, "inputs"), exist_ok=True)
    with open(os.path.join(out_dir, "inputs", f"{target}-{index}.bin"), "wb") as f:
        f.write(request.body)


def run_input(base, key, stats, target, index, request, out_dir):
    headers = {**request.headers, "X-API-Key": key}
    status, head, body, seconds, note = send(base, request.method, request.path, request.body, headers)
    stats.record(index, f"{request.method} {request.path}", status, seconds, note, request.what, body)
    if status >= 500 or seconds >= TIMEOUT:
        save_input(out_dir, target, index, request)
    ids, bad = accepted_documents(status, body)
    with stats.lock:
        for doc in ids:
            stats.documents[doc] = index
        stats.item_errors += [(index, item) for item in bad]
    if target != "webhook" or status != 201:
        return
    created = json.loads(body)
    webhook_id = created["id"]
    inbound = urllib.parse.urlsplit(created["webhook_url"]).path
    for method, path, data, kind in request.follow["steps"]:
        path = inbound if path == "{webhook}" else path.replace("{id}", webhook_id)
        step_headers = {"Content-Type": "application/json"}
        if kind != "deliver":
            step_headers["X-API-Key"] = key
        status, head, body, seconds, note = send(base, method, path, data, step_headers)
        stats.record(index, f"{method} {kind}", status, seconds, note, f"{kind} after {request.what}", body)
        ids, bad = accepted_documents(status, body)
        with stats.lock:
            for doc in ids:
                stats.documents[doc] = index
            stats.item_errors += [(index, item) for item in bad]
    status, _, _, seconds, note = send(base, "DELETE", f"/api/webhooks/{webhook_id}", b"", {"X-API-Key": key})
    stats.record(index, "DELETE webhook", status, seconds, note, "delete", b"")


def settle(base, key, targets, seconds):
    """Follows every accepted document until it leaves processing (at most SECONDS): completed, failed (reason),
    or still processing when the time is up."""
    pending = {doc: stats for stats in targets for doc in stats.documents}
    outcome = {stats.name: {"completed": 0, "failed": 0, "processing": 0, "reasons": {}} for stats in targets}
    deadline = time.monotonic() + seconds
    while pending and time.monotonic() < deadline:
        for doc in list(pending):
            status, body = call_json(base, "GET", f"/api/documents/{doc}/status", None, {"X-API-Key": key})
            if status == 200 and body and body.get("status") not in ("processing", None):
                stats = pending.pop(doc)
                result = outcome[stats.name]
                if body["status"] == "completed":
                    result["completed"] += 1
                else:
                    result["failed"] += 1
                    reason = (body.get("error_message") or "(no reason)")[:160]
                    result["reasons"][reason] = result["reasons"].get(reason, 0) + 1
        if pending:
            time.sleep(1)
    for doc, stats in pending.items():
        outcome[stats.name]["processing"] += 1
    return outcome


def fuzz_inputs_run(base, pid, seed, n, out_dir):
    pages = page_server()
    page_base = f"http://127.0.0.1:{pages.server_address[1]}"
    key = new_tenant(base, "hostile")
    sampler = RssSampler(pid)
    started_rss = rss_mb(pid)
    targets = []
    print(f"fuzz: seed {seed}, {n} inputs per target, request time-out {TIMEOUT:.0f} s; hostile pages on "
          f"{page_base}", file=sys.stderr)
    died = None
    for target in ["json-document", "json-batch", "url", "webhook", "multipart", "files"]:
        if not os.path.exists(f"/proc/{pid}"):
            died = died or (targets[-1].name if targets else "start")
            break
        stats = TargetStats(target)
        targets.append(stats)
        stats.rss["before"] = sampler.mark()
        began = time.monotonic()

        def make(index, target=target):
            if target == "url":
                return fuzz_inputs.gen_url(seed, index, page_base)
            return fuzz_inputs.GENERATORS[target](seed, index)

        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            futures = []
            for index in range(n):
                request = make(index)
                stats.inputs += 1
                futures.append(pool.submit(run_input, base, key, stats, target, index, request, out_dir))
                # at most 2 inputs per worker waiting: generating them costs memory (the bombs are large)
                while sum(1 for f in futures if not f.done()) > WORKERS * 2:
                    time.sleep(0.01)
            for future in futures:
                future.result()
        stats.rss["peak"] = sampler.peak()
        stats.rss["after"] = rss_mb(pid)
        stats.seconds = time.monotonic() - began
        print(f"fuzz: {target}: {stats.inputs} inputs, {stats.requests} requests in {stats.seconds:.0f} s; "
              f"answers {dict(sorted(stats.statuses.items()))}; 5xx {len(stats.server_errors)}, hangs "
              f"{len(stats.hangs)}, slowest {stats.slowest:.1f} s; RSS {stats.rss['before']} -> peak "
              f"{stats.rss['peak']} -> {stats.rss['after']} MB", file=sys.stderr)
    if not os.path.exists(f"/proc/{pid}"):
        died = died or (targets[-1].name if targets else "start")
    if died:
        print(f"fuzz: THE APP DIED during the {died} inputs (its log's tail says why); the run stops here",
              file=sys.stderr)
    else:
        print(f"fuzz: following {sum(len(s.documents) for s in targets)} accepted documents to their end",
              file=sys.stderr)
    settle_started = time.monotonic()
    outcome = settle(base, key, targets, 0 if died else 600)
    settle_seconds = time.monotonic() - settle_started
    peak_all = max(s.rss.get("peak") or 0 for s in targets)
    after_all = rss_mb(pid)
    # the worker still works: a plain document from a fresh tenant completes
    canary_key = new_tenant(base, "canary") if not died else None
    status, body = (0, None) if died else call_json(base, "POST", "/api/ingest/document", {
        "title": "canary", "content": "After the fuzz run this document must complete.", "doc_type": "txt"},
        {"X-API-Key": canary_key})
    canary = "not accepted (%s)" % status
    if died:
        canary = "none: the app died"
    elif status == 202:
        doc = body["document_id"]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            s, b = call_json(base, "GET", f"/api/documents/{doc}/status", None, {"X-API-Key": canary_key})
            if s == 200 and b.get("status") != "processing":
                canary = b.get("status")
                break
            time.sleep(0.5)
        else:
            canary = "still processing after 120 s"
    sampler.alive = False
    pages.shutdown()

    result = {"seed": seed, "n": n, "timeout": TIMEOUT, "died": died, "rss_start": started_rss, "rss_peak": peak_all,
              "rss_end": after_all, "settle_seconds": round(settle_seconds, 1), "canary": canary, "targets": {}}
    print("\n| target | inputs | requests | answers by status | 5xx | hangs (> %d s) | slowest | RSS before / peak / "
          "after (MB) | documents accepted / completed / failed / stuck |" % TIMEOUT)
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for stats in targets:
        o = outcome[stats.name]
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(stats.statuses.items()))
        errors = len(stats.server_errors) + len(stats.item_errors)
        print(f"| {stats.name} | {stats.inputs} | {stats.requests} | {statuses} | {errors} | {len(stats.hangs)} | "
              f"{stats.slowest:.1f} s | {stats.rss['before']} / {stats.rss['peak']} / {stats.rss['after']} | "
              f"{len(stats.documents)} / {o['completed']} / {o['failed']} / {o['processing']} |")
        result["targets"][stats.name] = {
            "inputs": stats.inputs, "requests": stats.requests, "statuses": stats.statuses,
            "server_errors": stats.server_errors, "item_errors": stats.item_errors, "hangs": stats.hangs,
            "slowest": round(stats.slowest, 1), "rss": stats.rss, "documents": len(stats.documents), **o}
    print(file=sys.stderr)
    for stats in targets:
        for index, request, status, what, body in stats.server_errors:
            print(f"  5xx {stats.name} #{index} ({request}): {status} {body[:160]!r}; input: {what}",
                  file=sys.stderr)
        for index, item in stats.item_errors:
            print(f"  5xx in a batch item, {stats.name} #{index}: {item}", file=sys.stderr)
        for index, request, seconds, what in stats.hangs:
            print(f"  hang {stats.name} #{index} ({request}): {seconds} s; input: {what}", file=sys.stderr)
    for stats in targets:
        for reason, count in sorted(outcome[stats.name]["reasons"].items(), key=lambda kv: -kv[1]):
            print(f"  failed ({stats.name}) x{count}: {reason}", file=sys.stderr)
    print(f"  documents followed for {settle_seconds:.0f} s; a fresh tenant's plain document afterwards: {canary}; "
          f"JVM RSS at start {started_rss} MB, peak {peak_all} MB, at the end {after_all} MB", file=sys.stderr)
    with open(os.path.join(out_dir, "fuzz.json"), "w") as f:
        json.dump(result, f, indent=1, default=str)


# ---- slowloris --------------------------------------------------------------------------------------------------

def slowloris(base, pid, connections, seconds):
    url = urllib.parse.urlsplit(base)
    key = new_tenant(base, "slowloris")
    rss_before = rss_mb(pid)
    peak = [rss_before or 0]
    socks = []
    opened = time.monotonic()
    refused = 0
    for i in range(connections):
        s = socket.socket()
        s.settimeout(5)
        try:
            s.connect((url.hostname, url.port))
        except OSError:
            refused += 1
            continue
        s.setblocking(False)
        # even: a request line, then one header byte a second; odd: connected and silent
        socks.append({"sock": s, "dribble": i % 2 == 0, "closed_at": None, "sent": 0, "answer": b""})
    for c in socks:
        if c["dribble"]:
            try:
                c["sock"].send(b"POST /api/ingest/document HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            except OSError:
                c["closed_at"] = time.monotonic() - opened
    normal = []
    stop = threading.Event()

    def normal_client():
        n = 0
        while not stop.is_set():
            n += 1
            if n % 2:
                status, _, _, secs, note = send(base, "POST", "/search",
                                                json.dumps({"query": "revenue", "top_k": 3}).encode(),
                                                {"Content-Type": "application/json", "X-API-Key": key}, timeout=30)
            else:
                status, _, _, secs, note = send(base, "GET", "/actuator/health", b"", {}, timeout=30)
            normal.append((status, secs))
            time.sleep(0.5)

    client = threading.Thread(target=normal_client, daemon=True)
    client.start()
    deadline = opened + seconds
    while time.monotonic() < deadline:
        peak[0] = max(peak[0], rss_mb(pid) or 0)
        now = time.monotonic() - opened
        for c in socks:
            if c["closed_at"] is not None:
                continue
            s = c["sock"]
            readable, _, _ = select.select([s], [], [], 0)
            if readable:
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                if data:
                    c["answer"] += data
                if not data:
                    c["closed_at"] = now
                    continue
            if c["dribble"]:
                try:
                    s.send(b"a")
                    c["sent"] += 1
                except OSError:
                    c["closed_at"] = now
        time.sleep(1)
    stop.set()
    client.join(35)
    for c in socks:
        c["sock"].close()
    result = {}
    for label, dribble in (("headers a byte a second", True), ("silent", False)):
        group = [c for c in socks if c["dribble"] == dribble]
        dropped = sorted(c["closed_at"] for c in group if c["closed_at"] is not None)
        answers = {}
        for c in group:
            line = c["answer"].split(b"\r\n", 1)[0].decode("latin-1")[:40]
            if line:
                answers[line] = answers.get(line, 0) + 1
        result[label] = {"connections": len(group), "dropped": len(dropped),
                         "drop_median": dropped[len(dropped) // 2] if dropped else None,
                         "drop_max": dropped[-1] if dropped else None, "answers": answers}
        print(f"  slowloris, {label}: {len(group)} connections, {len(dropped)} dropped by the server within "
              f"{seconds} s" + (f" (after {dropped[len(dropped) // 2]:.0f} s median, {dropped[-1]:.0f} s at the "
                                f"latest)" if dropped else "") + (f"; answers sent before closing {answers}"
                                                                  if answers else ""), file=sys.stderr)
    latencies = sorted(secs for status, secs in normal)
    codes = {}
    for status, _ in normal:
        codes[status] = codes.get(status, 0) + 1
    p = (lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))] * 1000) if latencies else None
    print(f"  meanwhile a normal client: {len(normal)} requests, answers {codes}, latency median "
          f"{p(0.5):.0f} ms, p99 {p(0.99):.0f} ms, max {latencies[-1] * 1000:.0f} ms; JVM RSS {rss_before} -> peak "
          f"{peak[0]} MB; {refused} connections refused at connect", file=sys.stderr)
    result.update({"normal": {"requests": len(normal), "codes": codes, "p50_ms": p(0.5), "p99_ms": p(0.99),
                              "max_ms": latencies[-1] * 1000}, "rss_before": rss_before, "rss_peak": peak[0],
                   "refused": refused})
    print(json.dumps(result))


# ---- one very large JSON body -----------------------------------------------------------------------------------

def big_json(base, pid, megabytes):
    url = urllib.parse.urlsplit(base)
    key = new_tenant(base, "bigbody")
    total = megabytes * 1024 * 1024
    head = b'{"title":"big","doc_type":"txt","content":"'
    tail = b'"}'
    rss_before = rss_mb(pid)
    peak = rss_before or 0
    s = socket.create_connection((url.hostname, url.port), timeout=60)
    started = time.monotonic()
    s.sendall(b"POST /api/ingest/document HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
              b"X-API-Key: " + key.encode() + b"\r\nContent-Length: %d\r\n\r\n" % total + head)
    sent = len(head)
    chunk = b"a" * (256 * 1024)
    answer = b""
    s.setblocking(False)
    while sent < total:
        readable, writable, _ = select.select([s], [s], [], 5)
        if readable:
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            answer += data
            if not data or b"\r\n\r\n" in answer:
                break
        if writable:
            piece = chunk[:max(0, min(len(chunk), total - sent - len(tail)))] or tail
            try:
                sent += s.send(piece)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                break
        peak = max(peak, rss_mb(pid) or 0)
        if time.monotonic() - started > 120:
            break
    answered_at = time.monotonic() - started
    s.setblocking(True)
    s.settimeout(10)
    try:
        while b"\r\n\r\n" not in answer:
            data = s.recv(65536)
            if not data:
                break
            answer += data
        answered_at = min(answered_at, time.monotonic() - started) if answer else time.monotonic() - started
        # the rest of the body, if any (Content-Length or chunked are both short here)
        s.settimeout(1)
        try:
            while True:
                data = s.recv(65536)
                if not data:
                    break
                answer += data
        except OSError:
            pass
    except OSError:
        pass
    s.close()
    peak = max(peak, rss_mb(pid) or 0)
    head_text = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status_line = head_text.split("\r\n", 1)[0]
    content_type = next((line.split(":", 1)[1].strip() for line in head_text.split("\r\n")[1:]
                         if line.lower().startswith("content-type:")), None)
    body = answer.split(b"\r\n\r\n", 1)[1][:300].decode("utf-8", "replace") if b"\r\n\r\n" in answer else ""
    result = {"status_line": status_line, "content_type": content_type, "seconds": round(answered_at, 2),
              "mb_sent_before_answer": round(sent / 1024 / 1024, 1), "rss_before": rss_before,
              "rss_peak": peak, "rss_after": rss_mb(pid), "body": body}
    print(f"  {megabytes} MB JSON body: '{status_line}' ({content_type}) after {answered_at:.2f} s, having sent "
          f"{sent / 1024 / 1024:.1f} MB; JVM RSS {rss_before} -> peak {peak} -> {result['rss_after']} MB; body "
          f"{body[:200]}", file=sys.stderr)
    print(json.dumps(result))


def row(work, seed, n, conns, slow):
    """The drill's table row: what was sent, answers that were not 2xx by status (with the targets that got them;
    0: no HTTP answer), documents accepted / completed / stuck (failed)."""
    fuzz = json.load(open(os.path.join(work, "fuzz.json")))
    if fuzz.get("died"):
        loris = big = None
    else:
        loris = json.load(open(os.path.join(work, "slowloris.json")))
        big = json.load(open(os.path.join(work, "big-json.json")))
    codes = {}
    requests = 0
    accepted = completed = failed = stuck = 0
    for name, t in fuzz["targets"].items():
        requests += t["requests"]
        accepted += t["documents"]
        completed += t["completed"]
        failed += t["failed"]
        stuck += t["processing"]
        for status, count in t["statuses"].items():
            if not status.startswith("2"):
                codes.setdefault(status, {})[name] = count
    hangs = sum(len(t["hangs"]) for t in fuzz["targets"].values())
    fives = sum(len(t["server_errors"]) + len(t["item_errors"]) for t in fuzz["targets"].values())
    errors = ", ".join(f"{code}: {sum(kinds.values())} (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
                       + ")" for code, kinds in sorted(codes.items())) or "none"
    injected = (f"{n} hostile inputs x 6 targets (seed {seed}); slowloris {conns} connections x {slow} s; one 100 MB "
                f"JSON body")
    if fuzz.get("died"):
        print(f"| fuzz | {injected} | {requests} | {errors} | {accepted} / {completed} / {stuck}"
              f"{f' ({failed} failed)' if failed else ''} | n/a | THE APP DIED during the {fuzz['died']} inputs; "
              f"5xx before: {fives}, hangs: {hangs}; RSS peak {fuzz['rss_peak']} MB |")
        return
    dribbled = loris["headers a byte a second"]
    silent = loris["silent"]
    recovery = (f"5xx: {fives}, hangs: {hangs}; RSS peak {fuzz['rss_peak']} MB; slowloris dropped "
                f"{dribbled['dropped'] + silent['dropped']}/{dribbled['connections'] + silent['connections']}, "
                f"normal p99 {loris['normal']['p99_ms']:.0f} ms; 100 MB body: "
                f"{big['status_line'].split(' ', 1)[-1] or 'no answer'} in {big['seconds']} s")
    print(f"| fuzz | {injected} | {requests} | {errors} | {accepted} / {completed} / {stuck}"
          f"{f' ({failed} failed)' if failed else ''} | n/a | {recovery} |")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "inputs":
        fuzz_inputs_run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
    elif command == "slowloris":
        slowloris(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    elif command == "big-json":
        big_json(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif command == "row":
        row(sys.argv[2], *sys.argv[3:7])
    else:
        sys.exit(f"unknown command {command}")
