//! Progress control at a data date, without re-planning: the figures of the
//! periodic bulletin (通报) and the progress front line (前锋线).
//!
//! The input is a network plan, the progress of every activity read from a
//! filled-in ledger ([`crate::replan::ledger::read`]), the data date and the
//! quantities of every activity ([`Quantities`], from the scenario the plan
//! embeds). The output, [`Bulletin`], is a plain value; the reports render
//! it (`report::bulletin`) and draw the front line.
//!
//! # Quantities
//!
//! Each activity of a pipe segment counts the segment's length in km for the
//! step it is: the first step of the segment template is **trenched**, the
//! step before the `supply_ready` one is **laid**, the `supply_ready` step is
//! **tested** and the last step is **reinstated** (with the city template:
//! trench, lay, test, backfill). Of a station, the first step is **civil**,
//! the one before the last is **MEP** and the last is **commissioned**; the
//! activity that makes the station heat-ready counts its **households**, once
//! it is finished (planned: its planned end is before the data date).
//! A planned quantity at the data date is the quantity times the planned
//! fraction done (linear over the planned calendar days); an actual one the
//! quantity times the fraction the ledger reports.
//!
//! # Earned schedule (Lipke)
//!
//! Value is the work content in crew-days at normal productivity (the
//! scenario's rates), so that a km of trench and a station's civil works
//! weigh what they cost in crews. With `w(a)` the work of activity `a`:
//!
//! * planned fraction `pf(a, t) = clamp((t − start(a)) / duration(a), 0, 1)`
//!   on the day grid (`t` = start of a day, so `t = DD` means "by the end of
//!   the day before the data date");
//! * earned fraction `f(a)`: 1 when finished, `percent/100` when running,
//!   `1 − remaining_days / duration(a)` when the ledger gives remaining days,
//!   0 when not started;
//! * `PV(t) = Σ w(a)·pf(a, t)`, `EV = Σ w(a)·f(a)` over the unit's activities;
//! * **earned schedule** `ES = k + (EV − PV(k)) / (PV(k+1) − PV(k))` where
//!   `k` is the last day with `PV(k) ≤ EV` (the time at which the plan had
//!   earned what has been earned now);
//! * `SV(t) = ES − DD` in days (negative: behind), and
//!   `SPI(t) = (ES − t0) / (DD − t0)` with `t0` the unit's first planned
//!   start (undefined before it).
//!
//! # Status (red / amber / green)
//!
//! * **red**: `SV(t) ≤ −10` days, or `SPI(t) < 0.80`, or one of the unit's
//!   activities is behind by more than its total float (the delay rounded to
//!   whole days) and the forecast
//!   puts a station heat-ready date or a time node after it past target;
//! * **amber**: otherwise `SV(t) < −3` days or `SPI(t) < 0.95`;
//! * **green**: otherwise.
//!
//! An activity is *behind* when its front-line point lies at least half a
//! day left of the data date ([`BEHIND_DAYS`]).
//!
//! Units are ranked by `SV(t)` (most ahead first; ties by `SPI(t)`), and a
//! unit that is amber or red is *lagging*.
//!
//! # Front line and forecast
//!
//! The front line (JGJ/T 121) marks on each activity's arrow the point its
//! progress has reached: `reached = start + f(a)·duration` on the plan's time
//! scale; the offset `reached − DD` is negative when the work is behind. It
//! passes every running activity, every activity due to be running or done
//! at the data date that is not finished, and every activity finished ahead
//! of its plan.
//!
//! The forecast that tells which heat-ready dates and time nodes a slip
//! threatens keeps the plan's calendar-day durations and every link
//! (precedences and the hand-overs of crews and trenches): finished work
//! keeps its actual dates; running work needs the rest of its duration from
//! the data date, after its predecessors (retained logic); work not started
//! starts no earlier than planned, the data date and its links allow.

