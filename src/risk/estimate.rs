//! From counts to estimates, each with its standard error.
//!
//! A probability `p̂ = k / n` has standard error `√(p̂(1 − p̂)/n)`; the
//! expected households its sample standard deviation over `√n`. A
//! percentile date is read off the histogram of sampled dates, and its
//! uncertainty is given the distribution-free way: the dates at the
//! percentiles `q ∓ √(q(1 − q)/n)` (one standard error of the empirical
//! distribution at `q`), halved into a ± in days. The tornado's
//! correlations with the last station's heat-ready day (Pearson, over the
//! samples in index order) carry the usual
//! `(1 − r²)/√(n − 1)`.

use super::{Driver, Part};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// A probability with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Probability {
    /// Estimated probability.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
}

impl Probability {
    /// `k` successes in `n` samples.
    pub fn of(k: u64, n: u64) -> Probability {
        if n == 0 {
            return Probability { p: 0.0, se: 0.0 };
        }
        let p = k as f64 / n as f64;
        Probability {
            p,
            se: (p * (1.0 - p) / n as f64).sqrt(),
        }
    }
}

/// A percentile date with its uncertainty in days.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percentile {
    /// The date.
    pub date: NaiveDate,
    /// Half the spread of the dates one standard error either side.
    pub se_days: f64,
}

/// The P50, P80 and P90 heat-ready dates.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Dates {
    /// Median.
    pub p50: Percentile,
    /// 80th percentile.
    pub p80: Percentile,
    /// 90th percentile.
    pub p90: Percentile,
}

/// One station's estimates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StationRisk {
    /// Station id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// District id.
    pub district: String,
    /// Households.
    pub households: u64,
    /// Heat-ready date in the plan.
    pub planned: NaiveDate,
    /// Probability of heat-ready by the deadline.
    pub on_time: Probability,
    /// Percentile dates.
    pub dates: Dates,
    /// Sampled heat-ready date distribution: (date, cumulative probability).
    pub cdf: Vec<(NaiveDate, f64)>,
}

/// A time node's probability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeRisk {
    /// Milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Due date.
    pub due: NaiveDate,
    /// Probability it is reached by its due date.
    pub met: Probability,
}

/// One bar of the tornado.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TornadoBar {
    /// The uncertainty.
    pub driver: Driver,
    /// Correlation of its value with the last station's heat-ready day
    /// (positive: more of it, later).
    pub correlation: f64,
    /// Standard error of the correlation.
    pub se: f64,
}

/// Everything `heatplan risk` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimates {
    /// Programme name.
    pub programme: String,
    /// Samples counted.
    pub samples: u64,
    /// Samples of the study not counted (missing shards).
    pub missing: u64,
    /// Samples the plan could not be executed in.
    pub failed: u64,
    /// Seed.
    pub seed: u64,
    /// Deadline.
    pub deadline: NaiveDate,
    /// First uncertain day.
    pub data_date: NaiveDate,
    /// Probability every station is on time.
    pub city: Probability,
    /// Percentile dates of the last station.
    pub city_dates: Dates,
    /// The city's cumulative distribution: (date, probability).
    pub city_cdf: Vec<(NaiveDate, f64)>,
    /// Histogram of the last station's date: (date, samples).
    pub city_histogram: Vec<(NaiveDate, u64)>,
    /// Expected households heat-ready by the deadline.
    pub households_expected: f64,
    /// Its standard error.
    pub households_se: f64,
    /// All households.
    pub households_total: u64,
    /// Per district: id and probability of all its stations on time.
    pub districts: Vec<(String, Probability)>,
    /// Per station.
    pub stations: Vec<StationRisk>,
    /// Time nodes with a due date.
    pub nodes: Vec<NodeRisk>,
    /// Criticality index of the activities that were ever critical, most
    /// critical first: activity id and index.
    pub criticality: Vec<(String, Probability)>,
    /// Tornado bars, strongest first.
    pub tornado: Vec<TornadoBar>,
}

