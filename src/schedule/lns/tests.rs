use super::*;
use crate::schedule::milp::tests::{exclusive_jobs, fs, job, problem};
use crate::schedule::problem::*;

/// `limit` with HiGHS's choice of threads.
fn budget(limit: Duration) -> Budget {
    Budget::new(limit).with_threads(0)
}

/// A fresh search on `p` with nothing found yet, `too_large` as given.
fn search<'a>(
    p: &'a Problem,
    budget: &'a Budget,
    settings: &'a LnsSettings,
    progress: &'a mut dyn FnMut(&Progress),
    too_large: bool,
) -> LnsSearch<'a> {
    LnsSearch {
        too_large,
        ..LnsSearch::new(p, budget, settings, progress)
    }
}

/// Solves, checks the schedule and that the bound never exceeds it.
fn solve_checked(p: &Problem, warm: Option<Schedule>) -> Outcome {
    let mut reports = 0;
    let b = budget(Duration::from_secs(10));
    let r = solve(p, warm, &b, &LnsSettings::default(), &mut |_| reports += 1);
    if let Some(s) = &r.schedule {
        check_schedule(p, s).unwrap();
        assert!(r.bound <= r.score.unwrap().value);
        assert_eq!(r.score.unwrap(), p.score(s));
    }
    r
}

fn es_schedule(p: &Problem) -> Schedule {
    let w = crate::schedule::window::Windows::compute(p).unwrap();
    Schedule {
        starts: w.es,
        modes: vec![0; p.activities.len()],
    }
}

#[test]
fn small_rcpsp_is_solved_to_optimality() {
    // Resource 0 (cap 2): a needs both units for 3 days, e both for one;
    // b, c, d need one unit. Work = 16 → makespan >= 8, achieved.
    let p = problem(
        30,
        &[2],
        vec![
            job("a", 3, &[(0, 2)]),
            job("b", 2, &[(0, 1)]),
            job("c", 2, &[(0, 1)]),
            job("d", 4, &[(0, 1)]),
            job("e", 1, &[(0, 2)]),
        ],
        vec![fs(0, 3, 0), fs(1, 2, 0), fs(2, 4, 0)],
    );
    let r = solve_checked(&p, None);
    assert_eq!(r.status, Status::Optimal);
    assert_eq!(r.score.unwrap().makespan, 8);
    assert_eq!(r.bound, 8);
}

#[test]
fn exclusive_jobs_beat_the_trivial_bound() {
    let p = exclusive_jobs();
    assert_eq!(super::super::bound::lower_bound(&p).unwrap(), 4);
    let warm = Schedule {
        starts: vec![0, 2, 4, 6],
        modes: vec![0; 4],
    };
    let r = solve_checked(&p, Some(warm));
    assert_eq!(r.status, Status::Optimal);
    assert_eq!((r.score.unwrap().value, r.bound), (5, 5));
}

fn trench_problem(trenches: u32) -> Problem {
    // Two dig → restore pairs, restore 3 days after digging ends; the
    // trench is open from the start of digging to the end of restoring.
    let mut p = problem(
        40,
        &[trenches],
        vec![
            job("dig1", 2, &[]),
            job("restore1", 1, &[]),
            job("dig2", 2, &[]),
            job("restore2", 1, &[]),
        ],
        vec![fs(0, 1, 3), fs(2, 3, 3)],
    );
    p.spans = vec![
        Span {
            first: 0,
            last: 1,
            resource: 0,
            amount: 1,
        },
        Span {
            first: 2,
            last: 3,
            resource: 0,
            amount: 1,
        },
    ];
    p
}

#[test]
fn spans_hold_the_trench_until_restored() {
    let r = solve_checked(&trench_problem(1), None);
    assert_eq!(r.status, Status::Optimal);
    assert_eq!(r.score.unwrap().makespan, 12);
    let r = solve_checked(&trench_problem(2), None);
    assert_eq!(r.score.unwrap().makespan, 6);
}

#[test]
fn calendar_table_only_allows_even_starts() {
    let mut p = problem(
        20,
        &[],
        vec![job("pre", 1, &[]), job("cal", 3, &[])],
        vec![fs(0, 1, 0)],
    );
    let table = (0..=20u32)
        .map(|s| {
            if s % 2 == 0 && s + 3 <= 20 {
                s + 3
            } else {
                Timing::NO_START
            }
        })
        .collect();
    p.activities[1].modes[0].timing = Timing::Table(table);
    let r = solve_checked(&p, Some(es_schedule(&p)));
    assert_eq!(r.status, Status::Optimal);
    assert_eq!(r.schedule.unwrap().starts[1], 2);
    assert_eq!(r.score.unwrap().makespan, 5);
}