use crate::plan::cpm::{MilestoneKind, NetworkPlan};
use crate::replan::ledger::{ActivityProgress, Remaining};
use crate::Project;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// The quantities a bulletin counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Pipe trench dug (km).
    Trenched,
    /// Pipe laid and welded (km).
    Laid,
    /// Pipe tested (km).
    Tested,
    /// Surface reinstated (km).
    Reinstated,
    /// Station civil works done (stations).
    StationCivil,
    /// Station MEP done (stations).
    StationMep,
    /// Stations commissioned.
    Commissioned,
    /// Households heat-ready.
    Households,
}

impl Measure {
    /// Every measure, in the bulletin's column order.
    pub const ALL: [Measure; 8] = [
        Measure::Trenched,
        Measure::Laid,
        Measure::Tested,
        Measure::Reinstated,
        Measure::StationCivil,
        Measure::StationMep,
        Measure::Commissioned,
        Measure::Households,
    ];

    /// Position in [`Measure::ALL`].
    pub fn index(self) -> usize {
        Measure::ALL
            .iter()
            .position(|&m| m == self)
            .expect("listed")
    }

    /// Stable English key (CSV header).
    pub fn key(self) -> &'static str {
        match self {
            Measure::Trenched => "km_trenched",
            Measure::Laid => "km_laid",
            Measure::Tested => "km_tested",
            Measure::Reinstated => "km_reinstated",
            Measure::StationCivil => "stations_civil",
            Measure::StationMep => "stations_mep",
            Measure::Commissioned => "stations_commissioned",
            Measure::Households => "households_heat_ready",
        }
    }
}

/// A value per measure, in the order of [`Measure::ALL`].
pub type PerMeasure = [f64; 8];

/// What every activity of a plan counts, and its value for earned schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantities {
    /// Per activity (plan order): the measures it counts and how much.
    pub counts: Vec<Vec<(Measure, f64)>>,
    /// Per activity: work content in crew-days (earned-value weight).
    pub work: Vec<f64>,
}

impl Quantities {
    /// The quantities of the plan's activities, from the project the plan
    /// was made of (matched by activity id; an activity the project does
    /// not know counts nothing and weighs its planned calendar days).
    pub fn new(project: &Project, np: &NetworkPlan) -> Quantities {
        let p = &project.programme;
        let by_id: HashMap<&str, usize> = project
            .work
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| (it.id.as_str(), i))
            .collect();
        let seg_steps = &p.templates.segment;
        let st_steps = &p.templates.station;
        let step_pos = |steps: &[crate::scenario::programme::Step], id: &str, el: &str| {
            let key = id.strip_prefix(el)?.strip_prefix('/')?;
            steps.iter().position(|s| s.key == key)
        };
        let ready = p.templates.supply_ready().index();
        let households: HashMap<usize, u64> = project
            .work
            .heat_ready
            .iter()
            .map(|h| (h.activity, h.households))
            .collect();
        let mut counts = Vec::new();
        let mut work = Vec::new();
        for a in &np.plan.activities {
            let Some(&i) = by_id.get(a.id.as_str()) else {
                counts.push(Vec::new());
                work.push(a.duration_days as f64);
                continue;
            };
            let it = &project.work.items[i];
            work.push(it.work);
            let mut c = Vec::new();
            match it.element {
                crate::activities::Element::Segment(s) => {
                    let km = p.segments[s.index()].length_m / 1000.0;
                    if let Some(k) = step_pos(seg_steps, &a.id, &a.element) {
                        let last = seg_steps.len() - 1;
                        if k == 0 {
                            c.push((Measure::Trenched, km));
                        }
                        if k == ready.saturating_sub(1) {
                            c.push((Measure::Laid, km));
                        }
                        if k == ready {
                            c.push((Measure::Tested, km));
                        }
                        if k == last {
                            c.push((Measure::Reinstated, km));
                        }
                    }
                }
                crate::activities::Element::Station(_) => {
                    if let Some(k) = step_pos(st_steps, &a.id, &a.element) {
                        let last = st_steps.len() - 1;
                        if k == 0 {
                            c.push((Measure::StationCivil, 1.0));
                        }
                        if k == last.saturating_sub(1) {
                            c.push((Measure::StationMep, 1.0));
                        }
                        if k == last {
                            c.push((Measure::Commissioned, 1.0));
                        }
                    }
                }
                _ => {}
            }
            if let Some(&h) = households.get(&i) {
                c.push((Measure::Households, h as f64));
            }
            counts.push(c);
        }
        Quantities { counts, work }
    }
}