impl Estimates {
    /// The estimates of a (merged) part.
    pub fn new(part: &Part) -> Estimates {
        let m = &part.meta;
        let t = &part.tally;
        let n = t.samples;
        let date = |end: usize| m.window_start + Duration::days(end.max(1) as i64 - 1);
        let stations = m
            .stations
            .iter()
            .zip(&t.station_days)
            .map(|((id, name, district, households, planned), hist)| {
                let on_time: u64 = hist[..=(m.due as usize).min(hist.len() - 1)].iter().sum();
                StationRisk {
                    id: id.clone(),
                    name: name.clone(),
                    district: district.clone(),
                    households: *households,
                    planned: *planned,
                    on_time: Probability::of(on_time, n),
                    dates: dates(hist, n, &date),
                    cdf: cdf(hist, n, &date),
                }
            })
            .collect();
        let hh: Vec<f64> = t.rows.iter().map(|r| r.households_on_time as f64).collect();
        let (mean, sd) = mean_sd(&hh);
        let mut criticality: Vec<(String, Probability)> = m
            .activities
            .iter()
            .zip(&t.critical)
            .filter(|(_, &k)| k > 0)
            .map(|(id, &k)| (id.clone(), Probability::of(k, n)))
            .collect();
        criticality.sort_by(|a, b| b.1.p.total_cmp(&a.1.p).then(a.0.cmp(&b.0)));
        let finish: Vec<f64> = t.rows.iter().map(|r| f64::from(r.city_end)).collect();
        let mut tornado: Vec<TornadoBar> = m
            .drivers
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let x: Vec<f64> = t.rows.iter().map(|r| r.inputs[i]).collect();
                let r = correlation(&x, &finish);
                TornadoBar {
                    driver: d.clone(),
                    correlation: r,
                    se: (1.0 - r * r) / ((n.max(2) - 1) as f64).sqrt(),
                }
            })
            .collect();
        tornado.sort_by(|a, b| b.correlation.abs().total_cmp(&a.correlation.abs()));
        Estimates {
            programme: m.programme.clone(),
            samples: n,
            missing: part.missing(),
            failed: t.failed,
            seed: m.seed,
            deadline: m.deadline,
            data_date: m.data_date,
            city: Probability::of(t.city_on_time, n),
            city_dates: dates(&t.city_days, n, &date),
            city_cdf: cdf(&t.city_days, n, &date),
            city_histogram: t
                .city_days
                .iter()
                .enumerate()
                .filter(|(_, &k)| k > 0)
                .map(|(d, &k)| (date(d), k))
                .collect(),
            households_expected: mean,
            households_se: sd / (n.max(1) as f64).sqrt(),
            households_total: m.stations.iter().map(|s| s.3).sum(),
            districts: m
                .districts
                .iter()
                .zip(&t.district_on_time)
                .filter(|(d, _)| m.stations.iter().any(|s| &s.2 == *d))
                .map(|(d, &k)| (d.clone(), Probability::of(k, n)))
                .collect(),
            stations,
            nodes: m
                .nodes
                .iter()
                .zip(&t.node_met)
                .map(|((id, name, due), &k)| NodeRisk {
                    id: id.clone(),
                    name: name.clone(),
                    due: *due,
                    met: Probability::of(k, n),
                })
                .collect(),
            criticality,
            tornado,
        }
    }
}

/// The index of the histogram bin holding the `q` quantile.
fn quantile(hist: &[u64], n: u64, q: f64) -> usize {
    let want = (q.clamp(0.0, 1.0) * n as f64).ceil().max(1.0) as u64;
    let mut acc = 0;
    for (d, &k) in hist.iter().enumerate() {
        acc += k;
        if acc >= want {
            return d;
        }
    }
    hist.len().saturating_sub(1)
}

/// P50/P80/P90 of a histogram of exclusive end days.
fn dates(hist: &[u64], n: u64, date: &dyn Fn(usize) -> NaiveDate) -> Dates {
    let at = |q: f64| {
        let se = (q * (1.0 - q) / n.max(1) as f64).sqrt();
        let lo = quantile(hist, n, q - se);
        let hi = quantile(hist, n, q + se);
        Percentile {
            date: date(quantile(hist, n, q)),
            se_days: (hi as f64 - lo as f64) / 2.0,
        }
    };
    Dates {
        p50: at(0.5),
        p80: at(0.8),
        p90: at(0.9),
    }
}

/// The cumulative distribution at every date with samples.
fn cdf(hist: &[u64], n: u64, date: &dyn Fn(usize) -> NaiveDate) -> Vec<(NaiveDate, f64)> {
    let mut acc = 0;
    hist.iter()
        .enumerate()
        .filter(|(_, &k)| k > 0)
        .map(|(d, &k)| {
            acc += k;
            (date(d), acc as f64 / n.max(1) as f64)
        })
        .collect()
}

/// Mean and sample standard deviation.
fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    if x.is_empty() {
        return (0.0, 0.0);
    }
    let mean = x.iter().sum::<f64>() / n;
    let var = if x.len() > 1 {
        x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (mean, var.sqrt())
}

/// Pearson correlation (0 when either side does not vary).
fn correlation(x: &[f64], y: &[f64]) -> f64 {
    let (mx, sx) = mean_sd(x);
    let (my, sy) = mean_sd(y);
    if sx == 0.0 || sy == 0.0 || x.len() < 2 {
        return 0.0;
    }
    let cov = x
        .iter()
        .zip(y)
        .map(|(a, b)| (a - mx) * (b - my))
        .sum::<f64>()
        / (x.len() as f64 - 1.0);
    cov / (sx * sy)
}

/// The heat-ready date of an exclusive end day on a grid starting `start`.
pub fn end_date(start: NaiveDate, end: u32) -> NaiveDate {
    start + Duration::days(i64::from(end.max(1)) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_histogram() {
        // 10 samples: 2 on day 3, 5 on day 4, 3 on day 6.
        let mut h = vec![0; 8];
        h[3] = 2;
        h[4] = 5;
        h[6] = 3;
        assert_eq!(quantile(&h, 10, 0.2), 3);
        assert_eq!(quantile(&h, 10, 0.5), 4);
        assert_eq!(quantile(&h, 10, 0.7), 4);
        assert_eq!(quantile(&h, 10, 0.71), 6);
        let p = Probability::of(25, 100);
        assert!((p.se - (0.25f64 * 0.75 / 100.0).sqrt()).abs() < 1e-12);
        assert!((correlation(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.5]) - 1.0).abs() < 0.01);
    }
}
