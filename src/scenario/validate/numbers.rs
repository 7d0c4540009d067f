//! Numbers out of range: lengths, diameters, areas, durations, rates and
//! productivity factors, households and lags. NaN and infinity are always
//! wrong; integers beyond the [`limits`](super::limits) are typos.

use super::limits::{MAX_HOUSEHOLDS, MAX_LAG_DAYS};
use super::Checker;
use crate::both;
use crate::lang::Both;
use crate::scenario::WorkStep;
use std::ops::Range;
use toml::Spanned;

/// Runs the number checks.
pub(super) fn check(c: &mut Checker) {
    segments(c);
    stations(c);
    tasks(c);
    for (kind, steps) in [
        (("segment", "管段"), &c.s.templates.segment),
        (("station", "热力站"), &c.s.templates.station),
    ] {
        for step in steps {
            step_numbers(c, kind, step);
        }
    }
    period_factors(c);
    contractor_factors(c);
    link_lags(c);
}

/// Reports a `lag_days` beyond [`MAX_LAG_DAYS`] either way; `span` is the
/// place of the step or link it belongs to (a lag has no span of its own).
fn lag(c: &mut Checker, lag: i32, span: Range<usize>, what: Both) {
    if i64::from(lag).abs() <= MAX_LAG_DAYS {
        return;
    }
    let Both { en, zh } = what;
    c.error(
        span,
        both!(
            "{en}: lag_days is {lag}, more than {MAX_LAG_DAYS} days either way",
            "{zh}：lag_days 为 {lag}，绝对值超过 {MAX_LAG_DAYS} 天"
        ),
        both!(
            "a lag is a few days of curing or waiting, e.g. lag_days = 2; no lag can be longer \
             than the longest planning horizon ({MAX_LAG_DAYS} days)",
            "间隔时间是几天的养护或等待，例如 lag_days = 2；不能超过最长的计划期（{MAX_LAG_DAYS} 天）"
        ),
    );
}

/// Lags of the explicit `[[links]]`.
fn link_lags(c: &mut Checker) {
    for link in &c.s.links {
        let (from, to) = (link.from.get_ref(), link.to.get_ref());
        let what = both!("link {from} -> {to}", "逻辑关系 {from} -> {to}");
        lag(c, link.lag_days, link.from.span(), what);
    }
}

/// Reports `value` unless it is finite and greater than zero.
fn positive(c: &mut Checker, value: &Spanned<f64>, what: Both, help: Both) {
    let v = *value.get_ref();
    if v.is_finite() && v > 0.0 {
        return;
    }
    let Both { en, zh } = what;
    c.error(
        value.span(),
        both!(
            "{en} is {v}, but it must be a number greater than 0",
            "{zh}为 {v}，但必须是大于 0 的数"
        ),
        help,
    );
}

/// Reports `value` unless it is finite and not negative.
fn not_negative(c: &mut Checker, value: &Spanned<f64>, what: Both, help: Both) {
    let v = *value.get_ref();
    if v.is_finite() && v >= 0.0 {
        return;
    }
    let Both { en, zh } = what;
    c.error(
        value.span(),
        both!(
            "{en} is {v}, but it must be a number of 0 or more",
            "{zh}为 {v}，但必须是不小于 0 的数"
        ),
        help,
    );
}

/// Segment lengths and diameters.
fn segments(c: &mut Checker) {
    for seg in &c.s.segments {
        let id = seg.id.get_ref();
        positive(
            c,
            &seg.length_m,
            both!("segment {id}: length_m", "管段 {id}：length_m（长度）"),
            both!(
                "enter the route length in metres, e.g. length_m = 350.0",
                "请填写以米计的路由长度，例如 length_m = 350.0"
            ),
        );
        if *seg.dn.get_ref() == 0 {
            c.error(
                seg.dn.span(),
                both!("segment {id}: dn is 0", "管段 {id}：dn（管径）为 0"),
                both!(
                    "enter the nominal diameter in mm, e.g. dn = 500 for DN500",
                    "请填写以毫米计的公称直径，例如 DN500 写 dn = 500"
                ),
            );
        }
    }
}

