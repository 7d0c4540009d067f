//! Schedule risk by simulation: how likely is every station heat-ready by
//! the deadline, and what drives it?
//!
//! A plan is one future. The scenario's `[risk]` section
//! ([`RiskModel`](crate::scenario::risk::RiskModel)) describes the spread
//! around it: rainy days, heavy-pollution alerts, productivity per step,
//! permit and delivery delays. Monte Carlo simulation samples many futures
//! and executes the plan in each (the `fixed` policy, see [`study`]): the
//! plan's contractors and each crew's and trench's planned sequence of
//! jobs, each activity as early as its links and hand-overs allow under the
//! sampled calendar and durations. Counting the outcomes gives, with the standard
//! error of each estimate:
//!
//! - the probability that each station, each district (all its stations)
//!   and the city (every station) is heat-ready by the deadline, and the
//!   expected households heat-ready;
//! - the P50/P80/P90 heat-ready dates (percentiles of the sampled dates);
//! - the probability of each time node with a due date;
//! - the criticality index of each activity: the share of samples in which
//!   it lies on the driving path of the last station (followed back through
//!   the link or crew/trench hand-over that released each activity last);
//! - a tornado: the correlation of each uncertainty's sampled value (wet
//!   days, alert days, a step's mean productivity, a delay) with the
//!   heat-ready day of the last station.
//!
//! Samples are independent: sample `i` draws from streams seeded by the
//! study's seed and `i` alone (module `future`). They run on every core
//! ([`simulate`], `std::thread::scope` over an atomic counter), each thread
//! counting into its own [`Tally`] of integers; tallies add up exactly in
//! any order, so a seed gives the same result on any number of threads, and
//! samples split into shards ([`Part`]) and merged give the result of one
//! run.
//!
//! The `reactive` policy (re-planning at checkpoints) is not implemented;
//! the CLI refuses it with a message.

pub mod estimate;
mod future;
pub mod study;
pub mod tally;

pub use estimate::Estimates;
pub use study::{Driver, SampleDates, Study};
pub use tally::Tally;

use crate::schedule::Day;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};
use tally::{Node, Shape};

/// Version of the part-file format.
pub const PART_FORMAT: u32 = 1;

/// What a study is about, in names: enough to report a [`Tally`] without
/// the project (for `risk merge`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// Identifies the scenario, plan, seed and sample count: only parts
    /// with the same fingerprint merge.
    pub fingerprint: String,
    /// Programme name.
    pub programme: String,
    /// Seed.
    pub seed: u64,
    /// Samples of the whole study (all shards).
    pub samples: u64,
    /// First day of the grid.
    pub window_start: chrono::NaiveDate,
    /// Heat-ready deadline.
    pub deadline: chrono::NaiveDate,
    /// First uncertain day (the data date of a revision, else the window start).
    pub data_date: chrono::NaiveDate,
    /// Grid length in days.
    pub horizon: Day,
    /// Exclusive due day of the deadline.
    pub due: Day,
    /// Stations: id, name, district id, households, planned heat-ready date.
    pub stations: Vec<(String, String, String, u64, chrono::NaiveDate)>,
    /// District ids.
    pub districts: Vec<String>,
    /// Time nodes: id, name, due date.
    pub nodes: Vec<(String, String, chrono::NaiveDate)>,
    /// Activity ids.
    pub activities: Vec<String>,
    /// The uncertainties of the tornado.
    pub drivers: Vec<Driver>,
}

/// The result of some samples of a study: its meta and its tally. A shard
/// writes one; [`Part::merge`] joins them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    /// Part-file format version.
    pub format: u32,
    /// The study.
    pub meta: Meta,
    /// Sample indices covered: `first..first + count`.
    pub first: u64,
    /// Number of samples covered.
    pub count: u64,
    /// The counts.
    pub tally: Tally,
}

/// Why parts do not merge.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MergeError {
    /// Parts of different studies.
    #[error("part {index} is from another study (scenario, plan, seed or sample count differ)")]
    Mismatch {
        /// Position of the odd part.
        index: usize,
    },
    /// Parts covering a sample twice.
    #[error("sample {sample} is in two parts")]
    Overlap {
        /// A sample counted twice.
        sample: u64,
    },
    /// No part given.
    #[error("no part to merge")]
    Empty,
}

