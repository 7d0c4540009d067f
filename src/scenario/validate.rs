//! Validation.
use super::{Diagnostic, Scenario, Source};
/// Lists every problem found in a parsed scenario.
pub fn validate(_s: &Scenario, _src: &Source) -> Vec<Diagnostic> {
    Vec::new()
}
