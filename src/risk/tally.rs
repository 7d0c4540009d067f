//! Counting samples: integer tallies that add up the same in any order, so
//! that a study split over threads or shards gives exactly the result of
//! one run.
//!
//! A [`Tally`] holds, per station, a histogram of the day it became
//! heat-ready; per district and time node the samples in which it was on
//! time; per activity the samples in which it lay on the driving path of
//! the last station; and one small row per sample (households on time, the
//! city's last day, the value of every uncertainty) for the tornado.
//! Nothing in it is a floating-point sum, so merging is exact.

use super::study::SampleDates;
use crate::schedule::{ActId, Day};
use serde::{Deserialize, Serialize};

/// One sample's row for the tornado and the households estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Sample index.
    pub sample: u64,
    /// Households heat-ready by the deadline.
    pub households_on_time: u64,
    /// Exclusive end day of the last station.
    pub city_end: Day,
    /// The value of every driver (stored as IEEE bits in a part file, so
    /// that a merge reads back exactly what was counted).
    #[serde(with = "exact_floats")]
    pub inputs: Vec<f64>,
}

/// `Vec<f64>` as the bits of each number: JSON's decimal text does not
/// always read back to the same float.
mod exact_floats {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let bits: Vec<u64> = v.iter().map(|x| x.to_bits()).collect();
        bits.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        Ok(Vec::<u64>::deserialize(d)?
            .into_iter()
            .map(f64::from_bits)
            .collect())
    }
}

/// Counts over a set of samples.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Tally {
    /// Samples counted.
    pub samples: u64,
    /// Samples the plan could not be executed in (every station late).
    pub failed: u64,
    /// Per station, samples by exclusive heat-ready end day (the last entry
    /// counts the end of the grid and beyond).
    pub station_days: Vec<Vec<u64>>,
    /// Samples by the exclusive end day of the last station.
    pub city_days: Vec<u64>,
    /// Samples with every station on time.
    pub city_on_time: u64,
    /// Per district, samples with all its stations on time.
    pub district_on_time: Vec<u64>,
    /// Per time node, samples in which it was met.
    pub node_met: Vec<u64>,
    /// Per activity, samples in which it drove the last station.
    pub critical: Vec<u64>,
    /// One row per sample, by sample index.
    pub rows: Vec<Row>,
}

/// A time node with a due date, by its activity.
#[derive(Debug, Clone)]
pub struct Node {
    /// Activity reaching the node.
    pub activity: ActId,
    /// Last day (index) the node may be reached on; `None` when the due
    /// date is before the grid (never met).
    pub due_day: Option<i64>,
}

/// What the counts are about.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Heat-ready activity and households of every station.
    pub stations: Vec<(ActId, u64)>,
    /// District of every station.
    pub station_district: Vec<usize>,
    /// Number of districts.
    pub districts: usize,
    /// Time nodes.
    pub nodes: Vec<Node>,
    /// Grid length.
    pub horizon: Day,
    /// Exclusive due day of the deadline.
    pub due: Day,
}

impl Tally {
    /// An empty tally for `shape`.
    pub fn new(shape: &Shape, activities: usize) -> Tally {
        let days = shape.horizon as usize + 1;
        Tally {
            station_days: vec![vec![0; days]; shape.stations.len()],
            city_days: vec![0; days],
            district_on_time: vec![0; shape.districts],
            node_met: vec![0; shape.nodes.len()],
            critical: vec![0; activities],
            ..Tally::default()
        }
    }

    /// Counts one sample.
    pub fn record(&mut self, shape: &Shape, sample: u64, d: &SampleDates) {
        let h = shape.horizon;
        self.samples += 1;
        self.failed += u64::from(!d.placed);
        let mut households = 0;
        let mut district_late = vec![false; shape.districts];
        let mut city_end = 0;
        for (k, &(a, hh)) in shape.stations.iter().enumerate() {
            let end = if d.placed { d.ends[a].min(h) } else { h };
            self.station_days[k][end as usize] += 1;
            if end <= shape.due {
                households += hh;
            } else {
                district_late[shape.station_district[k]] = true;
            }
            city_end = city_end.max(end);
        }
        self.city_days[city_end as usize] += 1;
        if city_end <= shape.due && d.placed {
            self.city_on_time += 1;
        }
        for (count, late) in self.district_on_time.iter_mut().zip(&district_late) {
            *count += u64::from(!late && d.placed);
        }
        for (count, node) in self.node_met.iter_mut().zip(&shape.nodes) {
            let (s, e) = (d.starts[node.activity], d.ends[node.activity]);
            // A zero-length node is reached on the day before it "starts";
            // other work on its last day.
            let reached = i64::from(e.max(s)) - 1;
            *count += u64::from(d.placed && node.due_day.is_some_and(|due| reached <= due));
        }
        for &x in &d.path {
            self.critical[x] += 1;
        }
        self.rows.push(Row {
            sample,
            households_on_time: households,
            city_end,
            inputs: d.inputs.clone(),
        });
    }

    /// Adds another tally of the same study (other samples).
    pub fn merge(&mut self, other: Tally) {
        fn add(a: &mut [u64], b: &[u64]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.samples += other.samples;
        self.failed += other.failed;
        for (a, b) in self.station_days.iter_mut().zip(&other.station_days) {
            add(a, b);
        }
        add(&mut self.city_days, &other.city_days);
        self.city_on_time += other.city_on_time;
        add(&mut self.district_on_time, &other.district_on_time);
        add(&mut self.node_met, &other.node_met);
        add(&mut self.critical, &other.critical);
        self.rows.extend(other.rows);
        self.rows.sort_by_key(|r| r.sample);
    }
}
