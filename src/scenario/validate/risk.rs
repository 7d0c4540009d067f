//! The `[risk]` section: spreads in order, chances between 0 and 1,
//! months that exist, and references to steps, tasks, tags and calendar
//! entries that exist (with the closest one as a hint).

use super::limits::MAX_HORIZON_DAYS;
use super::Checker;
use crate::both;
use crate::lang::Both;
use crate::scenario::risk::{month_index, ThreePointSpec};
use crate::scenario::Text;
use std::collections::BTreeSet;
use toml::Spanned;

/// Largest relative productivity accepted in a spread: ten times the plan
/// is a typo (a percentage written as a number), not a fast crew.
const MAX_PRODUCTIVITY: f64 = 10.0;

/// Runs the `[risk]` checks.
pub(super) fn check(c: &mut Checker) {
    let Some(risk) = c.s.risk.as_ref() else {
        return;
    };
    let tags = work_tags(c);
    let steps: BTreeSet<String> =
        c.s.templates
            .segment
            .iter()
            .chain(&c.s.templates.station)
            .map(|s| s.key.get_ref().clone())
            .collect();
    let tasks: BTreeSet<String> = c.s.tasks.iter().map(|t| t.id.get_ref().clone()).collect();
    let calendar: BTreeSet<String> =
        c.s.calendar
            .productivity
            .iter()
            .map(|p| p.name.clone())
            .chain(c.s.calendar.stop_work.iter().map(|b| b.name.clone()))
            .collect();
    for name in &risk.replaces {
        if !calendar.contains(name.get_ref()) {
            let n = name.get_ref();
            let hint = c.did_you_mean(n, calendar.iter().map(String::as_str));
            c.error(
                name.span(),
                both!(
                    "risk.replaces names \"{n}\", which is no [calendar] productivity period or \
                     stop-work entry",
                    "risk.replaces 写的是“{n}”，但 [calendar] 里没有这个名称的降效期或停工条目"
                ),
                hint.join(
                    &both!(
                        "use the `name` of a [[calendar.productivity]] or [[calendar.stop_work]] \
                         entry that the random model stands in for",
                        "请写随机模型所替代的 [[calendar.productivity]] 或 [[calendar.stop_work]] \
                         条目的 `name`"
                    ),
                    "",
                    "",
                ),
            );
        }
    }
    if let Some(rain) = &risk.rain {
        for (month, days) in &rain.days_per_month {
            match month_index(month) {
                None => c.error(
                    days.span(),
                    both!(
                        "risk.rain.days_per_month has month \"{month}\", which is no month",
                        "risk.rain.days_per_month 中的月份“{month}”不存在"
                    ),
                    both!(
                        "key the table by month number, 1 (January) to 12 (December), e.g. \
                         days_per_month = {{ 7 = 13, 8 = 12 }}",
                        "用月份数字 1（一月）到 12（十二月）作键，例如 \
                         days_per_month = {{ 7 = 13, 8 = 12 }}"
                    ),
                ),
                Some(_) => in_range(
                    c,
                    days,
                    0.0,
                    31.0,
                    &format!("risk.rain.days_per_month.{month}"),
                    both!(
                        "the expected number of rainy days in the month, from 0 to 31",
                        "该月预计的降雨天数，0 到 31"
                    ),
                ),
            }
        }
        in_range(
            c,
            &rain.factor,
            0.0,
            1.0,
            "risk.rain.factor",
            both!(
                "the share of a normal day's output on a rainy day, e.g. factor = 0.4 (0 stops the \
                 work)",
                "雨天的产出占正常日的比例，例如 factor = 0.4（0 表示停工）"
            ),
        );
        if let Some(p) = &rain.persistence {
            let v = p.get_ref();
            if !(v.is_finite() && (0.0..1.0).contains(v)) {
                c.error(
                    p.span(),
                    both!(
                        "risk.rain.persistence is {v}, but it must be at least 0 and below 1",
                        "risk.rain.persistence 为 {v}，应不小于 0 且小于 1"
                    ),
                    both!(
                        "0 makes rainy days independent; 0.6 gives wet spells of about 2.5 days",
                        "0 表示各雨天相互独立；0.6 约为连续 2.5 天的阴雨期"
                    ),
                );
            }
        }
        known_tags(c, &rain.tags, &tags, "risk.rain.tags");
    }
    let mut levels = BTreeSet::new();
    for alert in &risk.alerts {
        let level = alert.level.get_ref();
        if level.trim().is_empty() {
            c.error(
                alert.level.span(),
                both!("risk.alerts: level is empty", "risk.alerts：level 为空"),
                both!(
                    "name the level, e.g. level = \"orange\"",
                    "请写预警级别，例如 level = \"orange\""
                ),
            );
        } else if !levels.insert(level.clone()) {
            c.error(
                alert.level.span(),
                both!(
                    "risk.alerts: level \"{level}\" is listed twice",
                    "risk.alerts：级别“{level}”出现了两次"
                ),
                both!(
                    "give each alert level one [[risk.alerts]] entry",
                    "每个预警级别只写一个 [[risk.alerts]] 条目"
                ),
            );
        }
        in_range(
            c,
            &alert.per_month,
            0.0,
            31.0,
            &format!("risk.alerts \"{level}\": per_month"),
            both!(
                "the expected number of alerts of this level a month, e.g. per_month = 0.8",
                "每月该级别预警的预计次数，例如 per_month = 0.8"
            ),
        );
        three_point(
            c,
            &alert.days,
            &format!("risk.alerts \"{level}\": days"),
            (1.0, MAX_HORIZON_DAYS as f64),
            both!(
                "days an alert lasts as [min, likely, max], e.g. days = [1, 2, 4]",
                "一次预警持续的天数，写成 [最少, 最可能, 最多]，例如 days = [1, 2, 4]"
            ),
        );
        for m in &alert.months {
            if !(1..=12).contains(m.get_ref()) {
                let (span, m) = (m.span(), m.get_ref());
                c.error(
                    span,
                    both!(
                        "risk.alerts \"{level}\": month {m} does not exist",
                        "risk.alerts“{level}”：月份 {m} 不存在"
                    ),
                    both!(
                        "list months by number, 1 (January) to 12 (December), e.g. months = [4, 5, 6]",
                        "用数字 1（一月）到 12（十二月）列出月份，例如 months = [4, 5, 6]"
                    ),
                );
            }
        }
        known_tags(
            c,
            &alert.tags,
            &tags,
            &format!("risk.alerts \"{level}\": tags"),
        );
    }
    if let Some(p) = &risk.productivity {
        let help = both!(
            "relative output as [min, likely, max] of the plan's rate, e.g. [0.7, 1.0, 1.1]",
            "相对计划工效的产出，写成 [最少, 最可能, 最多]，例如 [0.7, 1.0, 1.1]"
        );
        if let Some(d) = &p.default {
            three_point(
                c,
                d,
                "risk.productivity.default",
                (f64::MIN_POSITIVE, MAX_PRODUCTIVITY),
                help.clone(),
            );
        }
        for (key, spread) in &p.steps {
            three_point(
                c,
                spread,
                &format!("risk.productivity.steps.{key}"),
                (f64::MIN_POSITIVE, MAX_PRODUCTIVITY),
                help.clone(),
            );
            if !steps.contains(key) && !tasks.contains(key) {
                let all = steps.iter().chain(&tasks).map(String::as_str);
                let hint = c.did_you_mean(key, all);
                c.error(
                    spread.span(),
                    both!(
                        "risk.productivity.steps has \"{key}\", which is no step key or task id",
                        "risk.productivity.steps 中的“{key}”既不是工序键，也不是任务编号"
                    ),
                    hint.join(
                        &both!(
                            "key the spreads by a [templates] step key or a [[tasks]] id",
                            "请用 [templates] 的工序键或 [[tasks]] 的编号作键"
                        ),
                        "",
                        "",
                    ),
                );
            }
        }
        if let Some(r) = &p.correlation {
            in_range(
                c,
                r,
                0.0,
                1.0,
                "risk.productivity.correlation",
                both!(
                    "the share of a contractor's activities of a step that share its draw, 0 to 1",
                    "同一施工单位同一工序中共用同一次抽样的作业比例，0 到 1"
                ),
            );
        }
    }
    for delay in &risk.delays {
        let what = format!("risk.delays \"{}\"", delay.name);
        three_point(
            c,
            &delay.days,
            &format!("{what}: days"),
            (0.0, MAX_HORIZON_DAYS as f64),
            both!(
                "calendar days of delay as [min, likely, max], e.g. days = [0, 7, 30]",
                "延误的日历天数，写成 [最少, 最可能, 最多]，例如 days = [0, 7, 30]"
            ),
        );
        if let Some(p) = &delay.probability {
            in_range(
                c,
                p,
                0.0,
                1.0,
                &format!("{what}: probability"),
                both!(
                    "the chance that the delay happens at all, e.g. probability = 0.3",
                    "发生该延误的概率，例如 probability = 0.3"
                ),
            );
        }
        if delay.tasks.is_empty() && delay.steps.is_empty() {
            c.error(
                delay.days.span(),
                both!("{what} delays nothing", "{what} 没有延误任何作业"),
                both!(
                    "list the task ids (tasks = [\"T_PERMIT\"]) or step keys (steps = [\"equip\"]) \
                     it delays",
                    "列出它延误的任务编号（tasks = [\"T_PERMIT\"]）或工序键（steps = [\"equip\"]）"
                ),
            );
        }
        for (list, known, kind) in [
            (&delay.tasks, &tasks, ("a [[tasks]] id", "[[tasks]] 的编号")),
            (
                &delay.steps,
                &steps,
                ("a [templates] step key", "[templates] 的工序键"),
            ),
        ] {
            for t in list {
                if !known.contains(t.get_ref()) {
                    let hint = c.did_you_mean(t.get_ref(), known.iter().map(String::as_str));
                    let (name, (kind_en, kind_zh)) = (t.get_ref(), kind);
                    c.error(
                        t.span(),
                        both!(
                            "{what}: \"{name}\" is not {kind_en}",
                            "{what}：“{name}”不是{kind_zh}"
                        ),
                        hint.join(&both!("use {kind_en}", "请写{kind_zh}"), "", ""),
                    );
                }
            }
        }
    }
}

