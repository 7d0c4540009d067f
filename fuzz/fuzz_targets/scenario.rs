//! Fuzzes everything `heatplan check` does with a scenario file: parsing,
//! validation and, when the scenario is valid, the expansion into calendar,
//! network, activities and model, the inventory and the time windows.
//!
//! Any input must end in `Ok` or in diagnostics: no panic (arithmetic
//! overflow included, fuzz builds have debug assertions), no hang, no huge
//! allocation. Run it with `bash scripts/fuzz.sh` (see the README).

#![no_main]

use heatplan::scenario::Source;
use heatplan::schedule::window::Windows;
use heatplan::Project;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The CLI reads files as UTF-8; anything else never reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = Source {
        file: "fuzz.toml".to_string(),
        text: text.to_string(),
    };
    match Project::load(&source) {
        Ok(project) => {
            let _ = project.inventory();
            let _ = Windows::compute(&project.model.problem);
        }
        Err(diagnostics) => {
            // Every problem is reported with a message and, when the place
            // is known, a line inside the file.
            assert!(!diagnostics.0.is_empty());
            let lines = text.lines().count().max(1);
            for d in &diagnostics.0 {
                assert!(!d.message.is_empty());
                assert!(d.location.line <= lines + 1, "{d}");
            }
            let _ = diagnostics.to_string();
        }
    }
});