/// Red, amber or green (see the module docs for the thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    /// On or near plan.
    Green,
    /// Behind; watch.
    Amber,
    /// Well behind, or a heat-ready date or time node is threatened.
    Red,
}

/// An activity is *behind* when its front-line point is at least this many
/// days left of the data date.
pub const BEHIND_DAYS: f64 = 0.5;
/// `SV(t)` at or below which a unit is red.
pub const RED_SV_DAYS: f64 = -10.0;
/// `SPI(t)` below which a unit is red.
pub const RED_SPI: f64 = 0.80;
/// `SV(t)` below which a unit is amber.
pub const AMBER_SV_DAYS: f64 = -3.0;
/// `SPI(t)` below which a unit is amber.
pub const AMBER_SPI: f64 = 0.95;

impl Rag {
    /// The status of earned-schedule figures (`threatened`: the forecast
    /// puts one of the unit's heat-ready dates or time nodes past target).
    pub fn of(sv_t: f64, spi_t: Option<f64>, threatened: bool) -> Rag {
        let spi = spi_t.unwrap_or(1.0);
        if threatened || sv_t <= RED_SV_DAYS || spi < RED_SPI {
            Rag::Red
        } else if sv_t < AMBER_SV_DAYS || spi < AMBER_SPI {
            Rag::Amber
        } else {
            Rag::Green
        }
    }
}

/// What a unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// The whole programme.
    Programme,
    /// A district.
    District,
    /// A contractor.
    Contractor,
}

/// Earned-schedule figures of a set of activities at one data date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Earned {
    /// Planned value at the data date (crew-days).
    pub pv: f64,
    /// Earned value (crew-days).
    pub ev: f64,
    /// Total value of the unit (crew-days).
    pub bac: f64,
    /// Earned schedule as a day index (fractional).
    pub es: f64,
    /// `SV(t) = ES − DD` in days.
    pub sv_t: f64,
    /// `SPI(t) = (ES − t0) / (DD − t0)`; `None` before the unit's first
    /// planned start.
    pub spi_t: Option<f64>,
}

/// The bulletin's line of one district, contractor or the programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitStatus {
    /// What the unit is.
    pub kind: UnitKind,
    /// Id (empty for the programme).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The person responsible and the contact (任务具体到人; empty when the
    /// scenario names none).
    pub responsible: String,
    /// Planned quantities done by the data date.
    pub planned: PerMeasure,
    /// Actual quantities done by the data date.
    pub actual: PerMeasure,
    /// Total quantities of the unit.
    pub total: PerMeasure,
    /// Earned-schedule figures.
    pub earned: Earned,
    /// Rank among units of its kind (1 = most ahead).
    pub rank: usize,
    /// Red, amber or green.
    pub rag: Rag,
    /// `SV(t)` at each earlier bulletin (data date, days), oldest first.
    pub trend: Vec<(NaiveDate, f64)>,
    /// Activities of the unit behind plan (indices into
    /// [`Bulletin::front`]), most behind first.
    pub behind: Vec<usize>,
    /// Station heat-ready dates and time nodes the forecast puts past their
    /// target because of this unit's slips (indices into
    /// [`Bulletin::threats`]).
    pub threats: Vec<usize>,
}

