#!/bin/sh
# Entrypoint of the dynamic-rag image: gives the replica a readable node id and the address other nodes and
# operators reach it at (GET /api/admin/cluster), unless they are set, then runs the JVM as PID 1 so that
# `docker stop`'s SIGTERM reaches Spring's graceful shutdown (the node finishes its work and releases its segments).
set -eu
roles=$(printf '%s' "${RAG_ROLES:-api,worker}" | tr -d ' ' | tr ',' '-')
address=$(hostname -i 2>/dev/null | awk '{print $1}')
export RAG_NODE_ID="${RAG_NODE_ID:-$roles-$(hostname)}"
export RAG_ADVERTISED_URL="${RAG_ADVERTISED_URL:-http://${address:-$(hostname)}:${PORT:-8080}}"
# JAVA_OPTS is split into words on purpose (several options in one variable)
# shellcheck disable=SC2086
exec java $JAVA_OPTS --add-opens=java.base/java.nio=ALL-UNNAMED -jar /app/dynamic-rag.jar "$@"
