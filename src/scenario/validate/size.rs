//! The size of the scheduling model a scenario expands into: every
//! activity has one day table per contractor allowed to do it, so a huge
//! programme over a long horizon would exhaust memory. Reported before the
//! expansion, with the numbers that make it up.

use super::limits::{MAX_OVERRUN_DAYS, MAX_TIMING_ENTRIES, MAX_WINDOW_DAYS};
use super::Checker;
use crate::scenario::{Contractor, Scenario};
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
    let contractors: HashMap<&str, &Contractor> = s
        .contractors
        .iter()
        .map(|x| (x.id.get_ref().as_str(), x))
        .collect();
    let mut cache: HashMap<(&str, &str), u64> = HashMap::new();
    let mut modes = |district: &'a str, crew: &'a str| -> u64 {
        *cache.entry((district, crew)).or_insert_with(|| {
            let allowed = s.districts.iter().find(|d| d.id.get_ref() == district);
            let n = allowed.map_or(0, |d| {
                d.contractors
                    .iter()
                    .filter_map(|id| contractors.get(id.get_ref().as_str()))
                    .filter(|x| x.crews.get(crew).is_some_and(|n| *n.get_ref() > 0))
                    .count() as u64
            });
            // An activity nobody may do still gets one (crew-less) mode.
            n.max(1)
        })
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
        format!(
            "the programme is too large to schedule: {activities} activities with {options} \
             contractor options over a {days}-day horizon make {entries} day entries in the \
             scheduling model, more than the {MAX_TIMING_ENTRIES} (about 1 GB) heatplan handles"
        ),
        "shorten the construction window or overrun_days, allow fewer contractors per district, \
         or split the programme into several scenarios (e.g. one per district or per season)",
    );
}
