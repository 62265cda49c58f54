#!/usr/bin/env bash
# Renders a run report in headless Chromium (Debian's chromium) to a PNG, to see what a user sees.
# Usage: scripts/report-screenshot.sh [REPORT.html] [OUT.png]
# Without arguments it runs a price-watch pipeline on nine sandbox days first (so the report has
# real price history and drops) and screenshots that report.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 || { echo "report-screenshot: chromium is not installed" >&2; exit 1; }
fi

REPORT="${1:-}"
OUT="${2:-output/report.png}"
if [ -z "$REPORT" ]; then
  swift build --product alifeed >/dev/null
  BIN="$(swift build --show-bin-path)/alifeed"
  WORK="output/report-demo"
  rm -rf "$WORK" && mkdir -p "$WORK"
  cat >"$WORK/price-watch.yml" <<YAML
name: price-watch
source:
  endpoint: sandbox
  app_key: 500100
  app_secret: \${ALIEXPRESS_APP_SECRET:-sandbox-demo-secret-0000000000000}
  tracking_id: alifeed_demo
  rate_limit: {qps: 100}
  sandbox: {seed: 1, day: "\${DAY}"}
extract: {keywords: [smart watch, drone, led strip], pages: 1, page_size: 50}
alerts:
  price_drop: {threshold: 10%, window: 30 runs, min_observations: 3}
load:
  - {type: sqlite, path: $WORK/price-watch.sqlite}
  - {type: csv, path: $WORK/price-watch.csv}
YAML
  for day in 1 2 3 4 5 6 7 8 9; do DAY=$day "$BIN" run "$WORK/price-watch.yml" -q >/dev/null; done
  REPORT="$WORK/price-watch-report.html"
fi

mkdir -p "$(dirname "$OUT")"
chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,1600 \
  --screenshot="$OUT" "file://$(realpath "$REPORT")" >/dev/null 2>&1
echo "report-screenshot: $REPORT → $OUT ($(stat -c %s "$OUT") bytes)"
