//! The time-scaled arrow network (双代号时标网络图, JGJ/T 121): activities as
//! arrows along a calendar, drawn from the plan's precedences.
//!
//! # Construction
//!
//! Every activity (or element, on the city sheet) is one arrow from a tail
//! event to a head event. Start from two events per activity and one dummy
//! (虚工作) per precedence: a finish-to-start link is a dummy from the
//! predecessor's head to the successor's tail, a start-to-start link one
//! from the predecessor's tail (the event "started"; the lag is the float
//! the dummy shows). Then, until nothing changes:
//!
//! 1. drop every dummy whose target is reachable from its source without it
//!    (transitive reduction);
//! 2. contract a dummy `u → v` into one event when it is the only way out of
//!    `u` (so `u` holds heads only), or the only way into `v` (so `v` holds
//!    tails only), provided the merged event still has one time (all tails
//!    in it start on the same day, no head in it ends after that day) and no
//!    two arrows end up with the same pair of events.
//!
//! Both contractions keep exactly the relation "activity `b` cannot start
//! before activity `a` has finished" (a head reaches a tail): whatever
//! reaches the merged event reached `v` before, and whatever it reaches was
//! reached from `u`. Finding the fewest dummies is NP-hard in general; this
//! greedy contraction is the usual heuristic, and the number left is
//! reported ([`ArrowNetwork::dummies`]).
//!
//! # Drawing
//!
//! An event sits at its time: the start day of the arrows leaving it, or
//! the latest finish of the arrows entering it when none leave. Each arrow's
//! solid part is its duration on the calendar scale; the rest up to its
//! head event is a wavy line (free float). Arrows are packed into rows like
//! intervals (a chain of arrows continues along its row); an event is drawn
//! once, on the median row of its arrows, and arrows on other rows join it
//! by vertical strokes. Dummies spanning no time are vertical dashed lines;
//! those that span time get a row of their own (dashed, with a wavy line).
//! The rows are ordered by a barycentre sweep (each row moved to the mean
//! position of the rows it is joined to, four sweeps) to keep crossings low;
//! crossings of horizontal and vertical strokes are counted and printed on
//! the sheet. Events are numbered in increasing order along every arrow and
//! dummy (a topological order by time). Dates run along the top and the
//! bottom, with a grid line per working day; the critical arrows are bold
//! red; station heat-ready points and time nodes are marked. Sheets are
//! sized for A3 landscape when printed (the SVG scales to the page).

use super::lang::Lang;
use super::xml::{esc, FONT_FAMILY};
use crate::plan::bulletin::FrontPoint;
use crate::plan::cpm::{MilestoneKind, NetworkPlan};
use chrono::Datelike;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write;

/// One arrow to draw: an activity or an element.
#[derive(Debug, Clone, PartialEq)]
pub struct Work {
    /// Id (activity or element).
    pub id: String,
    /// Label drawn above the arrow.
    pub label: String,
    /// Start day on the plan's grid.
    pub start: i64,
    /// End day (exclusive).
    pub end: i64,
    /// On the critical path.
    pub critical: bool,
    /// Plan activity index, for the activity-level sheets.
    pub activity: Option<usize>,
}

/// A precedence between two works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prec {
    /// Predecessor.
    pub from: usize,
    /// Successor.
    pub to: usize,
    /// Start-to-start (else finish-to-start).
    pub start_to_start: bool,
}

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

/// An activity arrow: from its tail event to its head event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrow {
    /// Tail event.
    pub tail: usize,
    /// Head event.
    pub head: usize,
    /// Row of its horizontal part.
    pub row: usize,
}

/// A dummy arrow (虚工作).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dummy {
    /// From event.
    pub from: usize,
    /// To event.
    pub to: usize,
    /// Row of its horizontal part when it spans time.
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
    /// One arrow per work, in the order given.
    pub arrows: Vec<Arrow>,
    /// Dummies left after the contraction.
    pub dummies: Vec<Dummy>,
    /// Dummies before the contraction (one per precedence).
    pub dummies_before: usize,
    /// Rows used.
    pub rows: usize,
    /// Crossings of horizontal and vertical strokes.
    pub crossings: usize,
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

