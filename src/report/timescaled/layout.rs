//! Rows, event rows, numbering and crossings of an arrow network (see the
//! parent module for the drawing rules).

use super::build::{Graph, Point};
use super::works::Work;
use std::collections::{BTreeSet, HashMap};

/// An event (node) of the arrow network.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Number, increasing along every arrow and dummy (from 1).
    pub number: usize,
    /// Day on the plan's grid.
    pub day: i64,
    /// Row it is drawn on.
    pub row: usize,
}

/// A section arrow of a work: from its tail event to its head event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    /// Work it belongs to.
    pub work: usize,
    /// Tail event.
    pub tail: usize,
    /// Head event.
    pub head: usize,
    /// Row of its horizontal part (its work's row).
    pub row: usize,
}

/// A dummy arrow (虚工作).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dummy {
    /// From event.
    pub from: usize,
    /// To event.
    pub to: usize,
    /// Row of its horizontal (wavy) part when it spans time.
    pub row: Option<usize>,
}

/// A horizontal stroke: row, first day, last day.
pub type Horizontal = (usize, i64, i64);
/// A vertical stroke: day, upper row, lower row.
pub type Vertical = (i64, usize, usize);

/// A laid-out time-scaled arrow network.
#[derive(Debug, Clone, PartialEq)]
pub struct ArrowNetwork {
    /// Events.
    pub events: Vec<Event>,
    /// Section arrows, in work order then day order (a work without
    /// sections is a milestone, drawn as its event).
    pub arrows: Vec<Arrow>,
    /// Dummies left after the reduction.
    pub dummies: Vec<Dummy>,
    /// Dummies before the reduction (one per distinct tie).
    pub dummies_before: usize,
    /// Points of the works (start, end, attach days) and their events.
    pub points: Vec<Point>,
    /// Row of every work.
    pub work_rows: Vec<usize>,
    /// Rows that hold only the wavy parts of dummies (drawn thinner).
    pub lane_rows: Vec<bool>,
    /// Rows used.
    pub rows: usize,
    /// Crossings of horizontal and vertical strokes.
    pub crossings: usize,
}

impl ArrowNetwork {
    /// The event a work starts at.
    pub fn tail(&self, w: usize) -> usize {
        self.points
            .iter()
            .find(|p| p.work == w)
            .map_or(0, |p| p.event)
    }

    /// The event a work ends at.
    pub fn head(&self, w: usize) -> usize {
        self.points
            .iter()
            .rev()
            .find(|p| p.work == w)
            .map_or(0, |p| p.event)
    }

    /// Strokes in grid units: horizontals `(row, day0, day1)` and verticals
    /// `(day, row0, row1)`.
    pub fn strokes(&self) -> (Vec<Horizontal>, Vec<Vertical>) {
        let ev = &self.events;
        let day: Vec<i64> = ev.iter().map(|e| e.day).collect();
        let row: Vec<usize> = ev.iter().map(|e| e.row).collect();
        let secs: Vec<(usize, usize, usize)> = self
            .arrows
            .iter()
            .map(|a| (a.row, a.tail, a.head))
            .collect();
        let ds: Vec<(usize, usize, Option<usize>)> =
            self.dummies.iter().map(|d| (d.from, d.to, d.row)).collect();
        strokes(&day, &row, &secs, &ds)
    }
}

/// Strokes of sections `(row, tail, head)` and dummies `(from, to, row)`.
fn strokes(
    day: &[i64],
    event_row: &[usize],
    secs: &[(usize, usize, usize)],
    ds: &[(usize, usize, Option<usize>)],
) -> (Vec<Horizontal>, Vec<Vertical>) {
    let mut h = Vec::new();
    let mut v = Vec::new();
    let mut join = |x: i64, r0: usize, r1: usize| {
        if r0 != r1 {
            v.push((x, r0.min(r1), r0.max(r1)));
        }
    };
    for &(r, t, hd) in secs {
        h.push((r, day[t], day[hd]));
        join(day[t], event_row[t], r);
        join(day[hd], r, event_row[hd]);
    }
    for &(f, t, row) in ds {
        match row {
            Some(r) => {
                h.push((r, day[f], day[t]));
                join(day[f], event_row[f], r);
                join(day[t], r, event_row[t]);
            }
            None => join(day[f], event_row[f], event_row[t]),
        }
    }
    (h, v)
}

