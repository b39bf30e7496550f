#!/usr/bin/env bash
# Benchmark: the API's accept rate. wrk posts small text documents to POST /api/ingest/document with an API key,
# each with its own Idempotency-Key, so authentication, the rate limiter and the idempotency store all run; the
# pipeline keeps processing the accepted documents meanwhile (with the local model). Starts its own service
# (embedded PostgreSQL, a temporary data directory, port 18082), prints the figures, stops the service. Not a test:
# it asserts nothing, but says loudly when any answer was not 2xx.
# Usage: scripts/bench-accept.sh [seconds=30] [connections=32]
# BENCH_WARMUP=<seconds> (default 20): wrk runs this long first, uncounted, so the JIT has compiled the request path
#   (a fresh JVM spends a core compiling in its first tens of seconds).
# BENCH_REDIS_URL=redis://127.0.0.1:6379/<db>: rate limits and idempotency keys in that Redis (what a cluster runs)
#   instead of in the process; its keys expire on their own (idempotency answers after 24 h).
# BENCH_JFR=<file.jfr>: also record a Flight Recorder profile of the service during the run, and print where its
#   CPU went, per pipeline stage (scripts/jfr-breakdown.py) and per step of accepting a document.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-30}
CONNECTIONS=${2:-32}
PORT=18082
DATA=$(mktemp -d /tmp/rag-accept-XXXX)
export RAG_DATA_DIR="$DATA"   # before the start: the service must not use (or fill) ./data
if [[ -n ${BENCH_REDIS_URL:-} ]]; then
  export REDIS_URL="$BENCH_REDIS_URL"
else
  unset REDIS_URL
fi

if ! command -v wrk >/dev/null; then
  echo "bench-accept: installing wrk (Debian package)" >&2
  apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

scripts/run.sh --server.port=$PORT > "$DATA/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; wait $SERVICE 2>/dev/null || true; rm -rf "$DATA"' EXIT
until curl -sf "http://localhost:$PORT/actuator/health" >/dev/null; do
  kill -0 $SERVICE 2>/dev/null || { tail -30 "$DATA/service.log" >&2; echo "the service did not start" >&2; exit 1; }
  sleep 1
done

# a tenant with the highest limits the service allows (100,000 requests a minute: ~1,667/s over a whole minute;
# the limiter still counts every request) and room for the documents
KEY=$(python3 - "$PORT" <<'PY'
import json, sys, time, uuid, urllib.request
base = f"http://localhost:{sys.argv[1]}"
def call(method, path, body, key=None):
    req = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", **({"X-API-Key": key} if key else {})})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())
key = call("POST", "/api/auth/signup", {"email": f"accept-{uuid.uuid4()}@example.com", "password": "benchmark-pw"})["api_key"]
call("PUT", "/api/customers/config", {"rate_limit_requests_per_minute": 100000, "rate_limit_requests_per_day": 100000000,
                                  "max_documents": 10000000}, key)
print(key)
PY
)
sleep 6  # rate limits are cached for up to 5 s

# one request per call of request(): a unique Idempotency-Key and distinct content (no duplicate detection)
cat > "$DATA/accept.lua" <<'LUA'
local key = os.getenv("BENCH_API_KEY")
local run = os.getenv("BENCH_RUN_ID")
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local counter = 0
function request()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local body = '{"title":"accept ' .. id .. '","doc_type":"txt","content":"Accept benchmark document ' .. id
      .. ': the quarterly report lists revenue, churn and hiring plans for the region."}'
  return wrk.format("POST", "/api/ingest/document", {
    ["Content-Type"] = "application/json",
    ["X-API-Key"] = key,
    ["Idempotency-Key"] = "accept-" .. id,
  }, body)
end
LUA

# CPU seconds used so far by the service, PostgreSQL and Redis (live processes and the ones already reaped)
cpu_seconds() {
  python3 scripts/lib/cpu-seconds.py "$SERVICE"
}

