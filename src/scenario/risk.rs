//! The `[risk]` section of a scenario: what is uncertain about the season.
//!
//! The rest of a scenario describes one future: fixed stop-work days, one
//! rainy-season factor, the template rates. `[risk]` describes the spread
//! around it, for `heatplan risk` (see `docs/risk.md`):
//!
//! - `rain`: expected rainy days per month, the productivity of work with
//!   some tags on a rainy day, and how strongly wet days cluster into wet
//!   spells. Rain falls on the whole city at once, so one wet week slows
//!   every open trench (the correlation that matters most);
//! - `alerts`: heavy-pollution alerts as a random process per level (how
//!   many a month, how many days each, which work tags the level stops);
//! - `productivity`: each activity's output relative to its plan as a
//!   three-point (min, likely, max) spread, by step key or task id, with a
//!   default, and how much of the spread a contractor shares across its
//!   activities of one step (a slow contractor is slow everywhere);
//! - `delays`: permit and delivery delays as three-point spreads of days,
//!   with the chance that they happen at all;
//! - `replaces`: the names of `[calendar]` productivity periods and
//!   stop-work entries that the random model stands in for (the fixed
//!   rainy-season factor and the illustrative alert days), so that they are
//!   not counted twice.
//!
//! This module holds the file types (as written, with spans for located
//! errors; checked by `validate/risk.rs`) and the checked [`RiskModel`] a
//! [`Programme`](super::Programme) carries.

use super::Text;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A three-point spread as written: `[min, likely, max]`.
pub type ThreePointSpec = Spanned<Vec<f64>>;

/// The `[risk]` table as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskSpec {
    /// Names of `[calendar]` productivity periods and stop-work entries the
    /// random model replaces.
    #[serde(default)]
    pub replaces: Vec<Text>,
    /// Rainy days.
    #[serde(default)]
    pub rain: Option<RainSpec>,
    /// Heavy-pollution alert levels.
    #[serde(default)]
    pub alerts: Vec<AlertSpec>,
    /// Productivity spreads.
    #[serde(default)]
    pub productivity: Option<ProductivitySpec>,
    /// Permit and delivery delays.
    #[serde(default)]
    pub delays: Vec<DelaySpec>,
}

/// `[risk.rain]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RainSpec {
    /// Expected rainy days by month number, e.g. `{ 7 = 13, 8 = 12 }`.
    pub days_per_month: BTreeMap<String, Spanned<f64>>,
    /// Productivity of affected work on a rainy day, in [0, 1] (0 stops it).
    pub factor: Spanned<f64>,
    /// Work tags rain affects; empty means all work.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Chance-weighted tendency of a wet day to follow a wet day, in [0, 1):
    /// 0 makes days independent, 0.6 gives wet spells of about 2.5 days.
    #[serde(default)]
    pub persistence: Option<Spanned<f64>>,
}

/// One `[[risk.alerts]]` level as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertSpec {
    /// Level name, e.g. `orange`.
    pub level: Text,
    /// Expected alerts per month (a Poisson process).
    pub per_month: Spanned<f64>,
    /// Days each alert lasts: `[min, likely, max]`.
    pub days: ThreePointSpec,
    /// Work tags the level stops; empty stops all work.
    #[serde(default)]
    pub tags: Vec<Text>,
    /// Months (1–12) in which alerts of this level occur; empty means all.
    #[serde(default)]
    pub months: Vec<Spanned<u32>>,
}

/// `[risk.productivity]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductivitySpec {
    /// Spread of every activity without its own: `[min, likely, max]` of the
    /// planned output (default `[1, 1, 1]`, no spread).
    #[serde(default)]
    pub default: Option<ThreePointSpec>,
    /// Spreads by template step key or task id.
    #[serde(default)]
    pub steps: BTreeMap<String, ThreePointSpec>,
    /// Share in [0, 1] of a contractor's activities of one step that follow
    /// the contractor's common draw (0: every activity independent).
    #[serde(default)]
    pub correlation: Option<Spanned<f64>>,
}

