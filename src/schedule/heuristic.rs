//! The primal heuristic: priority rules, biased sampling, forward–backward
//! improvement and a genetic algorithm on activity lists.
//!
//! Every candidate is an *activity list* decoded by the serial
//! schedule-generation scheme of [`super::sgs`], then improved by
//! forward–backward improvement (double justification): a backward pass
//! ([`Sgs::right_justify`]) moves the activities, latest finisher first, as
//! late as they go without passing the finish (nor, for a station or time
//! node, its due day or its current completion) and never earlier than they
//! were — so it always fits, calendars, not-before dates and trench limits
//! included — and a forward pass places them, earliest starter first, as
//! early as possible again. The result is kept when it is better; this is
//! repeated while it helps.
//! The order of the justified schedule's starts becomes the candidate's list,
//! so what the search learns is kept in its genes (Valls et al.).
//!
//! The search starts from the classic priority rules computed on the CPM
//! windows — latest finish, latest start, minimum slack, most total
//! successors, greatest rank positional weight, and a latest finish tightened
//! by the due days of the station groups, and when re-planning the baseline's
//! start order — and fills a population with
//! regret-based biased random sampling around them: among the eligible
//! activities, each is drawn with a probability growing with how much better
//! its priority is than the worst one's.
//!
//! With due groups the population is also seeded by due-anchored passes
//! (the `anchor` submodule): a backward pass ending every station's
//! work by its due day (and every time node's by its own), whose order of
//! starts the forward pass then takes. Among them are seeds that anchor one
//! due day's time nodes a few weeks *before* their due day
//! (`NODE_LEADS`): on the city the plain anchor leaves the
//! interconnection's trenches behind the stations' work for the same
//! earthworks crews, and it misses its node by weeks, while a lead puts that
//! work first and the stations still fit (city, 60 s, load 8-10: node missed
//! by 5-10 days instead of 17-23, the other nodes all met).
//!
//! The population then evolves as in Hartmann's genetic algorithm: random
//! pairs produce two children each, half of them by two-point crossover (a
//! prefix of one parent, a middle in the other parent's relative order, the
//! rest in the first parent's order — always precedence-feasible) and half by
//! peak crossover (Valls et al.): the activities the father starts in his
//! most heavily loaded window of days — the part of his schedule that packs
//! the resources best — stay together in his order, inserted into the
//! mother's list where the first of them stood. Children are mutated
//! by swapping neighbours that are not linked and, half of the time, by
//! shifting one activity to a random place between its predecessors and its
//! successors. Each individual also carries a mode gene per multi-mode
//! activity ("best when decoded" or a fixed mode), crossed uniformly and
//! mutated rarely. The best distinct individuals of parents and children
//! survive, children first among equal values so that the population drifts
//! across the wide plateaus of the makespan. When the population stops
//! improving for a while it is replaced, all but the best individual: half
//! by lists sampled around the best schedule's order of starts (intensifying
//! where the search is best), half by fresh samples around the priority
//! rules. A population of 100 with these restarts keeps improving over a
//! budget of seconds where 40 with partial restarts converged early (on the
//! PSPLIB j60 sample, 3 s each: mean gap to the best known 0.8 % against
//! 1.5 %, two seeds).
//!
//! On a programme with both stations and time nodes, the second of the
//! parallel runs ([`heuristic_on_threads`]) ranks its candidates with the two
//! lateness levels swapped — a node-day outweighs every household-day — so
//! that its population evolves where the nodes are met, stations late or
//! not, while the plan it returns is still its best by the objective (the
//! real lexicographic score referees). Its due-anchored seeds are swapped
//! too: the nodes' allowances are found first with the stations' work free
//! to end by the horizon, then the stations' smallest allowance with the
//! nodes' kept. On the city a plain run reaches the
//! interconnection node only where the stations' work happens to leave the
//! earthworks crews free; the nodes-first run crosses plans the plain one
//! rejects for a household-day. With the swapped anchoring on the city
//! (60 s, seeds 1–5, load 3–4.6, alternated with the plain threads): node-days
//! late 6/6/6/0/4 against 6/10/6/17/9, every station on time in both; seed
//! 4 meets every node (the plain threads' plan misses the interconnection
//! by 16 days and a district by 1); again for seeds 1–3 at load 2: 3/5/6
//! against 1/10/6 (which seed wins is a lottery; over the eight pairs 36
//! node-days against 65).
//!
//! The search stops at the time limit, at the stop flag, after
//! `max_candidates` decoded candidates, after `patience` candidates in a row
//! without improvement, or as soon as the best schedule meets the
//! [`lower_bound`](super::bound::lower_bound) (given by the caller, or
//! computed within a tenth of the budget). Randomness comes from the splitmix64 [`Rng`] seeded
//! by the budget, so a run limited by candidates is reproducible.

