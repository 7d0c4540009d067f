//! plan.xml: the plan as Microsoft Project XML (MSPDI), which MS Project and
//! ProjectLibre open.
//!
//! The document follows the order of the MSPDI schema, where every element
//! list is an ordered sequence:
//!
//! * the project header (`SaveVersion` first; 8-hour days 08:00–12:00 and
//!   13:00–17:00; durations shown in days);
//! * one base calendar: the scenario's rest weekdays are non-working days,
//!   public holidays are non-working exceptions, make-up days (调休) working
//!   exceptions. Bans, stop-work days and the rainy season apply only to some
//!   work, so they are not in the calendar: they are already in the planned
//!   dates and durations;
//! * tasks: UID 0 is the project summary, then a summary task per district
//!   (work without a district last), a summary task per pipe segment or
//!   station, and the activities, numbered by a WBS `district.element.step`;
//!   extra tasks and milestones sit directly under their district. Each
//!   activity has its planned start and finish, its duration in working days
//!   of the calendar (`PT…H0M0S`, 8 hours a day), a "start no earlier than"
//!   constraint on its planned start so that a levelled plan stays as
//!   planned when MS Project reschedules, the critical flag of the
//!   resource-driven analysis, and its predecessor links. Zero-duration
//!   activities are milestones, at 17:00 on the last day of the work they wait
//!   for;
//! * links keep their type (1 = FS, 3 = SS) and their lag, written in tenths
//!   of a minute with `LagFormat` 8 (elapsed days): heatplan's lags count
//!   calendar days (curing, permits), so an elapsed-day lag keeps the dates;
//! * each crew instance (`B/pipe/2`) is a work resource grouped by its
//!   contractor, assigned to the activities it does;
//! * a re-plan ([`mspdi_replan`]) adds its progress: the project's
//!   `StatusDate` (the data date), each started task's `PercentComplete`
//!   and `ActualStart`, and for finished work `ActualFinish`,
//!   `ActualDuration` and a zero `RemainingDuration`; and each task's dates
//!   in the plan it re-planned as `<Baseline>` number 0 (after the links, as
//!   the schema orders it), all of which MPXJ reads.

use super::wbs::breakdown;
use super::xml::XmlWriter;
use crate::plan::cpm::NetworkPlan;
use crate::plan::progress::Actual;
use crate::plan::variance::Variance;
use chrono::{Duration, NaiveDate};
use std::collections::HashMap;

/// Minutes of work in a day of the calendar.
const MINUTES_PER_DAY: i64 = 480;
/// Tenths of a minute in an elapsed day (the unit of `LinkLag` with `LagFormat` 8).
const LAG_TENTHS_PER_DAY: i64 = 24 * 60 * 10;
/// MSPDI `LagFormat` for elapsed days.
const LAG_FORMAT_ELAPSED_DAYS: u32 = 8;

fn start_time(d: NaiveDate) -> String {
    format!("{d}T08:00:00")
}

fn finish_time(d: NaiveDate) -> String {
    format!("{d}T17:00:00")
}

fn hours(h: i64) -> String {
    format!("PT{h}H0M0S")
}

/// Working days of the site calendar in `[from, to]` (inclusive dates).
fn working_days(np: &NetworkPlan, from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d <= to {
        if np.calendar.is_working(d) {
            n += 1;
        }
        d += Duration::days(1);
    }
    n
}

/// Task type of an element kind in the WBS.
fn has_element_summary(kind: &str) -> bool {
    kind == "segment" || kind == "station"
}

/// One row of the task list before numbering.
struct Row {
    name: String,
    wbs: String,
    level: u32,
    start: NaiveDate,
    finish: NaiveDate,
    /// Index of the activity (None for summary tasks).
    activity: Option<usize>,
}

/// Renders plan.xml.
pub fn mspdi(np: &NetworkPlan, lang: super::lang::Lang) -> String {
    mspdi_with_baseline(np, None, lang)
}

/// Renders a re-plan's plan.xml: [`mspdi`] with the progress (the project's
/// `StatusDate` = the data date; per started task `PercentComplete`,
/// `ActualStart` and, once finished, `ActualFinish`) and, per task, the
/// dates of the plan it re-planned as baseline 0 (`<Baseline>` with
/// `Number` 0, `Start`, `Finish`, `Duration`), so that MS Project or P6
/// (through MPXJ) shows the variance and does not move finished work.
pub fn mspdi_replan(np: &NetworkPlan, variance: &Variance, lang: super::lang::Lang) -> String {
    let baseline: HashMap<&str, (NaiveDate, NaiveDate)> = variance
        .activities
        .iter()
        .map(|a| (a.id.as_str(), a.baseline))
        .collect();
    mspdi_with_baseline(np, Some(&baseline), lang)
}