WARMUP=${BENCH_WARMUP:-20}
if (( WARMUP > 0 )); then
  echo "warming up for $WARMUP s (not counted)"
  BENCH_API_KEY=$KEY BENCH_RUN_ID=warmup-$(date +%s%N) wrk -t 2 -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 10s \
    -s "$DATA/accept.lua" "http://127.0.0.1:$PORT" > "$DATA/warmup.txt"
fi

# CPU ticks per service thread (name with digits folded: boundedElastic-12 -> boundedElastic-N), to a file
thread_ticks() {
  python3 - "$SERVICE" > "$1" <<'PY'
import collections, json, os, re, sys
ticks = collections.Counter()
task = f"/proc/{sys.argv[1]}/task"
for tid in os.listdir(task):
    try:
        stat = open(f"{task}/{tid}/stat").read()
    except OSError:
        continue
    name = re.sub(r"\d+", "N", stat[stat.index("(") + 1:stat.rindex(")")])
    fields = stat[stat.rindex(")") + 2:].split()
    ticks[name] += int(fields[11]) + int(fields[12])
print(json.dumps(ticks))
PY
}

if [[ -n ${BENCH_JFR:-} ]]; then
  jcmd $SERVICE JFR.start name=accept settings=profile >/dev/null
fi
read -r SERVICE_CPU_BEFORE POSTGRES_CPU_BEFORE REDIS_CPU_BEFORE < <(cpu_seconds)
thread_ticks "$DATA/threads-before.json"
BENCH_API_KEY=$KEY BENCH_RUN_ID=$(date +%s%N) wrk --latency -t 2 -c "$CONNECTIONS" -d "${SECONDS_TO_RUN}s" \
  --timeout 10s -s "$DATA/accept.lua" "http://127.0.0.1:$PORT" | tee "$DATA/wrk.txt"
read -r SERVICE_CPU_AFTER POSTGRES_CPU_AFTER REDIS_CPU_AFTER < <(cpu_seconds)
thread_ticks "$DATA/threads-after.json"
if [[ -n ${BENCH_JFR:-} ]]; then
  jcmd $SERVICE JFR.dump name=accept filename="$(realpath -m "$BENCH_JFR")" >/dev/null
fi

echo
python3 - "$DATA/wrk.txt" "$SECONDS_TO_RUN" "$CONNECTIONS" "${BENCH_REDIS_URL:+Redis}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def ms(label):
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = int((re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text) or [0, 0])[1])
errors = re.search(r"Socket errors:.*", text)
store = sys.argv[4] or "in-process"
print(f"accept: {rps:.0f} req/s, p50 {ms('50%'):.1f} ms, p99 {ms('99%'):.1f} ms "
      f"({total} requests in {sys.argv[2]} s over {sys.argv[3]} connections; limiter and idempotency store: {store}); "
      f"non-2xx: {non2xx}")
if non2xx or errors:
    print(f"!!! NOT ALL ACCEPTED: {non2xx} answers were not 2xx"
          + (f"; {errors.group(0)}" if errors else "") + " -- the figures above do not count !!!")
PY
awk -v s="$SERVICE_CPU_AFTER" -v s0="$SERVICE_CPU_BEFORE" -v p="$POSTGRES_CPU_AFTER" -v p0="$POSTGRES_CPU_BEFORE" \
    -v r="$REDIS_CPU_AFTER" -v r0="$REDIS_CPU_BEFORE" -v t="$SECONDS_TO_RUN" \
  'BEGIN { printf "CPU used meanwhile (%d s, 2 cores = %d s): service %.1f s, PostgreSQL %.1f s, Redis %.1f s\n",
           t, 2 * t, s - s0, p - p0, r - r0 }'
python3 - "$DATA/threads-before.json" "$DATA/threads-after.json" <<'PY'
import json, os, sys
hz = os.sysconf("SC_CLK_TCK")
before, after = (json.load(open(f)) for f in sys.argv[1:3])
used = {name: (ticks - before.get(name, 0)) / hz for name, ticks in after.items()}
top = sorted(used.items(), key=lambda item: -item[1])[:10]
print("service CPU by thread (Linux thread names, truncated to 15 characters): "
      + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in top if seconds >= 0.1))
