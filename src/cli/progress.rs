//! The solver's progress on the terminal (indicatif; hidden when stderr is
//! not a terminal).

use heatplan::schedule::outcome::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// A spinner line: elapsed, best plan, bound, gap.
pub struct SolveProgress {
    bar: ProgressBar,
}

impl SolveProgress {
    /// Starts the spinner with a label.
    pub fn start(label: &str) -> SolveProgress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} [{elapsed_precise}] {msg}")
                .expect("a valid template"),
        );
        bar.set_prefix(label.to_string());
        bar.set_message("building the first plan…");
        bar.enable_steady_tick(Duration::from_millis(200));
        SolveProgress { bar }
    }

    /// Shows a progress report.
    pub fn update(&self, p: &Progress) {
        let best = p.best.map_or("–".to_string(), |b| b.to_string());
        let gap = if p.gap.is_finite() {
            format!("{:.2} %", 100.0 * p.gap)
        } else {
            "–".into()
        };
        self.bar
            .set_message(format!("best {best}  bound {}  gap {gap}", p.bound));
    }

    /// Removes the spinner.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
