#!/usr/bin/env bash
# Builds the application when its sources changed, then runs it in the foreground.
# With no DATABASE_URL the app starts its own embedded PostgreSQL under $RAG_DATA_DIR/postgres.
# Usage: scripts/run.sh [--rebuild] [application arguments, e.g. --server.port=8081]
# Environment: RAG_DATA_DIR (default ./data), DATABASE_URL, LANCE_LOG (default error), LANCE_CPU_THREADS (default 4),
#   JAVA_OPTS (extra JVM options, e.g. a Flight Recorder recording)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly JAR=infra/target/dynamic-rag.jar
# Run from Spring Boot's extracted layout, not the nested fat jar: it starts faster, and Lance's native threads
# can load Lance's Java classes from a plain jar (from inside a nested jar they cannot).
readonly APP_DIR=infra/target/app

rebuild=false
app_args=()
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=true ;;
    *) app_args+=("$arg") ;;
  esac
done

scripts/ensure-services.sh --tools-only

if [[ -n ${JAVA_HOME:-} ]] && ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  echo "run: ignoring JAVA_HOME=$JAVA_HOME (not a JDK 17+)" >&2
  unset JAVA_HOME
fi

# is any source or pom newer than the jar?
sources_changed() {
  local inputs
  shopt -s nullglob
  inputs=(pom.xml */pom.xml */src)
  shopt -u nullglob
  [[ -n $(find "${inputs[@]}" -name node_modules -prune -o -type f -newer "$JAR" -print -quit) ]]
}

if [[ $rebuild == true || ! -f $JAR ]] || sources_changed; then
  echo "run: building $JAR" >&2
  mvn -B -DskipTests package
fi

export LANCE_LOG="${LANCE_LOG:-error}"
# Lance 7.0 can deadlock building a full-text index when its CPU pool has too few threads (2-core hosts):
# lancedb/lancedb#3568; at least 4 avoided it here
export LANCE_CPU_THREADS="${LANCE_CPU_THREADS:-4}"
export RAG_DATA_DIR="${RAG_DATA_DIR:-./data}"

if [[ ! -f $APP_DIR/dynamic-rag.jar || $JAR -nt $APP_DIR/dynamic-rag.jar ]]; then
  rm -rf "$APP_DIR"
  java -Djarmode=tools -jar "$JAR" extract --destination "$APP_DIR" >/dev/null
fi

# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$APP_DIR/dynamic-rag.jar" ${app_args[@]+"${app_args[@]}"}
