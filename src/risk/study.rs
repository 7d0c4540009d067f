//! A plan under study: what stays the same in every sample (the plan's
//! network, the modes, the work, the calendar profiles) and how one sampled
//! future turns it into dates.
//!
//! The `fixed` policy executes the plan as a site follows it: every
//! activity keeps its planned contractor, and every crew and every trench
//! slot works through its planned sequence of jobs. The plan's network is
//! its links plus these hand-overs (consecutive uses of one unit of a crew
//! or of a district's open-trench limit, as [`handovers`] finds them), so
//! no sample ever has more crews busy or trenches open than allowed. One
//! serial pass in topological order then places each activity at the first
//! day it may start (a day with output for its tags and district) on or
//! after its latest constraint: release, links and hand-overs, the data
//! date, a sampled permit or delivery delay. Its end follows from its
//! sampled work content over the sampled daily output, exactly as the
//! model's end tables do. Work may start earlier than planned when its
//! predecessors finish early.
//!
//! Two properties follow, and the tests check them: with no uncertainty
//! every activity starts no later than planned (the plan satisfies every
//! constraint), and every date is a non-decreasing function of every
//! sampled duration and delay (a max-plus pass), so common random numbers
//! compare plans fairly.
//!
//! The grid is one year longer than the plan's, so that even a very bad
//! future is measured rather than cut off; an activity that cannot start
//! even then ends the sample at the end of the grid (counted as failed).

use super::future::{self, Days, Weather};
use crate::model::calendar::Calendar;
use crate::plan::cpm::handovers;
use crate::scenario::risk::ThreePoint;
use crate::scenario::validate::limits::{MAX_HORIZON_DAYS, MAX_OVERRUN_DAYS};
use crate::schedule::{topological_order, ActId, Day, Link, LinkKind, Schedule, Timing};
use crate::Project;
use chrono::Datelike;
use std::collections::HashMap;

/// Extra days of the simulation grid beyond the plan's (one year).
const EXTRA_DAYS: u32 = MAX_OVERRUN_DAYS;

/// What an uncertainty of the tornado is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Driver {
    /// Wet days before the deadline.
    Rain,
    /// Days an alert level stops work before the deadline.
    Alert(String),
    /// Mean productivity of a step key or task id.
    Productivity(String),
    /// Mean days of a delay entry.
    Delay(String),
}

/// One day-profile class: activities with the same tags, district and
/// day counting share their daily output.
#[derive(Debug, Clone)]
struct Class {
    /// Output per day with no random event.
    base: Vec<f64>,
    /// Rain slows it.
    rain: bool,
    /// Which alert levels stop it.
    alerts: Vec<bool>,
}

/// A plan prepared for sampling.
#[derive(Debug, Clone)]
pub struct Study<'a> {
    /// The project the plan belongs to.
    pub project: &'a Project,
    /// Seed of every stream.
    pub seed: u64,
    /// First day whose work is uncertain (0 for a baseline plan).
    pub data_day: Day,
    /// Grid length of the simulation.
    pub horizon: Day,
    /// Exclusive due day of the heat-ready deadline.
    pub due: Day,
    links: Vec<Link>,
    inn: Vec<Vec<usize>>,
    order: Vec<ActId>,
    release: Vec<Day>,
    heat_ready: Vec<ActId>,
    classes: Vec<Class>,
    class_of: Vec<usize>,
    work: Vec<f64>,
    spreads: Vec<ThreePoint>,
    key_of: Vec<String>,
    groups: Vec<Option<usize>>,
    group_count: usize,
    delayed: Vec<Vec<ActId>>,
    planned: Vec<(Day, Day)>,
    days: Days,
    /// The uncertainties of the tornado, in a fixed order.
    pub drivers: Vec<Driver>,
}