/// Builds and lays out the arrow network of `works` and `precs`.
pub fn build(works: &[Work], precs: &[Prec]) -> ArrowNetwork {
    let n = works.len();
    // Events 2w (tail) and 2w+1 (head).
    let mut uf = Uf((0..2 * n).collect());
    // Per event representative, the works with an end in its class: only
    // those can change when two classes merge.
    let mut touching: Vec<Vec<usize>> = (0..2 * n).map(|e| vec![e / 2]).collect();
    let mut dummies: Vec<(usize, usize)> = precs
        .iter()
        .filter(|p| p.from != p.to)
        .map(|p| {
            let from = if p.start_to_start {
                2 * p.from
            } else {
                2 * p.from + 1
            };
            (from, 2 * p.to)
        })
        .collect();
    dummies.sort_unstable();
    dummies.dedup();
    let dummies_before = dummies.len();
    loop {
        let mut changed = false;
        // Current graph on representatives.
        let reps: Vec<usize> = (0..2 * n).map(|e| uf.find(e)).collect();
        let arrows: Vec<(usize, usize)> = (0..n).map(|w| (reps[2 * w], reps[2 * w + 1])).collect();
        let mut ds: Vec<(usize, usize)> = dummies
            .iter()
            .map(|&(a, b)| (reps[a], reps[b]))
            .filter(|(a, b)| a != b)
            .collect();
        ds.sort_unstable();
        ds.dedup();
        // 1. Transitive reduction of the dummies.
        let nodes: Vec<usize> = reps
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let idx: HashMap<usize, usize> = nodes.iter().enumerate().map(|(i, &x)| (x, i)).collect();
        let m = nodes.len();
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); m];
        for &(a, b) in arrows.iter().chain(&ds) {
            out[idx[&a]].push(idx[&b]);
        }
        let order = topo(m, &out);
        let words = m.div_ceil(64);
        let mut reach = vec![vec![0u64; words]; m];
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
        let arrow_set: HashSet<(usize, usize)> = arrows.iter().copied().collect();
        let mut kept = Vec::new();
        for &(a, b) in &ds {
            let (ia, ib) = (idx[&a], idx[&b]);
            let redundant = out[ia]
                .iter()
                .any(|&y| y != ib && (reach[y][ib / 64] >> (ib % 64)) & 1 == 1)
                || arrow_set.contains(&(a, b));
            if !redundant {
                kept.push((a, b));
            }
        }
        if kept.len() != ds.len() {
            changed = true;
        }
        dummies = kept.clone();
        // 2. Contractions.
        let mut outdeg: HashMap<usize, usize> = HashMap::new();
        let mut indeg: HashMap<usize, usize> = HashMap::new();
        for &(a, b) in arrows.iter().chain(&kept) {
            *outdeg.entry(a).or_default() += 1;
            *indeg.entry(b).or_default() += 1;
        }
        for &(u, v) in &kept {
            let (u, v) = (uf.find(u), uf.find(v));
            if u == v {
                continue;
            }
            let only_out = outdeg.get(&u) == Some(&1);
            let only_in = indeg.get(&v) == Some(&1);
            if !(only_out || only_in) {
                continue;
            }
            if can_merge(&mut uf, works, &touching, u, v) {
                uf.0[u] = v;
                let moved = std::mem::take(&mut touching[u]);
                touching[v].extend(moved);
                changed = true;
                break;
            }
        }
        if !changed {
            break;
        }
    }
    let reps: Vec<usize> = (0..2 * n).map(|e| uf.find(e)).collect();
    let nodes: Vec<usize> = reps
        .iter()
        .copied()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let idx: HashMap<usize, usize> = nodes.iter().enumerate().map(|(i, &x)| (x, i)).collect();
    let mut arrows: Vec<Arrow> = (0..n)
        .map(|w| Arrow {
            tail: idx[&reps[2 * w]],
            head: idx[&reps[2 * w + 1]],
            row: 0,
        })
        .collect();
    let mut ds: Vec<(usize, usize)> = dummies
        .iter()
        .map(|&(a, b)| (idx[&reps[a]], idx[&reps[b]]))
        .filter(|(a, b)| a != b)
        .collect();
    ds.sort_unstable();
    ds.dedup();
    // Event times.
    let mut day = vec![i64::MIN; nodes.len()];
    let mut has_tail = vec![false; nodes.len()];
    for (w, a) in arrows.iter().enumerate() {
        day[a.tail] = works[w].start;
        has_tail[a.tail] = true;
    }
    for (w, a) in arrows.iter().enumerate() {
        if !has_tail[a.head] {
            day[a.head] = day[a.head].max(works[w].end);
        }
    }
    let mut net = layout(works, &mut arrows, &ds, day);
    net.dummies_before = dummies_before;
    net
}

