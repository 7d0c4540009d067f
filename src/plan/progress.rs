//! What a plan knows about the past: the actuals reported up to its data
//! date, and the history of the revisions it descends from.
//!
//! A re-plan stores in plan.json every actual reported so far (one
//! [`Actual`] per started activity, the latest report of each), so that the
//! next re-plan needs only the progress made since: the ledger it reads is
//! merged with these records (see [`crate::replan::ledger`]). Each revision
//! also appends a [`RevisionSummary`] to the chain's history, which the
//! report shows as a table: revision, data date, stations late, households
//! on time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The reported progress of one started activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actual {
    /// Activity id.
    pub id: String,
    /// First day of work.
    pub start: NaiveDate,
    /// Last day of work, once finished.
    #[serde(default)]
    pub finish: Option<NaiveDate>,
    /// Percent complete reported for running work (`None` when finished,
    /// when the remaining days were reported instead, or when the work was
    /// assumed to run as planned).
    #[serde(default)]
    pub percent_complete: Option<f64>,
    /// Working days left reported for running work.
    #[serde(default)]
    pub remaining_days: Option<f64>,
    /// The data date of the ledger that reported it last.
    pub reported: NaiveDate,
}

impl Actual {
    /// True once the activity has finished.
    pub fn finished(&self) -> bool {
        self.finish.is_some()
    }
}

/// One revision of a chain of re-plans, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionSummary {
    /// 0 for the baseline, then 1, 2, … for each re-plan.
    pub number: u32,
    /// The revision's id (see [`crate::plan::cpm::Revision`]).
    pub id: String,
    /// Its data date (`None` for the baseline).
    pub data_date: Option<NaiveDate>,
    /// Stations that miss the heat-ready deadline.
    pub stations_late: usize,
    /// Households heat-ready by the deadline.
    pub households_on_time: u64,
    /// All households.
    pub households_total: u64,
    /// The last day of any work.
    pub finish: NaiveDate,
    /// Household-days late (the first level of the objective).
    #[serde(default)]
    pub household_days_late: u64,
    /// Proven least household-days late of any plan of this revision.
    #[serde(default)]
    pub household_days_bound: u64,
    /// Proven least number of stations late (`None`: not computed, e.g.
    /// for a baseline).
    #[serde(default)]
    pub stations_late_bound: Option<usize>,
}

impl RevisionSummary {
    /// The gap on the lateness level: the share of the household-days late
    /// that no bound rules out, in percent (0 when none are late).
    pub fn lateness_gap(&self) -> f64 {
        if self.household_days_late == 0 {
            0.0
        } else {
            let open = self
                .household_days_late
                .saturating_sub(self.household_days_bound);
            100.0 * open as f64 / self.household_days_late as f64
        }
    }
}
