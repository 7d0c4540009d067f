//! The time-scaled arrow network (双代号时标网络图, JGJ/T 121): works as
//! arrows along a calendar, drawn from the plan's precedences.
//!
//! # Sheets
//!
//! Three levels of work ([`works`]): the city sheet `timescaled.svg` has
//! one arrow per work package (per district its pipe work — segments and
//! tasks — and its station work, the work without a district as one more
//! package, every milestone a node); each district sheet
//! `timescaled-DISTRICT.svg` has one arrow per element (segment, station,
//! task) of the district, the time nodes it feeds marked by a line at
//! their dates (as nodes, every element would run a wavy line of free
//! float up to the district's completion at the right edge); the
//! activity level (one arrow per activity) is written per district as
//! `timescaled-DISTRICT-activities.svg` with `--network-detail activities`.
//!
//! # Construction
//!
//! A work runs from its first activity's start to its last one's finish.
//! A link of the plan between activities of two works is a tie from the
//! day the predecessor activity finishes inside its work to the day the
//! successor activity starts inside its work; of the ties between two
//! works only the binding ones are kept (a later finish inside the
//! predecessor that holds an earlier start inside the successor implies
//! the tie). Every work is split into sections at the days its ties attach
//! at, each a short arrow between two events, so a summary arrow is one
//! labelled arrow with events inside it; a tie is a dummy (虚工作) between
//! the two events, and every dummy states something true of the plan:
//! "this work inside B cannot start before that work inside A has
//! finished". On activity sheets the ties attach at the ends, and the
//! arrows are not split.
//!
//! On element and activity sheets, dummies from a common set of points to
//! a common set of points then pass through a hub event when that makes
//! fewer (in a radial network every station waits for every segment on its
//! way from the source, and a hub is the event "the pipe up to here is
//! done"); on the city sheet every dummy stays one link of the plan.
//!
//! Then ([`build()`]), until nothing changes:
//!
//! 1. drop every dummy whose target is reachable from its source without it
//!    (transitive reduction);
//! 2. contract a dummy `u → v` into one event when it is the only way out of
//!    `u` (so `u` ends works only), or the only way into `v` (so `v` starts
//!    works only), provided the merged event still has one time (all
//!    sections leaving it, and milestones in it, are on one day, no section
//!    entering it ends after that day) and no two sections end up with the
//!    same pair of events.
//!
//! Both keep exactly the reachability between the points of the works:
//! whatever reaches the merged event reached `v` before, and whatever it
//! reaches was reached from `u`. Finding the fewest dummies is NP-hard in
//! general; this greedy contraction is the usual heuristic, and the number
//! left is printed on the sheet beside the number of ties it started from.
//!
//! # Drawing
//!
//! An event sits at its time: the day of the sections leaving it, or the
//! latest finish of those entering it when none leave. Each section's solid
//! part is its work on the calendar scale; the rest up to its head event is
//! a wavy line (free float). Works are packed into rows like intervals (a
//! chain of works continues along its row); an event is drawn once, on the
//! median row of its works, and sections on other rows join it by vertical
//! strokes. Dummies spanning no time are vertical dashed lines; one that
//! spans time runs its wavy part along the row of the event it leaves when
//! that row is free then, else along the row of the event it enters, else
//! on a row of its own shared with dummies between the same rows. The rows
//! are ordered by barycentre sweeps (each row moved to the mean position of
//! the rows its vertical strokes join), then neighbouring rows are swapped
//! while that removes crossings; crossings of horizontal and vertical
//! strokes are counted and printed on the sheet. Events are numbered in
//! increasing order along every arrow and dummy (a topological order by
//! time). Dates run along the top and the bottom, with a grid line per
//! working day; critical sections are bold red; station heat-ready points
//! and time nodes (with their due dates on the top axis) are marked.
//! Sheets are sized for A3 landscape when printed (the SVG scales to the
//! page).

pub mod build;
pub mod draw;
pub mod layout;
pub mod works;

use super::lang::Lang;
use crate::plan::bulletin::FrontPoint;
use crate::plan::cpm::{MilestoneKind, NetworkPlan};
pub use draw::{sheet_svg, Marks};
pub use layout::{Arrow, ArrowNetwork, Dummy, Event, Horizontal, Vertical};
use std::collections::HashMap;
pub use works::{activity_works, element_works, package_works, Tie, Work};

/// Builds and lays out the arrow network of `works` and `ties`, one dummy
/// per kept tie.
pub fn build(works: &[Work], ties: &[Tie]) -> ArrowNetwork {
    layout::layout(works, build::graph(works, ties, false))
}

/// Builds and lays out the arrow network of `works` and `ties`, dummies
/// gathered through hub events where that makes fewer.
pub fn build_with_hubs(works: &[Work], ties: &[Tie]) -> ArrowNetwork {
    layout::layout(works, build::graph(works, ties, true))
}

