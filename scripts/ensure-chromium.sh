#!/usr/bin/env bash
# Makes Debian's Chromium (/usr/bin/chromium) available for the dashboard's end-to-end tests, then prints its
# version. Idempotent: when it is there this only prints the version. It installs through apt-get only (fonts come
# with the package); no browser is ever downloaded any other way (playwright-core's own download is not used).
set -euo pipefail

readonly CHROMIUM=/usr/bin/chromium

fail() { echo "ensure-chromium: $*" >&2; exit 1; }

# shellcheck source=lib/as-root.sh
source "$(dirname "$0")/lib/as-root.sh"

if [[ ! -x $CHROMIUM ]]; then
  command -v apt-get >/dev/null 2>&1 || fail "$CHROMIUM is missing and apt-get is not available: install chromium by hand"
  echo "ensure-chromium: installing chromium with apt-get" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [[ -x $CHROMIUM ]] || fail "apt-get installed chromium but $CHROMIUM is still missing"
fi

# the wrapper script of Debian's package prints a harmless shell warning on some hosts: keep only the version line
"$CHROMIUM" --version 2>/dev/null | grep -m1 -i chromium || fail "$CHROMIUM does not run (try: $CHROMIUM --version)"
