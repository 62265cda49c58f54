# Shared by the scripts: start `alifeed sandbox` in the background and wait for its URL.
# Usage: start_sandbox BIN LOG [sandbox options...]; prints the URL; sets SANDBOX_PID.
start_sandbox() {
  local bin="$1" log="$2"
  shift 2
  "$bin" sandbox --port 0 "$@" >"$log" 2>&1 &
  SANDBOX_PID=$!
  local url=""
  for _ in $(seq 1 100); do
    url="$(sed -n 's/^alifeed sandbox listening on \(http:\/\/[0-9.:]*\).*/\1/p' "$log")"
    if [ -n "$url" ]; then echo "$url"; return 0; fi
    sleep 0.1
  done
  echo "the sandbox did not start:" >&2
  cat "$log" >&2
  return 1
}
