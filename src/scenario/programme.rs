//! The validated programme: what a scenario file means, with every
//! reference resolved.
//!
//! A [`Programme`] is what validation hands on when a scenario file has no
//! problems ([`load`](super::load), [`check`](super::check)); nothing else
//! makes one, so everything downstream (activities, the model, plans,
//! reports) works with a checked scenario and never sees a dangling id.
//!
//! Its elements refer to each other by typed index ([`id`]): a segment
//! holds the [`NodeId`]s of its ends and the [`DistrictId`] responsible, a
//! district the [`ContractorId`]s allowed there, a link the element (and
//! step) at each end. Ids as written stay on every element, for display and
//! for the activity names (`P012/lay`). Lists keep the file's order, so an
//! index is also the position of the entry in the file.
//!
//! The programme also carries what validation built on the way: the pipe
//! [`Network`] (supply paths; built once, for the reachability check) and
//! the table of which contractors may do which work where
//! ([`Programme::allowed`], the rule of [`allowed`](super::allowed)).

pub mod id;
mod resolve;

pub use id::{
    ContractorId, DistrictId, MilestoneId, NodeId, SegmentId, SourceId, StationId, StepId, TaskId,
};
pub(super) use resolve::resolve;

use super::network::Network;
use super::{LayingMethod, LinkType};
use chrono::{NaiveDate, Weekday};
use std::collections::{BTreeMap, HashMap};

/// A validated, index-based construction programme.
#[derive(Debug, Clone)]
pub struct Programme {
    /// Programme name.
    pub name: String,
    /// First day construction may start.
    pub window_start: NaiveDate,
    /// Last day of the construction window.
    pub window_end: NaiveDate,
    /// Every station should be heat-ready at the end of this day.
    pub deadline: NaiveDate,
    /// Days after the window the planner may use to show lateness.
    pub overrun_days: u32,
    /// Working days, holidays, bans, productivity, stop-work days.
    pub calendar: CalendarRules,
    /// Heat sources.
    pub sources: Vec<HeatSource>,
    /// Network nodes.
    pub nodes: Vec<Node>,
    /// Pipe segments.
    pub segments: Vec<Segment>,
    /// Heat-exchange stations.
    pub stations: Vec<Station>,
    /// The work templates of segments and stations.
    pub templates: Templates,
    /// Districts.
    pub districts: Vec<District>,
    /// Contractors.
    pub contractors: Vec<Contractor>,
    /// Extra tasks.
    pub tasks: Vec<Task>,
    /// Explicit precedence links.
    pub links: Vec<Link>,
    /// The persons responsible (任务具体到人) named in the file, in file order
    /// of districts, contractors, segments, stations and tasks.
    pub responsible: Vec<Responsibility>,
    /// Milestones.
    pub milestones: Vec<Milestone>,
    /// The pipe network and the supply path of every station.
    pub network: Network,
    /// What is uncertain about the season (`[risk]`; empty without one).
    pub risk: super::risk::RiskModel,
    /// Contractors allowed by crew type, for every district (see
    /// [`Programme::allowed`]).
    allowed: Vec<HashMap<String, Vec<ContractorId>>>,
}

impl Programme {
    /// The contractors that may do work of crew type `crew` in `district`,
    /// in the order the district lists them (empty when none may). This is
    /// the only place downstream code learns who may do what where.
    pub fn allowed(&self, district: DistrictId, crew: &str) -> &[ContractorId] {
        self.allowed[district.index()]
            .get(crew)
            .map_or(&[], Vec::as_slice)
    }

    /// The index of the contractor with id `id`.
    pub fn contractor(&self, id: &str) -> Option<ContractorId> {
        self.contractors
            .iter()
            .position(|c| c.id == id)
            .map(ContractorId::new)
    }

    /// The index of the station with id `id`.
    pub fn station(&self, id: &str) -> Option<StationId> {
        self.stations
            .iter()
            .position(|s| s.id == id)
            .map(StationId::new)
    }

    /// Every station index, in file order.
    pub fn station_ids(&self) -> impl Iterator<Item = StationId> {
        (0..self.stations.len()).map(StationId::new)
    }
}

/// The calendar rules of the `[calendar]` table, with dates and districts
/// resolved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CalendarRules {
    /// Weekdays with no work (as written, without repeats removed).
    pub rest_weekdays: Vec<Weekday>,
    /// Public holidays.
    pub holidays: Vec<Period>,
    /// Rest weekdays that are working days.
    pub makeup_days: Vec<NaiveDate>,
    /// Bans on work with some tags.
    pub bans: Vec<Ban>,
    /// Periods of reduced productivity.
    pub productivity: Vec<Slowdown>,
    /// Known stop-work days.
    pub stop_work: Vec<Ban>,
}

/// A named date range, both days included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// What it is.
    pub name: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (the first day when the file gives no `to`).
    pub to: NaiveDate,
}

