//! A linear-programming test over feasible sets: could the activities fit
//! their windows even if they were allowed to pause?
//!
//! Propagation reasons about one activity, or two, at a time. On tightly
//! constrained instances the proof that no schedule ends by `T` often needs
//! the whole picture: which activities *can* run side by side at all. This
//! test, after Brucker and Knust's preemptive relaxation, asks HiGHS.
//!
//! The days `[0, T)` are cut at every window bound (earliest and latest
//! start and end of every activity) into intervals. In an interval only the
//! activities whose windows cover it may run, and at any moment the running
//! ones form a *feasible set*: no two linked by a chain of precedences that
//! keeps them apart, and together within every capacity. Each set is
//! extended to a maximal one, so only maximal sets are needed. The linear
//! program chooses how long each maximal set runs in each interval:
//!
//! * the sets of an interval run no longer than it lasts, in all;
//! * every activity runs at least its duration, in all;
//! * every activity runs in each interval at least the part its window
//!   forces there: the smaller overlap of the interval with the activity
//!   started at its earliest and at its latest start (overlap is unimodal in
//!   the start, so no start in between overlaps less).
//!
//! Every schedule that fits the windows satisfies these, so when the least
//! total shortfall (an elastic slack per requirement) is positive, no
//! schedule fits and the search node fails. The maximal sets are
//! enumerated once per set of available activities (an interval with too
//! many makes the test give up rather than guess). The program itself is
//! solved by column generation: it starts from the sets that ran in the
//! previous test's solution, and each round adds, per interval, the set
//! whose column the duals price best, until none would lower the shortfall.

use highs::{ColProblem, HighsModelStatus, Row, Sense};
use std::collections::HashMap;

use super::Net;

/// The most maximal sets the test enumerates before it gives up.
const MAX_SETS: usize = 20_000;

/// A shortfall above this proves the windows infeasible: durations are whole
/// days, and HiGHS's tolerances are far smaller.
const SHORTFALL: f64 = 1e-4;

/// The precedence structure the test needs, computed once per problem.
pub(super) struct SetTest {
    /// `apart[i][j]`: a chain of links keeps `i` and `j` from overlapping.
    apart: Vec<Vec<bool>>,
    /// The maximal sets of every set of available activities met so far
    /// (they do not depend on the windows).
    known: HashMap<Vec<usize>, Family>,
}

/// The maximal feasible sets of one set of available activities.
struct Family {
    sets: Vec<Vec<usize>>,
    /// The sets that ran in the last solution: the next test starts with
    /// them, which saves most of the column generation.
    ran: Vec<usize>,
}

impl SetTest {
    /// Longest start distances over the links decide which activities can
    /// never run at the same time.
    pub(super) fn new(net: &Net) -> SetTest {
        let n = net.dur.len();
        let none = i64::MIN / 4;
        let mut dist = vec![vec![none; n]; n];
        for &(a, b, d) in &net.forward {
            dist[a][b] = dist[a][b].max(d);
        }
        for k in 0..n {
            for i in 0..n {
                if dist[i][k] == none {
                    continue;
                }
                for j in 0..n {
                    if dist[k][j] != none {
                        dist[i][j] = dist[i][j].max(dist[i][k] + dist[k][j]);
                    }
                }
            }
        }
        let apart = (0..n)
            .map(|i| {
                (0..n)
                    .map(|j| {
                        (dist[i][j] != none && dist[i][j] >= net.dur[i])
                            || (dist[j][i] != none && dist[j][i] >= net.dur[j])
                    })
                    .collect()
            })
            .collect();
        SetTest {
            apart,
            known: HashMap::new(),
        }
    }