use std::collections::HashSet;

use super::budget::Budget;
use super::problem::{ActId, Day, Level, Objective, Problem, Schedule};
use super::rng::Rng;
use super::sgs::{ModePolicy, Sgs};
use super::window::Windows;

mod anchor;
mod rules;
use rules::{due_latest_finish, level_due, min_durations, priority_rules};

/// The best schedule the heuristic finds within `budget`, by
/// `p.score(..).value`; `None` when no feasible schedule was found. It
/// stops at the budget's deadline, stop flag or candidate limit, and, when
/// `patience` is given, after that many decoded candidates in a row that did
/// not improve the best schedule (used when an exact method follows).
pub fn heuristic(p: &Problem, budget: &Budget, patience: Option<usize>) -> Option<Schedule> {
    heuristic_with_bound(p, budget, patience, quick_bound(p, budget))
}

/// [`heuristic`] with a known lower bound `lb` on the value (0 if none):
/// the search stops as soon as its best schedule meets it.
pub fn heuristic_with_bound(
    p: &Problem,
    budget: &Budget,
    patience: Option<usize>,
    lb: u64,
) -> Option<Schedule> {
    ranked_search(p, budget, patience, lb, Rank::Plain)
}

/// How a run ranks its candidates (what its population evolves by); the
/// best schedule it returns is always the best by `p.score(..).value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rank {
    /// By the objective itself.
    Plain,
    /// Time nodes above stations (the two lateness levels swapped), see
    /// [`heuristic_on_threads_with_bound`].
    NodesFirst,
}

fn ranked_search(
    p: &Problem,
    budget: &Budget,
    patience: Option<usize>,
    lb: u64,
    rank: Rank,
) -> Option<Schedule> {
    ranked_search_both(p, budget, patience, lb, rank).0
}

/// The best schedule by the objective and the best by the ranking.
fn ranked_search_both(
    p: &Problem,
    budget: &Budget,
    patience: Option<usize>,
    lb: u64,
    rank: Rank,
) -> (Option<Schedule>, Option<Schedule>) {
    let Ok(windows) = Windows::compute(p) else {
        return (None, None);
    };
    let mut s = GeneticSearch::new(p, windows, budget, patience, lb);
    if rank == Rank::NodesFirst {
        s.rank = Some(nodes_first(p));
    }
    s.run();
    let ranked = s.ranked_best.map(|(_, sched)| sched);
    let best = s.best.map(|(_, sched)| sched);
    (best, ranked)
}

/// The heuristic ranking its candidates with the time nodes above the
/// stations (one run, no bound): the best schedule by the objective and the
/// best by that ranking (for probes).
pub fn heuristic_nodes_first(p: &Problem, budget: &Budget) -> (Option<Schedule>, Option<Schedule>) {
    ranked_search_both(p, budget, None, 0, Rank::NodesFirst)
}

/// The lexicographic weights of `p` with its two lateness levels swapped,
/// as `(per node-day, per household-day, finish, cost)`: a node-day late
/// outweighs any household-days.
fn nodes_first(p: &Problem) -> Objective {
    let mut q = p.clone();
    for g in &mut q.groups {
        g.level = match g.level {
            Level::Households => Level::Node,
            Level::Node => Level::Households,
        };
    }
    let o = Objective::lexicographic(&q);
    // In `q` the time nodes are on the households' level: swap back.
    Objective {
        lateness: o.node,
        node: o.lateness,
        ..o
    }
}

