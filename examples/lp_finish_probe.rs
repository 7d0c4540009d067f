//! Probes how high a time-indexed LP relaxation lifts the finish bound
//! (issue #22: a finish-level bound above day 150 on the city).
//!
//! `cargo run --release --example lp_finish_probe -- SCENARIO WHAT HIGH [BUCKET]`
//!
//! SCENARIO may also be a PSPLIB instance (`.sm`, WHAT `all`), to check
//! the bound against a published optimum.
//!
//! WHAT is a relaxation as in `relax_probe` (`all`, `keep:civil,mep`,
//! `only:station,testing`, joined by `+`); HIGH a finish known to be
//! reachable (the bisection's upper end); BUCKET the days per resource row
//! (1 = one row per resource and day). The environment variable `LP_SOLVER`
//! picks HiGHS's LP solver (`simplex`, `ipm`, `pdlp`; default `choose`),
//! `LP_LOW` the bisection's lower end (default: the relaxation's own
//! bound; from a higher start the result is only the first finish not
//! refuted above it, and a bound only if every finish below is refuted).
//!
//! **The test.** A candidate finish `T` is refuted when the linear
//! relaxation of the time-indexed model with every end at or before `T`
//! has no solution. Columns `x[a,m,s] ∈ [0,1]`: activity `a` in mode `m`
//! starts on day `s`, for the starts in `a`'s window computed with `T` as
//! the horizon whose end (from the mode's timing table, so calendars and
//! the rainy season count) is inside the window. Rows:
//! - each activity starts once: `Σ x[a,·,·] = 1`;
//! - cumulative columns `S[a,t]` ("started by `t`") and `E[a,t]` ("ended
//!   by `t`") defined by `S[a,t] − S[a,t−1] = Σ_{s = t} x[a,·,s]` and
//!   likewise for ends, only over the days where they are not 0 or 1;
//! - every link in the strong (started-by) form: for a finish-to-start link
//!   `a → b` with lag `L`, `S[b,t] ≤ E[a,t−L]` for every day `t` (start-to-
//!   start: `S[b,t] ≤ S[a,t−L]`) — the disaggregated precedence of the
//!   integer program (module `milp`), written through the cumulative
//!   columns so each row has two entries;
//! - every resource and bucket of days `[b0, b1)`: the work of the starts
//!   overlapping it (units × days inside) plus every open trench's days
//!   `amount · Σ_d (S[first,d] − E[last,d])` at most `capacity · (b1 − b0)`
//!   (the sum of the day rows, so a coarser bucket only drops constraints).
//!
//! Every schedule finishing by `T` is a 0/1 solution, so an infeasible LP
//! refutes `T`; windows only widen as `T` grows, so the least `T` not
//! refuted is found by bisection between the relaxation's own bound and
//! HIGH.
//!
//! On a relaxation that keeps some activities, each kept activity keeps the
//! window the whole problem gives it with `T` as horizon (release at its
//! earliest start, deadline at its latest end): the dropped work's heads
//! and tails, which hold in every schedule of the whole problem.
//!
//! **What it showed** (bundled city, 2026-12-07, HiGHS interior point on
//! one thread, machine load about 6 on 2 cores; the existing finish bound
//! is day 144, the best plans finish on day 180):
//! - the station chain (`keep:civil,mep,commission`, 192 activities, with
//!   the whole city's heads and tails): one row per day refutes day 150
//!   (79,257 columns, 52,181 rows, 884,818 non-zeros, 82 s) and leaves day
//!   151 open (309 s): the LP bound of the chain is **day 151**. Rows of 3
//!   days give the same: day 150 refuted in 25 s (471,576 non-zeros, 16.5 s
//!   of CPU), the bisection from 144 proves day 151 in 139 s (97 s of CPU:
//!   refuted LPs take 19-25 s, open ones 47 s); rows of 7 days prove only
//!   day 148 (102 s). HiGHS's simplex and PDLP did not finish the day-150
//!   LP in 150 s. No schedule of the city finishes by day 150.
//! - adding the segments' pressure tests (`keep:test,civil,mep,commission`,
//!   347 activities, 155,910 columns, 3-day rows) leaves day 152 open (401 s):
//!   the testing crews shared with commissioning lift nothing past 152.
//! - parts of the chain alone refute nothing at day 150 (`keep:civil,mep`
//!   22 s, `keep:mep,commission` 8 s, `keep:civil` or `keep:mep` 2 s): the
//!   bound comes from the three crew types together.
//! - the whole city (832 activities, 153 trenches) is too large: at day 150
//!   401,487 columns, 331,544 rows, 2.9 million non-zeros per day rows (1.7
//!   million with 7-day rows); one LP had not finished after 16 minutes.
//!   Its LP is at least as strong as the station chain's (the chain's LP is
//!   a projection of it), so it too refutes day 150.
//!
//! - as a check, on the first 40 bundled PSPLIB j30 instances (one row per
//!   day, HIGH the published optimum) the LP bound is never above the
//!   optimum and lifts the existing bound on 5 of them (sum 2,110 → 2,116);
//!   on the tutorial it equals the existing bound, the optimum (day 107).
//!
//! So the LP proves more than 150 on the city, but only on a relaxation
//! picked by hand and in about 100 s of CPU per bisection: not yet within a
//! 60 s run's bound share, which is why it stays a probe.
#[path = "common/relax.rs"]
mod relax;

