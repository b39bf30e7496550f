#!/usr/bin/env bash
# The multi-node topology as plain processes on this machine: api nodes and worker nodes of the packaged app on one
# PostgreSQL database, the local Redis and one shared data directory, optionally behind nginx. For local use, drills
# and tests; infra/deploy/docker-compose.yml is the same topology in containers.
#
# Usage:
#   scripts/cluster.sh start [--api N] [--workers M] [--nginx] [--port P] [--dir DIR] [--database-url URL]
#                            [--env K=V ...]
#       N api nodes (1-3, default 2) and M workers (0-8, default 3). Starts PostgreSQL/Redis when missing
#       (scripts/ensure-services.sh), extracts infra/target/dynamic-rag.jar into DIR (default target/cluster),
#       creates a fresh database rag_cluster_<random> unless --database-url is given, generates the shared secrets
#       once into DIR, starts every node with its own log (DIR/logs/<node>.log), waits until each one's
#       /actuator/health is UP, writes DIR/nodes.tsv (node, role, port, pid, url) and prints the URLs.
#       --nginx puts nginx (rules of infra/deploy/nginx.conf, least_conn over the api nodes) on 127.0.0.1:P
#       (default 8088). --env K=V is extra environment for every node (repeatable).
#   scripts/cluster.sh stop [--dir DIR]          SIGTERM to every node (SIGKILL after 30 s), stops nginx, drops
#                                                the database start created. Idempotent.
#   scripts/cluster.sh status [--dir DIR]        each node: alive, health. Exit 0 when all are UP, else 3.
#   scripts/cluster.sh kill NODE [--dir DIR]     SIGKILL one node (failover drills).
#   scripts/cluster.sh start-node NODE [--dir DIR]   start one node again with its previous settings.
#
# Nodes get a clean environment (PATH, HOME, JAVA_HOME, locale) plus the cluster's settings: nothing else leaks in
# from the calling shell, so start-node reproduces a node exactly; pass anything more with --env.
# Environment: CLUSTER_START_SECONDS (default 300) bounds the wait for the nodes to be UP; PG_ADMIN_USER (default
# postgres) is the role that creates and drops the database on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
readonly ROOT=$PWD

readonly JAR=infra/target/dynamic-rag.jar
readonly NGINX_TEMPLATE=infra/deploy/nginx.conf
readonly PG_HOST=127.0.0.1 PG_PORT=5432
readonly PG_ADMIN_USER=${PG_ADMIN_USER:-postgres}
readonly START_SECONDS=${CLUSTER_START_SECONDS:-300}
readonly STOP_SECONDS=30
readonly NODE_HEAP=1g
# what a node inherits from the calling shell; everything else is set explicitly
readonly PASSED_THROUGH=(PATH HOME USER LANG LC_ALL TZ TMPDIR JAVA_HOME)