/// Whether `p` has both stations and time nodes with due days (only then
/// does ranking the nodes first differ from the objective).
fn has_both_levels(p: &Problem) -> bool {
    let has = |l: Level| p.groups.iter().any(|g| g.level == l);
    has(Level::Households) && has(Level::Node)
}

/// The lower bound computed within a tenth of the time left in `budget`
/// (0 when the windows show no schedule exists: the search then finds none).
fn quick_bound(p: &Problem, budget: &Budget) -> u64 {
    let give_up = budget.share(0.1).deadline();
    super::bound::lower_bound_until(p, give_up).map_or(0, |b| b.value)
}

/// [`heuristic`] on `budget.threads` threads at once, each with its own
/// seed (the first with `budget.seed`), keeping the best schedule (the first
/// thread's among equals). With stations and time nodes, the second thread
/// ranks its candidates with the time nodes first (see the module
/// documentation). The runs share nothing, so on a machine with idle
/// cores this is as many independent searches for the wall-clock time of
/// one; with the same budget and no time limit binding, the result is the
/// same.
pub fn heuristic_on_threads(
    p: &Problem,
    budget: &Budget,
    patience: Option<usize>,
) -> Option<Schedule> {
    heuristic_on_threads_with_bound(p, budget, patience, quick_bound(p, budget))
}

/// [`heuristic_on_threads`] with a known lower bound `lb` on the value (see
/// [`heuristic_with_bound`]).
pub fn heuristic_on_threads_with_bound(
    p: &Problem,
    budget: &Budget,
    patience: Option<usize>,
    lb: u64,
) -> Option<Schedule> {
    let threads = budget.threads;
    if threads <= 1 {
        return heuristic_with_bound(p, budget, patience, lb);
    }
    let runs: Vec<Option<Schedule>> = std::thread::scope(|scope| {
        let others: Vec<_> = (1..threads as u64)
            .map(|k| {
                let b = budget
                    .clone()
                    .with_seed(budget.seed ^ k.wrapping_mul(0x9E37_79B9_7F4A_7C15));
                let rank = if k == 1 && has_both_levels(p) {
                    Rank::NodesFirst
                } else {
                    Rank::Plain
                };
                scope.spawn(move || ranked_search(p, &b, patience, lb, rank))
            })
            .collect();
        let mut runs = vec![heuristic_with_bound(p, budget, patience, lb)];
        runs.extend(
            others
                .into_iter()
                .map(|h| h.join().expect("a heuristic run does not panic")),
        );
        runs
    });
    // `min_by_key` keeps the first of equal schedules.
    runs.into_iter().flatten().min_by_key(|s| p.score(s).value)
}

/// Mode gene meaning "choose the best mode when decoding".
const ANY_MODE: usize = usize::MAX;

/// One member of the population: its (justified) list, its mode genes and
/// its objective value.
#[derive(Debug, Clone)]
struct Individual {
    value: u64,
    list: Vec<ActId>,
    modes: Vec<usize>,
    /// The justified schedule (starts and modes).
    sched: Schedule,
}

/// Individuals kept from one generation to the next.
const POPULATION: usize = 100;
/// Room after the last due day, in a due-anchored backward pass, for work
/// no station waits for.
const TAIL: Day = 10;
/// Probability of swapping each pair of neighbours, and of resetting each
/// mode gene, in a child.
const MUTATION: f64 = 0.05;
/// Probability that a child also gets one random shift of an activity.
const SHIFT_RATE: f64 = 0.5;
/// Generations without a better best before all but the best eighth of the population is replaced.
const STALL_GENERATIONS: usize = 30;
/// Share of a restarted population sampled around the best schedule (the
/// rest is fresh samples around the priority rules).
const AROUND_BEST: f64 = 0.5;
/// Probability that a child is made by peak crossover rather than two-point.
const PEAK_RATE: f64 = 0.5;
/// Leads (days before a time node's due day) of the due-anchored seeds that
/// pull the node's work ahead.
const NODE_LEADS: [Day; 3] = [10, 20, 40];

