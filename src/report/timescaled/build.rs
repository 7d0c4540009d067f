//! The arrow network of a set of works and ties: events, section arrows and
//! dummies, before layout (see the parent module for the construction).

use super::works::{Tie, Work};
use crate::schedule::problem::{topological_order, Link, LinkKind};
use std::collections::{BTreeSet, HashMap, HashSet};

/// A point of a work: a day at which the work is split (its start, its
/// end, or a day a tie attaches at).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Work.
    pub work: usize,
    /// Day on the plan's grid.
    pub day: i64,
    /// Event it became (index into the network's events).
    pub event: usize,
}

/// The network before layout: events with their days, sections and dummies
/// between events.
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    /// Points of every work, in work order then day order.
    pub points: Vec<Point>,
    /// Day of every event.
    pub day: Vec<i64>,
    /// Sections `(work, tail event, head event)`, in work and day order.
    pub sections: Vec<(usize, usize, usize)>,
    /// Dummies `(from event, to event)` left after the reduction.
    pub dummies: Vec<(usize, usize)>,
    /// Dummies before the reduction (one per distinct tie).
    pub dummies_before: usize,
}

struct Uf(Vec<usize>);
impl Uf {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut y = x;
        while self.0[y] != r {
            let n = self.0[y];
            self.0[y] = r;
            y = n;
        }
        r
    }
}

