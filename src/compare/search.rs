//! Running a comparison: the variants solved side by side on a pool of
//! threads, either all of them or, for `--find-minimum`, level by level
//! cheapest first followed by the proofs that nothing cheaper meets the
//! deadline (the arguments are in [`super::minimum`]).
//!
//! What the user sees while it runs is the caller's: a [`Watch`] is told
//! when a phase starts, when variants are queued, and how each job goes
//! ([`Quiet`] shows nothing).

use super::chance::RiskSettings;
use super::minimum::{dominated, levels, Proof};
use super::outcome::additions;
use super::{prove_late, solve_variant, Outcome, Variant};
use crate::both;
use crate::lang::Both;
use crate::scenario::{Scenario, Source};
use crate::schedule::budget::Budget;
use crate::schedule::outcome::Progress;
use crate::schedule::portfolio::Portfolio;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What a comparison is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Solving variants.
    Solve,
    /// Proving cheaper variants unable to meet the deadline.
    Prove,
    /// Simulating the variants' plans in sampled futures (`--risk-samples`).
    Risk,
}

/// What a running comparison reports. [`Watch::start`], [`Watch::progress`]
/// and [`Watch::done`] are called from the worker threads.
pub trait Watch: Sync {
    /// What one running job's reports go to.
    type Job;
    /// A phase starts (the previous one, if any, is over).
    fn phase(&mut self, phase: Phase);
    /// `n` more variants are queued in the current phase.
    fn queued(&self, n: usize);
    /// A job on the variant named `label` starts.
    fn start(&self, label: &str) -> Self::Job;
    /// A solve's progress.
    fn progress(&self, job: &Self::Job, progress: &Progress);
    /// The job is done.
    fn done(&self, job: Self::Job);
    /// The comparison is over.
    fn finish(&mut self);
}

/// A [`Watch`] that shows nothing.
#[derive(Debug, Default)]
pub struct Quiet;

impl Watch for Quiet {
    type Job = ();
    fn phase(&mut self, _: Phase) {}
    fn queued(&self, _: usize) {}
    fn start(&self, _: &str) {}
    fn progress(&self, _: &(), _: &Progress) {}
    fn done(&self, _: ()) {}
    fn finish(&mut self) {}
}

/// Runs `work` on each of `indices` with `jobs` threads, taking the next
/// index as a thread becomes free; stops taking new ones once `stop` is
/// raised. Returns the finished items' results, in finishing order.
pub fn in_parallel<T: Send>(
    indices: &[usize],
    jobs: usize,
    stop: &AtomicBool,
    work: impl Fn(usize) -> T + Sync,
) -> Vec<(usize, T)> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(indices.len()) {
            s.spawn(|| loop {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Some(&i) = indices.get(next.fetch_add(1, Ordering::SeqCst)) else {
                    break;
                };
                let result = work(i);
                done.lock()
                    .expect("no panic while holding")
                    .push((i, result));
            });
        }
    });
    done.into_inner().expect("no panic while holding")
}

/// What every solve of one comparison shares.
#[derive(Debug, Clone, Copy)]
pub struct Session<'a> {
    /// The scenario as written.
    pub base: &'a Scenario,
    /// Its text, which the variants' spans point into.
    pub source: &'a Source,
    /// Every variant compared.
    pub variants: &'a [Variant],
    /// Solves at once.
    pub jobs: usize,
    /// Raised by Ctrl-C: no new solve starts, running ones stop early.
    pub stop: &'a Arc<AtomicBool>,
    /// The portfolio of every solve.
    pub portfolio: &'a Portfolio,
    /// The budget of every solve (one HiGHS thread each), restarted for each.
    pub budget: &'a Budget,
    /// `--find-minimum` asks for every time node met too, not only every
    /// station on time (`--target all-nodes`).
    pub all_nodes: bool,
    /// Simulate every solved variant's plan in sampled futures
    /// (`--risk-samples`; see [`super::chance`]).
    pub risk: Option<RiskSettings>,
    /// `--find-minimum` asks for this probability of every station on time
    /// instead (`--min-probability`; needs `risk`).
    pub min_probability: Option<f64>,
}

