//! The terminal summary of a network plan: the figures a manager reads
//! first, then the late stations, the milestones and the crews' utilisation
//! as aligned tables.

use super::lang::{pad, Labels, Lang};
use super::solver_words::solver_words;
use super::table::table;
use crate::plan::cpm::{MilestoneKind, NetworkPlan};
use crate::plan::explain::{total_waits, waits_text, LateCause, LateReason};
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
                l.crew_type_name(&u.crew),
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
    let lv = &plan.levels;
    let late = plan.late_stations();
    let mut rows = vec![
        (
            l.window,
            format!("{} – {}", plan.window_start, plan.window_end),
        ),
        (l.deadline, plan.deadline.to_string()),
        (l.finish, finish_text(np, l)),
        (l.heat_ready, households_text(np, l)),
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
        (l.crew_days, crew_days_text(np, l)),
        (
            l.min_float_logic,
            format!("{} {}", np.logic_min_float, l.days),
        ),
        (
            l.min_float_resource,
            format!("{} {}", np.resource_min_float, l.days),
        ),
        (
            l.solver,
            // The status without the folded objective's gap, which mixes
            // the levels; each level carries its own bound above.
            {
                let status = solver_words(q.status.split(" (gap").next().unwrap_or(&q.status));
                let (status, stop) = (status.get(lang), solver_words(&q.stop_reason));
                let (stop, secs) = (stop.get(lang), q.seconds);
                match lang {
                    Lang::En => format!("{status}, {secs:.1} s ({stop})"),
                    Lang::Zh => format!("{status}，{secs:.1} 秒（{stop}）"),
                }
            },
        ),
    ];
    if !lv.nodes.is_empty() {
        // The second level sits right after the first (households, stations).
        rows.insert(4, (l.time_nodes, nodes_text(np, l)));
    }
    rows
}

/// The finish with the earliest finish any plan can have.
fn finish_text(np: &NetworkPlan, l: &Labels) -> String {
    let plan = &np.plan;
    let mut t = plan.finish.to_string();
    if plan.finish > plan.deadline {
        t.push_str(l.after_deadline);
    }
    match plan.levels.finish_bound {
        Some(b) if b >= plan.finish => {
            let _ = write!(t, " · {}", l.proven_best);
        }
        Some(b) => {
            if whole_proven(np) {
                let _ = write!(t, " · {}", l.proven_given_above);
            }
            let _ = write!(t, " · {} {b}", l.no_earlier_than);
        }
        None if whole_proven(np) => {
            let _ = write!(t, " · {}", l.proven_given_above);
        }
        None => {}
    }
    t
}

/// True when the solve proved the whole objective optimal: every level is
/// then the best among the plans as good on the levels above it, even where
/// that level's own bound (over all plans) is lower.
fn whole_proven(np: &NetworkPlan) -> bool {
    let q = &np.plan.quality;
    q.objective <= q.bound
}

/// The crew-days beside their bound, and whether they are proven best.
fn crew_days_text(np: &NetworkPlan, l: &Labels) -> String {
    let (days, bound) = (np.plan.crew_days, np.plan.levels.crew_days_bound);
    if days <= bound {
        return format!("{days} · {}", l.proven_best);
    }
    let mut t = days.to_string();
    if whole_proven(np) {
        let _ = write!(t, " · {}", l.proven_given_above);
    }
    let _ = write!(t, " · {} {bound}", l.at_least);
    t
}

/// Households heat-ready by the deadline, and whether that is proven best.
fn households_text(np: &NetworkPlan, l: &Labels) -> String {
    let plan = &np.plan;
    let lv = &plan.levels;
    let mut t = format!(
        "{} {} {} ({:.1} %) · ",
        plan.households_on_time,
        l.households_of,
        plan.households_total,
        on_time_percent(np)
    );
    if lv.households_proven_best() {
        t.push_str(l.proven_best);
    } else {
        let _ = write!(
            t,
            "{} ({} {} {})",
            l.not_proven, l.unavoidable, lv.household_days_bound, l.household_days_late
        );
    }
    t
}

/// The time nodes met and missed, and whether that is proven best.
fn nodes_text(np: &NetworkPlan, l: &Labels) -> String {
    let lv = &np.plan.levels;
    let missed = lv.missed_nodes().count();
    let mut t = format!(
        "{} {}, {} {} · ",
        lv.nodes.len() - missed,
        l.nodes_met,
        missed,
        l.nodes_missed,
    );
    if lv.node_days_late <= lv.node_days_bound {
        t.push_str(l.proven_best);
    } else if lv.node_days_bound > 0 {
        // Not every node can be met (with every station on time when the
        // plan has them so): the level's proven least, as for households.
        let _ = write!(
            t,
            "{} ({} {} {})",
            l.not_proven, l.unavoidable, lv.node_days_bound, l.node_days_late
        );
    } else {
        t.push_str(l.not_proven);
    }
    t
}