/// True when events `u` and `v` may become one (one time, no parallel arrows).
/// Only the works with an end in `u`'s or `v`'s class (`touching`) can
/// change or meet a changed one; a work with an end in each becomes a loop.
fn can_merge(uf: &mut Uf, works: &[Work], touching: &[Vec<usize>], u: usize, v: usize) -> bool {
    let mut start: Option<i64> = None;
    let mut latest_end = i64::MIN;
    let mut pairs = HashSet::new();
    for &w in touching[u].iter().chain(&touching[v]) {
        let work = &works[w];
        let (t, h) = (uf.find(2 * w), uf.find(2 * w + 1));
        let t2 = if t == u { v } else { t };
        let h2 = if h == u { v } else { h };
        if t2 == h2 || !pairs.insert((t2, h2)) {
            return false;
        }
        if t2 == v {
            match start {
                Some(s) if s != work.start => return false,
                _ => start = Some(work.start),
            }
        }
        if h2 == v {
            latest_end = latest_end.max(work.end);
        }
    }
    start.is_none_or(|s| latest_end <= s)
}

/// A topological order of a DAG given by successor lists (Kahn).
fn topo(m: usize, out: &[Vec<usize>]) -> Vec<usize> {
    let mut indeg = vec![0; m];
    for o in out {
        for &y in o {
            indeg[y] += 1;
        }
    }
    let mut stack: Vec<usize> = (0..m).filter(|&x| indeg[x] == 0).collect();
    let mut order = Vec::with_capacity(m);
    while let Some(x) = stack.pop() {
        order.push(x);
        for &y in &out[x] {
            indeg[y] -= 1;
            if indeg[y] == 0 {
                stack.push(y);
            }
        }
    }
    order
}

/// Rows, event rows, numbering and crossings.
fn layout(
    works: &[Work],
    arrows: &mut [Arrow],
    ds: &[(usize, usize)],
    day: Vec<i64>,
) -> ArrowNetwork {
    let m = day.len();
    // Items packed in rows: arrows, then dummies that span time.
    // (start day, end day, kind: Ok(work) | Err(dummy index))
    let mut items: Vec<(i64, i64, Result<usize, usize>)> = arrows
        .iter()
        .enumerate()
        .map(|(w, a)| (day[a.tail], day[a.head], Ok(w)))
        .collect();
    for (k, &(a, b)) in ds.iter().enumerate() {
        if day[b] > day[a] {
            items.push((day[a], day[b], Err(k)));
        }
    }
    // Chains first: by start, critical first, longer first.
    items.sort_by_key(|&(s, e, k)| {
        let crit = matches!(k, Ok(w) if works[w].critical);
        (s, !crit, -(e - s))
    });
    // rows: (last end day, last head event)
    let mut rows: Vec<(i64, usize)> = Vec::new();
    let mut item_row = vec![0usize; items.len()];
    let mut dummy_row: Vec<Option<usize>> = vec![None; ds.len()];
    let ends_of = |k: &Result<usize, usize>| match *k {
        Ok(w) => (arrows[w].tail, arrows[w].head),
        Err(d) => ds[d],
    };
    for (i, (s, e, k)) in items.iter().enumerate() {
        let (tail, head) = ends_of(k);
        // Continue the row whose last item ends at this tail, else the first
        // row free from this day on (a gap of a day keeps them apart).
        let r = rows
            .iter()
            .position(|&(_, h)| h == tail)
            .filter(|&r| rows[r].0 <= *s)
            .or_else(|| rows.iter().position(|&(end, _)| end < *s))
            .unwrap_or_else(|| {
                rows.push((i64::MIN, usize::MAX));
                rows.len() - 1
            });
        rows[r] = ((*e).max(*s), head);
        item_row[i] = r;
    }
    let nrows = rows.len().max(1);
    for (i, (_, _, k)) in items.iter().enumerate() {
        match *k {
            Ok(w) => arrows[w].row = item_row[i],
            Err(d) => dummy_row[d] = Some(item_row[i]),
        }
    }
    // Barycentre sweeps: each row to the mean position of rows it shares an
    // event with.
    let mut pos: Vec<f64> = (0..nrows).map(|r| r as f64).collect();
    let touching = |arrows: &[Arrow], dummy_row: &[Option<usize>]| {
        let mut t: Vec<Vec<usize>> = vec![Vec::new(); m];
        for a in arrows.iter() {
            t[a.tail].push(a.row);
            t[a.head].push(a.row);
        }
        for (k, &(a, b)) in ds.iter().enumerate() {
            if let Some(r) = dummy_row[k] {
                t[a].push(r);
                t[b].push(r);
            }
        }
        t
    };
    let t = touching(arrows, &dummy_row);
    for _ in 0..4 {
        let mut sum = vec![0.0; nrows];
        let mut cnt = vec![0.0; nrows];
        for rs in &t {
            if rs.len() < 2 {
                continue;
            }
            let mean = rs.iter().map(|&r| pos[r]).sum::<f64>() / rs.len() as f64;
            for &r in rs {
                sum[r] += mean;
                cnt[r] += 1.0;
            }
        }
        let mut order: Vec<usize> = (0..nrows).collect();
        let key: Vec<f64> = (0..nrows)
            .map(|r| {
                if cnt[r] > 0.0 {
                    sum[r] / cnt[r]
                } else {
                    pos[r]
                }
            })
            .collect();
        order.sort_by(|&a, &b| key[a].total_cmp(&key[b]).then(a.cmp(&b)));
        for (p, &r) in order.iter().enumerate() {
            pos[r] = p as f64;
        }
    }
    let rank: Vec<usize> = pos.iter().map(|&p| p as usize).collect();
    for a in arrows.iter_mut() {
        a.row = rank[a.row];
    }
    for r in dummy_row.iter_mut().flatten() {
        *r = rank[*r];
    }
    // Event rows: the median of the rows touching it.
    let t = touching(arrows, &dummy_row);
    let event_row: Vec<usize> = t
        .iter()
        .map(|rs| {
            let mut v = rs.clone();
            v.sort_unstable();
            v.get(v.len().saturating_sub(1) / 2).copied().unwrap_or(0)
        })
        .collect();
    // Numbering: topological order by (day, row).
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); m];
    let mut indeg = vec![0usize; m];
    for (a, b) in arrows
        .iter()
        .map(|a| (a.tail, a.head))
        .chain(ds.iter().copied())
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
    while let Some(&first) = ready.iter().next() {
        ready.remove(&first);
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
    let dummies: Vec<Dummy> = ds
        .iter()
        .zip(&dummy_row)
        .map(|(&(from, to), &row)| Dummy { from, to, row })
        .collect();
    let crossings = count_crossings(&events, arrows, &dummies);
    ArrowNetwork {
        events,
        arrows: arrows.to_vec(),
        dummies,
        dummies_before: 0,
        rows: nrows,
        crossings,
    }
}

