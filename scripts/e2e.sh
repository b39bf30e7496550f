#!/usr/bin/env bash
# The dashboard's end-to-end tests in a real browser against the real packaged app on embedded defaults.
#   1. extracts infra/target/dynamic-rag.jar (built by `mvn package`) into a temporary directory,
#   2. starts it on a free port with a fresh temporary RAG_DATA_DIR (embedded PostgreSQL, no Redis) and an admin
#      account; its log goes to ui/target/e2e-app.log,
#   3. waits for GET /actuator/health = UP (at most E2E_START_SECONDS, default 180),
#   4. runs `node --test --test-concurrency=1 ui/e2e/*.test.mjs` (Debian's Chromium via playwright-core, axe-core),
#   5. always stops the app and its embedded PostgreSQL and removes the temporary directory.
# Exits with the test run's status. Screenshots land in ui/target/screenshots/.
# Usage: scripts/e2e.sh [extra node --test arguments, e.g. --test-name-pattern=webhook]
# Environment: E2E_START_SECONDS (default 180), E2E_TEST_SECONDS (default 600: the whole test run is stopped then)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

readonly JAR=infra/target/dynamic-rag.jar
readonly LOG=ui/target/e2e-app.log
readonly START_SECONDS="${E2E_START_SECONDS:-180}"
readonly TEST_SECONDS="${E2E_TEST_SECONDS:-600}"
readonly ADMIN_EMAIL=e2e-admin@example.com
readonly ADMIN_PASSWORD=e2e-admin-password-123

fail() { echo "e2e: $*" >&2; exit 1; }

# --- what the run needs, checked before anything is started -------------------------------------------------------
[[ -f $JAR ]] || fail "$JAR is missing: build it first (mvn -B package -DskipTests)"
if [[ -n ${JAVA_HOME:-} ]] && ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  echo "e2e: ignoring JAVA_HOME=$JAVA_HOME (not a JDK 17+)" >&2
  unset JAVA_HOME
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$JAVA" >/dev/null 2>&1 || fail "no java on the PATH (scripts/ensure-services.sh --tools-only installs it)"
command -v curl >/dev/null 2>&1 || fail "curl is missing (apt-get install curl)"

scripts/ensure-node.sh
LOCAL_NODE="${HOME}/.cache/dynamic-rag/node/node_modules/node/bin"
[[ -x "$LOCAL_NODE/node" ]] && export PATH="$LOCAL_NODE:$PATH"
for package in playwright-core @axe-core/playwright; do
  [[ -f ui/node_modules/$package/package.json ]] ||
    fail "ui/node_modules/$package is missing: install the dashboard's packages (ui/build.sh build, or mvn package)"
done
scripts/ensure-chromium.sh
# the test files by name: Node 20 searches a directory argument, Node 22+ (which ensure-node.sh may install) takes
# it as a file and fails (nodejs/node#50219), explicit files work on both
shopt -s nullglob
TEST_FILES=(ui/e2e/*.test.mjs)
shopt -u nullglob
(( ${#TEST_FILES[@]} > 0 )) || fail "no test files in ui/e2e (*.test.mjs)"

# --- start the app ------------------------------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/rag-e2e-XXXXXX)
DATA="$WORK/data"
APP_PID=""
TESTS_PID=""

# the embedded PostgreSQL runs in a session of its own (pg_ctl detaches it): find it by its data directory
postmaster_pid() {
  local pid_file="$DATA/postgres/postmaster.pid"
  [[ -f $pid_file ]] && head -1 "$pid_file" 2>/dev/null | grep -E '^[0-9]+$' || true
}

stop_all() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n $TESTS_PID ]] && kill -0 "$TESTS_PID" 2>/dev/null; then
    kill -TERM "$TESTS_PID" 2>/dev/null     # timeout passes it on to node, which closes its browser
    wait "$TESTS_PID" 2>/dev/null
  fi
  if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
    # graceful: Spring closes, then the app's shutdown hook stops its embedded PostgreSQL
    kill -TERM -- "-$APP_PID" 2>/dev/null
    for _ in $(seq 1 90); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
    if kill -0 "$APP_PID" 2>/dev/null; then
      echo "e2e: the app did not stop within 90 s: killing it" >&2
      kill -KILL -- "-$APP_PID" 2>/dev/null
    fi
    wait "$APP_PID" 2>/dev/null
  fi
  local postmaster
  postmaster=$(postmaster_pid)
  if [[ -n $postmaster ]] && kill -0 "$postmaster" 2>/dev/null; then
    echo "e2e: stopping the embedded PostgreSQL the app left running (pid $postmaster)" >&2
    kill -INT "$postmaster" 2>/dev/null     # fast shutdown
    for _ in $(seq 1 20); do kill -0 "$postmaster" 2>/dev/null || break; sleep 1; done
    kill -0 "$postmaster" 2>/dev/null && kill -KILL -- "-$postmaster" 2>/dev/null
  fi
  local stray
  stray=$(pgrep -f -- "$WORK" || true)
  if [[ -n $stray ]]; then
    echo "e2e: killing stray processes of this run: $stray" >&2
    kill -KILL $stray 2>/dev/null
    sleep 1
  fi
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "e2e: extracting $JAR" >&2
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" >/dev/null

# a free port chosen by the kernel, never 8080 (a dev server may run there)
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
[[ $PORT =~ ^[0-9]+$ && $PORT != 8080 ]] || fail "could not find a free port (got '$PORT')"
BASE="http://127.0.0.1:$PORT"

mkdir -p "$(dirname "$LOG")" "$DATA"
echo "e2e: starting the app on $BASE (data in $DATA, log in $LOG)" >&2
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
echo "e2e: app UP after $(( SECONDS - started )) s" >&2

# --- the tests ----------------------------------------------------------------------------------------------------
rm -rf ui/target/screenshots
set +e
# in the background, so that a TERM or INT to this script (Maven stopped, Ctrl-C) runs the trap at once
E2E_BASE_URL="$BASE" E2E_ADMIN_EMAIL="$ADMIN_EMAIL" E2E_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
  timeout --kill-after=10 "$TEST_SECONDS" node --test --test-concurrency=1 "$@" "${TEST_FILES[@]}" &
TESTS_PID=$!
wait "$TESTS_PID"
tests=$?
TESTS_PID=""
set -e
if (( tests == 124 )); then
  echo "e2e: the tests did not finish within $TEST_SECONDS s" >&2
fi
echo "e2e: tests finished with status $tests after $(( SECONDS - started )) s; screenshots in $ROOT/ui/target/screenshots" >&2
exit "$tests"
