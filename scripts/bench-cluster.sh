#!/usr/bin/env bash
# Benchmark: ingestion throughput (documents/s) of the multi-node topology with 1, 2 and 3 workers behind one api
# node. Each run is a fresh cluster (scripts/cluster.sh: new database, new data directory): it signs up the tenants,
# raises their rate limits, sends the documents (Cranfield abstracts, round-robin over the tenants, 8 at a time)
# and waits until every one is completed or failed. Seconds run from the first document sent to the last one done,
# so they include the api node's share (accepting, projecting) and each worker's first-document warm-up.
# Prints a table (workers, documents, seconds, docs/s, speedup vs 1 worker, efficiency = speedup / workers) and the
# machine's core count; not a test: it asserts nothing about speed.
#
# Usage: scripts/bench-cluster.sh [--documents N] [--workers "1 2 3"] [--tenants T] [--timeout SECONDS]
#                                 [--dir DIR] [--cranfield DIR] [--env K=V ...]
#   --documents   documents per run (default 200)
#   --timeout     longest wait for one run's documents, after the cluster is up (default 240)
#   --dir         where the clusters live (default target/bench-cluster; one sub-directory per run)
#   --cranfield   the Cranfield collection (default ../shared/data/cranfield, i.e. cran.all.1400)
#   --env         passed to every node (scripts/cluster.sh --env)
set -euo pipefail
cd "$(dirname "$0")/.."

DOCUMENTS=200
WORKER_COUNTS="1 2 3"
TENANTS=5
TIMEOUT=240
DIR=target/bench-cluster
CRANFIELD=../shared/data/cranfield
CLUSTER_ENV=()

fail() { echo "bench-cluster: $*" >&2; exit 1; }
while (( $# > 0 )); do
  case "$1" in
    --documents) DOCUMENTS=${2:-}; shift 2 ;;
    --workers) WORKER_COUNTS=${2:-}; shift 2 ;;
    --tenants) TENANTS=${2:-}; shift 2 ;;
    --timeout) TIMEOUT=${2:-}; shift 2 ;;
    --dir) DIR=${2:-}; shift 2 ;;
    --cranfield) CRANFIELD=${2:-}; shift 2 ;;
    --env) CLUSTER_ENV+=(--env "${2:-}"); shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) fail "unknown argument: $1 (try --help)" ;;
  esac
done
[[ $DOCUMENTS =~ ^[1-9][0-9]*$ ]] || fail "--documents must be a positive number"
[[ $TENANTS =~ ^[1-9][0-9]*$ ]] || fail "--tenants must be a positive number"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || fail "--timeout must be a number of seconds"
for w in $WORKER_COUNTS; do [[ $w =~ ^[1-8]$ ]] || fail "--workers lists worker counts from 1 to 8, got '$w'"; done
[[ -f $CRANFIELD/cran.all.1400 ]] || fail "no Cranfield collection at $CRANFIELD (cran.all.1400)"
command -v python3 >/dev/null 2>&1 || fail "python3 is missing"

mkdir -p "$DIR"
RESULTS=$DIR/results.tsv
: >"$RESULTS"
CURRENT=""
stop_current() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n $CURRENT ]]; then scripts/cluster.sh stop --dir "$CURRENT" || true; fi
  exit "$status"
}
trap stop_current EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for workers in $WORKER_COUNTS; do
  CURRENT=$DIR/workers-$workers
  echo "bench-cluster: run with 1 api node and $workers worker(s), $DOCUMENTS documents" >&2
  scripts/cluster.sh start --api 1 --workers "$workers" --dir "$CURRENT" ${CLUSTER_ENV[@]+"${CLUSTER_ENV[@]}"} >&2
  base=$(awk -F'\t' '$1 == "api-1" {print $5}' "$CURRENT/nodes.tsv")
  python3 - "$base" "$CRANFIELD/cran.all.1400" "$DOCUMENTS" "$TENANTS" "$TIMEOUT" "$workers" >>"$RESULTS" <<'PY'
import json, sys, time, uuid, urllib.error, urllib.request
from concurrent.futures import ThreadPoolExecutor

base, collection, documents, tenants, timeout, workers = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])

def log(message):
    print(f"bench-cluster: {message}", file=sys.stderr, flush=True)

