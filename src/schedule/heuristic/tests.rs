use super::*;
use crate::schedule::check::violations;
use crate::schedule::problem::*;
use std::time::Duration;

fn act(name: &str, d: u32, demand: u32) -> Activity {
    Activity {
        name: name.into(),
        modes: vec![Mode {
            label: String::new(),
            demands: vec![(0, demand)],
            timing: Timing::Fixed(d),
            cost_per_day: 0,
        }],
        release: 0,
    }
}

/// A due group of weight 1 (a station or a time node by `level`).
fn due_group(name: &str, members: Vec<ActId>, due: Day, level: Level) -> DueGroup {
    DueGroup {
        name: String::from(name),
        weight: 1,
        due,
        members,
        level,
    }
}

fn small() -> Problem {
    Problem {
        name: "t".into(),
        horizon: 40,
        resources: vec![Resource {
            name: "r".into(),
            capacity: 3,
        }],
        activities: vec![
            act("a", 3, 2),
            act("b", 4, 2),
            act("c", 2, 1),
            act("d", 5, 3),
            act("e", 1, 1),
        ],
        links: vec![
            Link {
                from: 0,
                to: 3,
                kind: LinkKind::FinishToStart,
                lag: 0,
            },
            Link {
                from: 1,
                to: 4,
                kind: LinkKind::FinishToStart,
                lag: 0,
            },
        ],
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    }
}

fn opts(iters: usize) -> Budget {
    Budget::new(Duration::from_secs(60))
        .with_seed(7)
        .with_max_candidates(Some(iters))
}

#[test]
fn a_first_plan_comes_even_past_the_deadline() {
    // A budget with no time at all still gets the first candidate.
    let p = small();
    let s = heuristic(&p, &Budget::new(Duration::ZERO), None).expect("a first plan");
    assert!(violations(&p, &s).is_empty());
}

#[test]
fn finds_feasible_schedule_not_below_bound() {
    let p = small();
    let s = heuristic(&p, &opts(200), None).unwrap();
    assert!(violations(&p, &s).is_empty());
    assert!(p.score(&s).value >= super::super::bound::lower_bound(&p).unwrap());
    // Work 6+8+2+15+1 = 32 on capacity 3 -> 11; optimum is 12, which
    // the energy tests prove once the windows are tightened.
    assert_eq!(super::super::bound::lower_bound(&p).unwrap(), 12);
    assert_eq!(p.score(&s).makespan, 12);
}

#[test]
fn deterministic_for_seed() {
    let p = small();
    assert_eq!(
        heuristic(&p, &opts(50), None),
        heuristic(&p, &opts(50), None)
    );
}

#[test]
fn stop_flag_is_honoured() {
    let p = small();
    let o = opts(1000);
    o.stop_flag()
        .store(true, std::sync::atomic::Ordering::Relaxed);
    // Stopped before the first candidate: nothing found.
    assert!(heuristic(&p, &o, None).is_none());
}

#[test]
fn rng_is_spread() {
    let mut r = Rng::new(1);
    let mut hits = [0; 4];
    for _ in 0..4000 {
        hits[r.below(4)] += 1;
    }
    assert!(hits.iter().all(|&h| h > 900));
}

#[test]
fn lateness_bound_uses_earliest_ends() {
    let mut p = small();
    p.groups.push(DueGroup {
        name: "g".into(),
        weight: 10,
        due: 5,
        members: vec![3],
        level: Default::default(),
    });
    p.objective = Objective {
        lateness: 1000,
        finish: 1,
        cost: 0,
        node: 0,
    };
    // d ends no earlier than day 8: 3 days late.
    assert_eq!(
        super::super::bound::lower_bound(&p).unwrap(),
        30 * 1000 + 12
    );
    let s = heuristic(&p, &opts(100), None).unwrap();
    assert!(violations(&p, &s).is_empty());
    assert!(p.score(&s).value >= super::super::bound::lower_bound(&p).unwrap());
}

#[test]
fn a_node_met_only_when_its_chain_goes_first_is_met() {
    // One crew. A station (4 days, due on day 12) and a filler (4 days)
    // could take it first, but the time node after the chain n1 → n2
    // (3 + 3 days) is due on day 6: only the chain first, then the
    // station, meets both.
    let mut p = small();
    p.resources[0].capacity = 1;
    p.activities = vec![
        act("station", 4, 1),
        act("filler", 4, 1),
        act("n1", 3, 1),
        act("n2", 3, 1),
    ];
    p.links = vec![Link {
        from: 2,
        to: 3,
        kind: LinkKind::FinishToStart,
        lag: 0,
    }];
    p.groups = vec![
        due_group("S", vec![0], 12, Level::Households),
        due_group("m-node", vec![3], 6, Level::Node),
    ];
    p.objective = Objective::lexicographic(&p);
    let s = heuristic(&p, &opts(100), None).unwrap();
    assert!(violations(&p, &s).is_empty());
    let sc = p.score(&s);
    assert_eq!((sc.weighted_lateness, sc.node_lateness), (0, 0), "{s:?}");
    assert_eq!(&s.starts[2..], [0, 3]);
}