/// One point of the front line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontPoint {
    /// Activity index in the plan.
    pub activity: usize,
    /// The day index reached on the plan's time scale (fractional).
    pub reached: f64,
    /// `reached − DD` in days: negative when behind, positive when ahead.
    pub offset_days: f64,
    /// Total float of the activity (resource-driven, days).
    pub total_float: i64,
    /// Time nodes (milestone ids) downstream of it that the forecast puts
    /// past target, when it is behind by more than its total float.
    pub threatens: Vec<String>,
}

/// A station heat-ready date or a time node the forecast puts past target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threat {
    /// Milestone kind (station or scenario milestone).
    pub kind: MilestoneKind,
    /// Station or milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// District (may be empty).
    pub district: String,
    /// Planned date.
    pub planned: NaiveDate,
    /// Forecast date.
    pub forecast: NaiveDate,
    /// Target date.
    pub due: NaiveDate,
    /// Households (stations).
    pub households: Option<u64>,
    /// Activities upstream of it behind plan (activity indices); those
    /// behind by more than their total float name it in
    /// [`FrontPoint::threatens`].
    pub behind: Vec<usize>,
}

/// Cumulative curves, planned and actual, one value per day of the plan's
/// grid from day 0 (planned to the plan's end, actual to the data date).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SCurve {
    /// The measure.
    pub measure: Measure,
    /// Planned cumulative quantity at the start of each day.
    pub planned: Vec<f64>,
    /// Actual cumulative quantity at the start of each day up to the data date.
    pub actual: Vec<f64>,
}

/// The bulletin at one data date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bulletin {
    /// Programme name.
    pub programme: String,
    /// The data date.
    pub data_date: NaiveDate,
    /// Its day index on the plan's grid.
    pub data_day: i64,
    /// The programme as a whole.
    pub programme_status: UnitStatus,
    /// Districts in scenario order.
    pub districts: Vec<UnitStatus>,
    /// Contractors in scenario order.
    pub contractors: Vec<UnitStatus>,
    /// The front line, in plan order.
    pub front: Vec<FrontPoint>,
    /// Forecast threats, stations first.
    pub threats: Vec<Threat>,
    /// S-curves: km laid and households heat-ready.
    pub curves: Vec<SCurve>,
}

/// The progress with work reported "running as planned" (a re-plan's
/// actual carried on without a new report) given the fraction the plan has
/// done at day `dd`, so that every figure here reads a reported fraction.
pub fn resolve_as_planned(
    np: &NetworkPlan,
    progress: &[ActivityProgress],
    dd: i64,
) -> Vec<ActivityProgress> {
    progress
        .iter()
        .zip(&np.plan.activities)
        .map(|(p, pa)| match *p {
            ActivityProgress::InProgress {
                start,
                remaining: Remaining::AsPlanned,
            } => ActivityProgress::InProgress {
                start,
                remaining: Remaining::Percent(
                    100.0 * planned_fraction(pa.start_day, pa.end_day, dd as f64),
                ),
            },
            other => other,
        })
        .collect()
}

/// The earned fraction of an activity (see the module docs). Work running
/// "as planned" counts nothing here: resolve it first with
/// [`resolve_as_planned`] (every public function of this module does).
pub fn earned_fraction(p: &ActivityProgress, planned_days: u32) -> f64 {
    match *p {
        ActivityProgress::NotStarted => 0.0,
        ActivityProgress::Finished { .. } => 1.0,
        ActivityProgress::InProgress { remaining, .. } => match remaining {
            Remaining::Percent(x) => (x / 100.0).clamp(0.0, 1.0),
            Remaining::Days(d) if planned_days > 0 => (1.0 - d / planned_days as f64).max(0.0),
            Remaining::Days(_) => 0.0,
            Remaining::AsPlanned => {
                debug_assert!(false, "resolve_as_planned first");
                0.0
            }
        },
    }
}

