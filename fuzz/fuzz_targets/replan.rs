//! Fuzzes what `heatplan replan` does with a progress ledger (CSV) or an
//! events file (TOML) before optimising: parsing, the checks against a
//! baseline plan and a data date, the re-expansion of the changed scenario,
//! the re-plan problem and the right-shift repair of the baseline.
//!
//! The input's layout and the path are in tests/fuzz_input/replan.rs, which
//! tests/fuzz_regressions.rs shares to replay kept inputs. Any input must
//! end in a re-plan problem or in diagnostics: no panic (arithmetic
//! overflow included, fuzz builds have debug assertions), no hang, no huge
//! allocation. Run it with `bash scripts/fuzz.sh SECONDS replan`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

#[path = "../../tests/fuzz_input/replan.rs"]
mod input;

/// The tutorial scenario's plan, built once.
static BASELINE: LazyLock<input::Baseline> = LazyLock::new(input::baseline);

fuzz_target!(|data: &[u8]| {
    if let Err(e) = input::run(&BASELINE, data) {
        panic!("{e}");
    }
});
