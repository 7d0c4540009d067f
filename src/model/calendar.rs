//! Working days, bans and productivity, turned into what solvers need.
//!
//! A [`Calendar`] is built once from the scenario's `[calendar]` table. It
//! answers one question per day: how much of a normal day's output can work
//! with these tags, in this district, achieve on that day? Rest weekdays,
//! public holidays, bans (e.g. the gaokao noise ban near schools) and
//! stop-work days (heavy-pollution alerts) give 0; a productivity period
//! (the rainy season) gives its factor; make-up working days (调休) turn a rest
//! weekday into a working day.
//!
//! An activity needing `work` crew-days then starts on a day with output and
//! ends on the first day its accumulated output reaches `work`. Doing this for
//! every possible start gives the end table ([`Timing::Table`]) the solvers
//! use, so no solver ever sees a date.

use crate::scenario::programme::{Ban, DistrictId, Period};
use crate::scenario::validate::limits::MAX_HORIZON_DAYS;
use crate::scenario::Programme;
use crate::schedule::{Day, Timing};
use chrono::{Datelike, Duration, NaiveDate};

/// Output below this is treated as no work (guards rounding).
const EPS: f64 = 1e-9;

/// A date range (inclusive) as day indices, with the tags and districts it applies to.
#[derive(Debug, Clone, PartialEq)]
struct Rule {
    name: String,
    first: i64,
    last: i64,
    tags: Vec<String>,
    districts: Vec<DistrictId>,
    factor: f64,
}

impl Rule {
    fn applies(&self, day: i64, tags: &[String], district: Option<DistrictId>) -> bool {
        day >= self.first
            && day <= self.last
            && (self.tags.is_empty() || self.tags.iter().any(|t| tags.contains(t)))
            && (self.districts.is_empty() || district.is_some_and(|d| self.districts.contains(&d)))
    }
}

/// The programme's calendar on the day grid that starts at the window start.
#[derive(Debug, Clone, PartialEq)]
pub struct Calendar {
    start: NaiveDate,
    horizon: Day,
    rest: [bool; 7],
    holiday: Vec<bool>,
    makeup: Vec<bool>,
    bans: Vec<Rule>,
    /// How many of `bans` (the first ones) are bans; the rest are stop-work days.
    ban_count: usize,
    factors: Vec<Rule>,
    holidays: Vec<Rule>,
}

/// Why a day gives no output for some work: the calendar rule that stops it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdleReason {
    /// A rest weekday (e.g. Sunday) that is not a make-up working day.
    RestDay,
    /// A public holiday, by name.
    Holiday(String),
    /// A ban on work with some tags (e.g. the gaokao noise ban), by name.
    Ban(String),
    /// A stop-work day (e.g. a heavy-pollution alert), by name.
    StopWork(String),
}

impl Calendar {
    /// Builds the calendar for the programme's window plus its overrun days.
    /// Validation has bounded its horizon by [`MAX_HORIZON_DAYS`], and the
    /// tables built here have one entry per day of it (a longer window
    /// would be cut to that length rather than exhausting memory).
    ///
    /// [`MAX_HORIZON_DAYS`]: crate::scenario::validate::limits::MAX_HORIZON_DAYS
    pub fn new(programme: &Programme) -> Calendar {
        let spec = &programme.calendar;
        let start = programme.window_start;
        let end = programme.window_end;
        let days = ((end - start).num_days() + 1).clamp(0, MAX_HORIZON_DAYS);
        let horizon = (days + i64::from(programme.overrun_days)).min(MAX_HORIZON_DAYS) as Day;
        let mut rest = [false; 7];
        for d in &spec.rest_weekdays {
            rest[d.num_days_from_monday() as usize] = true;
        }
        let mut cal = Calendar {
            start,
            horizon,
            rest,
            holiday: vec![false; horizon as usize],
            makeup: vec![false; horizon as usize],
            bans: Vec::new(),
            ban_count: spec.bans.len(),
            factors: Vec::new(),
            holidays: Vec::new(),
        };
        for h in &spec.holidays {
            let (a, b) = cal.range(h);
            for d in a.max(0)..=b.min(horizon as i64 - 1) {
                cal.holiday[d as usize] = true;
            }
            cal.holidays.push(Rule {
                name: h.name.clone(),
                first: a,
                last: b,
                tags: Vec::new(),
                districts: Vec::new(),
                factor: 0.0,
            });
        }
        for &m in &spec.makeup_days {
            if let Some(d) = cal.day_of(m) {
                cal.makeup[d as usize] = true;
            }
        }
        cal.bans = spec
            .bans
            .iter()
            .chain(&spec.stop_work)
            .map(|b| cal.ban_rule(b))
            .collect();
        cal.factors = spec
            .productivity
            .iter()
            .map(|p| {
                let (first, last) = cal.range(&p.period);
                Rule {
                    name: p.period.name.clone(),
                    first,
                    last,
                    tags: p.tags.clone(),
                    districts: Vec::new(),
                    factor: p.factor,
                }
            })
            .collect();
        cal
    }

