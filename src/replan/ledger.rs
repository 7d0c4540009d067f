//! The progress ledger: the ledger.csv template of a plan, filled in.
//!
//! The records come from [`crate::csv_text::records`], each with the line it
//! starts on. [`read`] maps
//! the columns by name (`id`, `actual_start`, `actual_finish`,
//! `percent_complete`, optionally `remaining_days`; others such as the planned
//! dates and remarks are ignored), checks every row against the baseline plan
//! and the data date, and either returns each activity's [`ActivityProgress`] or
//! every problem found, each with its file, line and a fix.

use crate::csv_text::records;
use crate::plan::cpm::NetworkPlan;
use crate::scenario::validate::closest;
use crate::scenario::{Diagnostic, Diagnostics, Location};
use chrono::NaiveDate;
use std::collections::HashMap;

/// How much of an activity in progress is left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Remaining {
    /// Percent complete (0 ≤ p < 100): the rest of the work content is left.
    Percent(f64),
    /// Working days left at the activity's normal pace.
    Days(f64),
}

/// The state of one activity on the data date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ActivityProgress {
    /// Not started (no row, or a row with no progress).
    NotStarted,
    /// Started on `start` and still running.
    InProgress {
        /// Actual start.
        start: NaiveDate,
        /// What is left.
        remaining: Remaining,
    },
    /// Done: first and last day of work.
    Finished {
        /// Actual start.
        start: NaiveDate,
        /// Actual finish (last day of work, inclusive).
        finish: NaiveDate,
    },
}

impl ActivityProgress {
    /// True once work has started.
    pub fn started(&self) -> bool {
        !matches!(self, ActivityProgress::NotStarted)
    }
}