    /// True when no schedule, even one whose activities may pause, fits the
    /// windows `[est, lst]` (starts) with every activity ending by `t`.
    /// False when one might, or when the test gave up.
    pub(super) fn refutes(&mut self, net: &Net, est: &[i64], lst: &[i64], t: i64) -> bool {
        let acts = &net.branchable;
        let mut cuts: Vec<i64> = vec![0, t];
        for &a in acts {
            let d = net.dur[a];
            cuts.extend([est[a], lst[a], est[a] + d, lst[a] + d]);
        }
        cuts.retain(|&c| (0..=t).contains(&c));
        cuts.sort_unstable();
        cuts.dedup();
        let mut intervals: Vec<(i64, i64, Vec<usize>)> = Vec::new();
        for w in cuts.windows(2) {
            let (from, to) = (w[0], w[1]);
            let avail: Vec<usize> = acts
                .iter()
                .copied()
                .filter(|&a| est[a] <= from && to <= lst[a] + net.dur[a])
                .collect();
            if avail.is_empty() {
                continue;
            }
            if !self.known.contains_key(&avail) {
                let Some(sets) = self.maximal_sets(net, &avail) else {
                    return false;
                };
                self.known.insert(
                    avail.clone(),
                    Family {
                        sets,
                        ran: Vec::new(),
                    },
                );
            }
            intervals.push((from, to, avail));
        }
        let (value, ran) = self.shortfall(net, est, lst, &intervals);
        for (_, _, avail) in &intervals {
            self.known.get_mut(avail).expect("enumerated").ran.clear();
        }
        for (k, i) in ran {
            let family = self.known.get_mut(&intervals[k].2).expect("enumerated");
            if !family.ran.contains(&i) {
                family.ran.push(i);
            }
        }
        value > SHORTFALL
    }

    /// The least total shortfall of the linear program (see the module
    /// documentation), 0 when HiGHS does not answer, and the sets that ran
    /// in its solution (interval, index in its family).
    fn shortfall(
        &self,
        net: &Net,
        est: &[i64],
        lst: &[i64],
        intervals: &[(i64, i64, Vec<usize>)],
    ) -> (f64, Vec<(usize, usize)>) {
        let n = net.dur.len();
        let mut lp = ColProblem::default();
        // Each row with its index (for the duals); every lower-bounded row
        // gets an elastic slack of cost 1 below.
        let mut count = 0usize;
        let mut row = |lp: &mut ColProblem, lo: f64, hi: f64| {
            let r = (lp.add_row(lo..=hi), count);
            count += 1;
            r
        };
        let mut whole: Vec<Option<(Row, usize)>> = vec![None; n];
        for &a in &net.branchable {
            whole[a] = Some(row(&mut lp, net.dur[a] as f64, f64::INFINITY));
        }
        let mut demand: Vec<(Row, usize)> = whole.iter().flatten().copied().collect();
        let mut shape = Vec::with_capacity(intervals.len());
        for (from, to, avail) in intervals {
            let length = row(&mut lp, f64::NEG_INFINITY, (to - from) as f64);
            let forced: Vec<Option<(Row, usize)>> = avail
                .iter()
                .map(|&a| {
                    let part = forced_overlap(est[a], lst[a], net.dur[a], *from, *to);
                    (part > 0).then(|| row(&mut lp, part as f64, f64::INFINITY))
                })
                .collect();
            demand.extend(forced.iter().flatten().copied());
            shape.push((length, forced));
        }
        for &(r, _) in &demand {
            lp.add_column(1.0, 0.0.., [(r, 1.0)]);
        }
        // The rows of the column of set `i` of interval `k`.
        let rows_of = |k: usize, i: usize| -> Vec<(Row, usize)> {
            let avail = &intervals[k].2;
            let (length, forced) = &shape[k];
            let mut rows = vec![*length];
            for &a in &self.known[avail].sets[i] {
                let j = avail.binary_search(&a).expect("a member");
                rows.extend(whole[a]);
                rows.extend(forced[j]);
            }
            rows
        };
        let mut model = lp.optimise(Sense::Minimise);
        model.make_quiet();
        model.set_option("threads", 1);
        model.set_option("presolve", "off");
        // Column generation: start from the sets that ran in the last
        // solution with the same available activities; then price every
        // interval's maximal sets against the duals, add the most attractive
        // one per interval and solve again, until none attracts.
        let mut added: Vec<Vec<bool>> = intervals
            .iter()
            .map(|i| vec![false; self.known[&i.2].sets.len()])
            .collect();
        let mut columns: Vec<(usize, usize)> = Vec::new();
        let mut picks: Vec<(usize, usize)> = intervals
            .iter()
            .enumerate()
            .flat_map(|(k, (_, _, avail))| self.known[avail].ran.iter().map(move |&i| (k, i)))
            .collect();
        loop {
            for (k, i) in picks.drain(..) {
                if !added[k][i] {
                    added[k][i] = true;
                    columns.push((k, i));
                    model.add_col(0.0, 0.0.., rows_of(k, i).into_iter().map(|r| (r.0, 1.0)));
                }
            }
            let Ok(solved) = model.try_solve() else {
                return (0.0, Vec::new());
            };
            if solved.status() != HighsModelStatus::Optimal {
                return (0.0, Vec::new());
            }
            let value = solved.objective_value();
            let solution = solved.get_solution();
            model = solved.into();
            if value > SHORTFALL {
                let duals = solution.dual_rows();
                for (k, (_, _, avail)) in intervals.iter().enumerate() {
                    let gain = |i: usize| rows_of(k, i).iter().map(|r| duals[r.1]).sum::<f64>();
                    let best = (0..self.known[avail].sets.len())
                        .filter(|&i| !added[k][i])
                        .map(|i| (gain(i), i))
                        .max_by(|x, y| x.0.total_cmp(&y.0));
                    picks.extend(best.filter(|b| b.0 > 1e-9).map(|b| (k, b.1)));
                }
            }
            if picks.is_empty() {
                let x = &solution.columns()[demand.len()..];
                let ran = columns
                    .iter()
                    .zip(x)
                    .filter(|(_, &v)| v > 1e-9)
                    .map(|(&c, _)| c)
                    .collect();
                return (value, ran);
            }
        }
    }

