//! Running variants side by side: a pool of threads over the cores and the
//! indicatif display (one spinner per running variant above an overall bar,
//! hidden when stderr is not a terminal).

use heatplan::schedule::outcome::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The multi-progress display: one spinner per running variant above an
/// overall bar (hidden when stderr is not a terminal).
pub(super) struct Ui {
    multi: MultiProgress,
    /// The overall bar (its length grows level by level in a search).
    pub overall: ProgressBar,
}

impl Ui {
    /// A display for `n` variants.
    pub fn new(n: usize) -> Ui {
        let multi = MultiProgress::new();
        let overall = multi.add(ProgressBar::new(n as u64));
        overall.set_style(
            ProgressStyle::with_template(
                "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} variants",
            )
            .expect("a valid template"),
        );
        overall.set_prefix("compare");
        overall.enable_steady_tick(Duration::from_millis(500));
        Ui { multi, overall }
    }

    /// Removes the display.
    pub fn finish(&self) {
        self.overall.finish_and_clear();
    }

    fn spinner(&self, label: &str) -> ProgressBar {
        let bar = self
            .multi
            .insert_before(&self.overall, ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {prefix:30!} {msg}")
                .expect("a valid template"),
        );
        bar.set_prefix(label.to_string());
        bar.set_message("first plan…");
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

/// Shows a solve's progress on its spinner.
pub(super) fn show(bar: &ProgressBar, p: &Progress) {
    let best = p.best.map_or("–".to_string(), |b| b.to_string());
    let gap = if p.gap.is_finite() {
        format!("{:.1} %", 100.0 * p.gap)
    } else {
        "–".into()
    };
    bar.set_message(format!("best {best}  bound {}  gap {gap}", p.bound));
}

/// Runs `work` on `indices` with `jobs` threads, each item with its own
/// spinner labelled from `labels`; stops taking new items once `stop` is raised. Returns the
/// finished items' results.
pub(super) fn pool<T: Send>(
    indices: &[usize],
    jobs: usize,
    stop: &AtomicBool,
    ui: &Ui,
    labels: &[&str],
    work: impl Fn(usize, &ProgressBar) -> T + Sync,
) -> Vec<(usize, T)> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(indices.len()) {
            s.spawn(|| loop {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Some(&i) = indices.get(next.fetch_add(1, Ordering::SeqCst)) else {
                    break;
                };
                let bar = ui.spinner(labels[i]);
                let result = work(i, &bar);
                bar.finish_and_clear();
                ui.overall.inc(1);
                done.lock()
                    .expect("no panic while holding")
                    .push((i, result));
            });
        }
    });
    done.into_inner().expect("no panic while holding")
}