/// The planned fraction of an activity planned on `[start, end)` at day `t`.
pub fn planned_fraction(start: u32, end: u32, t: f64) -> f64 {
    if end <= start {
        return if t >= start as f64 { 1.0 } else { 0.0 };
    }
    ((t - start as f64) / (end - start) as f64).clamp(0.0, 1.0)
}

/// Earned-schedule figures of the activities `set` at day `dd`.
pub fn earned(np: &NetworkPlan, work: &[f64], fraction: &[f64], set: &[usize], dd: i64) -> Earned {
    let acts = &np.plan.activities;
    let pv_at = |t: f64| -> f64 {
        set.iter()
            .map(|&a| work[a] * planned_fraction(acts[a].start_day, acts[a].end_day, t))
            .sum()
    };
    let ev: f64 = set.iter().map(|&a| work[a] * fraction[a]).sum();
    let bac: f64 = set.iter().map(|&a| work[a]).sum();
    let t0 = set.iter().map(|&a| acts[a].start_day).min().unwrap_or(0) as i64;
    let t1 = set.iter().map(|&a| acts[a].end_day).max().unwrap_or(0) as i64;
    let pv = pv_at(dd as f64);
    // Earned schedule: the last k with PV(k) <= EV, interpolated to k+1.
    let es = if ev <= 0.0 {
        t0 as f64
    } else if ev >= bac - 1e-9 {
        t1 as f64
    } else {
        let mut k = t0;
        while k < t1 && pv_at((k + 1) as f64) <= ev {
            k += 1;
        }
        let (a, b) = (pv_at(k as f64), pv_at((k + 1) as f64));
        if b > a {
            k as f64 + (ev - a) / (b - a)
        } else {
            k as f64
        }
    };
    let spi_t = (dd > t0).then(|| (es - t0 as f64) / (dd - t0) as f64);
    Earned {
        pv,
        ev,
        bac,
        es,
        sv_t: es - dd as f64,
        spi_t,
    }
}

/// The front line at day `dd` (see the module docs): one point per
/// activity it passes, in plan order, without the threats.
pub fn front_line(np: &NetworkPlan, progress: &[ActivityProgress], dd: i64) -> Vec<FrontPoint> {
    let progress = &resolve_as_planned(np, progress, dd);
    let mut out = Vec::new();
    for (a, pa) in np.plan.activities.iter().enumerate() {
        if pa.duration_days == 0 {
            continue;
        }
        let (s, e) = (pa.start_day as i64, pa.end_day as i64);
        let on_line = match progress[a] {
            ActivityProgress::InProgress { .. } => true,
            ActivityProgress::Finished { .. } => e > dd,
            ActivityProgress::NotStarted => s < dd,
        };
        if !on_line {
            continue;
        }
        let f = earned_fraction(&progress[a], pa.duration_days);
        let reached = s as f64 + f * (e - s) as f64;
        out.push(FrontPoint {
            activity: a,
            reached,
            offset_days: reached - dd as f64,
            total_float: np.activities[a].resource.days.total_float,
            threatens: Vec::new(),
        });
    }
    out
}

