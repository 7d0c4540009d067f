#!/usr/bin/env bash
# Runs a cargo-fuzz target for SECONDS (default 600):
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET]
#
# TARGET `scenario` (the default) fuzzes what `heatplan check` does with a
# scenario file (parse, validate, expand, inventory, time windows):
# fuzz/fuzz_targets/scenario.rs, seeds fuzz/seeds. TARGET `replan` fuzzes
# what `heatplan replan` does with a progress ledger or an events file
# before optimising (parse, checks against a baseline plan and a data date,
# re-expansion, re-plan problem, right-shift repair):
# fuzz/fuzz_targets/replan.rs, seeds fuzz/replan_seeds, input layout in
# tests/fuzz_input/replan.rs.
#
# Needs cargo-fuzz (installed from crates.io when missing) and a nightly
# toolchain; without one, the stable toolchain is used with RUSTC_BOOTSTRAP=1.
# New corpus entries go to fuzz/corpus/TARGET (not committed). A crash,
# timeout (10 s) or out-of-memory (2 GB) stops the run and leaves the input
# in fuzz/artifacts/TARGET/: minimise it with `cargo fuzz tmin TARGET FILE`,
# fix the bug, and keep the minimised input as a regression test under
# tests/fuzz_regressions/ (scenario) or tests/fuzz_regressions/replan/
# (replan); see tests/fuzz_regressions.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
target="${2:-scenario}"
case "$target" in
  scenario) seeds=fuzz/seeds ;;
  replan) seeds=fuzz/replan_seeds ;;
  *)
    echo "unknown fuzz target \`$target\`: use scenario or replan" >&2
    exit 2
    ;;
esac
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
mkdir -p "fuzz/corpus/$target"
exec cargo "${toolchain[@]}" fuzz run "$target" "fuzz/corpus/$target" "$seeds" -- \
  -dict="fuzz/$target.dict" -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$seconds" -print_final_stats=1