say() { echo "cluster: $*" >&2; }
fail() { echo "cluster: $*" >&2; exit 1; }
usage() { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

# --- arguments ---------------------------------------------------------------------------------------------

(( $# > 0 )) || usage
COMMAND=$1
shift
NODE=""
if [[ $COMMAND == kill || $COMMAND == start-node ]]; then
  if (( $# == 0 )) || [[ $1 == --* ]]; then
    fail "$COMMAND needs a node name, e.g. scripts/cluster.sh $COMMAND worker-1"
  fi
  NODE=$1
  shift
fi

API_COUNT=2
WORKER_COUNT=3
WITH_NGINX=false
NGINX_PORT=8088
PORT_GIVEN=false
DIR=$ROOT/target/cluster
GIVEN_DATABASE_URL=""
EXTRA_ENV=()

while (( $# > 0 )); do
  case "$1" in
    --api) API_COUNT=${2:-}; shift 2 ;;
    --workers) WORKER_COUNT=${2:-}; shift 2 ;;
    --nginx) WITH_NGINX=true; shift ;;
    --port) NGINX_PORT=${2:-}; PORT_GIVEN=true; shift 2 ;;
    --dir) [[ -n ${2:-} ]] || fail "--dir needs a directory"
           # relative to where the caller stands, not to the repository
           if [[ $2 == /* ]]; then DIR=$2; else DIR=$OLDPWD/$2; fi
           shift 2 ;;
    --database-url) GIVEN_DATABASE_URL=${2:-}; shift 2 ;;
    --env) [[ ${2:-} =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || fail "--env needs NAME=value, got '${2:-}'"
           EXTRA_ENV+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    *) fail "unknown argument: $1 (try --help)" ;;
  esac
done

if [[ $COMMAND == start ]]; then
  [[ $API_COUNT =~ ^[1-3]$ ]] || fail "--api must be 1, 2 or 3, got '$API_COUNT'"
  [[ $WORKER_COUNT =~ ^[0-8]$ ]] || fail "--workers must be between 0 and 8, got '$WORKER_COUNT'"
  if ! [[ $NGINX_PORT =~ ^[0-9]+$ ]] || (( NGINX_PORT < 1 || NGINX_PORT > 65535 )); then
    fail "--port must be a TCP port, got '$NGINX_PORT'"
  fi
  [[ $PORT_GIVEN == true && $WITH_NGINX == false ]] && say "--port only applies with --nginx: ignored"
fi

DIR=$(realpath -m "$DIR")
readonly DIR
readonly APP_DIR=$DIR/app
readonly APP_JAR=$APP_DIR/dynamic-rag.jar
readonly NODES_DIR=$DIR/nodes
readonly LOG_DIR=$DIR/logs
readonly NGINX_DIR=$DIR/nginx
readonly DATABASE_MARKER=$DIR/database-created

# --- node bookkeeping --------------------------------------------------------------------------------------
# DIR/nodes/list        node names in start order
# DIR/nodes/<node>.env  the node's own settings (NAME=value lines); DIR/cluster.env the shared ones
# DIR/nodes/<node>.pid  its process id (the JVM, leader of a process group of its own)

node_names() { if [[ -f $NODES_DIR/list ]]; then cat "$NODES_DIR/list"; fi; }
node_setting() { sed -n "s/^$2=//p" "$NODES_DIR/$1.env" | tail -n 1; }
node_pid() { if [[ -f $NODES_DIR/$1.pid ]]; then cat "$NODES_DIR/$1.pid"; fi; }
node_url() { echo "http://127.0.0.1:$(node_setting "$1" PORT)"; }

# a process of this cluster: alive, and running the jar extracted into this DIR (not a recycled pid)
runs_this_app() {
  local pid=$1
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$APP_JAR"
}
node_alive() { runs_this_app "$(node_pid "$1")"; }

nginx_pid() {
  local pid
  pid=$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] && [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$NGINX_DIR" \
    && echo "$pid"
  return 0
}

health_of() {
  local answer
  answer=$(curl -s --max-time 3 "$1/actuator/health" 2>/dev/null || true)
  if [[ $answer == *'"status":"UP"'* ]]; then echo UP
  elif [[ $answer =~ \"status\":\"([A-Z_]+)\" ]]; then echo "${BASH_REMATCH[1]}"
  else echo unreachable
  fi
}

write_nodes_tsv() {
  local node tmp=$DIR/nodes.tsv.tmp
  printf 'node\trole\tport\tpid\turl\n' >"$tmp"
  while IFS= read -r node; do
    printf '%s\t%s\t%s\t%s\t%s\n' "$node" "$(node_setting "$node" RAG_ROLES)" "$(node_setting "$node" PORT)" \
      "$(node_pid "$node")" "$(node_url "$node")" >>"$tmp"
  done < <(node_names)
  mv "$tmp" "$DIR/nodes.tsv"
}

# the environment of a node: the passed-through variables, then the shared settings, then the node's own
env_of_node() {
  local -n out=$2
  local name line file
  out=()
  for name in "${PASSED_THROUGH[@]}"; do
    [[ -n ${!name:-} ]] && out+=("$name=${!name}")
  done
  for file in "$DIR/cluster.env" "$NODES_DIR/$1.env"; do
    while IFS= read -r line; do
      [[ -n $line && $line != \#* ]] && out+=("$line")
    done <"$file"
  done
  return 0
}

java_binary() {
  if [[ -n ${JAVA_HOME:-} ]] && "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

launch_node() {
  local node=$1 settings=() java
  java=$(java_binary)
  env_of_node "$node" settings
  mkdir -p "$LOG_DIR"
  echo "=== $(date -u +%FT%TZ) starting $node" >>"$LOG_DIR/$node.log"
  # setsid: the node leads a process group of its own (stop signals all of it), outlives this script and gets
  # no terminal hang-up; 9>&- keeps this script's DIR lock out of the node
  setsid env -i "${settings[@]}" "$java" "-Xmx$NODE_HEAP" --add-opens=java.base/java.nio=ALL-UNNAMED \
    -jar "$APP_JAR" >>"$LOG_DIR/$node.log" 2>&1 </dev/null 9>&- &
  echo $! >"$NODES_DIR/$node.pid"
}

# the causes named in a node's log (a Spring start failure puts them far above the tail), then its tail
show_log() {
  local log=$LOG_DIR/$1.log
  if grep -qE ' ERROR |^Caused by:' "$log"; then
    say "errors in $log:"
    grep -E ' ERROR |^Caused by:' "$log" | cut -c1-300 | tail -n 8 >&2
  fi
  say "the end of $log:"
  tail -n 30 "$log" >&2
}

# waits until every given node answers UP; on a node that exits or a timeout: its log, then return 1
wait_until_up() {
  local deadline=$((SECONDS + START_SECONDS)) node pending=("$@") still
  while (( ${#pending[@]} > 0 )); do
    still=()
    for node in "${pending[@]}"; do
      if ! node_alive "$node"; then
        say "$node exited before it was UP"
        show_log "$node"
        return 1
      fi
      if [[ $(health_of "$(node_url "$node")") == UP ]]; then
        say "$node UP ($(node_url "$node"))"
      else
        still+=("$node")
      fi
    done
    pending=(${still[@]+"${still[@]}"})
    (( ${#pending[@]} == 0 )) && break
    if (( SECONDS >= deadline )); then
      for node in "${pending[@]}"; do
        say "$node was not UP within $START_SECONDS s"
        show_log "$node"
      done
      return 1
    fi
    sleep 1
  done
}

# signals each pid's process group, waits up to STOP_SECONDS for all of them, then kills what is left
stop_groups() {
  local pid deadline=$((SECONDS + STOP_SECONDS)) left
  (( $# > 0 )) || return 0
  for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  while true; do
    left=()
    for pid in "$@"; do [[ -d /proc/$pid ]] && [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] && left+=("$pid"); done
    (( ${#left[@]} == 0 )) && return 0
    (( SECONDS >= deadline )) && break
    sleep 1
  done
  say "still running after ${STOP_SECONDS} s, killing: ${left[*]}"
  for pid in "${left[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  sleep 1
}

psql_admin() {
  PGCONNECT_TIMEOUT=5 psql -w -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U "$PG_ADMIN_USER" -d postgres "$@"
}

drop_created_database() {
  [[ -f $DATABASE_MARKER ]] || return 0
  local name
  name=$(cat "$DATABASE_MARKER")
  if [[ $name =~ ^rag_cluster_[a-z0-9]+$ ]] && psql_admin -c "DROP DATABASE IF EXISTS $name WITH (FORCE)"; then
    say "dropped database $name"
    rm -f "$DATABASE_MARKER"
  else
    say "could not drop database $name (left in place; drop it by hand)"
  fi
}

stop_cluster() {
  local node pids=() pid
  while IFS= read -r node; do
    if node_alive "$node"; then pids+=("$(node_pid "$node")"); fi
  done < <(node_names)
  pid=$(nginx_pid)
  if [[ -n $pid ]]; then
    say "stopping nginx (pid $pid)"
    stop_groups "$pid"
  fi
  if (( ${#pids[@]} > 0 )); then
    say "stopping ${#pids[@]} node(s): SIGTERM, SIGKILL after ${STOP_SECONDS} s"
    stop_groups "${pids[@]}"
  fi
  drop_created_database
  return 0
}

# one DIR, one command at a time (start and stop racing would leave orphans)
lock_dir() {
  mkdir -p "$DIR"
  exec 9>"$DIR/.lock"
  flock -n 9 || fail "another scripts/cluster.sh command is working on $DIR"
}

# --- start -------------------------------------------------------------------------------------------------

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# sets FREE_PORT to a port nothing listens on and this run has not handed out yet (not in a subshell: it
# remembers what it handed out)
TAKEN_PORTS=" "
FREE_PORT=""
pick_free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 30000))
    [[ $TAKEN_PORTS == *" $port "* ]] && continue
    if ! port_in_use "$port"; then
      TAKEN_PORTS+="$port "
      FREE_PORT=$port
      return 0
    fi
  done
  fail "found no free TCP port"
}

random_token() { head -c "$1" /dev/urandom | base64 -w0; }

ensure_secrets() {
  [[ -s $DIR/secrets.env ]] && return 0
  # shared by every node: tokens signed by one are verified by all, keys encrypted by one decrypted by all
  (umask 077; {
    echo "RAG_JWT_SECRET=$(random_token 48)"
    echo "RAG_MASTER_KEY=$(random_token 32)"
    echo "RAG_UPLOAD_SECRET=$(random_token 48)"
  } >"$DIR/secrets.env")
  say "generated the shared secrets in $DIR/secrets.env"
}

extract_app() {
  local source=$ROOT/$JAR
  [[ -f $source ]] || fail "$JAR is missing: build it first (mvn -B -DskipTests package)"
  if [[ -f $APP_JAR && ! $source -nt $APP_JAR ]]; then
    return 0
  fi
  say "extracting $JAR into $APP_DIR"
  # a copy first: another build may rewrite the jar while it is read
  rm -rf "$DIR/app.tmp" && mkdir -p "$DIR/app.tmp"
  # (same file name: the extracted launcher jar is named after it)
  cp "$source" "$DIR/app.tmp/dynamic-rag.jar"
  "$(java_binary)" -Djarmode=tools -jar "$DIR/app.tmp/dynamic-rag.jar" extract --destination "$DIR/app.tmp/app" >/dev/null \
    || fail "could not extract $JAR"
  rm -rf "$APP_DIR"
  mv "$DIR/app.tmp/app" "$APP_DIR"
  rm -rf "$DIR/app.tmp"
}

create_database() {
  local name
  name=rag_cluster_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')
  psql_admin -c "CREATE DATABASE $name" || fail "could not create database $name as $PG_ADMIN_USER on $PG_HOST:$PG_PORT"
  echo "$name" >"$DATABASE_MARKER"
  say "created database $name"
  DATABASE_URL=postgresql://$PG_ADMIN_USER@$PG_HOST:$PG_PORT/$name
}

# nginx on the PATH, or installed with apt-get; prints nothing and returns 1 when neither works
ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  say "nginx is not installed: installing it with apt-get"
  (
    # shellcheck source=scripts/lib/as-root.sh
    source scripts/lib/as-root.sh
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq \
      && as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        --no-install-recommends nginx >/dev/null
  ) >&2 9>&- || return 1
  hash -r
  command -v nginx >/dev/null 2>&1
}

# infra/deploy/nginx.conf with its "# local:" lines replaced for this machine
render_nginx_conf() {
  local api_ports=$1 as_root=false
  [[ $EUID -eq 0 ]] && as_root=true
  awk -v dir="$NGINX_DIR" -v port="$NGINX_PORT" -v ports="$api_ports" -v as_root="$as_root" '
    function indent() { match($0, /^[ \t]*/); return substr($0, 1, RLENGTH) }
    /# local: error_log$/ { print indent() "error_log " dir "/error.log warn;"; seen["error_log"]++; next }
    /# local: pid$/ { print indent() "pid " dir "/nginx.pid;"; seen["pid"]++; next }
    /# local: temp_paths$/ {
      # as root the workers run as the package default user, whose compiled-in temp paths already work
      if (as_root != "true") {
        split("client_body proxy fastcgi uwsgi scgi", kinds, " ")
        for (i = 1; i <= 5; i++) print indent() kinds[i] "_temp_path " dir "/temp/" kinds[i] ";"
      }
      seen["temp_paths"]++; next
    }
    /# local: access_log$/ { sub(/access_log [^ ]+/, "access_log " dir "/access.log"); sub(/ *# local: access_log$/, ""); print; seen["access_log"]++; next }
    /# local: resolver$/ { seen["resolver"]++; next }
    /# local: api_servers$/ {
      n = split(ports, p, " ")
      for (i = 1; i <= n; i++) print indent() "server 127.0.0.1:" p[i] " max_fails=3 fail_timeout=10s;"
      seen["api_servers"]++; next
    }
    /# local: listen$/ { print indent() "listen 127.0.0.1:" port ";"; seen["listen"]++; next }
    { print }
    END {
      split("error_log pid temp_paths access_log resolver api_servers listen", wanted, " ")
      for (i = 1; i <= 7; i++) if (seen[wanted[i]] != 1) { print "marker missing or repeated: " wanted[i] > "/dev/stderr"; exit 1 }
    }
  ' "$NGINX_TEMPLATE"
}