    /// The maximal feasible sets among `avail`, or `None` past
    /// [`MAX_SETS`].
    fn maximal_sets(&self, net: &Net, avail: &[usize]) -> Option<Vec<Vec<usize>>> {
        let mut out = Vec::new();
        let mut chosen = Vec::new();
        let mut load = vec![0i64; net.caps.len()];
        let mut steps = 0usize;
        self.extend(net, avail, 0, &mut chosen, &mut load, &mut out, &mut steps)
            .then_some(out)
    }

    /// Whether `a` can join `chosen` (running with `load`).
    fn fits(&self, net: &Net, a: usize, chosen: &[usize], load: &[i64]) -> bool {
        chosen.iter().all(|&b| !self.apart[a][b])
            && net.demands[a]
                .iter()
                .all(|&(r, q)| load[r] + q <= net.caps[r])
    }

    /// Depth-first over `avail[i..]`: each activity in or out; a leaf is kept
    /// when no activity left out could join. False past the limits.
    #[allow(clippy::too_many_arguments)]
    fn extend(
        &self,
        net: &Net,
        avail: &[usize],
        i: usize,
        chosen: &mut Vec<usize>,
        load: &mut [i64],
        out: &mut Vec<Vec<usize>>,
        steps: &mut usize,
    ) -> bool {
        *steps += 1;
        if *steps > 50 * MAX_SETS {
            return false;
        }
        if i == avail.len() {
            let maximal = avail
                .iter()
                .all(|&a| chosen.contains(&a) || !self.fits(net, a, chosen, load));
            if maximal {
                if out.len() >= MAX_SETS {
                    return false;
                }
                out.push(chosen.clone());
            }
            return true;
        }
        let a = avail[i];
        if self.fits(net, a, chosen, load) {
            chosen.push(a);
            net.demands[a].iter().for_each(|&(r, q)| load[r] += q);
            let ok = self.extend(net, avail, i + 1, chosen, load, out, steps);
            net.demands[a].iter().for_each(|&(r, q)| load[r] -= q);
            chosen.pop();
            if !ok {
                return false;
            }
        }
        self.extend(net, avail, i + 1, chosen, load, out, steps)
    }
}

