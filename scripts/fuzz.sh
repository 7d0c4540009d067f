#!/usr/bin/env bash
# Fuzzes what `heatplan check` does with a scenario file (parse, validate,
# expand, inventory, time windows): fuzz/fuzz_targets/scenario.rs.
#
#   bash scripts/fuzz.sh [SECONDS]        # default 600
#
# Needs cargo-fuzz (installed from crates.io when missing) and a nightly
# toolchain; without one, the stable toolchain is used with RUSTC_BOOTSTRAP=1.
# New corpus entries go to fuzz/corpus/scenario (not committed); the seeds
# are fuzz/seeds. A crash, timeout (10 s) or out-of-memory (2 GB) stops the
# run and leaves the input in fuzz/artifacts/scenario/: minimise it with
# `cargo fuzz tmin scenario FILE`, fix the bug, and keep the minimised input
# as a regression test under tests/fuzz_regressions/ (see
# tests/fuzz_regressions.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
mkdir -p fuzz/corpus/scenario
exec cargo "${toolchain[@]}" fuzz run scenario fuzz/corpus/scenario fuzz/seeds -- \
  -dict=fuzz/scenario.dict -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1
