#!/usr/bin/env bash
# Runs every test of the repository: formatting, lints, and the whole test
# suite (unit, property, data-driven cases, corpus, CLI). `.ci/run` calls this.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo is not installed: install the Rust toolchain (https://rustup.rs) and run this again" >&2
  exit 2
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy (warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

echo "== cargo test"
cargo test --workspace --all-targets --locked
# Doc tests are not part of --all-targets.
cargo test --workspace --doc --locked

# End-to-end in a real browser against `vanban demo` (installs Chromium and
# playwright-core when missing). Reuses the debug binary `cargo test` built.
# VANBAN_SKIP_E2E=1 skips it on a machine without a browser (never in CI).
if [ "${VANBAN_SKIP_E2E:-}" = 1 ] && [ "${CI:-}" != true ]; then
  echo "== browser end-to-end tests skipped (VANBAN_SKIP_E2E=1)"
else
  echo "== browser end-to-end tests (scripts/e2e.sh)"
  E2E_PROFILE=debug bash scripts/e2e.sh
fi
