//! The serde types of a scenario file, exactly as written. Field names are
//! the file's keys.
//!
//! Identifiers and references are [`Spanned`] strings so that validation can
//! point at the exact place in the file. Nothing here is checked: a
//! reference may name nothing, a number may be negative. Validation turns a
//! file into a [`Programme`](super::Programme), the checked, index-based
//! model everything downstream works with; editing a scenario (compare
//! variants, re-plan events) edits these types and validates again.

use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A string with its place in the file.
pub type Text = Spanned<String>;

/// A person's name or contact as written: one line of text, not blank, at
/// most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Person(pub String);

impl TryFrom<String> for Person {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let t = s.trim();
        if t.is_empty() {
            Err("a responsible person or contact must not be blank; write a name such as \"张伟\" or leave the key out".into())
        } else if t.chars().any(char::is_control) {
            Err(format!("`{t}` holds a line break or control character; write the name or contact on one line"))
        } else if t.chars().count() > 100 {
            Err("a responsible person or contact is at most 100 characters".into())
        } else {
            Ok(Person(t.to_string()))
        }
    }
}

/// A calendar date, written in TOML as `2022-04-01` (or `"2022-04-01"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(try_from = "DateRepr")]
pub struct Date(pub NaiveDate);

#[derive(Deserialize)]
#[serde(untagged)]
enum DateRepr {
    Toml(toml::value::Datetime),
    Text(String),
}

impl TryFrom<DateRepr> for Date {
    type Error = String;
    fn try_from(r: DateRepr) -> Result<Self, String> {
        let text = match r {
            DateRepr::Toml(d) => match (d.date, d.time) {
                (Some(date), None) => format!("{:04}-{:02}-{:02}", date.year, date.month, date.day),
                _ => return Err(format!("expected a date like 2022-04-01, found `{d}`")),
            },
            DateRepr::Text(s) => s,
        };
        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
            .map(Date)
            .map_err(|_| match super::slips::date_problem(&text) {
                Some((problem, fix, _, _)) => format!("{problem} ({fix})"),
                None => format!("expected a date like 2022-04-01, found `{text}`"),
            })
    }
}

/// The whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Name, window and deadline.
    pub programme: ProgrammeTable,
    /// Working days, holidays, bans, productivity, stop-work days.
    #[serde(default)]
    pub calendar: CalendarSpec,
    /// Heat sources (CHP plants) at network nodes.
    pub sources: Vec<HeatSource>,
    /// Network nodes (junctions, plant outlets, station connections).
    pub nodes: Vec<Node>,
    /// Pipe segments between nodes.
    #[serde(default)]
    pub segments: Vec<PipeSegment>,
    /// Heat-exchange stations.
    #[serde(default)]
    pub stations: Vec<Station>,
    /// How segments and stations break into activities.
    pub templates: Templates,
    /// Districts, their contractors and trench limits.
    pub districts: Vec<District>,
    /// Contractors and their crews.
    pub contractors: Vec<Contractor>,
    /// Extra tasks (permits, interconnection works, anything else).
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Explicit links between tasks, elements and activities.
    #[serde(default)]
    pub links: Vec<LinkSpec>,
    /// Milestones (fixed time nodes).
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    /// What is uncertain about the season (see [`risk`](super::risk)).
    #[serde(default)]
    pub risk: Option<super::risk::RiskSpec>,
}

/// The `[programme]` table: name, construction window and heat-ready
/// deadline.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeTable {
    /// Programme name.
    pub name: String,
    /// First day construction may start.
    pub window_start: Spanned<Date>,
    /// Last day of the construction window.
    pub window_end: Spanned<Date>,
    /// Every station should be heat-ready at the end of this day.
    pub deadline: Spanned<Date>,
    /// Days after the window the planner may use to show how late work would
    /// be (default 92).
    #[serde(default = "default_overrun")]
    pub overrun_days: u32,
}

fn default_overrun() -> u32 {
    92
}

/// Working-day rules.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// Weekdays with no work, e.g. `["Sun"]` (default none: sites work 7 days).
    #[serde(default)]
    pub rest_weekdays: Vec<Text>,
    /// Public holidays (no work at all).
    #[serde(default)]
    pub holidays: Vec<Period>,
    /// Weekend days that are working days (调休 make-up days).
    #[serde(default)]
    pub makeup_days: Vec<Spanned<Date>>,
    /// Periods where work with given tags is banned (e.g. gaokao noise ban).
    #[serde(default)]
    pub bans: Vec<Ban>,
    /// Periods of reduced productivity (e.g. rainy season).
    #[serde(default)]
    pub productivity: Vec<ProductivityPeriod>,
    /// Known stop-work days (e.g. heavy-pollution alerts).
    #[serde(default)]
    pub stop_work: Vec<Ban>,
}

