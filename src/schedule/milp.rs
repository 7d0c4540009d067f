//! The time-indexed integer program, solved by HiGHS.
//!
//! **Variables.** One binary `x[a,m,s]` per activity `a`, mode `m` and start
//! day `s` inside the activity's critical-path window `[es, ls]` (computed on
//! the problem, possibly with a shorter horizon) where the mode may start and
//! ends no later than `lf`. A [`Domain`] can narrow this further (fix the
//! mode, restrict the start days), which is how the large-neighbourhood search
//! in [`super::lns`] fixes most of a schedule. Besides, one continuous
//! makespan variable `C` and one continuous lateness variable `L_g` per due
//! group.
//!
//! **Constraints.** Every activity starts exactly once (`Σ x[a,·,·] = 1`).
//! Precedences are written in the disaggregated ("started-by") form by
//! default: for a finish-to-start link `a → b` with lag `L` and every day `t`
//! on which it is not trivially satisfied, "`b` started by `t`" implies "`a`
//! ended by `t − L`": `Σ_{s' ≤ t} x[b,·,s'] ≤ Σ_{(m,s): end(a,m,s)+L ≤ t}
//! x[a,m,s]` (start-to-start links use the start instead of the end). As the
//! binaries of one activity sum to one, each side may be replaced by one minus
//! its complement; the builder writes whichever has fewer columns, which
//! halves the non-zeros and leaves the LP relaxation unchanged. This is the
//! tight form of the time-indexed model; the aggregated form (`Σ s·x_b −
//! Σ end·x_a ≥ L`, one row per link) is kept for comparison as
//! [`PrecedenceForm::Aggregated`]. Each resource and each day `d` has one row
//! `Σ demand·x ≤ capacity` over the columns whose `[s, end)` covers `d`, plus,
//! for every [`Span`](super::problem::Span) on that resource, `amount ·
//! open(d)` where `open(d) = Σ_{s ≤ d} x[first,·,s] − Σ_{end ≤ d} x[last,·,s]`
//! (the span is open on `d` when `first` has started and `last` has not ended;
//! this needs `last` to end no earlier than `first` starts, which the spans'
//! contract guarantees). Days on which a row cannot be violated are skipped.
//! The makespan is `C ≥ Σ end·x[a]` for activities with no finish-to-start
//! successor; the lateness of group `g` is `L_g ≥ Σ max(0, end − due)·x[a]`
//! for each member `a` (the per-member convex hull, tighter than
//! `L_g ≥ Σ end·x − due`).
//!
//! **Objective.** `Σ level_weight(g)·weight_g·L_g + finish·C + cost·Σ cost_per_day·
//! (end − start)·x` plus, when the problem has a baseline, each start
//! column's deviation cost (shift days and mode change), exactly
//! [`Problem::score`]. All coefficients are integers,
//! so HiGHS may stop at an absolute gap below one and the proven lower bound is
//! `ceil(dual bound − 1e-6)`.
//!
//! **Solving.** The model is passed to HiGHS through the `highs` crate and
//! the [`super::highs_adapter`] (options, status mapping, callbacks). A warm
//! start is given with `Highs_setSolution`; HiGHS then prunes with it as the
//! incumbent. A callback (MIP-interrupt and improving-solution events)
//! reports progress and interrupts the solve when the budget's stop flag is
//! set. HiGHS raises the MIP-interrupt event only
//! at its limit checks (between root-node phases and nodes); the LP solves
//! inside the MIP get no callback. On large models (here: 2,500 binaries,
//! 260,000 non-zeros, default threads) the root node was seen to run 60–80 s
//! past both a 10 s time limit and the stop flag; on the models the search
//! builds after left-justifying its incumbent it stops within a second or
//! so. The analytic-centre interior-point solve that HiGHS runs beside the
//! root cannot be interrupted either, and it works on the model as built,
//! so the builder first drops every start column that the model's pinned
//! activities and links rule out (`prune`; exact, the model's schedules are
//! unchanged): pruned, the city's LNS sub-models stop within about 0.1 s of
//! their limit. Every decoded schedule is re-checked against every
//! constraint by [`check_schedule`] before it is returned.

use std::collections::HashMap;
use std::time::Instant;

use highs::{Col, HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};

use super::budget::Budget;
use super::highs_adapter::{self, configure_mip, integer_bound, solve_mip};
use super::outcome::{gap, Outcome, Progress, Status, StopReason};
use super::problem::{ActId, Day, LinkKind, Problem, Schedule};
use super::window::Windows;

mod prune;

/// How precedence links are written in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PrecedenceForm {
    /// One row per link and relevant day (tight LP relaxation).
    #[default]
    Disaggregated,
    /// One row per link on the start/end expressions (weak LP relaxation).
    Aggregated,
}

/// A restriction of where one activity may start in a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Domain {
    /// The only mode allowed, or `None` for every mode.
    pub mode: Option<usize>,
    /// Earliest start allowed (intersected with the window).
    pub lo: Day,
    /// Latest start allowed (intersected with the window).
    pub hi: Day,
}

