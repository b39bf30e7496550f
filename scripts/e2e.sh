#!/usr/bin/env bash
# The dashboard's end-to-end tests in a real browser against the real packaged app on embedded defaults:
# `node --test --test-concurrency=1 ui/e2e/*.test.mjs` (Debian's Chromium via playwright-core, axe-core), run by
# scripts/with-packaged-app.sh (a fresh app on a free port with temporary data, always stopped afterwards).
# Exits with the test run's status. Screenshots land in ui/target/screenshots/, the app's log in
# ui/target/e2e-app.log.
# Usage: scripts/e2e.sh [extra node --test arguments, e.g. --test-name-pattern=webhook]
# Environment: APP_START_SECONDS (default 180), E2E_TEST_SECONDS (default 600: the whole test run is stopped then)
set -euo pipefail
cd "$(dirname "$0")/.."

readonly TEST_SECONDS="${E2E_TEST_SECONDS:-600}"

fail() { echo "e2e: $*" >&2; exit 1; }

source scripts/lib/node-env.sh
for package in playwright-core @axe-core/playwright; do
  [[ -f ui/node_modules/$package/package.json ]] ||
    fail "ui/node_modules/$package is missing: install the dashboard's packages (ui/build.sh build, or mvn package)"
done
scripts/ensure-chromium.sh
# the test files by name: Node 20 searches a directory argument, Node 22+ (which ensure-node.sh may install) takes
# it as a file and fails (nodejs/node#50219), explicit files work on both
shopt -s nullglob
TEST_FILES=(ui/e2e/*.test.mjs)
shopt -u nullglob
(( ${#TEST_FILES[@]} > 0 )) || fail "no test files in ui/e2e (*.test.mjs)"

rm -rf ui/target/screenshots
exec scripts/with-packaged-app.sh --name e2e --log ui/target/e2e-app.log --timeout "$TEST_SECONDS" -- \
  node --test --test-concurrency=1 "$@" "${TEST_FILES[@]}"
