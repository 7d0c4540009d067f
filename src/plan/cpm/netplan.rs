//! The network plan value: a dated plan with the six time parameters of
//! both flavours, the links with their hand-overs, the critical paths, the
//! milestones, and what the reports need to draw it (calendar, names,
//! utilisation). It is what plan.json holds.

use super::{analyse, handovers_keeping, ActId, Link, LinkKind, Times};
use crate::plan::Plan;
use crate::scenario::programme::{Ban, Period};
use crate::scenario::Source;
use crate::Project;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// A link of the network plan: a precedence of the work breakdown or a
/// resource hand-over of the levelled plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkLink {
    /// Predecessor (index in the plan's activities).
    pub from: usize,
    /// Successor.
    pub to: usize,
    /// `FS` or `SS`.
    pub kind: String,
    /// Lag on the day grid (`start_day`/`end_day`), in calendar days: the
    /// lag of the scenario's link (0 for a hand-over).
    pub day_lag: i32,
    /// The same link in the arithmetic of the written dates, for a tool
    /// that reads only `start` and `duration_days`: the successor's `start`
    /// is at least the predecessor's `start` + `duration_days` (FS) or its
    /// `start` (SS), plus `lag`. It equals `day_lag` except around a
    /// milestone, which is dated on the close of the day its work ends
    /// ([`crate::plan::milestone_day`]): −1 on a link into a milestone, +1
    /// on a link out of one.
    pub lag: i32,
    /// For a hand-over: the crew instance or trench slot passed on
    /// (`B/pipe/2`, `trenches/north/1`); `None` for a precedence.
    pub handover: Option<String>,
    /// Drives its successor on the logic critical path.
    pub critical_logic: bool,
    /// Drives its successor on the resource-critical path.
    pub critical_resource: bool,
}

/// The six time parameters as day indices and as dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeParams {
    /// The parameters on the day grid.
    #[serde(flatten)]
    pub days: Times,
    /// Earliest start date.
    pub es_date: NaiveDate,
    /// Earliest finish date (last day of work).
    pub ef_date: NaiveDate,
    /// Latest start date.
    pub ls_date: NaiveDate,
    /// Latest finish date (last day of work).
    pub lf_date: NaiveDate,
}

impl TimeParams {
    fn new(t: Times, start: NaiveDate) -> TimeParams {
        let date = |d: i64| start + Duration::days(d);
        if t.ef == t.es {
            // A milestone: dated like the plan dates it (`plan::milestone_day`).
            let m = |d: i64| date(crate::plan::milestone_day(d.max(0) as u32) as i64);
            return TimeParams {
                days: t,
                es_date: m(t.es),
                ef_date: m(t.es),
                ls_date: m(t.ls),
                lf_date: m(t.ls),
            };
        }
        TimeParams {
            days: t,
            es_date: date(t.es),
            ef_date: date((t.ef - 1).max(t.es)),
            ls_date: date(t.ls),
            lf_date: date((t.lf - 1).max(t.ls)),
        }
    }
}

/// The network parameters of one activity in both flavours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityTimes {
    /// Activity id.
    pub id: String,
    /// Pure logic floats (precedence links only).
    pub logic: TimeParams,
    /// Resource-driven floats (precedences and hand-overs).
    pub resource: TimeParams,
}

/// What a milestone stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    /// A station becomes heat-ready.
    Station,
    /// All work of a district is complete.
    District,
    /// A milestone of the scenario (e.g. the interconnection).
    Scenario,
}

/// A fixed time node of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MilestoneDate {
    /// Kind.
    pub kind: MilestoneKind,
    /// Station, district or milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// District (empty when none).
    pub district: String,
    /// The day it is reached: the last day of the work it waits for.
    pub date: NaiveDate,
    /// Target date (the heat-ready deadline, or the milestone's own due).
    pub due: Option<NaiveDate>,
    /// Days after the target (negative: ahead of it).
    pub variance_days: Option<i64>,
    /// Households (stations only).
    pub households: Option<u64>,
    /// The activity that marks it (empty for districts).
    pub activity: String,
}

/// An id with its display name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    /// Identifier.
    pub id: String,
    /// Display name (may be empty).
    pub name: String,
}

