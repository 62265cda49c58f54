#!/usr/bin/env bash
# The CLI end to end, as a user runs it: `alifeed sandbox` as its own process with a QPS limit and
# injected faults, `alifeed run --endpoint` against it, then checks on the outputs and on what the
# sandbox saw (never more calls per second than the limit).
set -euo pipefail
cd "$(dirname "$0")/.."

QPS="${E2E_QPS:-4}"
FAULT_RATE="${E2E_FAULT_RATE:-0.25}"
swift build --product alifeed >/dev/null
BIN="$(swift build --show-bin-path)/alifeed"
WORK="$(mktemp -d)"
LOG="$WORK/sandbox.log"
source scripts/lib/sandbox.sh
start_sandbox "$BIN" "$LOG" --qps "$QPS" --fault-rate "$FAULT_RATE" --slow-ms 300 --day 10 >"$WORK/url" || exit 1
URL="$(cat "$WORK/url")"
trap 'kill $SANDBOX_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

passed=0
failed=0
check() {
  if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "e2e: FAILED: $1" >&2; fi
}

# Slower than the sandbox allows, so bans come only from injected faults.
sed "s/qps: 5,/qps: $(awk "BEGIN{print $QPS*0.9}"),/" pipelines/demo.yml >"$WORK/demo.yml"
set +e
"$BIN" run "$WORK/demo.yml" --endpoint "$URL" --output-dir "$WORK" -q >"$WORK/run.out" 2>"$WORK/run.err"
status=$?
set -e
cat "$WORK/run.out"
check "run exits 0 (got $status: $(tail -3 "$WORK/run.err"))" "[ $status -eq 0 ]"
check "CSV written" "[ -s '$WORK/output/demo.csv' ]"
check "XML written" "[ -s '$WORK/output/demo.xml' ]"
check "SQLite written" "[ -s '$WORK/output/demo.sqlite' ]"
if command -v xmllint >/dev/null; then
  check "xmllint accepts the XML" "xmllint --noout '$WORK/output/demo.xml'"
fi
STATS="$(python3 -c "import json,urllib.request;print(urllib.request.urlopen('$URL/sandbox/stats').read().decode())")"
MAXQPS="$(python3 -c "import json,sys;print(json.loads(sys.argv[1])['maxCallsPerSecond'])" "$STATS")"
FAULTS="$(python3 -c "import json,sys;print(sum(json.loads(sys.argv[1])['faults'].values()))" "$STATS")"
ROWS="$(python3 -c "import csv;print(sum(1 for _ in csv.reader(open('$WORK/output/demo.csv', newline='', encoding='utf-8')))-1)")"
echo "e2e: sandbox saw at most $MAXQPS calls/s (limit $QPS), injected $FAULTS faults; CSV has $ROWS products"
check "never above the QPS limit" "[ $MAXQPS -le $QPS ]"
check "complete CSV ($ROWS rows)" "[ $ROWS -ge 400 ]"

# Invalid pipeline: exit 2 with located messages.
set +e
"$BIN" validate Tests/PipelineTests/Golden/invalid.yml >/dev/null 2>"$WORK/validate.err"
status=$?
set -e
check "validate exits 2 on an invalid file" "[ $status -eq 2 ]"
check "validate names file:line:column" "grep -q 'invalid.yml:11:14: error: extract.page_size' '$WORK/validate.err'"

echo "e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