impl Domain {
    /// The activity is fixed at one mode and start.
    pub fn fixed(mode: usize, start: Day) -> Domain {
        Domain {
            mode: Some(mode),
            lo: start,
            hi: start,
        }
    }

    /// No restriction beyond the time window.
    pub fn free() -> Domain {
        Domain {
            mode: None,
            lo: 0,
            hi: Day::MAX,
        }
    }
}

/// Settings of one MILP solve beside its [`Budget`].
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MilpSettings {
    /// Relative gap at which HiGHS may stop (`mip_rel_gap`), on the folded
    /// objective.
    pub gap: f64,
    /// Absolute gap in the folded objective at which HiGHS may stop
    /// (`mip_abs_gap` is this plus one less a tolerance: the objective is
    /// integral); 0 demands a proof. The large-neighbourhood search sets it
    /// from the stop rule on the objective's levels
    /// ([`super::outcome::LevelSplit::slack`]).
    pub slack: u64,
    /// Least value of the makespan column: a finish no plan kept by the
    /// model can beat (e.g. the finish level's bound when the levels above
    /// it are proven). Adds nothing to the model's schedules that are at
    /// least as good as the incumbent; it lifts the LP bound.
    pub finish_at_least: Day,
    /// Precedence formulation.
    pub form: PrecedenceForm,
}

/// Size of a built model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModelStats {
    /// Start binaries.
    pub binaries: usize,
    /// All columns.
    pub columns: usize,
    /// Rows.
    pub rows: usize,
    /// Non-zero coefficients.
    pub nonzeros: usize,
}

/// What a MILP solve returns: its [`Outcome`] and what the model cost.
///
/// The status is [`Status::Optimal`] when HiGHS proved the schedule optimal
/// within the settings' gap, [`Status::Feasible`] when it found a schedule
/// without that proof.
#[derive(Debug, Clone)]
pub struct MilpOutcome {
    /// The schedule (checked against every constraint), bound, status and
    /// stop reason.
    pub outcome: Outcome,
    /// Model size.
    pub stats: ModelStats,
    /// Wall-clock seconds spent in HiGHS.
    pub seconds: f64,
}

impl MilpOutcome {
    /// The model was not built: it would exceed [`MAX_START_COLUMNS`].
    pub fn too_large(&self) -> bool {
        matches!(self.outcome.stop, StopReason::ModelTooLarge { .. })
    }
}

/// One start binary: activity, mode, start and end day.
#[derive(Debug, Clone, Copy)]
struct XCol {
    act: ActId,
    mode: usize,
    start: Day,
    end: Day,
}

/// A built time-indexed model, ready to be solved.
pub struct MilpModel {
    problem: RowProblem,
    xs: Vec<XCol>,
    by_act: Vec<Vec<usize>>,
    makespan_col: Col,
    lateness_cols: Vec<Col>,
    stats: ModelStats,
}

impl MilpModel {
    /// Size of the model.
    pub fn stats(&self) -> ModelStats {
        self.stats
    }
}

/// Models with more start columns than this are not built: HiGHS would
/// spend minutes in presolve and at the root (the 832-activity city
/// scenario has about 450,000), ignoring its time limit. Such problems are
/// improved by large-neighbourhood search on small sub-models instead.
pub const MAX_START_COLUMNS: usize = 60_000;

/// Runs limited by work ([`Budget::work_limited`], as in the tests) solve no
/// model with more start columns than this. HiGHS computes an analytic
/// centre with its interior-point solver at the root of every MIP, whatever
/// the options (it is hard-wired on, capped only at 200 interior-point
/// iterations), waits for it before the search, and takes no callback
/// meanwhile; neither `mip_max_nodes` nor any other work option
/// (`simplex_iteration_limit` is not passed on to the MIP's LP solves)
/// bounds it. On random test programmes of 9-10 activities with long
/// horizons (4,800-6,700 columns) one solve was measured at 10-60 s, on
/// models under 1,600 columns at most 2.5 s. The size of the model is the
/// only work limit that bounds it, so a work-limited run treats a larger
/// model as too large, and the large-neighbourhood search works on its small
/// sub-models instead.
pub const WORK_LIMITED_START_COLUMNS: usize = 2_000;

/// Why a model was not built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The windows or domains leave some activity no start: no schedule exists.
    #[error("infeasible: {0}")]
    Infeasible(String),
    /// The model would be too large to solve in reasonable time.
    #[error("model too large: {columns} start columns (limit {MAX_START_COLUMNS})")]
    TooLarge {
        /// Start columns the model would have.
        columns: usize,
    },
}