/// The result of a comparison, ready to render.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The variants solved, in the variants' order; when interrupted, the
    /// variants never run are listed as "not run (interrupted)".
    pub outcomes: Vec<Outcome>,
    /// One note per outcome: for a minimum search, minimum, ruled out (and
    /// why) or not ruled out; otherwise empty.
    pub notes: Vec<Both>,
    /// One paragraph for the terminal and the page, in both languages.
    pub summary: Both,
    /// A minimum search's answer (an index into the variants); `None` when
    /// no variant met the deadline, or without a search.
    pub minimum: Option<usize>,
    /// Ctrl-C stopped the comparison early.
    pub interrupted: bool,
}

impl Session<'_> {
    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    /// Solves the variants at `indices` in parallel into `results`.
    pub(super) fn solve<W: Watch>(
        &self,
        indices: &[usize],
        watch: &W,
        results: &mut [Option<Outcome>],
    ) {
        let done = in_parallel(indices, self.jobs, self.stop, |i| {
            let variant = &self.variants[i];
            let job = watch.start(&variant.name);
            let budget = self.budget.restarted();
            let outcome = solve_variant(
                self.base,
                self.source,
                variant,
                self.portfolio,
                &budget,
                &mut |p| watch.progress(&job, p),
            );
            watch.done(job);
            outcome
        });
        for (i, o) in done {
            results[i] = Some(o);
        }
    }

    /// Solves every variant.
    pub fn compare_all<W: Watch>(&self, watch: &mut W) -> Comparison {
        let n = self.variants.len();
        let mut results: Vec<Option<Outcome>> = vec![None; n];
        watch.phase(Phase::Solve);
        watch.queued(n);
        let all: Vec<usize> = (0..n).collect();
        self.solve(&all, watch, &mut results);
        let risk = self.assess_all(watch, &mut results);
        watch.finish();
        let met = results
            .iter()
            .flatten()
            .filter(|o| o.meets_deadline())
            .count();
        let mut summary = both!(
            "{met} of {n} variant(s) have every station heat-ready by the deadline.",
            "{n} 个方案中有 {met} 个能使所有换热站在期限前具备供热条件。"
        );
        if let Some(words) = risk {
            summary = summary.join(&words, " ", "");
        }
        self.comparison(results, vec![Both::default(); n], summary, None)
    }

    /// Searches the variants cheapest first (fewest added crews, or lowest
    /// added cost when every changed contractor has a cost) for the first
    /// that has every station heat-ready by the deadline, then tries to
    /// prove every cheaper variant unable to.
    pub fn find_minimum<W: Watch>(&self, watch: &mut W) -> Comparison {
        if let Some(target) = self.min_probability {
            return self.find_minimum_probability(watch, target);
        }
        let variants = self.variants;
        let mut results: Vec<Option<Outcome>> = vec![None; variants.len()];
        let (keys, by_cost) = self.cost_keys();
        let (measure, measure_zh) = measure_words(by_cost);
        let (goal, goal_zh) = if self.all_nodes {
            (
                "every station heat-ready by the deadline and every time node met",
                "使所有换热站在期限前具备供热条件并达成每个时间节点",
            )
        } else {
            (
                "every station heat-ready by the deadline",
                "使所有换热站在期限前具备供热条件",
            )
        };
        watch.phase(Phase::Solve);
        let mut answer = None;
        let mut cheaper: Vec<usize> = Vec::new();
        for level in levels(&keys) {
            watch.queued(level.len());
            self.solve(&level, watch, &mut results);
            let best = level
                .iter()
                .filter(|&&i| results[i].as_ref().is_some_and(|o| o.meets(self.all_nodes)))
                .min_by_key(|&&i| results[i].as_ref().and_then(|o| o.solve.objective));
            if let Some(&i) = best {
                answer = Some(i);
                break;
            }
            if self.stopped() {
                break;
            }
            cheaper.extend(&level);
        }
        let mut notes = vec![Both::default(); variants.len()];
        let Some(a) = answer else {
            let risk = self.assess_all(watch, &mut results);
            watch.finish();
            let summary = if self.stopped() {
                both!(
                    "Interrupted before any variant met the deadline.",
                    "在有方案满足期限之前已中断。"
                )
            } else {
                let n = variants.len();
                both!(
                    "No variant has {goal} (searched {n} variants by {measure}); try larger crew counts or a longer --time-limit.",
                    "没有方案能{goal_zh}（按{measure_zh}搜索了 {n} 个方案）；请试更多班组或更长的 --time-limit。"
                )
            };
            let summary = match risk {
                Some(words) => summary.join(&words, " ", ""),
                None => summary,
            };
            return self.comparison(results, notes, summary, None);
        };
        let proofs = self.prove_cheaper(&cheaper, &results, watch);
        let risk = self.assess_all(watch, &mut results);
        watch.finish();
        let unproven: Vec<&str> = cheaper
            .iter()
            .zip(&proofs)
            .filter(|(_, p)| p.is_none())
            .map(|(&i, _)| variants[i].name.as_str())
            .collect();
        for (&i, p) in cheaper.iter().zip(&proofs) {
            notes[i] = match p {
                Some(p) => {
                    let w = p.words();
                    let (en, zh) = (w.en, w.zh);
                    both!("ruled out ({en})", "已排除（{zh}）")
                }
                None => both!("not ruled out", "未排除"),
            };
        }
        let name = &variants[a].name;
        let (what, what_zh) = key_words(keys[a], by_cost);
        let proven = || both!("minimum (proven)", "最少（已证明）");
        let summary = if cheaper.is_empty() {
            notes[a] = proven();
            both!(
                "Minimum: \"{name}\" ({what}) has {goal}; no variant searched has a lower {measure}.",
                "最少：“{name}”（{what_zh}）能{goal_zh}；搜索过的方案中没有{measure_zh}更低的。"
            )
        } else if unproven.is_empty() {
            notes[a] = proven();
            let k = cheaper.len();
            both!(
                "Minimum: \"{name}\" ({what}) has {goal}; proven minimal: all {k} variant(s) with a lower {measure} are proven unable to meet it.",
                "最少：“{name}”（{what_zh}）能{goal_zh}；已证明最少：{measure_zh}更低的 {k} 个方案都已证明无法满足期限。"
            )
        } else {
            notes[a] = both!("minimum (best found)", "最少（找到的最好）");
            let (u, k) = (unproven.len(), cheaper.len());
            let secs = self.budget.limit().as_secs_f64();
            let first = unproven.iter().take(5).cloned().collect::<Vec<_>>();
            let (list, list_zh) = (first.join(", "), first.join("、"));
            both!(
                "Minimum: \"{name}\" ({what}) has {goal}; best found, smaller not ruled out: {u} of {k} cheaper variant(s) missed the deadline in {secs} s without a proof that they must ({list}).",
                "最少：“{name}”（{what_zh}）能{goal_zh}；这是找到的最好方案，未排除更少的：{k} 个更省的方案中有 {u} 个在 {secs} 秒内未满足期限，但未证明必然如此（{list_zh}）。"
            )
        };
        let summary = match risk {
            Some(words) => summary.join(&words, " ", ""),
            None => summary,
        };
        self.comparison(results, notes, summary, Some(a))
    }

    /// Each variant's search key, cheapest first: its added cost when
    /// every variant's changed contractors have a cost (and some variant
    /// adds crews), else its added crews; and whether it is the cost.
    pub(super) fn cost_keys(&self) -> (Vec<f64>, bool) {
        let added: Vec<(i64, Option<f64>)> = self
            .variants
            .iter()
            .map(|v| additions(self.base, &v.scenario))
            .collect();
        let by_cost = added.iter().all(|a| a.1.is_some()) && added.iter().any(|a| a.0 != 0);
        let keys = added
            .iter()
            .map(|&(crews, cost)| {
                if by_cost {
                    cost.unwrap_or(0.0)
                } else {
                    crews as f64
                }
            })
            .collect();
        (keys, by_cost)
    }

    /// Tries to prove every variant of `cheaper` unable to meet the
    /// deadline: dominance by a proven variant first, then the capacity,
    /// bound and solver arguments, on the variants no other unproven one
    /// dominates first.
    fn prove_cheaper<W: Watch>(
        &self,
        cheaper: &[usize],
        results: &[Option<Outcome>],
        watch: &mut W,
    ) -> Vec<Option<Proof>> {
        let variants = self.variants;
        let mut proofs: Vec<Option<Proof>> = vec![None; cheaper.len()];
        let mut tried = vec![false; cheaper.len()];
        watch.phase(Phase::Prove);
        loop {
            // Dominance: no more crews than a proven variant.
            for k in 0..cheaper.len() {
                if proofs[k].is_some() {
                    continue;
                }
                let v = &variants[cheaper[k]];
                if let Some(j) = (0..cheaper.len())
                    .find(|&j| j != k && proofs[j].is_some() && dominated(v, &variants[cheaper[j]]))
                {
                    proofs[k] = Some(Proof::Dominated(variants[cheaper[j]].name.clone()));
                }
            }
            let open: Vec<usize> = (0..cheaper.len())
                .filter(|&k| proofs[k].is_none() && !tried[k])
                .collect();
            let maximal: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&k| {
                    !open.iter().any(|&j| {
                        j != k
                            && dominated(&variants[cheaper[k]], &variants[cheaper[j]])
                            && !dominated(&variants[cheaper[j]], &variants[cheaper[k]])
                    })
                })
                .collect();
            if maximal.is_empty() || self.stopped() {
                break;
            }
            watch.queued(maximal.len());
            let watch = &*watch;
            let found = in_parallel(&maximal, self.jobs, self.stop, |k| {
                let i = cheaper[k];
                let job = watch.start(&variants[i].name);
                let proof = results[i].as_ref().and_then(|o| {
                    prove_late(
                        self.source,
                        &variants[i],
                        o,
                        self.budget.limit(),
                        Some(self.stop.clone()),
                    )
                });
                watch.done(job);
                proof
            });
            for &k in &maximal {
                tried[k] = true;
            }
            for (k, p) in found {
                proofs[k] = p;
            }
        }
        proofs
    }

    /// The comparison of `results`: the variants solved, and when
    /// interrupted those never run, each with its note.
    pub(super) fn comparison(
        &self,
        results: Vec<Option<Outcome>>,
        notes: Vec<Both>,
        summary: Both,
        minimum: Option<usize>,
    ) -> Comparison {
        let interrupted = self.stopped();
        let (outcomes, notes) = results
            .into_iter()
            .zip(notes)
            .enumerate()
            .filter_map(|(i, (o, n))| match o {
                Some(o) => Some((o, n)),
                None if interrupted => Some((
                    Outcome::not_run(
                        &self.variants[i].name,
                        self.base,
                        &self.variants[i].scenario,
                        &both!("not run (interrupted)", "未计算（已中断）"),
                    ),
                    n,
                )),
                None => None,
            })
            .unzip();
        Comparison {
            outcomes,
            notes,
            summary,
            minimum,
            interrupted,
        }
    }
}

/// What the search orders by, in English and Chinese.
pub(super) fn measure_words(by_cost: bool) -> (&'static str, &'static str) {
    if by_cost {
        ("added cost", "增加费用")
    } else {
        ("added crews", "增加班组")
    }
}

/// A variant's search key in words, in English and Chinese.
pub(super) fn key_words(key: f64, by_cost: bool) -> (String, String) {
    if by_cost {
        (format!("added cost {key:.0}"), format!("增加费用 {key:.0}"))
    } else {
        (
            format!("{:+} crews", key as i64),
            format!("{:+} 个班组", key as i64),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_parallel_runs_each_index_once_and_stops_when_asked() {
        let stop = AtomicBool::new(false);
        let mut done = in_parallel(&[4, 1, 7, 3], 3, &stop, |i| i * 10);
        done.sort();
        assert_eq!(done, vec![(1, 10), (3, 30), (4, 40), (7, 70)]);
        stop.store(true, Ordering::SeqCst);
        assert!(in_parallel(&[1, 2], 2, &stop, |i| i).is_empty());
    }
}
