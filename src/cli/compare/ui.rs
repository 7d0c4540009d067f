//! The terminal display of a running comparison (indicatif): one spinner
//! per running variant above an overall bar, hidden when stderr is not a
//! terminal.

use heatplan::compare::search::{Phase, Watch};
use heatplan::schedule::outcome::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::time::Duration;

/// The bars of the current phase, if one has started.
#[derive(Default)]
pub(super) struct Bars {
    current: Option<Ui>,
    phase: Option<Phase>,
    /// When the current phase started.
    since: Option<std::time::Instant>,
    /// Wall-clock time spent simulating (`Phase::Risk`), all phases summed.
    pub(super) risk_time: Duration,
}

/// One phase's display: the spinners above an overall bar whose length
/// grows as variants are queued.
struct Ui {
    multi: MultiProgress,
    overall: ProgressBar,
}

impl Ui {
    fn new(prefix: String) -> Ui {
        let multi = MultiProgress::new();
        let overall = multi.add(ProgressBar::new(0));
        let template = crate::cli::words(heatplan::both!(
            "{{prefix}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} variants",
            "{{prefix}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} 个方案"
        ));
        overall.set_style(ProgressStyle::with_template(&template).expect("a valid template"));
        overall.set_prefix(prefix);
        overall.enable_steady_tick(Duration::from_millis(500));
        Ui { multi, overall }
    }
}

impl Watch for Bars {
    type Job = Option<ProgressBar>;

    fn phase(&mut self, phase: Phase) {
        self.finish();
        self.phase = Some(phase);
        self.since = Some(std::time::Instant::now());
        self.current = Some(Ui::new(crate::cli::words(match phase {
            Phase::Solve => heatplan::both!("compare", "比较中"),
            Phase::Prove => heatplan::both!("proving", "证明中"),
            Phase::Risk => heatplan::both!("simulating", "模拟中"),
        })));
    }

    fn queued(&self, n: usize) {
        if let Some(ui) = &self.current {
            ui.overall.inc_length(n as u64);
        }
    }

    fn start(&self, label: &str) -> Option<ProgressBar> {
        let ui = self.current.as_ref()?;
        let bar = ui
            .multi
            .insert_before(&ui.overall, ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {prefix:30!} {msg}")
                .expect("a valid template"),
        );
        bar.set_prefix(label.to_string());
        bar.set_message(crate::cli::words(match self.phase {
            Some(Phase::Risk) => heatplan::both!("sampling futures…", "抽样模拟中…"),
            _ => heatplan::both!("first plan…", "第一个计划…"),
        }));
        bar.enable_steady_tick(Duration::from_millis(200));
        Some(bar)
    }

    fn progress(&self, job: &Option<ProgressBar>, p: &Progress) {
        let Some(bar) = job else {
            return;
        };
        bar.set_message(crate::cli::progress::progress_line(p, 1));
    }

    fn done(&self, job: Option<ProgressBar>) {
        if let Some(bar) = job {
            bar.finish_and_clear();
        }
        if let Some(ui) = &self.current {
            ui.overall.inc(1);
        }
    }

    fn finish(&mut self) {
        if let Some(ui) = self.current.take() {
            ui.overall.finish_and_clear();
        }
        if let (Some(Phase::Risk), Some(since)) = (self.phase, self.since.take()) {
            self.risk_time += since.elapsed();
        }
    }
}