/// The state of one run: the population's best, the counters and the
/// priority rules.
struct GeneticSearch<'p, 'b> {
    p: &'p Problem,
    sgs: Sgs<'p>,
    budget: &'b Budget,
    patience: Option<usize>,
    iterations: usize,
    /// The iteration count when the best schedule last improved.
    improved_at: usize,
    lb: u64,
    rng: Rng,
    rules: Vec<Vec<i64>>,
    /// The latest finish tightened by the due days, when there are groups.
    due_rule: Option<Vec<i64>>,
    /// The due day of each activity's earliest-due station group
    /// ([`Level::Households`]; `Day::MAX` if none).
    member_due: Vec<Day>,
    /// The due day of each activity's earliest-due time node
    /// ([`Level::Node`]; `Day::MAX` if none).
    node_due: Vec<Day>,
    /// The smallest allowance past the time nodes' due days for which a
    /// due-anchored backward pass fitted with the stations' allowance, once
    /// found (`None`: no nodes, or none fits).
    node_late: Option<Day>,
    /// Per due day of the time nodes, a smaller allowance than `node_late`
    /// that still fitted (see [`GeneticSearch::due_anchored`]).
    node_allow: Vec<(Day, Day)>,
    /// A lead before the due day of the time nodes due on one day, for the
    /// seeds that pull a node's work ahead (see
    /// [`GeneticSearch::node_led_variants`]); `None`: no lead.
    node_lead: Option<(Day, Day)>,
    /// The smallest lateness allowance for which a due-anchored backward
    /// pass fitted, once found.
    anchor_late: Option<Day>,
    linked: HashSet<(ActId, ActId)>,
    /// The best schedule by the objective, with its value.
    best: Option<(u64, Schedule)>,
    /// Other weights to rank the candidates by (the population evolves by
    /// them, [`Self::best`] stays the objective's); `None`: the objective's.
    rank: Option<Objective>,
    /// With [`Self::rank`], the best schedule by it, with its ranking value.
    ranked_best: Option<(u64, Schedule)>,
    /// Activities with more than one mode.
    multi: Vec<ActId>,
    inn: Vec<Vec<usize>>,
    out: Vec<Vec<usize>>,
    /// Activities with a single allowed start and no predecessor (work
    /// fixed by a re-plan): decoded first so that nothing takes their crews.
    pinned: Vec<ActId>,
}

impl<'p, 'b> GeneticSearch<'p, 'b> {
    fn new(
        p: &'p Problem,
        w: Windows,
        budget: &'b Budget,
        patience: Option<usize>,
        lb: u64,
    ) -> Self {
        GeneticSearch {
            p,
            sgs: Sgs::new(p),
            budget,
            patience,
            iterations: 0,
            improved_at: 0,
            lb,
            rng: Rng::new(budget.seed ^ 0x5EED_0F4E_A7A5),
            rules: priority_rules(p, &w),
            member_due: level_due(p, Level::Households),
            node_due: level_due(p, Level::Node),
            node_late: None,
            node_allow: Vec::new(),
            node_lead: None,
            anchor_late: None,
            due_rule: p
                .groups
                .iter()
                .any(|g| g.level == Level::Households)
                .then(|| due_latest_finish(p, &w, &min_durations(p), Some(Level::Households))),
            linked: p.links.iter().map(|l| (l.from, l.to)).collect(),
            best: None,
            rank: None,
            ranked_best: None,
            inn: p.in_links(),
            out: p.out_links(),
            multi: (0..p.activities.len())
                .filter(|&a| p.activities[a].modes.len() > 1)
                .collect(),
            pinned: {
                let inn = p.in_links();
                (0..p.activities.len())
                    .filter(|&a| super::sgs::is_pinned(p, &inn, a))
                    .collect()
            },
        }
    }