/// Crossings of horizontal and vertical strokes (interior points only),
/// rows placed at `pos`.
fn crossings(h: &[Horizontal], v: &[Vertical], pos: &[usize]) -> usize {
    h.iter()
        .map(|&hz| v.iter().filter(|&&vt| crosses(hz, vt, pos)).count())
        .sum()
}

/// True when a horizontal and a vertical stroke cross at an interior
/// point of both, rows placed at `pos`.
fn crosses((r, a, b): Horizontal, (x, r0, r1): Vertical, pos: &[usize]) -> bool {
    let y = pos[r];
    let (y0, y1) = (pos[r0].min(pos[r1]), pos[r0].max(pos[r1]));
    a < x && x < b && y0 < y && y < y1
}

/// A row's occupied spans `(from, to, owner)`: the owner is the event a
/// dummy's wavy part leaves, `usize::MAX` for a work.
type Occupied = Vec<(i64, i64, usize)>;

/// True when `[a, b]` overlaps no span of `occ` in more than a point,
/// except spans of the same `owner` (dummies leaving one event share
/// their wavy line).
fn free(occ: &Occupied, a: i64, b: i64, owner: usize) -> bool {
    occ.iter()
        .all(|&(s, e, o)| e <= a || b <= s || (o == owner && o != usize::MAX))
}