/// Builds the model of `p` with every end at or before `horizon` (which may be
/// shorter than `p.horizon`, e.g. derived from an incumbent) and, optionally,
/// one [`Domain`] per activity. Fails with a reason when some activity has no
/// start left, i.e. the model is trivially infeasible.
pub fn build(
    p: &Problem,
    horizon: Day,
    domains: Option<&[Domain]>,
    form: PrecedenceForm,
) -> Result<MilpModel, BuildError> {
    build_with(p, horizon, domains, form, 0)
}

/// [`build`] with the makespan column at least `finish_at_least` (see
/// [`MilpSettings::finish_at_least`]).
pub fn build_with(
    p: &Problem,
    horizon: Day,
    domains: Option<&[Domain]>,
    form: PrecedenceForm,
    finish_at_least: Day,
) -> Result<MilpModel, BuildError> {
    let mut q = p.clone();
    q.horizon = horizon.min(p.horizon);
    let w = Windows::compute(&q).map_err(|e| BuildError::Infeasible(e.to_string()))?;
    let xs = start_columns(&q, &w, domains)?;
    if xs.len() > MAX_START_COLUMNS {
        return Err(BuildError::TooLarge { columns: xs.len() });
    }
    let xs = prune::prune(&q, xs);
    let mut by_act = vec![Vec::new(); p.activities.len()];
    for (i, x) in xs.iter().enumerate() {
        by_act[x.act].push(i);
    }
    if let Some(a) = by_act.iter().position(|v| v.is_empty()) {
        return Err(BuildError::Infeasible(format!(
            "activity `{}` has no allowed start",
            p.activities[a].name
        )));
    }
    let mut rp = RowProblem::default();
    let o = p.objective;
    let cols: Vec<Col> = xs
        .iter()
        .map(|x| {
            let c = p.activities[x.act].modes[x.mode].cost_per_day as f64;
            let deviation = p
                .baseline
                .as_ref()
                .map_or(0, |b| b.cost(x.act, x.mode, x.start));
            rp.add_integer_column(
                o.cost as f64 * c * (x.end - x.start) as f64 + deviation as f64,
                0..=1,
            )
        })
        .collect();
    let makespan_col = rp.add_column(o.finish as f64, finish_at_least as f64..);
    let lateness_cols: Vec<Col> = p
        .groups
        .iter()
        .map(|g| rp.add_column(p.group_weight(g) as f64, 0..))
        .collect();
    let mut b = RowBuilder {
        rp,
        cols,
        xs: &xs,
        by_act: &by_act,
        rows: 0,
        nonzeros: 0,
    };
    b.assignment_rows();
    b.precedence_rows(p, form);
    if o.finish > 0 {
        b.makespan_rows(p, makespan_col);
    }
    if p.groups.iter().any(|g| p.group_weight(g) > 0) {
        b.lateness_rows(p, &lateness_cols);
    }
    b.resource_rows(p, q.horizon);
    let stats = ModelStats {
        binaries: xs.len(),
        columns: xs.len() + 1 + lateness_cols.len(),
        rows: b.rows,
        nonzeros: b.nonzeros,
    };
    let problem = b.rp;
    Ok(MilpModel {
        problem,
        xs,
        by_act,
        makespan_col,
        lateness_cols,
        stats,
    })
}

/// How many start binaries the full model of `p` up to `horizon` would
/// have (compare with [`MAX_START_COLUMNS`]), without building it.
pub fn start_column_count(p: &Problem, horizon: Day) -> Result<usize, BuildError> {
    start_column_count_up_to(p, horizon, usize::MAX)
}

/// [`start_column_count`] that stops counting once it passes `cap` (and
/// then returns a count above `cap`): deciding that a model of thousands of
/// activities is too large takes a fraction of the time of counting all of
/// its millions of columns.
pub fn start_column_count_up_to(
    p: &Problem,
    horizon: Day,
    cap: usize,
) -> Result<usize, BuildError> {
    let shorter;
    let q = if horizon < p.horizon {
        shorter = Problem {
            horizon,
            ..p.clone()
        };
        &shorter
    } else {
        p
    };
    let w = Windows::compute(q).map_err(|e| BuildError::Infeasible(e.to_string()))?;
    let mut n = 0usize;
    start_columns_into(q, &w, None, &mut |_| {
        n += 1;
        n <= cap
    })?;
    Ok(n)
}

/// True when the full model of `p` with `horizon` has more than
/// [`MAX_START_COLUMNS`] start columns, so it is not built (decided by
/// counting up to the limit only; a problem whose windows show it
/// infeasible is not called too large).
pub fn too_large_to_build(p: &Problem, horizon: Day) -> bool {
    start_column_count_up_to(p, horizon, MAX_START_COLUMNS).is_ok_and(|c| c > MAX_START_COLUMNS)
}

/// Enumerates the start binaries of every activity.
fn start_columns(
    q: &Problem,
    w: &Windows,
    domains: Option<&[Domain]>,
) -> Result<Vec<XCol>, BuildError> {
    let mut xs = Vec::new();
    start_columns_into(q, w, domains, &mut |x| {
        xs.push(x);
        true
    })?;
    Ok(xs)
}

