//! Each contractor's pace, measured on its actuals.
//!
//! A re-plan that keeps planning a slow contractor at the scenario's
//! productivity promises its remaining work too early. [`estimate`] compares,
//! per contractor, the work its finished and running jobs were planned to
//! take with the working days they actually took, both as the sum of the
//! job's calendar day factors (a rest day 0, a rainy-season day its factor):
//! planned over the days it would have run from its actual start at the
//! scenario's productivity (times the percent complete for running work),
//! actual over the days it ran (to the data date for running work). So
//! stop-work days and seasons count as in the plan, and a job done as
//! planned has a pace of exactly 1. The pace is
//!
//! `(planned + PRIOR_DAYS) / (actual + PRIOR_DAYS)`,
//!
//! the ratio pulled towards 1 by [`PRIOR_DAYS`] days of work at the
//! nominal pace, so that one odd job does not re-plan a contractor, and
//! clamped to [`PACE_RANGE`]. [`apply`] multiplies the contractor's
//! productivity of every crew type by its pace before the project is
//! expanded again, so the remaining work (and the rest of running work
//! reported by percent) is planned at the measured pace. The scenario
//! embedded in the new plan keeps its own productivities: the pace is
//! measured again from all actuals at every re-plan.

use super::ledger::{ActivityProgress, Remaining};
use crate::plan::cpm::NetworkPlan;
use crate::scenario::programme::Programme;
use crate::Project;
use chrono::NaiveDate;

/// Days of work at the nominal pace added to both sides of the ratio.
pub const PRIOR_DAYS: f64 = 20.0;

/// The least and the most pace applied.
pub const PACE_RANGE: (f64, f64) = (0.5, 2.0);

/// One contractor's measured pace.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    /// Contractor id.
    pub contractor: String,
    /// Jobs measured (finished, or running with a percent complete).
    pub jobs: usize,
    /// Their work at the scenario's productivity, in days at the normal pace.
    pub planned_days: f64,
    /// The days they took (calendar day factors summed).
    pub actual_days: f64,
    /// The factor applied to the contractor's productivity.
    pub pace: f64,
}

/// The pace of every contractor with measured jobs, in the order of the
/// scenario's contractors. `project` is expanded from the scenario with the
/// events (its productivities are the nominal ones); `progress` is per
/// activity of `baseline`, whose contractors did the work.
pub fn estimate(
    project: &Project,
    baseline: &NetworkPlan,
    progress: &[ActivityProgress],
    data_date: NaiveDate,
) -> Vec<Pace> {
    let cal = &project.calendar;
    let prog = &project.programme;
    let mut sums: Vec<(usize, f64, f64)> = vec![(0, 0.0, 0.0); prog.contractors.len()];
    let by_id: std::collections::HashMap<&str, usize> = project
        .work
        .items
        .iter()
        .enumerate()
        .map(|(a, it)| (it.id.as_str(), a))
        .collect();
    for (b, p) in progress.iter().enumerate() {
        let (start, last, done) = match *p {
            ActivityProgress::Finished { start, finish } => (start, finish, 1.0),
            ActivityProgress::InProgress {
                start,
                remaining: Remaining::Percent(pc),
            } if pc > 0.0 => (start, data_date.pred_opt().unwrap_or(data_date), pc / 100.0),
            _ => continue,
        };
        let planned = &baseline.plan.activities[b];
        let Some(&a) = by_id.get(planned.id.as_str()) else {
            continue;
        };
        let item = &project.work.items[a];
        let Some(c) = prog.contractor(&planned.contractor) else {
            continue;
        };
        if item.crew_type.is_none() || item.work <= 0.0 || item.calendar_days || last < start {
            continue;
        }
        let profile = cal.profile(&item.tags, item.district);
        let day = |d: NaiveDate| (d - cal.start()).num_days();
        let (s, e) = (day(start), day(last));
        if s < 0 || e as usize >= profile.len() {
            continue;
        }
        // Its planned days had it started on its actual start at the
        // scenario's productivity (whole days, as the plan has them).
        let modes = &project.model.problem.activities[a].modes;
        let Some(end) = modes
            .iter()
            .find(|m| m.label == planned.contractor)
            .and_then(|m| m.timing.end(s as u32))
        else {
            continue;
        };
        let days = |from: i64, to: i64| -> f64 {
            profile[from as usize..(to as usize).min(profile.len())]
                .iter()
                .sum()
        };
        let nominal = days(s, i64::from(end)) * done;
        let actual = days(s, e + 1);
        if actual <= 0.0 || nominal <= 0.0 {
            continue;
        }
        let x = &mut sums[c.index()];
        x.0 += 1;
        x.1 += nominal;
        x.2 += actual;
    }
    sums.iter()
        .enumerate()
        .filter(|(_, s)| s.0 > 0)
        .map(|(c, &(jobs, planned, actual))| Pace {
            contractor: prog.contractors[c].id.clone(),
            jobs,
            planned_days: planned,
            actual_days: actual,
            pace: ((planned + PRIOR_DAYS) / (actual + PRIOR_DAYS))
                .clamp(PACE_RANGE.0, PACE_RANGE.1),
        })
        .collect()
}