/// Lays out a graph: rows, event rows, numbering and crossings.
pub fn layout(works: &[Work], g: Graph) -> ArrowNetwork {
    let m = g.day.len();
    let day = &g.day;
    let nw = works.len();
    let tail: Vec<usize> = (0..nw)
        .map(|w| g.points.iter().find(|p| p.work == w).map_or(0, |p| p.event))
        .collect();
    let head: Vec<usize> = (0..nw)
        .map(|w| {
            g.points
                .iter()
                .rev()
                .find(|p| p.work == w)
                .map_or(0, |p| p.event)
        })
        .collect();
    // 1. Works into rows like intervals: a chain continues along its row,
    // else the first row free from the work's start (a day apart). A row
    // stays reserved after a work's head event up to the last event its
    // dummies reach, for their wavy parts.
    let mut reach_to: Vec<i64> = day.clone();
    for &(a, b) in &g.dummies {
        reach_to[a] = reach_to[a].max(day[b]);
    }
    let mut order: Vec<usize> = (0..nw).collect();
    order.sort_by_key(|&w| {
        let crit = !works[w].critical.is_empty();
        (works[w].start, !crit, -(day[head[w]] - works[w].start), w)
    });
    let mut occ: Vec<Occupied> = Vec::new();
    let mut last_head: Vec<usize> = Vec::new();
    let mut work_rows = vec![0usize; nw];
    for &w in &order {
        let (s, e) = (works[w].start, day[head[w]].max(works[w].start));
        let end_of =
            |r: usize, occ: &[Occupied]| occ[r].iter().map(|x| x.1).max().unwrap_or(i64::MIN);
        let r = (0..occ.len())
            .find(|&r| last_head[r] == tail[w] && end_of(r, &occ) <= s)
            .or_else(|| (0..occ.len()).find(|&r| end_of(r, &occ) < s))
            .unwrap_or_else(|| {
                occ.push(Vec::new());
                last_head.push(usize::MAX);
                occ.len() - 1
            });
        occ[r].push((s, e, usize::MAX));
        if reach_to[head[w]] > e {
            occ[r].push((e, reach_to[head[w]], head[w]));
        }
        last_head[r] = head[w];
        work_rows[w] = r;
    }
    // 2. Event rows: the median of the rows of its works.
    let mut touching: Vec<Vec<usize>> = vec![Vec::new(); m];
    for p in &g.points {
        touching[p.event].push(work_rows[p.work]);
    }
    let mut event_row: Vec<usize> = touching
        .iter()
        .map(|rs| {
            let mut v = rs.clone();
            v.sort_unstable();
            v.get(v.len().saturating_sub(1) / 2).copied().unwrap_or(0)
        })
        .collect();
    // Hubs (events of no work) on the median row of the events they join.
    for e in 0..m {
        if !touching[e].is_empty() {
            continue;
        }
        let mut rs: Vec<usize> = g
            .dummies
            .iter()
            .filter_map(|&(a, b)| {
                if a == e && !touching[b].is_empty() {
                    Some(event_row[b])
                } else if b == e && !touching[a].is_empty() {
                    Some(event_row[a])
                } else {
                    None
                }
            })
            .collect();
        rs.sort_unstable();
        event_row[e] = rs.get(rs.len().saturating_sub(1) / 2).copied().unwrap_or(0);
    }
    // 3. Dummies that span time: the wavy part along the row of the event
    // they leave, else of the event they enter, else a row of their own
    // shared with dummies between the same rows.
    let mut ds: Vec<(usize, usize, Option<usize>)> = Vec::new();
    let mut lanes: Vec<((usize, usize), usize)> = Vec::new();
    let mut spanning: Vec<(usize, usize)> = g.dummies.clone();
    spanning.sort_by_key(|&(a, b)| (day[b] - day[a], day[a], a, b));
    for &(a, b) in &spanning {
        let (da, db) = (day[a], day[b]);
        if db <= da {
            ds.push((a, b, None));
            continue;
        }
        let (ra, rb) = (event_row[a], event_row[b]);
        let key = (ra.min(rb), ra.max(rb));
        let r = [ra, rb]
            .into_iter()
            .find(|&r| free(&occ[r], da, db, a))
            .or_else(|| {
                lanes
                    .iter()
                    .find(|(k, r)| *k == key && free(&occ[*r], da, db, a))
                    .map(|x| x.1)
            })
            .unwrap_or_else(|| {
                occ.push(Vec::new());
                lanes.push((key, occ.len() - 1));
                occ.len() - 1
            });
        occ[r].push((da, db, a));
        ds.push((a, b, Some(r)));
    }
    let nrows = occ.len().max(1);
    let secs: Vec<(usize, usize, usize)> = g
        .sections
        .iter()
        .map(|&(w, t, h)| (work_rows[w], t, h))
        .collect();
    // 4. Row order: barycentre sweeps over the rows of works (each moved
    // to the mean position of the rows its strokes join), every lane of
    // dummies between the two rows it joins, then swaps of neighbouring
    // rows while they remove crossings.
    let nwork_rows = nrows - lanes.len();
    let (hs, vs) = strokes(day, &event_row, &secs, &ds);
    let mut joined: Vec<Vec<usize>> = vec![Vec::new(); nwork_rows];
    let lane_key: HashMap<usize, (usize, usize)> = lanes.iter().map(|&(k, r)| (r, k)).collect();
    let base = |r: usize| lane_key.get(&r).map_or(r, |k| k.0);
    for &(_, r0, r1) in &vs {
        let (a, b) = (base(r0), base(r1));
        if a != b {
            joined[a].push(b);
            joined[b].push(a);
        }
    }
    let mut wpos: Vec<f64> = (0..nwork_rows).map(|r| r as f64).collect();
    for _ in 0..8 {
        let key: Vec<f64> = (0..nwork_rows)
            .map(|r| {
                let js = &joined[r];
                (wpos[r] + js.iter().map(|&q| wpos[q]).sum::<f64>()) / (js.len() + 1) as f64
            })
            .collect();
        let mut ord: Vec<usize> = (0..nwork_rows).collect();
        ord.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(wpos[a].total_cmp(&wpos[b])));
        for (p, &r) in ord.iter().enumerate() {
            wpos[r] = p as f64;
        }
    }
    let fpos: Vec<f64> = (0..nrows)
        .map(|r| match lane_key.get(&r) {
            Some(&(a, b)) => (wpos[a] + wpos[b]) / 2.0 + 0.25 + r as f64 * 1e-6,
            None => wpos[r],
        })
        .collect();
    let mut ord: Vec<usize> = (0..nrows).collect();
    ord.sort_by(|&a, &b| fpos[a].total_cmp(&fpos[b]));
    let mut pos = vec![0usize; nrows];
    for (p, &r) in ord.iter().enumerate() {
        pos[r] = p;
    }
    let mut at: Vec<usize> = vec![0; nrows];
    for (r, &p) in pos.iter().enumerate() {
        at[p] = r;
    }
    // Swapping two neighbouring rows changes only the crossings of their
    // own horizontals with the verticals that end on the other row, so each
    // swap is judged by those pairs alone (the same decisions as counting
    // every crossing again, in time proportional to the two rows' strokes).
    let mut h_on: Vec<Vec<usize>> = vec![Vec::new(); nrows];
    for (i, &(r, _, _)) in hs.iter().enumerate() {
        h_on[r].push(i);
    }
    let mut v_on: Vec<Vec<usize>> = vec![Vec::new(); nrows];
    for (i, &(_, r0, r1)) in vs.iter().enumerate() {
        v_on[r0].push(i);
        if r1 != r0 {
            v_on[r1].push(i);
        }
    }
    let local = |r0: usize, r1: usize, pos: &[usize]| -> usize {
        let mut n = 0;
        for (hr, vr) in [(r0, r1), (r1, r0)] {
            for &i in &h_on[hr] {
                let (r, a, b) = hs[i];
                n += v_on[vr]
                    .iter()
                    .filter(|&&j| crosses((r, a, b), vs[j], pos))
                    .count();
            }
        }
        n
    };
    for _ in 0..4 {
        let mut improved = false;
        for p in 0..nrows.saturating_sub(1) {
            let (r0, r1) = (at[p], at[p + 1]);
            let before = local(r0, r1, &pos);
            pos.swap(r0, r1);
            if local(r0, r1, &pos) < before {
                at.swap(p, p + 1);
                improved = true;
            } else {
                pos.swap(r0, r1);
            }
        }
        if !improved {
            break;
        }
    }
    let mut lane_rows = vec![false; nrows];
    for &(_, r) in &lanes {
        lane_rows[pos[r]] = true;
    }
    for r in event_row.iter_mut() {
        *r = pos[*r];
    }
    for r in work_rows.iter_mut() {
        *r = pos[*r];
    }
    let dummies: Vec<Dummy> = ds
        .iter()
        .map(|&(from, to, row)| Dummy {
            from,
            to,
            row: row.map(|r| pos[r]),
        })
        .collect();
    let arrows: Vec<Arrow> = g
        .sections
        .iter()
        .map(|&(work, tail, head)| Arrow {
            work,
            tail,
            head,
            row: work_rows[work],
        })
        .collect();
    // 5. Numbering: a topological order by (day, row).
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut indeg = vec![0usize; m];
    for (a, b) in arrows
        .iter()
        .map(|a| (a.tail, a.head))
        .chain(dummies.iter().map(|d| (d.from, d.to)))
    {
        out[a].push(b);
        indeg[b] += 1;
    }
    let mut ready: BTreeSet<(i64, usize, usize)> = (0..m)
        .filter(|&x| indeg[x] == 0)
        .map(|x| (day[x], event_row[x], x))
        .collect();
    let mut number = vec![0usize; m];
    let mut next = 1;
    while let Some(first) = ready.pop_first() {
        let x = first.2;
        number[x] = next;
        next += 1;
        for &y in &out[x] {
            indeg[y] -= 1;
            if indeg[y] == 0 {
                ready.insert((day[y], event_row[y], y));
            }
        }
    }
    let events: Vec<Event> = (0..m)
        .map(|x| Event {
            number: number[x],
            day: day[x],
            row: event_row[x],
        })
        .collect();
    let mut net = ArrowNetwork {
        events,
        arrows,
        dummies,
        dummies_before: g.dummies_before,
        points: g.points,
        work_rows,
        lane_rows,
        rows: nrows,
        crossings: 0,
    };
    let (h, v) = net.strokes();
    net.crossings = crossings(&h, &v, &(0..nrows).collect::<Vec<_>>());
    net
}