/// The time-node table: header and rows (columns 5 and 6 are numeric): each
/// node met or missed by how many days, with its proven least lateness.
pub fn node_table(np: &NetworkPlan, l: &Labels) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let head = vec![l.id, l.name, l.due, l.date, l.variance, l.least_late];
    let rows = np
        .plan
        .levels
        .nodes
        .iter()
        .map(|n| {
            vec![
                n.id.clone(),
                n.name.clone(),
                n.due.to_string(),
                n.date.to_string(),
                if n.days_late == 0 {
                    l.met.to_string()
                } else {
                    format!("{} {}", l.missed_by, n.days_late)
                },
                n.least_days_late.to_string(),
            ]
        })
        .collect();
    (head, rows)
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
    if !plan.levels.nodes.is_empty() {
        let _ = writeln!(out, "\n  {}", l.time_nodes);
        let (head, rows) = node_table(np, l);
        out += &table(&head, &rows, &[5], 4);
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

/// One late station's reason in a sentence: the chain that holds it, or
/// the date it could make with unlimited crews.
pub fn late_reason_text(r: &LateReason, lang: Lang) -> String {
    let waited = |w: &[crate::plan::explain::CrewWait]| {
        waits_text(w).map_or_else(String::new, |t| match lang {
            Lang::En => format!(": {}", t.get(lang)),
            Lang::Zh => format!("：{}", t.get(lang)),
        })
    };
    match (&r.cause, lang) {
        (
            LateCause::Crews {
                earliest_finish,
                waited: w,
            },
            Lang::En,
        ) => format!(
            "could be heat-ready by {earliest_finish} with unlimited crews; it waits for crews shared with other work{}",
            waited(w)
        ),
        (
            LateCause::Crews {
                earliest_finish,
                waited: w,
            },
            Lang::Zh,
        ) => format!(
            "若班组不限，可于 {earliest_finish} 具备供热条件；它在等待与其他工作共用的班组{}",
            waited(w)
        ),
        (
            LateCause::Chain {
                earliest_finish,
                chain,
                idle_days,
                output_lost_days,
            },
            _,
        ) => {
            let finish = earliest_finish.map(|d| d.to_string());
            let chain = chain.join(" → ");
            match lang {
                Lang::En => format!(
                    "even with unlimited crews not before {}: {chain} ({idle_days} idle days, {output_lost_days:.1} days of output lost on the way)",
                    finish.as_deref().unwrap_or("the end of the grid")
                ),
                Lang::Zh => format!(
                    "即使班组不限，也不早于 {}：{chain}（途中停工 {idle_days} 天，损失 {output_lost_days:.1} 天产量）",
                    finish.as_deref().unwrap_or("日历网格之末")
                ),
            }
        }
    }
}

/// Why the plan's missed time nodes are missed (the chain with its lost
/// days, or the crews short with their crew-days, or the crew types waited
/// for), one line each beside its proven least lateness; empty when every
/// node is met.
pub fn why_nodes_late_text(np: &NetworkPlan, lang: Lang) -> String {
    let mut out = String::new();
    if np.why_nodes_late.is_empty() {
        return out;
    }
    let colon = match lang {
        Lang::En => ":",
        Lang::Zh => "：",
    };
    let _ = writeln!(out, "\n{}{colon}", lang.labels().why_nodes_missed);
    for r in &np.why_nodes_late {
        let _ = writeln!(out, "  {}", node_reason_line(np, r, lang));
    }
    out
}

/// One missed node's reason with its days late and proven least lateness.
pub fn node_reason_line(
    np: &NetworkPlan,
    r: &crate::plan::explain::NodeLateReason,
    lang: Lang,
) -> String {
    let text = r.text();
    let Some(n) = np.plan.levels.nodes.iter().find(|n| n.id == r.node) else {
        return text.get(lang).to_string();
    };
    let (late, least) = (n.days_late, n.least_days_late);
    let mut figures = match lang {
        Lang::En => format!("missed by {late} days, proven at least {least}"),
        Lang::Zh => format!("延误 {late} 天，已证明至少 {least} 天"),
    };
    // The node alone may be reachable while the nodes together are not:
    // then what is proven is the level's least node-days.
    let lv = &np.plan.levels;
    if least < late && lv.node_days_bound > 0 {
        let all = lv.node_days_bound;
        let held = lv.household_days_late == 0;
        let _ = match (lang, held) {
            (Lang::En, true) => write!(
                figures,
                "; not every node can be met with every station on time: at least {all} node-days"
            ),
            (Lang::En, false) => write!(
                figures,
                "; not every node can be met: at least {all} node-days"
            ),
            (Lang::Zh, true) => write!(
                figures,
                "；在所有换热站按期的前提下，时间节点不能全部按期：至少 {all} 节点·天"
            ),
            (Lang::Zh, false) => write!(figures, "；时间节点不能全部按期：至少 {all} 节点·天"),
        };
    }
    format!("{} [{figures}]", text.get(lang))
}

/// The "why late" lines printed after the summary: each station held by a
/// chain (the first few), then one line for the stations that only wait for
/// crews. Empty when every station is on time.
pub fn why_late_text(np: &NetworkPlan, lang: Lang) -> String {
    const SHOWN: usize = 10;
    let reasons = &np.why_late;
    let mut out = String::new();
    if reasons.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\n{}",
        match lang {
            Lang::En => "why late:",
            Lang::Zh => "延误原因：",
        }
    );
    let (chain, crews): (Vec<_>, Vec<_>) = reasons.iter().partition(|r| r.chain_bound());
    for r in chain.iter().take(SHOWN) {
        let _ = writeln!(out, "  {}: {}", r.station, late_reason_text(r, lang));
    }
    if chain.len() > SHOWN {
        let more = chain.len() - SHOWN;
        let _ = match lang {
            Lang::En => writeln!(out, "  … and {more} more stations held up by a chain"),
            Lang::Zh => writeln!(out, "  … 另有 {more} 个热力站受工作链制约"),
        };
    }
    match crews.as_slice() {
        [] => {}
        [r] => {
            let _ = writeln!(out, "  {}: {}", r.station, late_reason_text(r, lang));
        }
        _ => {
            let names: Vec<&str> = crews
                .iter()
                .take(SHOWN)
                .map(|r| r.station.as_str())
                .collect();
            let (n, names) = (crews.len(), names.join(", "));
            let more = if crews.len() > SHOWN { ", …" } else { "" };
            // The crew types they waited for, summed over the stations.
            let all = total_waits(crews.iter().flat_map(|r| match &r.cause {
                LateCause::Crews { waited, .. } => waited.as_slice(),
                LateCause::Chain { .. } => &[],
            }));
            let waited = waits_text(&all).map_or_else(String::new, |t| match lang {
                Lang::En => format!(" ({} in all)", t.get(lang)),
                Lang::Zh => format!("（共{}）", t.get(lang)),
            });
            let _ = match lang {
                Lang::En => writeln!(
                    out,
                    "  {n} stations ({names}{more}) could be on time with unlimited crews: they wait for crews shared with other work{waited}"
                ),
                Lang::Zh => writeln!(
                    out,
                    "  {n} 个热力站（{names}{more}）在班组不限时可以按期：它们在等待与其他工作共用的班组{waited}"
                ),
            };
        }
    }
    out
}

