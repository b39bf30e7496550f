# Sourced by scripts that run the packaged app (infra/target/dynamic-rag.jar) as a throw-away process:
# scripts/with-packaged-app.sh (e2e, UI budget) and scripts/drill.sh (reliability drills).
#
#   app_init NAME WORK          names the run (messages) and its temporary directory (data in WORK/data)
#   app_java                    the java to use (JAVA_HOME when it is a JDK 17+, else the PATH's)
#   app_extract                 extracts the jar into WORK/app (Boot's extracted layout: Lance's native threads
#                               cannot load classes from inside the nested fat jar)
#   app_start PORT LOG [ARGS]   starts it on 127.0.0.1:PORT with embedded PostgreSQL under WORK/data; extra
#                               environment comes from the caller (exported variables); sets APP_PID
#   app_wait_up SECONDS LOG     waits for /actuator/health = UP, fails with the log's tail when it exits or is late
#   app_stop                    stops the app (TERM to its process group, KILL after 90 s), then the embedded
#                               PostgreSQL it may have left, then any stray process of WORK; idempotent
#   free_port                   a free loopback port (never 8080, where a dev server may run)
# The caller owns WORK (creates it, removes it in its trap after app_stop).

APP_JAR=infra/target/dynamic-rag.jar
APP_NAME=app
APP_WORK=""
APP_PID=""

app_init() {
  APP_NAME=$1
  APP_WORK=$2
}

app_fail() {
  echo "$APP_NAME: $*" >&2
  exit 1
}

app_java() {
  if [[ -n ${JAVA_HOME:-} ]] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

free_port() {
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  [[ $port =~ ^[0-9]+$ && $port != 8080 ]] || app_fail "could not find a free port (got '$port')"
  echo "$port"
}

app_extract() {
  [[ -f $APP_JAR ]] || app_fail "$APP_JAR is missing: build it first (mvn -B package -DskipTests)"
  "$(app_java)" -Djarmode=tools -jar "$APP_JAR" extract --destination "$APP_WORK/app" >/dev/null
}

app_start() {
  local port=$1 log=$2
  shift 2
  mkdir -p "$(dirname "$log")" "$APP_WORK/data"
  # setsid: the app leads a process group of its own, so app_stop can stop all of it
  env -u DATABASE_URL -u JAVA_TOOL_OPTIONS \
    PORT="$port" RAG_PUBLIC_URL="http://127.0.0.1:$port" RAG_DATA_DIR="$APP_WORK/data" LANCE_LOG=error \
    LANCE_CPU_THREADS=4 \
    setsid "$(app_java)" -Xmx1g --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$APP_WORK/app/dynamic-rag.jar" \
    --server.port="$port" "$@" >"$log" 2>&1 </dev/null &
  APP_PID=$!
}

app_wait_up() {
  local seconds=$1 log=$2 started=$SECONDS port=""
  # the port is read from the JVM's command line, which exists only once the launcher has exec'd java: read it on
  # every try (read once at the start, it came back empty and the app was never seen UP)
  until port=$(app_port 2>/dev/null) && [[ -n $port ]] \
      && curl -sf --max-time 5 "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      tail -n 60 "$log" >&2
      app_fail "the app exited before it was ready (log above, whole log in $log)"
    fi
    if (( SECONDS - started >= seconds )); then
      tail -n 60 "$log" >&2
      app_fail "the app was not UP within $seconds s (log above, whole log in $log)"
    fi
    sleep 2
  done
  echo "$APP_NAME: app UP after $(( SECONDS - started )) s" >&2
}

# the port of the running app, from its command line
app_port() {
  tr '\0' '\n' < "/proc/$APP_PID/cmdline" | sed -n 's/^--server.port=//p'
}

# the embedded PostgreSQL runs in a session of its own (pg_ctl detaches it): found by its data directory
app_postmaster_pid() {
  local pid_file="$APP_WORK/data/postgres/postmaster.pid"
  [[ -f $pid_file ]] && head -1 "$pid_file" 2>/dev/null | grep -E '^[0-9]+$' || true
}

app_stop() {
  [[ -n $APP_WORK ]] || return 0
  if [[ -n $APP_PID ]] && kill -0 "$APP_PID" 2>/dev/null; then
    # graceful: Spring closes, then the app's shutdown hook stops its embedded PostgreSQL
    kill -TERM -- "-$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 90); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 1; done
    if kill -0 "$APP_PID" 2>/dev/null; then
      echo "$APP_NAME: the app did not stop within 90 s: killing it" >&2
      kill -KILL -- "-$APP_PID" 2>/dev/null || true
    fi
    wait "$APP_PID" 2>/dev/null || true    # its exit status is the signal's: not a failure of the caller
  fi
  APP_PID=""
  local postmaster
  postmaster=$(app_postmaster_pid)
  if [[ -n $postmaster ]] && kill -0 "$postmaster" 2>/dev/null; then
    echo "$APP_NAME: stopping the embedded PostgreSQL the app left running (pid $postmaster)" >&2
    kill -INT "$postmaster" 2>/dev/null || true    # fast shutdown
    for _ in $(seq 1 20); do kill -0 "$postmaster" 2>/dev/null || break; sleep 1; done
    kill -0 "$postmaster" 2>/dev/null && kill -KILL -- "-$postmaster" 2>/dev/null || true
  fi
  local stray
  stray=$(pgrep -f -- "$APP_WORK" || true)
  if [[ -n $stray ]]; then
    echo "$APP_NAME: killing stray processes of this run: $stray" >&2
    # shellcheck disable=SC2086 # a list of pids
    kill -KILL $stray 2>/dev/null || true
    sleep 1
  fi
  return 0
}
