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
use crate::plan::progress::Actual;
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
    /// Running as the plan being re-planned has it: it ends on its planned
    /// end (work reported running earlier and not reported again).
    AsPlanned,
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

    /// True once work has finished.
    pub fn finished(&self) -> bool {
        matches!(self, ActivityProgress::Finished { .. })
    }

    /// The progress a stored actual records.
    pub fn of_actual(a: &Actual) -> ActivityProgress {
        match a.finish {
            Some(finish) => ActivityProgress::Finished {
                start: a.start,
                finish,
            },
            None => ActivityProgress::InProgress {
                start: a.start,
                remaining: match (a.percent_complete, a.remaining_days) {
                    (Some(p), _) => Remaining::Percent(p),
                    (None, Some(d)) => Remaining::Days(d),
                    (None, None) => Remaining::AsPlanned,
                },
            },
        }
    }

    /// The actual record of `id`, reported on `data_date` (`None` when not
    /// started).
    pub fn actual(&self, id: &str, data_date: NaiveDate) -> Option<Actual> {
        let (start, finish, pct, days) = match *self {
            ActivityProgress::NotStarted => return None,
            ActivityProgress::Finished { start, finish } => (start, Some(finish), None, None),
            ActivityProgress::InProgress { start, remaining } => match remaining {
                Remaining::Percent(p) => (start, None, Some(p), None),
                Remaining::Days(d) => (start, None, None, Some(d)),
                Remaining::AsPlanned => (start, None, None, None),
            },
        };
        Some(Actual {
            id: id.to_string(),
            start,
            finish,
            percent_complete: pct,
            remaining_days: days,
            reported: data_date,
        })
    }
}

/// A ledger read and merged with the actuals the plan already records.
#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    /// Progress of every activity of the plan, in the plan's order.
    pub progress: Vec<ActivityProgress>,
    /// Things accepted under a rule the user should know of (progress out
    /// of sequence, running work assumed on plan), each with its line.
    pub warnings: Vec<Diagnostic>,
}

impl Ledger {
    /// The actual records to store in the new plan: every started activity.
    pub fn actuals(&self, plan: &NetworkPlan, data_date: NaiveDate) -> Vec<Actual> {
        plan.plan
            .activities
            .iter()
            .zip(&self.progress)
            .filter_map(|(a, p)| p.actual(&a.id, data_date))
            .collect()
    }
}

/// A parsed number cell: the value, and whether it carried a `%` sign.
fn parse_number(s: &str) -> Option<(f64, bool)> {
    let t = s.trim();
    let (body, pct) = match t.strip_suffix('%').or_else(|| t.strip_suffix('％')) {
        Some(b) => (b.trim(), true),
        None => (t, false),
    };
    body.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v, pct))
}

