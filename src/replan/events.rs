//! Events since the baseline (`--events events.toml`), applied to the
//! scenario file before it is validated ([`crate::scenario::check_edited`]) and
//! expanded again, so that the calendar, the end tables and the crew
//! capacities are recomputed by [`crate::Project::from_programme`].
//!
//! ```toml
//! [[stop_work]]                 # new stop-work days (heavy-pollution alert)
//! name = "orange alert"
//! from = 2022-07-18
//! to = 2022-07-20               # optional, default: one day
//! tags = ["earthworks"]         # optional: only this work (default: all)
//! districts = ["north"]         # optional: only here (default: everywhere)
//!
//! [[crew]]                      # a crew leaving (-1) or joining (+1)
//! contractor = "B"
//! crew = "pipe"
//! change = -1
//! from = 2022-07-15             # from this day on (may be after the data date)
//!
//! [[not_before]]                # a permit or an equipment delivery delayed
//! activity = "permit-river"     # or: element = "S07" (all its activities)
//! date = 2022-08-01
//!
//! [[segment]]                   # a segment re-measured
//! id = "P012"
//! length_m = 460.0
//! ```

use crate::both;
use crate::lang::Both;
use crate::plan::cpm::NetworkPlan;
use crate::scenario::validate::closest;
use crate::scenario::{Ban, Date, Diagnostic, Diagnostics, Scenario, Source, Text};
use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

/// The events file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Events {
    /// New stop-work periods.
    #[serde(default)]
    pub stop_work: Vec<StopWork>,
    /// Crews leaving or joining.
    #[serde(default)]
    pub crew: Vec<CrewChange>,
    /// Not-before dates on activities or elements.
    #[serde(default)]
    pub not_before: Vec<NotBefore>,
    /// Changed segment lengths.
    #[serde(default)]
    pub segment: Vec<SegmentChange>,
}

/// New stop-work days.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StopWork {
    /// Name shown in the calendar.
    #[serde(default)]
    pub name: String,
    /// First day.
    pub from: Spanned<Date>,
    /// Last day (default: `from`).
    pub to: Option<Spanned<Date>>,
    /// Work tags stopped (empty: all work).
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Districts stopped (empty: all).
    #[serde(default)]
    pub districts: Vec<Text>,
}

/// A change in a contractor's crews.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrewChange {
    /// Contractor id.
    pub contractor: Text,
    /// Crew type.
    pub crew: Text,
    /// Crews joining (positive) or leaving (negative).
    pub change: Spanned<i64>,
    /// First day of the change: on or before the data date it holds for the
    /// whole re-plan; after it, from that day on.
    pub from: Spanned<Date>,
}

/// Crews the scenario (as edited by the events) counts but that are not
/// there for a while after the data date: the capacity a crew change on a
/// future date leaves out. A crew joining on day `D` raises the
/// contractor's crews and is away from the data date until `D`; a crew
/// leaving on `D` is away from `D` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrewsAway {
    /// Contractor id.
    pub contractor: String,
    /// Crew type.
    pub crew: String,
    /// How many crews are away.
    pub crews: u32,
    /// First day away (on or after the data date).
    pub from: NaiveDate,
    /// First day back (`None`: to the end of the season).
    pub until: Option<NaiveDate>,
}

/// What a file of events changes beyond the scenario file itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    /// Earliest starts per activity index of the baseline plan.
    pub not_before: Vec<(usize, NaiveDate)>,
    /// Crews away for a while after the data date.
    pub crews_away: Vec<CrewsAway>,
}

/// An activity or all activities of an element may not start before a date.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotBefore {
    /// Activity id.
    pub activity: Option<Text>,
    /// Element id (segment, station, task, milestone).
    pub element: Option<Text>,
    /// Earliest start.
    pub date: Spanned<Date>,
}

/// A segment's new length.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentChange {
    /// Segment id.
    pub id: Text,
    /// New length in metres.
    pub length_m: Spanned<f64>,
}

/// Parses events and applies them to `scenario`. Returns the not-before
/// dates per activity index of the baseline plan, or every problem found.
/// Crew changes after the data date only raise the crews of those joining
/// (see [`apply_events`] for the days they are away).
pub fn apply(
    src: &Source,
    scenario: &mut Scenario,
    baseline: &NetworkPlan,
    data_date: NaiveDate,
) -> Result<Vec<(usize, NaiveDate)>, Diagnostics> {
    apply_events(src, scenario, baseline, data_date).map(|a| a.not_before)
}