PY
curl -s "http://localhost:$PORT/api/documents?size=1" -H "X-API-Key: $KEY" | python3 -c \
  'import json, sys; print("documents the tenant has now:", json.load(sys.stdin)["total"])' || true

if [[ -n ${BENCH_JFR:-} ]]; then
  python3 scripts/jfr-breakdown.py "$BENCH_JFR"
  # the same samples by what an accepted document costs: the request's own steps, then the work it sets off
  python3 - "$BENCH_JFR" <<'PY'
import collections, json, subprocess, sys
out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "96", "--events", "jdk.ExecutionSample", sys.argv[1]],
                     check=True, capture_output=True, text=True).stdout
# (stage, markers in the thread name or any frame); the first match wins, so thread-based stages come first
STAGES = [
    ("pipeline steps (parse, chunk, embed, index)", ["^pipeline-"]),
    ("usage metering of accepted documents (Usage ledger commands)", ["WorkPackage[usage-metering]"]),
    ("document projection (status read model)", ["WorkPackage[document-projection]"]),
    ("other event processors and the event store", ["WorkPackage[", "Coordinator[", "EmbeddedEventStore", "event-store-waker"]),
    ("read-your-write: status subscription (query, listener, update)", ["awaitStatus", "SimpleQueryUpdateEmitter",
        "DocumentQueryHandler", "document-status-listener", "SimpleQueryBus"]),
    ("command: Document aggregate, registry, event store append", ["SimpleCommandBus", "BlockingCommands"]),
    ("identity lookup", ["findByIdentity"]),
    ("blob write (raw content)", ["DocumentSubmissions.store", "FileSystemBlobStore", "S3BlobStore"]),
    ("gate check (type, size, limits)", ["IngestionGate", "TenantDocumentLimits"]),
    ("auth: API key lookup, account state", ["TenantAuthenticationManager", "ApiCredentialConverter", "AuthenticationWebFilter"]),
    ("rate limit", ["TenantRateLimitFilter", "RateLimiter"]),
    ("API-call metering", ["ApiCallMeteringFilter", "BufferedUsageMeter"]),
    ("idempotency: fingerprint, claim, stored answer", ["IdempotencyFilter.fingerprinted", "IdempotencyFilter.lambda$fingerprinted",
        "RequestFingerprint", "IdempotencyStore"]),
    ("JSON body and answer (Jackson, validation)", ["com.fasterxml.jackson", "AbstractMessageReaderArgumentResolver", "hibernate.validator"]),
    ("HTTP, WebFlux and security chain (Netty, dispatch)", ["io.netty", "reactor.netty", "org.springframework.web",
        "org.springframework.security", "org.springframework.http"]),
    ("R2DBC driver", ["io.r2dbc"]),
    ("Reactor scheduling (thread hops)", ["reactor.core.scheduler"]),
]
stages, total = collections.Counter(), 0
for event in json.loads(out)["recording"]["events"]:
    values = event["values"]
    thread = (values.get("sampledThread") or {}).get("javaName") or ""
    stack = [(f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"])
             for f in (values.get("stackTrace") or {}).get("frames", [])]
    if not stack:
        continue
    total += 1
    hay = [thread] + stack

    def matches(mark):
        # "^name": a thread whose name starts with it; else anywhere in the thread name or a frame
        return thread.startswith(mark[1:]) if mark.startswith("^") else any(mark in h for h in hay)

    stages[next((s for s, marks in STAGES if any(matches(m) for m in marks)), "other (JVM, logging)")] += 1
print(f"accept path breakdown: {total} CPU samples of Java threads")
for stage, count in stages.most_common():
    print(f"  {100.0 * count / total:5.1f}%  {stage}")
PY
fi
