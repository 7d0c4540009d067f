//! Numbers out of range: lengths, diameters, areas, durations, rates and
//! productivity factors, households and lags. NaN and infinity are always
//! wrong; integers beyond the [`limits`](super::limits) are typos.

use super::limits::{MAX_HOUSEHOLDS, MAX_LAG_DAYS};
use super::Checker;
use crate::scenario::WorkStep;
use std::ops::Range;
use toml::Spanned;

/// Runs the number checks.
pub(super) fn check(c: &mut Checker) {
    segments(c);
    stations(c);
    tasks(c);
    for (kind, steps) in [
        ("segment", &c.s.templates.segment),
        ("station", &c.s.templates.station),
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
fn lag(c: &mut Checker, lag: i32, span: Range<usize>, what: String) {
    if i64::from(lag).abs() <= MAX_LAG_DAYS {
        return;
    }
    c.error(
        span,
        format!("{what}: lag_days is {lag}, more than {MAX_LAG_DAYS} days either way"),
        format!(
            "a lag is a few days of curing or waiting, e.g. lag_days = 2; no lag can be longer \
             than the longest planning horizon ({MAX_LAG_DAYS} days)"
        ),
    );
}

/// Lags of the explicit `[[links]]`.
fn link_lags(c: &mut Checker) {
    for link in &c.s.links {
        let what = format!("link {} -> {}", link.from.get_ref(), link.to.get_ref());
        lag(c, link.lag_days, link.from.span(), what);
    }
}

/// Reports `value` unless it is finite and greater than zero.
fn positive(c: &mut Checker, value: &Spanned<f64>, what: String, help: &str) {
    let v = *value.get_ref();
    if v.is_finite() && v > 0.0 {
        return;
    }
    c.error(
        value.span(),
        format!("{what} is {v}, but it must be a number greater than 0"),
        help,
    );
}

/// Reports `value` unless it is finite and not negative.
fn not_negative(c: &mut Checker, value: &Spanned<f64>, what: String, help: &str) {
    let v = *value.get_ref();
    if v.is_finite() && v >= 0.0 {
        return;
    }
    c.error(
        value.span(),
        format!("{what} is {v}, but it must be a number of 0 or more"),
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
            format!("segment {id}: length_m"),
            "enter the route length in metres, e.g. length_m = 350.0",
        );
        if *seg.dn.get_ref() == 0 {
            c.error(
                seg.dn.span(),
                format!("segment {id}: dn is 0"),
                "enter the nominal diameter in mm, e.g. dn = 500 for DN500",
            );
        }
    }
}

/// Station heated areas and households.
fn stations(c: &mut Checker) {
    for st in &c.s.stations {
        not_negative(
            c,
            &st.heated_area_m2,
            format!("station {}: heated_area_m2", st.id.get_ref()),
            "enter the heated area in m², e.g. heated_area_m2 = 120000.0",
        );
        let households = *st.households.get_ref();
        if households > MAX_HOUSEHOLDS {
            c.error(
                st.households.span(),
                format!(
                    "station {}: households is {households}, more than the {MAX_HOUSEHOLDS} \
                     one station can supply",
                    st.id.get_ref()
                ),
                "enter the number of households the station supplies, e.g. households = 1200",
            );
        }
    }
}

/// Task durations.
fn tasks(c: &mut Checker) {
    for task in &c.s.tasks {
        positive(
            c,
            &task.days,
            format!("task {}: days", task.id.get_ref()),
            "enter the duration in days, e.g. days = 5; for a point in time use a milestone",
        );
    }
}

/// Durations and rates of one template step.
fn step_numbers(c: &mut Checker, kind: &str, step: &WorkStep) {
    let key = step.key.get_ref();
    lag(
        c,
        step.lag_days,
        step.key.span(),
        format!("{kind} template step \"{key}\""),
    );
    if let Some(days) = &step.days {
        positive(
            c,
            days,
            format!("{kind} template step \"{key}\": days"),
            "enter the working days the step takes, e.g. days = 3",
        );
    }
    if let Some(extra) = &step.days_per_10k_m2 {
        not_negative(
            c,
            extra,
            format!("{kind} template step \"{key}\": days_per_10k_m2"),
            "enter the extra working days per 10,000 m² of heated area, e.g. 0.5",
        );
    }
    for rate in &step.rates {
        positive(
            c,
            &rate.metres_per_day,
            format!(
                "{kind} template step \"{key}\": metres_per_day (up to DN{})",
                rate.dn_max
            ),
            "enter the metres one crew completes per working day, e.g. metres_per_day = 60.0",
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
        c.error(
            p.factor.span(),
            format!(
                "productivity period \"{}\": factor is {f}, but it must be more than 0 and at most 1",
                p.name
            ),
            "give the share of normal daily output, e.g. factor = 0.8 for 80 %; \
             to stop work completely use a stop-work period or a ban",
        );
    }
}

/// Contractors' productivity by crew type, greater than 0.
fn contractor_factors(c: &mut Checker) {
    for con in &c.s.contractors {
        for (crew, f) in &con.productivity {
            positive(
                c,
                f,
                format!("contractor {}: productivity of \"{crew}\" crews", con.id.get_ref()),
                "give output relative to the template rates, e.g. 1.2 for 20 % faster, 0.9 for slower",
            );
        }
    }
}
