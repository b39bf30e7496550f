#!/usr/bin/env python3
"""Load, probes and the closing count of scripts/drill.sh (standard library only, loopback only).

  drill.py tenant BASE NAME [CONFIG_JSON]      signs up a tenant, applies CONFIG_JSON, prints its JSON
  drill.py load BASE OUT SECONDS STREAMS_JSON  sends the streams' requests at fixed rates for SECONDS, one JSON
                                               line per request to OUT
  drill.py settle BASE OUT TENANTS_JSON SECS   waits (at most SECS) for every accepted document to leave
                                               processing, counts chunks per document in the index, writes OUT
  drill.py row NAME INJECTED EVENTS SETTLED MARKS_JSON   prints one table row (and details below it)
  drill.py first-ok EVENTS SINCE KIND          seconds from SINCE (epoch) to the first 2xx answer of KIND sent
                                               after it ("null" when there was none)
  drill.py unindexed SETTLED                   a line: completed documents whose chunk the index lacks

A stream is {"tenant": {...}, "kind": "ingest"|"search"|"jwt"|"config", "rate": per second, "content": optional
text}. Every request line: {t (s since the load started), tenant, kind, status, ms, counted (the answer carried
X-RateLimit-Limit), replayed, document_id}. Status 0 is a request that got no HTTP answer (refused, timed out).
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

TIMEOUT = 30
PASSWORD = "drill-password-0"


def call(base, method, path, body=None, headers=None, timeout=TIMEOUT):
    """(status, headers, parsed JSON or None, milliseconds)."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(base + path, method=method, data=data,
                                 headers={"Content-Type": "application/json", **(headers or {})})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status, head = r.read(), r.status, r.headers
    except urllib.error.HTTPError as e:
        raw, status, head = e.read(), e.code, e.headers
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return 0, {}, None, (time.monotonic() - started) * 1000
    ms = (time.monotonic() - started) * 1000
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, head, parsed, ms


def tenant(base, name, config):
    email = f"drill-{name}-{uuid.uuid4()}@example.com"
    status, _, body, _ = call(base, "POST", "/api/auth/signup",
                              {"email": email, "password": PASSWORD,
                               "company_name": f"drill {name}"})
    if status != 201:
        sys.exit(f"sign-up of {name} answered {status}: {body}")
    out = {"name": name, "id": body["customer_id"], "email": email, "api_key": body["api_key"],
           "token": body["token"], "refresh_token": body.get("refresh_token")}
    if config:
        status, _, answer, _ = call(base, "PUT", "/api/customers/config", config, {"X-API-Key": out["api_key"]})
        if status != 200:
            sys.exit(f"configuring {name} answered {status}: {answer}")
    print(json.dumps(out))


def one_request(base, stream, n):
    t = stream["tenant"]
    kind = stream["kind"]
    key = {"X-API-Key": t["api_key"]}
    if kind == "ingest":
        token = f"drilltoken{uuid.uuid4().hex[:12]}"
        content = stream.get("content", "Drill document {token}: quarterly revenue, churn and hiring for the region.")
        status, head, body, ms = call(base, "POST", "/api/ingest/document",
                                      {"title": f"{t['name']} {n}", "doc_type": "txt",
                                       "content": content.replace("{token}", token)},
                                      {**key, "Idempotency-Key": f"drill-{token}"})
        return status, head, body, ms, {"token": token}
    if kind == "search":
        status, head, body, ms = call(base, "POST", "/search", {"query": "quarterly revenue region", "top_k": 5}, key)
        return status, head, body, ms, {}
    if kind == "jwt":
        status, head, body, ms = call(base, "GET", "/api/documents?size=1", None,
                                      {"Authorization": "Bearer " + t["token"]})
        return status, head, body, ms, {}
    if kind == "config":
        status, head, body, ms = call(base, "GET", "/api/customers/config", None, key)
        return status, head, body, ms, {}
    raise ValueError(kind)


