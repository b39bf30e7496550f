#!/usr/bin/env bash
# Reliability drills (issue 15): each starts the packaged app (infra/target/dynamic-rag.jar, embedded PostgreSQL,
# a temporary data directory, a free loopback port), puts it under load from several tenants, injects one fault,
# takes it away again, waits for the accepted documents, stops everything it started and prints one table row:
#   | drill | injected | requests | answers not 2xx by status, with the kinds of request (0: no HTTP answer) |
#   | documents accepted / completed / lost (failed ones in parentheses) | duplicate chunks | recovery time |
# followed by the details per phase. Bounded in time; traffic only on 127.0.0.1; the shared PostgreSQL and Redis
# are never touched.
#
# Usage: scripts/drill.sh embedded|postgres|redis|openai|fuzz|s3|disk|soak|all
#   embedded  the app runs through scripts/run.sh with its defaults (embedded PostgreSQL under the drill's data
#           directory). Two tenants ingest and search; mid-ingest the Java process is killed (SIGKILL, its
#           PostgreSQL is left running as an orphan) and scripts/run.sh starts it again on the same data directory
#           and port. Then, with the app running, only its embedded PostgreSQL is killed (SIGKILL). Two rows:
#           recovery is from the kill until ingestion answers 2xx again; the details say what became of the orphan
#           and what the app did when its PostgreSQL died (started it again, or exited with which message).
#   postgres  the app runs against an external PostgreSQL 15 cluster made for the drill only (pg_createcluster on a
#           free port, dropped at the end, also on failure or Ctrl-C; the shared cluster on 5432 is never touched).
#           Two tenants ingest and search; mid-load `pg_ctlcluster ... restart` (fast shutdown, start), then, on
#           new load, `pg_ctlcluster ... stop`, RAG_DRILL_OUTAGE seconds (default 20 for this drill) without the
#           database, `pg_ctlcluster ... start`. Two rows; recovery is from PostgreSQL accepting connections again
#           until ingest and search both answer 2xx. The details show the answers to the requests of the gap
#           (status, problem+json, Retry-After, answer times) and that every event processor is running at the
#           head of the event store afterwards.
#   redis   the app runs against a Redis of its own (/usr/bin/redis-server on a free port, append-only file in the
#           drill's directory); that Redis is killed (SIGKILL) for RAG_DRILL_OUTAGE seconds (default 60) during
#           ingest, search, JWT and rate-limit probe traffic, then started again on the same port and files.
#           Recovery: until the limiter counts again and JWT requests succeed again.
#   openai  one tenant embeds with text-embedding-3-small through a local OpenAI-wire server
#           (scripts/lib/openai-fault-server.py) that answers 429 with Retry-After, 500, or nothing, chosen by a
#           marker in each document; another tenant on the local model ingests at the same time. Prints the
#           retry spacing the server saw, each faulty document's final status and reason, and both tenants'
#           completion times. Recovery: n/a (the fault is per document).
#   fuzz    hostile input (scripts/lib/fuzz.py, inputs from scripts/lib/fuzz_inputs.py): RAG_FUZZ_N seeded random
#           inputs per target (JSON ingest bodies, batches, URL ingestion of hostile pages served on 127.0.0.1,
#           webhook configs with their test and deliveries, malformed multipart, mutated PDF/DOCX/HTML files);
#           per target the answers by status, 5xx, answers slower than the request time-out and the JVM's RSS,
#           then every accepted document followed to completed or failed (with its reason). Then a slowloris
#           (RAG_FUZZ_SLOW_CONNECTIONS connections dribbling headers or silent for RAG_FUZZ_SLOW_SECONDS, while a
#           normal client is served) and one 100 MB JSON body. The seed is printed: RAG_FUZZ_SEED repeats a run.
#   s3      the app with RAG_STORAGE_TYPE=s3 against an S3Mock of its own (free loopback port, objects on disk in
#           the drill's directory); two tenants ingest (JSON, multipart, presigned upload) and search; S3Mock is
#           killed (SIGKILL) for RAG_DRILL_OUTAGE seconds and started again on the same port and directory. Then
#           every completed document's raw file and artefacts are read back from S3. Recovery: from S3 answering
#           again to the first accepted ingest.
#   disk    RAG_DATA_DIR (blobs, Lance datasets) on a tmpfs of RAG_DRILL_DISK_MB (default 256; PostgreSQL's files
#           stay on the ordinary disk through a symbolic link) filled with a file for RAG_DRILL_OUTAGE seconds
#           during the same load, then freed; every completed document's files are read back, failed ones are
#           reprocessed. Needs root (mount); the tmpfs is unmounted on every exit path.
#   soak    no fault: RAG_SOAK_MINUTES (default 30) of a fixed-rate open-loop mix from 4 tenants (scripts/lib/soak.py:
#           ingest, hybrid search, MCP initialize + tools/call, query APIs, /actuator/prometheus; 18.5 HTTP requests
#           a second), sampling the app every RAG_SOAK_SAMPLE seconds (default 30, 10 below 10 minutes): answers and
#           errors, p50/p99 per kind, RSS, open fds (all, and those on .lance files), the Lance handles gauge, heap
#           after GC. Prints the series as a table and its own verdict row; writes soak.csv and soak.png (gnuplot,
#           installed with apt-get when missing) to RAG_SOAK_OUT (default target/drill-soak).
# Environment: RAG_DRILL_OUTAGE (seconds; default 60, postgres 20), RAG_DRILL_KEEP=1 keeps the drill's directory (logs),
#   RAG_DRILL_BURST (s3, disk: documents in the batch sent just before the fault, default 60), RAG_DRILL_DISK_MB,
#   RAG_SOAK_MINUTES, RAG_SOAK_SAMPLE, RAG_SOAK_OUT (soak only); fuzz: RAG_FUZZ_SEED (default: the time), RAG_FUZZ_N
#   (inputs per target, default 150), RAG_FUZZ_TIMEOUT (the request time-out in seconds, default 30),
#   RAG_FUZZ_SLOW_CONNECTIONS (200), RAG_FUZZ_SLOW_SECONDS (90).
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/drill.sh embedded|postgres|redis|openai|fuzz|s3|disk|soak|all" >&2
  exit 2
}
(( $# == 1 )) || usage
case "$1" in
  embedded|postgres|redis|openai|fuzz|s3|disk|soak) DRILLS=("$1") ;;
  all) DRILLS=(embedded postgres redis openai fuzz s3 disk soak) ;;
  *) usage ;;