impl ArrowNetwork {
    /// Strokes in grid units: horizontals `(row, day0, day1)` and verticals
    /// `(day, row0, row1)`.
    pub fn strokes(&self) -> (Vec<Horizontal>, Vec<Vertical>) {
        let mut h = Vec::new();
        let mut v = Vec::new();
        let ev = &self.events;
        let mut join = |x: i64, r0: usize, r1: usize| {
            if r0 != r1 {
                v.push((x, r0.min(r1), r0.max(r1)));
            }
        };
        for a in &self.arrows {
            let (t, hd) = (&ev[a.tail], &ev[a.head]);
            h.push((a.row, t.day, hd.day));
            join(t.day, t.row, a.row);
            join(hd.day, a.row, hd.row);
        }
        for d in &self.dummies {
            let (f, t) = (&ev[d.from], &ev[d.to]);
            match d.row {
                Some(r) => {
                    h.push((r, f.day, t.day));
                    join(f.day, f.row, r);
                    join(t.day, r, t.row);
                }
                None => join(f.day, f.row, t.row),
            }
        }
        (h, v)
    }
}

/// Crossings of horizontal and vertical strokes (interior points only).
fn count_crossings(events: &[Event], arrows: &[Arrow], dummies: &[Dummy]) -> usize {
    let net = ArrowNetwork {
        events: events.to_vec(),
        arrows: arrows.to_vec(),
        dummies: dummies.to_vec(),
        dummies_before: 0,
        rows: 0,
        crossings: 0,
    };
    let (h, v) = net.strokes();
    let mut n = 0;
    for &(r, a, b) in &h {
        for &(x, r0, r1) in &v {
            if a < x && x < b && r0 < r && r < r1 {
                n += 1;
            }
        }
    }
    n
}

/// Pixels per calendar day.
const DAY_W: f64 = 7.0;
/// Height of a row.
const ROW_H: f64 = 26.0;
/// Left margin.
const LEFT: f64 = 40.0;
/// Height of the top axis.
const TOP: f64 = 70.0;
/// Height of the bottom axis.
const BOTTOM: f64 = 60.0;

/// The words of the sheets.
fn words(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => [
            "双代号时标网络图",
            "虚工作",
            "交叉",
            "关键线路",
            "自由时差（波形线）",
            "具备供热",
            "前锋线",
            "时间节点",
        ],
        Lang::En => [
            "Time-scaled arrow network",
            "dummies",
            "crossings",
            "critical path",
            "free float (wavy)",
            "heat-ready",
            "front line",
            "time node",
        ],
    }
}

