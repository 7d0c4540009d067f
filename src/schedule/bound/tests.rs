use super::*;
use crate::schedule::check::violations;
use crate::schedule::problem::*;
use crate::schedule::rng::Rng;

/// `count` 3-day jobs, each doable by either of two single crews; all
/// but the first two are released on day `release`.
fn two_crews(count: usize, release: Day) -> Problem {
    let mode = |r: ResId| Mode {
        label: format!("crew{r}"),
        demands: vec![(r, 1)],
        timing: Timing::Fixed(3),
        cost_per_day: 0,
    };
    Problem {
        name: "t".into(),
        horizon: 40,
        resources: (0..2)
            .map(|r| Resource {
                name: format!("r{r}"),
                capacity: 1,
            })
            .collect(),
        activities: (0..count)
            .map(|i| Activity {
                name: format!("a{i}"),
                modes: vec![mode(0), mode(1)],
                release: if i >= 2 { release } else { 0 },
            })
            .collect(),
        links: vec![],
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    }
}

/// One crew; each activity lasts 3 days when started before day 3 and
/// 6 days ("rainy season") when started later; ends on the horizon.
fn rainy(count: usize, horizon: Day) -> Problem {
    let table = (0..=horizon)
        .map(|s| {
            let e = if s < 3 { s + 3 } else { s + 6 };
            if e <= horizon {
                e
            } else {
                Timing::NO_START
            }
        })
        .collect::<Vec<Day>>();
    let mut p = two_crews(count, 0);
    p.horizon = horizon;
    p.resources.truncate(1);
    for a in &mut p.activities {
        a.modes.truncate(1);
        a.modes[0].timing = Timing::Table(table.clone());
    }
    p
}

#[test]
fn finish_days_that_squeeze_work_into_the_dry_days_are_refuted() {
    // Two jobs on one crew: 0..3 and 3..9 is optimal (9). The work at the
    // shortest duration says 6; finishing by 6, 7 or 8 would need both
    // jobs started before day 3 at 3 days each: 6 crew-days in 5 days.
    let p = rainy(2, 20);
    assert_eq!(lower_bound(&p).unwrap(), 9);
    let best = Schedule {
        starts: vec![0, 3],
        modes: vec![0, 0],
    };
    assert_eq!(p.score(&best).value, 9);
}

#[test]
fn cost_counts_the_durations_left_by_the_finish() {
    // One job, costing a crew-day per day; started on day 0 it takes 3
    // days, day 1 is a rest day, from day 2 on it takes 2 days.
    let table: Vec<Day> = (0..=10)
        .map(|s| match s {
            0 => 3,
            1 => Timing::NO_START,
            s if s + 2 <= 10 => s + 2,
            _ => Timing::NO_START,
        })
        .collect();
    let mut p = two_crews(1, 0);
    p.horizon = 10;
    p.activities[0].modes.truncate(1);
    p.activities[0].modes[0].timing = Timing::Table(table);
    p.activities[0].modes[0].cost_per_day = 1;
    p.objective = Objective {
        lateness: 0,
        finish: 1,
        cost: 1,
        node: 0,
    };
    // Start 0: 3 + 3; start 2: 4 + 2. The old bound (earliest end plus
    // the shortest duration anywhere) says 3 + 2 = 5.
    assert_eq!(lower_bound(&p).unwrap(), 6);
    for s in [0, 2] {
        let sched = Schedule {
            starts: vec![s],
            modes: vec![0],
        };
        assert_eq!(p.score(&sched).value, 6);
    }
}

#[test]
fn multi_mode_work_counts_against_the_crews_that_may_do_it() {
    // 12 crew-days on 2 crews: at least 6 days (and 6 is reachable);
    // neither crew alone is bound to any of the jobs.
    assert_eq!(lower_bound(&two_crews(4, 0)).unwrap(), 6);
}

#[test]
fn work_released_late_bounds_from_its_release() {
    // The four jobs released on day 5 need 6 more days on 2 crews: 11
    // (reachable), where the critical path says 8 and all the work 9.
    assert_eq!(lower_bound(&two_crews(6, 5)).unwrap(), 11);
}