/// Every tag some work carries (template steps and tasks).
fn work_tags(c: &Checker) -> BTreeSet<String> {
    let t = &c.s.templates;
    t.segment
        .iter()
        .chain(&t.station)
        .flat_map(|s| &s.tags)
        .chain(c.s.tasks.iter().flat_map(|t| &t.tags))
        .map(|t| t.get_ref().clone())
        .collect()
}

/// Reports tags no work carries.
fn known_tags(c: &mut Checker, list: &[Text], known: &BTreeSet<String>, what: &str) {
    for t in list {
        if !known.contains(t.get_ref()) {
            let hint = c.did_you_mean(t.get_ref(), known.iter().map(String::as_str));
            let tag = t.get_ref();
            c.error(
                t.span(),
                both!(
                    "{what}: no work carries the tag \"{tag}\"",
                    "{what}：没有作业带有标签“{tag}”"
                ),
                hint.join(
                    &both!(
                        "use a tag of a [templates] step or a [[tasks]] entry",
                        "请用 [templates] 工序或 [[tasks]] 条目上的标签"
                    ),
                    "",
                    "",
                ),
            );
        }
    }
}

/// Reports a number outside `[lo, hi]` (or not finite).
fn in_range(c: &mut Checker, v: &Spanned<f64>, lo: f64, hi: f64, what: &str, help: Both) {
    let x = *v.get_ref();
    if !(x.is_finite() && lo <= x && x <= hi) {
        c.error(
            v.span(),
            both!(
                "{what} is {x}, but it must be from {lo} to {hi}",
                "{what} 为 {x}，应在 {lo} 到 {hi} 之间"
            ),
            help,
        );
    }
}

