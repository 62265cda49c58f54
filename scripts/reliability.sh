#!/usr/bin/env bash
# Reliability suite (issue 6), against standalone sandboxes on loopback:
#  (a) 10% injected faults (500, truncated JSON, slow answers) and bans: the run completes and its
#      outputs equal a fault-free run's, byte for byte;
#  (b) kill -9 after N pages, during link generation and during the load: rerunning completes,
#      outputs byte-identical to an uninterrupted run, no checkpointed page fetched again;
#  (c) while runs are killed again and again, a reader polling the published feeds never sees a
#      partial file;
#  (d) the app secret appears nowhere in the outputs, the state store, the logs or the summaries.
# Every scenario ends by itself (bounded loops, timeouts). Prints its figures and a closing line.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product alifeed >/dev/null
BIN="$(swift build --show-bin-path)/alifeed"
WORK="$(mktemp -d)"
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

SECRET="rel-secret-$RANDOM$RANDOM-do-not-leak"
KEY="700700"
export SOURCE_DATE_EPOCH=1795000000
passed=0; failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "reliability: FAILED: $1" >&2; fi; }

source scripts/lib/sandbox.sh
sandbox() { # name, extra args...
  local name="$1"; shift
  start_sandbox "$BIN" "$WORK/$name.log" --day 10 --app "$KEY:$SECRET:rel_tracking" "$@" >"$WORK/$name.url" || exit 1
  PIDS+=($SANDBOX_PID)
}
stats() { python3 -c "import json,sys,urllib.request;print(json.loads(urllib.request.urlopen(sys.argv[1]+'/sandbox/stats').read())$2)" "$1"; }

sandbox clean --latency-ms 25
sandbox faulty --latency-ms 25 --fault-rate 0.1 --faults 500,truncated,slow,ban --slow-ms 400
CLEAN="$(cat "$WORK/clean.url")"
FAULTY="$(cat "$WORK/faulty.url")"

cat >"$WORK/rel.yml" <<YAML
name: rel
source:
  endpoint: sandbox
  app_key: $KEY
  app_secret: \${RELIABILITY_SECRET}
  tracking_id: rel_tracking
  rate_limit: {qps: 25, max_in_flight: 4}
  retry: {max_attempts: 8, base_delay_ms: 50, max_delay_ms: 400, max_ban_retries: 50}
extract:
  keywords: [wireless earbuds, smart watch, phone case, led strip, yoga mat, drone, tent, ring]
  pages: 3
  page_size: 40
transform:
  affiliate_links: {enabled: true, batch_size: 20}
load:
  - {type: sqlite, path: out/rel.sqlite}
  - {type: csv, path: out/rel.csv}
  - {type: xml, path: out/rel.xml}
  - {type: xml, profile: google-merchant, path: out/google.xml}
YAML
export RELIABILITY_SECRET="$SECRET"
FEEDS="rel.csv rel.xml google.xml"

run() { # dir, endpoint, extra env...
  local dir="$1" endpoint="$2"; shift 2
  mkdir -p "$dir"
  env "$@" "$BIN" run "$WORK/rel.yml" --endpoint "$endpoint" --output-dir "$dir" -q >>"$dir/stdout.log" 2>>"$dir/stderr.log"
}
same_feeds() { # dirA dirB → number of differing bytes (0 when equal)
  local total=0
  for f in $FEEDS; do
    if ! cmp -s "$1/out/$f" "$2/out/$f"; then
      local n; n="$(cmp -l "$1/out/$f" "$2/out/$f" 2>/dev/null | wc -l || true)"
      local sa sb; sa=$(stat -c %s "$1/out/$f"); sb=$(stat -c %s "$2/out/$f")
      total=$((total + n + (sa > sb ? sa - sb : sb - sa)))
    fi
  done
  echo "$total"
}
refetched() { python3 - "$1/out/.state/rel.sqlite" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM fetch_log WHERE already_checkpointed > 0").fetchone()[0])
PY
}
count_rows() { python3 -c "import sqlite3,sys;print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$1" "$2" 2>/dev/null || echo 0; }

# Reference: an uninterrupted, fault-free run.
run "$WORK/ref" "$CLEAN"
check "reference run published its feeds" "[ -s '$WORK/ref/out/rel.csv' ]"

# (a) faults and bans.
run "$WORK/faulty" "$FAULTY"
FAULTS="$(stats "$FAULTY" "['faults']" | python3 -c "import sys,ast;print(sum(ast.literal_eval(sys.stdin.read()).values()))")"
RETRIES="$(python3 -c "import json;print(json.load(open('$WORK/faulty/out/rel-summary.json'))['retries'])")"
BYTES_A="$(same_feeds "$WORK/ref" "$WORK/faulty")"
check "(a) faults were injected ($FAULTS)" "[ $FAULTS -gt 0 ]"
check "(a) outputs equal the fault-free run ($BYTES_A bytes differ)" "[ $BYTES_A -eq 0 ]"