/// One crew; `count` jobs of `days` days each, each its own station of
/// weight 1 due on `due`; lateness only.
#[test]
fn rest_days_a_crew_must_work_through_are_capacity_lost() {
    // One crew, four jobs of two working days; every third day (2, 5,
    // 8, …) is a rest day: no start, and a job spanning it takes three
    // days. Eight working days end on day 11 at the earliest, where
    // counting the shortest durations (2 days each) says day 8.
    let mut p = two_crews(4, 0);
    p.horizon = 14;
    p.resources.truncate(1);
    let table: Vec<Day> = (0..=p.horizon)
        .map(|s| match s % 3 {
            2 => Timing::NO_START,
            0 => s + 2,
            _ => s + 3,
        })
        .map(|e| if e <= p.horizon { e } else { Timing::NO_START })
        .collect();
    for a in &mut p.activities {
        a.modes.truncate(1);
        a.modes[0].timing = Timing::Table(table.clone());
    }
    let mut least = Day::MAX;
    every_schedule(&p, &mut |s| least = least.min(p.score(s).makespan));
    assert_eq!(least, 11);
    assert_eq!(level_bounds(&p).unwrap().finish, 11);
    assert_eq!(lower_bound(&p).unwrap(), 11);
}

fn one_crew_due(count: usize, days: u32, due: Day) -> Problem {
    let mut p = two_crews(count, 0);
    p.horizon = 20;
    p.resources.truncate(1);
    for a in &mut p.activities {
        a.modes.truncate(1);
        a.modes[0].timing = Timing::Fixed(days);
    }
    p.groups = (0..count)
        .map(|i| DueGroup {
            name: format!("g{i}"),
            weight: 1,
            due,
            members: vec![i],
            level: Default::default(),
        })
        .collect();
    p.objective = Objective {
        lateness: 1,
        finish: 0,
        cost: 0,
        node: 0,
    };
    p
}

#[test]
fn three_jobs_on_one_crew_due_on_day_2_are_late_by_the_crew() {
    // Three 2-day jobs, one crew, all due on day 2: the best order ends
    // them on days 2, 4 and 6, late 0 + 2 + 4 = 6. The earliest ends
    // alone (day 2 each) say 0. By levels: on time by day 2 + L, the
    // 6 crew-days in [0, 2 + L) leave 4 − L crew-days over, and each late
    // job frees at most its 2: levels 0..3 need 2, 2 (1.5 rounded up),
    // 1 and 1 (0.5 rounded up) more late jobs: 6.
    let p = one_crew_due(3, 2, 2);
    assert_eq!(lower_bound(&p).unwrap(), 6);
    let best = Schedule {
        starts: vec![0, 2, 4],
        modes: vec![0; 3],
    };
    assert!(violations(&p, &best).is_empty());
    assert_eq!(p.score(&best).value, 6);
    // One-day jobs: only the third is late, by one day.
    assert_eq!(lower_bound(&one_crew_due(3, 1, 2)).unwrap(), 1);
}

#[test]
fn a_bound_that_gives_up_keeps_a_valid_weaker_value() {
    // Given up before it starts, the lateness levels add nothing: the
    // bound is weaker than the complete one and says it is incomplete.
    let p = one_crew_due(3, 2, 2);
    let cut = lower_bound_until(&p, Instant::now()).unwrap();
    assert!(!cut.complete && cut.value < 6, "{cut:?}");
    let far = Instant::now() + std::time::Duration::from_secs(3600);
    let whole = lower_bound_until(&p, far).unwrap();
    assert_eq!(
        whole,
        Bounded {
            value: 6,
            complete: true
        }
    );
    // On random tiny problems a bound cut short never exceeds the
    // complete one, and a complete one is the same.
    let mut rng = Rng::new(11);
    for _ in 0..100 {
        let p = tiny(&mut rng);
        let Ok(full) = lower_bound(&p) else { continue };
        let cut = lower_bound_until(&p, Instant::now()).unwrap();
        assert!(cut.value <= full && (cut.complete <= (cut.value == full)));
        let levels = level_bounds_until(&p, Instant::now()).unwrap().value;
        let all = level_bounds(&p).unwrap();
        assert!(levels.households <= all.households && levels.nodes <= all.nodes);
        assert!(levels.finish <= all.finish && levels.cost <= all.cost);
    }
}