/// The revisions of a chain for the terminal, oldest first: stations late
/// and household-days late (the first level), each with its proven least
/// value, and the gap on that level.
pub fn revisions_text(history: &[crate::plan::progress::RevisionSummary], lang: Lang) -> String {
    if history.is_empty() {
        return String::new();
    }
    let mut out = match lang {
        Lang::En => {
            "\nRevisions (lateness level: late / least any plan can have, gap):\n".to_string()
        }
        Lang::Zh => "\n计划版本（延误层级：延误 / 任何计划至少的延误，差距）：\n".to_string(),
    };
    for r in history {
        let date = r.data_date.map_or_else(
            || match lang {
                Lang::En => "baseline".to_string(),
                Lang::Zh => "基线".to_string(),
            },
            |d| d.to_string(),
        );
        let least = r
            .stations_late_bound
            .map_or_else(|| "–".to_string(), |b| b.to_string());
        let (n, late, hd, hb, gap) = (
            r.number,
            r.stations_late,
            r.household_days_late,
            r.household_days_bound,
            r.lateness_gap(),
        );
        let _ = match lang {
            Lang::En => writeln!(
                out,
                "  {n:>2}  {date:<10}  stations late {late} / ≥ {least}  household-days late {hd} / ≥ {hb} (gap {gap:.1} %)"
            ),
            Lang::Zh => writeln!(
                out,
                "  {n:>2}  {date:<10}  延误热力站 {late} / ≥ {least}  延误户·天 {hd} / ≥ {hb}（差距 {gap:.1} %）"
            ),
        };
    }
    out
}