esac

# shellcheck source=lib/packaged-app.sh
source scripts/lib/packaged-app.sh

readonly OUTAGE=${RAG_DRILL_OUTAGE:-60}
[[ $OUTAGE =~ ^[0-9]+$ ]] && (( OUTAGE > 0 && OUTAGE <= 600 )) || { echo "RAG_DRILL_OUTAGE: 1..600 seconds" >&2; exit 2; }
# a database gap of 20 s is already four Retry-After periods and longer than any connection time-out: long enough to
# see requests fail fast and every processor back off, short enough for the drill to finish in a few minutes
readonly PG_OUTAGE=${RAG_DRILL_OUTAGE:-20}
readonly HEADER='| drill | injected | requests | answers not 2xx: status (request kinds) | documents accepted / completed / lost | duplicate chunks | recovery |
| --- | --- | --- | --- | --- | --- | --- |'

WORK=""
PG_CLUSTER=""   # the drill's own PostgreSQL cluster (version PG_VERSION), dropped by cleanup
PG_VERSION=15
HELPERS=()      # pids of what a drill started besides the app (Redis, the fault server, load), stopped by cleanup
ROWS=()
SOAK_ROWS=()
MOUNTS=()       # mount points a drill made (disk), unmounted by cleanup after the app has stopped

cleanup() {
  local pid
  for pid in "${HELPERS[@]}"; do
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  HELPERS=()
  app_stop
  local mount_point
  for mount_point in "${MOUNTS[@]}"; do
    umount "$mount_point" 2>/dev/null || umount -l "$mount_point" 2>/dev/null \
      || echo "drill: could not unmount $mount_point" >&2
  done
  MOUNTS=()
  if [[ -n $PG_CLUSTER ]]; then
    pg_dropcluster --stop "$PG_VERSION" "$PG_CLUSTER" || echo "drill: could not drop cluster $PG_VERSION/$PG_CLUSTER" >&2
    rm -f "/var/log/postgresql/postgresql-$PG_VERSION-$PG_CLUSTER.log"
    PG_CLUSTER=""
  fi
  if [[ -n $WORK && -d $WORK ]]; then
    if [[ ${RAG_DRILL_KEEP:-0} == 1 ]]; then
      echo "drill: kept $WORK" >&2
    else
      rm -rf "$WORK"
    fi
  fi
  WORK=""
}
on_exit() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  cleanup
  exit "$status"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

drill() { python3 scripts/lib/drill.py "$@"; }

# starts a fresh app with its data in $WORK (made by the drill) for drill $1; extra arguments go to the app
start_app() {
  local name=$1
  shift
  app_init "drill $name" "$WORK"
  app_extract
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  echo "drill $name: starting the app on $BASE (log $WORK/app.log)" >&2
  app_start "$PORT" "$WORK/app.log" "$@"
  app_wait_up 180 "$WORK/app.log"
}

now() { date +%s.%N; }

start_redis() {
  /usr/bin/redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --appendonly yes \
    --appendfsync always --save '' --daemonize no --logfile "$WORK/redis/redis.log" &
  REDIS_PID=$!
  HELPERS+=("$REDIS_PID")
  for _ in $(seq 1 50); do
    redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "drill redis: redis-server did not start on port $REDIS_PORT" >&2
  return 1
}

# starts the app the way a user does, scripts/run.sh with its defaults (embedded PostgreSQL under $WORK/data), on
# port $1; run.sh execs java, so APP_PID is the JVM and app_stop / app_port work as for app_start
start_app_run_sh() {
  local port=$1 log=$2
  mkdir -p "$WORK/data"
  env -u DATABASE_URL -u JAVA_TOOL_OPTIONS RAG_DATA_DIR="$WORK/data" RAG_PUBLIC_URL="http://127.0.0.1:$port" \
    JAVA_OPTS="-Xmx1g" setsid scripts/run.sh --server.port="$port" >>"$log" 2>&1 </dev/null &
  APP_PID=$!
}

# the JSON of the drill tenants' streams: ingest and search from tenants $1 and $2
embedded_streams() {
  python3 -c 'import json,sys; a,b=(json.loads(x) for x in sys.argv[1:3]); print(json.dumps([
    {"tenant":a,"kind":"ingest","rate":2},{"tenant":a,"kind":"search","rate":1},
    {"tenant":b,"kind":"ingest","rate":2},{"tenant":b,"kind":"search","rate":1}]))' "$1" "$2"
}

