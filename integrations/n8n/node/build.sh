#!/usr/bin/env bash
# Called by Maven (integrations/n8n/node/pom.xml): installs the locked npm packages when package-lock.json changed,
# then lints and builds the n8n community node package, or runs its unit tests.
# Usage: integrations/n8n/node/build.sh build|test
set -euo pipefail
cd "$(dirname "$0")"
source ../../../scripts/lib/node-env.sh
npm_ci_when_lock_changed

# CI=true: the n8n-node CLI prints plain progress lines instead of terminal spinners in the Maven log
case "${1:-build}" in
  build) CI=true npm run lint && CI=true npm run build ;;
  test) npm test ;;
  *) echo "usage: integrations/n8n/node/build.sh build|test" >&2; exit 2 ;;
esac