/// A dated period of the calendar (holiday, ban, stop-work, productivity).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatedPeriod {
    /// Name as written in the scenario.
    pub name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// Work tags it applies to (empty: all).
    pub tags: Vec<String>,
    /// Districts it applies to (empty: all).
    pub districts: Vec<String>,
    /// Productivity factor (productivity periods only).
    pub factor: Option<f64>,
}

/// The calendar as the reports draw it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CalendarInfo {
    /// Rest weekdays, 0 = Monday … 6 = Sunday.
    pub rest_weekdays: Vec<u32>,
    /// Public holidays.
    pub holidays: Vec<DatedPeriod>,
    /// Make-up working days (调休) on rest weekdays.
    pub makeup_days: Vec<NaiveDate>,
    /// Bans on some work (e.g. gaokao noise ban).
    pub bans: Vec<DatedPeriod>,
    /// Stop-work days (heavy-pollution alerts).
    pub stop_work: Vec<DatedPeriod>,
    /// Reduced-productivity periods (rainy season).
    pub productivity: Vec<DatedPeriod>,
}

impl CalendarInfo {
    /// True when `date` is a working day of the site calendar.
    pub fn is_working(&self, date: NaiveDate) -> bool {
        if self.holidays.iter().any(|h| h.from <= date && date <= h.to) {
            return false;
        }
        !self
            .rest_weekdays
            .contains(&date.weekday().num_days_from_monday())
            || self.makeup_days.contains(&date)
    }
}

/// Crew use of one contractor's crews of one type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrewUse {
    /// Contractor id.
    pub contractor: String,
    /// Crew type.
    pub crew: String,
    /// Number of crews.
    pub crews: u32,
    /// Crew-days busy (calendar days held, rest days inside an activity included).
    pub busy_days: u64,
    /// Crew-days available between the plan's first start and its finish.
    pub available_days: u64,
    /// `busy_days / available_days`.
    pub utilisation: f64,
}

/// A plan with its network analysis: everything the reports need, and what
/// plan.json holds (schema version [`crate::plan::SCHEMA_VERSION`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkPlan {
    /// Schema version of plan.json.
    pub schema_version: u32,
    /// The dated plan.
    pub plan: Plan,
    /// Exclusive due day of the heat-ready deadline on the day grid.
    pub due_day: u32,
    /// Time parameters per activity (same order as `plan.activities`).
    pub activities: Vec<ActivityTimes>,
    /// Precedences, then hand-overs.
    pub links: Vec<NetworkLink>,
    /// Minimum total float of the logic network.
    pub logic_min_float: i64,
    /// Minimum total float with hand-overs.
    pub resource_min_float: i64,
    /// Logic critical paths (activity ids).
    pub logic_critical_paths: Vec<Vec<String>>,
    /// Resource-critical paths (activity ids).
    pub resource_critical_paths: Vec<Vec<String>>,
    /// Stations heat-ready, districts complete, scenario milestones.
    pub milestones: Vec<MilestoneDate>,
    /// Districts in scenario order.
    pub districts: Vec<Named>,
    /// Contractors in scenario order.
    pub contractors: Vec<Named>,
    /// The calendar, for drawing and for MS Project.
    pub calendar: CalendarInfo,
    /// Crew utilisation per contractor and crew type.
    pub utilisation: Vec<CrewUse>,
    /// Why each late station is late, in the order of
    /// [`Plan::late_stations`] (empty when every station is on time).
    #[serde(default)]
    pub why_late: Vec<crate::plan::explain::LateReason>,
    /// Why each time node the plan misses is missed, in scenario order
    /// (empty when every node is met).
    #[serde(default)]
    pub why_nodes_late: Vec<crate::plan::explain::NodeLateReason>,
    /// The scenario the plan was made from, so that a re-plan can rebuild
    /// the project without the original file (set by the commands).
    #[serde(default)]
    pub scenario: Option<EmbeddedScenario>,
    /// Where the plan stands in a chain of re-plans (set by the commands).
    #[serde(default)]
    pub revision: Option<Revision>,
    /// The persons responsible named in the scenario (任务具体到人).
    #[serde(default)]
    pub responsible: Vec<crate::scenario::programme::Responsibility>,
    /// Every actual reported up to the data date (re-plans; empty for a
    /// baseline), so that the next re-plan needs only the new progress.
    #[serde(default)]
    pub actuals: Vec<crate::plan::progress::Actual>,
    /// The chain's revisions so far, this one last (set by the commands).
    #[serde(default)]
    pub history: Vec<crate::plan::progress::RevisionSummary>,
}