drill_embedded() {
  local before=15 after=45
  WORK=$(mktemp -d /tmp/rag-drill-embedded-XXXXXX)
  app_init "drill embedded" "$WORK"
  PORT=$(free_port)
  BASE="http://127.0.0.1:$PORT"
  local log=$WORK/app.log
  echo "drill embedded: scripts/run.sh on $BASE, data in $WORK/data (log $log)" >&2
  start_app_run_sh "$PORT" "$log"
  app_wait_up 300 "$log"
  local limits='{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}'
  local a b streams
  a=$(drill tenant "$BASE" a "$limits")
  b=$(drill tenant "$BASE" b "$limits")
  streams=$(embedded_streams "$a" "$b")

  # 1. the JVM killed mid-ingest, started again by scripts/run.sh on the same data directory and port
  local events=$WORK/events-jvm.jsonl
  : > "$events"
  drill load "$BASE" "$events" $(( before + after )) "$streams" &
  local load=$!
  HELPERS+=("$load")
  sleep "$before"
  local orphan killed_at restarted_at
  orphan=$(app_postmaster_pid)
  killed_at=$(now)
  kill -KILL "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
  local orphan_alive=no
  [[ -n $orphan ]] && kill -0 "$orphan" 2>/dev/null && orphan_alive=yes
  echo "drill embedded: JVM $APP_PID killed; its PostgreSQL (pid ${orphan:-?}) still running: $orphan_alive" >&2
  local first_log_lines
  first_log_lines=$(wc -l < "$log")
  start_app_run_sh "$PORT" "$log"
  restarted_at=$(now)
  app_wait_up 300 "$log"
  local up_at
  up_at=$(now)
  wait "$load" || true
  touch "$events.done"
  drill settle "$BASE" "$events" "[$a,$b]" 180 > "$WORK/settled-jvm.json"
  local recovery
  recovery=$(drill first-ok "$events" "$killed_at" ingest)
  ROWS+=("$(drill row embedded "service (JVM) kill -9 mid-ingest, scripts/run.sh again" "$events" \
    "$WORK/settled-jvm.json" "{\"recovery_seconds\":$recovery}")")
  local orphan_after=gone
  [[ -n $orphan ]] && kill -0 "$orphan" 2>/dev/null && orphan_after="still running"
  local detail_jvm
  detail_jvm=$(printf '%s\n' \
    "  JVM kill: the orphaned PostgreSQL (pid ${orphan:-?}, alive after the kill: $orphan_alive) is $orphan_after;" \
    "    the new run's PostgreSQL is pid $(app_postmaster_pid); UP $(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$restarted_at" "$up_at") s after scripts/run.sh started; its log says:" \
    "$(tail -n +"$(( first_log_lines + 1 ))" "$log" | grep -E 'orphaned|stale postmaster|Database: ' | sed 's/^/    /' | cut -c1-220)" \
    "  $(drill unindexed "$WORK/settled-jvm.json")")

  # 2. only the embedded PostgreSQL killed while the app serves
  events=$WORK/events-pg.jsonl
  : > "$events"
  drill load "$BASE" "$events" $(( before + after )) "$streams" &
  load=$!
  HELPERS+=("$load")
  sleep "$before"
  local postmaster
  postmaster=$(app_postmaster_pid)
  [[ -n $postmaster ]] || app_fail "no postmaster.pid under $WORK/data/postgres"
  local pg_log_lines
  pg_log_lines=$(wc -l < "$log")
  killed_at=$(now)
  kill -KILL "$postmaster"
  echo "drill embedded: its PostgreSQL (pid $postmaster) killed" >&2
  # what does the app do: start it again (same port), or exit? Followed for up to 120 s
  local outcome="" waited=0
  while (( waited < 120 )); do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      local status=0
      wait "$APP_PID" 2>/dev/null || status=$?
      outcome="the app exited with status $status after $(python3 -c "import sys,time; print(round(time.time() - float(sys.argv[1]), 1))" "$killed_at") s"
      break
    fi
    local new_pid
    new_pid=$(app_postmaster_pid)
    if [[ -n $new_pid && $new_pid != "$postmaster" ]] && kill -0 "$new_pid" 2>/dev/null \
        && curl -sf --max-time 5 "$BASE/actuator/health" | grep -q '"status":"UP"'; then
      outcome="the app started its PostgreSQL again (pid $new_pid) and reported UP after $(python3 -c "import sys,time; print(round(time.time() - float(sys.argv[1]), 1))" "$killed_at") s"
      break
    fi
    sleep 0.5
    waited=$(( waited + 1 ))
  done
  [[ -n $outcome ]] || outcome="after 120 s the app still runs without its PostgreSQL (health: $(curl -s --max-time 5 "$BASE/actuator/health" || echo none))"
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    # it gave up: as an operator would, start it again so the accepted documents can finish
    echo "drill embedded: $outcome; starting it again with scripts/run.sh" >&2
    start_app_run_sh "$PORT" "$log"
    app_wait_up 300 "$log"
  fi
  wait "$load" || true
  touch "$events.done"
  drill settle "$BASE" "$events" "[$a,$b]" 180 > "$WORK/settled-pg.json"
  recovery=$(drill first-ok "$events" "$killed_at" ingest)
  ROWS+=("$(drill row embedded "its PostgreSQL kill -9 while serving" "$events" "$WORK/settled-pg.json" \
    "{\"recovery_seconds\":$recovery}")")
  echo "$detail_jvm" >&2
  echo "  PostgreSQL kill: $outcome; the app's log says:" >&2
  tail -n +"$(( pg_log_lines + 1 ))" "$log" | grep -E 'embedded PostgreSQL' | sed 's/^/    /' | cut -c1-260 >&2 || true
  echo "  $(drill unindexed "$WORK/settled-pg.json")" >&2
}

# a PostgreSQL cluster of the drill's own on a free port (trust on loopback), with the app's database in it
start_pg_cluster() {
  command -v pg_createcluster >/dev/null || app_fail "pg_createcluster is missing (postgresql-common)"
  PG_PORT=$(free_port)
  local name
  name="drill-$(basename "$WORK" | tr -dc 'a-zA-Z0-9' | tr 'A-Z' 'a-z' | tail -c 7)"
  pg_createcluster "$PG_VERSION" "$name" -p "$PG_PORT" --start-conf=manual -- --auth-local=trust --auth-host=trust \
    >"$WORK/pg-create.log" 2>&1 || { cat "$WORK/pg-create.log" >&2; app_fail "pg_createcluster failed"; }
  PG_CLUSTER=$name
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c 'create database dynamic_rag' >/dev/null
  echo "drill postgres: cluster $PG_VERSION/$PG_CLUSTER on port $PG_PORT" >&2
}

pg_accepts() { pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }

# one round: load from tenants $2 and $3 for before + gap + after seconds; at `before` the fault ($1: restart or
# stop) is injected; appends the row to ROWS and prints the details
pg_round() {
  local mode=$1 a=$2 b=$3 before=15 after=45
  local outage=0
  [[ $mode == stop ]] && outage=$PG_OUTAGE
  local events=$WORK/events-$mode.jsonl
  : > "$events"
  drill load "$BASE" "$events" $(( before + outage + after )) "$(embedded_streams "$a" "$b")" &
  local load=$!
  HELPERS+=("$load")
  drill settle "$BASE" "$events" "[$a,$b]" 180 > "$WORK/settled-$mode.json" &
  local settle=$!
  HELPERS+=("$settle")
  sleep "$before"
  local fault_start fault_end injected
  fault_start=$(now)
  if [[ $mode == restart ]]; then
    injected="pg_ctlcluster restart under load"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" restart
  else
    injected="pg_ctlcluster stop, $outage s, start"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop
    echo "drill postgres: PostgreSQL stopped for $outage s" >&2
    sleep "$outage"
    pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
  fi
  until pg_accepts; do sleep 0.1; done
  fault_end=$(now)
  echo "drill postgres: PostgreSQL accepts connections again ($(python3 -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))" "$fault_start" "$fault_end") s after the $mode began)" >&2
  wait "$load" || true
  touch "$events.done"
  wait "$settle" || true
  local marks recovery_ingest recovery_search recovery
  marks="{\"fault_start\":$fault_start,\"fault_end\":$fault_end}"
  recovery_ingest=$(drill first-ok "$events" "$fault_end" ingest)
  recovery_search=$(drill first-ok "$events" "$fault_end" search)
  recovery=$(python3 -c 'import sys; v=[x for x in sys.argv[1:]]; print("null" if "null" in v else max(map(float, v)))' \
    "$recovery_ingest" "$recovery_search")
  ROWS+=("$(drill row postgres "$injected" "$events" "$WORK/settled-$mode.json" "{\"recovery_seconds\":$recovery}")")
  {
    echo "  $mode: ingest 2xx again ${recovery_ingest} s, search ${recovery_search} s after PostgreSQL accepted connections"
    drill gap "$events" "$marks"
    drill phases "$events" "$marks" | grep -v 'rate limiter (2xx'
    echo "  $(drill processors "$BASE" "$DRILL_ADMIN_EMAIL" "$DRILL_ADMIN_PASSWORD" 60)"
    echo "  $(drill unindexed "$WORK/settled-$mode.json")"
  } >> "$WORK/details.txt"
}

drill_postgres() {
  WORK=$(mktemp -d /tmp/rag-drill-postgres-XXXXXX)
  start_pg_cluster
  DRILL_ADMIN_EMAIL="drill-admin-$RANDOM@example.com"
  DRILL_ADMIN_PASSWORD="drill-admin-password-0"
  start_app postgres --DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/dynamic_rag" \
    --rag.admin.email="$DRILL_ADMIN_EMAIL" --rag.admin.password="$DRILL_ADMIN_PASSWORD"
  local limits='{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}'
  local a b
  a=$(drill tenant "$BASE" a "$limits")
  b=$(drill tenant "$BASE" b "$limits")
  : > "$WORK/details.txt"
  pg_round restart "$a" "$b"
  pg_round stop "$a" "$b"
  cat "$WORK/details.txt" >&2
  echo "  app log: $(grep -c 'Unhandled error' "$WORK/app.log" || true) unhandled errors (500)," \
    "$(grep -c 'Database unavailable' "$WORK/app.log" || true) requests answered 503 for the database" >&2
}

drill_redis() {
  local before=20 after=40
  WORK=$(mktemp -d /tmp/rag-drill-redis-XXXXXX)
  mkdir -p "$WORK/redis"
  REDIS_PORT=$(free_port)
  start_redis
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT" start_app redis
  local a b c
  a=$(drill tenant "$BASE" a '{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}')
  b=$(drill tenant "$BASE" b '{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}')
  # the rate-limit probe: 2 requests a second against 20 a minute, so 429s show whether the limiter counts
  c=$(drill tenant "$BASE" probe '{"rate_limit_requests_per_minute":20}')
  sleep 6   # tenants' limits are cached for 5 s
  local streams
  streams=$(python3 -c 'import json,sys; a,b,c=(json.loads(x) for x in sys.argv[1:4]); print(json.dumps([
    {"tenant":a,"kind":"ingest","rate":1},{"tenant":a,"kind":"search","rate":2},{"tenant":a,"kind":"jwt","rate":1},
    {"tenant":b,"kind":"ingest","rate":1},{"tenant":b,"kind":"search","rate":1},
    {"tenant":c,"kind":"config","rate":2}]))' "$a" "$b" "$c")
  local events=$WORK/events.jsonl
  : > "$events"
  drill load "$BASE" "$events" $(( before + OUTAGE + after )) "$streams" &
  local load=$!
  HELPERS+=("$load")
  local revoked revoked_summary
  revoked=$(drill sessions "$BASE" before "$a")
  revoked_summary=$(python3 -c 'import json, sys; r = json.loads(sys.argv[1])
print("logout %s, its token then %s" % (r["logout"], r["revoked_token_answer"]))' "$revoked")
  sleep "$before"
  local fault_start fault_end during after_restart
  fault_start=$(now)
  kill -KILL "$REDIS_PID"
  wait "$REDIS_PID" 2>/dev/null || true
  echo "drill redis: Redis killed; down for $OUTAGE s" >&2
  sleep $(( OUTAGE / 2 ))
  during=$(drill sessions "$BASE" during "$a")
  sleep $(( OUTAGE - OUTAGE / 2 ))
  fault_end=$(now)
  start_redis
  echo "drill redis: Redis started again" >&2
  wait "$load" || true
  after_restart=$(drill sessions "$BASE" after "$revoked")
  touch "$events.done"
  drill settle "$BASE" "$events" "[$a,$b,$c]" 120 > "$WORK/settled.json"
  local marks recovery
  marks="{\"fault_start\":$fault_start,\"fault_end\":$fault_end}"
  recovery=$(drill recovery "$events" "$marks" "jwt,config,ingest")
  [[ $recovery == None ]] && recovery=null
  ROWS+=("$(drill row redis "Redis killed for $OUTAGE s" "$events" "$WORK/settled.json" \
    "{\"recovery_seconds\":$recovery}")")
  drill phases "$events" "$marks" >&2
  echo "  during the outage: $during" >&2
  echo "  before the outage a session was logged out ($revoked_summary); $after_restart" >&2
  echo "  app log: $(grep -c 'unavailable' "$WORK/app.log" || true) lines about Redis being unavailable" >&2
}

drill_openai() {
  local seconds=40
  WORK=$(mktemp -d /tmp/rag-drill-openai-XXXXXX)
  local fault_port
  fault_port=$(free_port)
  python3 scripts/lib/openai-fault-server.py "$fault_port" "$WORK/openai.jsonl" &
  HELPERS+=("$!")
  # 3 attempts (the default) of at most 5 s each: the timeout phase ends within the drill
  start_app openai --rag.openai.base-url="http://127.0.0.1:$fault_port/v1" --rag.openai.timeout=PT5S
  local remote local_tenant
  remote=$(drill tenant "$BASE" openai '{"embedding_model":"text-embedding-3-small","openai_api_key":"sk-drill-tenant-0123456789","rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}')
  local_tenant=$(drill tenant "$BASE" local '{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}')
  echo "drill openai: waiting for the OpenAI tenant's index to be ready" >&2
  for _ in $(seq 1 60); do
    curl -s "$BASE/api/customers/config" -H "X-API-Key: $(python3 -c 'import json,sys;print(json.loads(sys.argv[1])["api_key"])' "$remote")" \
      | grep -q '"embedding_status":"ready"' && break
    sleep 1
  done
  local streams
  streams=$(python3 -c 'import json,sys; r,l=(json.loads(x) for x in sys.argv[1:3]); body="Drill document {token}: quarterly revenue, churn and hiring for the region. "
print(json.dumps([
    {"tenant":r,"kind":"ingest","rate":0.25,"content":body+"[fault:429-then-ok]"},
    {"tenant":r,"kind":"ingest","rate":0.25,"content":body+"[fault:429]"},
    {"tenant":r,"kind":"ingest","rate":0.25,"content":body+"[fault:500]"},
    {"tenant":r,"kind":"ingest","rate":0.25,"content":body+"[fault:timeout]"},
    {"tenant":l,"kind":"ingest","rate":1}]))' "$remote" "$local_tenant")
  local events=$WORK/events.jsonl
  : > "$events"
  drill load "$BASE" "$events" "$seconds" "$streams" &
  local load=$!
  HELPERS+=("$load")
  # follows the documents while they are sent, so completion times are seen within 0.5 s
  drill settle "$BASE" "$events" "[$remote,$local_tenant]" 180 > "$WORK/settled.json" &
  local settle=$!
  HELPERS+=("$settle")
  wait "$load" || true
  touch "$events.done"
  wait "$settle"
  ROWS+=("$(drill row openai "OpenAI-wire 429 + Retry-After, 500, time-outs" "$events" "$WORK/settled.json" \
    '{"recovery_seconds":null}')")
  python3 - "$WORK/settled.json" "$WORK/openai.jsonl" "$events" >&2 <<'PY'
import json, sys
settled = json.load(open(sys.argv[1]))["documents"]
calls = [json.loads(line) for line in open(sys.argv[2])]
events = [json.loads(line) for line in open(sys.argv[3])]
by_fault = {}
for c in calls:
    by_fault.setdefault(c["fault"], []).append(c)
for fault, items in sorted(by_fault.items(), key=lambda kv: str(kv[0])):
    items.sort(key=lambda c: c["at"])
    gaps = [round(b["at"] - a["at"], 1) for a, b in zip(items, items[1:])]
    answers = {}
    for c in items:
        answers[c["answer"]] = answers.get(c["answer"], 0) + 1
    print(f"  OpenAI-wire server, fault {fault}: {len(items)} requests, answers {answers}")
for tenant in ("openai", "local"):
    docs = [d for d in settled.values() if d["tenant"] == tenant]
    done = sorted(d["seconds_to_final"] for d in docs if d["seconds_to_final"] is not None)
    statuses = {}
    for d in docs:
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    if done:
        print(f"  tenant {tenant}: {len(docs)} documents {statuses}; seconds from accepted to final: "
              f"median {done[len(done) // 2]}, p90 {done[int(len(done) * 0.9)]}, max {done[-1]}")
    reasons = {}
    for d in docs:
        if d["status"] == "failed":
            reasons[d["error"]] = reasons.get(d["error"], 0) + 1
    for reason, n in reasons.items():
        print(f"    failed x{n}: {reason}")
PY
  python3 - "$WORK/openai.jsonl" >&2 <<'PY'
import json, sys
calls = [json.loads(line) for line in open(sys.argv[1])]
# per document text: the wait before the request that followed a 429 with Retry-After: 3 (must be 3 s or more)
by_text = {}
for c in calls:
    by_text.setdefault(c["text"], []).append(c)
waits = []
for items in by_text.values():
    items.sort(key=lambda c: c["at"])
    waits += [round(b["at"] - a["at"], 2) for a, b in zip(items, items[1:]) if a["answer"] == "429"]
if waits:
    waits.sort()
    print(f"  after a 429 with Retry-After: 3, the same text came again after {waits[0]} s at the soonest "
          f"(median {waits[len(waits) // 2]} s, {len(waits)} retries)")
PY
}

# hostile input: the seeded fuzz run, a slowloris and a 100 MB JSON body against one app (scripts/lib/fuzz.py)
drill_fuzz() {
  local seed=${RAG_FUZZ_SEED:-$(date +%s)} n=${RAG_FUZZ_N:-150}
  local conns=${RAG_FUZZ_SLOW_CONNECTIONS:-200} slow=${RAG_FUZZ_SLOW_SECONDS:-90}
  [[ $seed =~ ^[0-9]+$ && $n =~ ^[0-9]+$ && $conns =~ ^[0-9]+$ && $slow =~ ^[0-9]+$ ]] \
    || { echo "RAG_FUZZ_SEED, RAG_FUZZ_N, RAG_FUZZ_SLOW_*: whole numbers" >&2; exit 2; }
  WORK=$(mktemp -d /tmp/rag-drill-fuzz-XXXXXX)
  # URL ingestion may fetch the drill's hostile pages on 127.0.0.1, and nothing else beyond public addresses
  RAG_FETCH_ALLOWED_CIDRS=127.0.0.1/32 start_app fuzz
  echo "drill fuzz: seed $seed, $n inputs per target (RAG_FUZZ_SEED=$seed RAG_FUZZ_N=$n repeats this run)" >&2
  python3 scripts/lib/fuzz.py inputs "$BASE" "$APP_PID" "$seed" "$n" "$WORK" > "$WORK/targets.md"
  if kill -0 "$APP_PID" 2>/dev/null; then
    echo "drill fuzz: slowloris, $conns connections for $slow s" >&2
    python3 scripts/lib/fuzz.py slowloris "$BASE" "$APP_PID" "$conns" "$slow" > "$WORK/slowloris.json"
    echo "drill fuzz: one 100 MB JSON body" >&2
    python3 scripts/lib/fuzz.py big-json "$BASE" "$APP_PID" 100 > "$WORK/big-json.json"
  else
    echo "drill fuzz: the app died; the end of its log:" >&2
    grep -vE '^\s+[0-9]+: |^\s+at ' "$WORK/app.log" | tail -n 12 | cut -c1-220 | sed 's/^/    /' >&2
  fi
  local errors
  errors=$(grep -cE '^\S+ +ERROR ' "$WORK/app.log" || true)
  echo "  app log: ${errors:-0} ERROR lines$( (( errors > 0 )) && echo ', by kind:')" >&2
  grep -E '^\S+ +ERROR ' "$WORK/app.log" | sed -E 's/^\S+ +ERROR [0-9]+ --- \[[^]]*\] //' | cut -c1-160 | sort \
    | uniq -c | sort -rn | head -8 | sed 's/^/    /' >&2 || true
  echo >&2
  cat "$WORK/targets.md" >&2
  ROWS+=("$(python3 scripts/lib/fuzz.py row "$WORK" "$seed" "$n" "$conns" "$slow")")
}

# --- s3: the S3-compatible server (S3Mock, its objects on disk in the drill's directory) down for OUTAGE seconds ---

S3MOCK_JAR=infra/target/s3mock/s3mock-exec.jar
readonly BURST=${RAG_DRILL_BURST:-60}    # documents sent in one batch just before the fault (a pipeline backlog)

# starts S3Mock on $S3_PORT with its objects in $WORK/s3 (kept when it stops or is killed, read again on start)
start_s3() {
  [[ -f $S3MOCK_JAR ]] || app_fail "$S3MOCK_JAR is missing: build first (mvn -B package -DskipTests copies it)"
  "$(app_java)" -Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$S3MOCK_JAR" --http.port="$S3_PORT" \
    --server.port="$S3_HTTPS_PORT" --com.adobe.testing.s3mock.store.root="$WORK/s3" \
    --com.adobe.testing.s3mock.store.retainFilesOnExit=true --spring.main.banner-mode=off \
    >>"$WORK/s3mock.log" 2>&1 </dev/null &
  S3_PID=$!
  HELPERS+=("$S3_PID")
  for _ in $(seq 1 600); do
    curl -sf --max-time 2 "http://127.0.0.1:$S3_PORT/" >/dev/null 2>&1 && return 0
    kill -0 "$S3_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 30 "$WORK/s3mock.log" >&2
  app_fail "S3Mock did not answer on port $S3_PORT"
}

# ingest as JSON, multipart and presigned uploads, and search, from tenants $1 and $2
storage_streams() {
  python3 -c 'import json,sys; a,b=(json.loads(x) for x in sys.argv[1:3]); print(json.dumps([
    {"tenant":a,"kind":"ingest","rate":1},{"tenant":a,"kind":"multipart","rate":0.5},
    {"tenant":a,"kind":"presigned","rate":0.25},{"tenant":a,"kind":"search","rate":1},
    {"tenant":b,"kind":"ingest","rate":1},{"tenant":b,"kind":"multipart","rate":0.5},
    {"tenant":b,"kind":"search","rate":1}]))' "$1" "$2"
}

