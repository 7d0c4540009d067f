//! Dates: the construction window, the deadline, calendar periods and
//! rest weekdays.
//!
//! Periods may reach beyond the construction window (a National Day holiday
//! after 30 September matters when work runs late), so a period is only
//! wrong when it lies entirely outside the planning horizon: the window plus
//! `overrun_days`.

use super::limits::{MAX_OVERRUN_DAYS, MAX_WINDOW_DAYS};
use super::Checker;
use crate::scenario::{parse_weekday, Date};
use chrono::Duration;
use std::ops::Range;
use toml::Spanned;

/// Runs the calendar checks.
pub(super) fn check(c: &mut Checker) {
    rest_weekdays(c);
    if !window(c) {
        return;
    }
    let horizon = horizon(c);
    periods(c, horizon);
    single_days(c, horizon);
}

/// The planning horizon: first and last day.
type Horizon = (Date, Date);

/// Checks the window and the deadline; false when the window is inverted
/// (then nothing else can be checked against it).
fn window(c: &mut Checker) -> bool {
    let p = &c.s.programme;
    let (start, end) = (*p.window_start.get_ref(), *p.window_end.get_ref());
    if end < start {
        c.error(
            p.window_end.span(),
            format!("window_end {} is before window_start {}", end.0, start.0),
            "window_end is the last day of the construction window; check the year and month \
             (e.g. window_start = 2022-04-01, window_end = 2022-09-30)",
        );
        return false;
    }
    let days = (end.0 - start.0).num_days() + 1;
    if days > MAX_WINDOW_DAYS {
        c.error(
            p.window_end.span(),
            format!(
                "the construction window {} to {} is {days} days long, more than the \
                 {MAX_WINDOW_DAYS} days (three years) heatplan plans at once",
                start.0, end.0
            ),
            "check the years of window_start and window_end; plan a longer programme as one \
             scenario per construction season",
        );
    }
    if p.overrun_days > MAX_OVERRUN_DAYS {
        let span = key_span(c, "overrun_days");
        c.error(
            span,
            format!(
                "overrun_days is {}, more than the {MAX_OVERRUN_DAYS} days allowed",
                p.overrun_days
            ),
            format!(
                "overrun_days is how many days after window_end the planner may use to show how \
                 late work would be; use at most {MAX_OVERRUN_DAYS} (the default is 92)"
            ),
        );
    } else if end
        .0
        .checked_add_signed(Duration::days(i64::from(p.overrun_days)))
        .is_none()
    {
        c.error(
            p.window_end.span(),
            format!(
                "window_end {} plus {} overrun days is past the last date heatplan can handle",
                end.0, p.overrun_days
            ),
            "check the year of window_end",
        );
    }
    let deadline = *p.deadline.get_ref();
    if deadline < start {
        c.error(
            p.deadline.span(),
            format!(
                "deadline {} is before the construction window starts ({})",
                deadline.0, start.0
            ),
            "the deadline is the day every station must be heat-ready, normally the last day \
             of the window (e.g. deadline = 2022-09-30)",
        );
    }
    true
}

/// The span of the first `key = …` in the file (`key` is a plain key that
/// has no span of its own, such as `overrun_days`), or the start of the
/// `[programme]` table when it is not found.
fn key_span(c: &Checker, key: &str) -> Range<usize> {
    let text = &c.src.text;
    let found = text.match_indices(key).find(|&(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + key.len()..].trim_start_matches([' ', '\t']);
        !before.is_some_and(|ch| ch.is_alphanumeric() || ch == '_') && after.starts_with('=')
    });
    match found {
        Some((at, _)) => at..at + key.len(),
        None => c.header_span(&["[programme]"]),
    }
}

/// The window plus the overrun days.
fn horizon(c: &Checker) -> Horizon {
    let p = &c.s.programme;
    let end = p.window_end.get_ref().0;
    let last = end
        .checked_add_signed(Duration::days(i64::from(p.overrun_days)))
        .unwrap_or(end);
    (*p.window_start.get_ref(), Date(last))
}