/// Reports a spread that is not three finite values with
/// `lo ≤ min ≤ likely ≤ max ≤ hi`.
fn three_point(c: &mut Checker, v: &ThreePointSpec, what: &str, (lo, hi): (f64, f64), help: Both) {
    let x = v.get_ref();
    let (a, b, c3) = (
        x.first().copied().unwrap_or(0.0),
        x.get(1).copied().unwrap_or(0.0),
        x.get(2).copied().unwrap_or(0.0),
    );
    let problem = if x.len() != 3 {
        {
            let n = x.len();
            Some(both!(
                "{what} has {n} values, not 3",
                "{what} 有 {n} 个值，应为 3 个"
            ))
        }
    } else if x.iter().any(|a| !a.is_finite()) {
        Some(both!(
            "{what} holds a value that is not a number",
            "{what} 中有一个值不是数"
        ))
    } else if !(x[0] <= x[1] && x[1] <= x[2]) {
        Some(both!(
            "{what} is [{a}, {b}, {c3}], not in the order min ≤ likely ≤ max",
            "{what} 为 [{a}, {b}, {c3}]，不满足 最少 ≤ 最可能 ≤ 最多"
        ))
    } else if x[0] < lo || x[2] > hi {
        let (from_en, from_zh) = if lo == f64::MIN_POSITIVE {
            ("above 0".to_string(), "大于 0".to_string())
        } else {
            (lo.to_string(), lo.to_string())
        };
        Some(both!(
            "{what} is [{a}, {b}, {c3}], but its values must be from {from_en} to {hi}",
            "{what} 为 [{a}, {b}, {c3}]，各值应在 {from_zh} 到 {hi} 之间"
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        c.error(v.span(), message, help);
    }
}