    fn done(&self) -> bool {
        self.best.as_ref().is_some_and(|b| b.0 <= self.lb)
            || self
                .budget
                .max_candidates
                .is_some_and(|m| self.iterations >= m)
            || self
                .patience
                .is_some_and(|m| self.iterations >= self.improved_at + m)
            || self.budget.stopped()
            || self.budget.expired()
    }

    /// [`Self::done`], except that the time limit alone does not stop a
    /// search that has no schedule yet.
    fn must_stop(&self) -> bool {
        self.done()
            && (self.best.is_some()
                || self.budget.stopped()
                || self
                    .budget
                    .max_candidates
                    .is_some_and(|m| self.iterations >= m))
    }

    /// The value candidates are ranked by (the objective's, or with
    /// [`Self::rank`] the same score folded with those weights) and the
    /// objective's value of `s`, from one score.
    fn values(&self, s: &Schedule) -> (u64, u64) {
        let sc = self.p.score(s);
        let Some(r) = self.rank else {
            return (sc.value, sc.value);
        };
        let o = self.p.objective;
        let folded = |o: &Objective| {
            o.lateness * sc.weighted_lateness
                + o.node * sc.node_lateness
                + o.finish * sc.makespan as u64
                + o.cost * sc.cost
        };
        // What the folded levels leave out (a re-plan's deviation) counts
        // in both.
        let rest = sc.value.saturating_sub(folded(&o));
        (folded(&r).saturating_add(rest), sc.value)
    }

    /// Decodes `list` with the mode genes, justifies the schedule, records it
    /// if best, and returns the individual with the justified list.
    fn evaluate(&mut self, list: &[ActId], modes: Vec<usize>) -> Option<Individual> {
        self.iterations += 1;
        let reordered;
        let list = if self.pinned.is_empty() {
            list
        } else {
            let mut l = self.pinned.clone();
            l.extend(list.iter().filter(|a| !self.pinned.contains(a)));
            reordered = l;
            &reordered[..]
        };
        let sched = self.sgs.forward(list, ModePolicy::Mixed(&modes))?;
        let ((value, real), sched) = self.justify(sched);
        let starts: Vec<i64> = sched.starts.iter().map(|&s| s as i64).collect();
        let list = self.sgs.list_from_priority(&starts)?;
        if self.rank.is_some() && self.ranked_best.as_ref().is_none_or(|b| value < b.0) {
            self.ranked_best = Some((value, sched.clone()));
        }
        if self.best.as_ref().is_none_or(|b| real < b.0) {
            self.best = Some((real, sched.clone()));
            self.improved_at = self.iterations;
        }
        Some(Individual {
            value,
            list,
            modes,
            sched,
        })
    }

    /// Forward–backward improvement with the modes kept, repeated while it
    /// improves the value. With due groups the backward pass is capped so
    /// that no group ends later than it did (nor later than the current
    /// finish): the right-justified schedule is then no worse for lateness,
    /// and the forward pass, in the order of its starts, moves every activity
    /// no later than there. Returns the schedule's [`Self::values`].
    fn justify(&mut self, mut sched: Schedule) -> ((u64, u64), Schedule) {
        let mut value = self.values(&sched);
        for _ in 0..4 {
            let ends: Vec<i64> = (0..self.p.activities.len())
                .map(|a| self.p.end(a, sched.modes[a], sched.starts[a]).unwrap_or(0) as i64)
                .collect();
            let modes = sched.modes.clone();
            let caps = if self.p.groups.is_empty() {
                vec![self.p.horizon; ends.len()]
            } else {
                self.lateness_caps(&ends)
            };
            let back = self.sgs.right_justify(&sched, &caps);
            let Some(back) = back else {
                break;
            };
            let starts: Vec<i64> = back.starts.iter().map(|&s| s as i64).collect();
            let Some(list) = self.sgs.list_from_priority(&starts) else {
                break;
            };
            let Some(fwd) = self.sgs.forward(&list, ModePolicy::Given(&modes)) else {
                break;
            };
            let v = self.values(&fwd);
            if v.0 < value.0 {
                value = v;
                sched = fwd;
            } else {
                break;
            }
        }
        (value, sched)
    }