/// One `[[risk.delays]]` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DelaySpec {
    /// What it is, e.g. `road-opening permit`.
    pub name: String,
    /// Task ids delayed.
    #[serde(default)]
    pub tasks: Vec<Text>,
    /// Template step keys delayed (every activity of the step).
    #[serde(default)]
    pub steps: Vec<Text>,
    /// Calendar days of delay: `[min, likely, max]`.
    pub days: ThreePointSpec,
    /// Chance in [0, 1] that the delay happens at all (default 1).
    #[serde(default)]
    pub probability: Option<Spanned<f64>>,
    /// One draw for every activity delayed (one supplier, one permit
    /// office) instead of one each (default false).
    #[serde(default)]
    pub shared: bool,
}

/// A triangular spread `min ≤ likely ≤ max`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThreePoint {
    /// Lowest value.
    pub min: f64,
    /// Most likely value.
    pub likely: f64,
    /// Highest value.
    pub max: f64,
}

impl ThreePoint {
    /// A spread with one value.
    pub const fn fixed(v: f64) -> ThreePoint {
        ThreePoint {
            min: v,
            likely: v,
            max: v,
        }
    }

    /// The value at cumulative probability `u` in [0, 1) (the inverse of
    /// the triangular distribution function).
    pub fn quantile(&self, u: f64) -> f64 {
        let (a, c, b) = (self.min, self.likely, self.max);
        if b <= a {
            return a;
        }
        let fc = (c - a) / (b - a);
        if u < fc {
            a + (u * (b - a) * (c - a)).sqrt()
        } else {
            b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
        }
    }

    /// The probability of a value at most `x`.
    pub fn cdf(&self, x: f64) -> f64 {
        let (a, c, b) = (self.min, self.likely, self.max);
        if x < a {
            0.0
        } else if x >= b {
            1.0
        } else if x <= c {
            (x - a) * (x - a) / ((b - a) * (c - a))
        } else {
            1.0 - (b - x) * (b - x) / ((b - a) * (b - c))
        }
    }

    /// The mean, `(min + likely + max) / 3`.
    pub fn mean(&self) -> f64 {
        (self.min + self.likely + self.max) / 3.0
    }

    /// True when the spread holds one value.
    pub fn is_fixed(&self) -> bool {
        self.min == self.max
    }

    /// Reads a checked `[min, likely, max]`.
    fn of(spec: &ThreePointSpec) -> ThreePoint {
        let v = spec.get_ref();
        ThreePoint {
            min: v[0],
            likely: v[1],
            max: v[2],
        }
    }
}

/// Rainy days, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Rain {
    /// Expected rainy days per month, January first.
    pub days_per_month: [f64; 12],
    /// Productivity of affected work on a rainy day.
    pub factor: f64,
    /// Work tags affected (empty: all).
    pub tags: Vec<String>,
    /// Lag-one correlation of wet days.
    pub persistence: f64,
}

/// A heavy-pollution alert level, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// Level name.
    pub level: String,
    /// Expected alerts per month.
    pub per_month: f64,
    /// Days each alert lasts.
    pub days: ThreePoint,
    /// Work tags stopped (empty: all work).
    pub tags: Vec<String>,
    /// Months in which alerts occur, January first.
    pub months: [bool; 12],
}

/// Productivity spreads, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Productivity {
    /// Spread of activities without their own.
    pub default: ThreePoint,
    /// Spreads by step key or task id.
    pub steps: BTreeMap<String, ThreePoint>,
    /// Share of a contractor's activities of a step following its common draw.
    pub correlation: f64,
}

/// A permit or delivery delay, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Delay {
    /// What it is.
    pub name: String,
    /// Task ids delayed.
    pub tasks: Vec<String>,
    /// Step keys delayed.
    pub steps: Vec<String>,
    /// Calendar days of delay.
    pub days: ThreePoint,
    /// Chance the delay happens.
    pub probability: f64,
    /// One draw for every activity delayed.
    pub shared: bool,
}

