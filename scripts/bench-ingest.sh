#!/usr/bin/env bash
# Benchmark: time from ingest (202) to searchable for one text document, against a running service.
# Prints the figures; it is not a test and asserts nothing about speed.
# Usage: scripts/bench-ingest.sh [base-url] [size-kb] [runs]   (defaults: http://localhost:8080 20 5)
set -euo pipefail
BASE=${1:-http://localhost:8080}
SIZE_KB=${2:-20}
RUNS=${3:-5}
exec python3 - "$BASE" "$SIZE_KB" "$RUNS" <<'PY'
import json, sys, time, uuid, urllib.request, statistics

base, size_kb, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])

def call(method, path, body=None, key=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-API-Key": key} if key else {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())

key = call("POST", "/api/auth/signup", {"email": f"bench-{uuid.uuid4()}@example.com",
                                        "password": "benchmark-password"})["api_key"]
sentences = [f"Paragraph {i}: the quarterly report for region {i % 7} lists revenue, churn and hiring plans. "
             for i in range(10000)]
timings = []
for run in range(runs):
    marker = f"zebra-{uuid.uuid4().hex[:8]}"
    text, i = "", run * 300
    while len(text.encode()) < size_kb * 1024:
        text += sentences[i % len(sentences)]
        i += 1
    text = text[: size_kb * 1024 // 2] + f" The unique marker is {marker}. " + text[size_kb * 1024 // 2:]
    start = time.perf_counter()
    doc = call("POST", "/api/ingest/document", {"title": f"bench {run}", "content": text, "doc_type": "txt"}, key)
    accepted = time.perf_counter() - start
    while True:
        status = call("GET", f"/api/documents/{doc['document_id']}/status", key=key)
        if status["status"] != "processing":
            break
        time.sleep(0.02)
    completed = time.perf_counter() - start
    hits = call("POST", "/search", {"query": f"unique marker {marker}", "top_k": 100}, key)["results"]
    found = any(h["document_id"] == doc["document_id"] for h in hits)
    timings.append(completed)
    print(f"run {run + 1}: {len(text.encode())} bytes, {status['chunk_count']} chunks, "
          f"202 after {accepted * 1000:.0f} ms, {status['status']} after {completed * 1000:.0f} ms, "
          f"found by search: {found}")
print(f"ingest-to-searchable for {size_kb} KB: median {statistics.median(timings) * 1000:.0f} ms, "
      f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms over {runs} runs")
PY
