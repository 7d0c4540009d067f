//! Dates: the construction window, the deadline, calendar periods and
//! rest weekdays.
//!
//! Periods may reach beyond the construction window (a National Day holiday
//! after 30 September matters when work runs late), so a period is only
//! wrong when it lies entirely outside the planning horizon: the window plus
//! `overrun_days`.

use super::limits::{MAX_OVERRUN_DAYS, MAX_WINDOW_DAYS};
use super::Checker;
use crate::both;
use crate::lang::Both;
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
        let (start, end) = (start.0, end.0);
        c.error(
            p.window_end.span(),
            both!(
                "window_end {end} is before window_start {start}",
                "施工期结束日 window_end {end} 早于开始日 window_start {start}"
            ),
            both!(
                "window_end is the last day of the construction window; check the year and month \
                 (e.g. window_start = 2022-04-01, window_end = 2022-09-30)",
                "window_end 是施工期的最后一天；请检查年份和月份\
                 （例如 window_start = 2022-04-01，window_end = 2022-09-30）"
            ),
        );
        return false;
    }
    let days = (end.0 - start.0).num_days() + 1;
    if days > MAX_WINDOW_DAYS {
        let (first, last) = (start.0, end.0);
        c.error(
            p.window_end.span(),
            both!(
                "the construction window {first} to {last} is {days} days long, more than the \
                 {MAX_WINDOW_DAYS} days (three years) heatplan plans at once",
                "施工期 {first} 至 {last} 长 {days} 天，超过 heatplan 一次能计划的 \
                 {MAX_WINDOW_DAYS} 天（三年）"
            ),
            both!(
                "check the years of window_start and window_end; plan a longer programme as one \
                 scenario per construction season",
                "请检查 window_start 和 window_end 的年份；更长的工程请每个施工季做一个方案文件"
            ),
        );
    }
    if p.overrun_days > MAX_OVERRUN_DAYS {
        let span = key_span(c, "overrun_days");
        let overrun = p.overrun_days;
        c.error(
            span,
            both!(
                "overrun_days is {overrun}, more than the {MAX_OVERRUN_DAYS} days allowed",
                "overrun_days 为 {overrun}，超过允许的 {MAX_OVERRUN_DAYS} 天"
            ),
            both!(
                "overrun_days is how many days after window_end the planner may use to show how \
                 late work would be; use at most {MAX_OVERRUN_DAYS} (the default is 92)",
                "overrun_days 是 window_end 之后计划可以用来显示延误程度的天数；\
                 最多 {MAX_OVERRUN_DAYS}（默认 92）"
            ),
        );
    } else if end
        .0
        .checked_add_signed(Duration::days(i64::from(p.overrun_days)))
        .is_none()
    {
        let (end, overrun) = (end.0, p.overrun_days);
        c.error(
            p.window_end.span(),
            both!(
                "window_end {end} plus {overrun} overrun days is past the last date heatplan can \
                 handle",
                "window_end {end} 加上 {overrun} 天超期天数，超出了 heatplan 能处理的最晚日期"
            ),
            both!("check the year of window_end", "请检查 window_end 的年份"),
        );
    }
    let deadline = *p.deadline.get_ref();
    if deadline < start {
        let (deadline, start) = (deadline.0, start.0);
        c.error(
            p.deadline.span(),
            both!(
                "deadline {deadline} is before the construction window starts ({start})",
                "期限 deadline {deadline} 早于施工期开始（{start}）"
            ),
            both!(
                "the deadline is the day every station must be heat-ready, normally the last day \
                 of the window (e.g. deadline = 2022-09-30)",
                "期限是所有热力站必须具备供热条件的日期，通常是施工期的最后一天\
                 （例如 deadline = 2022-09-30）"
            ),
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
fn horizon_text(c: &Checker, (first, last): Horizon) -> Both {
    let (first, last, overrun) = (first.0, last.0, c.s.programme.overrun_days);
    both!(
        "the planning horizon {first} to {last} (the construction window plus {overrun} overrun \
         days)",
        "计划期 {first} 至 {last}（施工期加 {overrun} 天超期天数）"
    )
}

/// A period's description, first day and last day (if given).
type NamedPeriod<'a> = (Both, &'a Spanned<Date>, Option<&'a Spanned<Date>>);

/// Holidays, bans, stop-work and productivity periods: `to` not before
/// `from`, and overlapping the horizon.
fn periods(c: &mut Checker, horizon: Horizon) {
    let cal = &c.s.calendar;
    let mut all: Vec<NamedPeriod> = Vec::new();
    let named = |en: &str, zh: &str, name: &str| both!("{en} \"{name}\"", "{zh}“{name}”");
    all.extend(
        cal.holidays
            .iter()
            .map(|p| (named("holiday", "节假日", &p.name), &p.from, p.to.as_ref())),
    );
    all.extend(cal.bans.iter().map(|p| {
        (
            named("ban", "禁止施工时段", &p.name),
            &p.from,
            p.to.as_ref(),
        )
    }));
    all.extend(cal.stop_work.iter().map(|p| {
        (
            named("stop-work period", "停工时段", &p.name),
            &p.from,
            p.to.as_ref(),
        )
    }));
    all.extend(cal.productivity.iter().map(|p| {
        (
            named("productivity period", "降效时段", &p.name),
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
    what: &Both,
    from: &Spanned<Date>,
    to: Option<&Spanned<Date>>,
) {
    let first = *from.get_ref();
    let last = to.map_or(first, |t| *t.get_ref());
    let Both { en, zh } = what;
    let (a, b) = (first.0, last.0);
    if let Some(to) = to.filter(|_| last < first) {
        c.error(
            to.span(),
            both!(
                "{en}: `to` {b} is before `from` {a}",
                "{zh}：结束日 `to` {b} 早于开始日 `from` {a}"
            ),
            both!(
                "`from` is the first day and `to` the last day (inclusive); swap them or correct \
                 the date",
                "`from` 是第一天，`to` 是最后一天（含当天）；请对调或改正日期"
            ),
        );
        return;
    }
    if last < horizon.0 || first > horizon.1 {
        let Both { en: h, zh: h_zh } = horizon_text(c, horizon);
        c.error(
            from.span(),
            both!(
                "{en} ({a} to {b}) lies entirely outside {h}",
                "{zh}（{a} 至 {b}）完全在{h_zh}之外"
            ),
            both!(
                "check the year of the dates, or delete the period: it cannot affect this \
                 programme",
                "请检查日期的年份，或删除该时段：它不会影响本工程"
            ),
        );
    }
}

/// Make-up days, task start dates and milestone due dates inside the
/// horizon.
fn single_days(c: &mut Checker, horizon: Horizon) {
    let s = c.s;
    let mut all: Vec<(Both, &Spanned<Date>)> = Vec::new();
    all.extend(
        s.calendar
            .makeup_days
            .iter()
            .map(|d| (both!("make-up working day", "调休工作日"), d)),
    );
    for t in &s.tasks {
        let id = t.id.get_ref();
        all.extend(t.not_before.iter().map(|d| {
            (
                both!("task {id}: not_before", "任务 {id}：最早开始日 not_before"),
                d,
            )
        }));
    }
    for m in &s.milestones {
        let id = m.id.get_ref();
        all.extend(m.due.iter().map(|d| {
            (
                both!("milestone {id}: due date", "里程碑 {id}：目标日期"),
                d,
            )
        }));
    }
    for (Both { en, zh }, day) in all {
        let d = day.get_ref().0;
        if day.get_ref() < &horizon.0 || day.get_ref() > &horizon.1 {
            let Both { en: h, zh: h_zh } = horizon_text(c, horizon);
            c.error(
                day.span(),
                both!("{en} {d} lies outside {h}", "{zh} {d} 在{h_zh}之外"),
                both!(
                    "check the year and month of the date",
                    "请检查该日期的年份和月份"
                ),
            );
        }
    }
}

/// Rest weekdays must be weekday names.
fn rest_weekdays(c: &mut Checker) {
    for day in &c.s.calendar.rest_weekdays {
        if parse_weekday(day.get_ref()).is_none() {
            let name = day.get_ref();
            c.error(
                day.span(),
                both!(
                    "rest_weekdays: \"{name}\" is not a weekday name",
                    "rest_weekdays（休息日）：“{name}”不是星期名称"
                ),
                both!(
                    "use English weekday names, short or long: \"Sat\", \"Sun\", \"Saturday\", …",
                    "请用英文星期名称，缩写或全称均可：\"Sat\"、\"Sun\"、\"Saturday\"……"
                ),
            );
        }
    }
}