/// Reads a filled-in ledger against the baseline plan: the progress of every
/// activity (in the plan's order), or every problem in the file.
pub fn read(
    file: &str,
    text: &str,
    baseline: &NetworkPlan,
    data_date: NaiveDate,
) -> Result<Vec<ActivityProgress>, Diagnostics> {
    let diag = |line: usize, message: String, help: &str| Diagnostic {
        file: file.to_string(),
        location: Location { line, column: 1 },
        message,
        help: help.to_string(),
    };
    let records = match records(text) {
        Ok(r) => r,
        Err(line) => {
            return Err(Diagnostics(vec![diag(
                line,
                "a quoted field is never closed".into(),
                "close the field with a double quote (write \"\" for a quote inside it)",
            )]))
        }
    };
    let Some((header, rows)) = records.split_first() else {
        return Err(Diagnostics(vec![diag(
            0,
            "the ledger is empty".into(),
            "start from the ledger.csv the plan command wrote and fill in the progress columns",
        )]));
    };
    let col = |name: &str| header.fields.iter().position(|f| f.trim() == name);
    let (Some(c_id), Some(c_start), Some(c_finish), Some(c_pct)) = (
        col("id"),
        col("actual_start"),
        col("actual_finish"),
        col("percent_complete"),
    ) else {
        return Err(Diagnostics(vec![diag(
            header.line,
            format!("the header `{}` lacks a ledger column", header.fields.join(",")),
            "the header must name the columns id, actual_start, actual_finish and percent_complete (remaining_days is optional); start from the ledger.csv the plan command wrote",
        )]));
    };
    let c_rem = col("remaining_days");
    let index = baseline.plan.index_by_id();
    let mut problems = Vec::new();
    let mut progress = vec![ActivityProgress::NotStarted; baseline.plan.activities.len()];
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut row_of = vec![0usize; baseline.plan.activities.len()];
    for r in rows {
        let get = |c: Option<usize>| {
            c.and_then(|c| r.fields.get(c))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let id = get(Some(c_id));
        let Some(&a) = index.get(id) else {
            let hint = closest(id, index.keys().copied())
                .map(|n| format!("did you mean \"{n}\"? "))
                .unwrap_or_default();
            problems.push(diag(
                r.line,
                format!("unknown activity id `{id}`"),
                &format!("{hint}use the ids of the baseline's ledger.csv"),
            ));
            continue;
        };
        if let Some(first) = seen.insert(a, r.line) {
            problems.push(diag(
                r.line,
                format!("activity `{id}` is listed again (first at line {first})"),
                "keep one row per activity",
            ));
            continue;
        }
        row_of[a] = r.line;
        let mut bad = false;
        let mut date = |c: usize, what: &str| -> Option<NaiveDate> {
            let s = get(Some(c));
            if s.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) if d >= data_date => {
                    problems.push(diag(
                        r.line,
                        format!("`{id}`: {what} {d} is not before the data date {data_date}"),
                        "progress records what happened before the data date; the re-plan starts on it",
                    ));
                    bad = true;
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(diag(
                        r.line,
                        format!("`{id}`: {what} `{s}` is not a date"),
                        "write dates as YYYY-MM-DD, e.g. 2022-07-01",
                    ));
                    bad = true;
                    None
                }
            }
        };
        let start = date(c_start, "actual start");
        let finish = date(c_finish, "actual finish");
        let mut number = |c: Option<usize>, what: &str, max: f64| -> Option<f64> {
            let s = get(c);
            if s.is_empty() {
                return None;
            }
            match s.trim_end_matches('%').trim().parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Some(v),
                _ => {
                    let range = if max == 100.0 {
                        "a number from 0 to 100".to_string()
                    } else {
                        "a number of working days, 0 or more".to_string()
                    };
                    problems.push(diag(
                        r.line,
                        format!("`{id}`: {what} `{s}` is not {range}"),
                        &format!("write {range}"),
                    ));
                    bad = true;
                    None
                }
            }
        };
        let pct = number(Some(c_pct), "percent complete", 100.0);
        let rem = number(c_rem, "remaining days", 1e6);
        if bad {
            continue;
        }
        let mut err = |m: String, h: &str| problems.push(diag(r.line, format!("`{id}`: {m}"), h));
        progress[a] = match (start, finish) {
            (None, None) => {
                if pct.is_some_and(|p| p > 0.0) || rem.is_some() {
                    err(
                        "progress is given but no actual start".into(),
                        "fill in actual_start (the first day of work)",
                    );
                }
                ActivityProgress::NotStarted
            }
            (None, Some(_)) => {
                err(
                    "an actual finish is given without an actual start".into(),
                    "fill in actual_start as well",
                );
                ActivityProgress::NotStarted
            }
            (Some(s), Some(f)) => {
                if f < s {
                    err(
                        format!("actual finish {f} is before the actual start {s}"),
                        "correct one of the two dates",
                    );
                } else if pct.is_some_and(|p| p < 100.0) {
                    err(
                        format!(
                            "finished on {f} but only {}% complete",
                            pct.unwrap_or_default()
                        ),
                        "write 100 (or leave percent_complete empty) for finished work, or clear actual_finish if it is still running",
                    );
                } else if rem.is_some_and(|d| d > 0.0) {
                    err(
                        format!("finished on {f} but {} days remaining", rem.unwrap_or_default()),
                        "clear remaining_days for finished work, or clear actual_finish if it is still running",
                    );
                }
                ActivityProgress::Finished {
                    start: s,
                    finish: f,
                }
            }
            (Some(s), None) => match (pct, rem) {
                (Some(p), _) if p >= 100.0 => {
                    err(
                        "100% complete but no actual finish".into(),
                        "fill in actual_finish (the last day of work)",
                    );
                    ActivityProgress::NotStarted
                }
                (Some(_), Some(_)) => {
                    err(
                        "both percent_complete and remaining_days are given".into(),
                        "give one of them",
                    );
                    ActivityProgress::NotStarted
                }
                (Some(p), None) => ActivityProgress::InProgress {
                    start: s,
                    remaining: Remaining::Percent(p),
                },
                (None, Some(d)) => ActivityProgress::InProgress {
                    start: s,
                    remaining: Remaining::Days(d),
                },
                (None, None) => {
                    err(
                        "started but neither percent_complete nor remaining_days is given".into(),
                        "say how much is left: percent_complete (0-99) or remaining_days",
                    );
                    ActivityProgress::NotStarted
                }
            },
        };
    }
    // Logic: work cannot have started while a predecessor has not.
    let acts = &baseline.plan.activities;
    // (A start-to-start link with a negative lag lets the successor start first.)
    for l in baseline
        .links
        .iter()
        .filter(|l| l.handover.is_none() && !(l.kind == "SS" && l.lag < 0))
    {
        let (from, to) = (l.from, l.to);
        if progress[to].started() && !progress[from].started() && seen.contains_key(&to) {
            problems.push(diag(
                row_of[to],
                format!(
                    "`{}` has started but its predecessor `{}` has not",
                    acts[to].id, acts[from].id
                ),
                &format!(
                    "fill in the actual start of `{}`, or correct the progress of `{}`",
                    acts[from].id, acts[to].id
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(progress)
    } else {
        problems.sort_by_key(|d| d.location.line);
        Err(Diagnostics(problems))
    }
}

/// A filled-in ledger for a what-if: every activity went as planned except
/// that `contractor`'s work ran `days` calendar days late, and so did all
/// work that (transitively) waits for it by a precedence or a hand-over of
/// a crew or trench slot, so that no crew or trench is ever used twice at
/// once (a slip on a busy contractor spreads far). Activities that
/// then end before the data date are finished, those that started before it
/// are in progress (percent complete by elapsed calendar days), the rest
/// have not started. Used to measure re-planning and in tests.
pub fn simulate_slip(
    baseline: &NetworkPlan,
    data_date: NaiveDate,
    contractor: &str,
    days: i64,
) -> String {
    let acts = &baseline.plan.activities;
    let mut delay: Vec<i64> = acts
        .iter()
        .map(|a| if a.contractor == contractor { days } else { 0 })
        .collect();
    let links: Vec<(usize, usize)> = baseline.links.iter().map(|l| (l.from, l.to)).collect();
    loop {
        let mut changed = false;
        for &(a, b) in &links {
            if delay[a] > delay[b] {
                delay[b] = delay[a];
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut out = crate::report::csv::Document::new();
    out.row(crate::report::csv::LEDGER_HEADER);
    for (a, d) in acts.iter().zip(delay) {
        let s = a.start + chrono::Duration::days(d);
        let f = a.finish + chrono::Duration::days(d);
        let (st, fi, pct) = if f < data_date {
            (s.to_string(), f.to_string(), "100".to_string())
        } else if s < data_date {
            let done = (data_date - s).num_days() * 100 / ((f - s).num_days() + 1);
            (s.to_string(), String::new(), done.clamp(0, 99).to_string())
        } else {
            (String::new(), String::new(), String::new())
        };
        out.row([
            a.id.as_str(),
            &a.start.to_string(),
            &a.finish.to_string(),
            &st,
            &fi,
            &pct,
            "",
            "",
        ]);
    }
    out.finish()
}