/// Station heated areas and households.
fn stations(c: &mut Checker) {
    for st in &c.s.stations {
        let id = st.id.get_ref();
        not_negative(
            c,
            &st.heated_area_m2,
            both!(
                "station {id}: heated_area_m2",
                "热力站 {id}：heated_area_m2（供热面积）"
            ),
            both!(
                "enter the heated area in m², e.g. heated_area_m2 = 120000.0",
                "请填写以平方米计的供热面积，例如 heated_area_m2 = 120000.0"
            ),
        );
        let households = *st.households.get_ref();
        if households > MAX_HOUSEHOLDS {
            c.error(
                st.households.span(),
                both!(
                    "station {id}: households is {households}, more than the {MAX_HOUSEHOLDS} \
                     one station can supply",
                    "热力站 {id}：households（户数）为 {households}，超过一个热力站能供应的 \
                     {MAX_HOUSEHOLDS} 户"
                ),
                both!(
                    "enter the number of households the station supplies, e.g. households = 1200",
                    "请填写该热力站供热的户数，例如 households = 1200"
                ),
            );
        }
    }
}

/// Task durations.
fn tasks(c: &mut Checker) {
    for task in &c.s.tasks {
        let id = task.id.get_ref();
        positive(
            c,
            &task.days,
            both!("task {id}: days", "任务 {id}：days（工期）"),
            both!(
                "enter the duration in days, e.g. days = 5; for a point in time use a milestone",
                "请填写以天计的工期，例如 days = 5；表示时间点请用里程碑"
            ),
        );
    }
}

/// Durations and rates of one template step.
fn step_numbers(c: &mut Checker, (kind, kind_zh): (&str, &str), step: &WorkStep) {
    let key = step.key.get_ref();
    let step_name = both!(
        "{kind} template step \"{key}\"",
        "{kind_zh}工序模板的工序“{key}”"
    );
    lag(c, step.lag_days, step.key.span(), step_name.clone());
    let field = |name: &str| step_name.join(&Both::same(name), ": ", "：");
    if let Some(days) = &step.days {
        positive(
            c,
            days,
            field("days"),
            both!(
                "enter the working days the step takes, e.g. days = 3",
                "请填写该工序所需的工作日数，例如 days = 3"
            ),
        );
    }
    if let Some(extra) = &step.days_per_10k_m2 {
        not_negative(
            c,
            extra,
            field("days_per_10k_m2"),
            both!(
                "enter the extra working days per 10,000 m² of heated area, e.g. 0.5",
                "请填写每 1 万平方米供热面积增加的工作日数，例如 0.5"
            ),
        );
    }
    for rate in &step.rates {
        let dn = rate.dn_max;
        positive(
            c,
            &rate.metres_per_day,
            step_name.join(
                &both!(
                    "metres_per_day (up to DN{dn})",
                    "metres_per_day（DN{dn} 及以下）"
                ),
                ": ",
                "：",
            ),
            both!(
                "enter the metres one crew completes per working day, e.g. metres_per_day = 60.0",
                "请填写一个班组每个工作日完成的米数，例如 metres_per_day = 60.0"
            ),
        );
    }
}

/// Productivity factors of calendar periods, in (0, 1].
fn period_factors(c: &mut Checker) {
    for p in &c.s.calendar.productivity {
        let f = *p.factor.get_ref();
        if f.is_finite() && f > 0.0 && f <= 1.0 {
            continue;
        }
        let name = &p.name;
        c.error(
            p.factor.span(),
            both!(
                "productivity period \"{name}\": factor is {f}, but it must be more than 0 and at \
                 most 1",
                "降效时段“{name}”：factor（系数）为 {f}，但必须大于 0 且不大于 1"
            ),
            both!(
                "give the share of normal daily output, e.g. factor = 0.8 for 80 %; \
                 to stop work completely use a stop-work period or a ban",
                "请填写正常日产量的比例，例如 80 % 写 factor = 0.8；完全停工请用停工时段或禁止施工时段"
            ),
        );
    }
}

/// Contractors' productivity by crew type, greater than 0.
fn contractor_factors(c: &mut Checker) {
    for con in &c.s.contractors {
        let id = con.id.get_ref();
        for (crew, f) in &con.productivity {
            positive(
                c,
                f,
                both!(
                    "contractor {id}: productivity of \"{crew}\" crews",
                    "施工单位 {id}：“{crew}”班组的效率系数"
                ),
                both!(
                    "give output relative to the template rates, e.g. 1.2 for 20 % faster, 0.9 \
                     for slower",
                    "请填写相对于模板定额的效率，例如快 20 % 写 1.2，慢一些写 0.9"
                ),
            );
        }
    }
}