/// A wavy path from `x0` to `x1` at height `y`.
fn wavy(x0: f64, x1: f64, y: f64) -> String {
    let mut d = format!("M{x0:.1},{y:.1}");
    let mut x = x0;
    let mut up = true;
    while x + 3.0 <= x1 {
        let cy = if up { y - 2.5 } else { y + 2.5 };
        let _ = write!(d, " Q{:.1},{cy:.1} {:.1},{y:.1}", x + 1.5, x + 3.0);
        x += 3.0;
        up = !up;
    }
    if x < x1 {
        let _ = write!(d, " L{x1:.1},{y:.1}");
    }
    d
}

/// What a sheet marks besides the arrows.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Heat-ready points: (work index, households).
    pub heat_ready: Vec<(usize, u64)>,
    /// Time nodes: (work index, name, due day).
    pub nodes: Vec<(usize, String, Option<i64>)>,
    /// Front line: (work index, point) and the data day.
    pub front: Option<(Vec<(usize, FrontPoint)>, i64)>,
}

/// Renders one sheet.
pub fn sheet_svg(
    np: &NetworkPlan,
    title: &str,
    works: &[Work],
    net: &ArrowNetwork,
    marks: &Marks,
    lang: Lang,
) -> String {
    let wd = words(lang);
    let first = net.events.iter().map(|e| e.day).min().unwrap_or(0) - 2;
    let last = net.events.iter().map(|e| e.day).max().unwrap_or(0) + 4;
    let x = |d: f64| LEFT + (d - first as f64) * DAY_W;
    let y = |r: usize| TOP + 20.0 + r as f64 * ROW_H;
    let width = x(last as f64) + 20.0;
    let bottom = y(net.rows) + 4.0;
    let height = bottom + BOTTOM;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT_FAMILY}" font-size="9" class="timescaled" data-day0="{first}" data-day-width="{DAY_W}" data-left="{LEFT}">"#
    );
    let _ = writeln!(
        o,
        r##"<style>@page{{size:A3 landscape;margin:8mm}}</style><defs><marker id="ts-ah" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker><marker id="ts-ahc" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#d62728"/></marker></defs><rect width="{width:.0}" height="{height:.0}" fill="white"/>"##
    );
    let _ = writeln!(
        o,
        r##"<text x="6" y="16" font-size="14" font-weight="bold">{}</text><text x="6" y="32" fill="#444">{}</text>"##,
        esc(&format!("{} — {}", title, wd[0])),
        esc(&format!(
            "{} {} ({} → {}) · {} {} · {} {}",
            works.len(),
            match lang {
                Lang::Zh => "项工作",
                Lang::En => "arrows",
            },
            net.dummies_before,
            net.dummies.len(),
            wd[1],
            net.dummies.len(),
            wd[2],
            net.crossings
        ))
    );
    // Working-day grid and the date axes, top and bottom.
    let _ = writeln!(o, r#"<g class="grid">"#);
    for d in first..=last {
        let date = np.date_of(d);
        let xd = x(d as f64);
        if np.calendar.is_working(date) {
            let _ = writeln!(
                o,
                r##"<line x1="{xd:.1}" y1="{TOP}" x2="{xd:.1}" y2="{bottom:.1}" stroke="#f0f0f0"/>"##
            );
        } else {
            let _ = writeln!(
                o,
                r##"<rect x="{xd:.1}" y="{TOP}" width="{DAY_W}" height="{:.1}" fill="#f6f6f6"/>"##,
                bottom - TOP
            );
        }
        for (yy, anchor_y) in [(TOP - 4.0, TOP - 18.0), (bottom + 14.0, bottom + 28.0)] {
            if date.day() == 1 || d == first {
                let _ = writeln!(
                    o,
                    r#"<text x="{:.1}" y="{anchor_y:.1}" font-weight="bold">{}</text>"#,
                    xd + 2.0,
                    date.format("%Y-%m")
                );
            }
            if date.weekday() == chrono::Weekday::Mon {
                let _ = writeln!(
                    o,
                    r##"<text x="{xd:.1}" y="{yy:.1}" font-size="8" fill="#555">{}</text>"##,
                    date.format("%-m/%-d")
                );
            }
        }
    }
    let _ = writeln!(
        o,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{:.1}" y2="{TOP}" stroke="#444"/><line x1="{LEFT}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="#444"/></g>"##,
        x(last as f64),
        x(last as f64)
    );
    // Due dates of time nodes on the top axis.
    for (_, name, due) in &marks.nodes {
        if let Some(d) = due {
            let xd = x(*d as f64 + 1.0);
            let _ = writeln!(
                o,
                r##"<path d="M{0:.1},{1:.1} l-4,-7 h8 z" fill="#d62728"><title>{2}</title></path>"##,
                xd,
                TOP,
                esc(&format!("{}: {} {}", wd[7], name, np.date_of(*d)))
            );
        }
    }
    // Arrows.
    let ev = &net.events;
    let _ = writeln!(o, r#"<g class="arrows">"#);
    for (w, a) in net.arrows.iter().enumerate() {
        let work = &works[w];
        let (t, h) = (&ev[a.tail], &ev[a.head]);
        let (colour, sw, marker) = if work.critical {
            ("#d62728", 2.4, "ts-ahc")
        } else {
            ("#333", 1.1, "ts-ah")
        };
        let ya = y(a.row);
        let (x0, x1, xh) = (x(work.start as f64), x(work.end as f64), x(h.day as f64));
        let _ = write!(
            o,
            r#"<g data-work="{}" data-tail="{}" data-head="{}" data-x0="{x0:.1}" data-x1="{x1:.1}"><title>{}</title>"#,
            esc(&work.id),
            t.number,
            h.number,
            esc(&format!(
                "{} {} | {} – {}",
                work.id,
                work.label,
                np.date_of(work.start),
                np.date_of((work.end - 1).max(work.start))
            ))
        );
        if t.row != a.row {
            let _ = write!(
                o,
                r#"<line x1="{x0:.1}" y1="{:.1}" x2="{x0:.1}" y2="{ya:.1}" stroke="{colour}" stroke-width="{sw}"/>"#,
                y(t.row)
            );
        }
        let tip = |to_x: f64| {
            if h.row == a.row && (to_x - xh).abs() < 0.01 {
                format!(r#" marker-end="url(#{marker})""#)
            } else {
                String::new()
            }
        };
        let _ = write!(
            o,
            r#"<line x1="{x0:.1}" y1="{ya:.1}" x2="{x1:.1}" y2="{ya:.1}" stroke="{colour}" stroke-width="{sw}"{}/>"#,
            tip(x1)
        );
        if xh > x1 + 0.5 {
            let _ = write!(
                o,
                r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="1"{}/>"#,
                wavy(x1, xh, ya),
                tip(xh)
            );
        }
        if h.row != a.row {
            let _ = write!(
                o,
                r#"<line x1="{xh:.1}" y1="{ya:.1}" x2="{xh:.1}" y2="{:.1}" stroke="{colour}" stroke-width="{sw}" marker-end="url(#{marker})"/>"#,
                y(h.row) + if h.row > a.row { -7.0 } else { 7.0 }
            );
        }
        let room = ((x1 - x0) / 5.0).max(4.0) as usize;
        let _ = writeln!(
            o,
            r#"<text x="{:.1}" y="{:.1}" font-size="8">{}</text></g>"#,
            x0 + 8.0,
            ya - 3.0,
            esc(&super::gantt::truncate(&work.label, room))
        );
    }
    let _ = writeln!(o, "</g>\n<g class=\"dummies\">");
    for d in &net.dummies {
        let (f, t) = (&ev[d.from], &ev[d.to]);
        let (xf, xt) = (x(f.day as f64), x(t.day as f64));
        match d.row {
            Some(r) => {
                let yr = y(r);
                let _ = writeln!(
                    o,
                    r##"<g class="dummy"><line x1="{xf:.1}" y1="{:.1}" x2="{xf:.1}" y2="{yr:.1}" stroke="#666" stroke-dasharray="3,2"/><path d="{}" fill="none" stroke="#666"/><line x1="{xt:.1}" y1="{yr:.1}" x2="{xt:.1}" y2="{:.1}" stroke="#666" stroke-dasharray="3,2" marker-end="url(#ts-ah)"/></g>"##,
                    y(f.row),
                    wavy(xf, xt, yr),
                    y(t.row) + if t.row > r { -7.0 } else { 7.0 }
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    r##"<line class="dummy" x1="{xf:.1}" y1="{:.1}" x2="{xf:.1}" y2="{:.1}" stroke="#666" stroke-dasharray="3,2" marker-end="url(#ts-ah)"/>"##,
                    y(f.row) + if t.row > f.row { 7.0 } else { -7.0 },
                    y(t.row) + if t.row > f.row { -7.0 } else { 7.0 }
                );
            }
        }
    }
    let _ = writeln!(o, "</g>\n<g class=\"events\">");
    for e in ev {
        let _ = writeln!(
            o,
            r##"<g class="event" data-number="{0}" data-day="{1}"><circle cx="{2:.1}" cy="{3:.1}" r="7" fill="white" stroke="#333"/><text x="{2:.1}" y="{4:.1}" font-size="7" text-anchor="middle">{0}</text></g>"##,
            e.number,
            e.day,
            x(e.day as f64),
            y(e.row),
            y(e.row) + 2.5
        );
    }
    let _ = writeln!(o, "</g>");
    // Heat-ready points and time nodes at the head events.
    for &(w, hh) in &marks.heat_ready {
        let h = &ev[net.arrows[w].head];
        let (xh, yh) = (x(h.day as f64), y(h.row));
        let _ = writeln!(
            o,
            r##"<g class="heat-ready"><path d="M{xh:.1},{0:.1} v-12 l9,4 l-9,4" fill="#2ca02c" stroke="#1a6b1a"/><text x="{1:.1}" y="{2:.1}" font-size="7" fill="#1a6b1a">{3}</text></g>"##,
            yh - 7.0,
            xh + 10.0,
            yh - 12.0,
            esc(&format!("{} {hh}", wd[5]))
        );
    }
    for (w, name, _) in &marks.nodes {
        let h = &ev[net.arrows[*w].head];
        let (xh, yh) = (x(h.day as f64), y(h.row));
        let _ = writeln!(
            o,
            r##"<g class="time-node"><path d="M{xh:.1},{0:.1} l6,6 l-6,6 l-6,-6 z" fill="#d62728" fill-opacity="0.8"/><text x="{1:.1}" y="{2:.1}" font-size="8" fill="#d62728" font-weight="bold">{3}</text></g>"##,
            yh + 6.0,
            xh + 8.0,
            yh + 16.0,
            esc(name)
        );
    }
    if let Some((points, dd)) = &marks.front {
        front_line(&mut o, net, points, *dd, &x, &y, bottom, wd[6]);
    }
    o.push_str("</svg>\n");
    o
}

/// Draws the front line: from the data date at the top, through the point
/// reached on every arrow it passes (row by row), to the data date at the
/// bottom; each point is labelled with its days ahead (+) or behind (−).
#[allow(clippy::too_many_arguments)]
fn front_line(
    o: &mut String,
    net: &ArrowNetwork,
    points: &[(usize, FrontPoint)],
    dd: i64,
    x: &dyn Fn(f64) -> f64,
    y: &dyn Fn(usize) -> f64,
    bottom: f64,
    label: &str,
) {
    let xd = x(dd as f64);
    let mut by_row: Vec<(usize, f64, &FrontPoint)> = points
        .iter()
        .map(|(w, p)| (net.arrows[*w].row, x(p.reached), p))
        .collect();
    by_row.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut path = format!("M{xd:.1},{TOP}");
    for (r, px, _) in &by_row {
        let _ = write!(path, " L{px:.1},{:.1}", y(*r));
    }
    let _ = write!(path, " L{xd:.1},{bottom:.1}");
    let _ = writeln!(
        o,
        r##"<g class="front-line"><line x1="{xd:.1}" y1="{0}" x2="{xd:.1}" y2="{bottom:.1}" stroke="#1f77b4" stroke-dasharray="2,3"/><text x="{1:.1}" y="{2:.1}" fill="#1f77b4" font-weight="bold">{3}</text><path d="{path}" fill="none" stroke="#1f77b4" stroke-width="1.6"/>"##,
        TOP - 30.0,
        xd + 3.0,
        TOP - 30.0,
        esc(label)
    );
    for (r, px, p) in &by_row {
        let colour = if p.offset_days < -0.49 {
            "#d62728"
        } else {
            "#1f77b4"
        };
        let _ = writeln!(
            o,
            r#"<circle class="front" data-activity="{}" data-offset="{:.2}" cx="{px:.1}" cy="{:.1}" r="2.5" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="8" fill="{colour}">{:+.0}</text>"#,
            p.activity,
            p.offset_days,
            y(*r),
            px + 3.0,
            y(*r) + 10.0,
            p.offset_days
        );
    }
    o.push_str("</g>\n");
}

/// The works and precedences of one district's activities (district id;
/// `None`: every activity).
pub fn activity_works(
    np: &NetworkPlan,
    district: Option<&str>,
) -> (Vec<Work>, Vec<Prec>, Vec<usize>) {
    let acts = &np.plan.activities;
    let chosen: Vec<usize> = (0..acts.len())
        .filter(|&a| district.is_none_or(|d| acts[a].district == d))
        .collect();
    let pos: HashMap<usize, usize> = chosen.iter().enumerate().map(|(i, &a)| (a, i)).collect();
    let works = chosen
        .iter()
        .map(|&a| {
            let pa = &acts[a];
            Work {
                id: pa.id.clone(),
                label: format!("{} {}", pa.id, pa.name),
                start: pa.start_day as i64,
                end: pa.end_day as i64,
                critical: np.activities[a].resource.days.marked(),
                activity: Some(a),
            }
        })
        .collect();
    let precs = np
        .links
        .iter()
        .filter(|l| l.handover.is_none())
        .filter_map(|l| {
            Some(Prec {
                from: *pos.get(&l.from)?,
                to: *pos.get(&l.to)?,
                start_to_start: l.kind == "SS",
            })
        })
        .collect();
    (works, precs, chosen)
}

/// The works and precedences of the city sheet: one arrow per element.
pub fn element_works(np: &NetworkPlan) -> (Vec<Work>, Vec<Prec>, Vec<Vec<usize>>) {
    let acts = &np.plan.activities;
    let mut works = Vec::new();
    let mut members = Vec::new();
    let mut of = vec![0usize; acts.len()];
    for g in super::wbs::breakdown(np) {
        for e in g.elements {
            let start = e
                .activities
                .iter()
                .map(|&a| acts[a].start_day)
                .min()
                .unwrap_or(0);
            let end = e
                .activities
                .iter()
                .map(|&a| acts[a].end_day)
                .max()
                .unwrap_or(0);
            for &a in &e.activities {
                of[a] = works.len();
            }
            let name = &acts[e.activities[0]].name;
            works.push(Work {
                id: e.element.clone(),
                label: if e.activities.len() == 1 {
                    format!("{} {}", e.element, name)
                } else {
                    e.element.clone()
                },
                start: start as i64,
                end: end as i64,
                critical: e
                    .activities
                    .iter()
                    .any(|&a| np.activities[a].resource.days.marked()),
                activity: None,
            });
            members.push(e.activities);
        }
    }
    let mut precs: Vec<Prec> = Vec::new();
    for l in np.links.iter().filter(|l| l.handover.is_none()) {
        let (f, t) = (of[l.from], of[l.to]);
        if f == t {
            continue;
        }
        // Between elements: finish-to-start unless the link is start-to-start.
        let ss = l.kind == "SS" && works[f].end > works[t].start;
        let p = Prec {
            from: f,
            to: t,
            start_to_start: ss,
        };
        if !precs.contains(&p) {
            precs.push(p);
        }
    }
    (works, precs, members)
}

/// Heat-ready marks and time nodes of a sheet whose works map to plan
/// activities by `activity_work` (activity index → work index).
fn marks(np: &NetworkPlan, activity_work: &HashMap<usize, usize>) -> Marks {
    let index = np.plan.index_by_id();
    let mut m = Marks::default();
    for ms in &np.milestones {
        let Some(&a) = index.get(ms.activity.as_str()) else {
            continue;
        };
        let Some(&w) = activity_work.get(&a) else {
            continue;
        };
        match ms.kind {
            MilestoneKind::Station => m.heat_ready.push((w, ms.households.unwrap_or(0))),
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
    m
}

/// Every sheet of a plan: `timescaled.svg` (the whole city, one arrow per
/// element) and `timescaled-DISTRICT.svg` (one per district, one arrow per
/// activity), with the front line when `front` is given (points and data
/// day).
pub fn sheets(
    np: &NetworkPlan,
    lang: Lang,
    front: Option<(&[FrontPoint], i64)>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let (works, precs, members) = element_works(np);
    let net = build(&works, &precs);
    let mut aw = HashMap::new();
    for (w, ms) in members.iter().enumerate() {
        for &a in ms {
            aw.insert(a, w);
        }
    }
    let mut mk = marks(np, &aw);
    if let Some((points, dd)) = front {
        // On the city sheet, an element's point is its most-behind activity's.
        let mut best: HashMap<usize, FrontPoint> = HashMap::new();
        for p in points {
            let w = aw[&p.activity];
            let e = best.entry(w).or_insert_with(|| p.clone());
            if p.offset_days < e.offset_days {
                *e = p.clone();
            }
        }
        let pts = best
            .into_iter()
            .map(|(w, mut p)| {
                p.reached = dd as f64 + p.offset_days;
                (w, p)
            })
            .collect();
        mk.front = Some((pts, dd));
    }
    out.push((
        "timescaled.svg".to_string(),
        sheet_svg(np, &np.plan.programme, &works, &net, &mk, lang),
    ));
    for d in &np.districts {
        let (works, precs, chosen) = activity_works(np, Some(&d.id));
        if works.is_empty() {
            continue;
        }
        let net = build(&works, &precs);
        let aw: HashMap<usize, usize> = chosen.iter().enumerate().map(|(i, &a)| (a, i)).collect();
        let mut mk = marks(np, &aw);
        if let Some((points, dd)) = front {
            let pts = points
                .iter()
                .filter_map(|p| Some((*aw.get(&p.activity)?, p.clone())))
                .collect();
            mk.front = Some((pts, dd));
        }
        out.push((
            format!("timescaled-{}.svg", d.id),
            sheet_svg(np, &np.district_name(&d.id), &works, &net, &mk, lang),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
