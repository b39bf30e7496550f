#!/usr/bin/env bash
# Makes sure this machine can build and test the project:
#   - java 17+ and mvn on the PATH (installs openjdk-17-jdk-headless / maven with apt-get when missing),
#   - PostgreSQL answering on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (starts them, or installs them first).
# Idempotent: when everything is already there it only checks and prints one line per service.
#
# Usage: scripts/ensure-services.sh [--tools-only]
#   --tools-only   only java and mvn (what scripts/run.sh needs; the app can run on its embedded PostgreSQL)
# Environment: WAIT_SECONDS (default 60) bounds the wait for the services to answer.
set -euo pipefail

readonly PG_HOST=127.0.0.1 PG_PORT=5432
readonly REDIS_HOST=127.0.0.1 REDIS_PORT=6379
readonly WAIT_SECONDS="${WAIT_SECONDS:-60}"
readonly REDIS_LOG=/var/log/redis/ci.log

tools_only=false
for arg in "$@"; do
  case "$arg" in
    --tools-only) tools_only=true ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "ensure-services: unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

fail() { echo "ensure-services: $*" >&2; exit 1; }

# shellcheck source=lib/as-root.sh
source "$(dirname "$0")/lib/as-root.sh"

apt_updated=false
apt_install() {
  command -v apt-get >/dev/null 2>&1 || fail "apt-get not found; install $* by hand"
  if [[ $apt_updated == false ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt_updated=true
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
    --no-install-recommends "$@" >/dev/null
}

# --- tools -------------------------------------------------------------------------------------------------

# major version of the given java binary, 0 when it does not run ("1.8.0_x" -> 8, "17.0.15" -> 17)
java_major() {
  local version
  version=$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}') || true
  [[ $version == 1.* ]] && version=${version#1.}
  version=${version%%[.+-]*}
  [[ $version =~ ^[0-9]+$ ]] && echo "$version" || echo 0
}

ensure_java() {
  local major=0
  command -v java >/dev/null 2>&1 && major=$(java_major java)
  if (( major >= 17 )); then
    return
  fi
  echo "java: $( ((major > 0)) && echo "version $major is too old" || echo missing), installing openjdk-17-jdk-headless"
  apt_install openjdk-17-jdk-headless
  hash -r
  major=$(java_major java)
  if (( major < 17 )); then
    # another, older JDK is the default: make 17 the default, it is the one this project needs
    local jdk17
    jdk17=$(ls -d /usr/lib/jvm/java-17-openjdk-* 2>/dev/null | head -n 1)
    [[ -n $jdk17 ]] || fail "openjdk-17-jdk-headless installed but no /usr/lib/jvm/java-17-openjdk-* found"
    as_root update-alternatives --set java "$jdk17/bin/java" >/dev/null
    as_root update-alternatives --set javac "$jdk17/bin/javac" >/dev/null || true
    hash -r
    major=$(java_major java)
  fi
  (( major >= 17 )) || fail "java 17+ still not on the PATH after installing openjdk-17-jdk-headless"
}

ensure_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "maven: missing, installing maven"
    apt_install maven
    hash -r
    command -v mvn >/dev/null 2>&1 || fail "maven installed but mvn is not on the PATH"
  fi
}

ensure_java
ensure_maven
if [[ $tools_only == true ]]; then
  exit 0
fi

# --- services ----------------------------------------------------------------------------------------------

postgres_answers() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    timeout 2 bash -c "exec 3<>/dev/tcp/$PG_HOST/$PG_PORT" 2>/dev/null
  fi
}

redis_answers() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ $(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]
  else
    timeout 3 bash -c "exec 3<>/dev/tcp/$REDIS_HOST/$REDIS_PORT && printf 'PING\r\n' >&3 \
      && IFS= read -r reply <&3 && [[ \$reply == +PONG* ]]" 2>/dev/null
  fi
}

# wait_for <name> <check-function> <hint>; bounded by WAIT_SECONDS
wait_for() {
  local name=$1 check=$2 hint=$3 deadline=$((SECONDS + WAIT_SECONDS))
  until "$check"; do
    if (( SECONDS >= deadline )); then
      fail "$name does not answer after ${WAIT_SECONDS}s; $hint"
    fi
    sleep 0.5
  done
}

postgres_version() {
  ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

# trust local TCP logins, so the tests can connect as postgres without a password (only on a cluster we installed)
trust_local_logins() {
  local version=$1 hba
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  [[ -f $hba ]] || return 0
  if ! grep -q 'dynamic-rag: local test access' "$hba"; then
    as_root sed -i '1i # dynamic-rag: local test access (added by scripts/ensure-services.sh)\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
}

start_postgres() {
  local version
  version=$(postgres_version)
  [[ -n $version ]] || fail "PostgreSQL is installed but /etc/postgresql holds no version"
  if [[ ! -d /etc/postgresql/$version/main ]]; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if as_root pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  else
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
}

ensure_postgres() {
  local how="already running" version
  if ! postgres_answers; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [[ -n $(postgres_version) ]]; then
      how="started"
    else
      echo "postgresql: not installed, installing postgresql"
      apt_install postgresql
      trust_local_logins "$(postgres_version)"
      how="installed and started"
    fi
    start_postgres
    version=$(postgres_version)
    wait_for "PostgreSQL on $PG_HOST:$PG_PORT" postgres_answers \
      "see /var/log/postgresql/postgresql-$version-main.log"
  fi
  local note=""
  if command -v psql >/dev/null 2>&1 \
      && ! PGCONNECT_TIMEOUT=3 psql -w -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    note=" - but user postgres cannot log in without a password; the tests need trust auth for 127.0.0.1 or a TEST_DATABASE_URL with the password"
  fi
  echo "postgresql $PG_HOST:$PG_PORT: up ($how)$note"
}

start_redis() {
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir /var/lib/redis --logfile "$REDIS_LOG"
}

ensure_redis() {
  local how="already running"
  if ! redis_answers; then
    if command -v redis-server >/dev/null 2>&1; then
      how="started"
    else
      echo "redis: not installed, installing redis-server"
      apt_install redis-server
      how="installed and started"
    fi
    # the package may have started its own server already
    redis_answers || start_redis
    wait_for "Redis on $REDIS_HOST:$REDIS_PORT" redis_answers "see $REDIS_LOG"
  fi
  echo "redis $REDIS_HOST:$REDIS_PORT: up ($how)"
}

ensure_postgres
ensure_redis