    /// Latest ends that keep a schedule with the given `ends` no worse:
    /// every activity by the finish, every group member by the later of its
    /// group's due day and the group's current completion.
    fn lateness_caps(&self, ends: &[i64]) -> Vec<Day> {
        let finish = ends.iter().copied().max().unwrap_or(0).max(0) as Day;
        let mut caps = vec![finish; ends.len()];
        for g in &self.p.groups {
            let done = g.members.iter().map(|&a| ends[a]).max().unwrap_or(0).max(0) as Day;
            let cap = g.due.max(done);
            for &a in &g.members {
                caps[a] = caps[a].min(cap);
            }
        }
        caps
    }

    /// A list drawn by regret-based biased random sampling on `prio`
    /// (smaller is more urgent).
    fn sample(&mut self, prio: &[i64]) -> Vec<ActId> {
        let n = self.p.activities.len();
        let mut indeg: Vec<usize> = self.inn.iter().map(|l| l.len()).collect();
        let mut eligible: Vec<ActId> = (0..n).filter(|&a| indeg[a] == 0).collect();
        let mut list = Vec::with_capacity(n);
        while !eligible.is_empty() {
            let worst = eligible.iter().map(|&a| prio[a]).max().unwrap_or(0);
            let weights: Vec<f64> = eligible
                .iter()
                .map(|&a| ((worst - prio[a]) as f64 + 1.0).powi(2))
                .collect();
            let total: f64 = weights.iter().sum();
            let mut x = self.rng.unit() * total;
            let mut k = eligible.len() - 1;
            for (i, w) in weights.iter().enumerate() {
                if x < *w {
                    k = i;
                    break;
                }
                x -= w;
            }
            let a = eligible.swap_remove(k);
            list.push(a);
            for &li in &self.out[a] {
                let b = self.p.links[li].to;
                indeg[b] -= 1;
                if indeg[b] == 0 {
                    eligible.push(b);
                }
            }
        }
        list
    }

    fn random_individual(&mut self) -> Option<Individual> {
        if let Some(late) = self.anchor_late {
            if self.rng.below(2) == 0 {
                if let Some(i) = self.random_anchored(late) {
                    return Some(i);
                }
            }
        }
        let r = self.rng.below(self.rules.len());
        let prio = self.rules[r].clone();
        let list = self.sample(&prio);
        let mut modes = vec![ANY_MODE; self.p.activities.len()];
        self.mutate_modes(&mut modes, 0.2);
        self.evaluate(&list, modes)
    }

    /// A list sampled around the order of starts of the best schedule (by
    /// the ranking: `ranked_best`, the population's first, when ranking by
    /// other weights).
    fn around_best(&mut self, ranked_best: Option<&Schedule>) -> Option<Individual> {
        let best = match (self.rank, ranked_best) {
            (Some(_), Some(b)) => b,
            _ => &self.best.as_ref()?.1,
        };
        let prio: Vec<i64> = best.starts.iter().map(|&s| s as i64).collect();
        let modes = best.modes.clone();
        let list = self.sample(&prio);
        self.evaluate(&list, modes)
    }

