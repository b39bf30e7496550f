#!/usr/bin/env bash
# The n8n end-to-end run (not in CI: the first run installs n8n from npm, about 8 minutes and 3 GB):
#   1. a real n8n (scripts/ensure-n8n.sh: Node 24 and n8n 2.41.1 under ~/.cache/dynamic-rag),
#   2. the community node package built, linted and packed from integrations/n8n/node,
#   3. the service on embedded defaults (scripts/with-packaged-app.sh; it may fetch pages from 127.0.0.1, where the
#      run serves the pages to scrape),
#   4. integrations/n8n/e2e/run-e2e.mjs: imports every template and the community node into n8n, runs them with
#      `n8n execute` (and the webhook and folder triggers in `n8n start`), and checks in the service that the
#      documents arrived once, completed and are searchable, and that a re-run creates no duplicate. It prints each
#      workflow with pass/fail and exits non-zero if any check failed.
# Screenshots of the workflows in n8n's editor land in integrations/n8n/screenshots (--no-screenshots skips them);
# logs (n8n, S3Mock, the service) in integrations/n8n/e2e/target.
# Usage: scripts/e2e-n8n.sh [--no-screenshots]
# Environment: N8N_VERSION (default 2.41.1), E2E_N8N_SECONDS (default 1800: the whole run is stopped then)
set -euo pipefail
cd "$(dirname "$0")/.."
readonly ROOT=$PWD
readonly OUT="$ROOT/integrations/n8n/e2e/target"
SCREENSHOTS="$ROOT/integrations/n8n/screenshots"
[[ ${1:-} == --no-screenshots ]] && SCREENSHOTS=""

fail() { echo "e2e-n8n: $*" >&2; exit 1; }

source scripts/lib/node-env.sh
N8N_BIN_DIR=$(scripts/ensure-n8n.sh | tail -1)

if [[ ! -f infra/target/dynamic-rag.jar || ! -f infra/target/s3mock/s3mock-exec.jar ]]; then
  echo "e2e-n8n: building the service (mvn -B package -DskipTests)" >&2
  scripts/ensure-services.sh --tools-only >/dev/null
  mvn -B -q package -DskipTests
fi

rm -rf "$OUT" && mkdir -p "$OUT"
echo "e2e-n8n: building and packing the community node" >&2
integrations/n8n/node/build.sh build >"$OUT/node-build.log" 2>&1 || { cat "$OUT/node-build.log" >&2; fail "the node package does not build"; }
TARBALL=$(cd integrations/n8n/node && npm pack --silent --pack-destination "$OUT" | tail -1)
[[ -f $OUT/$TARBALL ]] || fail "npm pack made no tarball"

PLAYWRIGHT_CORE=""
if [[ -n $SCREENSHOTS ]]; then
  PLAYWRIGHT_CORE="$ROOT/ui/node_modules/playwright-core"
  [[ -f $PLAYWRIGHT_CORE/package.json ]] || fail "ui/node_modules/playwright-core is missing (build the dashboard first: mvn package, or ui/build.sh build), or pass --no-screenshots"
  scripts/ensure-chromium.sh
fi

export N8N_BIN_DIR N8N_NODE_TARBALL="$OUT/$TARBALL" S3MOCK_JAR="$ROOT/infra/target/s3mock/s3mock-exec.jar"
export E2E_LOG_DIR="$OUT" E2E_SCREENSHOT_DIR="$SCREENSHOTS" PLAYWRIGHT_CORE CHROMIUM=/usr/bin/chromium
export E2E_WORK
E2E_WORK=$(mktemp -d /tmp/rag-e2e-n8n-XXXXXX)
trap 'rm -rf "$E2E_WORK"' EXIT
# the pages the scraping template sends the service to are served on 127.0.0.1 by the run itself
export RAG_FETCH_ALLOWED_CIDRS=127.0.0.1/32
scripts/with-packaged-app.sh --name e2e-n8n --log "$OUT/service.log" --timeout "${E2E_N8N_SECONDS:-1800}" -- \
  node integrations/n8n/e2e/run-e2e.mjs
