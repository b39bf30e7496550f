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
  drill.py s3mock-repair ROOT BUCKET           rebuilds S3Mock's bucket index if a kill -9 truncated it
  drill.py burst BASE OUT TENANT_JSON COUNT    one batch of COUNT documents (a pipeline backlog), lines to OUT
  drill.py blobs STORE SETTLED TENANTS_JSON    every completed document's raw file and artefacts readable
                                               (STORE: a directory, or s3:http://host:port/bucket), as JSON
  drill.py reprocess-failed BASE SETTLED TENANTS_JSON SECS   reprocesses the failed documents, waits for them
  drill.py storage-errors EVENTS               per error status: problem+json, Retry-After and details
  drill.py processors BASE EMAIL PASSWORD SECS waits until the admin API reports every event processor running at
                                               the head of the event store, prints their positions
  drill.py gap EVENTS MARKS_JSON               the answers to requests in flight between fault_start and fault_end:
                                               by status, problem+json and Retry-After, answer times

A stream is {"tenant": {...}, "kind": "ingest"|"multipart"|"presigned"|"search"|"jwt"|"config", "rate": per second, "content": optional
text}. Every request line: {t (s since the load started), tenant, kind, status, ms, counted (the answer carried
X-RateLimit-Limit), replayed, document_id}, and type (Content-Type) and retry_after when not 2xx. Status 0 is a
request that got no HTTP answer (refused, timed out).
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.parse
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


def multipart(base, path, filename, content, headers):
    """POST of one file as multipart/form-data (field "file", text/plain)."""
    boundary = "drill" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: text/plain\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(base + path, method="POST", data=body,
                                 headers={"Content-Type": f"multipart/form-data; boundary={boundary}", **headers})
    return send(req)


def send(req, timeout=TIMEOUT):
    """call() for a prepared request: (status, headers, parsed JSON or None, milliseconds)."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw, status, head = r.read(), r.status, r.headers
    except urllib.error.HTTPError as e:
        raw, status, head = e.read(), e.code, e.headers
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError):
        return 0, {}, None, (time.monotonic() - started) * 1000
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return status, head, parsed, (time.monotonic() - started) * 1000


def presigned_upload(base, filename, content, headers):
    """The three calls of a direct upload; the answer of the first that fails (its stage), else of the completion."""
    started = time.monotonic()
    status, head, body, _ = call(base, "GET", f"/api/ingest/presigned-url?filename={filename}&content_type=text/plain",
                                 None, headers)
    if status != 200:
        return status, head, body, (time.monotonic() - started) * 1000, "presign"
    put = urllib.request.Request(body["upload_url"], method="PUT", data=content, headers=body["headers"])
    put_status, put_head, put_body, _ = send(put)
    if not 200 <= put_status < 300:
        return put_status, put_head, put_body, (time.monotonic() - started) * 1000, "put"
    status, head, answer, _ = call(base, "POST", body["complete_url"], None, headers)
    return status, head, answer, (time.monotonic() - started) * 1000, "complete"


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
    if kind == "multipart":
        token = f"drilltoken{uuid.uuid4().hex[:12]}"
        content = stream.get("content", "Drill upload {token}: quarterly revenue, churn and hiring for the region.")
        status, head, body, ms = multipart(base, "/api/ingest/file", f"{t['name']}-{n}.txt",
                                           content.replace("{token}", token).encode(), key)
        return status, head, body, ms, {"token": token}
    if kind == "presigned":
        token = f"drilltoken{uuid.uuid4().hex[:12]}"
        content = stream.get("content", "Drill direct upload {token}: quarterly revenue, churn and hiring.")
        status, head, body, ms, stage = presigned_upload(base, f"{t['name']}-{n}.txt",
                                                          content.replace("{token}", token).encode(), key)
        return status, head, body, ms, {"token": token, "stage": stage}
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
                if not 200 <= status < 300 and head:
                    line["type"] = head.get("Content-Type")
                    line["retry_after"] = head.get("Retry-After")
                    line["problem_json"] = "problem+json" in (head.get("Content-Type") or "")
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


def gap(events_file, marks):
    """The requests sent while the database was away (from fault_start to fault_end, plus the answers still out then):
    their answers by status, how many of the others were problem+json with Retry-After, and answer times."""
    events = [json.loads(line) for line in open(events_file)]
    start, end = marks["fault_start"], marks["fault_end"]
    during = [e for e in events if e["at"] + e["ms"] / 1000 >= start and e["at"] < end]
    codes = {}
    for e in during:
        codes.setdefault(e["status"], {}).setdefault(e["kind"], 0)
        codes[e["status"]][e["kind"]] += 1
    print(f"  gap of {end - start:.1f} s: {len(during)} requests sent or answered in it, status "
          + ", ".join(f"{c} x{sum(k.values())} (" + ", ".join(f"{kind} {n}" for kind, n in sorted(k.items())) + ")"
                      for c, k in sorted(codes.items())))
    for code in sorted(c for c in codes if not 200 <= c < 300):
        items = [e for e in during if e["status"] == code]
        problem = sum(1 for e in items if (e.get("type") or "").startswith("application/problem+json"))
        retry = sum(1 for e in items if e.get("retry_after"))
        ms = sorted(e["ms"] for e in items)
        p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
        details = {}
        for e in items:
            details[e.get("detail", "")] = details.get(e.get("detail", ""), 0) + 1
        print(f"    {code}: {len(items)} answers, {problem} application/problem+json, {retry} with Retry-After;"
              f" answer time median {ms[len(ms) // 2]:.0f} ms, p99 {p99:.0f} ms, max {ms[-1]:.0f} ms")
        for detail, n in sorted(details.items(), key=lambda kv: -kv[1])[:3]:
            if detail:
                print(f"      x{n}: {detail}")
    ok = sorted(e["ms"] for e in during if 200 <= e["status"] < 300)
    if ok:
        print(f"    2xx: {len(ok)} answers (sent before the gap or served without the database), max {ok[-1]:.0f} ms")


def processors(base, email, password, seconds):
    """Waits (at most SECONDS) until every running event processor is at the head of the event store, as the admin
    API reports it; prints how long that took and each processor's position."""
    started = time.monotonic()
    status, _, body, _ = call(base, "POST", "/api/auth/login", {"email": email, "password": password})
    if status != 200:
        print(f"processors: admin login answered {status}")
        return
    auth = {"Authorization": "Bearer " + body["token"]}
    answer = None
    while True:
        status, _, answer, _ = call(base, "GET", "/api/admin/projections", None, auth)
        tracking = [p for p in (answer or {}).get("projections", []) if p.get("position") is not None]
        behind = [p for p in tracking if not p.get("running") or (p.get("lag") or 0) > 0]
        if status == 200 and tracking and not behind:
            break
        if time.monotonic() - started >= seconds:
            break
        time.sleep(0.5)
    projections = (answer or {}).get("projections", [])
    at_head = [p for p in projections if p.get("position") is not None and p.get("running") and not p.get("lag")]
    print(f"processors: {len(at_head)} of {len([p for p in projections if p.get('position') is not None])} tracking"
          f" processors running at the head ({projections[0]['head'] if projections else '?'}) "
          f"{time.monotonic() - started:.1f} s after the load settled; "
          + ", ".join(f"{p['name']} {p.get('position')}{'' if p.get('running') else ' (stopped)'}"
                      for p in projections if p.get("position") is not None))


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


def burst(base, out, t, count):
    """One batch of COUNT documents (POST /api/ingest/batch) from tenant t, so the pipeline has a backlog when the
    fault starts; one JSON line per item, kind "batch", as load() writes them."""
    tokens = [f"drilltoken{uuid.uuid4().hex[:12]}" for _ in range(count)]
    items = [{"title": f"{t['name']} burst {i}", "doc_type": "txt",
              "content": f"Drill burst document {token}: quarterly revenue, churn and hiring for the region. " * 8}
             for i, token in enumerate(tokens)]
    sent = time.time()
    status, head, body, ms = call(base, "POST", "/api/ingest/batch", items, {"X-API-Key": t["api_key"]}, timeout=120)
    results = (body or {}).get("results") or [{} for _ in items]
    with open(out, "a") as sink:
        for token, result in zip(tokens, results):
            ok = status == 202 and result.get("document_id")
            sink.write(json.dumps({"t": None, "at": round(sent, 3), "tenant": t["name"], "kind": "batch",
                                   "status": 202 if ok else (status if status != 202 else 500), "ms": round(ms, 1),
                                   "counted": bool(head and head.get("X-RateLimit-Limit")), "replayed": False,
                                   "document_id": result.get("document_id") if ok else None, "token": token}) + "\n")
    print(f"burst of {count}: answered {status} in {ms:.0f} ms, {sum(1 for r in results if r.get('document_id'))} "
          f"accepted")


def s3mock_repair(root, bucket):
    """S3Mock keeps a bucket's key -> object map in bucketMetadata.json and rewrites that file in place on every PUT,
    so a kill -9 during a write can leave it empty and S3Mock then cannot load the bucket at all (a real S3 server
    has no such file). Rebuilds it from the objects' own objectMetadata.json when it does not parse; reports what
    it found either way."""
    import datetime
    import os
    folder = os.path.join(root, bucket)
    index = os.path.join(folder, "bucketMetadata.json")
    try:
        with open(index) as f:
            json.load(f)
        intact = True
    except (OSError, ValueError):
        intact = False
    objects, unreadable = {}, 0
    for name in os.listdir(folder):
        meta = os.path.join(folder, name, "objectMetadata.json")
        if not os.path.isfile(meta):
            continue
        try:
            with open(meta) as f:
                m = json.load(f)
            objects[m["key"]] = m["id"]
        except (OSError, ValueError, KeyError):
            unreadable += 1
    if not intact:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        with open(index + ".tmp", "w") as f:
            json.dump({"name": bucket, "creationDate": stamp,
                       "versioningConfiguration": {"MfaDelete": None, "Status": None},
                       "objectLockConfiguration": None, "bucketLifecycleConfiguration": None,
                       "objectOwnership": "BucketOwnerEnforced", "path": "file://" + folder + "/",
                       "bucketRegion": "us-east-1", "bucketInfo": None, "locationInfo": None,
                       "objects": objects}, f)
        os.replace(index + ".tmp", index)
    print(json.dumps({"bucket_index_intact": intact, "objects": len(objects), "objects_unreadable": unreadable}))


def list_blobs(store, prefix):
    """{key: bytes} of every blob under prefix: store is a directory (file-system storage) or
    s3:http://host:port/bucket (read with unsigned path-style requests, as S3Mock accepts)."""
    out = {}
    if store.startswith("s3:"):
        import xml.etree.ElementTree as ET
        endpoint = store[3:]
        token = None
        while True:
            url = f"{endpoint}?list-type=2&prefix={urllib.parse.quote(prefix)}"
            if token:
                url += "&continuation-token=" + urllib.parse.quote(token)
            with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
                root = ET.fromstring(r.read())
            ns = {"s": root.tag.split("}")[0][1:]} if root.tag.startswith("{") else {"s": ""}
            q = (lambda tag: f"s:{tag}") if ns["s"] else (lambda tag: tag)
            for item in root.findall(q("Contents"), ns):
                key = item.find(q("Key"), ns).text
                with urllib.request.urlopen(f"{endpoint}/{urllib.parse.quote(key)}", timeout=TIMEOUT) as r:
                    out[key] = r.read()
            truncated = root.find(q("IsTruncated"), ns)
            if truncated is None or truncated.text != "true":
                break
            token = root.find(q("NextContinuationToken"), ns).text
    else:
        import os
        base = os.path.join(store, prefix)
        for folder, _, files in os.walk(base):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as f:
                    out[os.path.relpath(path, store)] = f.read()
    return out


def blobs(store, settled_file, tenants):
    """Nothing half-written: for every completed document, its raw file and each artefact of its version (parsed
    text, chunks JSON, vectors whose header matches their length and the chunk count) are present and readable;
    counts leftover temporary files (.tmp-*) under every document."""
    import struct
    by_name = {t["name"]: t for t in tenants}
    docs = json.load(open(settled_file))["documents"]
    complete, broken, temp_files = 0, [], 0
    for doc_id, d in docs.items():
        prefix = f"tenants/{by_name[d['tenant']]['id']}/documents/{doc_id}/"
        try:
            found = list_blobs(store, prefix)
        except (urllib.error.URLError, OSError) as e:
            broken.append(f"{doc_id}: listing failed ({e})")
            continue
        temp_files += sum(1 for k in found if k.rsplit("/", 1)[-1].startswith(".tmp-"))
        if d["status"] != "completed":
            continue
        problems = []
        raw = [k for k in found if "/raw/" in k and not k.rsplit("/", 1)[-1].startswith(".tmp-")]
        if len(raw) != 1 or not found[raw[0]]:
            problems.append(f"raw files {len(raw)}")
        versions = sorted({k[len(prefix):].split("/")[0] for k in found if k[len(prefix):].startswith("v")})
        if not versions:
            problems.append("no artefacts")
        for v in versions[-1:]:
            text = found.get(f"{prefix}{v}/parsed.txt")
            chunks = found.get(f"{prefix}{v}/chunks.json")
            vectors = found.get(f"{prefix}{v}/vectors.bin")
            if not text:
                problems.append(f"{v}/parsed.txt missing or empty")
            try:
                n_chunks = len(json.loads(chunks)) if chunks else -1
            except ValueError:
                n_chunks = -2
            if n_chunks <= 0:
                problems.append(f"{v}/chunks.json {'missing' if n_chunks == -1 else 'unreadable or empty'}")
            if not vectors or len(vectors) < 8:
                problems.append(f"{v}/vectors.bin missing")
            else:
                count, dims = struct.unpack(">ii", vectors[:8])
                if len(vectors) != 8 + count * dims * 4 or (n_chunks > 0 and count != n_chunks):
                    problems.append(f"{v}/vectors.bin {len(vectors)} bytes for {count}x{dims} ({n_chunks} chunks)")
        if problems:
            broken.append(f"{doc_id}: " + "; ".join(problems))
        else:
            complete += 1
    print(json.dumps({"completed_checked": complete, "broken": broken, "temp_files": temp_files}))


def reprocess_failed(base, settled_file, tenants, seconds):
    """Asks for every failed document to be processed again (PUT {"reprocess": true}) and waits for them: how many
    were accepted for reprocessing and what became of them."""
    by_name = {t["name"]: t for t in tenants}
    docs = json.load(open(settled_file))["documents"]
    failed = {d: v for d, v in docs.items() if v["status"] == "failed"}
    answers, final = {}, {}
    for doc_id, d in failed.items():
        key = {"X-API-Key": by_name[d["tenant"]]["api_key"]}
        status, _, _, _ = call(base, "PUT", f"/api/documents/{doc_id}", {"reprocess": True}, key)
        answers[status] = answers.get(status, 0) + 1
    deadline = time.monotonic() + seconds
    while len(final) < len(failed) and time.monotonic() < deadline:
        for doc_id, d in failed.items():
            if doc_id in final:
                continue
            key = {"X-API-Key": by_name[d["tenant"]]["api_key"]}
            status, _, body, _ = call(base, "GET", f"/api/documents/{doc_id}/status", None, key)
            if status == 200 and body.get("status") not in ("processing", "pending"):
                final[doc_id] = body.get("status")
                docs[doc_id]["status"] = body.get("status")
        time.sleep(0.5)
    outcome = {}
    for status in final.values():
        outcome[status] = outcome.get(status, 0) + 1
    print(json.dumps({"failed": len(failed), "reprocess_answers": answers, "outcome": outcome}))


def storage_errors(events_file):
    """Per status >= 400: how many answers were problem+json, carried Retry-After, and their distinct details."""
    out = {}
    for line in open(events_file):
        e = json.loads(line)
        if e["status"] < 400:
            continue
        o = out.setdefault(e["status"], {"n": 0, "problem_json": 0, "retry_after": set(), "details": set()})
        o["n"] += 1
        o["problem_json"] += 1 if e.get("problem_json") else 0
        if e.get("retry_after"):
            o["retry_after"].add(e["retry_after"])
        if e.get("detail"):
            o["details"].add(e["detail"][:140])
    for status, o in sorted(out.items()):
        print(f"  {status}: {o['n']} answers, {o['problem_json']} problem+json, Retry-After "
              f"{sorted(o['retry_after']) or 'none'}; details: {sorted(o['details'])[:3]}")


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
    elif command == "gap":
        gap(sys.argv[2], json.loads(sys.argv[3]))
    elif command == "processors":
        processors(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
    elif command == "first-ok":
        seconds = first_ok(sys.argv[2], float(sys.argv[3]), sys.argv[4])
        print("null" if seconds is None else seconds)
    elif command == "s3mock-repair":
        s3mock_repair(sys.argv[2], sys.argv[3])
    elif command == "burst":
        burst(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5]))
    elif command == "blobs":
        blobs(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))
    elif command == "reprocess-failed":
        reprocess_failed(sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), float(sys.argv[5]))
    elif command == "storage-errors":
        storage_errors(sys.argv[2])
    elif command == "unindexed":
        print(unindexed(sys.argv[2]))
    else:
        sys.exit(f"unknown command {command}")
