#!/usr/bin/env bash
# Runs a command against the real packaged app on embedded defaults, then stops the app whatever happened:
#   1. extracts infra/target/dynamic-rag.jar (built by `mvn package`) into a temporary directory,
#   2. starts it on a free port (never 8080, where a dev server may run) with a fresh temporary RAG_DATA_DIR
#      (embedded PostgreSQL, no Redis) and an admin account,
#   3. waits for GET /actuator/health = UP (at most APP_START_SECONDS, default 180),
#   4. runs the command with APP_BASE_URL, APP_ADMIN_EMAIL and APP_ADMIN_PASSWORD in its environment, stopped after
#      --timeout seconds,
#   5. always stops the app and its embedded PostgreSQL and removes the temporary directory.
# Exits with the command's status. Used by scripts/e2e.sh (dashboard tests) and scripts/bench-ui.sh (UI budget).
# Usage: scripts/with-packaged-app.sh [--name NAME] [--log FILE] [--timeout SECONDS] -- COMMAND [ARGUMENTS...]
set -euo pipefail
cd "$(dirname "$0")/.."

readonly JAR=infra/target/dynamic-rag.jar
readonly START_SECONDS="${APP_START_SECONDS:-180}"
readonly ADMIN_EMAIL=e2e-admin@example.com
readonly ADMIN_PASSWORD=e2e-admin-password-123
NAME=app
LOG=""
COMMAND_SECONDS=600

while (( $# > 0 )); do
  case "$1" in
    --name) NAME=$2; shift 2 ;;
    --log) LOG=$2; shift 2 ;;
    --timeout) COMMAND_SECONDS=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: scripts/with-packaged-app.sh [--name NAME] [--log FILE] [--timeout SECONDS] -- COMMAND..." >&2; exit 2 ;;
  esac
done
(( $# > 0 )) || { echo "with-packaged-app: no command given" >&2; exit 2; }
LOG=${LOG:-ui/target/$NAME-app.log}

fail() { echo "$NAME: $*" >&2; exit 1; }

[[ -f $JAR ]] || fail "$JAR is missing: build it first (mvn -B package -DskipTests)"
if [[ -n ${JAVA_HOME:-} ]] && ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  echo "$NAME: ignoring JAVA_HOME=$JAVA_HOME (not a JDK 17+)" >&2
  unset JAVA_HOME
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$JAVA" >/dev/null 2>&1 || fail "no java on the PATH (scripts/ensure-services.sh --tools-only installs it)"
command -v curl >/dev/null 2>&1 || fail "curl is missing (apt-get install curl)"
command -v node >/dev/null 2>&1 || fail "no node on the PATH (scripts/ensure-node.sh installs it)"

WORK=$(mktemp -d "/tmp/rag-$NAME-XXXXXX")
DATA="$WORK/data"
APP_PID=""
COMMAND_PID=""

# the embedded PostgreSQL runs in a session of its own (pg_ctl detaches it): find it by its data directory
postmaster_pid() {
  local pid_file="$DATA/postgres/postmaster.pid"
  [[ -f $pid_file ]] && head -1 "$pid_file" 2>/dev/null | grep -E '^[0-9]+$' || true
}

stop_all() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n $COMMAND_PID ]] && kill -0 "$COMMAND_PID" 2>/dev/null; then
    kill -TERM "$COMMAND_PID" 2>/dev/null     # timeout passes it on to the command (node closes its browser)
    wait "$COMMAND_PID" 2>/dev/null
  fi
  if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
    # graceful: Spring closes, then the app's shutdown hook stops its embedded PostgreSQL
    kill -TERM -- "-$APP_PID" 2>/dev/null
    for _ in $(seq 1 90); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
    if kill -0 "$APP_PID" 2>/dev/null; then
      echo "$NAME: the app did not stop within 90 s: killing it" >&2
      kill -KILL -- "-$APP_PID" 2>/dev/null
    fi
    wait "$APP_PID" 2>/dev/null
  fi
  local postmaster
  postmaster=$(postmaster_pid)
  if [[ -n $postmaster ]] && kill -0 "$postmaster" 2>/dev/null; then
    echo "$NAME: stopping the embedded PostgreSQL the app left running (pid $postmaster)" >&2
    kill -INT "$postmaster" 2>/dev/null     # fast shutdown
    for _ in $(seq 1 20); do kill -0 "$postmaster" 2>/dev/null || break; sleep 1; done
    kill -0 "$postmaster" 2>/dev/null && kill -KILL -- "-$postmaster" 2>/dev/null
  fi
  local stray
  stray=$(pgrep -f -- "$WORK" || true)
  if [[ -n $stray ]]; then
    echo "$NAME: killing stray processes of this run: $stray" >&2
    kill -KILL $stray 2>/dev/null
    sleep 1
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "$NAME: extracting $JAR" >&2
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null

PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
[[ $PORT =~ ^[0-9]+$ && $PORT != 8080 ]] || fail "could not find a free port (got '$PORT')"
BASE="http://127.0.0.1:$PORT"

mkdir -p "$(dirname "$LOG")" "$DATA"
echo "$NAME: starting the app on $BASE (data in $DATA, log in $LOG)" >&2
# setsid: the app leads a process group of its own, so the trap can stop all of it
env -u DATABASE_URL -u REDIS_URL -u JAVA_TOOL_OPTIONS \
  PORT="$PORT" RAG_PUBLIC_URL="$BASE" RAG_DATA_DIR="$DATA" LANCE_LOG=error LANCE_CPU_THREADS=4 \
  RAG_ADMIN_EMAIL="$ADMIN_EMAIL" RAG_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  setsid "$JAVA" -Xmx1g --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$WORK/app/dynamic-rag.jar" \
  --server.port="$PORT" >"$LOG" 2>&1 </dev/null &
APP_PID=$!

started=$SECONDS
until curl -sf --max-time 5 "$BASE/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
  if ! kill -0 "$APP_PID" 2>/dev/null; then
    tail -n 60 "$LOG" >&2
    fail "the app exited before it was ready (log above, whole log in $LOG)"
  fi
  if (( SECONDS - started >= START_SECONDS )); then
    tail -n 60 "$LOG" >&2
    fail "the app was not UP within $START_SECONDS s (log above, whole log in $LOG)"
  fi
  sleep 2
done
echo "$NAME: app UP after $(( SECONDS - started )) s" >&2

set +e
# in the background, so that a TERM or INT to this script (Maven stopped, Ctrl-C) runs the trap at once
APP_BASE_URL="$BASE" APP_ADMIN_EMAIL="$ADMIN_EMAIL" APP_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  timeout --kill-after=10 "$COMMAND_SECONDS" "$@" &
COMMAND_PID=$!
wait "$COMMAND_PID"
result=$?
COMMAND_PID=""
set -e
(( result == 124 )) && echo "$NAME: the command did not finish within $COMMAND_SECONDS s" >&2
echo "$NAME: finished with status $result after $(( SECONDS - started )) s" >&2
exit "$result"