def load(base, out, seconds, streams):
    lock = threading.Lock()
    started = time.monotonic()
    sink = open(out, "a")

    def run(stream):
        interval = 1.0 / stream["rate"]
        n = 0
        workers = []
        while True:
            due = started + n * interval
            if due - started >= seconds:
                break
            time.sleep(max(0.0, due - time.monotonic()))
            n += 1

            def send(n=n, sent=time.monotonic() - started):
                status, head, body, ms, extra = one_request(base, stream, n)
                line = {"t": round(sent, 3), "at": round(time.time() - ms / 1000, 3), "tenant": stream["tenant"]["name"], "kind": stream["kind"],
                        "status": status, "ms": round(ms, 1),
                        "counted": bool(head and head.get("X-RateLimit-Limit")),
                        "replayed": bool(head and head.get("Idempotent-Replayed")),
                        "document_id": (body or {}).get("document_id") if status == 202 else None, **extra}
                if status >= 500 and body:
                    line["detail"] = str(body.get("detail", ""))[:200]
                with lock:
                    sink.write(json.dumps(line) + "\n")
                    sink.flush()

            # fixed rate whatever the answer time: a slow answer must not slow the load down (open model)
            worker = threading.Thread(target=send, daemon=True)
            worker.start()
            workers.append(worker)
        for worker in workers:
            worker.join(TIMEOUT + 5)

    threads = [threading.Thread(target=run, args=(s,)) for s in streams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sink.close()


def settle(base, events_file, tenants, seconds):
    """Polls every accepted document until it leaves processing. While the load still runs (no EVENTS.done file
    yet) it keeps reading new accepted documents, so the time a document was first seen final is close to when it
    finished (polled every 0.5 s)."""
    by_name = {t["name"]: t for t in tenants}
    docs, final, final_at = {}, {}, {}
    deadline = None
    while True:
        load_done = __import__("os").path.exists(events_file + ".done")
        for line in open(events_file):
            e = json.loads(line)
            if e.get("document_id"):
                docs.setdefault(e["document_id"], e)
        if load_done and deadline is None:
            deadline = time.monotonic() + seconds
        pending = [d for d in docs if d not in final]
        for doc_id in pending:
            e = docs[doc_id]
            key = {"X-API-Key": by_name[e["tenant"]]["api_key"]}
            status, _, body, _ = call(base, "GET", f"/api/documents/{doc_id}/status", None, key)
            if status == 200 and body.get("status") != "processing":
                final[doc_id] = body
                final_at[doc_id] = time.time()
        if load_done and (len(final) == len(docs) or time.monotonic() >= deadline):
            break
        time.sleep(0.5)
    duplicates = 0
    unindexed = []
    for doc_id, body in final.items():
        if body.get("status") != "completed":
            continue
        e = docs[doc_id]
        key = {"X-API-Key": by_name[e["tenant"]]["api_key"]}
        # the document's own rare token, in its own document only: every hit is one of its indexed chunks
        status, _, answer, _ = call(base, "POST", "/search",
                                    {"query": e["token"], "top_k": 20, "mode": "keyword",
                                     "filters": {"document_ids": [doc_id]}}, key)
        if status != 200:
            continue
        hits = [(r["document_id"], r.get("version"), r["chunk_index"]) for r in answer["results"]]
        duplicates += len(hits) - len(set(hits))
        if not hits:
            unindexed.append(doc_id)   # completed, yet its text is not found: a lost chunk
    result = {"documents": {doc_id: {"tenant": e["tenant"], "accepted_at": e["at"],
                                     "status": (final.get(doc_id) or {}).get("status", "lost"),
                                     "error": (final.get(doc_id) or {}).get("error_message"),
                                     "seconds_to_final": round(final_at[doc_id] - e["at"], 1)
                                     if doc_id in final_at else None}
                            for doc_id, e in docs.items()},
              "duplicates": duplicates, "unindexed": unindexed}
    print(json.dumps(result))


def row(name, injected, events_file, settled_file, marks):
    events = [json.loads(line) for line in open(events_file)]
    settled = json.load(open(settled_file))
    docs = settled["documents"]
    codes = {}
    for e in events:
        if not 200 <= e["status"] < 300:
            kinds = codes.setdefault(e["status"], {})
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    # which requests got them: e.g. "503: 61 (jwt 61)"
    errors = ", ".join(f"{code}: {sum(kinds.values())} (" + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
                       + ")" for code, kinds in sorted(codes.items())) or "none"
    completed = sum(1 for d in docs.values() if d["status"] == "completed")
    failed = sum(1 for d in docs.values() if d["status"] == "failed")
    lost = sum(1 for d in docs.values() if d["status"] in ("lost", "processing"))
    recovery = marks.get("recovery_seconds")
    recovery_text = "n/a" if recovery is None else f"{recovery:.1f} s"
    print(f"| {name} | {injected} | {len(events)} | {errors} | {len(docs)} / {completed} / {lost}"
          f"{f' ({failed} failed)' if failed else ''} | {settled['duplicates']} | {recovery_text} |")


def sessions(base, step, t):
    """Sign-in sessions around the fault. before: logs in and out again, prints the revoked token; during: what a
    login, a refresh and a sign-up answer; after: what the token revoked before the fault answers now."""
    if step == "before":
        status, _, body, _ = call(base, "POST", "/api/auth/login", {"email": t["email"], "password": PASSWORD})
        token = body["token"]
        out, _, _, _ = call(base, "POST", "/api/auth/logout", None, {"Authorization": "Bearer " + token})
        revoked, _, _, _ = call(base, "GET", "/api/documents?size=1", None, {"Authorization": "Bearer " + token})
        print(json.dumps({"token": token, "login": status, "logout": out, "revoked_token_answer": revoked}))
    elif step == "during":
        login, head, _, login_ms = call(base, "POST", "/api/auth/login", {"email": t["email"], "password": PASSWORD})
        refresh, _, _, _ = call(base, "POST", "/api/auth/refresh", {"refresh_token": t["refresh_token"]})
        signup, _, body, signup_ms = call(base, "POST", "/api/auth/signup",
                                          {"email": f"drill-late-{uuid.uuid4()}@example.com", "password": PASSWORD})
        works = None
        if signup == 201:
            works, _, _, _ = call(base, "GET", "/api/documents?size=1", None, {"X-API-Key": body["api_key"]})
        print(f"login {login} (Retry-After {head.get('Retry-After') if head else None}, {login_ms:.0f} ms), "
              f"refresh {refresh}, sign-up {signup} ({signup_ms:.0f} ms; its API key then answers {works})")
    else:
        revoked, _, _, _ = call(base, "GET", "/api/documents?size=1", None, {"Authorization": "Bearer " + t["token"]})
        print(f"the JWT logged out before the outage answers {revoked} after it")


def phases(events_file, marks):
    """Per phase (before the fault, during it, after it) and request kind: answers by status, how many the rate
    limiter counted, median and slowest answer time."""
    events = [json.loads(line) for line in open(events_file)]
    start, end = marks["fault_start"], marks["fault_end"]
    out = {}
    for e in events:
        phase = "before" if e["at"] < start else "during" if e["at"] < end else "after"
        key = (phase, e["tenant"], e["kind"])
        out.setdefault(key, []).append(e)
    for (phase, tenant_name, kind), items in sorted(out.items(), key=lambda kv: (["before", "during", "after"]
                                                                                .index(kv[0][0]), kv[0][1:])):
        codes = {}
        for e in items:
            codes[e["status"]] = codes.get(e["status"], 0) + 1
        ms = sorted(e["ms"] for e in items)
        counted = sum(1 for e in items if e["counted"])
        print(f"  {phase:6} {tenant_name:6} {kind:6} {len(items):4} requests, status "
              + " ".join(f"{c}x{n}" for c, n in sorted(codes.items()))
              + f"; counted by the limiter {counted}; median {ms[len(ms) // 2]:.0f} ms, max {ms[-1]:.0f} ms")
    during = [e for e in events if start <= e["at"] < end]
    admitted = sum(1 for e in during if 200 <= e["status"] < 300 and not e["counted"])
    print(f"  while the fault lasted: {admitted} of {len(during)} requests admitted without being counted by the "
          f"rate limiter (2xx without X-RateLimit-* headers)")


def recovery(events_file, marks, kinds):
    """Seconds from the end of the fault until the first answer of each kind that shows normal service again
    (jwt: 200; others: counted by the rate limiter); the largest of them."""
    events = sorted((json.loads(line) for line in open(events_file)), key=lambda e: e["at"])
    end = marks["fault_end"]
    worst = 0.0
    for kind in kinds:
        ok = [e for e in events if e["kind"] == kind and e["at"] >= end
              and (e["status"] == 200 if kind == "jwt" else e["counted"])]
        if not ok:
            return None
        worst = max(worst, ok[0]["at"] - end)
    return round(worst, 1)


def first_ok(events_file, since, kind):
    events = [json.loads(line) for line in open(events_file)]
    ok = sorted(e["at"] for e in events if e["kind"] == kind and e["at"] >= since and 200 <= e["status"] < 300)
    return round(ok[0] - since, 1) if ok else None


def unindexed(settled_file):
    settled = json.load(open(settled_file))
    missing = settled.get("unindexed", [])
    completed = sum(1 for d in settled["documents"].values() if d["status"] == "completed")
    return (f"chunks: {completed - len(missing)} of {completed} completed documents found in the index by their own"
            f" token, {len(missing)} missing{': ' + ', '.join(missing[:5]) if missing else ''}")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "tenant":
        tenant(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]) if len(sys.argv) > 4 else None)
    elif command == "load":
        load(sys.argv[2], sys.argv[3], float(sys.argv[4]), json.loads(sys.argv[5]))
    elif command == "settle":
        settle(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), float(sys.argv[5]))
    elif command == "row":
        row(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], json.loads(sys.argv[6]))
    elif command == "sessions":
        sessions(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    elif command == "phases":
        phases(sys.argv[2], json.loads(sys.argv[3]))
    elif command == "recovery":
        print(recovery(sys.argv[2], json.loads(sys.argv[3]), sys.argv[4].split(",")))
    elif command == "first-ok":
        seconds = first_ok(sys.argv[2], float(sys.argv[3]), sys.argv[4])
        print("null" if seconds is None else seconds)
    elif command == "unindexed":
        print(unindexed(sys.argv[2]))
    else:
        sys.exit(f"unknown command {command}")