#[test]
fn pinned_work_holds_the_crew_a_station_needs() {
    // Work in progress holds the only crew on days 0..4 (its one allowed
    // start); the station's 2-day job, due on day 3, can end on day 6 at
    // the earliest: 3 days late at weight 5. The critical path says day 2.
    let mut p = one_crew_due(2, 2, 3);
    let mut table = vec![Timing::NO_START; 21];
    table[0] = 4;
    p.activities[0].modes[0].timing = Timing::Table(table);
    p.groups.remove(0);
    p.groups[0].weight = 5;
    assert_eq!(lower_bound(&p).unwrap(), 15);
    let best = Schedule {
        starts: vec![0, 4],
        modes: vec![0, 0],
    };
    assert!(violations(&p, &best).is_empty());
    assert_eq!(p.score(&best).value, 15);
}

#[test]
fn open_trenches_count_against_the_trench_limit() {
    // Two trenches, each dug (2 days) then backfilled (2 days) by
    // unlimited crews, with one trench open at a time: 4 + 4 = 8 days,
    // where the critical path says 4.
    let mut p = two_crews(4, 0);
    p.resources.truncate(1);
    p.resources[0].capacity = 1;
    for a in &mut p.activities {
        a.modes.truncate(1);
        a.modes[0].demands.clear();
        a.modes[0].timing = Timing::Fixed(2);
    }
    for (first, last) in [(0, 1), (2, 3)] {
        p.links.push(Link {
            from: first,
            to: last,
            kind: LinkKind::FinishToStart,
            lag: 0,
        });
        p.spans.push(Span {
            first,
            last,
            resource: 0,
            amount: 1,
        });
    }
    assert_eq!(lower_bound(&p).unwrap(), 8);
    let best = Schedule {
        starts: vec![0, 2, 4, 6],
        modes: vec![0; 4],
    };
    assert!(violations(&p, &best).is_empty());
    assert_eq!(p.score(&best).value, 8);
}

/// A tiny random problem: up to four activities on two crews (one or
/// two modes, fixed or rest-day timings), a few links, due groups with
/// weights, sometimes a baseline and a pinned start.
pub(super) fn tiny(rng: &mut Rng) -> Problem {
    let horizon: Day = 9;
    let n = 2 + rng.below(3);
    let resources = (0..3)
        .map(|r| Resource {
            name: format!("r{r}"),
            capacity: 1 + rng.below(2) as u32,
        })
        .collect();
    let activities = (0..n)
        .map(|i| {
            let modes = (0..1 + rng.below(2))
                .map(|m| {
                    let d = 1 + rng.below(3) as Day;
                    let timing = match rng.below(3) {
                        0 => Timing::Table(
                            (0..=horizon)
                                .map(|s| {
                                    let e = if s % 3 == 2 { Timing::NO_START } else { s + d };
                                    if e <= horizon {
                                        e
                                    } else {
                                        Timing::NO_START
                                    }
                                })
                                .collect(),
                        ),
                        1 if i == 0 => {
                            // Pinned: one allowed start.
                            let mut t = vec![Timing::NO_START; horizon as usize + 1];
                            t[1] = 1 + d;
                            Timing::Table(t)
                        }
                        _ => Timing::Fixed(d),
                    };
                    Mode {
                        label: format!("m{m}"),
                        demands: vec![(rng.below(2), 1 + rng.below(2) as u32)],
                        timing,
                        cost_per_day: rng.below(3) as u32,
                    }
                })
                .collect();
            Activity {
                name: format!("a{i}"),
                modes,
                release: rng.below(2) as Day,
            }
        })
        .collect();
    let linked: Vec<usize> = (1..n).filter(|_| rng.below(2) == 0).collect();
    let links: Vec<Link> = linked
        .into_iter()
        .map(|to| Link {
            from: rng.below(to),
            to,
            kind: if rng.below(3) == 0 {
                LinkKind::StartToStart
            } else {
                LinkKind::FinishToStart
            },
            lag: rng.below(2) as i32,
        })
        .collect();
    let groups = (0..1 + rng.below(3))
        .map(|g| DueGroup {
            name: format!("g{g}"),
            weight: 1 + rng.below(4) as u64,
            due: 1 + rng.below(5) as Day,
            members: (0..n).filter(|_| rng.below(2) == 0).collect(),
            level: Default::default(),
        })
        .collect();
    // An open trench over some link's two ends, on a third resource.
    let spans = links
        .iter()
        .filter(|_| rng.below(2) == 0)
        .map(|l: &Link| Span {
            first: l.from,
            last: l.to,
            resource: 2,
            amount: 1,
        })
        .collect();
    let baseline = (rng.below(2) == 0).then(|| Baseline {
        starts: (0..n).map(|_| Some(rng.below(6) as Day)).collect(),
        modes: (0..n).map(|_| Some(0)).collect(),
        shift_weight: 1,
        change_weight: 2,
    });
    Problem {
        name: "tiny".into(),
        horizon,
        resources,
        activities,
        links,
        spans,
        groups,
        objective: Objective {
            lateness: 5,
            finish: 1,
            cost: rng.below(2) as u64,
            node: 0,
        },
        baseline,
    }
}