/// The dates of one sample.
#[derive(Debug, Clone)]
pub struct SampleDates {
    /// Start of each activity.
    pub starts: Vec<Day>,
    /// Exclusive end of each activity.
    pub ends: Vec<Day>,
    /// False when the SGS could not place the sample (then every date is
    /// the horizon).
    pub placed: bool,
    /// Value of each driver in this sample (same order as `drivers`).
    pub inputs: Vec<f64>,
    /// The activities that drove the last station, from it backwards.
    pub path: Vec<ActId>,
}

impl<'a> Study<'a> {
    /// Prepares `plan` (a schedule of `project`'s model) for sampling with
    /// `seed`; activities starting before `data_day` are done or under way
    /// and keep their planned dates. `ends` gives the planned exclusive ends
    /// when they are known (a re-plan's actual dates), else the model's
    /// timings give them.
    pub fn new(
        project: &'a Project,
        plan: &Schedule,
        ends: Option<&[Day]>,
        seed: u64,
        data_day: Day,
    ) -> Study<'a> {
        let risk = &project.programme.risk;
        let mut programme = project.programme.clone();
        programme
            .calendar
            .productivity
            .retain(|p| !risk.replaces.contains(&p.period.name));
        programme
            .calendar
            .stop_work
            .retain(|b| !risk.replaces.contains(&b.period.name));
        programme.overrun_days = programme.overrun_days.saturating_add(EXTRA_DAYS);
        let cal = Calendar::new(&programme);
        let horizon = cal.horizon().min(MAX_HORIZON_DAYS as Day);
        let p = &project.model.problem;
        let wb = &project.work;
        let n = wb.items.len();

        // Profile classes.
        let mut class_index: HashMap<(Vec<String>, Option<usize>, bool), usize> = HashMap::new();
        let mut classes = Vec::new();
        let mut class_of = Vec::with_capacity(n);
        let hits = |rule: &[String], tags: &[String]| {
            rule.is_empty() || rule.iter().any(|t| tags.contains(t))
        };
        for it in &wb.items {
            let key = (
                it.tags.clone(),
                it.district.map(|d| d.index()),
                it.calendar_days,
            );
            let k = *class_index.entry(key).or_insert_with(|| {
                let base = if it.calendar_days {
                    cal.every_day()
                } else {
                    cal.profile(&it.tags, it.district)
                };
                classes.push(Class {
                    base,
                    rain: !it.calendar_days
                        && risk.rain.as_ref().is_some_and(|r| hits(&r.tags, &it.tags)),
                    alerts: risk
                        .alerts
                        .iter()
                        .map(|a| !it.calendar_days && hits(&a.tags, &it.tags))
                        .collect(),
                });
                classes.len() - 1
            });
            class_of.push(k);
        }

        // Work content in the plan's mode, and the productivity spreads.
        let mut work = vec![0.0; n];
        let mut spreads = Vec::with_capacity(n);
        let mut key_of = Vec::with_capacity(n);
        let mut groups = Vec::with_capacity(n);
        let mut group_index: HashMap<(usize, String), usize> = HashMap::new();
        for (a, it) in wb.items.iter().enumerate() {
            let m = plan.modes[a];
            let contractor = match &it.crew_type {
                Some(crew) if !it.contractors.is_empty() => Some((it.contractors[m], crew)),
                _ => None,
            };
            let key = step_key(it);
            // The default spread is for crew work; a permit (calendar
            // days) or a point in time gets a spread only when named.
            let default = if it.calendar_days || it.work <= EPS {
                ThreePoint::fixed(1.0)
            } else {
                risk.productivity.default
            };
            let spread = risk
                .productivity
                .steps
                .get(&key)
                .copied()
                .unwrap_or(default);
            spreads.push(spread);
            let group = contractor.map(|(c, _)| {
                let next = group_index.len();
                *group_index.entry((c.index(), key.clone())).or_insert(next)
            });
            groups.push(group);
            key_of.push(key);
        }
        let group_count = group_index.len();

