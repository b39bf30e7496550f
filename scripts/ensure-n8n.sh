#!/usr/bin/env bash
# Installs a real n8n for scripts/e2e-n8n.sh, idempotently, into ~/.cache/dynamic-rag/n8n-<version> (about 3 GB,
# 5-8 minutes the first time; nothing outside that folder is touched):
#   1. Node.js 24 (n8n 2.x requires it) from the npm registry's `node` package, which ships the binary and its
#      C headers,
#   2. n8n itself with --ignore-scripts: several optional native modules (Kafka, Oracle, ...) try to download
#      prebuilt binaries from GitHub in their install scripts, which fails on a machine that only reaches the npm
#      registry; n8n runs without them,
#   3. then builds the one native module it needs, sqlite3 (its default database), from the sources in the
#      package against Node 24's headers (offline).
# Prints the folder that holds bin/node and bin/n8n links on its last line.
# Environment: N8N_VERSION (default 2.41.1), N8N_INSTALL_DIR (default ~/.cache/dynamic-rag/n8n-$N8N_VERSION)
set -euo pipefail

readonly VERSION="${N8N_VERSION:-2.41.1}"
readonly DIR="${N8N_INSTALL_DIR:-$HOME/.cache/dynamic-rag/n8n-$VERSION}"
readonly STAMP="$DIR/.installed"

log() { echo "ensure-n8n: $*" >&2; }

if [[ -f $STAMP && -x $DIR/bin/n8n && -x $DIR/bin/node ]] && "$DIR/bin/n8n" --version 2>/dev/null | grep -qx "$VERSION"; then
  echo "$DIR/bin"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { log "npm is missing: scripts/ensure-node.sh installs it"; exit 1; }
command -v make >/dev/null 2>&1 && command -v g++ >/dev/null 2>&1 ||
  { log "installing make and g++ with apt-get (sqlite3 is built from source)"; apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq make g++ python3 >/dev/null; }

mkdir -p "$DIR/node" "$DIR/app" "$DIR/bin"
rm -f "$STAMP"

if [[ ! -x $DIR/node/node_modules/node/bin/node ]]; then
  log "installing Node.js 24 into $DIR/node"
  [[ -f $DIR/node/package.json ]] || echo '{"name":"n8n-e2e-node","private":true}' > "$DIR/node/package.json"
  npm install --prefix "$DIR/node" --no-audit --no-fund --loglevel=error node@24 >&2
fi
NODE_BIN="$DIR/node/node_modules/node/bin"
# the `node` package unpacks the official tarball (bin/, include/, ...) as its platform package
NODE_HEADERS=$(find "$DIR/node/node_modules" -maxdepth 7 -type f -path '*/include/node/node.h' -print -quit)
NODE_HEADERS=${NODE_HEADERS%/include/node/node.h}
[[ -n $NODE_HEADERS ]] || { log "the node package holds no C headers (include/node/node.h)"; exit 1; }
export PATH="$NODE_BIN:$PATH"

log "installing n8n@$VERSION into $DIR/app with node $(node --version) (several minutes the first time)"
[[ -f $DIR/app/package.json ]] || echo '{"name":"n8n-e2e","private":true}' > "$DIR/app/package.json"
npm install --prefix "$DIR/app" --no-audit --no-fund --loglevel=error --ignore-scripts "n8n@$VERSION" >&2
log "building sqlite3 against Node 24's headers"
(cd "$DIR/app" && npm_config_nodedir="$NODE_HEADERS" npm rebuild --ignore-scripts=false --loglevel=error sqlite3 >&2)

ln -sf "$NODE_BIN/node" "$DIR/bin/node"
cat > "$DIR/bin/n8n" <<LAUNCHER
#!/usr/bin/env bash
export PATH="$NODE_BIN:\$PATH"
exec "$DIR/app/node_modules/.bin/n8n" "\$@"
LAUNCHER
chmod +x "$DIR/bin/n8n"
"$DIR/bin/n8n" --version | grep -qx "$VERSION" || { log "n8n does not start"; exit 1; }
touch "$STAMP"
log "n8n $VERSION ready in $DIR"
echo "$DIR/bin"