/// Reads a filled-in ledger against the plan being re-planned and merges it
/// with the actuals that plan records: the progress of every activity (in
/// the plan's order) with the warnings, or every problem in the file.
///
/// Merging: an activity without progress in the ledger (no row, or an
/// empty one) keeps its recorded actual; a row may repeat a recorded actual
/// or carry it on (a running activity now further, or finished), but may
/// not contradict it (another start, another finish, running again after
/// its finish): that is an error at the row. Work recorded running and not
/// reported again is assumed to run as planned (a warning), unless the plan
/// had it finish before the data date (an error: its progress is needed).
///
/// Logic: a started activity whose predecessor has not started is an error;
/// one whose predecessor has started but not finished is out of sequence
/// and accepted with a warning under *progress override*: what is left of
/// both runs on from the data date without waiting for the other. A row
/// with an error does not cause errors on other rows.
pub fn read(
    file: &str,
    text: &str,
    baseline: &NetworkPlan,
    data_date: NaiveDate,
) -> Result<Ledger, Diagnostics> {
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
        let h = header.fields.join(",");
        return Err(Diagnostics(vec![diag(
            header.line,
            both!(
                "the header `{h}` lacks a ledger column",
                "表头 `{h}` 缺少台账的列"
            ),
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
    let n = baseline.plan.activities.len();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let previous = baseline.revision.as_ref().and_then(|r| r.data_date);
    if let Some(d0) = previous.filter(|&d0| data_date < d0) {
        problems.push(diag(
            0,
            both!(
                "the data date {data_date} is before the data date {d0} of the plan being \
                 re-planned",
                "数据日期 {data_date} 早于被重新计划的计划的数据日期 {d0}"
            ),
            both!(
                "re-plan from this plan on a later data date, or re-plan an earlier revision",
                "请用更晚的数据日期从该计划重新计划，或对更早的版本重新计划"
            ),
        ));
    }
    let mut recorded: Vec<Option<&Actual>> = vec![None; n];
    for a in &baseline.actuals {
        if let Some(&i) = index.get(a.id.as_str()) {
            recorded[i] = Some(a);
        }
    }
    let mut progress: Vec<ActivityProgress> = recorded
        .iter()
        .map(|r| r.map_or(ActivityProgress::NotStarted, ActivityProgress::of_actual))
        .collect();
    let mut seen: HashMap<usize, usize> = HashMap::new();
    let mut row_of = vec![0usize; n];
    // Rows with an error: other rows' checks do not build on them.
    let mut bad_row = vec![false; n];
    // Rows that report progress of their own in this ledger.
    let mut reported = vec![false; n];
    for r in rows {
        let get = |c: Option<usize>| {
            c.and_then(|c| r.fields.get(c))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let id = get(Some(c_id));
        let Some(&a) = index.get(id) else {
            let hint = closest(id, index.keys().copied())
                .map(|n| both!("did you mean \"{n}\"? ", "是不是“{n}”？"))
                .unwrap_or_default();
            problems.push(diag(
                r.line,
                both!("unknown activity id `{id}`", "未知的工作编号 `{id}`"),
                hint.join(
                    &both!(
                        "use the ids of the baseline's ledger.csv",
                        "请使用基准计划 ledger.csv 中的编号"
                    ),
                    "",
                    "",
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
        let before = problems.len();
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
                    None
                }
            }
        };
        let start = date(c_start, ("actual start", "实际开始"));
        let finish = date(c_finish, ("actual finish", "实际完成"));
        let pct = {
            let s = get(Some(c_pct));
            match (s.is_empty(), parse_number(s)) {
                (true, _) => None,
                (false, Some((v, sign))) if (0.0..=100.0).contains(&v) => {
                    if !sign && v > 0.0 && v < 1.0 {
                        let pc = v * 100.0;
                        problems.push(diag(
                            r.line,
                            both!(
                                "`{id}`: percent complete `{s}` looks like a fraction",
                                "`{id}`：完成百分比 `{s}` 看起来是小数而不是百分数"
                            ),
                            both!(
                                "write percent complete as a percentage: {pc} (or {s}% if it \
                                 really is {s} percent)",
                                "完成百分比请写成百分数：{pc}（如果确实是百分之 {s}，请写 {s}%）"
                            ),
                        ));
                        None
                    } else {
                        Some(v)
                    }
                }
                _ => {
                    problems.push(diag(
                        r.line,
                        both!(
                            "`{id}`: percent complete `{s}` is not a number from 0 to 100",
                            "`{id}`：完成百分比 `{s}` 不是 0 到 100 之间的数"
                        ),
                        both!(
                            "write a number from 0 to 100, e.g. 70 or 70%",
                            "请写 0 到 100 之间的数，例如 70 或 70%"
                        ),
                    ));
                    None
                }
            }
        };
        let rem = {
            let s = get(c_rem);
            match (s.is_empty(), parse_number(s)) {
                (true, _) => None,
                (false, Some((v, false))) if (0.0..=1e6).contains(&v) => Some(v),
                _ => {
                    problems.push(diag(
                        r.line,
                        both!(
                            "`{id}`: remaining days `{s}` is not a number of working days, 0 or \
                             more",
                            "`{id}`：剩余天数 `{s}` 不是不小于 0 的工作日数"
                        ),
                        both!(
                            "write a number of working days, 0 or more",
                            "请写不小于 0 的工作日数"
                        ),
                    ));
                    None
                }
            }
        };
        if problems.len() > before {
            bad_row[a] = true;
            continue;
        }
        let mut err = |m: Both, h: Both| {
            let m = Both::same(format!("`{id}`")).join(&m, ": ", "：");
            problems.push(diag(r.line, m, h))
        };
        let given = match (start, finish) {
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
                None
            }
            (None, Some(_)) => {
                err(
                    both!(
                        "an actual finish is given without an actual start",
                        "填了实际完成日期但没有实际开始日期"
                    ),
                    both!("fill in actual_start as well", "请同时填写 actual_start"),
                );
                None
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
                Some(ActivityProgress::Finished {
                    start: s,
                    finish: f,
                })
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
                    None
                }
                (Some(_), Some(_)) => {
                    err(
                        both!(
                            "both percent_complete and remaining_days are given",
                            "同时填了 percent_complete 和 remaining_days"
                        ),
                        both!("give one of them", "请只填其中一个"),
                    );
                    None
                }
                (Some(p), None) => Some(ActivityProgress::InProgress {
                    start: s,
                    remaining: Remaining::Percent(p),
                }),
                (None, Some(d)) => Some(ActivityProgress::InProgress {
                    start: s,
                    remaining: Remaining::Days(d),
                }),
                (None, None) => match recorded[a] {
                    // Running since the recorded start: as planned.
                    Some(rec) if rec.start == s && !rec.finished() => {
                        Some(ActivityProgress::InProgress {
                            start: s,
                            remaining: Remaining::AsPlanned,
                        })
                    }
                    _ => {
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
                        None
                    }
                },
            },
        };
        if problems.len() > before {
            bad_row[a] = true;
            continue;
        }
        let Some(given) = given else {
            continue;
        };
        if let ActivityProgress::InProgress {
            remaining: Remaining::AsPlanned,
            ..
        } = given
        {
            // Only a repeated start: as recorded (checked below).
            continue;
        }
        // Merge with the recorded actual.
        if let Some(rec) = recorded[a] {
            let conflict = match (rec.finish, given) {
                (Some(f0), ActivityProgress::Finished { start, finish }) => {
                    (start, finish) != (rec.start, f0)
                }
                (Some(_), _) => true,
                (None, ActivityProgress::Finished { start, .. })
                | (None, ActivityProgress::InProgress { start, .. }) => start != rec.start,
                (None, ActivityProgress::NotStarted) => false,
            };
            if conflict {
                let r0 = rec.start;
                let was = match rec.finish {
                    Some(f) => both!("finished {r0} – {f}", "已于 {r0} – {f} 完成"),
                    None => both!("running since {r0}", "自 {r0} 起在进行"),
                };
                let now = match given {
                    ActivityProgress::Finished { start, finish } => {
                        both!(
                            "finished {start} – {finish}",
                            "已于 {start} – {finish} 完成"
                        )
                    }
                    ActivityProgress::InProgress { start, .. } => {
                        both!("running since {start}", "自 {start} 起在进行")
                    }
                    ActivityProgress::NotStarted => both!("not started", "未开始"),
                };
                let (now_en, now_zh, was_en, was_zh) = (now.en, now.zh, was.en, was.zh);
                let reported_on = rec.reported;
                problems.push(diag(
                    r.line,
                    both!(
                        "`{id}`: the ledger says {now_en}, but the plan records it {was_en} \
                         (reported on {reported_on})",
                        "`{id}`：台账写的是{now_zh}，但计划记录的是{was_zh}（{reported_on} 报告）"
                    ),
                    both!(
                        "keep the recorded actual dates (or leave the row's progress empty); a \
                         recorded actual can only be carried on, not changed",
                        "请保留已记录的实际日期（或让该行进度留空）；已记录的实际进度只能接续，不能修改"
                    ),
                ));
                bad_row[a] = true;
                continue;
            }
        }
        reported[a] = true;
        progress[a] = given;
    }
    let acts = &baseline.plan.activities;
    // Work recorded running and not reported again.
    let mut assumed = Vec::new();
    for a in 0..n {
        if reported[a] || bad_row[a] {
            continue;
        }
        let Some(rec) = recorded[a].filter(|r| !r.finished()) else {
            continue;
        };
        if acts[a].finish < data_date {
            let (id, on, fin) = (&acts[a].id, rec.reported, acts[a].finish);
            problems.push(diag(
                row_of[a],
                both!(
                    "`{id}` was running on {on} and the plan has it finish on {fin}, before the \
                     data date, but the ledger gives no progress",
                    "`{id}` 在 {on} 正在进行，计划在数据日期之前的 {fin} 完成，但台账没有给出进度"
                ),
                both!(
                    "fill in its actual_finish, or its percent_complete or remaining_days if it \
                     is still running",
                    "请填写其 actual_finish；如果仍在进行，请填写 percent_complete 或 remaining_days"
                ),
            ));
            bad_row[a] = true;
        } else {
            progress[a] = ActivityProgress::InProgress {
                start: rec.start,
                remaining: Remaining::AsPlanned,
            };
            assumed.push(acts[a].id.as_str());
        }
    }
    if !assumed.is_empty() {
        let shown: Vec<&str> = assumed.iter().take(5).copied().collect();
        let (count, list, more) = (
            assumed.len(),
            shown.join(", "),
            if assumed.len() > 5 { ", …" } else { "" },
        );
        warnings.push(diag(
            0,
            both!(
                "{count} activities recorded running have no new progress and are assumed to run \
                 as planned: {list}{more}",
                "{count} 项记录为进行中的工作没有新的进度，按计划继续进行：{list}{more}"
            ),
            both!(
                "give their percent_complete or remaining_days (or actual_finish) if they did not",
                "如果并非如此，请填写其 percent_complete 或 remaining_days（或 actual_finish）"
            ),
        ));
    }
    // Logic: work cannot have started while a predecessor has not; work
    // started while a predecessor runs is out of sequence (progress override).
    // (A start-to-start link with a negative lag lets the successor start first.)
    for l in baseline
        .links
        .iter()
        .filter(|l| l.handover.is_none() && !(l.kind == "SS" && l.lag < 0))
    {
        let (from, to) = (l.from, l.to);
        if bad_row[from] || bad_row[to] || !progress[to].started() {
            continue;
        }
        if !progress[from].started() {
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
        } else if l.kind == "FS" && !progress[from].finished() && (reported[to] || reported[from]) {
            let (a, b) = (&acts[to].id, &acts[from].id);
            warnings.push(diag(
                row_of[to],
                both!(
                    "`{a}` started before its predecessor `{b}` finished (progress out of sequence)",
                    "`{a}` 在其紧前工作 `{b}` 完成之前就开始了（进度不符合逻辑顺序）"
                ),
                both!(
                    "accepted by progress override: the rest of both runs on from the data date \
                     without waiting for each other; correct the dates if this is a typing slip",
                    "按进度优先（progress override）接受：两项工作的剩余部分都从数据日期起继续，\
                     互不等待；如果是笔误，请改正日期"
                ),
            ));
        }
    }
    if problems.is_empty() {
        Ok(Ledger { progress, warnings })
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
