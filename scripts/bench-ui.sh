#!/usr/bin/env bash
# The dashboard's budget (a benchmark, not a test): JavaScript of the first load of / (gzipped, budget 300 KB) and
# the overview's time to interactive with 1,000 documents in the tenant (budget 1 s), measured in Debian's Chromium
# against the packaged app on embedded defaults (scripts/with-packaged-app.sh). Prints the figures; exits 1 when a
# budget is missed. Builds the jar first when it is missing.
# Usage: scripts/bench-ui.sh   Environment: BENCH_DOCUMENTS (1000), BENCH_RUNS (15 cold loads)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/node-env.sh
[[ -f infra/target/dynamic-rag.jar && -f ui/node_modules/playwright-core/package.json ]] || mvn -B -q -DskipTests package
scripts/ensure-chromium.sh

exec scripts/with-packaged-app.sh --name bench-ui --timeout 3600 -- node ui/bench/budget.mjs
