# Sourced by the scripts that run npm (ui/build.sh, integrations/n8n/node/build.sh, scripts/e2e*.sh, bench-ui.sh):
# makes Node.js and npm available (scripts/ensure-node.sh) and puts the Node it may have installed first on the PATH.
_node_env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$_node_env_root/scripts/ensure-node.sh"
if [[ -x "${HOME}/.cache/dynamic-rag/node/node_modules/node/bin/node" ]]; then
  export PATH="${HOME}/.cache/dynamic-rag/node/node_modules/node/bin:$PATH"
fi
unset _node_env_root

# Installs the packages locked in ./package-lock.json with `npm ci`, only when the lock changed since the last
# install (a stamp in node_modules holds its hash): a build does not reinstall hundreds of packages every time.
npm_ci_when_lock_changed() {
  local stamp=node_modules/.installed-lock.sha wanted
  wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [[ ! -f $stamp || "$(cat "$stamp")" != "$wanted" ]]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$wanted" > "$stamp"
  fi
}
