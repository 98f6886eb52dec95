#!/usr/bin/env bash
# Checks that tests/devset.rs scores the dev set as ../shared/dev/score.py
# scores the release binary of the same checkout: builds `vanban`, runs both,
# and compares their tables. (The test itself already runs score.py on the
# JSON lines it produced in-process; this also covers the CLI's own path.)
set -euo pipefail
cd "$(dirname "$0")/.."
dev=../shared/dev
[ -f "$dev/score.py" ] || { echo "no $dev/score.py beside the repository" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p vanban-cli --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PYTHONDONTWRITEBYTECODE=1 python3 "$dev/score.py" "$target/release/vanban" >"$tmp/score.py.txt"
cargo test -p vanban-extract --test devset --quiet -- --nocapture >"$tmp/test.txt" 2>&1 || true
# The test prints the table between its heading and the first blank line.
sed -n '/^dev set, scored as/,/^extract F1/p' "$tmp/test.txt" | sed '1,2d' >"$tmp/port.txt"
if diff -u "$tmp/score.py.txt" "$tmp/port.txt"; then
  echo "identical: score.py on target/release/vanban and tests/devset.rs"
  cat "$tmp/port.txt"
else
  echo "tests/devset.rs and score.py differ (above: - score.py, + the test)" >&2
  exit 1
fi
