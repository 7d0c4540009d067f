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
//! from = 2022-07-15             # on or before the data date
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
    /// Date of the change (on or before the data date).
    pub from: Spanned<Date>,
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
pub fn apply(
    src: &Source,
    scenario: &mut Scenario,
    baseline: &NetworkPlan,
    data_date: NaiveDate,
) -> Result<Vec<(usize, NaiveDate)>, Diagnostics> {
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
    for ch in &events.crew {
        if ch.from.get_ref().0 > data_date {
            let day = ch.from.get_ref().0;
            problems.push(src.diag(
                ch.from.span(),
                both!(
                    "the crew change on {day} is after the data date {data_date}",
                    "{day} 的班组变动晚于数据日期 {data_date}"
                ),
                both!(
                    "a re-plan keeps crew numbers fixed from the data date on; re-plan again on \
                     the day of the change",
                    "重新计划从数据日期起班组数量不变；请在变动当天再重新计划一次"
                ),
            ));
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
        Ok(not_before)
    } else {
        Err(Diagnostics(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Quality;
    use crate::schedule::budget::Budget;
    use crate::schedule::heuristic::heuristic;
    use crate::Project;

    /// The tutorial's scenario and a plan of it.
    fn tutorial() -> (Scenario, NetworkPlan) {
        let source = Source {
            file: "tutorial.toml".into(),
            text: include_str!("../../scenarios/tutorial.toml").to_string(),
        };
        let project = Project::load(&source).unwrap();
        let file = crate::scenario::parse(&source).unwrap();
        let budget = Budget::new(std::time::Duration::from_secs(10))
            .with_seed(0)
            .with_max_candidates(Some(5));
        let s = heuristic(&project.model.problem, &budget, None).unwrap();
        let quality = Quality {
            status: "heuristic".into(),
            objective: 0,
            bound: 0,
            gap: 0.0,
            seconds: 0.0,
            stop_reason: String::new(),
        };
        let plan = project.network_plan(&s, quality);
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