        let delayed: Vec<Vec<ActId>> = risk
            .delays
            .iter()
            .map(|d| {
                (0..n)
                    .filter(|&a| {
                        let it = &wb.items[a];
                        match it.element {
                            crate::activities::Element::Task(_) => d.tasks.contains(&it.element_id),
                            _ => d.steps.contains(&key_of[a]),
                        }
                    })
                    .collect()
            })
            .collect();

        let planned: Vec<(Day, Day)> = (0..n)
            .map(|a| {
                let s = plan.starts[a];
                let e = ends.map_or_else(|| p.end(a, plan.modes[a], s).unwrap_or(s), |e| e[a]);
                (s, e)
            })
            .collect();

        // The work content each activity has room for in the plan: the
        // output of its planned days on the plan's own calendar (its work
        // rounded up to whole days), so that a future like the plan's
        // replays the plan exactly.
        let mut plan_profiles: HashMap<(Vec<String>, Option<usize>, bool), Vec<f64>> =
            HashMap::new();
        for (a, it) in wb.items.iter().enumerate() {
            let (ps, pe) = planned[a];
            let key = (
                it.tags.clone(),
                it.district.map(|d| d.index()),
                it.calendar_days,
            );
            let profile = plan_profiles.entry(key).or_insert_with(|| {
                if it.calendar_days {
                    project.calendar.every_day()
                } else {
                    project.calendar.profile(&it.tags, it.district)
                }
            });
            let room: f64 = (ps..pe).filter_map(|d| profile.get(d as usize)).sum();
            work[a] = if it.work <= EPS { 0.0 } else { room };
        }

        // The plan's network: its links and the hand-overs of every crew
        // and trench unit, on a one-mode problem holding the planned dates.
        let mut dated = p.clone();
        dated.baseline = None;
        for (a, act) in dated.activities.iter_mut().enumerate() {
            let (s, e) = planned[a];
            let mut mode = act.modes[plan.modes[a]].clone();
            let mut table = vec![Timing::NO_START; s as usize + 1];
            table[s as usize] = e;
            mode.timing = Timing::Table(table);
            act.modes = vec![mode];
        }
        let one_mode = Schedule {
            starts: plan.starts.clone(),
            modes: vec![0; n],
        };
        let mut links = p.links.clone();
        links.extend(handovers(&dated, &one_mode).into_iter().map(|(l, _)| l));
        let order = topological_order(n, &links).unwrap_or_else(|| {
            let mut v: Vec<ActId> = (0..n).collect();
            v.sort_by_key(|&a| planned[a].0);
            v
        });
        let mut inn = vec![Vec::new(); n];
        for (i, l) in links.iter().enumerate() {
            inn[l.to].push(i);
        }
        let release: Vec<Day> = p.activities.iter().map(|a| a.release).collect();
        let heat_ready: Vec<ActId> = wb.heat_ready.iter().map(|h| h.activity).collect();

        let days = Days {
            month: (0..horizon).map(|d| cal.date(d).month0() as u8).collect(),
            month_len: (0..horizon)
                .map(|d| month_length(cal.date(d)) as u8)
                .collect(),
        };

        let mut drivers = Vec::new();
        if risk.rain.is_some() {
            drivers.push(Driver::Rain);
        }
        for a in &risk.alerts {
            drivers.push(Driver::Alert(a.level.clone()));
        }
        let mut keys: Vec<&String> = key_of
            .iter()
            .zip(&spreads)
            .filter(|(_, s)| !s.is_fixed())
            .map(|(k, _)| k)
            .collect();
        keys.sort();
        keys.dedup();
        drivers.extend(keys.into_iter().map(|k| Driver::Productivity(k.clone())));
        for (d, acts) in risk.delays.iter().zip(&delayed) {
            if !(acts.is_empty() || d.days.max == 0.0 || d.probability == 0.0) {
                drivers.push(Driver::Delay(d.name.clone()));
            }
        }