/// Gives every start binary to `keep` in [`start_columns`]'s order, until
/// `keep` returns false.
fn start_columns_into(
    q: &Problem,
    w: &Windows,
    domains: Option<&[Domain]>,
    keep: &mut dyn FnMut(XCol) -> bool,
) -> Result<(), BuildError> {
    for (a, act) in q.activities.iter().enumerate() {
        let d = domains.map(|d| d[a]).unwrap_or_else(Domain::free);
        let lo = w.es[a].max(d.lo).max(act.release);
        let hi = w.ls[a].min(d.hi);
        for (m, mode) in act.modes.iter().enumerate() {
            if d.mode.is_some_and(|dm| dm != m) {
                continue;
            }
            if mode
                .demands
                .iter()
                .any(|&(r, u)| u > q.resources[r].capacity)
            {
                continue;
            }
            for s in lo..=hi {
                match mode.timing.end(s) {
                    Some(e) if e <= w.lf[a] && e <= q.horizon => {
                        let x = XCol {
                            act: a,
                            mode: m,
                            start: s,
                            end: e,
                        };
                        if !keep(x) {
                            return Ok(());
                        }
                    }
                    _ => {}
                }
            }
        }
        if hi < lo {
            return Err(BuildError::Infeasible(format!(
                "activity `{}` has an empty start domain",
                act.name
            )));
        }
    }
    Ok(())
}

/// The disaggregated precedence row for day `t`: "`b` started by `t`"
/// (`B≤ = Σ_{s ≤ t} x_b`) implies "`a` released `b` by `t`" (`A≤ = Σ_{key+lag
/// ≤ t} x_a`), i.e. `B≤ − A≤ ≤ 0`. Since each activity's binaries sum to one,
/// `B≤ = 1 − B>` and `A≤ = 1 − A>`; each side is written with whichever
/// part has fewer columns. All four variants define the same LP polytope.
/// `a` holds (column, key + lag), `b` (column, start). Returns terms and the
/// right-hand side.
fn started_by_row(a: &[(usize, i64)], b: &[(usize, i64)], t: i64) -> (Vec<(usize, f64)>, f64) {
    let a_le = a.iter().filter(|x| x.1 <= t).count();
    let b_le = b.iter().filter(|x| x.1 <= t).count();
    let mut rhs = 0.0;
    let mut terms = Vec::new();
    if b_le <= b.len() - b_le {
        terms.extend(b.iter().filter(|x| x.1 <= t).map(|x| (x.0, 1.0)));
    } else {
        terms.extend(b.iter().filter(|x| x.1 > t).map(|x| (x.0, -1.0)));
        rhs -= 1.0;
    }
    if a_le <= a.len() - a_le {
        terms.extend(a.iter().filter(|x| x.1 <= t).map(|x| (x.0, -1.0)));
    } else {
        terms.extend(a.iter().filter(|x| x.1 > t).map(|x| (x.0, 1.0)));
        rhs += 1.0;
    }
    (terms, rhs)
}

/// Adds rows to the problem, merging duplicate columns and counting size.
struct RowBuilder<'a> {
    rp: RowProblem,
    cols: Vec<Col>,
    xs: &'a [XCol],
    by_act: &'a [Vec<usize>],
    rows: usize,
    nonzeros: usize,
}