#[test]
fn lateness_puts_the_heavier_group_first() {
    // p (3 days) and q (2 days) share one crew; q's group weighs 5 and is
    // due on day 2, p's weighs 1 and is due on day 3. q first: lateness 2.
    let mut p = problem(
        20,
        &[1],
        vec![job("p", 3, &[(0, 1)]), job("q", 2, &[(0, 1)])],
        vec![],
    );
    p.groups = vec![
        DueGroup {
            name: "P".into(),
            weight: 1,
            due: 3,
            members: vec![0],
            level: Default::default(),
        },
        DueGroup {
            name: "Q".into(),
            weight: 5,
            due: 2,
            members: vec![1],
            level: Default::default(),
        },
    ];
    p.objective = Objective {
        lateness: 10,
        finish: 1,
        cost: 0,
        node: 0,
    };
    let warm = Schedule {
        starts: vec![0, 3],
        modes: vec![0, 0],
    };
    let r = solve_checked(&p, Some(warm));
    assert_eq!(r.status, Status::Optimal);
    let sc = r.score.unwrap();
    assert_eq!((sc.weighted_lateness, sc.makespan, sc.value), (2, 5, 25));
}

#[test]
fn modes_trade_duration_for_crews() {
    // Two jobs on a crew resource of capacity 2: fast mode uses 2 crews
    // for 2 days, slow mode 1 crew for 3 days. Both slow in parallel: 3.
    let mode = |d, u| Mode {
        label: String::new(),
        demands: vec![(0, u)],
        timing: Timing::Fixed(d),
        cost_per_day: 0,
    };
    let act = |n: &str| Activity {
        name: n.into(),
        modes: vec![mode(2, 2), mode(3, 1)],
        release: 0,
    };
    let p = problem(20, &[2], vec![act("a"), act("b")], vec![]);
    let r = solve_checked(
        &p,
        Some(Schedule {
            starts: vec![0, 2],
            modes: vec![0, 0],
        }),
    );
    assert_eq!(r.status, Status::Optimal);
    assert_eq!(r.score.unwrap().makespan, 3);
}

#[test]
fn too_short_horizon_is_infeasible() {
    let p = problem(
        3,
        &[],
        vec![job("a", 2, &[]), job("b", 2, &[])],
        vec![fs(0, 1, 0)],
    );
    let r = solve_checked(&p, None);
    assert_eq!(r.status, Status::Infeasible);
    // Resources alone make it infeasible: windows pass, the model fails.
    let p = problem(
        5,
        &[2],
        vec![job("a", 3, &[(0, 2)]), job("b", 3, &[(0, 2)])],
        vec![],
    );
    let r = solve_checked(&p, None);
    assert_eq!(r.status, Status::Infeasible);
}

#[test]
fn lns_improves_a_poor_warm_start() {
    // A chain-free set of 8 unit-demand jobs on capacity 2, warm-started
    // one after the other; the optimum runs two at a time.
    let jobs = (0..8)
        .map(|i| job(&format!("j{i}"), 2, &[(0, 1)]))
        .collect();
    let p = problem(40, &[2], jobs, vec![]);
    let warm = Schedule {
        starts: (0..8).map(|i| 2 * i).collect(),
        modes: vec![0; 8],
    };
    let b = budget(Duration::from_secs(5));
    let r = solve(&p, Some(warm), &b, &LnsSettings::default(), &mut |_| {});
    assert_eq!(r.status, Status::Optimal);
    assert_eq!(r.score.unwrap().makespan, 8);
}

#[test]
fn a_work_limited_search_beside_a_too_large_model_says_work_limit() {
    // 60 two-day jobs needing two of three crews (one at a time) over
    // 150 days: about 9,000 start columns, more than a work-limited run
    // solves, so the LNS gets the run; the energy bound (80) cannot
    // prove the plan (120), and the search stops at its round limit,
    // which is the reason given.
    let jobs = (0..60)
        .map(|i| job(&format!("j{i}"), 2, &[(0, 2)]))
        .collect();
    let p = problem(150, &[3], jobs, vec![]);
    let warm = Schedule {
        starts: (0..60).map(|i| 2 * i as Day).collect(),
        modes: vec![0; 60],
    };
    let b = budget(Duration::from_secs(60))
        .with_max_candidates(Some(10))
        .with_max_nodes(Some(10))
        .with_max_lns_rounds(Some(2));
    assert!(b.work_limited());
    let r = solve(&p, Some(warm), &b, &LnsSettings::default(), &mut |_| {});
    assert!(r.schedule.is_some());
    assert_eq!(r.stop, StopReason::WorkLimit, "{r:?}");
}