/// A scenario file's name and full text, as embedded in plan.json.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedScenario {
    /// File name as the user gave it.
    pub file: String,
    /// The whole TOML text.
    pub text: String,
    /// Events files applied by re-plans so far, oldest first (file name and
    /// text), so that a later re-plan rebuilds the same project.
    #[serde(default)]
    pub events: Vec<(String, String)>,
}

/// A plan's place in a chain of re-plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// This plan's id (a hash of its scenario, data date and schedule).
    pub id: String,
    /// Id of the baseline the chain started from (equal to `id` for a baseline).
    pub baseline: String,
    /// Id of the plan this one re-planned (`None` for a baseline).
    pub parent: Option<String>,
    /// Data date of the progress it was re-planned with (`None` for a baseline).
    pub data_date: Option<NaiveDate>,
}

impl Revision {
    /// A revision id: FNV-1a over the scenario text, the data date and the
    /// schedule, so that the same inputs give the same id.
    pub fn id_of(scenario: &str, data_date: Option<NaiveDate>, plan: &Plan) -> String {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
        };
        eat(scenario.as_bytes());
        eat(format!("{data_date:?}").as_bytes());
        for (s, m) in plan.schedule.starts.iter().zip(&plan.schedule.modes) {
            eat(&s.to_le_bytes());
            eat(&(*m as u64).to_le_bytes());
        }
        format!("{h:016x}")
    }

    /// The revision record of a baseline plan.
    pub fn baseline(scenario: &str, plan: &Plan) -> Revision {
        let id = Revision::id_of(scenario, None, plan);
        Revision {
            baseline: id.clone(),
            id,
            parent: None,
            data_date: None,
        }
    }

    /// The revision record of a re-plan on `data_date` of a plan whose
    /// revision is `parent` (`None` for a plan written before revisions
    /// were recorded: the re-plan then starts its own chain). The id covers
    /// the scenario text and every events file applied so far.
    pub fn replan(
        parent: Option<&Revision>,
        scenario: &EmbeddedScenario,
        data_date: NaiveDate,
        plan: &Plan,
    ) -> Revision {
        let mut fingerprint = scenario.text.clone();
        for (_, text) in &scenario.events {
            fingerprint += text;
        }
        let id = Revision::id_of(&fingerprint, Some(data_date), plan);
        Revision {
            baseline: parent.map_or_else(|| id.clone(), |r| r.baseline.clone()),
            parent: parent.map(|r| r.id.clone()),
            id,
            data_date: Some(data_date),
        }
    }
}

/// Days between an activity's start on the day grid and its written start
/// (1 for a milestone dated on the close of the day before, else 0).
fn written_shift(a: &crate::plan::PlannedActivity) -> i32 {
    if a.end_day == a.start_day {
        (a.start_day - crate::plan::milestone_day(a.start_day)) as i32
    } else {
        0
    }
}

fn kind_name(k: LinkKind) -> String {
    match k {
        LinkKind::FinishToStart => "FS",
        LinkKind::StartToStart => "SS",
    }
    .to_string()
}

impl NetworkPlan {
    /// Records that this plan is a baseline made from `source`: embeds the
    /// scenario text (so a re-plan needs no other file) and its revision.
    pub fn embed_baseline(&mut self, source: &Source) {
        self.revision = Some(Revision::baseline(&source.text, &self.plan));
        self.history = vec![self.summary(0)];
        self.scenario = Some(EmbeddedScenario {
            file: source.file.clone(),
            text: source.text.clone(),
            events: Vec::new(),
        });
    }

    /// Records that this plan re-plans `parent` on `data_date`: embeds the
    /// scenario with every events file applied so far, and its revision in
    /// the parent's chain.
    pub fn embed_replan(
        &mut self,
        scenario: EmbeddedScenario,
        parent: Option<&Revision>,
        data_date: NaiveDate,
    ) {
        self.revision = Some(Revision::replan(parent, &scenario, data_date, &self.plan));
        self.scenario = Some(scenario);
    }

