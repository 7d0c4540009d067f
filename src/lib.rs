//! heatplan: schedules the construction of district-heating networks.
//!
//! Data flows one way: scenario → activities → model → solution → network
//! plan → reports. Each stage is a plain value; only the CLI does I/O.

pub mod activities;
pub mod compare;
pub mod csv_text;
pub mod lang;
pub mod model;
pub mod plan;
pub mod replan;
pub mod report;
pub mod risk;
pub mod scenario;
pub mod schedule;

use activities::WorkBreakdown;
use model::calendar::Calendar;
use model::Model;
use report::inventory::Inventory;
use scenario::{Diagnostics, Programme, Source};

/// A loaded, validated scenario with everything derived from it: calendar,
/// activities and the scheduling model.
#[derive(Debug, Clone)]
pub struct Project {
    /// The validated programme (with its pipe network).
    pub programme: Programme,
    /// Its calendar on the day grid.
    pub calendar: Calendar,
    /// Activities, precedences, trenches and station targets.
    pub work: WorkBreakdown,
    /// The scheduling problem.
    pub model: Model,
    /// The file the scenario was read from, kept so that a plan can embed
    /// the very text it was made from without reading the file again
    /// (`None` for a scenario built in memory, e.g. a compared variant).
    pub source: Option<Source>,
}

impl Project {
    /// Parses, validates and expands a scenario; every problem found is
    /// returned at once.
    ///
    /// ```
    /// use heatplan::{scenario::Source, Project};
    ///
    /// let text = include_str!("../scenarios/tutorial.toml").to_string();
    /// let project = Project::load(&Source { file: "tutorial.toml".into(), text }).unwrap();
    /// assert_eq!(project.programme.stations.len(), 4);
    /// assert_eq!(project.inventory().households, 3870);
    ///
    /// // A mistake is reported with its file, line and column, and a fix.
    /// let bad = Source { file: "bad.toml".into(), text: "[programme]\nname = 1\n".into() };
    /// let problems = Project::load(&bad).unwrap_err();
    /// // Every mistake at once: the wrong type, and the keys that are missing.
    /// assert!(problems.to_string().contains("bad.toml:2:8: error: `name` takes text"));
    /// assert!(problems.to_string().contains("missing key `window_start`"));
    /// ```
    pub fn load(source: &Source) -> Result<Project, Diagnostics> {
        Ok(Project {
            source: Some(source.clone()),
            ..Project::from_programme(scenario::load(source)?)
        })
    }

    /// Expands a validated programme (see [`scenario::check`] for a
    /// scenario file edited in memory), with no source text.
    pub fn from_programme(programme: Programme) -> Project {
        let calendar = Calendar::new(&programme);
        let work = WorkBreakdown::new(&programme);
        let model = Model::new(&programme, &calendar, &work);
        Project {
            programme,
            calendar,
            work,
            model,
            source: None,
        }
    }

    /// The summary `heatplan check` prints.
    pub fn inventory(&self) -> Inventory {
        Inventory::new(&self.programme, &self.calendar, &self.work, &self.model)
    }

    /// Reads a schedule of the model back into a dated plan.
    pub fn plan(&self, schedule: &schedule::Schedule, quality: plan::Quality) -> plan::Plan {
        self.plan_keeping(schedule, quality, &[])
    }

    /// [`Project::plan`] in which activity `a` keeps the crew `keep[a]`
    /// (`B/pipe/2`) where it can: a re-plan's finished and running work
    /// keep the crews of the previous revision.
    pub fn plan_keeping(
        &self,
        schedule: &schedule::Schedule,
        quality: plan::Quality,
        keep: &[String],
    ) -> plan::Plan {
        let score = self.model.problem.score(schedule);
        plan::Plan::new(
            &self.programme,
            &self.calendar,
            &self.work,
            &self.model,
            schedule,
            &score,
            quality,
            keep,
        )
    }

    /// Reads a schedule back into a dated plan and analyses its network:
    /// the six time parameters, critical paths and milestones.
    pub fn network_plan(
        &self,
        schedule: &schedule::Schedule,
        quality: plan::Quality,
    ) -> plan::cpm::NetworkPlan {
        plan::cpm::NetworkPlan::new(self, self.plan(schedule, quality))
    }

    /// [`Project::network_plan`] with the crews of
    /// [`Project::plan_keeping`]; the hand-overs follow the crews named.
    pub fn network_plan_keeping(
        &self,
        schedule: &schedule::Schedule,
        quality: plan::Quality,
        keep: &[String],
    ) -> plan::cpm::NetworkPlan {
        plan::cpm::NetworkPlan::new(self, self.plan_keeping(schedule, quality, keep))
    }
}