/// A named date range, inclusive.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// What it is.
    pub name: String,
    /// First day.
    pub from: Spanned<Date>,
    /// Last day (inclusive; default = `from`).
    pub to: Option<Spanned<Date>>,
}

/// A period in which work carrying any of `tags` stops (all work when `tags`
/// is empty), optionally only in some districts.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ban {
    /// What it is.
    pub name: String,
    /// First day.
    pub from: Spanned<Date>,
    /// Last day (inclusive; default = `from`).
    pub to: Option<Spanned<Date>>,
    /// Work tags stopped; empty stops all work.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Districts affected; empty means all.
    #[serde(default)]
    pub districts: Vec<Text>,
}

/// A period where work carrying any of `tags` (all work if empty) progresses
/// at `factor` of its normal rate.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductivityPeriod {
    /// What it is.
    pub name: String,
    /// First day.
    pub from: Spanned<Date>,
    /// Last day (inclusive).
    pub to: Spanned<Date>,
    /// Fraction of the normal daily output, in (0, 1].
    pub factor: Spanned<f64>,
    /// Work tags affected; empty means all.
    #[serde(default)]
    pub tags: Vec<Text>,
}

/// A heat source (a CHP plant's outlet).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeatSource {
    /// Identifier.
    pub id: Text,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Node where heat enters the network.
    pub node: Text,
}

/// A network node.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Identifier.
    pub id: Text,
    /// Easting in km (for diagrams; optional).
    #[serde(default)]
    pub x_km: Option<f64>,
    /// Northing in km (for diagrams; optional).
    #[serde(default)]
    pub y_km: Option<f64>,
}

/// How a pipe is laid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LayingMethod {
    /// Directly buried in an open trench (counts against trench limits).
    #[default]
    OpenCut,
    /// Pipe jacking or directional drilling (no open trench).
    Trenchless,
    /// Overhead on supports (no open trench).
    Overhead,
}

impl LayingMethod {
    /// True when the method opens a trench.
    pub fn opens_trench(self) -> bool {
        self == LayingMethod::OpenCut
    }
}

/// A pipe segment between two nodes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipeSegment {
    /// Identifier.
    pub id: Text,
    /// Upstream or downstream node (direction does not matter).
    pub from: Text,
    /// The other node.
    pub to: Text,
    /// Route length in metres.
    pub length_m: Spanned<f64>,
    /// Nominal diameter, DN (mm).
    pub dn: Spanned<u32>,
    /// District responsible.
    pub district: Text,
    /// Laying method (default `open_cut`).
    #[serde(default)]
    pub method: LayingMethod,
    /// Tags, e.g. `near_school`, `arterial_road`, `interconnection`.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Person responsible (任务具体到人), optional.
    #[serde(default)]
    pub responsible: Option<Person>,
    /// How to reach the person responsible (telephone), optional.
    #[serde(default)]
    pub contact: Option<Person>,
}

/// A heat-exchange station.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Station {
    /// Identifier.
    pub id: Text,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Node the station connects to.
    pub node: Text,
    /// Heated area in m².
    pub heated_area_m2: Spanned<f64>,
    /// Households supplied.
    pub households: Spanned<u64>,
    /// District responsible.
    pub district: Text,
    /// Tags, e.g. `near_school`.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Person responsible (任务具体到人), optional.
    #[serde(default)]
    pub responsible: Option<Person>,
    /// How to reach the person responsible (telephone), optional.
    #[serde(default)]
    pub contact: Option<Person>,
}

/// Work templates by element kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Templates {
    /// Steps of every pipe segment, in order.
    pub segment: Vec<WorkStep>,
    /// Steps of every station, in order.
    pub station: Vec<WorkStep>,
}

/// How a step follows the previous step of the same element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkType {
    /// Finish-to-start.
    #[default]
    Fs,
    /// Start-to-start.
    Ss,
}

/// Metres laid per crew-day for pipes up to a diameter.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DnRate {
    /// Largest DN this rate applies to.
    pub dn_max: u32,
    /// Metres per crew-day.
    pub metres_per_day: Spanned<f64>,
}