    /// A period's first and last day on the grid (perhaps off it).
    fn range(&self, p: &Period) -> (i64, i64) {
        (
            (p.from - self.start).num_days(),
            (p.to - self.start).num_days(),
        )
    }

    fn ban_rule(&self, b: &Ban) -> Rule {
        let (first, last) = self.range(&b.period);
        Rule {
            name: b.period.name.clone(),
            first,
            last,
            tags: b.tags.clone(),
            districts: b.districts.clone(),
            factor: 0.0,
        }
    }

    /// Number of days on the grid (window plus overrun).
    pub fn horizon(&self) -> Day {
        self.horizon
    }

    /// The first day of the grid (the window start).
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The date of a day index.
    pub fn date(&self, day: Day) -> NaiveDate {
        self.start + Duration::days(day as i64)
    }

    /// The day index of a date, if it is on the grid.
    pub fn day_of(&self, date: NaiveDate) -> Option<Day> {
        let d = (date - self.start).num_days();
        (0..self.horizon as i64).contains(&d).then_some(d as Day)
    }

    /// True when the day is a working day for the site as a whole (not a
    /// rest weekday unless made up, not a holiday).
    pub fn is_working_day(&self, day: Day) -> bool {
        let i = day as usize;
        if i >= self.holiday.len() || self.holiday[i] {
            return false;
        }
        let wd = self.date(day).weekday().num_days_from_monday() as usize;
        !self.rest[wd] || self.makeup[i]
    }

    /// The names-free reason a day is stopped for work with `tags` in
    /// `district`: true when a ban or stop-work rule applies.
    pub fn is_banned(&self, day: Day, tags: &[String], district: Option<DistrictId>) -> bool {
        self.bans
            .iter()
            .any(|r| r.applies(day as i64, tags, district))
    }

    /// Fraction of a normal day's output achieved on `day` by work with
    /// `tags` in `district` (0 on non-working or banned days).
    pub fn output(&self, day: Day, tags: &[String], district: Option<DistrictId>) -> f64 {
        if !self.is_working_day(day) || self.is_banned(day, tags, district) {
            return 0.0;
        }
        self.factors
            .iter()
            .filter(|r| r.applies(day as i64, tags, district))
            .map(|r| r.factor)
            .fold(1.0, f64::min)
    }

    /// Why work with `tags` in `district` gives no output on `day`, or `None`
    /// when it works that day (perhaps slowed, see [`Calendar::slowdown`]).
    /// A holiday is named before a ban, a ban before a rest weekday.
    pub fn idle_reason(
        &self,
        day: Day,
        tags: &[String],
        district: Option<DistrictId>,
    ) -> Option<IdleReason> {
        let i = day as usize;
        if i < self.holiday.len() && self.holiday[i] {
            let name = self
                .holidays
                .iter()
                .find(|r| r.applies(day as i64, tags, district))
                .map_or_else(String::new, |r| r.name.clone());
            return Some(IdleReason::Holiday(name));
        }
        if let Some((k, r)) = self
            .bans
            .iter()
            .enumerate()
            .find(|(_, r)| r.applies(day as i64, tags, district))
        {
            return Some(if k < self.ban_count {
                IdleReason::Ban(r.name.clone())
            } else {
                IdleReason::StopWork(r.name.clone())
            });
        }
        if !self.is_working_day(day) {
            return Some(IdleReason::RestDay);
        }
        None
    }

    /// The productivity period slowing work with `tags` on `day`, with its
    /// factor (the lowest when several apply), or `None` at full speed.
    pub fn slowdown(
        &self,
        day: Day,
        tags: &[String],
        district: Option<DistrictId>,
    ) -> Option<(String, f64)> {
        self.factors
            .iter()
            .filter(|r| r.applies(day as i64, tags, district) && r.factor < 1.0)
            .min_by(|a, b| a.factor.total_cmp(&b.factor))
            .map(|r| (r.name.clone(), r.factor))
    }

    /// Daily output of work with `tags` in `district`, for every day of the grid.
    pub fn profile(&self, tags: &[String], district: Option<DistrictId>) -> Vec<f64> {
        (0..self.horizon)
            .map(|d| self.output(d, tags, district))
            .collect()
    }

    /// A profile in which every day counts fully (calendar-day tasks).
    pub fn every_day(&self) -> Vec<f64> {
        vec![1.0; self.horizon as usize]
    }
}

