//! The solver's progress on the terminal (indicatif; hidden when stderr is
//! not a terminal), in the language of the run.

use heatplan::lang::Both;
use heatplan::schedule::outcome::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::time::Duration;

/// A spinner line: elapsed, best plan, bound, gap.
pub struct SolveProgress {
    bar: ProgressBar,
}

impl SolveProgress {
    /// Starts the spinner with a label.
    pub fn start(label: Both) -> SolveProgress {
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} [{elapsed_precise}] {msg}")
                .expect("a valid template"),
        );
        bar.set_prefix(super::words(label));
        bar.set_message(super::words(heatplan::both!(
            "building the first plan…",
            "正在生成第一个计划…"
        )));
        bar.enable_steady_tick(Duration::from_millis(200));
        SolveProgress { bar }
    }

    /// Shows a progress report.
    pub fn update(&self, p: &Progress) {
        self.bar.set_message(progress_line(p, 2));
    }

    /// Removes the spinner.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// "best … bound … gap …" of a progress report in the language of the run,
/// the gap with `decimals` decimals.
pub fn progress_line(p: &Progress, decimals: usize) -> String {
    let best = p.best.map_or("–".to_string(), |b| b.to_string());
    let gap = if p.gap.is_finite() {
        format!("{:.*} %", decimals, 100.0 * p.gap)
    } else {
        "–".into()
    };
    let bound = p.bound;
    super::words(heatplan::both!(
        "best {best}  bound {bound}  gap {gap}",
        "最好 {best}  下界 {bound}  差距 {gap}"
    ))
}