/// One step of a work template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkStep {
    /// Short key, unique in the template; activity ids are `ELEMENT/key`.
    pub key: Text,
    /// Display name.
    pub name: String,
    /// Crew type that does it (a key of the contractors' `crews`).
    pub crew: Text,
    /// Work tags, matched by bans, stop-work days and productivity periods
    /// (e.g. `earthworks`, `outdoor`).
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Duration by diameter band: metres per crew-day (segments only).
    #[serde(default)]
    pub rates: Vec<DnRate>,
    /// Fixed working days.
    #[serde(default)]
    pub days: Option<Spanned<f64>>,
    /// Extra working days per 10,000 m² of heated area (stations only).
    #[serde(default)]
    pub days_per_10k_m2: Option<Spanned<f64>>,
    /// How the step follows the previous one (default `fs`).
    #[serde(default)]
    pub link: LinkType,
    /// Lag after the previous step, in days (default 0).
    #[serde(default)]
    pub lag_days: i32,
    /// For segments: the step whose end lets the pipe carry heat (tested);
    /// default the last step.
    #[serde(default)]
    pub supply_ready: bool,
}

/// A district (辖区).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    /// Identifier.
    pub id: Text,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Contractors allowed to work here.
    pub contractors: Vec<Text>,
    /// Most open-cut trenches open at once (dust control, traffic).
    pub max_open_trenches: Spanned<u32>,
    /// Person responsible (任务具体到人), optional.
    #[serde(default)]
    pub responsible: Option<Person>,
    /// How to reach the person responsible (telephone), optional.
    #[serde(default)]
    pub contact: Option<Person>,
}

/// A contractor and its crews.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contractor {
    /// Identifier.
    pub id: Text,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Number of crews by crew type.
    pub crews: BTreeMap<String, Spanned<u32>>,
    /// Productivity relative to the template rates, by crew type (default 1).
    #[serde(default)]
    pub productivity: BTreeMap<String, Spanned<f64>>,
    /// Cost of one crew-day (optional; for comparisons).
    #[serde(default)]
    pub cost_per_crew_day: Option<f64>,
    /// Person responsible (任务具体到人), optional.
    #[serde(default)]
    pub responsible: Option<Person>,
    /// How to reach the person responsible (telephone), optional.
    #[serde(default)]
    pub contact: Option<Person>,
}

impl Contractor {
    /// True when the contractor has at least one crew of type `crew`: only
    /// then can it do such work (a crew type listed with 0 crews provides
    /// nothing).
    pub fn provides(&self, crew: &str) -> bool {
        self.crews.get(crew).is_some_and(|n| *n.get_ref() > 0)
    }
}

/// An extra task with an explicit duration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    /// Identifier.
    pub id: Text,
    /// Display name.
    pub name: String,
    /// Working days.
    pub days: Spanned<f64>,
    /// District responsible (optional).
    #[serde(default)]
    pub district: Option<Text>,
    /// Crew type needed (optional; then one of the district's contractors
    /// provides it, so `district` is required).
    #[serde(default)]
    pub crew: Option<Text>,
    /// Work tags for calendars.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Counts calendar days, not working days (e.g. a permit; default false).
    #[serde(default)]
    pub calendar_days: bool,
    /// Earliest start date (optional).
    #[serde(default)]
    pub not_before: Option<Spanned<Date>>,
    /// Person responsible (任务具体到人), optional.
    #[serde(default)]
    pub responsible: Option<Person>,
    /// How to reach the person responsible (telephone), optional.
    #[serde(default)]
    pub contact: Option<Person>,
}

/// An explicit precedence link.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// Predecessor: a task, an element (its last step), or `ELEMENT/key`.
    pub from: Text,
    /// Successor: a task, an element (its first step), `ELEMENT/key`, or a
    /// milestone.
    pub to: Text,
    /// `fs` (default) or `ss`.
    #[serde(default)]
    pub kind: LinkType,
    /// Lag in days (default 0).
    #[serde(default)]
    pub lag_days: i32,
}

/// A milestone: reached when everything it waits for is done.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// Identifier.
    pub id: Text,
    /// Display name.
    pub name: String,
    /// What it waits for: tasks, elements, `ELEMENT/key`, or districts (all
    /// of a district's work).
    #[serde(default)]
    pub after: Vec<Text>,
    /// Target date (optional): a time node the plan holds on the second
    /// priority level.
    #[serde(default)]
    pub due: Option<Spanned<Date>>,
    /// A hard node: a plan must reach it by `due` (default false).
    #[serde(default)]
    pub hard: bool,
    /// Weight per day late among the time nodes (default 1).
    #[serde(default)]
    pub weight: Option<u64>,
}