/// The percent complete of a started activity on the data date: as
/// reported, else by elapsed calendar days of its planned span.
fn percent_complete(a: &Actual, start: NaiveDate, finish: NaiveDate) -> f64 {
    if a.finish.is_some() {
        return 100.0;
    }
    if let Some(p) = a.percent_complete {
        return p;
    }
    let span = (finish - start).num_days() + 1;
    let done = (a.reported - start).num_days();
    (100.0 * done as f64 / span.max(1) as f64).clamp(0.0, 99.0)
}

fn mspdi_with_baseline(
    np: &NetworkPlan,
    baseline: Option<&HashMap<&str, (NaiveDate, NaiveDate)>>,
    lang: super::lang::Lang,
) -> String {
    let actual: HashMap<&str, &Actual> = np.actuals.iter().map(|a| (a.id.as_str(), a)).collect();
    let status_date = np.revision.as_ref().and_then(|r| r.data_date);
    let l = lang.labels();
    let plan = &np.plan;
    let acts = &plan.activities;
    // Milestones are dated by the plan (`plan::milestone_day`): start = finish.
    let span = |i: usize| -> (NaiveDate, NaiveDate) { (acts[i].start, acts[i].finish) };
    let mut rows: Vec<Row> = Vec::new();
    for (di, g) in breakdown(np).iter().enumerate() {
        let dname = if g.district.is_empty() {
            l.general.to_string()
        } else {
            np.district_name(&g.district)
        };
        let all: Vec<usize> = g
            .elements
            .iter()
            .flat_map(|e| e.activities.clone())
            .collect();
        let dwbs = format!("{}", di + 1);
        rows.push(Row {
            name: dname,
            wbs: dwbs.clone(),
            level: 1,
            start: all
                .iter()
                .map(|&i| span(i).0)
                .min()
                .unwrap_or(plan.window_start),
            finish: all
                .iter()
                .map(|&i| span(i).1)
                .max()
                .unwrap_or(plan.window_start),
            activity: None,
        });
        for (ei, e) in g.elements.iter().enumerate() {
            let ewbs = format!("{dwbs}.{}", ei + 1);
            if has_element_summary(&e.kind) {
                rows.push(Row {
                    name: e.element.clone(),
                    wbs: ewbs.clone(),
                    level: 2,
                    start: e
                        .activities
                        .iter()
                        .map(|&i| span(i).0)
                        .min()
                        .unwrap_or(plan.window_start),
                    finish: e
                        .activities
                        .iter()
                        .map(|&i| span(i).1)
                        .max()
                        .unwrap_or(plan.window_start),
                    activity: None,
                });
                for (k, &i) in e.activities.iter().enumerate() {
                    let (s, f) = span(i);
                    rows.push(Row {
                        name: format!("{} {}", acts[i].id, acts[i].name),
                        wbs: format!("{ewbs}.{}", k + 1),
                        level: 3,
                        start: s,
                        finish: f,
                        activity: Some(i),
                    });
                }
            } else {
                for &i in &e.activities {
                    let (s, f) = span(i);
                    rows.push(Row {
                        name: format!("{} {}", acts[i].id, acts[i].name),
                        wbs: ewbs.clone(),
                        level: 2,
                        start: s,
                        finish: f,
                        activity: Some(i),
                    });
                }
            }
        }
    }
    // Task UID of each activity (row k has UID k + 1; UID 0 is the project).
    let mut uid = vec![0usize; acts.len()];
    for (k, r) in rows.iter().enumerate() {
        if let Some(i) = r.activity {
            uid[i] = k + 1;
        }
    }
    let first = rows
        .iter()
        .map(|r| r.start)
        .min()
        .unwrap_or(plan.window_start);
    let last = rows
        .iter()
        .map(|r| r.finish)
        .max()
        .unwrap_or(plan.window_start);
    let work_week = 7 - np.calendar.rest_weekdays.len() as i64;

    let mut w = XmlWriter::new();
    w.open(
        "Project",
        &[("xmlns", "http://schemas.microsoft.com/project")],
    );
    w.leaf("SaveVersion", "14");
    w.leaf("Name", format!("{}.xml", plan.programme));
    w.leaf("Title", &plan.programme);
    w.leaf("ScheduleFromStart", "1");
    w.leaf("StartDate", start_time(first));
    w.leaf("FinishDate", finish_time(last));
    w.leaf("CriticalSlackLimit", "0");
    w.leaf("CalendarUID", "1");
    w.leaf("DefaultStartTime", "08:00:00");
    w.leaf("DefaultFinishTime", "17:00:00");
    w.leaf("MinutesPerDay", MINUTES_PER_DAY.to_string());
    w.leaf("MinutesPerWeek", (MINUTES_PER_DAY * work_week).to_string());
    w.leaf("DaysPerMonth", "20");
    w.leaf("DurationFormat", "7");
    w.leaf("HonorConstraints", "1");
    w.leaf("MultipleCriticalPaths", "1");
    w.leaf("WeekStartDay", "1");
    if let Some(d) = status_date {
        w.leaf("StatusDate", start_time(d));
    }
    calendar(&mut w, np);

    // The links into each activity, in the plan's order.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); acts.len()];
    for (l, link) in np.links.iter().enumerate() {
        if link.handover.is_none() {
            preds[link.to].push(l);
        }
    }
    w.open("Tasks", &[]);
    // The project summary.
    w.open("Task", &[]);
    w.leaf("UID", "0");
    w.leaf("ID", "0");
    w.leaf("Name", &plan.programme);
    w.leaf("Type", "1");
    w.leaf("IsNull", "0");
    w.leaf("WBS", "0");
    w.leaf("OutlineNumber", "0");
    w.leaf("OutlineLevel", "0");
    w.leaf("Start", start_time(first));
    w.leaf("Finish", finish_time(last));
    w.leaf("Duration", hours(8 * working_days(np, first, last)));
    w.leaf("DurationFormat", "7");
    w.leaf("Milestone", "0");
    w.leaf("Summary", "1");
    w.close();
    for (k, r) in rows.iter().enumerate() {
        w.open("Task", &[]);
        let id = (k + 1).to_string();
        w.leaf("UID", &id);
        w.leaf("ID", &id);
        w.leaf("Name", &r.name);
        w.leaf("Type", "1");
        w.leaf("IsNull", "0");
        w.leaf("WBS", &r.wbs);
        w.leaf("OutlineNumber", &r.wbs);
        w.leaf("OutlineLevel", r.level.to_string());
        let milestone = r.activity.is_some_and(|i| acts[i].duration_days == 0);
        w.leaf(
            "Start",
            if milestone {
                finish_time(r.start)
            } else {
                start_time(r.start)
            },
        );
        w.leaf("Finish", finish_time(r.finish));
        let days = if milestone {
            0
        } else {
            working_days(np, r.start, r.finish).max(1)
        };
        w.leaf("Duration", hours(8 * days));
        w.leaf("DurationFormat", "7");
        w.leaf("Milestone", if milestone { "1" } else { "0" });
        w.leaf("Summary", if r.activity.is_none() { "1" } else { "0" });
        if let Some(i) = r.activity {
            let critical = np.activities[i].resource.days.marked();
            w.leaf("Critical", if critical { "1" } else { "0" });
            // Progress, in the schema's order (after Critical, before the
            // constraint).
            if let Some(a) = actual.get(acts[i].id.as_str()) {
                let pct = percent_complete(a, acts[i].start, acts[i].finish);
                w.leaf("PercentComplete", format!("{}", pct.round() as i64));
                w.leaf(
                    "ActualStart",
                    if milestone {
                        finish_time(r.start)
                    } else {
                        start_time(r.start)
                    },
                );
                if a.finish.is_some() {
                    w.leaf("ActualFinish", finish_time(r.finish));
                    w.leaf("ActualDuration", hours(8 * days));
                    w.leaf("RemainingDuration", hours(0));
                }
            }
            // 4 = start no earlier than: keeps the levelled dates.
            w.leaf("ConstraintType", "4");
            w.leaf(
                "ConstraintDate",
                if milestone {
                    finish_time(r.start)
                } else {
                    start_time(r.start)
                },
            );
            for link in preds[i].iter().map(|&l| &np.links[l]) {
                w.open("PredecessorLink", &[]);
                w.leaf("PredecessorUID", uid[link.from].to_string());
                w.leaf("Type", if link.kind == "SS" { "3" } else { "1" });
                w.leaf("CrossProject", "0");
                w.leaf(
                    "LinkLag",
                    (link.day_lag as i64 * LAG_TENTHS_PER_DAY).to_string(),
                );
                w.leaf("LagFormat", LAG_FORMAT_ELAPSED_DAYS.to_string());
                w.close();
            }
            // Baseline 0: the plan this one re-planned (after the links).
            if let Some(&(s0, f0)) = baseline.and_then(|b| b.get(acts[i].id.as_str())) {
                w.open("Baseline", &[]);
                w.leaf("Number", "0");
                if milestone {
                    w.leaf("Start", finish_time(s0));
                    w.leaf("Finish", finish_time(s0));
                    w.leaf("Duration", hours(0));
                } else {
                    w.leaf("Start", start_time(s0));
                    w.leaf("Finish", finish_time(f0));
                    w.leaf("Duration", hours(8 * working_days(np, s0, f0).max(1)));
                }
                w.leaf("DurationFormat", "7");
                w.close();
            }
        }
        w.close();
    }
    w.close();

    // Crew instances as resources.
    let mut crews: Vec<(String, String)> = Vec::new();
    for a in acts {
        if !a.crew.is_empty() && !crews.iter().any(|(c, _)| c == &a.crew) {
            crews.push((a.crew.clone(), a.contractor.clone()));
        }
    }
    crews.sort();
    w.open("Resources", &[]);
    for (k, (name, contractor)) in crews.iter().enumerate() {
        w.open("Resource", &[]);
        let id = (k + 1).to_string();
        w.leaf("UID", &id);
        w.leaf("ID", &id);
        w.leaf("Name", name);
        w.leaf("Type", "1");
        w.leaf("IsNull", "0");
        w.leaf("Group", np.contractor_name(contractor));
        w.leaf("MaxUnits", "1.00");
        w.close();
    }
    w.close();
    w.open("Assignments", &[]);
    let mut n = 0;
    for (i, a) in acts.iter().enumerate() {
        let Some(r) = crews.iter().position(|(c, _)| c == &a.crew) else {
            continue;
        };
        n += 1;
        let (s, f) = span(i);
        w.open("Assignment", &[]);
        w.leaf("UID", n.to_string());
        w.leaf("TaskUID", uid[i].to_string());
        w.leaf("ResourceUID", (r + 1).to_string());
        w.leaf("Finish", finish_time(f));
        w.leaf("Start", start_time(s));
        w.leaf("Units", "1");
        w.leaf("Work", hours(8 * working_days(np, s, f).max(1)));
        w.close();
    }
    w.close();
    w.finish()
}