/// Forecast `(start, end)` day indices of every activity (see the module
/// docs), or `None` if the links hold a cycle.
pub fn forecast(
    np: &NetworkPlan,
    progress: &[ActivityProgress],
    dd: i64,
) -> Option<Vec<(i64, i64)>> {
    let progress = &resolve_as_planned(np, progress, dd);
    let acts = &np.plan.activities;
    let n = acts.len();
    let mut indeg = vec![0usize; n];
    let mut inn: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, l) in np.links.iter().enumerate() {
        indeg[l.to] += 1;
        inn[l.to].push(i);
        out[l.from].push(i);
    }
    let mut queue: Vec<usize> = (0..n).filter(|&a| indeg[a] == 0).collect();
    let mut times = vec![(0i64, 0i64); n];
    let mut done = 0;
    while let Some(a) = queue.pop() {
        done += 1;
        let pa = &acts[a];
        let d = (pa.end_day - pa.start_day) as i64;
        // Earliest start and finish the predecessors allow.
        let mut lb_start = i64::MIN;
        let mut lb_end = i64::MIN;
        for &li in &inn[a] {
            let l = &np.links[li];
            let (ps, pe) = times[l.from];
            let lag = l.day_lag as i64;
            if l.kind == "SS" {
                lb_start = lb_start.max(ps + lag);
            } else {
                lb_start = lb_start.max(pe + lag);
                lb_end = lb_end.max(pe + lag);
            }
        }
        times[a] = match progress[a] {
            ActivityProgress::Finished { start, finish } => {
                (np.day_of(start), np.day_of(finish) + 1)
            }
            ActivityProgress::InProgress { start, .. } => {
                let f = earned_fraction(&progress[a], pa.duration_days);
                let rest = ((1.0 - f) * d as f64).ceil() as i64;
                let from = dd.max(if lb_end == i64::MIN { dd } else { lb_end });
                (np.day_of(start), from + rest)
            }
            ActivityProgress::NotStarted => {
                let s = (pa.start_day as i64).max(dd).max(lb_start);
                (s, s + d)
            }
        };
        for &li in &out[a] {
            let b = np.links[li].to;
            indeg[b] -= 1;
            if indeg[b] == 0 {
                queue.push(b);
            }
        }
    }
    (done == n).then_some(times)
}

/// Activities reachable from `a` along the plan's links (`a` included).
fn downstream(np: &NetworkPlan, a: usize) -> Vec<bool> {
    let n = np.plan.activities.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for l in &np.links {
        out[l.from].push(l.to);
    }
    let mut seen = vec![false; n];
    let mut stack = vec![a];
    seen[a] = true;
    while let Some(x) = stack.pop() {
        for &y in &out[x] {
            if !seen[y] {
                seen[y] = true;
                stack.push(y);
            }
        }
    }
    seen
}

/// Progress of one earlier bulletin: its data date and ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Earlier {
    /// Its data date.
    pub data_date: NaiveDate,
    /// The progress it recorded.
    pub progress: Vec<ActivityProgress>,
}

