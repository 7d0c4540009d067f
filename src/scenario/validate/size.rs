//! The size of the scheduling model a scenario expands into: every
//! activity has one day table per contractor allowed to do it (by the rule
//! of [`Allowed`](crate::scenario::allowed::Allowed)), so a huge
//! programme over a long horizon would exhaust memory. Reported before the
//! expansion, with the numbers that make it up.

use super::limits::{MAX_OVERRUN_DAYS, MAX_TIMING_ENTRIES, MAX_WINDOW_DAYS};
use super::Checker;
use crate::both;
use crate::scenario::Scenario;
use std::collections::HashMap;

/// Runs the size check.
pub(super) fn check<'a>(c: &mut Checker<'a>) {
    let s: &'a Scenario = c.s;
    let p = &s.programme;
    let window = (p.window_end.get_ref().0 - p.window_start.get_ref().0).num_days() + 1;
    if !(1..=MAX_WINDOW_DAYS).contains(&window) || p.overrun_days > MAX_OVERRUN_DAYS {
        return; // reported by the calendar checks
    }
    let days = window as u64 + u64::from(p.overrun_days);
    let mut district: HashMap<&str, usize> = HashMap::new();
    for (i, d) in s.districts.iter().enumerate() {
        district.entry(d.id.get_ref().as_str()).or_insert(i);
    }
    let allowed = &c.allowed;
    // An activity nobody may do still gets one (crew-less) mode.
    let modes = |d: &str, crew: &str| -> u64 {
        district
            .get(d)
            .map_or(0, |&d| allowed.get(d, crew).len() as u64)
            .max(1)
    };
    let (mut activities, mut options) = (0u64, 0u64);
    let t = &s.templates;
    for seg in &s.segments {
        for step in &t.segment {
            activities += 1;
            options += modes(seg.district.get_ref(), step.crew.get_ref());
        }
    }
    for st in &s.stations {
        for step in &t.station {
            activities += 1;
            options += modes(st.district.get_ref(), step.crew.get_ref());
        }
    }
    for task in &s.tasks {
        activities += 1;
        options += match (&task.district, &task.crew) {
            (Some(d), Some(crew)) => modes(d.get_ref(), crew.get_ref()),
            _ => 1,
        };
    }
    activities += s.milestones.len() as u64;
    options += s.milestones.len() as u64;
    let entries = options.saturating_mul(days);
    if entries <= MAX_TIMING_ENTRIES {
        return;
    }
    let span = c.header_span(&["[programme]"]);
    c.error(
        span,
        both!(
            "the programme is too large to schedule: {activities} activities with {options} \
             contractor options over a {days}-day horizon make {entries} day entries in the \
             scheduling model, more than the {MAX_TIMING_ENTRIES} (about 1 GB) heatplan handles",
            "工程太大，无法编排：{activities} 项工作、{options} 种施工单位选择、{days} 天的计划期，\
             在排程模型中共 {entries} 个日条目，超过 heatplan 能处理的 {MAX_TIMING_ENTRIES} 个\
             （约 1 GB）"
        ),
        both!(
            "shorten the construction window or overrun_days, allow fewer contractors per \
             district, or split the programme into several scenarios (e.g. one per district or \
             per season)",
            "请缩短施工期或 overrun_days，减少每个辖区允许的施工单位，或把工程拆成几个方案文件\
             （例如每个辖区或每个施工季一个）"
        ),
    );
}