/// Builds the events, sections and dummies of `works` and `ties`; with
/// `hubs`, dummies from a common set of points to a common set of points
/// are gathered through a hub event (see the parent module).
pub fn graph(works: &[Work], ties: &[Tie], hubs: bool) -> Graph {
    // Points: start, end and every attach day of each work.
    let mut days: Vec<BTreeSet<i64>> = works.iter().map(|w| [w.start, w.end].into()).collect();
    let clamp = |w: usize, d: i64| d.clamp(works[w].start, works[w].end);
    for t in ties {
        days[t.from].insert(clamp(t.from, t.from_day));
        days[t.to].insert(clamp(t.to, t.to_day));
    }
    let mut points: Vec<(usize, i64)> = Vec::new();
    let mut pid: HashMap<(usize, i64), usize> = HashMap::new();
    let mut sections: Vec<(usize, usize, usize)> = Vec::new();
    let mut fixed: Vec<bool> = Vec::new();
    for (w, ds) in days.iter().enumerate() {
        let mut prev: Option<usize> = None;
        for &d in ds {
            let p = points.len();
            points.push((w, d));
            pid.insert((w, d), p);
            // A point with a section leaving it (or a milestone) keeps its day.
            fixed.push(d < works[w].end || works[w].start == works[w].end);
            if let Some(q) = prev {
                sections.push((w, q, p));
            }
            prev = Some(p);
        }
    }
    let mut dummies: Vec<(usize, usize)> = ties
        .iter()
        .filter(|t| t.from != t.to)
        .map(|t| {
            (
                pid[&(t.from, clamp(t.from, t.from_day))],
                pid[&(t.to, clamp(t.to, t.to_day))],
            )
        })
        .collect();
    dummies.sort_unstable();
    dummies.dedup();
    let dummies_before = dummies.len();
    if hubs {
        add_hubs(&mut points, &mut fixed, &mut dummies);
    }
    let n = points.len();
    let mut uf = Uf((0..n).collect());
    loop {
        let mut changed = false;
        let reps: Vec<usize> = (0..n).map(|p| uf.find(p)).collect();
        let secs: Vec<(usize, usize)> = sections
            .iter()
            .map(|&(_, t, h)| (reps[t], reps[h]))
            .collect();
        let mut ds: Vec<(usize, usize)> = dummies
            .iter()
            .map(|&(a, b)| (reps[a], reps[b]))
            .filter(|(a, b)| a != b)
            .collect();
        ds.sort_unstable();
        ds.dedup();
        // 1. Transitive reduction of the dummies.
        let kept = reduce(n, &secs, &ds);
        changed |= kept.len() != dummies.len();
        dummies = kept.clone();
        // 2. Contractions, several per pass with the degrees kept up to date.
        let mut outdeg = vec![0usize; n];
        let mut indeg = vec![0usize; n];
        for &(a, b) in secs.iter().chain(&kept) {
            outdeg[a] += 1;
            indeg[b] += 1;
        }
        for &(u, v) in &kept {
            let (u, v) = (uf.find(u), uf.find(v));
            if u == v || !(outdeg[u] == 1 || indeg[v] == 1) {
                continue;
            }
            if can_merge(&mut uf, &points, &fixed, &sections, u, v) {
                uf.0[u] = v;
                outdeg[v] = outdeg[v] + outdeg[u] - 1;
                indeg[v] = indeg[v] + indeg[u] - 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Events: one per class, numbered by first point.
    let reps: Vec<usize> = (0..n).map(|p| uf.find(p)).collect();
    let mut event_of: HashMap<usize, usize> = HashMap::new();
    for &r in &reps {
        let k = event_of.len();
        event_of.entry(r).or_insert(k);
    }
    let m = event_of.len();
    let mut fixed_day = vec![None; m];
    let mut latest = vec![i64::MIN; m];
    let points: Vec<Point> = points
        .iter()
        .enumerate()
        .map(|(p, &(work, day))| {
            let event = event_of[&reps[p]];
            if fixed[p] {
                fixed_day[event] = Some(day);
            }
            latest[event] = latest[event].max(day);
            Point { work, day, event }
        })
        .collect();
    let day: Vec<i64> = (0..m).map(|e| fixed_day[e].unwrap_or(latest[e])).collect();
    let hub_points = points.iter().filter(|p| p.work == usize::MAX).count();
    let sections = sections
        .iter()
        .map(|&(w, t, h)| (w, points[t].event, points[h].event))
        .collect();
    let mut ds: Vec<(usize, usize)> = dummies
        .iter()
        .map(|&(a, b)| (points[a].event, points[b].event))
        .filter(|(a, b)| a != b)
        .collect();
    ds.sort_unstable();
    ds.dedup();
    Graph {
        points: points[..points.len() - hub_points].to_vec(),
        day,
        sections,
        dummies: ds,
        dummies_before,
    }
}

/// The dummies of `ds` not implied by another path over `secs` and `ds`
/// (nodes `0..n`, a DAG).
fn reduce(n: usize, secs: &[(usize, usize)], ds: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in secs.iter().chain(ds) {
        out[a].push(b);
    }
    let Some(reach) = reachability(n, &out) else {
        return ds.to_vec();
    };
    let has = |x: usize, y: usize| (reach[x][y / 64] >> (y % 64)) & 1 == 1;
    let sec_set: HashSet<&(usize, usize)> = secs.iter().collect();
    ds.iter()
        .filter(|&&(a, b)| {
            !sec_set.contains(&(a, b)) && !out[a].iter().any(|&y| y != b && has(y, b))
        })
        .copied()
        .collect()
}

/// For every node of a DAG, the bitset of the nodes it reaches (itself
/// excluded unless on a path); `None` when the graph has a cycle (a
/// start-to-start link with a negative lag can draw one).
pub fn reachability(n: usize, out: &[Vec<usize>]) -> Option<Vec<Vec<u64>>> {
    let links: Vec<Link> = out
        .iter()
        .enumerate()
        .flat_map(|(from, o)| {
            o.iter().map(move |&to| Link {
                from,
                to,
                kind: LinkKind::FinishToStart,
                lag: 0,
            })
        })
        .collect();
    let order = topological_order(n, &links)?;
    let words = n.div_ceil(64);
    let mut reach = vec![vec![0u64; words]; n];
    for &x in order.iter().rev() {
        let mut r = vec![0u64; words];
        for &y in &out[x] {
            r[y / 64] |= 1 << (y % 64);
            for (k, w) in reach[y].iter().enumerate() {
                r[k] |= w;
            }
        }
        reach[x] = r;
    }
    Some(reach)
}

/// True when the classes of `u` and `v` may become one event: one time (the
/// points with a section leaving them, and milestones, share a day; no
/// other point is later) and no two sections with the same pair of events.
fn can_merge(
    uf: &mut Uf,
    points: &[(usize, i64)],
    fixed: &[bool],
    sections: &[(usize, usize, usize)],
    u: usize,
    v: usize,
) -> bool {
    let map = |p: usize, uf: &mut Uf| {
        let r = uf.find(p);
        if r == u {
            v
        } else {
            r
        }
    };
    let mut pairs = HashSet::new();
    for &(_, t, h) in sections {
        let (t2, h2) = (map(t, uf), map(h, uf));
        if t2 == h2 || !pairs.insert((t2, h2)) {
            return false;
        }
    }
    let mut day: Option<i64> = None;
    let mut latest = i64::MIN;
    for (p, &(_, d)) in points.iter().enumerate() {
        if map(p, uf) != v {
            continue;
        }
        if fixed[p] {
            match day {
                Some(x) if x != d => return false,
                _ => day = Some(d),
            }
        } else {
            latest = latest.max(d);
        }
    }
    day.is_none_or(|x| latest <= x)
}

/// Gathers dummies through hub events, greedily: while some set `C` of
/// at least two points all lead to each of a set `T` of at least two
/// points and `|C|·|T| > |C| + |T|`, the `|C|·|T|` dummies become `|C|`
/// into a new hub (on the day the last of `C` is reached) and `|T|` out of
/// it. Reachability between the points is unchanged. In a radial network
/// every station waits for every segment on its way from the source, and a
/// hub is the event "the pipe up to here is done".
fn add_hubs(
    points: &mut Vec<(usize, i64)>,
    fixed: &mut Vec<bool>,
    dummies: &mut Vec<(usize, usize)>,
) {
    use std::collections::BTreeMap;
    loop {
        let mut preds: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        for &(a, b) in dummies.iter() {
            preds.entry(b).or_default().insert(a);
        }
        let targets: Vec<usize> = preds.keys().copied().collect();
        let mut best: Option<(usize, Vec<usize>, Vec<usize>, i64)> = None;
        for (i, &ti) in targets.iter().enumerate() {
            for &tj in &targets[i + 1..] {
                let common: Vec<usize> = preds[&ti].intersection(&preds[&tj]).copied().collect();
                if common.len() < 2 {
                    continue;
                }
                let to: Vec<usize> = targets
                    .iter()
                    .copied()
                    .filter(|t| common.iter().all(|c| preds[t].contains(c)))
                    .collect();
                let day = common.iter().map(|&c| points[c].1).max().unwrap_or(0);
                if to.iter().any(|&t| points[t].1 < day) {
                    continue;
                }
                let (c, t) = (common.len(), to.len());
                if c * t <= c + t {
                    continue;
                }
                let gain = c * t - c - t;
                if best.as_ref().is_none_or(|b| gain > b.0) {
                    best = Some((gain, common, to, day));
                }
            }
        }
        let Some((_, common, to, day)) = best else {
            return;
        };
        let h = points.len();
        points.push((usize::MAX, day));
        fixed.push(false);
        dummies.retain(|(a, b)| !(common.contains(a) && to.contains(b)));
        dummies.extend(common.iter().map(|&c| (c, h)));
        dummies.extend(to.iter().map(|&t| (h, t)));
        dummies.sort_unstable();
    }
}
