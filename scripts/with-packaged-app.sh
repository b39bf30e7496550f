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

# shellcheck source=lib/packaged-app.sh
source scripts/lib/packaged-app.sh

fail() { echo "$NAME: $*" >&2; exit 1; }

command -v "$(app_java)" >/dev/null 2>&1 || fail "no java on the PATH (scripts/ensure-services.sh --tools-only installs it)"
command -v curl >/dev/null 2>&1 || fail "curl is missing (apt-get install curl)"
command -v node >/dev/null 2>&1 || fail "no node on the PATH (scripts/ensure-node.sh installs it)"

WORK=$(mktemp -d "/tmp/rag-$NAME-XXXXXX")
app_init "$NAME" "$WORK"
COMMAND_PID=""

stop_all() {
  local status=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n $COMMAND_PID ]] && kill -0 "$COMMAND_PID" 2>/dev/null; then
    kill -TERM "$COMMAND_PID" 2>/dev/null     # timeout passes it on to the command (node closes its browser)
    wait "$COMMAND_PID" 2>/dev/null
  fi
  app_stop
  rm -rf "$WORK"
  exit "$status"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "$NAME: extracting $APP_JAR" >&2
app_extract

PORT=$(free_port)
BASE="http://127.0.0.1:$PORT"

echo "$NAME: starting the app on $BASE (data in $WORK/data, log in $LOG)" >&2
unset REDIS_URL
RAG_ADMIN_EMAIL="$ADMIN_EMAIL" RAG_ADMIN_PASSWORD="$ADMIN_PASSWORD" app_start "$PORT" "$LOG"
started=$SECONDS
app_wait_up "$START_SECONDS" "$LOG"

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