/// Computes the bulletin of `np` at `data_date` from the ledger's
/// `progress`, with the trend against `earlier` bulletins.
pub fn bulletin(
    np: &NetworkPlan,
    q: &Quantities,
    progress: &[ActivityProgress],
    data_date: NaiveDate,
    earlier: &[Earlier],
) -> Bulletin {
    let acts = &np.plan.activities;
    let n = acts.len();
    let dd = np.day_of(data_date);
    let progress = &resolve_as_planned(np, progress, dd);
    let fraction: Vec<f64> = (0..n)
        .map(|a| earned_fraction(&progress[a], acts[a].duration_days))
        .collect();
    let mut front = front_line(np, progress, dd);
    // Forecast and threats.
    let fc = forecast(np, progress, dd).unwrap_or_else(|| {
        acts.iter()
            .map(|a| (a.start_day as i64, a.end_day as i64))
            .collect()
    });
    let index = np.plan.index_by_id();
    let behind: Vec<usize> = front
        .iter()
        .filter(|p| p.offset_days <= -BEHIND_DAYS)
        .map(|p| p.activity)
        .collect();
    // Slips that eat more than the activity's total float.
    let mut exceeds = vec![false; n];
    for p in &front {
        exceeds[p.activity] = (-p.offset_days).round() > p.total_float as f64;
    }
    let mut offset = vec![0.0; n];
    for p in &front {
        offset[p.activity] = p.offset_days;
    }
    let reach: Vec<(usize, Vec<bool>)> = behind.iter().map(|&a| (a, downstream(np, a))).collect();
    let mut threats = Vec::new();
    for m in &np.milestones {
        if m.kind == MilestoneKind::District {
            continue;
        }
        let (Some(due), Some(&a)) = (m.due, index.get(m.activity.as_str())) else {
            continue;
        };
        let (s, e) = fc[a];
        let forecast = if acts[a].duration_days == 0 {
            np.date_of(s - 1)
        } else {
            np.date_of(e - 1)
        };
        if forecast > due && forecast > m.date {
            let mut up: Vec<usize> = reach
                .iter()
                .filter(|(_, r)| r[a])
                .map(|(b, _)| *b)
                .collect();
            // Those that eat their float first, then the most behind.
            up.sort_by(|&x, &y| {
                exceeds[y]
                    .cmp(&exceeds[x])
                    .then(offset[x].total_cmp(&offset[y]))
            });
            threats.push(Threat {
                kind: m.kind,
                id: m.id.clone(),
                name: m.name.clone(),
                district: m.district.clone(),
                planned: m.date,
                forecast,
                due,
                households: m.households,
                behind: up,
            });
        }
    }
    for p in &mut front {
        for t in &threats {
            if exceeds[p.activity] && t.behind.contains(&p.activity) {
                p.threatens.push(t.id.clone());
            }
        }
    }
    // Units.
    let unit = |kind: UnitKind, id: &str, name: String, set: Vec<usize>| {
        let mut planned = [0.0; 8];
        let mut actual = [0.0; 8];
        let mut total = [0.0; 8];
        for &a in &set {
            let pf = planned_fraction(acts[a].start_day, acts[a].end_day, dd as f64);
            for &(m, x) in &q.counts[a] {
                // Households count once the station is heat-ready.
                let (p, f) = if m == Measure::Households {
                    (pf.floor(), fraction[a].floor())
                } else {
                    (pf, fraction[a])
                };
                planned[m.index()] += x * p;
                actual[m.index()] += x * f;
                total[m.index()] += x;
            }
        }
        let e = earned(np, &q.work, &fraction, &set, dd);
        let member: Vec<bool> = {
            let mut v = vec![false; n];
            for &a in &set {
                v[a] = true;
            }
            v
        };
        let mut beh: Vec<usize> = front
            .iter()
            .enumerate()
            .filter(|(_, p)| p.offset_days <= -BEHIND_DAYS && member[p.activity])
            .map(|(i, _)| i)
            .collect();
        beh.sort_by(|&x, &y| front[x].offset_days.total_cmp(&front[y].offset_days));
        let th: Vec<usize> = threats
            .iter()
            .enumerate()
            .filter(|(_, t)| t.behind.iter().any(|&a| member[a] && exceeds[a]))
            .map(|(i, _)| i)
            .collect();
        let trend = earlier
            .iter()
            .map(|b| {
                let then = resolve_as_planned(np, &b.progress, np.day_of(b.data_date));
                let f: Vec<f64> = (0..n)
                    .map(|a| earned_fraction(&then[a], acts[a].duration_days))
                    .collect();
                let e = earned(np, &q.work, &f, &set, np.day_of(b.data_date));
                (b.data_date, e.sv_t)
            })
            .collect();
        let who = match kind {
            UnitKind::District => np.responsible_for("district", id),
            UnitKind::Contractor => np.responsible_for("contractor", id),
            UnitKind::Programme => None,
        };
        UnitStatus {
            kind,
            id: id.to_string(),
            name,
            responsible: who.map_or_else(String::new, |r| {
                [r.person.as_str(), r.contact.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            }),
            planned,
            actual,
            total,
            rag: Rag::of(e.sv_t, e.spi_t, !th.is_empty()),
            earned: e,
            rank: 0,
            trend,
            behind: beh,
            threats: th,
        }
    };
    let all: Vec<usize> = (0..n).collect();
    let programme_status = unit(
        UnitKind::Programme,
        "",
        np.plan.programme.clone(),
        all.clone(),
    );
    let mut districts: Vec<UnitStatus> = np
        .districts
        .iter()
        .map(|d| {
            let set = all
                .iter()
                .copied()
                .filter(|&a| acts[a].district == d.id)
                .collect();
            unit(UnitKind::District, &d.id, np.district_name(&d.id), set)
        })
        .filter(|u| u.earned.bac > 0.0)
        .collect();
    let mut contractors: Vec<UnitStatus> = np
        .contractors
        .iter()
        .map(|c| {
            let set = all
                .iter()
                .copied()
                .filter(|&a| acts[a].contractor == c.id)
                .collect();
            unit(UnitKind::Contractor, &c.id, np.contractor_name(&c.id), set)
        })
        .filter(|u| u.earned.bac > 0.0)
        .collect();
    rank(&mut districts);
    rank(&mut contractors);
    let curves = vec![
        s_curve(np, q, progress, Measure::Laid, dd),
        s_curve(np, q, progress, Measure::Households, dd),
    ];
    Bulletin {
        programme: np.plan.programme.clone(),
        data_date,
        data_day: dd,
        programme_status,
        districts,
        contractors,
        front,
        threats,
        curves,
    }
}

/// Ranks units by `SV(t)` (most ahead first), ties by `SPI(t)` then id.
fn rank(units: &mut [UnitStatus]) {
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&units[a], &units[b]);
        y.earned
            .sv_t
            .total_cmp(&x.earned.sv_t)
            .then(
                y.earned
                    .spi_t
                    .unwrap_or(1.0)
                    .total_cmp(&x.earned.spi_t.unwrap_or(1.0)),
            )
            .then(x.id.cmp(&y.id))
    });
    for (r, &i) in order.iter().enumerate() {
        units[i].rank = r + 1;
    }
}

