#!/usr/bin/env bash
# Called by Maven (ui/pom.xml): installs the locked npm packages when package-lock.json changed, then builds or
# tests the dashboard. Usage: ui/build.sh build|test
set -euo pipefail
cd "$(dirname "$0")"
source ../scripts/lib/node-env.sh
npm_ci_when_lock_changed

case "${1:-build}" in
  build) npm run build ;;
  test) npm test ;;
  *) echo "usage: ui/build.sh build|test" >&2; exit 2 ;;
esac