/// The end table for `work` crew-days on a daily output profile: started on a
/// day with output, the activity ends (exclusive) the day after its
/// accumulated output reaches `work`. Zero work gives a milestone.
pub fn end_table(profile: &[f64], work: f64) -> Timing {
    if work <= EPS {
        return Timing::Fixed(0);
    }
    let h = profile.len();
    let mut table = vec![Timing::NO_START; h + 1];
    // Two pointers: `e` only moves forward as `s` does.
    let mut e = 0usize;
    let mut acc = 0.0f64;
    for s in 0..h {
        if e < s {
            e = s;
            acc = 0.0;
        }
        while e < h && acc < work - EPS {
            acc += profile[e];
            e += 1;
        }
        if profile[s] > EPS && acc >= work - EPS {
            table[s] = e as Day;
        }
        if e > s {
            acc -= profile[s];
        }
    }
    Timing::Table(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load, Source};

    /// A small valid scenario with districts `north` (index 0) and `south`
    /// (index 1), work tagged `earthworks` and `near_school`, and the
    /// calendar below plus `extra`.
    fn cal(extra: &str) -> Calendar {
        let text = format!(
            r#"
[programme]
name = "t"
window_start = 2022-04-01
window_end = 2022-04-30
deadline = 2022-04-30
overrun_days = 10
[templates]
segment = [{{ key = "dig", name = "Dig", crew = "pipe", days = 1, tags = ["earthworks", "near_school"] }}]
station = [{{ key = "build", name = "Build", crew = "pipe", days = 1 }}]
[calendar]
rest_weekdays = ["Sun"]
makeup_days = [2022-04-24]
holidays = [{{ name = "Qingming", from = 2022-04-03, to = 2022-04-05 }}]
{extra}
[[sources]]
id = "PLANT"
node = "N0"
[[nodes]]
id = "N0"
[[nodes]]
id = "N1"
[[segments]]
id = "P1"
from = "N0"
to = "N1"
length_m = 100.0
dn = 300
district = "north"
[[stations]]
id = "S1"
node = "N1"
heated_area_m2 = 1000.0
households = 10
district = "south"
[[districts]]
id = "north"
contractors = ["C"]
max_open_trenches = 1
[[districts]]
id = "south"
contractors = ["C"]
max_open_trenches = 1
[[contractors]]
id = "C"
crews = {{ pipe = 1 }}
"#
        );
        let p = load(&Source {
            file: "t.toml".into(),
            text,
        })
        .unwrap_or_else(|d| panic!("{d}"));
        Calendar::new(&p)
    }

    const NORTH: DistrictId = DistrictId::new(0);
    const SOUTH: DistrictId = DistrictId::new(1);

    #[test]
    fn rest_days_holidays_and_makeup_days() {
        let c = cal("");
        assert_eq!(c.horizon(), 40);
        // 2022-04-01 is a Friday, 04-02 Saturday, 04-03 Sunday (holiday too).
        assert!(c.is_working_day(0));
        assert!(c.is_working_day(1));
        assert!(!c.is_working_day(2));
        assert!(!c.is_working_day(3)); // Monday 04-04, holiday
        assert!(!c.is_working_day(4));
        assert!(c.is_working_day(5));
        assert!(!c.is_working_day(9)); // Sunday 04-10
        assert!(c.is_working_day(23)); // Sunday 04-24, a make-up day
    }

    #[test]
    fn bans_apply_by_tag_and_district() {
        let c = cal(r#"[[calendar.bans]]
name = "gaokao"
from = 2022-04-07
to = 2022-04-08
tags = ["near_school"]
[[calendar.stop_work]]
name = "orange alert"
from = 2022-04-11
tags = ["earthworks"]
districts = ["north"]"#);
        let school = vec!["near_school".to_string()];
        let earth = vec!["earthworks".to_string()];
        assert_eq!(c.output(6, &school, None), 0.0);
        assert_eq!(c.output(6, &earth, None), 1.0);
        assert_eq!(c.output(10, &earth, Some(NORTH)), 0.0);
        assert_eq!(c.output(10, &earth, Some(SOUTH)), 1.0);
    }

    #[test]
    fn productivity_stretches_durations() {
        let c = cal(r#"[[calendar.productivity]]
name = "rain"
from = 2022-04-11
to = 2022-04-20
factor = 0.5
tags = ["earthworks"]"#);
        let earth = vec!["earthworks".to_string()];
        let t = end_table(&c.profile(&earth, None), 3.0);
        // From Monday 04-11 (day 10) at half speed: 6 working days, 04-11..04-16.
        assert_eq!(t.end(10), Some(16));
        // Not on a Sunday.
        assert_eq!(t.end(9), None);
        // Friday 04-01: Fri, Sat, (Sun and two holidays), Wed 04-06.
        let plain = end_table(&c.profile(&[], None), 3.0);
        assert_eq!(plain.end(0), Some(6));
        // Too close to the end of the grid.
        assert_eq!(plain.end(39), None);
    }

    #[test]
    fn fractional_work_and_milestones() {
        let t = end_table(&[1.0; 10], 2.5);
        assert_eq!(t.end(0), Some(3));
        assert_eq!(end_table(&[1.0; 10], 0.0), Timing::Fixed(0));
    }
}
