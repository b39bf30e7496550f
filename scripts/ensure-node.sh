#!/usr/bin/env bash
# Makes Node.js >= 20.19 and npm available for the dashboard build (Vite 8 needs it). Idempotent.
# Debian's nodejs is older on some releases: then npm installs the `node` package from the npm registry
# into ~/.cache/dynamic-rag/node and that one is used.
set -euo pipefail

node_ok() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'
}

LOCAL_NODE="${HOME}/.cache/dynamic-rag/node"
if [[ -x "$LOCAL_NODE/node_modules/node/bin/node" ]]; then
  export PATH="$LOCAL_NODE/node_modules/node/bin:$PATH"
fi
if node_ok; then exit 0; fi

if ! command -v npm >/dev/null 2>&1; then
  echo "ensure-node: installing nodejs and npm with apt-get" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if ! node_ok; then
  echo "ensure-node: node $(node --version 2>/dev/null || echo none) is too old; installing node@22 from npm" >&2
  mkdir -p "$LOCAL_NODE"
  npm install --prefix "$LOCAL_NODE" --no-save node@22 >/dev/null
fi
