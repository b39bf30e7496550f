# Sourced by the ensure-* scripts: runs a command as root (directly, or through passwordless sudo), else fails with
# the caller's fail function.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@" || fail "needs root for: $* (run as root or allow passwordless sudo)"
  else
    fail "needs root for: $* (run as root or install sudo)"
  fi
}