/// The cumulative planned and actual curves of one measure.
fn s_curve(
    np: &NetworkPlan,
    q: &Quantities,
    progress: &[ActivityProgress],
    measure: Measure,
    dd: i64,
) -> SCurve {
    let acts = &np.plan.activities;
    let last = acts.iter().map(|a| a.end_day as i64).max().unwrap_or(0);
    let days = last.max(dd) + 1;
    let amount = |a: usize| -> f64 {
        q.counts[a]
            .iter()
            .filter(|(m, _)| *m == measure)
            .map(|(_, x)| x)
            .sum()
    };
    let mut planned = vec![0.0; days as usize];
    let mut actual = vec![0.0; dd.clamp(0, days) as usize + 1];
    for (a, pa) in acts.iter().enumerate() {
        let x = amount(a);
        if x == 0.0 {
            continue;
        }
        // Households count when the station is heat-ready (its last day).
        let step = measure == Measure::Households;
        for (t, v) in planned.iter_mut().enumerate() {
            let f = if step {
                f64::from(t as i64 >= pa.end_day as i64)
            } else {
                planned_fraction(pa.start_day, pa.end_day, t as f64)
            };
            *v += x * f;
        }
        let (s, e, f) = match progress[a] {
            ActivityProgress::NotStarted => continue,
            ActivityProgress::Finished { start, finish } => {
                (np.day_of(start), np.day_of(finish) + 1, 1.0)
            }
            ActivityProgress::InProgress { start, .. } => (
                np.day_of(start),
                dd,
                earned_fraction(&progress[a], pa.duration_days),
            ),
        };
        for (t, v) in actual.iter_mut().enumerate() {
            let t = t as i64;
            let g = if step {
                if f >= 1.0 && t >= e {
                    1.0
                } else {
                    0.0
                }
            } else if e <= s {
                if t >= s {
                    f
                } else {
                    0.0
                }
            } else {
                f * ((t - s) as f64 / (e - s) as f64).clamp(0.0, 1.0)
            };
            *v += x * g;
        }
    }
    SCurve {
        measure,
        planned,
        actual,
    }
}

#[cfg(test)]
mod tests;
