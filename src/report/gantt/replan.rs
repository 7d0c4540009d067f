//! What a re-plan's Gantt chart adds to the plan's: the data-date line,
//! a baseline bar under every activity whose dates moved (the dates of the
//! plan re-planned), and the done part of every started bar.
//!
//! The done part is the stretch of a bar before the data date, drawn as a
//! dark band through the bar: all of a finished activity, the days from its
//! actual start to the data date of a running one. What is left of a bar is
//! the work still to do. The baseline bar is a thin grey bar just under the
//! activity's bar (a hollow grey diamond for a milestone), with the previous
//! dates in its tooltip.

use super::{DAY_W, TOP};
use crate::both;
use crate::lang::{Both, Lang};
use crate::plan::cpm::NetworkPlan;
use crate::plan::variance::Variance;
use crate::report::xml::esc;
use std::collections::HashMap;
use std::fmt::Write;

/// Colour of the data-date line.
const DATA_DATE: &str = "#2ca02c";
/// Colour of the baseline bars.
const BASELINE: &str = "#8a8a8a";
/// Colour of the done band.
const DONE: &str = "#222222";
/// Colour of the bars in the legend (a step's colour).
const BAR: &str = "#3182bd";

/// The re-plan's view of each activity, by position in the plan.
pub(super) struct Overlay {
    /// The data date's day index.
    pub data_day: i64,
    /// The baseline's (first day, end day exclusive; for a milestone its
    /// drawing day twice) of each activity whose dates moved.
    baseline: Vec<Option<(i64, i64, String)>>,
    /// The day the done part of each started activity's bar ends.
    done_until: Vec<Option<i64>>,
    /// Whether each activity finished before the data date.
    finished: Vec<bool>,
}

impl Overlay {
    /// The overlay of re-plan `np` against its variance.
    pub fn new(np: &NetworkPlan, variance: &Variance) -> Overlay {
        let data_day = np.day_of(variance.data_date);
        let moved: HashMap<&str, _> = variance
            .activities
            .iter()
            .filter(|v| v.baseline != v.new)
            .map(|v| (v.id.as_str(), v))
            .collect();
        let started: HashMap<&str, bool> = np
            .actuals
            .iter()
            .map(|a| (a.id.as_str(), a.finished()))
            .collect();
        let acts = &np.plan.activities;
        let baseline = acts
            .iter()
            .map(|a| {
                let v = moved.get(a.id.as_str())?;
                let (s, f) = v.baseline;
                let title = format!("{s} – {f}");
                Some(if a.duration_days == 0 {
                    // A milestone is drawn at the close of its date.
                    (np.day_of(f) + 1, np.day_of(f) + 1, title)
                } else {
                    (np.day_of(s), np.day_of(f) + 1, title)
                })
            })
            .collect();
        let done_until = acts
            .iter()
            .map(|a| {
                let finished = *started.get(a.id.as_str())?;
                let end = a.end_day as i64;
                Some(if finished { end } else { end.min(data_day) })
            })
            .collect();
        let finished = acts
            .iter()
            .map(|a| started.get(a.id.as_str()) == Some(&true))
            .collect();
        Overlay {
            data_day,
            baseline,
            done_until,
            finished,
        }
    }

    /// True when activity `i` finished before the data date.
    pub fn finished(&self, i: usize) -> bool {
        self.finished[i]
    }

    /// The last day any baseline bar reaches.
    pub fn last_day(&self) -> i64 {
        self.baseline
            .iter()
            .flatten()
            .map(|b| b.1)
            .max()
            .unwrap_or(0)
            .max(self.data_day)
    }

    /// Draws the baseline bar (or diamond) of activity `i` under its bar
    /// at `by` (the bar's top), if its dates moved.
    pub fn draw_baseline(
        &self,
        o: &mut String,
        i: usize,
        id: &str,
        by: f64,
        x: &dyn Fn(i64) -> f64,
        lang: Lang,
    ) {
        let Some((s, e, dates)) = &self.baseline[i] else {
            return;
        };
        let title = esc(&format!("{}: {dates}", words::baseline().get(lang)));
        if s == e {
            let (cx, cy) = (x(*s), by + 3.5);
            let _ = writeln!(
                o,
                r#"<polygon class="baseline" data-activity="{id}" points="{:.1},{:.1} {:.1},{cy:.1} {cx:.1},{:.1} {:.1},{cy:.1}" fill="none" stroke="{BASELINE}" stroke-width="1"><title>{title}</title></polygon>"#,
                cx,
                cy - 5.0,
                cx + 5.0,
                cy + 5.0,
                cx - 5.0
            );
            return;
        }
        let _ = writeln!(
            o,
            r#"<rect class="baseline" data-activity="{id}" x="{:.1}" y="{:.1}" width="{:.1}" height="2" fill="{BASELINE}"><title>{title}</title></rect>"#,
            x(*s),
            by + 7.2,
            ((e - s) as f64 * DAY_W).max(1.5)
        );
    }