/// The least objective over every feasible schedule, by enumeration.
fn brute_force(p: &Problem) -> Option<u64> {
    let n = p.activities.len();
    let mut best: Option<u64> = None;
    let mut sched = Schedule {
        starts: vec![0; n],
        modes: vec![0; n],
    };
    fn walk(p: &Problem, a: usize, sched: &mut Schedule, best: &mut Option<u64>) {
        if a == p.activities.len() {
            if violations(p, sched).is_empty() {
                let v = p.score(sched).value;
                *best = Some(best.map_or(v, |b| b.min(v)));
            }
            return;
        }
        for m in 0..p.activities[a].modes.len() {
            for s in 0..=p.horizon {
                if p.end(a, m, s).is_some_and(|e| e <= p.horizon) {
                    sched.starts[a] = s;
                    sched.modes[a] = m;
                    walk(p, a + 1, sched, best);
                }
            }
        }
    }
    walk(p, 0, &mut sched, &mut best);
    best
}

#[test]
fn the_bound_never_exceeds_the_optimum_of_tiny_problems() {
    let mut rng = Rng::new(7);
    let (mut checked, mut late) = (0, 0);
    for _ in 0..300 {
        let p = tiny(&mut rng);
        let Some(opt) = brute_force(&p) else { continue };
        let lb = lower_bound(&p).expect("feasible, so the windows exist");
        assert!(lb <= opt, "bound {lb} above the optimum {opt} of {p:#?}");
        checked += 1;
        // Count the problems where the crews force lateness beyond the
        // members' earliest ends.
        let w = Windows::compute(&p).unwrap();
        let by_ends: u64 = p
            .groups
            .iter()
            .map(|g| {
                let end = g.members.iter().map(|&a| w.ef[a]).max().unwrap_or(0);
                g.weight * end.saturating_sub(g.due) as u64
            })
            .sum();
        if lateness_bound(&p, &w, &span_works(&p)) > by_ends {
            late += 1;
        }
    }
    // The comparison must cover problems whose lateness the crews force.
    assert!(
        checked >= 100 && late >= 20,
        "{checked} checked, {late} late"
    );
}

/// Each group's end in `s`: the last end of its members (0 for none).
pub(super) fn group_ends(p: &Problem, s: &Schedule) -> Vec<Day> {
    p.groups
        .iter()
        .map(|g| {
            g.members
                .iter()
                .map(|&a| p.end(a, s.modes[a], s.starts[a]).unwrap())
                .max()
                .unwrap_or(0)
        })
        .collect()
}

