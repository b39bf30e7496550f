#!/usr/bin/env bash
# Benchmark: how close the pipeline runs to the speed of its embedder. Not a test: it asserts nothing.
#   1. the local model alone (all-MiniLM-L6-v2, in a JVM of its own): raw chunks/s;
#   2. the service with that model: N text documents, accepted to searchable: pipeline chunks/s, and the ratio;
#   3. the service with a near-free stand-in embedder (rag.embedding.benchmark-hashing): M documents of 5 KB,
#      accepted to searchable: documents/s, i.e. what everything but the embedding costs.
# Each phase starts its own service (embedded PostgreSQL, a temporary data directory, port 18080) and stops it.
# Documents go in through POST /api/ingest/batch (100 per request, 4 requests at a time), so the figure is the
# pipeline's, not one HTTP client's (scripts/bench-accept.sh measures the accept path).
# Usage: scripts/bench-pipeline.sh [documents=200] [chars=3000] [hashing-documents=2000] [hashing-chars=5000]
# BENCH_JFR=<file.jfr>: also record a Flight Recorder profile of the service during phase 2 (and <file>-hashing.jfr
# during phase 3) and print where its CPU went per pipeline stage (scripts/jfr-breakdown.py).
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-200}
CHARS=${2:-3000}
HASHING_DOCS=${3:-2000}
HASHING_CHARS=${4:-5000}
PORT=18080
SERVICE=
DATA=

stop_service() {
  if [[ -n $SERVICE ]]; then
    kill "$SERVICE" 2>/dev/null || true
    wait "$SERVICE" 2>/dev/null || true
    SERVICE=
  fi
  [[ -z $DATA ]] || rm -rf "$DATA"
  DATA=
}
trap stop_service EXIT

start_service() {
  DATA=$(mktemp -d /tmp/rag-bench-XXXX)
  # before the start: the service must not use (or fill) ./data
  RAG_DATA_DIR="$DATA" scripts/run.sh --server.port=$PORT "$@" > "$DATA/service.log" 2>&1 &
  SERVICE=$!
  until curl -sf "http://localhost:$PORT/actuator/health" >/dev/null; do
    kill -0 $SERVICE 2>/dev/null || { cat "$DATA/service.log" >&2; echo "the service did not start" >&2; exit 1; }
    sleep 1
  done
}

# CPU seconds used so far by the service and by PostgreSQL (live processes and the ones already reaped)
cpu_seconds() {
  python3 scripts/lib/cpu-seconds.py "$SERVICE"
}

# Pushes documents through the running service (after a warm-up of a fifth as many for another tenant); prints one
# line of figures and the chunks/s alone on the last line
load() {
  local docs=$1 chars=$2 label=$3 jfr=$4
  [[ -z $jfr ]] || jcmd $SERVICE JFR.start name=bench settings=profile >/dev/null
  local cpu_before cpu_after
  cpu_before=$(cpu_seconds)
  python3 - "$PORT" "$docs" "$chars" "$label" <<'PY'
import json, sys, time, uuid, urllib.request, concurrent.futures
port, docs, chars, label = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
base = f"http://localhost:{port}"
def call(method, path, body=None, key=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-API-Key": key} if key else {})})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read())
def tenant():
    key = call("POST", "/api/auth/signup", {"email": f"bench-{uuid.uuid4()}@example.com",
                                            "password": "benchmark-pw"})["api_key"]
    call("PUT", "/api/customers/config", {"rate_limit_requests_per_minute": 100000,
                                          "rate_limit_requests_per_day": 10000000, "max_documents": 1000000}, key)
    return key
def text(i):
    t, n = "", 0
    while len(t) < chars:
        t += f"Document {i} paragraph {n}: the quarterly report lists revenue, churn and hiring plans for the region. "
        n += 1
    return t[:chars]
def push(key, count):
    """Submits count documents, waits until none is processing; returns (accepted after s, searchable after s)."""
    batches = [[{"title": f"bench {i}", "doc_type": "txt", "content": text(i)} for i in range(b, min(b + 100, count))]
               for b in range(0, count, 100)]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda batch: call("POST", "/api/ingest/batch", batch, key), batches))
    accepted = time.perf_counter() - start
    rejected = [i for r in results for i in r["results"] if i["status"] not in ("processing", "duplicate")]
    if rejected:
        print(f"{len(rejected)} documents were rejected, e.g. {rejected[:2]}", file=sys.stderr)
    while call("GET", "/api/documents?size=1&status=processing", key=key)["total"] > 0:
        time.sleep(0.25)
    return accepted, time.perf_counter() - start
warm_up, key = tenant(), tenant()
time.sleep(6)  # rate limits are cached for up to 5 s
# a fresh JVM compiles for its first minute and loads the model on first use: measure the steady state
push(warm_up, max(20, docs // 5))
accepted, elapsed = push(key, docs)
chunks, failed, page = 0, 0, 1
while True:
    listed = call("GET", f"/api/documents?size=100&page={page}", key=key)
    for d in listed["documents"]:
        chunks += d["chunk_count"] or 0
        failed += d["status"] == "failed"
    if page * 100 >= listed["total"]:
        break
    page += 1
print(f"{label}: {docs} documents of {chars} chars ({chunks} chunks, {failed} failed): all accepted in "
      f"{accepted:.1f} s, all searchable in {elapsed:.1f} s = {docs / elapsed:.1f} documents/s, "
      f"{chunks / elapsed:.1f} chunks/s")
print(f"{chunks / elapsed:.3f}")
PY
  cpu_after=$(cpu_seconds)
  awk -v a="$cpu_after" -v b="$cpu_before" 'BEGIN { split(a, x, " "); split(b, y, " ");
    printf "  CPU used meanwhile (warm-up included): service %.1f s, PostgreSQL %.1f s\n", x[1] - y[1], x[2] - y[2] }' >&2
  if [[ -n $jfr ]]; then
    jcmd $SERVICE JFR.dump name=bench filename="$(realpath -m "$jfr")" >/dev/null
    python3 scripts/jfr-breakdown.py "$jfr" >&2
  fi
}

# 1. the model alone; it lives in the bench module (profile -Pbench), not in the production jar
RAW=$(java --add-opens=java.base/java.nio=ALL-UNNAMED -cp "$(scripts/bench-classpath.sh)" \
  io.dynamicrag.processing.embedding.EmbeddingThroughputBenchmark 400 1000 2>/dev/null | tail -1)
echo "$RAW"
RAW_RATE=$(sed -E 's/.* = ([0-9.]+) chunks\/s/\1/' <<< "$RAW")

# 2. the pipeline with the model
start_service
PIPELINE=$(load "$DOCS" "$CHARS" "pipeline (local model)" "${BENCH_JFR:-}")
stop_service
echo "$PIPELINE" | head -1
PIPELINE_RATE=$(echo "$PIPELINE" | tail -1)
awk -v p="$PIPELINE_RATE" -v r="$RAW_RATE" \
  'BEGIN { printf "ratio: the pipeline runs at %.0f%% of the raw model (%.1f of %.1f chunks/s)\n", 100 * p / r, p, r }'

# 3. everything but the embedding
start_service --rag.embedding.benchmark-hashing=true
HASHING=$(load "$HASHING_DOCS" "$HASHING_CHARS" "pipeline (hashing embedder)" \
  "${BENCH_JFR:+${BENCH_JFR%.jfr}-hashing.jfr}")
stop_service
echo "$HASHING" | head -1
