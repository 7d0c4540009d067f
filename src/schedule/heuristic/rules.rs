//! Priority rules on the CPM windows and the due days, the genetic
//! search's starting points.

use super::*;

/// Priority values per rule, smaller = scheduled earlier: latest finish,
/// latest start, minimum slack, most total successors, greatest rank
/// positional weight, and latest finish tightened by due days.
pub(super) fn priority_rules(p: &Problem, w: &Windows) -> Vec<Vec<i64>> {
    let n = p.activities.len();
    let dur = min_durations(p);
    let desc = descendants(p);
    let lft: Vec<i64> = w.lf.iter().map(|&x| x as i64).collect();
    let lst: Vec<i64> = w.ls.iter().map(|&x| x as i64).collect();
    let slack: Vec<i64> = (0..n).map(|a| w.ls[a] as i64 - w.es[a] as i64).collect();
    let mts: Vec<i64> = desc.iter().map(|d| -(d.len() as i64)).collect();
    let grpw: Vec<i64> = (0..n)
        .map(|a| -(dur[a] + desc[a].iter().map(|&b| dur[b]).sum::<i64>()))
        .collect();
    let mut rules = vec![lft, lst, slack, mts, grpw];
    if p.groups.iter().any(|g| g.level == Level::Households) {
        rules.push(due_latest_finish(p, w, &dur, Some(Level::Households)));
    }
    if p.groups.iter().any(|g| g.level == Level::Node) {
        // The time nodes' due days too (the stations' first where both bind).
        rules.push(due_latest_finish(p, w, &dur, None));
    }
    if let Some(b) = &p.baseline {
        // Re-planning: the baseline's order, so the first candidates stay close to it.
        rules.push(
            (0..n)
                .map(|a| b.starts[a].unwrap_or(w.es[a]).max(w.es[a]) as i64)
                .collect(),
        );
    }
    rules
}

/// The shortest duration of each activity over its modes.
pub(super) fn min_durations(p: &Problem) -> Vec<i64> {
    p.activities
        .iter()
        .map(|a| {
            a.modes
                .iter()
                .map(|m| m.timing.min_duration())
                .min()
                .unwrap_or(0) as i64
        })
        .collect()
}

/// All transitive successors of every activity.
pub(super) fn descendants(p: &Problem) -> Vec<Vec<ActId>> {
    let n = p.activities.len();
    let words = n.div_ceil(64);
    let mut bits = vec![vec![0u64; words]; n];
    let out = p.out_links();
    if let Some(order) = p.topological_order() {
        for &a in order.iter().rev() {
            for &li in &out[a] {
                let b = p.links[li].to;
                bits[a][b / 64] |= 1 << (b % 64);
                let (lo, hi) = bits.split_at_mut(a.max(b));
                let (src, dst) = if a < b {
                    (&hi[0], &mut lo[a])
                } else {
                    (&lo[b], &mut hi[0])
                };
                for (d, s) in dst.iter_mut().zip(src.iter()) {
                    *d |= s;
                }
            }
        }
    }
    bits.iter()
        .map(|row| {
            (0..n)
                .filter(|&b| row[b / 64] >> (b % 64) & 1 == 1)
                .collect()
        })
        .collect()
}

/// The due day of each activity's earliest-due group on `level`
/// (`Day::MAX` if none).
pub(super) fn level_due(p: &Problem, level: Level) -> Vec<Day> {
    let mut due = vec![Day::MAX; p.activities.len()];
    for g in p.groups.iter().filter(|g| g.level == level) {
        for &a in &g.members {
            due[a] = due[a].min(g.due);
        }
    }
    due
}

/// Latest finish when every due group's due day (if earlier than the
/// horizon) acts as a deadline for its members, propagated backwards; only
/// the groups on `level` when one is given.
pub(super) fn due_latest_finish(
    p: &Problem,
    w: &Windows,
    dur: &[i64],
    level: Option<Level>,
) -> Vec<i64> {
    let n = p.activities.len();
    let mut dl: Vec<i64> = w.lf.iter().map(|&x| x as i64).collect();
    for g in p
        .groups
        .iter()
        .filter(|g| level.is_none_or(|l| g.level == l))
    {
        for &a in &g.members {
            dl[a] = dl[a].min(g.due as i64);
        }
    }
    let out = p.out_links();
    if let Some(order) = p.topological_order() {
        for &a in order.iter().rev() {
            for &li in &out[a] {
                let l = &p.links[li];
                let succ_start = dl[l.to] - dur[l.to];
                let bound = match l.kind {
                    crate::schedule::problem::LinkKind::FinishToStart => succ_start - l.lag as i64,
                    crate::schedule::problem::LinkKind::StartToStart => {
                        succ_start - l.lag as i64 + dur[a]
                    }
                };
                dl[a] = dl[a].min(bound);
            }
        }
    }
    debug_assert_eq!(dl.len(), n);
    dl
}