/// Calls `f` on every feasible schedule of `p`, by enumeration.
pub(super) fn every_schedule(p: &Problem, f: &mut dyn FnMut(&Schedule)) {
    fn walk(p: &Problem, a: usize, sched: &mut Schedule, f: &mut dyn FnMut(&Schedule)) {
        if a == p.activities.len() {
            if violations(p, sched).is_empty() {
                f(sched);
            }
            return;
        }
        for m in 0..p.activities[a].modes.len() {
            for s in 0..=p.horizon {
                if p.end(a, m, s).is_some_and(|e| e <= p.horizon) {
                    sched.starts[a] = s;
                    sched.modes[a] = m;
                    walk(p, a + 1, sched, f);
                }
            }
        }
    }
    let n = p.activities.len();
    let mut sched = Schedule {
        starts: vec![0; n],
        modes: vec![0; n],
    };
    walk(p, 0, &mut sched, f);
}

#[test]
fn the_bound_of_each_level_never_exceeds_that_level_of_any_plan() {
    let mut rng = Rng::new(18);
    let (mut checked, mut node_late) = (0, 0);
    for _ in 0..300 {
        let mut p = tiny(&mut rng);
        for g in &mut p.groups {
            if rng.below(2) == 0 {
                g.level = Level::Node;
            }
        }
        p.objective = Objective::lexicographic(&p);
        // Least value of each level over every feasible plan.
        let mut least: Option<(u64, u64, Day, u64, Vec<Day>)> = None;
        every_schedule(&p, &mut |s| {
            let sc = p.score(s);
            let ends = group_ends(&p, s);
            let l = least.get_or_insert((u64::MAX, u64::MAX, Day::MAX, u64::MAX, ends.clone()));
            l.0 = l.0.min(sc.weighted_lateness);
            l.1 = l.1.min(sc.node_lateness);
            l.2 = l.2.min(sc.makespan);
            l.3 = l.3.min(sc.cost);
            l.4.iter_mut()
                .zip(&ends)
                .for_each(|(x, &e)| *x = (*x).min(e));
        });
        let Some((households, nodes, finish, cost, ends)) = least else {
            continue;
        };
        let b = level_bounds(&p).expect("feasible, so the windows exist");
        assert!(
            b.households <= households,
            "{b:?} vs {households} in {p:#?}"
        );
        assert!(b.nodes <= nodes, "{b:?} vs {nodes} in {p:#?}");
        assert!(b.finish <= finish, "{b:?} vs {finish} in {p:#?}");
        assert!(b.cost <= cost, "{b:?} vs {cost} in {p:#?}");
        for &(g, end) in &b.node_ends {
            if !p.groups[g].members.is_empty() {
                assert!(end <= ends[g], "node {g}: {b:?} vs {ends:?} in {p:#?}");
            }
            if b.node_days_late(&p, g) > 0 {
                node_late += 1;
            }
        }
        checked += 1;
    }
    assert!(
        checked >= 100 && node_late >= 10,
        "{checked} checked, {node_late} nodes proven late"
    );
}

#[test]
fn lexicographic_weights_order_plans_level_by_level() {
    let mut rng = Rng::new(22);
    let mut compared = 0;
    for _ in 0..200 {
        let mut p = tiny(&mut rng);
        p.baseline = None;
        for g in &mut p.groups {
            if rng.below(2) == 0 {
                g.level = Level::Node;
            }
        }
        for a in &mut p.activities {
            for m in &mut a.modes {
                m.cost_per_day = 1 + rng.below(3) as u32;
            }
        }
        p.objective = Objective::lexicographic(&p);
        let mut scores = Vec::new();
        every_schedule(&p, &mut |s| scores.push(p.score(s)));
        let key = |s: &Score| (s.weighted_lateness, s.node_lateness, s.makespan, s.cost);
        for x in scores.iter().step_by(7) {
            for y in scores.iter().step_by(5) {
                assert_eq!(x.value.cmp(&y.value), key(x).cmp(&key(y)), "{x:?} {y:?}");
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "{compared}");
}
