//! Work templates: every template has steps, step keys are unique, each
//! step has exactly one duration rule, and the rate tables cover every
//! segment's diameter.

use super::Checker;
use crate::both;
use crate::scenario::WorkStep;
use std::collections::HashMap;

/// Runs the template checks.
pub(super) fn check(c: &mut Checker) {
    let t = &c.s.templates;
    for (kind, steps) in [
        (("segment", "管段"), &t.segment),
        (("station", "热力站"), &t.station),
    ] {
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
fn not_empty(c: &mut Checker, (kind, kind_zh): Kind, steps: &[WorkStep]) {
    if !steps.is_empty() {
        return;
    }
    let span = c.header_span(&[&format!("[[templates.{kind}]]"), "[templates]"]);
    c.error(
        span,
        both!(
            "the {kind} template has no steps",
            "{kind_zh}工序模板没有工序"
        ),
        both!(
            "add the steps every {kind} goes through, in order, as [[templates.{kind}]] entries \
             with key, name, crew and a duration",
            "请按顺序把每个{kind_zh}要经过的工序写成 [[templates.{kind}]] 条目，\
             含 key、name、crew 和工期"
        ),
    );
}

/// A template's element kind, in English and Chinese.
type Kind = (&'static str, &'static str);

/// Step keys are unique in a template and usable in `ELEMENT/key`.
fn unique_keys(c: &mut Checker, (kind, kind_zh): Kind, steps: &[WorkStep]) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for step in steps {
        let key = step.key.get_ref().as_str();
        if key.trim().is_empty() || key.contains('/') {
            c.error(
                step.key.span(),
                both!(
                    "{kind} template: step key \"{key}\" is empty or contains '/'",
                    "{kind_zh}工序模板：工序键“{key}”为空或含有 '/'"
                ),
                both!(
                    "use a short word such as \"trench\"; links name steps as \"ELEMENT/key\"",
                    "请用一个简短的英文词，例如“trench”；逻辑关系用“部位编号/工序键”指明工序"
                ),
            );
            continue;
        }
        if let Some(&line) = first.get(key) {
            c.error(
                step.key.span(),
                both!(
                    "{kind} template: step key \"{key}\" is used twice (first at line {line})",
                    "{kind_zh}工序模板：工序键“{key}”用了两次（第一次在第 {line} 行）"
                ),
                both!(
                    "give every step of a template its own key; activities are named \
                     \"ELEMENT/key\"",
                    "请给模板中的每道工序一个不同的键；工作按“部位编号/工序键”命名"
                ),
            );
        } else {
            first.insert(key, c.line(step.key.span()));
        }
    }
}

/// At most one step is marked `supply_ready`.
fn one_supply_ready(c: &mut Checker, (kind, kind_zh): Kind, steps: &[WorkStep]) {
    let marked: Vec<&WorkStep> = steps.iter().filter(|s| s.supply_ready).collect();
    if let [first, rest @ ..] = marked.as_slice() {
        for step in rest {
            let (a, b) = (first.key.get_ref(), step.key.get_ref());
            c.error(
                step.key.span(),
                both!(
                    "{kind} template: steps \"{a}\" and \"{b}\" are both marked supply_ready",
                    "{kind_zh}工序模板：工序“{a}”和“{b}”都标了 supply_ready"
                ),
                both!(
                    "mark only the step after which the pipe can carry heat (usually the pressure \
                     test); without any mark the last step counts",
                    "只标出完成后管道即可输热的那道工序（通常是压力试验）；不标时以最后一道工序为准"
                ),
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
        let (which, which_zh) = if rates {
            ("both rates and days", "同时有 rates 和 days")
        } else {
            ("neither rates nor days", "既没有 rates 也没有 days")
        };
        c.error(
            step.key.span(),
            both!(
                "segment template step \"{key}\" has {which}",
                "管段工序模板的工序“{key}”{which_zh}"
            ),
            both!(
                "give exactly one duration rule: rates = [{{ dn_max = 500, metres_per_day = 60.0 \
                 }}, …] for work that scales with length, or days = N for a fixed duration",
                "请只给一种工期规则：随长度变化的工作写 rates = [{{ dn_max = 500, \
                 metres_per_day = 60.0 }}, …]，固定工期写 days = N"
            ),
        );
    }
    if let Some(extra) = &step.days_per_10k_m2 {
        c.error(
            extra.span(),
            both!(
                "segment template step \"{key}\": days_per_10k_m2 only applies to stations",
                "管段工序模板的工序“{key}”：days_per_10k_m2 只适用于热力站"
            ),
            both!(
                "remove it; segment durations come from rates (metres per day) or days",
                "请删除它；管段工期由 rates（每天米数）或 days 决定"
            ),
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
            both!(
                "station template step \"{key}\" has no days",
                "热力站工序模板的工序“{key}”没有 days（工期）"
            ),
            both!(
                "give days = N (fixed working days), optionally plus days_per_10k_m2 for work that \
                 grows with the heated area",
                "请写 days = N（固定工作日数），随供热面积增加的工作可再加 days_per_10k_m2"
            ),
        );
    }
    if !step.rates.is_empty() {
        c.error(
            step.key.span(),
            both!(
                "station template step \"{key}\" has rates, which only apply to pipe segments",
                "热力站工序模板的工序“{key}”有 rates，但 rates 只适用于管段"
            ),
            both!(
                "remove rates; use days and, if the work grows with the heated area, \
                 days_per_10k_m2",
                "请删除 rates；用 days，随供热面积增加的工作再加 days_per_10k_m2"
            ),
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
            let (id, key) = (seg.id.get_ref(), step.key.get_ref());
            c.error(
                seg.dn.span(),
                both!(
                    "segment {id}: DN{dn} is larger than any rate of step \"{key}\" (up to \
                     DN{largest})",
                    "管段 {id}：DN{dn} 超出了工序“{key}”所有定额的管径范围（最大 DN{largest}）"
                ),
                both!(
                    "add a rate with dn_max = {dn} or more to step \"{key}\" of the segment \
                     template, or check the segment's dn",
                    "请给管段工序模板的工序“{key}”加一条 dn_max 不小于 {dn} 的定额，或检查该管段的 dn"
                ),
            );
        }
    }
}
