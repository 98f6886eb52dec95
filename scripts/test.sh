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