start_nginx() {
  local api_ports=$1
  mkdir -p "$NGINX_DIR/temp"
  render_nginx_conf "$api_ports" >"$NGINX_DIR/nginx.conf" || return 1
  nginx -t -q -e "$NGINX_DIR/error.log" -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" >&2 \
    || { say "nginx refused the rendered configuration $NGINX_DIR/nginx.conf"; return 1; }
  # daemon mode: the master detaches and writes its pid to DIR/nginx/nginx.pid
  nginx -e "$NGINX_DIR/error.log" -p "$NGINX_DIR/" -c "$NGINX_DIR/nginx.conf" </dev/null >/dev/null 9>&- \
    || { say "nginx did not start; see $NGINX_DIR/error.log"; return 1; }
  local deadline=$((SECONDS + 20))
  until [[ $(health_of "http://127.0.0.1:$NGINX_PORT") == UP ]]; do
    if (( SECONDS >= deadline )); then
      say "nginx on 127.0.0.1:$NGINX_PORT does not pass requests to the api nodes; the end of $NGINX_DIR/error.log:"
      tail -n 20 "$NGINX_DIR/error.log" >&2 || true
      return 1
    fi
    sleep 1
  done
}

any_process_alive() {
  local node
  while IFS= read -r node; do
    node_alive "$node" && return 0
  done < <(node_names)
  [[ -n $(nginx_pid) ]]
}