def call(method, path, body=None, key=None, attempts=3):
    headers = {"Content-Type": "application/json", **({"X-API-Key": key} if key else {})}
    data = None if body is None else json.dumps(body).encode()
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(urllib.request.Request(base + path, data=data, method=method,
                                                               headers=headers), timeout=60) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as e:
            # 429 or a 5xx under load: try again shortly; anything else is the benchmark's own mistake
            if e.code not in (429, 500, 502, 503) or attempt == attempts - 1:
                raise RuntimeError(f"{method} {path}: {e.code} {e.read()[:300]!r}") from e
            time.sleep(1 + attempt)

def abstracts(path):
    """(title, text) of every non-empty Cranfield document: .T is the title, .W the abstract."""
    records, record, field = [], None, None
    for line in open(path, encoding="utf-8", errors="replace"):
        if line.startswith(".I "):
            record = {"T": [], "W": []}
            records.append(record)
            field = None
        elif line[:2] in (".T", ".A", ".B", ".W") and line.rstrip() == line[:2]:
            field = line[1]
        elif record is not None and field in ("T", "W"):
            record[field].append(line.strip())
    docs = [(" ".join(r["T"]).strip(), " ".join(r["W"]).strip()) for r in records]
    return [(t or "untitled", w) for t, w in docs if w]

texts = abstracts(collection)
keys = []
for _ in range(tenants):
    keys.append(call("POST", "/api/auth/signup", {"email": f"bench-cluster-{uuid.uuid4().hex[:12]}@example.com",
                                                  "password": "bench-cluster-password"})["api_key"])
for key in keys:
    call("PUT", "/api/customers/config", {"rate_limit_requests_per_minute": 100000,
                                          "rate_limit_requests_per_day": 10000000}, key)
time.sleep(6)  # the rate limiter caches a tenant's limits for 5 s

def send(i):
    title, text = texts[i % len(texts)]
    call("POST", "/api/ingest/document", {"title": f"{title[:150]} #{i}", "doc_type": "txt", "content": text},
         keys[i % tenants])

def total(key, status):
    return call("GET", f"/api/documents?status={status}&size=1", key=key)["total"]

start = time.perf_counter()
with ThreadPoolExecutor(max_workers=8) as pool:
    list(pool.map(send, range(documents)))
submitted = time.perf_counter() - start
log(f"{documents} documents accepted in {submitted:.1f} s; waiting for the pipeline")
completed = failed = 0
last_report = 0.0
while True:
    completed = sum(total(key, "completed") for key in keys)
    failed = sum(total(key, "failed") for key in keys)
    elapsed = time.perf_counter() - start
    if completed + failed >= documents or elapsed > submitted + timeout:
        break
    if elapsed - last_report >= 15:
        log(f"{elapsed:.0f} s: {completed} completed, {failed} failed")
        last_report = elapsed
    time.sleep(0.5)
elapsed = time.perf_counter() - start
done = completed + failed >= documents
log(f"{workers} worker(s): {completed} completed, {failed} failed in {elapsed:.1f} s"
    + ("" if done else f" (gave up after the {timeout} s timeout)"))
print(f"{workers}\t{documents}\t{completed}\t{failed}\t{elapsed:.2f}\t{submitted:.2f}\t{'yes' if done else 'no'}")
PY
  scripts/cluster.sh stop --dir "$CURRENT" >&2
  # the extracted jar and the run's data are ~700 MB: keep only the logs
  rm -rf "$CURRENT/app" "$CURRENT/data"
  CURRENT=""
done

python3 - "$RESULTS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print(f"\nIngestion throughput, 1 api node; {sys.argv[2]} CPU cores on this machine, shared by every node "
      f"(load average now: {sys.argv[3]})")
print(f"{'workers':>7} {'documents':>9} {'completed':>9} {'failed':>6} {'seconds':>8} {'docs/s':>7} {'speedup':>7} "
      f"{'efficiency':>10}")
baseline = None
for workers, documents, completed, failed, seconds, submitted, done in rows:
    rate = int(completed) / float(seconds)
    if baseline is None and workers == "1":
        baseline = rate
    speedup = rate / baseline if baseline else float("nan")
    note = "" if done == "yes" else "  (timed out)"
    print(f"{workers:>7} {documents:>9} {completed:>9} {failed:>6} {float(seconds):>8.1f} {rate:>7.2f} "
          f"{speedup:>7.2f} {speedup / int(workers):>10.2f}{note}")
print("seconds: first document sent to last one completed; speedup: docs/s against the 1-worker run; "
      "efficiency: speedup / workers")
PY