/// The least number of days an activity of duration `d` started somewhere
/// in `[est, lst]` runs within `[from, to)`.
fn forced_overlap(est: i64, lst: i64, d: i64, from: i64, to: i64) -> i64 {
    let overlap = |s: i64| ((s + d).min(to) - s.max(from)).max(0);
    overlap(est).min(overlap(lst))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{draws, job, problem, random_problem};
    use super::super::{branch_and_bound, ExactOptions, Net};
    use super::{forced_overlap, SetTest};

    #[test]
    fn the_forced_overlap_is_the_smaller_one_at_the_window_ends() {
        // A 5-day job starting on day 2..=4 always covers days 4..7.
        assert_eq!(forced_overlap(2, 4, 5, 4, 7), 3);
        // Started on day 0 it misses [6, 9) entirely.
        assert_eq!(forced_overlap(0, 4, 5, 6, 9), 0);
        assert_eq!(forced_overlap(3, 3, 5, 0, 10), 5);
    }

    #[test]
    fn three_exclusive_jobs_do_not_fit_four_days_even_with_pauses() {
        let p = problem(&[1], (0..3).map(|_| job(2, vec![(0, 1)])).collect(), &[]);
        let net = Net::new(&p);
        let mut test = SetTest::new(&net);
        assert!(test.refutes(&net, &[0; 3], &[2; 3], 4));
        assert!(!test.refutes(&net, &[0; 3], &[4; 3], 6));
    }

    #[test]
    fn jobs_kept_apart_by_a_link_cannot_share_a_set() {
        // Two 2-day jobs that together fit the capacity, but one follows the
        // other: they need 4 days, not 2.
        let p = problem(
            &[2],
            vec![job(2, vec![(0, 1)]), job(2, vec![(0, 1)])],
            &[(0, 1)],
        );
        let net = Net::new(&p);
        let mut test = SetTest::new(&net);
        assert!(test.refutes(&net, &[0, 0], &[1, 1], 3));
        assert!(!test.refutes(&net, &[0, 2], &[0, 2], 4));
    }

    /// Random problems of 6–9 activities proved with and without the test
    /// (and its shaving) must have the same optimum, and the test never
    /// refutes windows around an optimal schedule.
    #[test]
    fn the_set_test_never_changes_the_optimum() {
        let mut next = draws(0x5e75_0f5e_7512_3457);
        let mut fewer = 0;
        for _ in 0..120 {
            let n = 6 + next(4) as usize;
            let caps = [1 + next(4) as u32, 1 + next(3) as u32];
            let p = random_problem(&mut next, n, caps, 4);
            let with = branch_and_bound(&p, None, 0, &ExactOptions::default());
            let without = branch_and_bound(
                &p,
                None,
                0,
                &ExactOptions {
                    sets: false,
                    ..ExactOptions::default()
                },
            );
            assert!(with.proven && without.proven);
            assert_eq!(with.makespan_bound, without.makespan_bound);
            fewer += (with.nodes < without.nodes) as usize;
            let s = with.schedule.expect("a schedule");
            let m = p.score(&s).makespan as i64;
            let net = Net::new(&p);
            let mut test = SetTest::new(&net);
            let slack = next(3) as i64;
            let est: Vec<i64> = s
                .starts
                .iter()
                .map(|&x| (x as i64 - slack).max(0))
                .collect();
            let lst: Vec<i64> = (0..n)
                .map(|a| (s.starts[a] as i64 + slack).min(m - net.dur[a]))
                .collect();
            assert!(
                !test.refutes(&net, &est, &lst, m),
                "refuted a feasible schedule's windows"
            );
        }
        assert!(fewer > 0, "the set test never saved a node");
    }
}
