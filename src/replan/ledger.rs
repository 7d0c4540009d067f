//! The progress ledger: the ledger.csv template of a plan, filled in.
//!
//! The records come from [`crate::csv_text::records`], each with the line it
//! starts on. [`read`] maps
//! the columns by name (`id`, `actual_start`, `actual_finish`,
//! `percent_complete`, optionally `remaining_days`; others such as the planned
//! dates and remarks are ignored), checks every row against the baseline plan
//! and the data date, and either returns each activity's [`ActivityProgress`] or
//! every problem found, each with its file, line and a fix.

use crate::both;
use crate::csv_text::records;
use crate::lang::Both;
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
    let diag = |line: usize, message: Both, help: Both| Diagnostic {
        file: file.to_string(),
        location: Location { line, column: 1 },
        message,
        help,
    };
    let records = match records(text) {
        Ok(r) => r,
        Err(line) => {
            return Err(Diagnostics(vec![diag(
                line,
                both!("a quoted field is never closed", "一个带引号的字段没有闭合"),
                both!(
                    "close the field with a double quote (write \"\" for a quote inside it)",
                    "请用双引号闭合该字段（字段内的引号写成 \"\"）"
                ),
            )]))
        }
    };
    let Some((header, rows)) = records.split_first() else {
        return Err(Diagnostics(vec![diag(
            0,
            both!("the ledger is empty", "进度台账是空的"),
            both!(
                "start from the ledger.csv the plan command wrote and fill in the progress columns",
                "请从 plan 命令写出的 ledger.csv 开始，填写进度各列"
            ),
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
            {
                let h = header.fields.join(",");
                both!(
                    "the header `{h}` lacks a ledger column",
                    "表头 `{h}` 缺少台账的列"
                )
            },
            both!(
                "the header must name the columns id, actual_start, actual_finish and \
                 percent_complete (remaining_days is optional); start from the ledger.csv the \
                 plan command wrote",
                "表头必须含 id、actual_start、actual_finish 和 percent_complete 列\
                 （remaining_days 可选）；请从 plan 命令写出的 ledger.csv 开始"
            ),
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
            let Both {
                en: hint,
                zh: hint_zh,
            } = closest(id, index.keys().copied())
                .map(|n| both!("did you mean \"{n}\"? ", "是不是“{n}”？"))
                .unwrap_or_default();
            problems.push(diag(
                r.line,
                both!("unknown activity id `{id}`", "未知的工作编号 `{id}`"),
                both!(
                    "{hint}use the ids of the baseline's ledger.csv",
                    "{hint_zh}请使用基准计划 ledger.csv 中的编号"
                ),
            ));
            continue;
        };
        if let Some(first) = seen.insert(a, r.line) {
            problems.push(diag(
                r.line,
                both!(
                    "activity `{id}` is listed again (first at line {first})",
                    "工作 `{id}` 重复出现（第一次在第 {first} 行）"
                ),
                both!("keep one row per activity", "每项工作只保留一行"),
            ));
            continue;
        }
        row_of[a] = r.line;
        let mut bad = false;
        let mut date = |c: usize, (what, what_zh): (&str, &str)| -> Option<NaiveDate> {
            let s = get(Some(c));
            if s.is_empty() {
                return None;
            }
            match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) if d >= data_date => {
                    problems.push(diag(
                        r.line,
                        both!(
                            "`{id}`: {what} {d} is not before the data date {data_date}",
                            "`{id}`：{what_zh} {d} 不早于数据日期 {data_date}"
                        ),
                        both!(
                            "progress records what happened before the data date; the re-plan \
                             starts on it",
                            "进度记录的是数据日期之前发生的事；重新计划从数据日期开始"
                        ),
                    ));
                    bad = true;
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    problems.push(diag(
                        r.line,
                        both!(
                            "`{id}`: {what} `{s}` is not a date",
                            "`{id}`：{what_zh} `{s}` 不是日期"
                        ),
                        both!(
                            "write dates as YYYY-MM-DD, e.g. 2022-07-01",
                            "日期请写成 YYYY-MM-DD，例如 2022-07-01"
                        ),
                    ));
                    bad = true;
                    None
                }
            }
        };
        let start = date(c_start, ("actual start", "实际开始"));
        let finish = date(c_finish, ("actual finish", "实际完成"));
        let mut number = |c: Option<usize>, (what, what_zh): (&str, &str), max: f64| {
            let s = get(c);
            if s.is_empty() {
                return None;
            }
            match s.trim_end_matches('%').trim().parse::<f64>() {
                Ok(v) if v.is_finite() && (0.0..=max).contains(&v) => Some(v),
                _ => {
                    let (range, range_zh) = if max == 100.0 {
                        ("a number from 0 to 100", "0 到 100 之间的数")
                    } else {
                        ("a number of working days, 0 or more", "不小于 0 的工作日数")
                    };
                    problems.push(diag(
                        r.line,
                        both!(
                            "`{id}`: {what} `{s}` is not {range}",
                            "`{id}`：{what_zh} `{s}` 不是{range_zh}"
                        ),
                        both!("write {range}", "请写{range_zh}"),
                    ));
                    bad = true;
                    None
                }
            }
        };
        let pct = number(Some(c_pct), ("percent complete", "完成百分比"), 100.0);
        let rem = number(c_rem, ("remaining days", "剩余天数"), 1e6);
        if bad {
            continue;
        }
        let mut err = |m: Both, h: Both| {
            let m = Both::same(format!("`{id}`")).join(&m, ": ", "：");
            problems.push(diag(r.line, m, h))
        };
        progress[a] = match (start, finish) {
            (None, None) => {
                if pct.is_some_and(|p| p > 0.0) || rem.is_some() {
                    err(
                        both!(
                            "progress is given but no actual start",
                            "填了进度但没有实际开始日期"
                        ),
                        both!(
                            "fill in actual_start (the first day of work)",
                            "请填写 actual_start（开始工作的第一天）"
                        ),
                    );
                }
                ActivityProgress::NotStarted
            }
            (None, Some(_)) => {
                err(
                    both!(
                        "an actual finish is given without an actual start",
                        "填了实际完成日期但没有实际开始日期"
                    ),
                    both!("fill in actual_start as well", "请同时填写 actual_start"),
                );
                ActivityProgress::NotStarted
            }
            (Some(s), Some(f)) => {
                if f < s {
                    err(
                        both!(
                            "actual finish {f} is before the actual start {s}",
                            "实际完成 {f} 早于实际开始 {s}"
                        ),
                        both!("correct one of the two dates", "请改正其中一个日期"),
                    );
                } else if pct.is_some_and(|p| p < 100.0) {
                    let p = pct.unwrap_or_default();
                    err(
                        both!(
                            "finished on {f} but only {p}% complete",
                            "{f} 已完成，但完成百分比只有 {p}%"
                        ),
                        both!(
                            "write 100 (or leave percent_complete empty) for finished work, or \
                             clear actual_finish if it is still running",
                            "已完成的工作请写 100（或不填 percent_complete）；如果仍在进行，\
                             请清空 actual_finish"
                        ),
                    );
                } else if rem.is_some_and(|d| d > 0.0) {
                    let d = rem.unwrap_or_default();
                    err(
                        both!(
                            "finished on {f} but {d} days remaining",
                            "{f} 已完成，但还剩 {d} 天"
                        ),
                        both!(
                            "clear remaining_days for finished work, or clear actual_finish if it \
                             is still running",
                            "已完成的工作请清空 remaining_days；如果仍在进行，请清空 actual_finish"
                        ),
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
                        both!(
                            "100% complete but no actual finish",
                            "完成 100% 但没有实际完成日期"
                        ),
                        both!(
                            "fill in actual_finish (the last day of work)",
                            "请填写 actual_finish（工作的最后一天）"
                        ),
                    );
                    ActivityProgress::NotStarted
                }
                (Some(_), Some(_)) => {
                    err(
                        both!(
                            "both percent_complete and remaining_days are given",
                            "同时填了 percent_complete 和 remaining_days"
                        ),
                        both!("give one of them", "请只填其中一个"),
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
                        both!(
                            "started but neither percent_complete nor remaining_days is given",
                            "已开始，但 percent_complete 和 remaining_days 都没填"
                        ),
                        both!(
                            "say how much is left: percent_complete (0-99) or remaining_days",
                            "请说明还剩多少：percent_complete（0-99）或 remaining_days"
                        ),
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
            let (a, b) = (&acts[to].id, &acts[from].id);
            problems.push(diag(
                row_of[to],
                both!(
                    "`{a}` has started but its predecessor `{b}` has not",
                    "`{a}` 已开始，但其紧前工作 `{b}` 还没有开始"
                ),
                both!(
                    "fill in the actual start of `{b}`, or correct the progress of `{a}`",
                    "请填写 `{b}` 的实际开始日期，或改正 `{a}` 的进度"
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