/// Heat-ready marks (labelled with the households when `labelled`), time
/// nodes and the front line of a sheet's works.
fn marks(
    np: &NetworkPlan,
    works: &[Work],
    labelled: bool,
    front: Option<(&[FrontPoint], i64)>,
    lang: Lang,
) -> Marks {
    let work_of: HashMap<usize, usize> = works
        .iter()
        .enumerate()
        .flat_map(|(w, work)| work.activities.iter().map(move |&a| (a, w)))
        .collect();
    let index = np.plan.index_by_id();
    let mut m = Marks::default();
    for ms in &np.milestones {
        let Some(&w) = index.get(ms.activity.as_str()).and_then(|a| work_of.get(a)) else {
            continue;
        };
        match ms.kind {
            MilestoneKind::Station => m.heat_ready.push((
                w,
                np.day_of(ms.date) + 1,
                labelled
                    .then(|| format!("{} {}", draw::words(lang)[5], ms.households.unwrap_or(0))),
            )),
            MilestoneKind::Scenario => m.nodes.push((
                w,
                if ms.name.is_empty() {
                    ms.id.clone()
                } else {
                    ms.name.clone()
                },
                ms.due.map(|d| np.day_of(d)),
            )),
            MilestoneKind::District => {}
        }
    }
    // Time nodes outside the sheet's works that its work feeds.
    for ms in np
        .milestones
        .iter()
        .filter(|m| m.kind == MilestoneKind::Scenario)
    {
        let Some(&a) = index.get(ms.activity.as_str()) else {
            continue;
        };
        let fed = np
            .links
            .iter()
            .any(|l| l.to == a && l.handover.is_none() && work_of.contains_key(&l.from));
        if fed && !work_of.contains_key(&a) {
            let name = if ms.name.is_empty() { &ms.id } else { &ms.name };
            m.dates.push((
                np.plan.activities[a].start_day as i64,
                format!("{name} {}", ms.date),
                ms.due.map(|d| np.day_of(d)),
            ));
        }
    }
    if let Some((points, dd)) = front {
        // A work's point is its most-behind activity's.
        let mut best: HashMap<usize, FrontPoint> = HashMap::new();
        for p in points {
            let Some(&w) = work_of.get(&p.activity) else {
                continue;
            };
            let e = best.entry(w).or_insert_with(|| p.clone());
            if p.offset_days < e.offset_days {
                *e = p.clone();
            }
        }
        let mut pts: Vec<(usize, FrontPoint)> = best
            .into_iter()
            .map(|(w, mut p)| {
                if works[w].activities.len() > 1 {
                    p.reached = dd as f64 + p.offset_days;
                }
                (w, p)
            })
            .collect();
        pts.sort_by_key(|(w, _)| *w);
        m.front = Some((pts, dd));
    }
    m
}

/// One sheet: its works, network and SVG.
fn sheet(
    np: &NetworkPlan,
    title: &str,
    (works, ties): (Vec<Work>, Vec<Tie>),
    labelled: bool,
    front: Option<(&[FrontPoint], i64)>,
    lang: Lang,
) -> String {
    // On the city sheet every dummy is one link of the plan; element and
    // activity sheets gather them through hubs.
    let net = if labelled {
        build_with_hubs(&works, &ties)
    } else {
        build(&works, &ties)
    };
    let mk = marks(np, &works, labelled, front, lang);
    sheet_svg(np, title, &works, &net, &mk, lang)
}

/// The city sheet `timescaled.svg` alone (one arrow per work package), as
/// [`sheets`] writes it.
pub fn city_sheet(np: &NetworkPlan, lang: Lang, front: Option<(&[FrontPoint], i64)>) -> String {
    let city = match lang {
        Lang::Zh => format!("{}（全市，按工作包）", np.plan.programme),
        Lang::En => format!("{} (city, by work package)", np.plan.programme),
    };
    sheet(np, &city, package_works(np, lang), false, front, lang)
}

/// Every sheet of a plan: `timescaled.svg` (the whole city, one arrow per
/// work package) and `timescaled-DISTRICT.svg` (one per district, one arrow
/// per element), with the front line when `front` is given (points and
/// data day).
pub fn sheets(
    np: &NetworkPlan,
    lang: Lang,
    front: Option<(&[FrontPoint], i64)>,
) -> Vec<(String, String)> {
    let mut out = vec![("timescaled.svg".to_string(), city_sheet(np, lang, front))];
    for d in &np.districts {
        let ws = element_works(np, Some(&d.id), false);
        if ws.0.iter().all(|w| w.start == w.end) {
            continue;
        }
        out.push((
            format!("timescaled-{}.svg", d.id),
            sheet(np, &np.district_name(&d.id), ws, true, front, lang),
        ));
    }
    out
}

/// The activity-level sheets `timescaled-DISTRICT-activities.svg` (one
/// arrow per activity of the district).
pub fn activity_sheets(
    np: &NetworkPlan,
    lang: Lang,
    front: Option<(&[FrontPoint], i64)>,
) -> Vec<(String, String)> {
    np.districts
        .iter()
        .filter_map(|d| {
            let ws = activity_works(np, Some(&d.id));
            (!ws.0.is_empty()).then(|| {
                (
                    format!("timescaled-{}-activities.svg", d.id),
                    sheet(np, &np.district_name(&d.id), ws, true, front, lang),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;
