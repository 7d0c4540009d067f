//! The `[risk]` section: spreads in order, chances between 0 and 1,
//! months that exist, and references to steps, tasks, tags and calendar
//! entries that exist (with the closest one as a hint).

use super::limits::MAX_HORIZON_DAYS;
use super::Checker;
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
            let hint = c.did_you_mean(name.get_ref(), calendar.iter().map(String::as_str));
            c.error(
                name.span(),
                format!(
                    "risk.replaces names \"{}\", which is no [calendar] productivity period or \
                     stop-work entry",
                    name.get_ref()
                ),
                format!(
                    "{hint}use the `name` of a [[calendar.productivity]] or [[calendar.stop_work]] \
                     entry that the random model stands in for"
                ),
            );
        }
    }
    if let Some(rain) = &risk.rain {
        for (month, days) in &rain.days_per_month {
            match month_index(month) {
                None => c.error(
                    days.span(),
                    format!("risk.rain.days_per_month has month \"{month}\", which is no month"),
                    "key the table by month number, 1 (January) to 12 (December), e.g. \
                     days_per_month = { 7 = 13, 8 = 12 }",
                ),
                Some(_) => in_range(
                    c,
                    days,
                    0.0,
                    31.0,
                    &format!("risk.rain.days_per_month.{month}"),
                    "the expected number of rainy days in the month, from 0 to 31",
                ),
            }
        }
        in_range(
            c,
            &rain.factor,
            0.0,
            1.0,
            "risk.rain.factor",
            "the share of a normal day's output on a rainy day, e.g. factor = 0.4 (0 stops the work)",
        );
        if let Some(p) = &rain.persistence {
            if !(p.get_ref().is_finite() && (0.0..1.0).contains(p.get_ref())) {
                c.error(
                    p.span(),
                    format!(
                        "risk.rain.persistence is {}, but it must be at least 0 and below 1",
                        p.get_ref()
                    ),
                    "0 makes rainy days independent; 0.6 gives wet spells of about 2.5 days",
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
                "risk.alerts: level is empty",
                "name the level, e.g. level = \"orange\"",
            );
        } else if !levels.insert(level.clone()) {
            c.error(
                alert.level.span(),
                format!("risk.alerts: level \"{level}\" is listed twice"),
                "give each alert level one [[risk.alerts]] entry",
            );
        }
        in_range(
            c,
            &alert.per_month,
            0.0,
            31.0,
            &format!("risk.alerts \"{level}\": per_month"),
            "the expected number of alerts of this level a month, e.g. per_month = 0.8",
        );
        three_point(
            c,
            &alert.days,
            &format!("risk.alerts \"{level}\": days"),
            (1.0, MAX_HORIZON_DAYS as f64),
            "days an alert lasts as [min, likely, max], e.g. days = [1, 2, 4]",
        );
        for m in &alert.months {
            if !(1..=12).contains(m.get_ref()) {
                c.error(
                    m.span(),
                    format!(
                        "risk.alerts \"{level}\": month {} does not exist",
                        m.get_ref()
                    ),
                    "list months by number, 1 (January) to 12 (December), e.g. months = [4, 5, 6]",
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
        let help = "relative output as [min, likely, max] of the plan's rate, e.g. [0.7, 1.0, 1.1]";
        if let Some(d) = &p.default {
            three_point(
                c,
                d,
                "risk.productivity.default",
                (f64::MIN_POSITIVE, MAX_PRODUCTIVITY),
                help,
            );
        }
        for (key, spread) in &p.steps {
            three_point(
                c,
                spread,
                &format!("risk.productivity.steps.{key}"),
                (f64::MIN_POSITIVE, MAX_PRODUCTIVITY),
                help,
            );
            if !steps.contains(key) && !tasks.contains(key) {
                let all = steps.iter().chain(&tasks).map(String::as_str);
                let hint = c.did_you_mean(key, all);
                c.error(
                    spread.span(),
                    format!(
                        "risk.productivity.steps has \"{key}\", which is no step key or task id"
                    ),
                    format!("{hint}key the spreads by a [templates] step key or a [[tasks]] id"),
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
                "the share of a contractor's activities of a step that share its draw, 0 to 1",
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
            "calendar days of delay as [min, likely, max], e.g. days = [0, 7, 30]",
        );
        if let Some(p) = &delay.probability {
            in_range(
                c,
                p,
                0.0,
                1.0,
                &format!("{what}: probability"),
                "the chance that the delay happens at all, e.g. probability = 0.3",
            );
        }
        if delay.tasks.is_empty() && delay.steps.is_empty() {
            c.error(
                delay.days.span(),
                format!("{what} delays nothing"),
                "list the task ids (tasks = [\"T_PERMIT\"]) or step keys (steps = [\"equip\"]) it delays",
            );
        }
        for (list, known, kind) in [
            (&delay.tasks, &tasks, "a [[tasks]] id"),
            (&delay.steps, &steps, "a [templates] step key"),
        ] {
            for t in list {
                if !known.contains(t.get_ref()) {
                    let hint = c.did_you_mean(t.get_ref(), known.iter().map(String::as_str));
                    c.error(
                        t.span(),
                        format!("{what}: \"{}\" is not {kind}", t.get_ref()),
                        format!("{hint}use {kind}"),
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
            c.error(
                t.span(),
                format!("{what}: no work carries the tag \"{}\"", t.get_ref()),
                format!("{hint}use a tag of a [templates] step or a [[tasks]] entry"),
            );
        }
    }
}

/// Reports a number outside `[lo, hi]` (or not finite).
fn in_range(c: &mut Checker, v: &Spanned<f64>, lo: f64, hi: f64, what: &str, help: &str) {
    let x = *v.get_ref();
    if !(x.is_finite() && lo <= x && x <= hi) {
        c.error(
            v.span(),
            format!("{what} is {x}, but it must be from {lo} to {hi}"),
            help,
        );
    }
}

/// Reports a spread that is not three finite values with
/// `lo ≤ min ≤ likely ≤ max ≤ hi`.
fn three_point(c: &mut Checker, v: &ThreePointSpec, what: &str, (lo, hi): (f64, f64), help: &str) {
    let x = v.get_ref();
    let problem = if x.len() != 3 {
        Some(format!("{what} has {} values, not 3", x.len()))
    } else if x.iter().any(|a| !a.is_finite()) {
        Some(format!("{what} holds a value that is not a number"))
    } else if !(x[0] <= x[1] && x[1] <= x[2]) {
        Some(format!(
            "{what} is [{}, {}, {}], not in the order min ≤ likely ≤ max",
            x[0], x[1], x[2]
        ))
    } else if x[0] < lo || x[2] > hi {
        Some(format!(
            "{what} is [{}, {}, {}], but its values must be from {} to {hi}",
            x[0],
            x[1],
            x[2],
            if lo == f64::MIN_POSITIVE {
                "above 0".to_string()
            } else {
                lo.to_string()
            }
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        c.error(v.span(), message, help);
    }
}