/// One crew; a station (household level) and a time node, each one
/// activity of 4 days due on day 4: only one of them can be on time.
fn station_or_node() -> Problem {
    let mut p = small();
    p.resources[0].capacity = 1;
    p.activities = vec![act("station", 4, 1), act("node-work", 4, 1)];
    p.links = vec![];
    p.groups = vec![
        due_group("S", vec![0], 4, Level::Households),
        due_group("m-node", vec![1], 4, Level::Node),
    ];
    p.objective = Objective::lexicographic(&p);
    p
}

#[test]
fn ranking_nodes_first_evolves_by_the_nodes_but_returns_the_objectives_best() {
    let p = station_or_node();
    let (best, ranked) = heuristic_nodes_first(&p, &opts(60));
    let (best, ranked) = (best.unwrap(), ranked.unwrap());
    assert!(violations(&p, &best).is_empty());
    assert!(violations(&p, &ranked).is_empty());
    // The ranking's best meets the node and leaves the station late ...
    let r = p.score(&ranked);
    assert_eq!((r.weighted_lateness, r.node_lateness), (4, 0), "{ranked:?}");
    // ... while the best by the objective is the station on time.
    let b = p.score(&best);
    assert_eq!((b.weighted_lateness, b.node_lateness), (0, 4), "{best:?}");
    // The swapped weights: one node-day outweighs the most
    // household-days a plan can have (36: late from day 4 to the
    // horizon, 40), one household-day every finish.
    let o = nodes_first(&p);
    assert!(o.node > o.lateness * 36 && o.lateness > o.finish * 40);
}

#[test]
fn ranking_nodes_first_anchors_the_nodes_first() {
    // Plain: the station by its due day, the node 4 days past its own;
    // nodes first: the other way round.
    let p = station_or_node();
    let budget = opts(100);
    let allowances = |rank: Option<Objective>| {
        let w = Windows::compute(&p).unwrap();
        let mut gs = GeneticSearch::new(&p, w, &budget, None, 0);
        gs.rank = rank;
        let seeds = gs.due_anchored();
        assert!(!seeds.is_empty());
        (gs.anchor_late, gs.node_late)
    };
    assert_eq!(allowances(None), (Some(0), Some(4)));
    assert_eq!(allowances(Some(nodes_first(&p))), (Some(4), Some(0)));
}

#[test]
fn the_threads_return_the_objectives_best_with_a_nodes_first_thread() {
    let p = station_or_node();
    assert!(has_both_levels(&p));
    let b = opts(60).with_threads(2);
    let s = heuristic_on_threads_with_bound(&p, &b, None, 0).unwrap();
    let sc = p.score(&s);
    assert_eq!((sc.weighted_lateness, sc.node_lateness), (0, 4));
}

#[test]
fn a_lead_pulls_only_its_due_days_nodes_ahead() {
    // Station d (due 20); node X after e (due 10), node Y after c (due 15).
    let mut p = small();
    p.groups = vec![
        due_group("S", vec![3], 20, Level::Households),
        due_group("X", vec![4], 10, Level::Node),
        due_group("Y", vec![2], 15, Level::Node),
    ];
    p.objective = Objective::lexicographic(&p);
    let w = Windows::compute(&p).unwrap();
    let budget = opts(10);
    let mut gs = GeneticSearch::new(&p, w, &budget, None, 0);
    let plain = gs.anchor_caps(0, TAIL, Some(5));
    assert_eq!((plain[3], plain[4], plain[2]), (20, 15, 20));
    gs.node_lead = Some((10, 4));
    let led = gs.anchor_caps(0, TAIL, Some(5));
    // Only X's member ends earlier, by the lead.
    assert_eq!(led[4], plain[4] - 4);
    for a in [0, 1, 2, 3] {
        assert_eq!(led[a], plain[a], "activity {a}");
    }
    // Every due day of a node gets every lead, and nothing else does.
    let variants = gs.node_led_variants();
    assert_eq!(variants.len(), 2 * NODE_LEADS.len());
    for d in [10, 15] {
        for l in NODE_LEADS {
            assert!(variants.contains(&(d, l)), "{d} {l}");
        }
    }
}
