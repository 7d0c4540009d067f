//! The terminal summary of a network plan: the figures a manager reads
//! first, then the late stations, the milestones and the crews' utilisation
//! as aligned tables.

use super::lang::{pad, Labels, Lang};
use super::table::table;
use crate::cpm::{MilestoneKind, NetworkPlan};
use std::fmt::Write;

/// At most this many activities of a critical path are printed.
const PATH_SHOWN: usize = 12;

/// A critical path as `a → b → …`, shortened in the middle when long.
pub fn path_text(path: &[String]) -> String {
    if path.len() <= PATH_SHOWN {
        return path.join(" → ");
    }
    let head = path[..PATH_SHOWN - 3].join(" → ");
    let tail = path[path.len() - 2..].join(" → ");
    format!("{head} → … ({}) … → {tail}", path.len() - PATH_SHOWN + 1)
}

/// Share of households heat-ready by the deadline, in percent.
pub fn on_time_percent(np: &NetworkPlan) -> f64 {
    let p = &np.plan;
    if p.households_total > 0 {
        100.0 * p.households_on_time as f64 / p.households_total as f64
    } else {
        100.0
    }
}

/// The late-station table, latest first: header and rows (days late and
/// households are the numeric columns 4 and 5).
pub fn late_station_table(np: &NetworkPlan, l: &Labels) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let head = vec![
        l.station,
        l.name,
        l.district,
        l.heat_ready_date,
        l.days_late,
        l.households,
    ];
    let rows = np
        .plan
        .late_stations()
        .iter()
        .map(|s| {
            vec![
                s.id.clone(),
                s.name.clone(),
                np.district_name(&s.district),
                s.heat_ready.to_string(),
                s.days_late.to_string(),
                s.households.to_string(),
            ]
        })
        .collect();
    (head, rows)
}

/// The crew-utilisation table: header and rows (columns 2–5 are numeric).
pub fn utilisation_table(np: &NetworkPlan, l: &Labels) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let head = vec![
        l.contractor,
        l.crew_type,
        l.crews,
        l.busy,
        l.available,
        l.utilisation,
    ];
    let rows = np
        .utilisation
        .iter()
        .map(|u| {
            vec![
                np.contractor_name(&u.contractor),
                u.crew.clone(),
                u.crews.to_string(),
                u.busy_days.to_string(),
                u.available_days.to_string(),
                format!("{:.0} %", 100.0 * u.utilisation),
            ]
        })
        .collect();
    (head, rows)
}

/// The label of a milestone kind.
pub fn kind_label(k: MilestoneKind, l: &Labels) -> &'static str {
    match k {
        MilestoneKind::Station => l.kind_station,
        MilestoneKind::District => l.kind_district,
        MilestoneKind::Scenario => l.kind_scenario,
    }
}

/// The summary's label–value rows, shared by the terminal and report.html.
pub fn summary_rows(np: &NetworkPlan, lang: Lang) -> Vec<(&'static str, String)> {
    let l = lang.labels();
    let plan = &np.plan;
    let q = &plan.quality;
    let late = plan.late_stations();
    vec![
        (
            l.window,
            format!("{} – {}", plan.window_start, plan.window_end),
        ),
        (l.deadline, plan.deadline.to_string()),
        (
            l.finish,
            format!(
                "{}{}",
                plan.finish,
                if plan.finish <= plan.deadline {
                    ""
                } else {
                    l.after_deadline
                }
            ),
        ),
        (
            l.heat_ready,
            format!(
                "{} {} {} ({:.1} %)",
                plan.households_on_time,
                l.households_of,
                plan.households_total,
                on_time_percent(np)
            ),
        ),
        (
            l.stations,
            format!(
                "{} {}, {} {}",
                plan.stations.len() - late.len(),
                l.on_time,
                late.len(),
                l.late
            ),
        ),
        (l.crew_days, plan.crew_days.to_string()),
        (
            l.min_float_logic,
            format!("{} {}", np.logic_min_float, l.days),
        ),
        (
            l.min_float_resource,
            format!("{} {}", np.resource_min_float, l.days),
        ),
        (
            l.solution,
            format!(
                "{} — {} {}, {} {}, {} {:.2} %, {:.1} s ({})",
                q.status,
                l.objective,
                q.objective,
                l.bound,
                q.bound,
                l.gap,
                100.0 * q.gap,
                q.seconds,
                q.stop_reason
            ),
        ),
    ]
}

/// The summary printed after `heatplan plan`.
pub fn plan_summary(np: &NetworkPlan, lang: Lang) -> String {
    let l = lang.labels();
    let plan = &np.plan;
    let late = plan.late_stations();
    let mut kv = summary_rows(np, lang);
    if let Some(p) = np.resource_critical_paths.first() {
        kv.push((l.resource_critical_path, path_text(p)));
    }
    let key_width = kv
        .iter()
        .map(|(k, _)| super::lang::display_width(k))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let _ = writeln!(out, "{}", plan.programme);
    for (k, v) in &kv {
        let _ = writeln!(out, "  {}  {v}", pad(k, key_width));
    }
    if !late.is_empty() {
        let _ = writeln!(out, "\n  {}", l.late_stations);
        let (head, rows) = late_station_table(np, l);
        out += &table(&head, &rows, &[4, 5], 4);
    }
    let ms: Vec<Vec<String>> = np
        .milestones
        .iter()
        .filter(|m| m.kind != MilestoneKind::Station)
        .map(|m| {
            vec![
                kind_label(m.kind, l).to_string(),
                m.id.clone(),
                m.name.clone(),
                m.date.to_string(),
                m.due.map(|d| d.to_string()).unwrap_or_default(),
                m.variance_days
                    .map(|v| format!("{v:+}"))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    if !ms.is_empty() {
        let _ = writeln!(out, "\n  {}", l.milestones);
        out += &table(
            &[l.kind, l.id, l.name, l.date, l.due, l.variance],
            &ms,
            &[5],
            4,
        );
    }
    if !np.utilisation.is_empty() {
        let _ = writeln!(out, "\n  {}", l.utilisation);
        let (head, rows) = utilisation_table(np, l);
        out += &table(&head, &rows, &[2, 3, 4, 5], 4);
    }
    out
}