/// The base calendar: weekdays, holidays and make-up days.
fn calendar(w: &mut XmlWriter, np: &NetworkPlan) {
    let cal = &np.calendar;
    w.open("Calendars", &[]);
    w.open("Calendar", &[]);
    w.leaf("UID", "1");
    w.leaf("Name", "heatplan");
    w.leaf("IsBaseCalendar", "1");
    w.leaf("BaseCalendarUID", "-1");
    w.open("WeekDays", &[]);
    // DayType 1 = Sunday … 7 = Saturday; rest_weekdays count from Monday = 0.
    for day_type in 1..=7u32 {
        let from_monday = (day_type + 5) % 7;
        let working = !cal.rest_weekdays.contains(&from_monday);
        w.open("WeekDay", &[]);
        w.leaf("DayType", day_type.to_string());
        w.leaf("DayWorking", if working { "1" } else { "0" });
        if working {
            working_times(w);
        }
        w.close();
    }
    w.close();
    let mut exceptions: Vec<(NaiveDate, NaiveDate, String, bool)> = cal
        .holidays
        .iter()
        .map(|h| (h.from, h.to, h.name.clone(), false))
        .collect();
    for d in &cal.makeup_days {
        exceptions.push((*d, *d, format!("调休 {d}"), true));
    }
    exceptions.sort_by_key(|e| e.0);
    if !exceptions.is_empty() {
        w.open("Exceptions", &[]);
        for (from, to, name, working) in exceptions {
            w.open("Exception", &[]);
            w.leaf("EnteredByOccurrence", "0");
            w.open("TimePeriod", &[]);
            w.leaf("FromDate", format!("{from}T00:00:00"));
            w.leaf("ToDate", format!("{to}T23:59:00"));
            w.close();
            w.leaf("Occurrences", "1");
            w.leaf("Name", name);
            w.leaf("Type", "1");
            w.leaf("DayWorking", if working { "1" } else { "0" });
            if working {
                working_times(w);
            }
            w.close();
        }
        w.close();
    }
    w.close();
    w.close();
}

fn working_times(w: &mut XmlWriter) {
    w.open("WorkingTimes", &[]);
    for (a, b) in [("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")] {
        w.open("WorkingTime", &[]);
        w.leaf("FromTime", a);
        w.leaf("ToTime", b);
        w.close();
    }
    w.close();
}