    /// Records a re-plan's actuals. Finished work is a fact, not a plan: it
    /// has no float left (latest dates = its actual dates), is neither
    /// critical nor behind, and leaves the critical paths, whose minimum
    /// float is then that of the work still to do (as P6 and MS Project
    /// treat completed activities). Without this, a late re-plan marked
    /// finished work critical and behind in plan.csv, plan.xml and the
    /// drawings.
    pub fn record_actuals(&mut self, actuals: Vec<crate::plan::progress::Actual>) {
        let done: std::collections::HashSet<&str> = actuals
            .iter()
            .filter(|a| a.finished())
            .map(|a| a.id.as_str())
            .collect();
        if !done.is_empty() {
            let start = self.plan.window_start;
            let is_done: Vec<bool> = self
                .activities
                .iter()
                .map(|a| done.contains(a.id.as_str()))
                .collect();
            let open_min = |f: fn(&ActivityTimes) -> &TimeParams| {
                self.activities
                    .iter()
                    .zip(&is_done)
                    .filter(|(_, &d)| !d)
                    .map(|(a, _)| f(a).days.total_float)
                    .min()
            };
            let logic_min = open_min(|a| &a.logic);
            let resource_min = open_min(|a| &a.resource);
            for (a, &d) in self.activities.iter_mut().zip(&is_done) {
                for (t, min) in [(&mut a.logic, logic_min), (&mut a.resource, resource_min)] {
                    let mut days = t.days;
                    if d {
                        (days.ls, days.lf) = (days.es, days.ef);
                        (days.total_float, days.free_float) = (0, 0);
                        (days.critical, days.on_critical_path) = (false, false);
                    } else if let Some(min) = min {
                        days.critical = days.total_float == min || days.total_float < 0;
                    }
                    *t = TimeParams::new(days, start);
                }
            }
            if let Some(min) = logic_min {
                self.logic_min_float = min;
            }
            if let Some(min) = resource_min {
                self.resource_min_float = min;
            }
            for paths in [
                &mut self.logic_critical_paths,
                &mut self.resource_critical_paths,
            ] {
                for path in paths.iter_mut() {
                    path.retain(|id| !done.contains(id.as_str()));
                }
                paths.retain(|path| !path.is_empty());
            }
        }
        self.actuals = actuals;
    }

    /// This plan's line in the history of its chain, as revision `number`.
    pub fn summary(&self, number: u32) -> crate::plan::progress::RevisionSummary {
        crate::plan::progress::RevisionSummary {
            number,
            id: self
                .revision
                .as_ref()
                .map_or_else(String::new, |r| r.id.clone()),
            data_date: self.revision.as_ref().and_then(|r| r.data_date),
            stations_late: self.plan.late_stations().len(),
            households_on_time: self.plan.households_on_time,
            households_total: self.plan.households_total,
            finish: self.plan.finish,
            household_days_late: self.plan.levels.household_days_late,
            household_days_bound: self.plan.levels.household_days_bound,
            stations_late_bound: None,
        }
    }