use heatplan::scenario::Source;
use heatplan::schedule::highs_adapter::set_option;
use heatplan::schedule::window::Windows;
use heatplan::schedule::{bound, psplib, Day, LinkKind, Objective, Problem};
use highs::{Col, HighsModelStatus, RowProblem, Sense};
use std::time::Instant;

/// A cumulative quantity of one activity over days: 0 before `lo`, 1 from
/// `lo + cols.len()` on, the column `cols[t − lo]` in between.
struct Cum {
    lo: i64,
    cols: Vec<usize>,
}

impl Cum {
    /// The value on day `t`: a constant or a column.
    fn at(&self, t: i64) -> Result<f64, usize> {
        if t < self.lo {
            Ok(0.0)
        } else if t >= self.lo + self.cols.len() as i64 {
            Ok(1.0)
        } else {
            Err(self.cols[(t - self.lo) as usize])
        }
    }
}

/// The LP being built, with its size.
struct Lp {
    rp: RowProblem,
    cols: Vec<Col>,
    rows: usize,
    nonzeros: usize,
}

impl Lp {
    fn column(&mut self) -> usize {
        self.cols.push(self.rp.add_column(0.0, 0.0..=1.0));
        self.cols.len() - 1
    }

    /// Adds `lo ≤ Σ terms ≤ hi`, merging repeated columns.
    fn row(&mut self, lo: f64, hi: f64, mut terms: Vec<(usize, f64)>) {
        terms.sort_unstable_by_key(|t| t.0);
        let mut merged: Vec<(usize, f64)> = Vec::with_capacity(terms.len());
        for (i, c) in terms {
            match merged.last_mut() {
                Some(l) if l.0 == i => l.1 += c,
                _ => merged.push((i, c)),
            }
        }
        merged.retain(|t| t.1 != 0.0);
        self.rows += 1;
        self.nonzeros += merged.len();
        let cols = &self.cols;
        self.rp
            .add_row(lo..=hi, merged.into_iter().map(|(i, c)| (cols[i], c)));
    }
}

/// One start column: activity, start, end, and its index in the LP.
struct Start {
    act: usize,
    mode: usize,
    start: Day,
    end: Day,
    col: usize,
}

/// Size and outcome of one LP.
struct Tried {
    refuted: bool,
    why: String,
    cols: usize,
    rows: usize,
    nonzeros: usize,
    seconds: f64,
}

/// Cumulative columns of the days in `days` (one activity's starts or ends)
/// with their defining rows.
fn cumulative(lp: &mut Lp, days: &[(i64, usize)]) -> Cum {
    let lo = days.iter().map(|d| d.0).min().expect("one start at least");
    let hi = days.iter().map(|d| d.0).max().expect("one start at least");
    let cols: Vec<usize> = (lo..hi).map(|_| lp.column()).collect();
    for t in lo..hi {
        let i = (t - lo) as usize;
        let mut terms = vec![(cols[i], 1.0)];
        if i > 0 {
            terms.push((cols[i - 1], -1.0));
        }
        terms.extend(days.iter().filter(|d| d.0 == t).map(|d| (d.1, -1.0)));
        lp.row(0.0, 0.0, terms);
    }
    Cum { lo, cols }
}