/// A period in which work carrying any of `tags` (all work when empty)
/// stops, in `districts` (all when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    /// Name and dates.
    pub period: Period,
    /// Work tags stopped; empty stops all work.
    pub tags: Vec<String>,
    /// Districts affected; empty means all.
    pub districts: Vec<DistrictId>,
}

/// A period in which work carrying any of `tags` (all work when empty)
/// progresses at `factor` of its normal rate.
#[derive(Debug, Clone, PartialEq)]
pub struct Slowdown {
    /// Name and dates.
    pub period: Period,
    /// Fraction of the normal daily output, in (0, 1].
    pub factor: f64,
    /// Work tags affected; empty means all.
    pub tags: Vec<String>,
}

/// A heat source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatSource {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Node where heat enters the network.
    pub node: NodeId,
}

/// A network node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Identifier.
    pub id: String,
    /// Easting in km, if given.
    pub x_km: Option<f64>,
    /// Northing in km, if given.
    pub y_km: Option<f64>,
}

/// A pipe segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Identifier.
    pub id: String,
    /// One end.
    pub from: NodeId,
    /// The other end.
    pub to: NodeId,
    /// Route length in metres (greater than 0).
    pub length_m: f64,
    /// Nominal diameter, DN (mm).
    pub dn: u32,
    /// District responsible.
    pub district: DistrictId,
    /// Laying method.
    pub method: LayingMethod,
    /// Tags.
    pub tags: Vec<String>,
}

/// A heat-exchange station.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Node the station connects to.
    pub node: NodeId,
    /// Heated area in m².
    pub heated_area_m2: f64,
    /// Households supplied.
    pub households: u64,
    /// District responsible.
    pub district: DistrictId,
    /// Tags.
    pub tags: Vec<String>,
}

/// The work templates.
#[derive(Debug, Clone, PartialEq)]
pub struct Templates {
    /// Steps of every pipe segment, in order (at least one).
    pub segment: Vec<Step>,
    /// Steps of every station, in order (at least one).
    pub station: Vec<Step>,
}

impl Templates {
    /// The segment step whose end lets the pipe carry heat: the one marked
    /// `supply_ready`, else the last.
    pub fn supply_ready(&self) -> StepId {
        let k = self.segment.iter().position(|s| s.supply_ready);
        StepId::new(k.unwrap_or(self.segment.len().saturating_sub(1)))
    }
}

/// One step of a work template.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// Short key, unique in the template.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Crew type that does it.
    pub crew: String,
    /// Work tags.
    pub tags: Vec<String>,
    /// Metres per crew-day by largest DN, in the file's order (segments).
    pub rates: Vec<(u32, f64)>,
    /// Fixed working days.
    pub days: Option<f64>,
    /// Extra working days per 10,000 m² of heated area (stations).
    pub days_per_10k_m2: Option<f64>,
    /// How the step follows the previous one.
    pub link: LinkType,
    /// Lag after the previous step, in days.
    pub lag_days: i32,
    /// Marked as the step after which the pipe carries heat.
    pub supply_ready: bool,
}

impl Step {
    /// Crew-days of this step of a segment of `length_m` metres and
    /// diameter `dn`: the fixed days, or the length over the rate of the
    /// first band that covers `dn`.
    pub fn segment_work(&self, length_m: f64, dn: u32) -> f64 {
        if let Some(d) = self.days {
            return d;
        }
        self.rates
            .iter()
            .find(|&&(dn_max, _)| dn <= dn_max)
            .map_or(0.0, |&(_, rate)| length_m / rate)
    }

    /// Crew-days of this step of a station heating `area_m2`: the fixed
    /// days plus the days per 10,000 m².
    pub fn station_work(&self, area_m2: f64) -> f64 {
        self.days.unwrap_or(0.0) + self.days_per_10k_m2.unwrap_or(0.0) * area_m2 / 10_000.0
    }
}

/// A district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Contractors allowed to work here, as listed.
    pub contractors: Vec<ContractorId>,
    /// Most open-cut trenches open at once.
    pub max_open_trenches: u32,
}

/// A contractor and its crews.
#[derive(Debug, Clone, PartialEq)]
pub struct Contractor {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Number of crews by crew type (a type may have 0 crews).
    pub crews: BTreeMap<String, u32>,
    /// Productivity by crew type, where it is not 1.
    pub productivity: BTreeMap<String, f64>,
    /// Cost of one crew-day, if given.
    pub cost_per_crew_day: Option<f64>,
}

impl Contractor {
    /// Output of the contractor's `crew` crews relative to the template
    /// rates (1 unless the file says otherwise).
    pub fn productivity(&self, crew: &str) -> f64 {
        self.productivity.get(crew).copied().unwrap_or(1.0)
    }