/// Parses events and applies them to `scenario`: the not-before dates per
/// activity index of the baseline plan and the crews away after the data
/// date, or every problem found.
///
/// Crew changes on or before the data date change the contractor's crews.
/// Those after it are taken per contractor and crew type in date order:
/// the crews are raised by the most the changes ever add, and the
/// difference between that and the crews there on each day is returned as
/// [`CrewsAway`], which the re-plan holds with pinned placeholders
/// ([`super::future::Future::with_crews_away`]).
pub fn apply_events(
    src: &Source,
    scenario: &mut Scenario,
    baseline: &NetworkPlan,
    data_date: NaiveDate,
) -> Result<Applied, Diagnostics> {
    let events: Events = toml::from_str(&src.text).map_err(|e| {
        Diagnostics(vec![src.diag(
            e.span().unwrap_or(0..0),
            crate::scenario::toml_message(&e),
            both!(
                "see docs/replan.md for the events format",
                "事件文件的写法见 docs/replan.md"
            ),
        )])
    })?;
    let mut problems: Vec<Diagnostic> = Vec::new();
    let (w0, w1) = (
        scenario.programme.window_start.get_ref().0,
        scenario.programme.window_end.get_ref().0,
    );
    let hint = |wanted: &str, ids: &[&str]| {
        closest(wanted, ids.iter().copied())
            .map(|n| both!("did you mean \"{n}\"? ", "是不是“{n}”？"))
            .unwrap_or_default()
    };
    let in_window = |d: &Spanned<Date>, problems: &mut Vec<Diagnostic>| {
        let v = d.get_ref().0;
        if v < w0 || v > w1 {
            problems.push(src.diag(
                d.span(),
                both!(
                    "{v} is outside the construction window {w0} – {w1}",
                    "{v} 在施工期 {w0} – {w1} 之外"
                ),
                both!("give a date inside the window", "请给出施工期内的日期"),
            ));
        }
    };
    let districts: Vec<String> = scenario
        .districts
        .iter()
        .map(|d| d.id.get_ref().clone())
        .collect();
    let district_ids: Vec<&str> = districts.iter().map(|s| s.as_str()).collect();
    for sw in &events.stop_work {
        in_window(&sw.from, &mut problems);
        if let Some(to) = &sw.to {
            in_window(to, &mut problems);
            if to.get_ref() < sw.from.get_ref() {
                problems.push(src.diag(
                    to.span(),
                    both!("the stop-work ends before it starts", "停工的结束早于开始"),
                    both!("swap `from` and `to`", "请对调 `from` 和 `to`"),
                ));
            }
        }
        for d in &sw.districts {
            if !districts.contains(d.get_ref()) {
                let (id, Both { en: h, zh: h_zh }) =
                    (d.get_ref(), hint(d.get_ref(), &district_ids));
                problems.push(src.diag(
                    d.span(),
                    both!("unknown district `{id}`", "未知的辖区 `{id}`"),
                    both!(
                        "{h}use a district id of the scenario",
                        "{h_zh}请使用方案中的辖区编号"
                    ),
                ));
            }
        }
        scenario.calendar.stop_work.push(Ban {
            name: if sw.name.is_empty() {
                "stop-work (event)".into()
            } else {
                sw.name.clone()
            },
            from: sw.from.clone(),
            to: sw.to.clone(),
            tags: sw.tags.clone(),
            districts: sw.districts.clone(),
        });
    }
    let contractor_ids: Vec<String> = scenario
        .contractors
        .iter()
        .map(|c| c.id.get_ref().clone())
        .collect();
    // Changes after the data date, per contractor and crew type.
    let mut later: Vec<(String, String, &CrewChange)> = Vec::new();
    for ch in &events.crew {
        let future = ch.from.get_ref().0 > data_date;
        if future {
            in_window(&ch.from, &mut problems);
        }
        let Some(c) = scenario
            .contractors
            .iter_mut()
            .find(|c| c.id.get_ref() == ch.contractor.get_ref())
        else {
            let ids: Vec<&str> = contractor_ids.iter().map(|s| s.as_str()).collect();
            let id = ch.contractor.get_ref();
            let Both { en: h, zh: h_zh } = hint(id, &ids);
            problems.push(src.diag(
                ch.contractor.span(),
                both!("unknown contractor `{id}`", "未知的施工单位 `{id}`"),
                both!(
                    "{h}use a contractor id of the scenario",
                    "{h_zh}请使用方案中的施工单位编号"
                ),
            ));
            continue;
        };
        let crews: Vec<String> = c.crews.keys().cloned().collect();
        let Some(n) = c.crews.get_mut(ch.crew.get_ref()) else {
            let (id, crew, types) = (ch.contractor.get_ref(), ch.crew.get_ref(), crews.join(", "));
            problems.push(src.diag(
                ch.crew.span(),
                both!(
                    "contractor `{id}` has no `{crew}` crews",
                    "施工单位 `{id}` 没有 `{crew}` 班组"
                ),
                both!("its crew types are: {types}", "它的班组类型有：{types}"),
            ));
            continue;
        };
        if future {
            later.push((
                ch.contractor.get_ref().clone(),
                ch.crew.get_ref().clone(),
                ch,
            ));
            continue;
        }
        // Checked: `change` may be any 64-bit integer.
        let new = i64::from(*n.get_ref()).checked_add(*ch.change.get_ref());
        let Some(new) = new.filter(|v| (0..=i64::from(u32::MAX)).contains(v)) else {
            let left = i128::from(*n.get_ref()) + i128::from(*ch.change.get_ref());
            let has = n.get_ref();
            problems.push(src.diag(
                ch.change.span(),
                both!("{left} crews would be left", "将只剩 {left} 个班组"),
                both!(
                    "the contractor has {has} such crews",
                    "该施工单位有 {has} 个这类班组"
                ),
            ));
            continue;
        };
        *n = Spanned::new(n.span(), new as u32);
    }
    let crews_away = crews_away(src, scenario, &mut later, data_date, &mut problems);
    let mut not_before = Vec::new();
    let acts = &baseline.plan.activities;
    for nb in &events.not_before {
        let date = nb.date.get_ref().0;
        in_window(&nb.date, &mut problems);
        match (&nb.activity, &nb.element) {
            (Some(a), None) => match acts.iter().position(|x| &x.id == a.get_ref()) {
                Some(i) => not_before.push((i, date)),
                None => {
                    let ids: Vec<&str> = acts.iter().map(|x| x.id.as_str()).collect();
                    let id = a.get_ref();
                    let Both { en: h, zh: h_zh } = hint(id, &ids);
                    problems.push(src.diag(
                        a.span(),
                        both!("unknown activity `{id}`", "未知的工作 `{id}`"),
                        both!(
                            "{h}use an id of the plan's ledger.csv",
                            "{h_zh}请使用计划 ledger.csv 中的编号"
                        ),
                    ));
                }
            },
            (None, Some(e)) => {
                let mine: Vec<usize> = (0..acts.len())
                    .filter(|&i| &acts[i].element == e.get_ref())
                    .collect();
                if mine.is_empty() {
                    let mut ids: Vec<&str> = acts.iter().map(|x| x.element.as_str()).collect();
                    ids.dedup();
                    let id = e.get_ref();
                    let Both { en: h, zh: h_zh } = hint(id, &ids);
                    problems.push(src.diag(
                        e.span(),
                        both!("unknown element `{id}`", "未知的工程部位 `{id}`"),
                        both!(
                            "{h}use a segment, station, task or milestone id",
                            "{h_zh}请使用管段、热力站、任务或里程碑的编号"
                        ),
                    ));
                }
                not_before.extend(mine.into_iter().map(|i| (i, date)));
            }
            _ => problems.push(src.diag(
                nb.date.span(),
                both!(
                    "a not_before event needs exactly one of `activity` and `element`",
                    "not_before 事件必须且只能有 `activity` 和 `element` 之一"
                ),
                both!(
                    "write activity = \"ID\" or element = \"ID\"",
                    "请写 activity = \"编号\" 或 element = \"编号\""
                ),
            )),
        }
    }
    let segment_ids: Vec<String> = scenario
        .segments
        .iter()
        .map(|s| s.id.get_ref().clone())
        .collect();
    for sc in &events.segment {
        let len = *sc.length_m.get_ref();
        if !(len.is_finite() && len > 0.0 && len <= 1e6) {
            problems.push(src.diag(
                sc.length_m.span(),
                both!(
                    "length {len} m is not a positive length",
                    "长度 {len} 米不是正数"
                ),
                both!(
                    "give the new length in metres, e.g. 460.0",
                    "请给出以米计的新长度，例如 460.0"
                ),
            ));
            continue;
        }
        match scenario
            .segments
            .iter_mut()
            .find(|s| s.id.get_ref() == sc.id.get_ref())
        {
            Some(s) => s.length_m = sc.length_m.clone(),
            None => {
                let ids: Vec<&str> = segment_ids.iter().map(|s| s.as_str()).collect();
                let id = sc.id.get_ref();
                let Both { en: h, zh: h_zh } = hint(id, &ids);
                problems.push(src.diag(
                    sc.id.span(),
                    both!("unknown segment `{id}`", "未知的管段 `{id}`"),
                    both!(
                        "{h}use a segment id of the scenario",
                        "{h_zh}请使用方案中的管段编号"
                    ),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(Applied {
            not_before,
            crews_away,
        })
    } else {
        Err(Diagnostics(problems))
    }
}

/// The crews away after the data date for the changes `later` (contractor,
/// crew type, change; contractor and type known), raising the scenario's
/// crews by the most the changes of a type ever add. A day on which fewer
/// than no crews would be left is a problem at the change that causes it.
fn crews_away(
    src: &Source,
    scenario: &mut Scenario,
    later: &mut [(String, String, &CrewChange)],
    data_date: NaiveDate,
    problems: &mut Vec<Diagnostic>,
) -> Vec<CrewsAway> {
    later.sort_by(|a, b| {
        (&a.0, &a.1, a.2.from.get_ref().0).cmp(&(&b.0, &b.1, b.2.from.get_ref().0))
    });
    let mut away = Vec::new();
    for group in later.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1) {
        let (id, crew) = (&group[0].0, &group[0].1);
        let Some(n) = scenario
            .contractors
            .iter_mut()
            .find(|c| c.id.get_ref() == id)
            .and_then(|c| c.crews.get_mut(crew))
        else {
            continue;
        };
        let has = i128::from(*n.get_ref());
        // Crews added so far, after each change in date order.
        let mut added = 0i128;
        let mut steps: Vec<(NaiveDate, i128)> = Vec::new();
        let mut ok = true;
        for (_, _, ch) in group {
            added += i128::from(*ch.change.get_ref());
            let day = ch.from.get_ref().0;
            // Only the first day too few (or too many) is reported.
            if ok && (has + added < 0 || has + added > i128::from(u32::MAX)) {
                let left = has + added;
                problems.push(src.diag(
                    ch.change.span(),
                    both!(
                        "{left} `{crew}` crews of `{id}` would be left from {day} on",
                        "自 {day} 起 `{id}` 将只剩 {left} 个 `{crew}` 班组"
                    ),
                    both!(
                        "the contractor has {has} such crews on the data date {data_date} (after \
                         the changes before it)",
                        "该施工单位在数据日期 {data_date} 有 {has} 个这类班组（已计入此前的变动）"
                    ),
                ));
                ok = false;
            }
            match steps.last_mut() {
                Some(last) if last.0 == day => last.1 = added,
                _ => steps.push((day, added)),
            }
        }
        if !ok {
            continue;
        }
        let peak = steps.iter().map(|s| s.1).max().unwrap_or(0).max(0);
        *n = Spanned::new(n.span(), (has + peak) as u32);
        // Away: `peak − added` crews on each piece, from the data date on.
        let mut pieces = vec![(data_date, 0i128)];
        pieces.extend(steps.iter().copied());
        for (i, &(from, added)) in pieces.iter().enumerate() {
            let crews = peak - added;
            if crews > 0 {
                away.push(CrewsAway {
                    contractor: id.clone(),
                    crew: crew.clone(),
                    crews: crews as u32,
                    from,
                    until: pieces.get(i + 1).map(|p| p.0),
                });
            }
        }
    }
    away
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tutorial's scenario and a plan of it.
    fn tutorial() -> (Scenario, NetworkPlan) {
        let (source, _, plan) = crate::replan::fixture::tutorial(5);
        let file = crate::scenario::parse(&source).unwrap();
        (file, plan)
    }

    fn apply_text(text: &str) -> Result<Scenario, Diagnostics> {
        let (mut scenario, plan) = tutorial();
        let src = Source {
            file: "events.toml".into(),
            text: text.into(),
        };
        let date = NaiveDate::from_ymd_opt(2022, 7, 15).unwrap();
        apply(&src, &mut scenario, &plan, date).map(|_| scenario)
    }

    fn applied(text: &str) -> Result<(Scenario, Applied), Diagnostics> {
        let (mut scenario, plan) = tutorial();
        let src = Source {
            file: "events.toml".into(),
            text: text.into(),
        };
        let date = NaiveDate::from_ymd_opt(2022, 7, 15).unwrap();
        apply_events(&src, &mut scenario, &plan, date).map(|a| (scenario, a))
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, m, day).unwrap()
    }

    fn crew_change(crew: &str, change: i64, from: &str) -> String {
        format!("[[crew]]\ncontractor = \"reli\"\ncrew = \"{crew}\"\nchange = {change}\nfrom = {from}\n")
    }

    #[test]
    fn crews_leaving_and_joining_later_are_away_for_their_days() {
        // reli has 2 pipe crews: one leaves on 1 Aug, two join on 1 Sep.
        let text = crew_change("pipe", -1, "2022-08-01") + &crew_change("pipe", 2, "2022-09-01");
        let (s, a) = applied(&text).unwrap();
        let reli = s
            .contractors
            .iter()
            .find(|c| c.id.get_ref() == "reli")
            .unwrap();
        // The most ever there: 2 - 1 + 2 = 3 from 1 Sep on.
        assert_eq!(*reli.crews["pipe"].get_ref(), 3);
        let away = |crews, from, until| CrewsAway {
            contractor: "reli".into(),
            crew: "pipe".into(),
            crews,
            from,
            until,
        };
        assert_eq!(
            a.crews_away,
            vec![
                away(1, d(7, 15), Some(d(8, 1))),
                away(2, d(8, 1), Some(d(9, 1))),
            ]
        );
        // A crew leaving for good is away to the end; the count stays.
        let (s, a) = applied(&crew_change("testing", -1, "2022-08-10")).unwrap();
        let reli = s
            .contractors
            .iter()
            .find(|c| c.id.get_ref() == "reli")
            .unwrap();
        assert_eq!(*reli.crews["testing"].get_ref(), 1);
        assert_eq!(
            a.crews_away,
            vec![CrewsAway {
                contractor: "reli".into(),
                crew: "testing".into(),
                crews: 1,
                from: d(8, 10),
                until: None
            }]
        );
    }

    #[test]
    fn bad_later_crew_changes_are_located_in_both_languages() {
        // Three of two pipe crews leave in two steps; a date past the window;
        // an unknown crew type on a later date.
        let text = crew_change("pipe", -2, "2022-08-01")
            + &crew_change("pipe", -1, "2022-09-01")
            + &crew_change("pipe", 1, "2023-03-01")
            + &crew_change("piping", 1, "2022-08-01");
        let e = applied(&text).unwrap_err();
        assert_eq!(e.0.len(), 3, "{e}");
        let lines: Vec<usize> = e.0.iter().map(|x| x.location.line).collect();
        // The window error (line 15), the unknown type (line 18), then the
        // step that leaves -1 crews (line 9).
        assert!(
            lines.contains(&15) && lines.contains(&18) && lines.contains(&9),
            "{e}"
        );
        let neg = e.0.iter().find(|x| x.location.line == 9).unwrap();
        assert_eq!(
            neg.message.en,
            "-1 `pipe` crews of `reli` would be left from 2022-09-01 on"
        );
        assert!(neg.message.zh.contains("将只剩 -1 个"));
        assert!(!neg.help.zh.is_empty() && !neg.help.en.is_empty());
    }

    #[test]
    fn a_toml_error_without_text_still_gets_a_message() {
        // Found by the fuzzer: the TOML parser's own message is empty for a
        // carriage return not followed by a line feed.
        let d = apply_text("\r\r6629223*37.0\n").unwrap_err();
        assert_eq!(d.0.len(), 1);
        assert!(d.0[0].message.en.starts_with("invalid TOML syntax"), "{d}");
        assert_eq!(d.0[0].location.line, 1);
    }

    #[test]
    fn crew_change_near_the_i64_limits_is_an_error_not_an_overflow() {
        for change in [i64::MAX, i64::MIN, -3, 1 << 32] {
            let text = format!(
                "[[crew]]\ncontractor = \"reli\"\ncrew = \"pipe\"\nchange = {change}\nfrom = 2022-07-01\n"
            );
            let d = apply_text(&text).unwrap_err();
            assert_eq!(d.0.len(), 1, "{d}");
            let left = 2 + i128::from(change);
            assert_eq!(d.0[0].message.en, format!("{left} crews would be left"));
            assert_eq!(d.0[0].location.line, 4, "{d}");
        }
        let text =
            "[[crew]]\ncontractor = \"reli\"\ncrew = \"pipe\"\nchange = -2\nfrom = 2022-07-01\n";
        let s = apply_text(text).unwrap();
        let reli = s.contractors.iter().find(|c| c.id.get_ref() == "reli");
        assert_eq!(*reli.unwrap().crews["pipe"].get_ref(), 0);
    }
}