    /// Peak crossover: the activities the father starts in its most heavily
    /// loaded window stay together, in his order, inserted where the first
    /// of them stands in the mother's list; the rest keep her order.
    fn peak_crossover(&mut self, mother: &[ActId], father: &Schedule) -> Vec<ActId> {
        let p = self.p;
        let n = mother.len();
        let ends: Vec<Day> = (0..n)
            .map(|a| {
                p.end(a, father.modes[a], father.starts[a])
                    .unwrap_or(father.starts[a])
            })
            .collect();
        let ms = ends.iter().copied().max().unwrap_or(0) as usize;
        if ms < 4 {
            return mother.to_vec();
        }
        // Utilisation per day, summed over resources relative to capacity.
        let mut util = vec![0.0f64; ms + 1];
        for (a, &end) in ends.iter().enumerate() {
            let m = &p.activities[a].modes[father.modes[a]];
            let w: f64 = m
                .demands
                .iter()
                .map(|&(r, u)| u as f64 / p.resources[r].capacity.max(1) as f64)
                .sum();
            for u in &mut util[father.starts[a] as usize..end as usize] {
                *u += w;
            }
        }
        let len = ms / 8 + self.rng.below(ms / 4 + 1);
        let len = len.clamp(1, ms);
        let mut sum: f64 = util[..len].iter().sum();
        let (mut best, mut t1) = (sum, 0);
        for t in 1..=ms - len {
            sum += util[t + len - 1] - util[t - 1];
            if sum > best + 1e-9 {
                best = sum;
                t1 = t;
            }
        }
        let t2 = (t1 + len) as Day;
        let t1 = t1 as Day;
        let in_peak = |a: ActId| father.starts[a] >= t1 && father.starts[a] < t2;
        let mut pos = vec![0i64; n];
        for (i, &a) in mother.iter().enumerate() {
            pos[a] = i as i64;
        }
        let mut peak: Vec<ActId> = (0..n).filter(|&a| in_peak(a)).collect();
        let q = peak.iter().map(|&a| pos[a]).min().unwrap_or(0);
        peak.sort_by_key(|&a| (father.starts[a], a));
        // Mother's positions spaced by 2n; the peak block, in the father's
        // order of starts, just before her first peak activity.
        let gap = 2 * n as i64;
        let mut prio: Vec<i64> = pos.iter().map(|&i| i * gap).collect();
        for (k, &a) in peak.iter().enumerate() {
            prio[a] = q * gap - n as i64 + k as i64;
        }
        self.sgs
            .list_from_priority(&prio)
            .unwrap_or_else(|| mother.to_vec())
    }

    /// Two-point crossover of Hartmann: keeps precedence feasibility.
    fn crossover(&mut self, mother: &[ActId], father: &[ActId]) -> Vec<ActId> {
        let n = mother.len();
        let (mut q1, mut q2) = (self.rng.below(n + 1), self.rng.below(n + 1));
        if q1 > q2 {
            std::mem::swap(&mut q1, &mut q2);
        }
        let mut taken = vec![false; n];
        let mut child = Vec::with_capacity(n);
        for &a in &mother[..q1] {
            taken[a] = true;
            child.push(a);
        }
        for &a in father {
            if child.len() >= q2 {
                break;
            }
            if !taken[a] {
                taken[a] = true;
                child.push(a);
            }
        }
        for &a in mother {
            if !taken[a] {
                taken[a] = true;
                child.push(a);
            }
        }
        child
    }

    /// Swaps unlinked neighbours with a small probability.
    fn mutate(&mut self, list: &mut [ActId]) {
        for i in 0..list.len().saturating_sub(1) {
            if self.rng.unit() < MUTATION && !self.linked.contains(&(list[i], list[i + 1])) {
                list.swap(i, i + 1);
            }
        }
    }

    /// Moves one random activity to a random position between its last
    /// predecessor and its first successor in the list.
    fn shift(&mut self, list: &mut Vec<ActId>) {
        let n = list.len();
        if n < 2 {
            return;
        }
        let i = self.rng.below(n);
        let a = list[i];
        let mut pos = vec![0; n];
        for (k, &b) in list.iter().enumerate() {
            pos[b] = k;
        }
        let lo = self.inn[a]
            .iter()
            .map(|&li| pos[self.p.links[li].from] + 1)
            .max()
            .unwrap_or(0);
        let hi = self.out[a]
            .iter()
            .map(|&li| pos[self.p.links[li].to])
            .min()
            .unwrap_or(n);
        // After removing `a`, positions lo..hi-1 of the shortened list keep
        // it after its predecessors and before its successors.
        let j = lo + self.rng.below(hi - lo);
        let a = list.remove(i);
        list.insert(j, a);
    }

    /// Resets each multi-mode gene with probability `rate` to a random mode
    /// or to "best".
    fn mutate_modes(&mut self, modes: &mut [usize], rate: f64) {
        for k in 0..self.multi.len() {
            let a = self.multi[k];
            if self.rng.unit() < rate {
                let count = self.p.activities[a].modes.len();
                let r = self.rng.below(count + 1);
                modes[a] = if r == count { ANY_MODE } else { r };
            }
        }
    }