/// Describes the horizon for messages.
fn horizon_text(c: &Checker, (first, last): Horizon) -> String {
    format!(
        "the planning horizon {} to {} (the construction window plus {} overrun days)",
        first.0, last.0, c.s.programme.overrun_days
    )
}

/// A period's description, first day and last day (if given).
type NamedPeriod<'a> = (String, &'a Spanned<Date>, Option<&'a Spanned<Date>>);

/// Holidays, bans, stop-work and productivity periods: `to` not before
/// `from`, and overlapping the horizon.
fn periods(c: &mut Checker, horizon: Horizon) {
    let cal = &c.s.calendar;
    let mut all: Vec<NamedPeriod> = Vec::new();
    all.extend(
        cal.holidays
            .iter()
            .map(|p| (format!("holiday \"{}\"", p.name), &p.from, p.to.as_ref())),
    );
    all.extend(
        cal.bans
            .iter()
            .map(|p| (format!("ban \"{}\"", p.name), &p.from, p.to.as_ref())),
    );
    all.extend(cal.stop_work.iter().map(|p| {
        (
            format!("stop-work period \"{}\"", p.name),
            &p.from,
            p.to.as_ref(),
        )
    }));
    all.extend(cal.productivity.iter().map(|p| {
        (
            format!("productivity period \"{}\"", p.name),
            &p.from,
            Some(&p.to),
        )
    }));
    for (what, from, to) in all {
        period(c, horizon, &what, from, to);
    }
}

/// Checks one period.
fn period(
    c: &mut Checker,
    horizon: Horizon,
    what: &str,
    from: &Spanned<Date>,
    to: Option<&Spanned<Date>>,
) {
    let first = *from.get_ref();
    let last = to.map_or(first, |t| *t.get_ref());
    if let Some(to) = to.filter(|_| last < first) {
        c.error(
            to.span(),
            format!("{what}: `to` {} is before `from` {}", last.0, first.0),
            "`from` is the first day and `to` the last day (inclusive); swap them or correct the date",
        );
        return;
    }
    if last < horizon.0 || first > horizon.1 {
        c.error(
            from.span(),
            format!(
                "{what} ({} to {}) lies entirely outside {}",
                first.0,
                last.0,
                horizon_text(c, horizon)
            ),
            "check the year of the dates, or delete the period: it cannot affect this programme",
        );
    }
}

/// Make-up days, task start dates and milestone due dates inside the
/// horizon.
fn single_days(c: &mut Checker, horizon: Horizon) {
    let s = c.s;
    let mut all: Vec<(String, &Spanned<Date>)> = Vec::new();
    all.extend(
        s.calendar
            .makeup_days
            .iter()
            .map(|d| ("make-up working day".to_string(), d)),
    );
    for t in &s.tasks {
        all.extend(
            t.not_before
                .iter()
                .map(|d| (format!("task {}: not_before", t.id.get_ref()), d)),
        );
    }
    for m in &s.milestones {
        all.extend(
            m.due
                .iter()
                .map(|d| (format!("milestone {}: due date", m.id.get_ref()), d)),
        );
    }
    for (what, day) in all {
        let d = *day.get_ref();
        if d < horizon.0 || d > horizon.1 {
            c.error(
                day.span(),
                format!("{what} {} lies outside {}", d.0, horizon_text(c, horizon)),
                "check the year and month of the date",
            );
        }
    }
}

/// Rest weekdays must be weekday names.
fn rest_weekdays(c: &mut Checker) {
    for day in &c.s.calendar.rest_weekdays {
        if parse_weekday(day.get_ref()).is_none() {
            c.error(
                day.span(),
                format!("rest_weekdays: \"{}\" is not a weekday name", day.get_ref()),
                "use English weekday names, short or long: \"Sat\", \"Sun\", \"Saturday\", …",
            );
        }
    }
}