    /// Draws the done part of activity `i`'s bar (from `start` at `bx`,
    /// the bar's top at `by`), if it has started.
    pub fn draw_done(&self, o: &mut String, i: usize, id: &str, start: i64, bx: f64, by: f64) {
        let Some(until) = self.done_until[i] else {
            return;
        };
        if until <= start {
            return;
        }
        let _ = writeln!(
            o,
            r#"<rect class="done" data-activity="{id}" x="{bx:.1}" y="{:.1}" width="{:.1}" height="3" fill="{DONE}"/>"#,
            by + 2.0,
            (until - start) as f64 * DAY_W
        );
    }

    /// Draws the data-date line over the chart, with its date.
    pub fn draw_data_date(
        &self,
        o: &mut String,
        np: &NetworkPlan,
        x: &dyn Fn(i64) -> f64,
        bottom: f64,
        lang: Lang,
    ) {
        let xd = x(self.data_day);
        let label = format!(
            "{} {}",
            words::data_date().get(lang),
            np.date_of(self.data_day)
        );
        let _ = writeln!(
            o,
            r#"<g class="data-date"><line class="data-date" data-day="{}" x1="{xd:.1}" y1="{:.1}" x2="{xd:.1}" y2="{bottom:.1}" stroke="{DATA_DATE}" stroke-width="1.6"/><text x="{:.1}" y="{:.1}" fill="{DATA_DATE}" font-weight="bold">{}</text></g>"#,
            self.data_day,
            TOP - 20.0,
            xd + 3.0,
            TOP - 22.0,
            esc(&label)
        );
    }

    /// The legend's texts, in the order [`Overlay::draw_legend`] draws them.
    pub fn legend_texts(lang: Lang) -> [String; 4] {
        [
            words::done(),
            words::remaining(),
            words::baseline(),
            words::data_date(),
        ]
        .map(|w| w.get(lang).to_string())
    }

    /// Draws the legend entries from `lx` on (moving it past them).
    pub fn draw_legend(o: &mut String, lx: &mut f64, ly: f64, lang: Lang) {
        let [done, remaining, baseline, data_date] = Overlay::legend_texts(lang);
        let bar = |lx: f64| {
            format!(
                r#"<rect x="{lx:.1}" y="{:.1}" width="11" height="8" fill="{BAR}"/>"#,
                ly - 8.0
            )
        };
        let sw = format!(
            r#"{}<rect x="{:.1}" y="{:.1}" width="11" height="3" fill="{DONE}"/>"#,
            bar(*lx),
            *lx,
            ly - 6.0
        );
        super::legend_item(o, lx, ly, &sw, &done);
        let sw = bar(*lx);
        super::legend_item(o, lx, ly, &sw, &remaining);
        let sw = format!(
            r#"<rect x="{:.1}" y="{:.1}" width="11" height="2" fill="{BASELINE}"/>"#,
            *lx,
            ly - 3.0
        );
        super::legend_item(o, lx, ly, &sw, &baseline);
        let sw = format!(
            r#"<line x1="{0:.1}" y1="{1:.1}" x2="{0:.1}" y2="{ly:.1}" stroke="{DATA_DATE}" stroke-width="1.6"/>"#,
            *lx + 5.0,
            ly - 10.0
        );
        super::legend_item(o, lx, ly, &sw, &data_date);
    }
}

/// The legend's words.
mod words {
    use super::*;

    pub fn done() -> Both {
        both!("done (before the data date)", "已完成（数据日期前）")
    }

    pub fn remaining() -> Both {
        both!("remaining", "剩余工作")
    }

    pub fn baseline() -> Both {
        both!("baseline (plan re-planned)", "基线（上一版计划）")
    }

    pub fn data_date() -> Both {
        both!("data date", "数据日期")
    }
}