    /// Analyses a plan of `project` (made from `plan.schedule`).
    pub fn new(project: &Project, plan: Plan) -> NetworkPlan {
        let p = &project.model.problem;
        let sched = &plan.schedule;
        let due = project.model.due;
        let start = project.calendar.start();
        let logic = analyse(p, sched, &p.links, due).expect("the model's links are acyclic");
        // The hand-overs pass between the crews the plan names.
        let crews: Vec<String> = plan.activities.iter().map(|a| a.crew.clone()).collect();
        let mut hand: Vec<(Link, String)> = handovers_keeping(p, sched, &crews)
            .into_iter()
            .filter(|(h, _)| {
                !p.links.iter().any(|l| {
                    l.from == h.from
                        && l.to == h.to
                        && l.kind == LinkKind::FinishToStart
                        && l.lag >= 0
                })
            })
            .collect();
        let mut all: Vec<Link> = p.links.clone();
        all.extend(hand.iter().map(|(l, _)| l.clone()));
        let resource = match analyse(p, sched, &all, due) {
            Some(r) => r,
            None => {
                // Only possible with exotic negative lags: fall back to logic.
                hand.clear();
                all.truncate(p.links.len());
                logic.clone()
            }
        };
        let ids = |path: &Vec<ActId>| -> Vec<String> {
            path.iter()
                .map(|&a| plan.activities[a].id.clone())
                .collect()
        };
        let links = all
            .iter()
            .enumerate()
            .map(|(i, l)| NetworkLink {
                from: l.from,
                to: l.to,
                kind: kind_name(l.kind),
                day_lag: l.lag,
                lag: l.lag + written_shift(&plan.activities[l.from])
                    - written_shift(&plan.activities[l.to]),
                handover: i.checked_sub(p.links.len()).map(|h| hand[h].1.clone()),
                critical_logic: logic.driving.get(i).copied().unwrap_or(false),
                critical_resource: resource.driving[i],
            })
            .collect();
        let activities = plan
            .activities
            .iter()
            .enumerate()
            .map(|(a, pa)| ActivityTimes {
                id: pa.id.clone(),
                logic: TimeParams::new(logic.times[a], start),
                resource: TimeParams::new(resource.times[a], start),
            })
            .collect();
        NetworkPlan {
            schema_version: crate::plan::SCHEMA_VERSION,
            due_day: due,
            activities,
            links,
            logic_min_float: logic.min_total_float,
            resource_min_float: resource.min_total_float,
            logic_critical_paths: logic.paths.iter().map(ids).collect(),
            resource_critical_paths: resource.paths.iter().map(ids).collect(),
            milestones: milestones(project, &plan),
            districts: project
                .programme
                .districts
                .iter()
                .map(|d| Named {
                    id: d.id.clone(),
                    name: d.name.clone(),
                })
                .collect(),
            contractors: project
                .programme
                .contractors
                .iter()
                .map(|c| Named {
                    id: c.id.clone(),
                    name: c.name.clone(),
                })
                .collect(),
            calendar: calendar_info(project),
            responsible: project.programme.responsible.clone(),
            scenario: None,
            revision: None,
            actuals: Vec::new(),
            history: Vec::new(),
            utilisation: utilisation(project, &plan),
            why_late: crate::plan::explain::why_late_in(project, &plan),
            why_nodes_late: crate::plan::explain::why_nodes_late_in(project, &plan),
            plan,
        }
    }

    /// Display name of a district id (the id when it has no name).
    pub fn district_name(&self, id: &str) -> String {
        display_name(&self.districts, id)
    }

    /// Display name of a contractor id (the id when it has no name).
    pub fn contractor_name(&self, id: &str) -> String {
        display_name(&self.contractors, id)
    }

    /// The person responsible for a district, contractor, segment, station
    /// or task (`kind` as in [`crate::scenario::programme::Responsibility`]).
    pub fn responsible_for(
        &self,
        kind: &str,
        id: &str,
    ) -> Option<&crate::scenario::programme::Responsibility> {
        self.responsible
            .iter()
            .find(|r| r.kind == kind && r.id == id)
    }

    /// The person responsible for an activity: its element's (segment,
    /// station or task), else its district's, else its contractor's.
    pub fn responsible_for_activity(
        &self,
        a: usize,
    ) -> Option<&crate::scenario::programme::Responsibility> {
        let pa = &self.plan.activities[a];
        self.responsible_for(&pa.element_kind, &pa.element)
            .or_else(|| self.responsible_for("district", &pa.district))
            .or_else(|| self.responsible_for("contractor", &pa.contractor))
    }

    /// Day index of a date on the plan's grid.
    pub fn day_of(&self, date: NaiveDate) -> i64 {
        (date - self.plan.window_start).num_days()
    }

    /// Date of a day index on the plan's grid.
    pub fn date_of(&self, day: i64) -> NaiveDate {
        self.plan.window_start + Duration::days(day)
    }
}

fn display_name(list: &[Named], id: &str) -> String {
    list.iter()
        .find(|n| n.id == id && !n.name.is_empty())
        .map_or_else(|| id.to_string(), |n| n.name.clone())
}