/// The checked uncertainty model of a programme (empty when the scenario
/// has no `[risk]`: the future is the one the calendar describes).
#[derive(Debug, Clone, PartialEq)]
pub struct RiskModel {
    /// Names of calendar entries the random model replaces.
    pub replaces: Vec<String>,
    /// Rainy days, if modelled.
    pub rain: Option<Rain>,
    /// Alert levels.
    pub alerts: Vec<Alert>,
    /// Productivity spreads.
    pub productivity: Productivity,
    /// Delays.
    pub delays: Vec<Delay>,
}

impl Default for RiskModel {
    fn default() -> Self {
        RiskModel {
            replaces: Vec::new(),
            rain: None,
            alerts: Vec::new(),
            productivity: Productivity {
                default: ThreePoint::fixed(1.0),
                steps: BTreeMap::new(),
                correlation: 0.0,
            },
            delays: Vec::new(),
        }
    }
}

/// Default lag-one correlation of wet days.
pub const DEFAULT_PERSISTENCE: f64 = 0.5;

/// Resolves a checked `[risk]` table (validation has run: every spread has
/// three ordered values, every month number is in 1–12).
pub fn resolve(spec: Option<&RiskSpec>) -> RiskModel {
    let Some(spec) = spec else {
        return RiskModel::default();
    };
    let texts = |tags: &[Text]| tags.iter().map(|t| t.get_ref().clone()).collect::<Vec<_>>();
    let rain = spec.rain.as_ref().map(|r| {
        let mut days = [0.0; 12];
        for (month, n) in &r.days_per_month {
            if let Some(m) = month_index(month) {
                days[m] = *n.get_ref();
            }
        }
        Rain {
            days_per_month: days,
            factor: *r.factor.get_ref(),
            tags: texts(&r.tags),
            persistence: r
                .persistence
                .as_ref()
                .map_or(DEFAULT_PERSISTENCE, |p| *p.get_ref()),
        }
    });
    let alerts = spec
        .alerts
        .iter()
        .map(|a| {
            let mut months = [a.months.is_empty(); 12];
            for m in &a.months {
                if let Some(i) = (*m.get_ref() as usize).checked_sub(1).filter(|&i| i < 12) {
                    months[i] = true;
                }
            }
            Alert {
                level: a.level.get_ref().clone(),
                per_month: *a.per_month.get_ref(),
                days: ThreePoint::of(&a.days),
                tags: texts(&a.tags),
                months,
            }
        })
        .collect();
    let productivity = spec.productivity.as_ref().map_or_else(
        || RiskModel::default().productivity,
        |p| Productivity {
            default: p
                .default
                .as_ref()
                .map_or(ThreePoint::fixed(1.0), ThreePoint::of),
            steps: p
                .steps
                .iter()
                .map(|(k, v)| (k.clone(), ThreePoint::of(v)))
                .collect(),
            correlation: p.correlation.as_ref().map_or(0.0, |c| *c.get_ref()),
        },
    );
    let delays = spec
        .delays
        .iter()
        .map(|d| Delay {
            name: d.name.clone(),
            tasks: texts(&d.tasks),
            steps: texts(&d.steps),
            days: ThreePoint::of(&d.days),
            probability: d.probability.as_ref().map_or(1.0, |p| *p.get_ref()),
            shared: d.shared,
        })
        .collect();
    RiskModel {
        replaces: texts(&spec.replaces),
        rain,
        alerts,
        productivity,
        delays,
    }
}

/// The 0-based month of a month key (`"1"`–`"12"`), if it is one.
pub fn month_index(key: &str) -> Option<usize> {
    key.trim()
        .parse::<usize>()
        .ok()
        .filter(|m| (1..=12).contains(m))
        .map(|m| m - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_quantile_inverts_the_cdf() {
        let t = ThreePoint {
            min: 0.6,
            likely: 1.0,
            max: 1.1,
        };
        for i in 0..100 {
            let u = i as f64 / 100.0;
            assert!((t.cdf(t.quantile(u)) - u).abs() < 1e-9, "u = {u}");
        }
        assert!((t.mean() - 2.7 / 3.0).abs() < 1e-12);
        assert_eq!(ThreePoint::fixed(2.0).quantile(0.3), 2.0);
    }
}