        Study {
            project,
            seed,
            data_day,
            horizon,
            due: project.model.due,
            links,
            inn,
            order,
            release,
            heat_ready,
            classes,
            class_of,
            work,
            spreads,
            key_of,
            groups,
            group_count,
            delayed,
            planned,
            days,
            drivers,
        }
    }

    /// The planned `(start, end)` of each activity.
    pub fn planned(&self) -> &[(Day, Day)] {
        &self.planned
    }

    /// The plan's links and hand-overs.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// Runs sample `sample`: samples its future and executes the plan in it.
    pub fn run(&self, sample: u64) -> SampleDates {
        let risk = &self.project.programme.risk;
        let weather = future::weather(risk, &self.days, self.seed, sample);
        let multipliers = future::productivity(
            &self.spreads,
            &self.groups,
            self.group_count,
            risk.productivity.correlation,
            self.seed,
            sample,
        );
        let counts: Vec<usize> = self.delayed.iter().map(Vec::len).collect();
        let delays = future::delays(risk, &counts, self.seed, sample);
        let profiles = self.profiles(&weather);
        let n = self.planned.len();
        let rounding = future::rounding(n, self.seed, sample);
        let mut bound: Vec<Day> = (0..n).map(|a| self.release[a].max(self.data_day)).collect();
        for (acts, days) in self.delayed.iter().zip(&delays) {
            for (&a, &d) in acts.iter().zip(days) {
                bound[a] = bound[a].max(self.planned[a].0 + d);
            }
        }
        let own = bound.clone();
        let mut starts = vec![0; n];
        let mut ends = vec![0; n];
        let mut placed = true;
        for &a in &self.order {
            let (ps, pe) = self.planned[a];
            if ps < self.data_day {
                (starts[a], ends[a]) = (ps, pe);
                continue;
            }
            let mut b = i64::from(bound[a]);
            for &li in &self.inn[a] {
                let l = &self.links[li];
                let base = match l.kind {
                    LinkKind::FinishToStart => ends[l.from],
                    LinkKind::StartToStart => starts[l.from],
                };
                b = b.max(i64::from(base) + i64::from(l.lag));
            }
            let b = b.clamp(0, i64::from(self.horizon)) as Day;
            bound[a] = b;
            let work = self.work[a] / multipliers[a];
            let c = &self.classes[self.class_of[a]];
            // Certain work keeps the plan's whole-day rule (always round up).
            let uncertain = !self.spreads[a].is_fixed() || c.rain || c.alerts.contains(&true);
            let u = if uncertain { rounding[a] } else { 0.0 };
            match place(&profiles[self.class_of[a]], work, b, u) {
                Some((s, e)) => (starts[a], ends[a]) = (s, e),
                None => {
                    placed = false;
                    (starts[a], ends[a]) = (self.horizon, self.horizon);
                }
            }
        }
        let inputs = self.inputs(&weather, &multipliers, &delays);
        let path = if placed {
            self.driving_path(&starts, &ends, &own)
        } else {
            Vec::new()
        };
        SampleDates {
            starts,
            ends,
            placed,
            inputs,
            path,
        }
    }

    /// The activities that drove the last station to its date: from its
    /// heat-ready activity back, each time to the link or hand-over whose
    /// bound on the start is latest, while that bound is at least the
    /// activity's own (release, data date, delay).
    fn driving_path(&self, starts: &[Day], ends: &[Day], own: &[Day]) -> Vec<ActId> {
        let Some(&last) = self.heat_ready.iter().rev().max_by_key(|&&a| ends[a]) else {
            return Vec::new();
        };
        let mut path = vec![last];
        let mut cur = last;
        while let Some((t, from)) = self.inn[cur]
            .iter()
            .map(|&li| {
                let l = &self.links[li];
                let base = match l.kind {
                    LinkKind::FinishToStart => ends[l.from],
                    LinkKind::StartToStart => starts[l.from],
                };
                (i64::from(base) + i64::from(l.lag), l.from)
            })
            .max()
        {
            if t < i64::from(own[cur]) || t > i64::from(starts[cur]) || path.contains(&from) {
                break;
            }
            path.push(from);
            cur = from;
        }
        path
    }

    /// The daily output of every class in a sampled weather.
    fn profiles(&self, w: &Weather) -> Vec<Vec<f64>> {
        let factor = self
            .project
            .programme
            .risk
            .rain
            .as_ref()
            .map_or(1.0, |r| r.factor);
        self.classes
            .iter()
            .map(|c| {
                let mut p = c.base.clone();
                for (d, x) in p.iter_mut().enumerate() {
                    if c.rain && w.wet[d] {
                        *x = x.min(factor);
                    }
                    if c.alerts.iter().zip(&w.stopped).any(|(&hit, s)| hit && s[d]) {
                        *x = 0.0;
                    }
                }
                p
            })
            .collect()
    }

    /// The value of every driver in a sample.
    fn inputs(&self, w: &Weather, multipliers: &[f64], delays: &[Vec<Day>]) -> Vec<f64> {
        let window = self.data_day as usize..(self.due as usize).min(w.wet.len());
        let count = |v: &[bool]| v[window.clone()].iter().filter(|&&x| x).count() as f64;
        self.drivers
            .iter()
            .map(|d| match d {
                Driver::Rain => count(&w.wet),
                Driver::Alert(level) => {
                    let i = self
                        .project
                        .programme
                        .risk
                        .alerts
                        .iter()
                        .position(|a| &a.level == level)
                        .unwrap_or(0);
                    count(&w.stopped[i])
                }
                Driver::Productivity(key) => {
                    let (sum, n) = self
                        .key_of
                        .iter()
                        .zip(multipliers)
                        .filter(|(k, _)| *k == key)
                        .fold((0.0, 0.0), |(s, n), (_, m)| (s + m, n + 1.0));
                    sum / n
                }
                Driver::Delay(name) => {
                    let i = self
                        .project
                        .programme
                        .risk
                        .delays
                        .iter()
                        .position(|x| &x.name == name)
                        .unwrap_or(0);
                    let v = &delays[i];
                    v.iter().map(|&x| f64::from(x)).sum::<f64>() / v.len().max(1) as f64
                }
            })
            .collect()
    }
}

