//! Work templates: every template has steps, step keys are unique, each
//! step has exactly one duration rule, and the rate tables cover every
//! segment's diameter.

use super::Checker;
use crate::scenario::WorkStep;
use std::collections::HashMap;

/// Runs the template checks.
pub(super) fn check(c: &mut Checker) {
    let t = &c.s.templates;
    for (kind, steps) in [("segment", &t.segment), ("station", &t.station)] {
        not_empty(c, kind, steps);
        unique_keys(c, kind, steps);
        one_supply_ready(c, kind, steps);
    }
    for step in &t.segment {
        segment_duration_rule(c, step);
    }
    for step in &t.station {
        station_duration_rule(c, step);
    }
    rates_cover_diameters(c);
}

/// A template needs at least one step.
fn not_empty(c: &mut Checker, kind: &str, steps: &[WorkStep]) {
    if !steps.is_empty() {
        return;
    }
    let span = c.header_span(&[&format!("[[templates.{kind}]]"), "[templates]"]);
    c.error(
        span,
        format!("the {kind} template has no steps"),
        format!(
            "add the steps every {kind} goes through, in order, as [[templates.{kind}]] entries \
             with key, name, crew and a duration"
        ),
    );
}

/// Step keys are unique in a template and usable in `ELEMENT/key`.
fn unique_keys(c: &mut Checker, kind: &str, steps: &[WorkStep]) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for step in steps {
        let key = step.key.get_ref().as_str();
        if key.trim().is_empty() || key.contains('/') {
            c.error(
                step.key.span(),
                format!("{kind} template: step key \"{key}\" is empty or contains '/'"),
                "use a short word such as \"trench\"; links name steps as \"ELEMENT/key\"",
            );
            continue;
        }
        if let Some(&line) = first.get(key) {
            c.error(
                step.key.span(),
                format!("{kind} template: step key \"{key}\" is used twice (first at line {line})"),
                "give every step of a template its own key; activities are named \"ELEMENT/key\"",
            );
        } else {
            first.insert(key, c.line(step.key.span()));
        }
    }
}

/// At most one step is marked `supply_ready`.
fn one_supply_ready(c: &mut Checker, kind: &str, steps: &[WorkStep]) {
    let marked: Vec<&WorkStep> = steps.iter().filter(|s| s.supply_ready).collect();
    if let [first, rest @ ..] = marked.as_slice() {
        for step in rest {
            c.error(
                step.key.span(),
                format!(
                    "{kind} template: steps \"{}\" and \"{}\" are both marked supply_ready",
                    first.key.get_ref(),
                    step.key.get_ref()
                ),
                "mark only the step after which the pipe can carry heat (usually the pressure \
                 test); without any mark the last step counts",
            );
        }
    }
}

/// A segment step has either `rates` or `days`, not both, and no
/// `days_per_10k_m2`.
fn segment_duration_rule(c: &mut Checker, step: &WorkStep) {
    let key = step.key.get_ref();
    let rates = !step.rates.is_empty();
    let days = step.days.is_some();
    if rates == days {
        let which = if rates {
            "both rates and days"
        } else {
            "neither rates nor days"
        };
        c.error(
            step.key.span(),
            format!("segment template step \"{key}\" has {which}"),
            "give exactly one duration rule: rates = [{ dn_max = 500, metres_per_day = 60.0 }, …] \
             for work that scales with length, or days = N for a fixed duration",
        );
    }
    if let Some(extra) = &step.days_per_10k_m2 {
        c.error(
            extra.span(),
            format!("segment template step \"{key}\": days_per_10k_m2 only applies to stations"),
            "remove it; segment durations come from rates (metres per day) or days",
        );
    }
}

/// A station step has `days` (optionally plus `days_per_10k_m2`) and no
/// `rates`.
fn station_duration_rule(c: &mut Checker, step: &WorkStep) {
    let key = step.key.get_ref();
    if step.days.is_none() {
        c.error(
            step.key.span(),
            format!("station template step \"{key}\" has no days"),
            "give days = N (fixed working days), optionally plus days_per_10k_m2 for work that \
             grows with the heated area",
        );
    }
    if !step.rates.is_empty() {
        c.error(
            step.key.span(),
            format!("station template step \"{key}\" has rates, which only apply to pipe segments"),
            "remove rates; use days and, if the work grows with the heated area, days_per_10k_m2",
        );
    }
}

/// Every segment's DN is within some `dn_max` of every rate step.
fn rates_cover_diameters(c: &mut Checker) {
    let s = c.s;
    for seg in &s.segments {
        let dn = *seg.dn.get_ref();
        for step in &s.templates.segment {
            let largest = step.rates.iter().map(|r| r.dn_max).max();
            let Some(largest) = largest.filter(|&m| dn > m) else {
                continue;
            };
            c.error(
                seg.dn.span(),
                format!(
                    "segment {}: DN{dn} is larger than any rate of step \"{}\" (up to DN{largest})",
                    seg.id.get_ref(),
                    step.key.get_ref()
                ),
                format!(
                    "add a rate with dn_max = {dn} or more to step \"{}\" of the segment template, \
                     or check the segment's dn",
                    step.key.get_ref()
                ),
            );
        }
    }
}
