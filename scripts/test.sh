#!/usr/bin/env bash
# Runs the whole build with its tests against the real local PostgreSQL and Redis.
# Usage: scripts/test.sh [extra maven arguments], e.g. scripts/test.sh -pl infra -am
# Environment: TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/postgres),
#              TEST_REDIS_URL (default redis://127.0.0.1:6379)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-services.sh

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export TEST_REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"

# a JAVA_HOME that points at a JDK older than 17 would win over the java on the PATH: drop it
if [[ -n ${JAVA_HOME:-} ]] && ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then
  echo "test: ignoring JAVA_HOME=$JAVA_HOME (not a JDK 17+)" >&2
  unset JAVA_HOME
fi

exec mvn -B verify "$@"