/// Whether the LP refutes finishing `q` by `t`, with `limits` the whole
/// problem's window (earliest start, latest end) of each activity.
fn try_finish(q: &Problem, t: Day, limits: &[(Day, Day)], bucket: Day) -> Tried {
    let started = Instant::now();
    let failed = |why: String| Tried {
        refuted: true,
        why,
        cols: 0,
        rows: 0,
        nonzeros: 0,
        seconds: started.elapsed().as_secs_f64(),
    };
    let mut qt = q.clone();
    qt.horizon = t;
    for (a, act) in qt.activities.iter_mut().enumerate() {
        act.release = act.release.max(limits[a].0);
    }
    let deadlines: Vec<(usize, Day)> = limits.iter().map(|l| l.1).enumerate().collect();
    let w = match Windows::compute_with_deadlines(&qt, &deadlines) {
        Ok(w) => w,
        Err(e) => return failed(format!("windows: {e}")),
    };
    let mut lp = Lp {
        rp: RowProblem::default(),
        cols: Vec::new(),
        rows: 0,
        nonzeros: 0,
    };
    let mut starts: Vec<Start> = Vec::new();
    let mut by_act: Vec<Vec<usize>> = vec![Vec::new(); qt.activities.len()];
    for (a, act) in qt.activities.iter().enumerate() {
        for (m, mode) in act.modes.iter().enumerate() {
            if mode
                .demands
                .iter()
                .any(|&(r, u)| u > qt.resources[r].capacity)
            {
                continue;
            }
            for s in w.es[a].max(act.release)..=w.ls[a] {
                if let Some(e) = mode.timing.end(s).filter(|&e| e <= w.lf[a]) {
                    by_act[a].push(starts.len());
                    let col = lp.column();
                    starts.push(Start {
                        act: a,
                        mode: m,
                        start: s,
                        end: e,
                        col,
                    });
                }
            }
        }
        if by_act[a].is_empty() {
            return failed(format!("`{}` has no start", act.name));
        }
        let terms = by_act[a].iter().map(|&i| (starts[i].col, 1.0)).collect();
        lp.row(1.0, 1.0, terms);
    }
    let cum = |lp: &mut Lp, key: fn(&Start) -> Day| -> Vec<Cum> {
        by_act
            .iter()
            .map(|v| {
                let days: Vec<(i64, usize)> = v
                    .iter()
                    .map(|&i| (key(&starts[i]) as i64, starts[i].col))
                    .collect();
                cumulative(lp, &days)
            })
            .collect()
    };
    let sb = cum(&mut lp, |x| x.start);
    let eb = cum(&mut lp, |x| x.end);
    // `lhs − rhs ≤ 0` for two cumulative values; false when violated by
    // constants alone.
    let le = |lp: &mut Lp, lhs: Result<f64, usize>, rhs: Result<f64, usize>| -> bool {
        match (lhs, rhs) {
            (Ok(l), Ok(r)) => l <= r,
            (Ok(l), _) if l <= 0.0 => true,
            (_, Ok(r)) if r >= 1.0 => true,
            (Ok(l), Err(c)) => {
                lp.row(l, f64::INFINITY, vec![(c, 1.0)]);
                true
            }
            (Err(c), Ok(r)) => {
                lp.row(f64::NEG_INFINITY, r, vec![(c, 1.0)]);
                true
            }
            (Err(c), Err(d)) => {
                lp.row(f64::NEG_INFINITY, 0.0, vec![(c, 1.0), (d, -1.0)]);
                true
            }
        }
    };
    for l in &qt.links {
        let to = &sb[l.to];
        let from = match l.kind {
            LinkKind::FinishToStart => &eb[l.from],
            LinkKind::StartToStart => &sb[l.from],
        };
        for d in to.lo..=to.lo + to.cols.len() as i64 {
            if !le(&mut lp, to.at(d), from.at(d - l.lag as i64)) {
                return failed(format!(
                    "link `{}` → `{}`",
                    qt.activities[l.from].name, qt.activities[l.to].name
                ));
            }
        }
    }
    // Resource rows per bucket: terms and surely-held units.
    let nb = t.div_ceil(bucket) as usize;
    let nr = qt.resources.len();
    let mut terms: Vec<Vec<(usize, f64)>> = vec![Vec::new(); nr * nb];
    let mut fixed = vec![0.0f64; nr * nb];
    for x in &starts {
        for &(r, u) in &qt.activities[x.act].modes[x.mode].demands {
            let mut d = x.start;
            while d < x.end {
                let k = d / bucket;
                let next = ((k + 1) * bucket).min(x.end);
                terms[r * nb + k as usize].push((x.col, (u * (next - d)) as f64));
                d = next;
            }
        }
    }
    for sp in &qt.spans {
        let (f, l) = (&sb[sp.first], &eb[sp.last]);
        let amt = sp.amount as f64;
        let end = (l.lo + l.cols.len() as i64).min(t as i64);
        for d in f.lo..end {
            let k = sp.resource * nb + (d as Day / bucket) as usize;
            match f.at(d) {
                Ok(v) => fixed[k] += amt * v,
                Err(c) => terms[k].push((c, amt)),
            }
            match l.at(d) {
                Ok(v) => fixed[k] -= amt * v,
                Err(c) => terms[k].push((c, -amt)),
            }
        }
    }
    for r in 0..nr {
        for k in 0..nb {
            let days = ((k as Day + 1) * bucket).min(t) - k as Day * bucket;
            let cap = (qt.resources[r].capacity * days) as f64 - fixed[r * nb + k];
            let row = std::mem::take(&mut terms[r * nb + k]);
            let most: f64 = row.iter().map(|t| t.1.max(0.0)).sum();
            if most > cap + 1e-9 {
                lp.row(f64::NEG_INFINITY, cap, row);
            }
        }
    }
    let (cols, rows, nonzeros) = (lp.cols.len(), lp.rows, lp.nonzeros);
    eprintln!(
        "  T={t}: LP of {cols} columns, {rows} rows, {nonzeros} nonzeros built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let mut hm = lp.rp.optimise(Sense::Minimise);
    if std::env::var_os("LP_VERBOSE").is_none() {
        hm.make_quiet();
    }
    let solver = std::env::var("LP_SOLVER").unwrap_or_else(|_| "choose".into());
    // Through the adapter, so that a solver name HiGHS does not know is
    // reported by name rather than ignored.
    set_option(&mut hm, "solver", solver.as_str()).unwrap_or_else(|e| panic!("LP_SOLVER: {e}"));
    set_option(&mut hm, "threads", 1).expect("HiGHS takes `threads`");
    let solved = hm.solve();
    let status = solved.status();
    Tried {
        refuted: status == HighsModelStatus::Infeasible,
        why: format!("{status:?}"),
        cols,
        rows,
        nonzeros,
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, what, high, bucket) = match args.as_slice() {
        [f, w, h] => (f, w, h, 1),
        [f, w, h, b] => (f, w, h, b.parse().expect("bucket days")),
        _ => panic!("usage: lp_finish_probe SCENARIO WHAT HIGH [BUCKET]"),
    };
    let high: Day = high.parse().expect("high finish day");
    let text = std::fs::read_to_string(file).expect("readable file");
    let (full, mut q, origin) = if file.ends_with(".sm") {
        assert_eq!(what, "all", "a PSPLIB instance takes only `all`");
        let p = psplib::parse(file, &text).expect("valid PSPLIB instance");
        let n = p.activities.len();
        (p.clone(), p, (0..n).collect::<Vec<_>>())
    } else {
        let project = heatplan::Project::load(&Source {
            file: file.clone(),
            text,
        })
        .expect("valid scenario");
        let relax::Relaxed {
            problem,
            origin,
            lex,
        } = relax::relax(&project, what);
        assert!(
            !lex,
            "`lex` is a search option: the LP's only objective is the finish"
        );
        (project.model.problem, problem, origin)
    };
    q.groups.clear();
    // The finish alone (the default weights).
    q.objective = Objective::default();
    let started = Instant::now();
    let low = bound::lower_bound(&q).expect("windows") as Day;
    println!(
        "{what}: {} activities, {} links, {} trenches; its own bound (no heads) {low} ({:.1} s)",
        q.activities.len(),
        q.links.len(),
        q.spans.len(),
        started.elapsed().as_secs_f64()
    );
    // The whole problem's windows at `t`: heads and tails of dropped work.
    let limits = |t: Day| -> Option<Vec<(Day, Day)>> {
        let mut f = full.clone();
        f.horizon = t;
        let w = Windows::compute(&f).ok()?;
        Some(origin.iter().map(|&a| (w.es[a], w.lf[a])).collect())
    };
    // `LP_LOW` starts the bisection higher (to test one finish: HIGH − 1).
    let mut lo = std::env::var("LP_LOW").map_or(low, |v| v.parse().expect("LP_LOW day"));
    let mut hi = high;
    let mut total = 0.0;
    // Invariant: every finish before `lo` is refuted, `hi` is not.
    while lo < hi {
        let t = (lo + hi) / 2;
        let r = match limits(t) {
            None => Tried {
                refuted: true,
                why: "whole problem's windows".into(),
                cols: 0,
                rows: 0,
                nonzeros: 0,
                seconds: 0.0,
            },
            Some(l) => try_finish(&q, t, &l, bucket),
        };
        total += r.seconds;
        println!(
            "T={t}: {} ({}) columns {} rows {} nonzeros {} in {:.1} s",
            if r.refuted { "refuted" } else { "open" },
            r.why,
            r.cols,
            r.rows,
            r.nonzeros,
            r.seconds
        );
        if r.refuted {
            lo = t + 1;
        } else {
            hi = t;
        }
    }
    if lo > low && std::env::var_os("LP_LOW").is_some() {
        println!("first finish not refuted from LP_LOW on: {lo} (its own bound {low}); LP time {total:.1} s");
    } else {
        println!("LP finish bound {lo} (its own bound {low}); LP time {total:.1} s");
    }
}