impl Part {
    /// Joins parts of one study; `missing` in the result tells how many
    /// samples of the study no part covered.
    pub fn merge(parts: Vec<Part>) -> Result<Part, MergeError> {
        let mut iter = parts.into_iter();
        let mut out = iter.next().ok_or(MergeError::Empty)?;
        for (i, p) in iter.enumerate() {
            if p.meta != out.meta || p.format != out.format {
                return Err(MergeError::Mismatch { index: i + 1 });
            }
            out.first = out.first.min(p.first);
            out.count += p.count;
            out.tally.merge(p.tally);
        }
        if let Some(w) = out
            .tally
            .rows
            .windows(2)
            .find(|w| w[0].sample == w[1].sample)
        {
            return Err(MergeError::Overlap {
                sample: w[0].sample,
            });
        }
        Ok(out)
    }

    /// Samples of the study no part covered.
    pub fn missing(&self) -> u64 {
        self.meta.samples.saturating_sub(self.tally.samples)
    }
}

/// Which samples to run: `first..first + count` of a study of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// First sample index.
    pub first: u64,
    /// Number of samples.
    pub count: u64,
    /// Samples of the whole study.
    pub total: u64,
}

impl Range {
    /// Every sample of a study of `total`.
    pub fn all(total: u64) -> Range {
        Range {
            first: 0,
            count: total,
            total,
        }
    }

    /// Shard `k` (1-based) of `n`: contiguous, sizes differing by at most one.
    pub fn shard(total: u64, k: u64, n: u64) -> Range {
        let first = total * (k - 1) / n;
        let end = total * k / n;
        Range {
            first,
            count: end - first,
            total,
        }
    }
}

/// Runs the samples of `range` on `threads` threads, calling `progress`
/// with the number done after each sample.
pub fn simulate(
    study: &Study,
    range: Range,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Part {
    let shape = shape(study);
    let n = study.planned().len();
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let threads = threads.clamp(1, range.count.max(1) as usize);
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut tally = Tally::new(&shape, n);
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= range.count {
                            return tally;
                        }
                        let sample = range.first + i;
                        let dates = study.run(sample);
                        tally.record(&shape, sample, &dates);
                        progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a sampling thread panicked"))
            .collect()
    });
    let mut tally = Tally::new(&shape, n);
    for t in tallies {
        tally.merge(t);
    }
    Part {
        format: PART_FORMAT,
        meta: meta(study, range.total),
        first: range.first,
        count: range.count,
        tally,
    }
}

/// What the tally counts, from the study.
fn shape(study: &Study) -> Shape {
    let pr = study.project;
    let s = &pr.programme;
    let cal = &pr.calendar;
    Shape {
        stations: pr
            .work
            .heat_ready
            .iter()
            .map(|h| (h.activity, h.households))
            .collect(),
        station_district: pr
            .work
            .heat_ready
            .iter()
            .map(|h| s[h.station].district.index())
            .collect(),
        districts: s.districts.len(),
        nodes: s
            .milestones
            .iter()
            .filter_map(|m| {
                let due = m.due?;
                let &(a, _) = pr.work.bounds.get(&m.id)?;
                let day = (due - cal.start()).num_days();
                Some(Node {
                    activity: a,
                    due_day: (day >= 0).then_some(day),
                })
            })
            .collect(),
        horizon: study.horizon,
        due: study.due,
    }
}

/// The names of a study.
fn meta(study: &Study, samples: u64) -> Meta {
    let pr = study.project;
    let s = &pr.programme;
    let cal = &pr.calendar;
    let planned = study.planned();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    if let Some(src) = &pr.source {
        eat(src.text.as_bytes());
    }
    for &(a, b) in planned {
        eat(&a.to_le_bytes());
        eat(&b.to_le_bytes());
    }
    eat(&study.seed.to_le_bytes());
    eat(&samples.to_le_bytes());
    eat(&study.data_day.to_le_bytes());
    let date = |end: Day| cal.start() + chrono::Duration::days(i64::from(end.max(1)) - 1);
    Meta {
        fingerprint: format!("{h:016x}"),
        programme: s.name.clone(),
        seed: study.seed,
        samples,
        window_start: cal.start(),
        deadline: s.deadline,
        data_date: cal.date(study.data_day),
        horizon: study.horizon,
        due: study.due,
        stations: pr
            .work
            .heat_ready
            .iter()
            .map(|hr| {
                let st = &s[hr.station];
                (
                    st.id.clone(),
                    st.name.clone(),
                    s[st.district].id.clone(),
                    hr.households,
                    date(planned[hr.activity].1),
                )
            })
            .collect(),
        districts: s.districts.iter().map(|d| d.id.clone()).collect(),
        nodes: s
            .milestones
            .iter()
            .filter(|m| m.due.is_some() && pr.work.bounds.contains_key(&m.id))
            .map(|m| (m.id.clone(), m.name.clone(), m.due.expect("filtered")))
            .collect(),
        activities: pr.work.items.iter().map(|i| i.id.clone()).collect(),
        drivers: study.drivers.clone(),
    }
}