fn milestones(project: &Project, plan: &Plan) -> Vec<MilestoneDate> {
    let s = &project.programme;
    let deadline = plan.deadline;
    let mut out = Vec::new();
    for (h, st) in project.work.heat_ready.iter().zip(&plan.stations) {
        let pa = &plan.activities[h.activity];
        out.push(MilestoneDate {
            kind: MilestoneKind::Station,
            id: st.id.clone(),
            name: st.name.clone(),
            district: st.district.clone(),
            date: st.heat_ready,
            due: Some(deadline),
            variance_days: Some((st.heat_ready - deadline).num_days()),
            households: Some(st.households),
            activity: pa.id.clone(),
        });
    }
    for d in &s.districts {
        let id = &d.id;
        let Some(last) = plan
            .activities
            .iter()
            .filter(|a| &a.district == id)
            .map(|a| a.finish)
            .max()
        else {
            continue;
        };
        out.push(MilestoneDate {
            kind: MilestoneKind::District,
            id: id.clone(),
            name: d.name.clone(),
            district: id.clone(),
            date: last,
            due: Some(deadline),
            variance_days: Some((last - deadline).num_days()),
            households: None,
            activity: String::new(),
        });
    }
    for m in &s.milestones {
        let Some(&(a, _)) = project.work.bounds.get(&m.id) else {
            continue;
        };
        let pa = &plan.activities[a];
        // The milestone's date as the plan dates it (see `plan::milestone_day`).
        let date = pa.finish;
        let due = m.due;
        out.push(MilestoneDate {
            kind: MilestoneKind::Scenario,
            id: m.id.clone(),
            name: m.name.clone(),
            district: String::new(),
            date,
            due,
            variance_days: due.map(|d| (date - d).num_days()),
            households: None,
            activity: pa.id.clone(),
        });
    }
    out
}

fn calendar_info(project: &Project) -> CalendarInfo {
    let p = &project.programme;
    let spec = &p.calendar;
    let period =
        |q: &Period, tags: &[String], districts: Vec<String>, factor: Option<f64>| DatedPeriod {
            name: q.name.clone(),
            from: q.from,
            to: q.to,
            tags: tags.to_vec(),
            districts,
            factor,
        };
    let ban = |b: &Ban| {
        let districts = b.districts.iter().map(|&d| p[d].id.clone()).collect();
        period(&b.period, &b.tags, districts, None)
    };
    let mut rest: Vec<u32> = spec
        .rest_weekdays
        .iter()
        .map(|w| w.num_days_from_monday())
        .collect();
    rest.sort_unstable();
    rest.dedup();
    CalendarInfo {
        rest_weekdays: rest,
        holidays: spec
            .holidays
            .iter()
            .map(|h| period(h, &[], Vec::new(), None))
            .collect(),
        makeup_days: spec.makeup_days.clone(),
        bans: spec.bans.iter().map(ban).collect(),
        stop_work: spec.stop_work.iter().map(ban).collect(),
        productivity: spec
            .productivity
            .iter()
            .map(|q| period(&q.period, &q.tags, Vec::new(), Some(q.factor)))
            .collect(),
    }
}

fn utilisation(project: &Project, plan: &Plan) -> Vec<CrewUse> {
    let p = &project.model.problem;
    let first = plan
        .activities
        .iter()
        .map(|a| a.start_day)
        .min()
        .unwrap_or(0);
    let last = plan.activities.iter().map(|a| a.end_day).max().unwrap_or(0);
    let span = last.saturating_sub(first) as u64;
    let mut out = Vec::new();
    for (r, kind) in project.model.resources.iter().enumerate() {
        let crate::model::ResourceKind::Crew { contractor, crew } = kind else {
            continue;
        };
        let busy: u64 = plan
            .activities
            .iter()
            .enumerate()
            .map(|(a, pa)| {
                let k: u32 = p.activities[a].modes[plan.schedule.modes[a]]
                    .demands
                    .iter()
                    .filter(|&&(x, _)| x == r)
                    .map(|&(_, k)| k)
                    .sum();
                k as u64 * pa.duration_days as u64
            })
            .sum();
        let crews = p.resources[r].capacity;
        let available = crews as u64 * span;
        out.push(CrewUse {
            contractor: contractor.clone(),
            crew: crew.clone(),
            crews,
            busy_days: busy,
            available_days: available,
            utilisation: if available > 0 {
                busy as f64 / available as f64
            } else {
                0.0
            },
        });
    }
    out
}