    /// Number of crews of type `crew` (0 when it has none).
    pub fn crews_of(&self, crew: &str) -> u32 {
        self.crews.get(crew).copied().unwrap_or(0)
    }
}

/// An extra task.
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Working days (calendar days when `calendar_days`).
    pub days: f64,
    /// District responsible, if any.
    pub district: Option<DistrictId>,
    /// Crew type needed, if any (then `district` is given).
    pub crew: Option<String>,
    /// Work tags.
    pub tags: Vec<String>,
    /// Counts calendar days, not working days.
    pub calendar_days: bool,
    /// Earliest start date, if any.
    pub not_before: Option<NaiveDate>,
}

/// Something a link or a milestone names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    /// A pipe segment.
    Segment(SegmentId),
    /// A station.
    Station(StationId),
    /// A task.
    Task(TaskId),
    /// A milestone.
    Milestone(MilestoneId),
    /// A district: all of its segments, stations and tasks (milestones'
    /// `after` only).
    District(DistrictId),
}

/// What one end of a link, or one entry of a milestone's `after`, names: a
/// whole element, or one step of a segment or station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The element.
    pub element: Element,
    /// The step, for `ELEMENT/key`.
    pub step: Option<StepId>,
}

/// An explicit precedence link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    /// Predecessor (never a district).
    pub from: Reference,
    /// Successor (never a district).
    pub to: Reference,
    /// Finish-to-start or start-to-start.
    pub kind: LinkType,
    /// Lag in days.
    pub lag_days: i32,
}

/// A milestone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it waits for.
    pub after: Vec<Reference>,
    /// Target date, if any.
    pub due: Option<NaiveDate>,
    /// A plan must reach it by `due`.
    pub hard: bool,
    /// Weight per day late among the time nodes.
    pub weight: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{check, load, parse, Source};

    fn source() -> Source {
        Source {
            file: "tutorial.toml".into(),
            text: include_str!("../../scenarios/tutorial.toml").to_string(),
        }
    }

    fn district(p: &Programme, id: &str) -> DistrictId {
        DistrictId::new(p.districts.iter().position(|d| d.id == id).unwrap())
    }

    fn ids(p: &Programme, contractors: &[ContractorId]) -> Vec<String> {
        contractors.iter().map(|&c| p[c].id.clone()).collect()
    }

    #[test]
    fn ids_become_typed_indices() {
        let p = load(&source()).unwrap();
        let hexi = district(&p, "hexi");
        assert_eq!(ids(&p, &p[hexi].contractors), ["reli", "shizheng"]);
        let s03 = p.segments.iter().find(|s| s.id == "S03").unwrap();
        assert_eq!(
            (p[s03.from].id.as_str(), p[s03.to].id.as_str()),
            ("N1", "NA")
        );
        // `S04/trench` → `S06`, start-to-start.
        let link = p.links[2];
        let Element::Segment(s04) = link.from.element else {
            panic!("{link:?}")
        };
        assert_eq!(p[s04].id, "S04");
        assert_eq!(
            p.templates.segment[link.from.step.unwrap().index()].key,
            "trench"
        );
        assert_eq!(link.to.step, None);
        // A milestone waiting for a whole district.
        let after = p.milestones[1].after[0];
        assert_eq!(after.element, Element::District(hexi));
    }

    #[test]
    fn allowed_contractors_follow_the_district_list_and_the_crews() {
        let p = load(&source()).unwrap();
        let (hexi, hedong) = (district(&p, "hexi"), district(&p, "hedong"));
        assert_eq!(ids(&p, p.allowed(hexi, "earthworks")), ["reli", "shizheng"]);
        // shizheng has no testing crews.
        assert_eq!(ids(&p, p.allowed(hexi, "testing")), ["reli"]);
        assert_eq!(ids(&p, p.allowed(hedong, "earthworks")), ["reli"]);
        assert!(p.allowed(hexi, "divers").is_empty());
    }

    #[test]
    fn an_edited_file_is_validated_again() {
        let src = source();
        let mut file = parse(&src).unwrap();
        let reli = file
            .contractors
            .iter_mut()
            .find(|c| c.id.get_ref() == "reli");
        let testing = reli.unwrap().crews.get_mut("testing").unwrap();
        *testing.get_mut() = 0;
        let problems = check(&file, &src).unwrap_err();
        assert!(
            problems
                .to_string()
                .contains("no contractor has any \"testing\" crews"),
            "{problems}"
        );
    }
}

/// A person responsible for a district, contractor, segment, station or
/// task (the scenario's optional `responsible` and `contact`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Responsibility {
    /// `district`, `contractor`, `segment`, `station` or `task`.
    pub kind: String,
    /// Its id.
    pub id: String,
    /// The person's name (may be empty when only a contact is given).
    pub person: String,
    /// Contact (may be empty).
    pub contact: String,
}