impl RowBuilder<'_> {
    /// Adds `lo <= Σ coef·x[i] (+ extra) <= hi`, with x indices merged.
    fn add(&mut self, lo: f64, hi: f64, mut terms: Vec<(usize, f64)>, extra: &[(Col, f64)]) {
        terms.sort_unstable_by_key(|t| t.0);
        let mut row: Vec<(Col, f64)> = Vec::with_capacity(terms.len() + extra.len());
        let mut last = usize::MAX;
        for (i, c) in terms {
            if i == last {
                row.last_mut().expect("merged term").1 += c;
            } else {
                row.push((self.cols[i], c));
                last = i;
            }
        }
        row.retain(|t| t.1 != 0.0);
        row.extend_from_slice(extra);
        if row.is_empty() {
            return;
        }
        self.rows += 1;
        self.nonzeros += row.len();
        self.rp.add_row(lo..=hi, row);
    }

    fn assignment_rows(&mut self) {
        for a in 0..self.by_act.len() {
            let terms = self.by_act[a].iter().map(|&i| (i, 1.0)).collect();
            self.add(1.0, 1.0, terms, &[]);
        }
    }

    fn precedence_rows(&mut self, p: &Problem, form: PrecedenceForm) {
        for l in &p.links {
            let key = |x: &XCol| match l.kind {
                LinkKind::FinishToStart => x.end as i64,
                LinkKind::StartToStart => x.start as i64,
            };
            let (from, to) = (&self.by_act[l.from], &self.by_act[l.to]);
            match form {
                PrecedenceForm::Aggregated => {
                    let mut terms: Vec<(usize, f64)> =
                        to.iter().map(|&i| (i, self.xs[i].start as f64)).collect();
                    terms.extend(from.iter().map(|&i| (i, -(key(&self.xs[i]) as f64))));
                    self.add(l.lag as f64, f64::INFINITY, terms, &[]);
                }
                PrecedenceForm::Disaggregated => {
                    let first = to
                        .iter()
                        .map(|&i| self.xs[i].start as i64)
                        .min()
                        .unwrap_or(0);
                    let last = from
                        .iter()
                        .map(|&i| key(&self.xs[i]) + l.lag as i64)
                        .max()
                        .unwrap_or(0);
                    let a: Vec<(usize, i64)> = from
                        .iter()
                        .map(|&i| (i, key(&self.xs[i]) + l.lag as i64))
                        .collect();
                    let b: Vec<(usize, i64)> =
                        to.iter().map(|&i| (i, self.xs[i].start as i64)).collect();
                    for t in first..last {
                        let (terms, rhs) = started_by_row(&a, &b, t);
                        self.add(f64::NEG_INFINITY, rhs, terms, &[]);
                    }
                }
            }
        }
    }

    fn makespan_rows(&mut self, p: &Problem, c: Col) {
        let out = p.out_links();
        for (a, links) in out.iter().enumerate() {
            let covered = links.iter().any(|&li| {
                let l = &p.links[li];
                l.kind == LinkKind::FinishToStart && l.lag >= 0
            });
            if covered {
                continue;
            }
            let terms = self.by_act[a]
                .iter()
                .map(|&i| (i, -(self.xs[i].end as f64)))
                .collect();
            self.add(0.0, f64::INFINITY, terms, &[(c, 1.0)]);
        }
    }

    fn lateness_rows(&mut self, p: &Problem, cols: &[Col]) {
        for (g, group) in p.groups.iter().enumerate() {
            if group.weight == 0 {
                continue;
            }
            for &a in &group.members {
                let terms: Vec<(usize, f64)> = self.by_act[a]
                    .iter()
                    .filter(|&&i| self.xs[i].end > group.due)
                    .map(|&i| (i, -((self.xs[i].end - group.due) as f64)))
                    .collect();
                if !terms.is_empty() {
                    self.add(0.0, f64::INFINITY, terms, &[(cols[g], 1.0)]);
                }
            }
        }
    }

    fn resource_rows(&mut self, p: &Problem, horizon: Day) {
        let h = horizon as usize;
        let nr = p.resources.len();
        // terms[r][d]: (x index, amount); constant[r][d]: units surely held.
        let mut terms: Vec<Vec<Vec<(usize, f64)>>> = vec![vec![Vec::new(); h]; nr];
        let mut constant = vec![vec![0.0f64; h]; nr];
        for (i, x) in self.xs.iter().enumerate() {
            for &(r, u) in &p.activities[x.act].modes[x.mode].demands {
                for d in x.start..x.end.min(horizon) {
                    terms[r][d as usize].push((i, u as f64));
                }
            }
        }
        for sp in &p.spans {
            self.span_terms(sp, h, &mut terms[sp.resource], &mut constant[sp.resource]);
        }
        for (r, res) in p.resources.iter().enumerate() {
            for d in 0..h {
                let t = std::mem::take(&mut terms[r][d]);
                if self.cannot_exceed(&t, constant[r][d], res.capacity as f64) {
                    continue;
                }
                self.add(
                    f64::NEG_INFINITY,
                    res.capacity as f64 - constant[r][d],
                    t,
                    &[],
                );
            }
        }
    }

    /// Adds `amount · open(d)` of a span to the per-day terms of its resource.
    fn span_terms(
        &self,
        sp: &super::problem::Span,
        h: usize,
        terms: &mut [Vec<(usize, f64)>],
        constant: &mut [f64],
    ) {
        let amt = sp.amount as f64;
        let first = &self.by_act[sp.first];
        let last = &self.by_act[sp.last];
        let min_start = first.iter().map(|&i| self.xs[i].start).min().unwrap_or(0) as usize;
        let max_start = first.iter().map(|&i| self.xs[i].start).max().unwrap_or(0) as usize;
        let min_end = last.iter().map(|&i| self.xs[i].end).min().unwrap_or(0) as usize;
        let max_end = last.iter().map(|&i| self.xs[i].end).max().unwrap_or(0) as usize;
        for d in min_start..max_end.min(h) {
            if d >= max_start {
                constant[d] += amt;
            } else {
                terms[d].extend(
                    first
                        .iter()
                        .filter(|&&i| self.xs[i].start as usize <= d)
                        .map(|&i| (i, amt)),
                );
            }
            if d >= min_end {
                terms[d].extend(
                    last.iter()
                        .filter(|&&i| self.xs[i].end as usize <= d)
                        .map(|&i| (i, -amt)),
                );
            }
        }
    }

    /// True when the row can never exceed the capacity: the constant plus,
    /// per activity, its largest column coefficient (one start is chosen)
    /// fits.
    fn cannot_exceed(&self, t: &[(usize, f64)], constant: f64, cap: f64) -> bool {
        let mut per_col: HashMap<usize, f64> = HashMap::new();
        for &(i, c) in t {
            *per_col.entry(i).or_insert(0.0) += c;
        }
        let mut per_act: HashMap<ActId, f64> = HashMap::new();
        for (i, c) in per_col {
            let e = per_act.entry(self.xs[i].act).or_insert(0.0);
            *e = e.max(c);
        }
        constant + per_act.values().sum::<f64>() <= cap
    }
}