drill_s3() {
  local before=20 after=40
  WORK=$(mktemp -d /tmp/rag-drill-s3-XXXXXX)
  mkdir -p "$WORK/s3"
  S3_PORT=$(free_port)
  S3_HTTPS_PORT=$(free_port)
  start_s3
  local bucket=drill
  start_app s3 --rag.storage.type=s3 --rag.storage.s3.endpoint="http://127.0.0.1:$S3_PORT" \
    --rag.storage.s3.path-style=true --rag.storage.s3.bucket="$bucket" --rag.storage.s3.region=us-east-1 \
    --rag.storage.s3.access-key=drill-access-key --rag.storage.s3.secret-key=drill-secret-key
  local limits='{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}'
  local a b streams
  a=$(drill tenant "$BASE" a "$limits")
  b=$(drill tenant "$BASE" b "$limits")
  streams=$(storage_streams "$a" "$b")
  local events=$WORK/events.jsonl
  : > "$events"
  drill load "$BASE" "$events" $(( before + OUTAGE + after )) "$streams" &
  local load=$!
  HELPERS+=("$load")
  # follows the documents while they are sent, so completion times are seen within 0.5 s
  drill settle "$BASE" "$events" "[$a,$b]" 300 > "$WORK/settled.json" &
  local settle=$!
  HELPERS+=("$settle")
  sleep "$before"
  # a backlog for the pipeline: documents accepted, their steps still to run when S3 goes
  echo "drill s3: $(drill burst "$BASE" "$events" "$b" "$BURST")" >&2
  local fault_start fault_end
  fault_start=$(now)
  kill -KILL "$S3_PID"
  wait "$S3_PID" 2>/dev/null || true
  echo "drill s3: S3Mock killed; down for $OUTAGE s" >&2
  sleep "$OUTAGE"
  # S3Mock (unlike a real server) rewrites its bucket's key index in place on every PUT: a kill mid-write leaves
  # it empty and S3Mock then loses the whole bucket. Rebuilt from the objects' own metadata; reported below.
  local s3_index
  s3_index=$(drill s3mock-repair "$WORK/s3" "$bucket")
  start_s3
  fault_end=$(now)
  echo "drill s3: S3Mock answering again on the same port and directory" >&2
  wait "$load" || true
  touch "$events.done"
  wait "$settle"
  local recovery
  recovery=$(drill first-ok "$events" "$fault_end" ingest)
  ROWS+=("$(drill row s3 "S3-compatible server (S3Mock) kill -9 for $OUTAGE s" "$events" "$WORK/settled.json" \
    "{\"recovery_seconds\":$recovery}")")
  local marks="{\"fault_start\":$fault_start,\"fault_end\":$fault_end}"
  drill phases "$events" "$marks" >&2
  drill storage-errors "$events" >&2
  echo "  $(drill unindexed "$WORK/settled.json")" >&2
  echo "  S3Mock's own store after the kill: $s3_index" >&2
  echo "  blobs in S3: $(drill blobs "s3:http://127.0.0.1:$S3_PORT/$bucket" "$WORK/settled.json" "[$a,$b]")" >&2
  storage_completion_times "$WORK/settled.json" "$fault_start" "$fault_end" >&2
  echo "  app log: $(grep -c 'Pipeline step failed' "$WORK/app.log" || true) step retries logged," \
    "$(grep -c 'Unhandled error' "$WORK/app.log" || true) unhandled errors" >&2
}

# how long the documents accepted before and during the fault took to finish, relative to its end
storage_completion_times() {
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
docs = json.load(open(sys.argv[1]))["documents"].values()
start, end = float(sys.argv[2]), float(sys.argv[3])
for name, pick in (("before", lambda d: d["accepted_at"] < start), ("during", lambda d: start <= d["accepted_at"] < end),
                   ("after", lambda d: d["accepted_at"] >= end)):
    items = [d for d in docs if pick(d)]
    statuses = {}
    for d in items:
        statuses[d["status"]] = statuses.get(d["status"], 0) + 1
    done = [d["accepted_at"] + d["seconds_to_final"] - end for d in items if d["seconds_to_final"] is not None]
    last = f"; the last of them final {max(done):.1f} s after the fault ended" if done else ""
    reasons = {}
    for d in items:
        if d["status"] == "failed":
            reasons[d["error"]] = reasons.get(d["error"], 0) + 1
    print(f"  accepted {name} the fault: {len(items)} {statuses}{last}"
          + "".join(f"\n    failed x{n}: {r}" for r, n in reasons.items()))
PY
}

# --- disk: RAG_DATA_DIR on a small tmpfs, filled up for OUTAGE seconds, then freed ---

drill_disk() {
  local before=20 after=40 size_mb=${RAG_DRILL_DISK_MB:-256}
  WORK=$(mktemp -d /tmp/rag-drill-disk-XXXXXX)
  mkdir -p "$WORK/data" "$WORK/postgres"
  mount -t tmpfs -o "size=${size_mb}m,mode=0755" rag-drill-disk "$WORK/data" \
    || app_fail "could not mount a tmpfs on $WORK/data (needs root)"
  MOUNTS+=("$WORK/data")
  # PostgreSQL keeps its files on the ordinary disk (a symbolic link): the drill is about the app's own files
  # (blobs, Lance datasets); a PostgreSQL whose disk fills stops accepting writes by design (PANIC on a full WAL)
  ln -s "$WORK/postgres" "$WORK/data/postgres"
  start_app disk
  local limits='{"rate_limit_requests_per_minute":100000,"rate_limit_requests_per_day":100000000}'
  local a b streams
  a=$(drill tenant "$BASE" a "$limits")
  b=$(drill tenant "$BASE" b "$limits")
  streams=$(storage_streams "$a" "$b")
  local events=$WORK/events.jsonl
  : > "$events"
  drill load "$BASE" "$events" $(( before + OUTAGE + after )) "$streams" &
  local load=$!
  HELPERS+=("$load")
  drill settle "$BASE" "$events" "[$a,$b]" 300 > "$WORK/settled.json" &
  local settle=$!
  HELPERS+=("$settle")
  sleep "$before"
  echo "drill disk: $(drill burst "$BASE" "$events" "$b" "$BURST")" >&2
  local fault_start fault_end used
  fault_start=$(now)
  dd if=/dev/zero of="$WORK/data/filler" bs=1M status=none 2>/dev/null || true
  used=$(df --output=pcent "$WORK/data" | tail -1 | tr -d ' ')
  echo "drill disk: $WORK/data filled ($used used, $(df --output=avail -B1 "$WORK/data" | tail -1 | tr -d ' ') bytes free); full for $OUTAGE s" >&2
  # whatever the app frees while full is taken again, so the disk stays full for the whole fault
  local until_s=$(( SECONDS + OUTAGE ))
  while (( SECONDS < until_s )); do
    dd if=/dev/zero of="$WORK/data/filler-more-$SECONDS" bs=64k status=none 2>/dev/null || true
    sleep 1
  done
  rm -f "$WORK/data"/filler*
  fault_end=$(now)
  echo "drill disk: space freed ($(df --output=pcent "$WORK/data" | tail -1 | tr -d ' ') used)" >&2
  wait "$load" || true
  touch "$events.done"
  wait "$settle"
  local recovery
  recovery=$(drill first-ok "$events" "$fault_end" ingest)
  ROWS+=("$(drill row disk "RAG_DATA_DIR (blobs, Lance) on a ${size_mb} MB tmpfs, full for $OUTAGE s" "$events" \
    "$WORK/settled.json" "{\"recovery_seconds\":$recovery}")")
  local marks="{\"fault_start\":$fault_start,\"fault_end\":$fault_end}"
  drill phases "$events" "$marks" >&2
  drill storage-errors "$events" >&2
  echo "  $(drill unindexed "$WORK/settled.json")" >&2
  echo "  blobs on disk: $(drill blobs "$WORK/data/blobs" "$WORK/settled.json" "[$a,$b]")" >&2
  storage_completion_times "$WORK/settled.json" "$fault_start" "$fault_end" >&2
  echo "  failed documents reprocessed after the space returned: $(drill reprocess-failed "$BASE" \
    "$WORK/settled.json" "[$a,$b]" 180)" >&2
  echo "  app log: $(grep -c 'No space left' "$WORK/app.log" || true) lines naming 'No space left'," \
    "$(grep -c 'Unhandled error' "$WORK/app.log" || true) unhandled errors" >&2
}

# shellcheck source=lib/soak.sh
source scripts/lib/soak.sh

for name in "${DRILLS[@]}"; do
  "drill_$name"
  cleanup
done
if (( ${#ROWS[@]} )); then
  echo
  echo "$HEADER"
  printf '%s\n' "${ROWS[@]}"
fi
if (( ${#SOAK_ROWS[@]} )); then
  echo
  echo "$SOAK_HEADER"
  printf '%s\n' "${SOAK_ROWS[@]}"
fi