#[test]
fn the_search_with_crew_windows_keeps_plans_feasible_and_no_level_worse() {
    let mut rng = Rng::new(11);
    let mut cheaper = 0;
    for _ in 0..6 {
        let n = 14;
        let durs: Vec<u32> = (0..n).map(|_| 1 + (rng.next_u64() % 4) as u32).collect();
        let h: Day = durs.iter().map(|d| d + 4).sum::<u32>() + 10;
        let timing = |d: u32| {
            Timing::Table(
                (0..=h)
                    .map(|s| {
                        let e = if s < 10 && s + d > 10 {
                            s + d + 3
                        } else {
                            s + d
                        };
                        if e <= h {
                            e
                        } else {
                            Timing::NO_START
                        }
                    })
                    .collect(),
            )
        };
        let jobs = (0..n)
            .map(|i| {
                let r = (rng.next_u64() % 2) as usize;
                let mode = |r: usize, d: u32| Mode {
                    label: String::new(),
                    demands: vec![(r, 1)],
                    timing: timing(d),
                    cost_per_day: 1,
                };
                Activity {
                    name: format!("j{i}"),
                    modes: vec![mode(r, durs[i]), mode(1 - r, durs[i] + 1)],
                    release: 0,
                }
            })
            .collect();
        let mut links = Vec::new();
        for i in 1..n {
            if rng.next_u64().is_multiple_of(3) {
                links.push(fs((rng.next_u64() % i as u64) as usize, i, 0));
            }
        }
        let mut p = problem(h, &[1, 1], jobs, links);
        p.groups = vec![DueGroup {
            name: "g".into(),
            weight: 3,
            due: h / 3,
            members: vec![n - 1],
            level: Level::Node,
        }];
        p.objective = Objective::lexicographic(&p);
        // One job after the other, in mode 0.
        let mut starts = Vec::new();
        let mut t = 0;
        for a in 0..n {
            starts.push(t);
            t = p.end(a, 0, t).unwrap();
        }
        let warm = Schedule {
            starts,
            modes: vec![0; n],
        };
        check_schedule(&p, &warm).unwrap();
        let before = p.score(&warm);
        let b = Budget::new(Duration::from_secs(600))
            .with_threads(1)
            .with_max_candidates(Some(100))
            .with_max_nodes(Some(1000))
            .with_max_lns_rounds(Some(60));
        let settings = LnsSettings::default();
        let mut silent = |_: &Progress| {};
        let mut st = search(&p, &b, &settings, &mut silent, true);
        assert!(st.offer(warm.clone(), false));
        st.lns(Instant::now() + Duration::from_secs(600));
        let (s, after) = st.best.clone().unwrap();
        check_schedule(&p, &s).unwrap();
        assert_eq!(after, p.score(&s));
        let key = |sc: &Score| (sc.weighted_lateness, sc.node_lateness, sc.makespan, sc.cost);
        assert!(key(&after) <= key(&before), "{before:?} -> {after:?}");
        assert!(after.value <= before.value);
        if after.cost < before.cost {
            cheaper += 1;
        }
    }
    assert!(cheaper > 0);
}

#[test]
fn left_justify_closes_gaps_and_keeps_feasibility() {
    let p = exclusive_jobs();
    let loose = Schedule {
        starts: vec![3, 8, 12, 15],
        modes: vec![0; 4],
    };
    check_schedule(&p, &loose).unwrap();
    let tight = left_justify(&p, &loose);
    check_schedule(&p, &tight).unwrap();
    assert_eq!(tight.starts, vec![0, 2, 4, 6]);
}

#[test]
fn a_full_model_part_already_used_up_still_finds_the_model_too_large() {
    // 500 one-day jobs over 150 days: about 75,000 start columns, more
    // than the full model takes. A part of the budget that is over before
    // the full model's turn (a short re-plan, whose compaction used it up)
    // must still record that the model is too large, so the windows get
    // the whole budget instead of leaving their last 40 % to it.
    let jobs = (0..500)
        .map(|i| job(&format!("j{i}"), 1, &[(0, 1)]))
        .collect();
    let p = problem(150, &[4], jobs, vec![]);
    let b = budget(Duration::from_secs(60));
    let settings = LnsSettings::default();
    let mut silent = |_: &Progress| {};
    let mut st = search(&p, &b, &settings, &mut silent, false);
    let used_up = Budget::new(Duration::ZERO);
    assert!(used_up.expired());
    st.full_model(&used_up);
    assert!(st.too_large);
    // A small model is not called too large, used up or not.
    let small = problem(20, &[1], vec![job("a", 2, &[(0, 1)])], vec![]);
    let mut st2 = search(&small, &b, &settings, &mut silent, false);
    st2.full_model(&used_up);
    assert!(!st2.too_large);
}