/// Checks a schedule against every constraint of `p` with the referee
/// checker ([`super::check::violations`]); `Err` lists every violation.
pub fn check_schedule(p: &Problem, s: &Schedule) -> Result<(), String> {
    let v = super::check::violations(p, s);
    if v.is_empty() {
        Ok(())
    } else {
        Err(v.join("; "))
    }
}

/// Column values of a schedule in `model`, if every chosen start is a column.
fn warm_values(p: &Problem, model: &MilpModel, s: &Schedule) -> Option<Vec<f64>> {
    let mut v = vec![0.0; model.stats.columns];
    for (a, cols) in model.by_act.iter().enumerate() {
        let i = cols
            .iter()
            .copied()
            .find(|&i| model.xs[i].mode == s.modes[a] && model.xs[i].start == s.starts[a])?;
        v[i] = 1.0;
    }
    let score = p.score(s);
    v[model.makespan_col.index()] = score.makespan as f64;
    let ends: Vec<Day> = (0..p.activities.len())
        .map(|a| p.end(a, s.modes[a], s.starts[a]).unwrap_or(0))
        .collect();
    for (g, c) in p.groups.iter().zip(&model.lateness_cols) {
        let fin = g.members.iter().map(|&a| ends[a]).max().unwrap_or(0);
        v[c.index()] = fin.saturating_sub(g.due) as f64;
    }
    Some(v)
}

/// Reads a schedule out of column values (the largest start binary of each
/// activity).
fn decode(model: &MilpModel, values: &[f64]) -> Schedule {
    let mut starts = Vec::with_capacity(model.by_act.len());
    let mut modes = Vec::with_capacity(model.by_act.len());
    for cols in &model.by_act {
        let best = cols
            .iter()
            .copied()
            .max_by(|&i, &j| values[i].total_cmp(&values[j]))
            .expect("every activity has a column");
        starts.push(model.xs[best].start);
        modes.push(model.xs[best].mode);
    }
    Schedule { starts, modes }
}