# (b) kill -9 at several points, then rerun.
KILLS=0; REFETCHED=0; BYTES_B=0
kill_when() { # name, condition (shell), extra env...
  local name="$1" condition="$2"; shift 2
  local dir="$WORK/kill-$name"
  mkdir -p "$dir"
  env "$@" "$BIN" run "$WORK/rel.yml" --endpoint "$CLEAN" --output-dir "$dir" -q >"$dir/stdout.log" 2>"$dir/stderr.log" &
  local pid=$!
  local waited=0
  until eval "$condition" || ! kill -0 "$pid" 2>/dev/null || [ $waited -ge 600 ]; do sleep 0.05; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; wait "$pid" 2>/dev/null || true; KILLS=$((KILLS + 1)); else
    echo "reliability: the $name run ended before it could be killed" >&2; failed=$((failed + 1)); fi
  run "$dir" "$CLEAN"
  local diff; diff="$(same_feeds "$WORK/ref" "$dir")"; BYTES_B=$((BYTES_B + diff))
  local again; again="$(refetched "$dir")"; REFETCHED=$((REFETCHED + again))
  check "(b) $name: resumed outputs equal the uninterrupted run ($diff bytes differ)" "[ $diff -eq 0 ]"
  check "(b) $name: no checkpointed page fetched again ($again)" "[ $again -eq 0 ]"
  grep -q "resuming run" "$dir/stderr.log" || { echo "reliability: $name did not resume" >&2; failed=$((failed + 1)); }
}
state() { echo "$1/out/.state/rel.sqlite"; }
pagefile() { echo "$1/out/.state/rel.pages.sqlite"; }
kill_when after-5-pages "[ \$(count_rows $(pagefile "$WORK/kill-after-5-pages") 'SELECT count(*) FROM pages') -ge 5 ]"
kill_when after-16-pages "[ \$(count_rows $(pagefile "$WORK/kill-after-16-pages") 'SELECT count(*) FROM pages') -ge 16 ]"
kill_when links "[ \$(count_rows $(state "$WORK/kill-links") 'SELECT count(*) FROM links') -ge 40 ]"
kill_when load "grep -q publishing '$WORK/kill-load/stderr.log' 2>/dev/null" ALIFEED_PAUSE_BEFORE_PUBLISH_MS=3000

# (c) a reader polls the published feeds while runs are killed over and over.
READER="$WORK/reader"
mkdir -p "$READER"
cp -r "$WORK/ref/out" "$READER/out"
rm -rf "$READER/out/.state"
python3 - "$READER/out" "$WORK/reader.stop" >"$WORK/reader.result" <<'PY' &
import csv, io, os, sys, time, xml.etree.ElementTree as ET
root, stop = sys.argv[1], sys.argv[2]
reads = partial = 0
deadline = time.time() + 120
while not os.path.exists(stop) and time.time() < deadline:
    for name in ("rel.csv", "rel.xml", "google.xml"):
        path = os.path.join(root, name)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            partial += 1
            continue
        reads += 1
        try:
            if name.endswith(".xml"):
                ET.fromstring(data)
            else:
                text = data.decode("utf-8")
                rows = list(csv.reader(io.StringIO(text, newline="")))
                if not text.endswith("\r\n") or len(rows) < 2 or any(len(r) != len(rows[0]) for r in rows):
                    raise ValueError("incomplete csv")
        except Exception as error:
            partial += 1
            print("partial read of", name, error, file=sys.stderr)
    time.sleep(0.01)
print(reads, partial)
PY
READER_PID=$!
for i in 1 2 3 4 5 6; do
  "$BIN" run "$WORK/rel.yml" --endpoint "$CLEAN" --output-dir "$READER" -q >>"$READER/stdout.log" 2>>"$READER/stderr.log" &
  pid=$!
  sleep "0.$((RANDOM % 9 + 1))"
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; wait "$pid" 2>/dev/null || true; KILLS=$((KILLS + 1)); else wait "$pid" || true; fi
done
run "$READER" "$CLEAN"
touch "$WORK/reader.stop"
wait "$READER_PID"
read -r READS PARTIAL <"$WORK/reader.result"
check "(c) the reader read the feeds ($READS reads)" "[ $READS -gt 50 ]"
check "(c) no partial file was ever seen ($PARTIAL)" "[ $PARTIAL -eq 0 ]"
BYTES_C="$(same_feeds "$WORK/ref" "$READER")"
check "(c) the final run's outputs equal the uninterrupted run ($BYTES_C bytes differ)" "[ $BYTES_C -eq 0 ]"

# (d) the secret is nowhere: outputs, state stores, logs, summaries, catalogs.
LEAKS="$(grep -rla --exclude='*.log' -e "$SECRET" "$WORK"/ref "$WORK"/faulty "$WORK"/kill-* "$WORK"/reader 2>/dev/null | wc -l || true)"
LOG_LEAKS="$(grep -rla -e "$SECRET" "$WORK"/ref/*.log "$WORK"/faulty/*.log "$WORK"/kill-*/*.log "$WORK"/reader/*.log 2>/dev/null | wc -l || true)"
check "(d) the secret is in no output, state store or summary ($LEAKS files)" "[ $LEAKS -eq 0 ]"
check "(d) the secret is in no log ($LOG_LEAKS files)" "[ $LOG_LEAKS -eq 0 ]"

echo
echo "reliability figures:"
printf '  %-34s %s\n' "faults injected" "$FAULTS" "retries made (faulty run)" "$RETRIES" "kills survived (kill -9)" "$KILLS" \
  "pages refetched after checkpoint" "$REFETCHED" "bytes differing from reference" "$((BYTES_A + BYTES_B + BYTES_C))" \
  "reader reads / partial files seen" "$READS / $PARTIAL"
echo "reliability: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