/// Multiplies each measured contractor's productivity of every crew type
/// by its pace.
pub fn apply(programme: &mut Programme, paces: &[Pace]) {
    for p in paces {
        let Some(c) = programme
            .contractors
            .iter_mut()
            .find(|c| c.id == p.contractor)
        else {
            continue;
        };
        let types: Vec<String> = c.crews.keys().cloned().collect();
        for t in types {
            let now = c.productivity(&t);
            c.productivity.insert(t, now * p.pace);
        }
    }
}

/// The terminal's lines on the paces applied (empty when none).
pub fn summary(paces: &[Pace]) -> crate::lang::Both {
    if paces.is_empty() {
        return crate::lang::Both::default();
    }
    let mut out = crate::both!(
        "Planned at the pace measured on the actuals (--measured-pace):\n",
        "按实际进度测得的工效计划（--measured-pace）：\n"
    );
    for p in paces {
        let (c, x, n, plan, act) = (&p.contractor, p.pace, p.jobs, p.planned_days, p.actual_days);
        let line = crate::both!(
            "  {c}: {x:.2} × productivity ({n} jobs planned for {plan:.1} working days took {act:.1})\n",
            "  {c}：工效 × {x:.2}（{n} 项工作计划 {plan:.1} 个工作日，实际用了 {act:.1} 个）\n"
        );
        out.en += &line.en;
        out.zh += &line.zh;
    }
    out
}

/// pace.csv: one row per measured contractor.
pub fn csv(paces: &[Pace]) -> String {
    let mut d = crate::csv_text::Document::new();
    d.row(["contractor", "jobs", "planned_days", "actual_days", "pace"]);
    for p in paces {
        d.row([
            p.contractor.clone(),
            p.jobs.to_string(),
            format!("{:.1}", p.planned_days),
            format!("{:.1}", p.actual_days),
            format!("{:.3}", p.pace),
        ]);
    }
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tutorial and a plan of it.
    fn planned() -> (Project, NetworkPlan) {
        let (_, project, plan) = crate::replan::fixture::tutorial(20);
        (project, plan)
    }

    /// Progress on `date` had every job finished before it gone as planned,
    /// except that `slow`'s jobs took `factor` times their calendar days.
    fn progress(
        base: &NetworkPlan,
        date: NaiveDate,
        slow: &str,
        factor: i64,
    ) -> Vec<ActivityProgress> {
        base.plan
            .activities
            .iter()
            .map(|a| {
                let days = (a.finish - a.start).num_days() + 1;
                let k = if a.contractor == slow { factor } else { 1 };
                let finish = a.start + chrono::Duration::days(days * k - 1);
                if a.duration_days > 0 && finish < date {
                    ActivityProgress::Finished {
                        start: a.start,
                        finish,
                    }
                } else {
                    ActivityProgress::NotStarted
                }
            })
            .collect()
    }

    #[test]
    fn work_as_planned_keeps_the_pace_and_slow_work_lowers_it() {
        let (project, base) = planned();
        let date = NaiveDate::from_ymd_opt(2022, 7, 20).unwrap();
        // Everything as planned: every pace is 1.
        let paces = estimate(&project, &base, &progress(&base, date, "", 1), date);
        assert!(paces.iter().any(|p| p.contractor == "reli"));
        for p in &paces {
            assert!(p.jobs > 0 && p.actual_days > 0.0, "{p:?}");
            assert!((p.pace - 1.0).abs() < 0.02, "{p:?}");
        }
        // reli's jobs take twice as long: its pace is about a half (pulled
        // towards 1 by the prior), the others' stays.
        let slow = estimate(&project, &base, &progress(&base, date, "reli", 2), date);
        let reli = slow.iter().find(|p| p.contractor == "reli").unwrap();
        let expected = (reli.planned_days + PRIOR_DAYS) / (reli.actual_days + PRIOR_DAYS);
        assert!((reli.pace - expected.max(PACE_RANGE.0)).abs() < 1e-12);
        assert!(
            reli.pace < 0.8 && reli.actual_days > 1.8 * reli.planned_days,
            "{reli:?}"
        );
        for p in slow.iter().filter(|p| p.contractor != "reli") {
            assert!((p.pace - 1.0).abs() < 0.02, "{p:?}");
        }
        // Applied, reli's crews do less per day, the others' the same.
        let mut prog = project.programme.clone();
        apply(&mut prog, &slow);
        for (c, was) in project.programme.contractors.iter().enumerate() {
            let pace = slow
                .iter()
                .find(|p| p.contractor == was.id)
                .map_or(1.0, |p| p.pace);
            for t in was.crews.keys() {
                let now = prog.contractors[c].productivity(t);
                assert!((now - was.productivity(t) * pace).abs() < 1e-12);
            }
        }
    }
}