/// Solves a built model within `budget`. `warm` (if it is a solution of the
/// model) is handed to HiGHS as the starting incumbent. `on_progress` gets
/// HiGHS's incumbent and dual bound (see [`highs_adapter::solve_mip`]).
pub fn solve_model(
    p: &Problem,
    model: MilpModel,
    warm: Option<&Schedule>,
    budget: &Budget,
    settings: &MilpSettings,
    on_progress: &mut dyn FnMut(&Progress),
) -> MilpOutcome {
    let started = Instant::now();
    let stats = model.stats;
    let failed = |stop: StopReason| MilpOutcome {
        outcome: Outcome {
            schedule: None,
            score: None,
            bound: 0,
            status: Status::NoSolution,
            stop,
            finish_bound: 0,
        },
        stats,
        seconds: started.elapsed().as_secs_f64(),
    };
    let warm_vals = warm.and_then(|s| warm_values(p, &model, s));
    let mut model = model;
    let mut hm = std::mem::take(&mut model.problem).optimise(Sense::Minimise);
    if let Err(e) = configure_mip(&mut hm, budget, settings.gap, settings.slack) {
        return failed(StopReason::SolverError {
            error: e.to_string(),
        });
    }
    if let Some(v) = &warm_vals {
        // A rejected start only costs HiGHS the incumbent; the solve is
        // still correct without it.
        let _ = hm.try_set_solution(Some(v), None, None, None);
    }
    let run = match solve_mip(hm, budget, on_progress) {
        Ok(run) => run,
        Err(error) => return failed(StopReason::SolverError { error }),
    };
    let solved = run.solved;
    let status = solved.status();
    let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
    let schedule = has_solution
        .then(|| decode(&model, solved.get_solution().columns()))
        .filter(|s| check_schedule(p, s).is_ok());
    let dual = solved
        .double_info_value(c"mip_dual_bound")
        .unwrap_or(f64::NEG_INFINITY);
    let score = schedule.as_ref().map(|s| p.score(s));
    let bound = integer_bound(dual, status, score.as_ref());
    let status = match (status, score) {
        (HighsModelStatus::Infeasible, _) => Status::Infeasible,
        (HighsModelStatus::Optimal, Some(_)) => Status::Optimal,
        (_, Some(s)) => Status::Feasible {
            gap: gap(s.value, bound),
        },
        (_, None) => Status::NoSolution,
    };
    let stop = if run.interrupted {
        StopReason::Interrupted
    } else {
        highs_adapter::stop_reason(solved.status())
    };
    MilpOutcome {
        outcome: Outcome {
            schedule,
            score,
            bound,
            status,
            stop,
            finish_bound: 0,
        },
        stats,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Builds and solves in one call (see [`build`] and [`solve_model`]); in a
/// run limited by work, a model of more than [`WORK_LIMITED_START_COLUMNS`]
/// start columns is not solved (stop reason "model too large").
pub fn solve(
    p: &Problem,
    horizon: Day,
    domains: Option<&[Domain]>,
    warm: Option<&Schedule>,
    budget: &Budget,
    settings: &MilpSettings,
    on_progress: &mut dyn FnMut(&Progress),
) -> MilpOutcome {
    match build_with(p, horizon, domains, settings.form, settings.finish_at_least) {
        Ok(model) if budget.work_limited() && model.stats.binaries > WORK_LIMITED_START_COLUMNS => {
            MilpOutcome {
                outcome: Outcome {
                    schedule: None,
                    score: None,
                    bound: 0,
                    status: Status::NoSolution,
                    stop: StopReason::ModelTooLarge {
                        columns: model.stats.binaries,
                        limit: WORK_LIMITED_START_COLUMNS,
                    },
                    finish_bound: 0,
                },
                stats: model.stats,
                seconds: 0.0,
            }
        }
        Ok(model) => solve_model(p, model, warm, budget, settings, on_progress),
        Err(why) => MilpOutcome {
            outcome: match why {
                BuildError::Infeasible(_) => Outcome::infeasible(0, why.to_string()),
                BuildError::TooLarge { columns } => Outcome {
                    schedule: None,
                    score: None,
                    bound: 0,
                    status: Status::NoSolution,
                    stop: StopReason::ModelTooLarge {
                        columns,
                        limit: MAX_START_COLUMNS,
                    },
                    finish_bound: 0,
                },
            },
            stats: ModelStats::default(),
            seconds: 0.0,
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::schedule::problem::*;

    /// A single-mode activity with fixed duration and demands.
    pub(crate) fn job(name: &str, d: u32, demands: &[(ResId, u32)]) -> Activity {
        Activity {
            name: name.into(),
            modes: vec![Mode {
                label: String::new(),
                demands: demands.to_vec(),
                timing: Timing::Fixed(d),
                cost_per_day: 0,
            }],
            release: 0,
        }
    }

    pub(crate) fn fs(from: ActId, to: ActId, lag: i32) -> Link {
        Link {
            from,
            to,
            kind: LinkKind::FinishToStart,
            lag,
        }
    }

    pub(crate) fn problem(
        horizon: Day,
        caps: &[u32],
        activities: Vec<Activity>,
        links: Vec<Link>,
    ) -> Problem {
        Problem {
            name: "t".into(),
            horizon,
            resources: caps
                .iter()
                .enumerate()
                .map(|(i, &c)| Resource {
                    name: format!("r{i}"),
                    capacity: c,
                })
                .collect(),
            activities,
            links,
            spans: vec![],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    /// Three pairwise-exclusive jobs on one resource (optimum 5, while the
    /// critical path gives 2 and the work bound 4) and one small follower.
    pub(crate) fn exclusive_jobs() -> Problem {
        problem(
            20,
            &[3],
            vec![
                job("x", 2, &[(0, 2)]),
                job("y", 2, &[(0, 2)]),
                job("z", 1, &[(0, 2)]),
                job("d", 1, &[(0, 1)]),
            ],
            vec![fs(2, 3, 1)],
        )
    }

    /// Ten seconds with HiGHS's choice of threads.
    fn budget() -> Budget {
        Budget::new(std::time::Duration::from_secs(10)).with_threads(0)
    }

    fn run(p: &Problem, form: PrecedenceForm) -> Outcome {
        let settings = MilpSettings {
            form,
            ..Default::default()
        };
        solve(p, p.horizon, None, None, &budget(), &settings, &mut |_| {}).outcome
    }

    #[test]
    fn a_baseline_is_kept_when_moving_costs_more() {
        // z, x, y in a row and d last finishes a day later than the optimum,
        // but moving d forward three days costs more than the day gained.
        let mut p = exclusive_jobs();
        let base = [1, 3, 0, 5];
        p.baseline = Some(super::super::Baseline {
            starts: base.iter().map(|&s| Some(s)).collect(),
            modes: vec![Some(0); 4],
            shift_weight: 3,
            change_weight: 0,
        });
        let r = run(&p, PrecedenceForm::Disaggregated);
        assert_eq!(r.status, Status::Optimal, "{}", r.stop);
        let s = r.schedule.unwrap();
        assert_eq!(s.starts, base);
        assert_eq!(p.deviation(&s), 0);
        // Released two days after its baseline start, z must shift: the
        // cheap bound already knows the two days at weight 3.
        p.activities[2].release = 2;
        let lb = crate::schedule::bound::lower_bound(&p).unwrap();
        assert!(lb >= 6 + 5, "bound {lb}");
        let r = run(&p, PrecedenceForm::Disaggregated);
        let s = r.schedule.unwrap();
        assert!(p.deviation(&s) >= 6);
        assert_eq!(r.score.unwrap(), p.score(&s));
    }

    #[test]
    fn exclusive_jobs_optimum_is_five_in_both_forms() {
        let p = exclusive_jobs();
        for form in [PrecedenceForm::Disaggregated, PrecedenceForm::Aggregated] {
            let r = run(&p, form);
            assert_eq!(r.status, Status::Optimal, "{form:?}: {}", r.stop);
            assert_eq!(r.score.unwrap().makespan, 5);
            assert_eq!(r.bound, 5);
            check_schedule(&p, r.schedule.as_ref().unwrap()).unwrap();
        }
    }

    #[test]
    fn resource_infeasible_model_is_infeasible() {
        // Two jobs that exclude each other need 6 days; the horizon is 5.
        let p = problem(
            5,
            &[2],
            vec![job("a", 3, &[(0, 2)]), job("b", 3, &[(0, 2)])],
            vec![],
        );
        let r = run(&p, PrecedenceForm::Disaggregated);
        assert_eq!(r.status, Status::Infeasible);
        assert!(r.schedule.is_none());
    }

    #[test]
    fn warm_start_is_accepted_and_fixed_domains_are_respected() {
        let p = exclusive_jobs();
        let warm = Schedule {
            starts: vec![0, 2, 4, 6],
            modes: vec![0; 4],
        };
        check_schedule(&p, &warm).unwrap();
        let doms = vec![
            Domain::fixed(0, 0),
            Domain::free(),
            Domain::free(),
            Domain::free(),
        ];
        let settings = MilpSettings::default();
        let r = solve(
            &p,
            7,
            Some(&doms),
            Some(&warm),
            &budget(),
            &settings,
            &mut |_| {},
        )
        .outcome;
        let s = r.schedule.unwrap();
        assert_eq!(s.starts[0], 0);
        assert_eq!(r.score.unwrap().makespan, 5);
    }

    #[test]
    fn checker_rejects_violations() {
        let p = exclusive_jobs();
        let overlap = Schedule {
            starts: vec![0, 1, 4, 6],
            modes: vec![0; 4],
        };
        assert!(check_schedule(&p, &overlap)
            .unwrap_err()
            .contains("but has capacity"));
        let link = Schedule {
            starts: vec![0, 2, 4, 5],
            modes: vec![0; 4],
        };
        assert!(check_schedule(&p, &link).unwrap_err().contains("link"));
        let late = Schedule {
            starts: vec![0, 2, 4, 20],
            modes: vec![0; 4],
        };
        assert!(check_schedule(&p, &late).is_err());
    }

    /// Ten jobs on one resource, each needing two of its three units, so no
    /// two run at once, with releases and a few links: the time-indexed LP
    /// relaxation is fractional, so HiGHS needs simplex iterations and
    /// branching before it can prove the optimum.
    fn needs_branching() -> Problem {
        let durations = [3, 5, 2, 4, 6, 3, 2, 5, 4, 3];
        let mut activities: Vec<Activity> = durations
            .iter()
            .enumerate()
            .map(|(i, &d)| job(&format!("j{i}"), d, &[(0, 2)]))
            .collect();
        for (i, a) in activities.iter_mut().enumerate() {
            a.release = (i as u32 * 7) % 11;
        }
        let links = vec![fs(0, 3, 1), fs(1, 4, 0), fs(2, 7, 2), fs(5, 9, 0)];
        problem(60, &[3], activities, links)
    }

    #[test]
    fn a_stop_flag_raised_before_the_solve_stops_it_at_once() {
        let p = needs_branching();
        // Without the flag the model is solved and proven optimal, so an
        // ignored flag would show as a proof below.
        let free = solve(
            &p,
            p.horizon,
            None,
            None,
            &Budget::new(std::time::Duration::from_secs(60)),
            &MilpSettings::default(),
            &mut |_| {},
        )
        .outcome;
        assert_eq!(free.status, Status::Optimal, "{}", free.stop);
        // With the flag raised before HiGHS starts, its first interrupt
        // check stops it: before any plan or proof, whatever the machine's
        // speed (the time limit is far away).
        let b = Budget::new(std::time::Duration::from_secs(60));
        b.stop_flag()
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let r = solve(
            &p,
            p.horizon,
            None,
            None,
            &b,
            &MilpSettings::default(),
            &mut |_| {},
        )
        .outcome;
        assert_eq!(r.stop, StopReason::Interrupted);
        assert_eq!(r.status, Status::NoSolution);
        assert!(r.schedule.is_none());
        assert!(
            r.bound < free.score.unwrap().value,
            "a bound that proves the optimum"
        );
    }
}
