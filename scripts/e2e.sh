#!/usr/bin/env bash
# Browser end-to-end tests: builds `vanban`, starts `vanban demo` on a local
# port, runs e2e/tests.mjs (playwright-core driving the system Chromium)
# against it, and stops the server again, also on failure.
#
# Usage: scripts/e2e.sh            (from anywhere in the repository)
# Environment:
#   E2E_PROFILE=release|debug  cargo profile to build (default: release)
#   E2E_PORT=N                 port for `vanban demo` (default: a free one)
#   VANBAN_BIN=path            use this binary instead of building one
#   CHROMIUM=path              browser binary (default: /usr/bin/chromium)
# Screenshots of every page visited land in e2e/artifacts/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { echo "e2e: $*" >&2; exit 1; }

# 1. The browser: the distribution's Chromium, never a downloaded one.
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  command -v apt-get >/dev/null || die "$CHROMIUM is missing and apt-get is not available; install Chromium or set CHROMIUM=/path/to/chromium"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "e2e: installing chromium from the distribution's packages" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  [ -x "$CHROMIUM" ] || die "chromium was installed but $CHROMIUM does not exist; set CHROMIUM=/path/to/chromium"
fi
export CHROMIUM

# 2. The test driver: playwright-core only, pinned by e2e/package-lock.json.
command -v npm >/dev/null || die "npm is missing; install Node.js 18 or newer (apt-get install -y nodejs npm)"
(cd e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)

# 3. The program under test.
PROFILE="${E2E_PROFILE:-release}"
if [ -z "${VANBAN_BIN:-}" ]; then
  case "$PROFILE" in
    release) cargo build --release -p vanban-cli ;;
    debug) cargo build -p vanban-cli ;;
    *) die "E2E_PROFILE must be release or debug, not '$PROFILE'" ;;
  esac
  VANBAN_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/$PROFILE/vanban"
fi
[ -x "$VANBAN_BIN" ] || die "no vanban binary at $VANBAN_BIN"

# 4. The server: `vanban demo` on a free local port, stopped on any exit.
if [ -n "${E2E_PORT:-}" ]; then
  PORT="$E2E_PORT"
else
  PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
fi
URL="http://127.0.0.1:$PORT"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/vanban-e2e.XXXXXX")"
LOG="$WORK/demo.log"
SERVER_PID=""
cleanup() {
  status=$?
  if [ -n "$SERVER_PID" ]; then
    # Ctrl-C (SIGINT) is the demo's graceful stop: it then removes its
    # temporary knowledge base. TERM, then KILL, if it does not stop.
    for sig in INT TERM KILL; do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      kill -s "$sig" "$SERVER_PID" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    done
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -s "$LOG" ]; then
    echo "e2e: last lines of the server log ($LOG):" >&2
    tail -n 30 "$LOG" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "e2e: starting $VANBAN_BIN demo --no-open --listen 127.0.0.1:$PORT" >&2
"$VANBAN_BIN" demo --no-open --listen "127.0.0.1:$PORT" >"$LOG" 2>&1 &
SERVER_PID=$!

ready=""
for _ in $(seq 1 240); do
  kill -0 "$SERVER_PID" 2>/dev/null || die "vanban demo exited before answering"
  if node -e 'fetch(process.argv[1],{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' "$URL/"; then
    ready=1
    break
  fi
  sleep 0.5
done
[ -n "$ready" ] || die "vanban demo did not answer at $URL within 120 s"
echo "e2e: server ready at $URL" >&2

# 5. The tests.
rm -rf e2e/artifacts
(cd e2e && VANBAN_URL="$URL" node --test --test-concurrency=1 tests.mjs)
echo "e2e: passed; screenshots in e2e/artifacts/" >&2
