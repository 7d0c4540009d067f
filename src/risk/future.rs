//! One sampled future: which days are wet, which days each alert level
//! stops work, how productive each activity is and how late its permit or
//! delivery comes.
//!
//! Every kind of uncertainty draws from its own SplitMix64 stream, seeded
//! from the study's seed, the sample's index and the kind
//! ([`stream`]). A sample therefore depends on nothing but its index
//! (whatever thread or shard runs it), and two studies with the same seed
//! see the same weather and the same productivity draws even when their
//! plans differ (common random numbers).
//!
//! - Rain: a two-state Markov chain over the days, wet with the month's
//!   probability `p = rainy days / days in the month` in the long run and
//!   with lag-one correlation `ρ` (`persistence`): `P(wet | wet) = p + ρ(1 −
//!   p)`, `P(wet | dry) = p(1 − ρ)`. Rain falls on the whole city.
//! - Alerts: each day of an allowed month an alert of a level starts with
//!   probability `per_month / days in the month` (a Bernoulli approximation
//!   of the Poisson process) and lasts a triangular number of days, rounded.
//! - Productivity: activity `a` gets the quantile of its spread at `u_a`,
//!   where `u_a` is, with probability `correlation`, the common draw of its
//!   contractor and step, else its own.
//! - Delays: with the entry's probability, a triangular number of calendar
//!   days; one draw for all its activities when `shared`.

use crate::scenario::risk::{RiskModel, ThreePoint};
use crate::schedule::rng::Rng;
use crate::schedule::Day;

/// The kinds of draws, each its own stream.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    Rain = 1,
    Alerts = 2,
    Groups = 3,
    Activities = 4,
    Delays = 5,
    Rounding = 6,
}

/// The generator of one kind of draws of one sample.
pub(super) fn stream(seed: u64, sample: u64, kind: Kind) -> Rng {
    // Two SplitMix64 outputs mix the three numbers into a well-spread state.
    let mut r = Rng::new(seed ^ 0xD1B5_4A32_D192_ED03);
    let a = r.next_u64();
    let mut r = Rng::new(a ^ sample.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let b = r.next_u64();
    Rng::new(b ^ (kind as u64).wrapping_mul(0xBF58_476D_1CE4_E5B9))
}

/// Static facts about the days of the grid the sampler needs.
#[derive(Debug, Clone)]
pub(super) struct Days {
    /// 0-based month of each day.
    pub month: Vec<u8>,
    /// Days in the month of each day.
    pub month_len: Vec<u8>,
}

/// The weather of one sample.
#[derive(Debug, Clone)]
pub(super) struct Weather {
    /// Wet days.
    pub wet: Vec<bool>,
    /// Days each alert level stops its work.
    pub stopped: Vec<Vec<bool>>,
}

/// Samples the weather of a sample on the grid.
pub(super) fn weather(model: &RiskModel, days: &Days, seed: u64, sample: u64) -> Weather {
    let h = days.month.len();
    let mut wet = vec![false; h];
    if let Some(rain) = &model.rain {
        let mut rng = stream(seed, sample, Kind::Rain);
        let rho = rain.persistence;
        let mut prev = false;
        for (d, w) in wet.iter_mut().enumerate() {
            let m = days.month[d] as usize;
            let p = (rain.days_per_month[m] / f64::from(days.month_len[d])).clamp(0.0, 1.0);
            let chance = if d == 0 {
                p
            } else if prev {
                p + rho * (1.0 - p)
            } else {
                p * (1.0 - rho)
            };
            *w = rng.unit() < chance;
            prev = *w;
        }
    }
    let mut rng = stream(seed, sample, Kind::Alerts);
    let stopped = model
        .alerts
        .iter()
        .map(|alert| {
            let mut stop = vec![false; h];
            for d in 0..h {
                let m = days.month[d] as usize;
                let start = rng.unit() < alert.per_month / f64::from(days.month_len[d]);
                let length = rng.unit();
                if start && alert.months[m] {
                    let n = alert.days.quantile(length).round().max(1.0) as usize;
                    stop[d..(d + n).min(h)].iter_mut().for_each(|x| *x = true);
                }
            }
            stop
        })
        .collect();
    Weather { wet, stopped }
}

/// Productivity multipliers of one sample, one per activity.
pub(super) fn productivity(
    spreads: &[ThreePoint],
    groups: &[Option<usize>],
    group_count: usize,
    correlation: f64,
    seed: u64,
    sample: u64,
) -> Vec<f64> {
    let mut g = stream(seed, sample, Kind::Groups);
    let common: Vec<f64> = (0..group_count).map(|_| g.unit()).collect();
    let mut r = stream(seed, sample, Kind::Activities);
    spreads
        .iter()
        .zip(groups)
        .map(|(spread, group)| {
            let share = r.unit();
            let own = r.unit();
            let u = match group {
                Some(k) if share < correlation => common[*k],
                _ => own,
            };
            spread.quantile(u)
        })
        .collect()
}

/// One uniform draw per activity for rounding its last part-day.
pub(super) fn rounding(n: usize, seed: u64, sample: u64) -> Vec<f64> {
    let mut r = stream(seed, sample, Kind::Rounding);
    (0..n).map(|_| r.unit()).collect()
}

/// Delay days of one sample: for each delay entry, the days of each of its
/// activities (in the entry's activity order).
pub(super) fn delays(model: &RiskModel, counts: &[usize], seed: u64, sample: u64) -> Vec<Vec<Day>> {
    let mut r = stream(seed, sample, Kind::Delays);
    model
        .delays
        .iter()
        .zip(counts)
        .map(|(delay, &n)| {
            let draw = |r: &mut Rng| {
                let happens = r.unit() < delay.probability;
                let days = delay.days.quantile(r.unit()).round().max(0.0) as Day;
                if happens {
                    days
                } else {
                    0
                }
            };
            if delay.shared {
                let d = draw(&mut r);
                vec![d; n]
            } else {
                (0..n).map(|_| draw(&mut r)).collect()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::risk::Rain;

    fn days(h: usize) -> Days {
        Days {
            month: vec![6; h],
            month_len: vec![31; h],
        }
    }

    #[test]
    fn rain_frequency_and_persistence_match_the_chain() {
        let model = RiskModel {
            rain: Some(Rain {
                days_per_month: [10.0; 12],
                factor: 0.5,
                tags: vec![],
                persistence: 0.6,
            }),
            ..RiskModel::default()
        };
        let h = 20_000;
        let w = weather(&model, &days(h), 7, 0).wet;
        let p = 10.0 / 31.0;
        let wet = w.iter().filter(|&&x| x).count() as f64 / h as f64;
        // Binomial-like error inflated by the correlation: well inside 0.03.
        assert!((wet - p).abs() < 0.03, "{wet} vs {p}");
        let after_wet = w.windows(2).filter(|x| x[0]).count() as f64;
        let wet_wet = w.windows(2).filter(|x| x[0] && x[1]).count() as f64;
        let expected = p + 0.6 * (1.0 - p);
        assert!((wet_wet / after_wet - expected).abs() < 0.04);
    }

    #[test]
    fn streams_depend_only_on_seed_sample_and_kind() {
        let mut a = stream(1, 5, Kind::Rain);
        let mut b = stream(1, 5, Kind::Rain);
        assert_eq!(a.next_u64(), b.next_u64());
        let mut c = stream(1, 6, Kind::Rain);
        let mut d = stream(1, 5, Kind::Alerts);
        let x = stream(1, 5, Kind::Rain).next_u64();
        assert_ne!(c.next_u64(), x);
        assert_ne!(d.next_u64(), x);
    }
}
