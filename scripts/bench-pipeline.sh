#!/usr/bin/env bash
# Benchmark: pipeline throughput for N small text documents with the local model, next to the raw throughput of
# that model measured in the same run. Starts its own service (embedded PostgreSQL, a temporary data directory,
# port 18080), prints the figures, stops the service. Not a test: it asserts nothing.
# Usage: scripts/bench-pipeline.sh [documents=200] [chars-per-document=3000]
# BENCH_JFR=<file.jfr>: also record a Flight Recorder profile of the service while the documents go through, and print
# where its CPU went per pipeline stage (scripts/jfr-breakdown.py).
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-200}
CHARS=${2:-3000}
PORT=18080
DATA=$(mktemp -d /tmp/rag-bench-XXXX)
export RAG_DATA_DIR="$DATA"   # before the start: the service must not use (or fill) ./data

scripts/run.sh --server.port=$PORT > "$DATA/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; wait $SERVICE 2>/dev/null || true; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/actuator/health" >/dev/null; do
  kill -0 $SERVICE 2>/dev/null || { echo "the service did not start; see $DATA/service.log" >&2; exit 1; }
  sleep 1
done

# the raw model benchmark lives in the bench module (profile -Pbench), not in the production jar
java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$(scripts/bench-classpath.sh)" \
  io.dynamicrag.processing.embedding.EmbeddingThroughputBenchmark 400 1000

if [[ -n ${BENCH_JFR:-} ]]; then
  jcmd $SERVICE JFR.start name=bench settings=profile >/dev/null
fi
# CPU seconds used so far by the service and by PostgreSQL (live processes and the ones already reaped)
cpu_seconds() {
  python3 - "$SERVICE" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
service, postgres = 0, 0
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
print(f"{service / hz:.1f} {postgres / hz:.1f}")
PY
}
read -r SERVICE_CPU_BEFORE POSTGRES_CPU_BEFORE < <(cpu_seconds)

python3 - "$PORT" "$DOCS" "$CHARS" <<'PY'
import json, sys, time, uuid, urllib.request, concurrent.futures
port, docs, chars = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
base = f"http://localhost:{port}"
def call(method, path, body=None, key=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-API-Key": key} if key else {})})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())
key = call("POST", "/api/auth/signup", {"email": f"bench-{uuid.uuid4()}@example.com", "password": "benchmark-pw"})["api_key"]
call("PUT", "/api/customers/config", {"rate_limit_requests_per_minute": 100000, "rate_limit_requests_per_day": 10000000}, key)
time.sleep(6)  # rate limits are cached for up to 5 s
def text(i):
    t, n = "", 0
    while len(t) < chars:
        t += f"Document {i} paragraph {n}: the quarterly report lists revenue, churn and hiring plans for the region. "
        n += 1
    return t[:chars]
start = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(8) as pool:
    ids = list(pool.map(lambda i: call("POST", "/api/ingest/document",
                                       {"title": f"bench {i}", "doc_type": "txt", "content": text(i)}, key)["document_id"],
                        range(docs)))
accepted = time.perf_counter() - start
while True:
    page = call("GET", f"/api/documents?size=100&status=processing", key=key)
    if page["total"] == 0:
        break
    time.sleep(0.2)
elapsed = time.perf_counter() - start
chunks, failed = 0, 0
for p in range(1, docs // 100 + 2):
    for d in call("GET", f"/api/documents?size=100&page={p}", key=key)["documents"]:
        chunks += d["chunk_count"]
        failed += d["status"] == "failed"
print(f"pipeline: {docs} documents of {chars} chars ({chunks} chunks, {failed} failed): all accepted in "
      f"{accepted:.1f} s, all completed in {elapsed:.1f} s = {docs / elapsed:.2f} documents/s, "
      f"{chunks / elapsed:.1f} chunks/s")
PY
read -r SERVICE_CPU_AFTER POSTGRES_CPU_AFTER < <(cpu_seconds)
awk -v s="$SERVICE_CPU_AFTER" -v s0="$SERVICE_CPU_BEFORE" -v p="$POSTGRES_CPU_AFTER" -v p0="$POSTGRES_CPU_BEFORE" \
  'BEGIN { printf "CPU used meanwhile: service %.1f s, PostgreSQL %.1f s\n", s - s0, p - p0 }'

if [[ -n ${BENCH_JFR:-} ]]; then
  jcmd $SERVICE JFR.dump name=bench filename="$(realpath -m "$BENCH_JFR")" >/dev/null
  python3 scripts/jfr-breakdown.py "$BENCH_JFR"
fi