    /// Uniform crossover of the mode genes.
    fn cross_modes(&mut self, mother: &[usize], father: &[usize]) -> Vec<usize> {
        let mut child = mother.to_vec();
        for k in 0..self.multi.len() {
            let a = self.multi[k];
            if self.rng.below(2) == 1 {
                child[a] = father[a];
            }
        }
        child
    }

    fn run(&mut self) {
        // A first plan comes first, and even past the deadline (a run with
        // no plan at all is worth less than one a little late): with due
        // groups the latest finish tightened by the due days, since on a
        // programme of thousands of activities the due-anchored passes
        // take longer than a short time limit; otherwise the first rule.
        let mut pop = Vec::new();
        if let Some(list) = self
            .due_rule
            .clone()
            .and_then(|prio| self.sgs.list_from_priority(&prio))
        {
            if !self.must_stop() {
                let modes = vec![ANY_MODE; self.p.activities.len()];
                pop.extend(self.evaluate(&list, modes));
            }
        }
        pop.extend(self.due_anchored());
        for r in 0..self.rules.len() {
            if self.must_stop() {
                return;
            }
            let prio = self.rules[r].clone();
            if let Some(list) = self.sgs.list_from_priority(&prio) {
                let modes = vec![ANY_MODE; self.p.activities.len()];
                pop.extend(self.evaluate(&list, modes));
            }
        }
        while pop.len() < POPULATION && !self.done() {
            pop.extend(self.random_individual());
        }
        // With due groups the fresh due-anchored individuals are where most
        // improvements come from: restart sooner.
        let stall_limit = if self.anchor_late.is_some() {
            STALL_GENERATIONS / 5
        } else {
            STALL_GENERATIONS
        };
        let mut stall = 0;
        let mut best = pop.iter().map(|i| i.value).min().unwrap_or(u64::MAX);
        while !self.done() && pop.len() >= 2 {
            let mut children = Vec::new();
            let mut order: Vec<usize> = (0..pop.len()).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, self.rng.below(i + 1));
            }
            for pair in order.chunks(2) {
                if pair.len() < 2 || self.done() {
                    break;
                }
                let (m, f) = (pop[pair[0]].clone(), pop[pair[1]].clone());
                for (a, b) in [(&m, &f), (&f, &m)] {
                    let mut child = if self.rng.unit() < PEAK_RATE {
                        self.peak_crossover(&a.list, &b.sched)
                    } else {
                        self.crossover(&a.list, &b.list)
                    };
                    self.mutate(&mut child);
                    if self.rng.unit() < SHIFT_RATE {
                        self.shift(&mut child);
                    }
                    let mut modes = self.cross_modes(&a.modes, &b.modes);
                    self.mutate_modes(&mut modes, MUTATION);
                    children.extend(self.evaluate(&child, modes));
                }
            }
            // Children first: among equal values the newer survive, so the
            // population drifts across plateaus instead of freezing.
            children.append(&mut pop);
            pop = children;
            select(&mut pop, POPULATION);
            let now = pop.first().map_or(u64::MAX, |i| i.value);
            if now < best {
                best = now;
                stall = 0;
            } else {
                stall += 1;
            }
            if stall > stall_limit {
                stall = 0;
                pop.truncate(1);
                let first = pop[0].sched.clone();
                let around = (POPULATION as f64 * AROUND_BEST) as usize;
                while pop.len() < around && !self.done() {
                    pop.extend(self.around_best(Some(&first)));
                }
                while pop.len() < POPULATION && !self.done() {
                    pop.extend(self.random_individual());
                }
            }
        }
    }
}

/// Keeps the `size` best individuals with distinct lists and genes.
fn select(pop: &mut Vec<Individual>, size: usize) {
    pop.sort_by_key(|i| i.value);
    let mut seen = HashSet::new();
    pop.retain(|i| seen.insert((i.list.clone(), i.modes.clone())));
    pop.truncate(size);
}

#[cfg(test)]
mod tests;