STARTING=false
abort_start() {
  local status=$?
  if [[ $STARTING == true ]]; then
    trap - EXIT INT TERM
    say "start failed: stopping everything it started"
    stop_cluster
    exit 1
  fi
  exit "$status"
}

start_cluster() {
  lock_dir
  if any_process_alive; then
    fail "a cluster is already running in $DIR (scripts/cluster.sh status --dir $DIR; stop it with scripts/cluster.sh stop --dir $DIR)"
  fi
  # leftovers of a run that was never stopped (its database, its nginx)
  stop_cluster

  command -v curl >/dev/null 2>&1 || fail "curl is missing (apt-get install curl)"
  # 9>&-: a database or Redis server it starts must not hold this script's DIR lock
  scripts/ensure-services.sh 9>&- | sed 's/^/cluster: /' >&2
  command -v psql >/dev/null 2>&1 || fail "psql is missing (apt-get install postgresql-client)"
  extract_app
  ensure_secrets

  local nginx_usable=false
  if [[ $WITH_NGINX == true ]]; then
    if ensure_nginx; then
      nginx_usable=true
      port_in_use "$NGINX_PORT" && fail "port $NGINX_PORT is taken: choose another with --port"
      TAKEN_PORTS+="$NGINX_PORT "
    else
      say "nginx is not on the PATH and could not be installed with apt-get: continuing without it"
    fi
  fi

  STARTING=true
  trap abort_start EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  rm -rf "$NODES_DIR" "$LOG_DIR" "$NGINX_DIR" "$DIR/nodes.tsv"
  mkdir -p "$NODES_DIR" "$LOG_DIR"
  DATABASE_URL=$GIVEN_DATABASE_URL
  if [[ -z $DATABASE_URL ]]; then
    create_database
    # the Lance datasets and blobs of an earlier database mean nothing to a new one
    rm -rf "$DIR/data"
  fi
  mkdir -p "$DIR/data"

  local node port roles api_ports="" names=() i
  for i in $(seq 1 "$API_COUNT"); do names+=("api-$i"); done
  for i in $(seq 1 "$WORKER_COUNT"); do names+=("worker-$i"); done
  for node in "${names[@]}"; do
    pick_free_port
    port=$FREE_PORT
    roles=${node%%-*}
    [[ $roles == api ]] && api_ports+="$port "
    {
      echo "RAG_ROLES=$roles"
      echo "RAG_NODE_ID=$node"
      echo "PORT=$port"
      echo "RAG_ADVERTISED_URL=http://127.0.0.1:$port"
    } >"$NODES_DIR/$node.env"
    echo "$node" >>"$NODES_DIR/list"
  done

  local public_url=http://127.0.0.1:${api_ports%% *}
  [[ $nginx_usable == true ]] && public_url=http://127.0.0.1:$NGINX_PORT
  {
    echo "# shared by every node of this cluster (scripts/cluster.sh); the node's own settings are in nodes/<node>.env"
    echo "DATABASE_URL=$DATABASE_URL"
    echo "REDIS_URL=redis://127.0.0.1:6379"
    echo "RAG_DATA_DIR=$DIR/data"
    echo "RAG_PUBLIC_URL=$public_url"
    echo "LANCE_LOG=error"
    echo "LANCE_CPU_THREADS=4"
    echo "SERVER_ADDRESS=127.0.0.1"
    # behind nginx the client's address comes from X-Forwarded-For (login throttling per address)
    [[ $nginx_usable == true ]] && echo "SERVER_FORWARD_HEADERS_STRATEGY=native"
    cat "$DIR/secrets.env"
    for setting in ${EXTRA_ENV[@]+"${EXTRA_ENV[@]}"}; do echo "$setting"; done
  } >"$DIR/cluster.env"
  chmod 600 "$DIR/cluster.env"

  local started=$SECONDS
  # the first node alone: it migrates the schema and creates the processors' segments before the others race
  say "starting ${names[0]}"
  launch_node "${names[0]}"
  write_nodes_tsv
  wait_until_up "${names[0]}"
  if (( ${#names[@]} > 1 )); then
    say "starting ${names[*]:1}"
    for node in "${names[@]:1}"; do launch_node "$node"; done
    write_nodes_tsv
    wait_until_up "${names[@]:1}"
  fi
  if [[ $nginx_usable == true ]]; then
    say "starting nginx on 127.0.0.1:$NGINX_PORT"
    start_nginx "$api_ports"
  fi
  write_nodes_tsv
  STARTING=false
  trap - EXIT INT TERM

  echo "cluster UP after $((SECONDS - started)) s in $DIR (database ${DATABASE_URL##*/})"
  while IFS= read -r node; do
    printf '  %-10s %-7s %s (pid %s)\n' "$node" "$(node_setting "$node" RAG_ROLES)" "$(node_url "$node")" "$(node_pid "$node")"
  done < <(node_names)
  [[ $nginx_usable == true ]] && printf '  %-10s %-7s %s\n' nginx proxy "http://127.0.0.1:$NGINX_PORT"
  echo "  API: $public_url  logs: $LOG_DIR  nodes: $DIR/nodes.tsv"
  echo "  stop: scripts/cluster.sh stop --dir $DIR"
}

# --- other commands ----------------------------------------------------------------------------------------

status_cluster() {
  [[ -f $NODES_DIR/list ]] || { echo "no cluster in $DIR"; exit 3; }
  local node all_up=true alive health pid
  printf '%-10s %-7s %-7s %-6s %-12s %s\n' node role pid alive health url
  while IFS= read -r node; do
    pid=$(node_pid "$node")
    if node_alive "$node"; then alive=yes; health=$(health_of "$(node_url "$node")"); else alive=no; health=-; fi
    [[ $health == UP ]] || all_up=false
    printf '%-10s %-7s %-7s %-6s %-12s %s\n' "$node" "$(node_setting "$node" RAG_ROLES)" "${pid:--}" "$alive" \
      "$health" "$(node_url "$node")"
  done < <(node_names)
  pid=$(nginx_pid)
  if [[ -n $pid ]]; then
    local port
    port=$(sed -n 's/^ *listen 127\.0\.0\.1:\([0-9]*\);/\1/p' "$NGINX_DIR/nginx.conf" | head -n 1)
    printf '%-10s %-7s %-7s %-6s %-12s %s\n' nginx proxy "$pid" yes "$(health_of "http://127.0.0.1:$port")" \
      "http://127.0.0.1:$port"
  fi
  [[ $all_up == true ]] || exit 3
}

known_node() {
  if [[ ! -f $NODES_DIR/$1.env ]] || ! grep -qxF -- "$1" "$NODES_DIR/list"; then
    fail "no node '$1' in $DIR (nodes: $(node_names | tr '\n' ' '))"
  fi
}

kill_node() {
  lock_dir
  known_node "$NODE"
  if ! node_alive "$NODE"; then
    say "$NODE is not running"
    return 0
  fi
  local pid
  pid=$(node_pid "$NODE")
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  for _ in $(seq 1 20); do node_alive "$NODE" || break; sleep 0.5; done
  say "killed $NODE (pid $pid, SIGKILL)"
}

start_node() {
  lock_dir
  known_node "$NODE"
  node_alive "$NODE" && fail "$NODE is already running (pid $(node_pid "$NODE"))"
  [[ -f $APP_JAR && -f $DIR/cluster.env ]] || fail "$DIR has no started cluster"
  say "starting $NODE with its previous settings"
  launch_node "$NODE"
  write_nodes_tsv
  wait_until_up "$NODE" || exit 1
  echo "$NODE UP: $(node_url "$NODE") (pid $(node_pid "$NODE"))"
}

stop_command() {
  if [[ ! -d $DIR ]]; then
    say "no cluster in $DIR: nothing to stop"
    return 0
  fi
  lock_dir
  stop_cluster
  [[ -f $NODES_DIR/list ]] && write_nodes_tsv
  say "stopped; the logs stay in $LOG_DIR"
}

case "$COMMAND" in
  start) start_cluster ;;
  stop) stop_command ;;
  status) status_cluster ;;
  kill) kill_node ;;
  start-node) start_node ;;
  -h|--help|help) usage ;;
  *) fail "unknown command '$COMMAND' (start, stop, status, kill NODE, start-node NODE)" ;;
esac