/// Output below this is no work (as in the model's end tables).
const EPS: f64 = 1e-9;

/// Start and exclusive end of `work` (in days of full output) on a daily
/// output profile, starting on the first day on or after `from` with
/// output. Whole days are used while the accumulated output stays below
/// `work`; of the last day only a share `q` is needed, and the activity
/// uses that day with probability `q` (`u < q`), so that on average the
/// day grid neither adds nor removes work (unbiased rounding: a 3.03-day
/// job takes 4 days only 3 % of the time). A whole last day (`q = 1`, as
/// in a future like the plan's) is always used. Zero work is a point in
/// time at `from`. `None` when it does not fit on the grid.
pub fn place(profile: &[f64], work: f64, from: Day, u: f64) -> Option<(Day, Day)> {
    if work <= EPS {
        return Some((from, from));
    }
    let s = (from as usize..profile.len()).find(|&d| profile[d] > EPS)?;
    let mut acc = 0.0;
    for (e, &x) in profile.iter().enumerate().skip(s) {
        if acc + x >= work - EPS {
            let q = if x > EPS { (work - acc) / x } else { 1.0 };
            let skip = e > s && q < 1.0 - 1e-9 && u >= q;
            return Some((s as Day, e as Day + u32::from(!skip)));
        }
        acc += x;
    }
    None
}

/// The key a productivity spread or a delay matches: the step key of a
/// segment or station activity, the id of a task.
fn step_key(it: &crate::activities::WorkItem) -> String {
    match it.element {
        crate::activities::Element::Task(_) | crate::activities::Element::Milestone(_) => {
            it.element_id.clone()
        }
        _ => it.id.rsplit('/').next().unwrap_or_default().to_string(),
    }
}

/// Days in the month of `date`.
fn month_length(date: chrono::NaiveDate) -> u32 {
    let (y, m) = (date.year(), date.month());
    let next = if m == 12 {
        chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        chrono::NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(30, |l| l.day())
}
