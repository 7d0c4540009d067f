use super::*;
use crate::schedule::problem::*;

fn job(name: &str, d: u32, res: &[ResId]) -> Activity {
    Activity {
        name: name.into(),
        modes: res
            .iter()
            .map(|&r| Mode {
                label: format!("c{r}"),
                demands: vec![(r, 1)],
                timing: Timing::Fixed(d),
                cost_per_day: 1,
            })
            .collect(),
        release: 0,
    }
}

fn group(name: &str, weight: u64, due: Day, member: ActId) -> DueGroup {
    DueGroup {
        name: name.into(),
        weight,
        due,
        members: vec![member],
        level: Level::Households,
    }
}

fn fs(from: ActId, to: ActId) -> Link {
    Link {
        from,
        to,
        kind: LinkKind::FinishToStart,
        lag: 0,
    }
}

/// Two stations share one crew: civil works (own crews) then equipment
/// (the shared crew, 4 days each). The light station (10 households) is
/// first in the incumbent; the heavy one (100) must go first.
fn two_stations() -> (Problem, Schedule) {
    let mut p = Problem {
        name: "two".into(),
        horizon: 40,
        resources: ["civil-a", "civil-b", "mep"]
            .iter()
            .map(|n| Resource {
                name: n.to_string(),
                capacity: 1,
            })
            .collect(),
        activities: vec![
            job("light/civil", 2, &[0]),
            job("heavy/civil", 2, &[1]),
            job("light/mep", 4, &[2]),
            job("heavy/mep", 4, &[2]),
        ],
        links: vec![fs(0, 2), fs(1, 3)],
        spans: vec![],
        groups: vec![group("light", 10, 6, 2), group("heavy", 100, 6, 3)],
        objective: Objective::default(),
        baseline: None,
    };
    p.objective = Objective::lexicographic(&p);
    let inc = Schedule {
        starts: vec![0, 0, 2, 6],
        modes: vec![0; 4],
    };
    (p, inc)
}

/// The search settings of the two-station tests.
const SETTINGS: Settings = Settings {
    rounds: 4,
    moves: 50,
};

/// Re-sequences `inc` (the light station first, 400 weighted days late)
/// and checks that the heavy station's job 3 now starts on day 2, first
/// on the shared crew, leaving 40.
fn assert_heavy_goes_first(p: &Problem, inc: &Schedule, what: &str) {
    assert!(violations(p, inc).is_empty());
    assert_eq!(p.score(inc).weighted_lateness, 400);
    let budget = Budget::new(std::time::Duration::from_secs(3600));
    let (s, stats) = improve(p, inc, &budget, &SETTINGS);
    assert!(violations(p, &s).is_empty());
    assert_eq!(s.starts[3], 2, "{what}");
    assert_eq!(p.score(&s).weighted_lateness, 40);
    assert!(stats.accepted >= 1);
}

#[test]
fn the_heavier_station_goes_first() {
    let (p, inc) = two_stations();
    assert_heavy_goes_first(&p, &inc, "the heavy station's equipment first");
}

/// Two pipe segments, each trench → pressure test → backfill with its
/// trench open throughout (a span; two may be open), share one testing
/// crew; each test makes its station heat-ready. The light station's
/// test is first in the incumbent; the heavy one's must go first, which
/// only a search that moves trench work finds.
fn two_trenches() -> (Problem, Schedule) {
    let mut p = Problem {
        name: "trenches".into(),
        horizon: 40,
        resources: ["dig-a", "dig-b", "testing", "trenches"]
            .iter()
            .map(|n| Resource {
                name: n.to_string(),
                capacity: if *n == "trenches" { 2 } else { 1 },
            })
            .collect(),
        activities: vec![
            job("light/trench", 2, &[0]),
            job("heavy/trench", 2, &[1]),
            job("light/test", 4, &[2]),
            job("heavy/test", 4, &[2]),
            job("light/backfill", 1, &[0]),
            job("heavy/backfill", 1, &[1]),
        ],
        links: vec![fs(0, 2), fs(2, 4), fs(1, 3), fs(3, 5)],
        spans: vec![
            Span {
                first: 0,
                last: 4,
                resource: 3,
                amount: 1,
            },
            Span {
                first: 1,
                last: 5,
                resource: 3,
                amount: 1,
            },
        ],
        groups: vec![group("light", 10, 6, 2), group("heavy", 100, 6, 3)],
        objective: Objective::default(),
        baseline: None,
    };
    p.objective = Objective::lexicographic(&p);
    let inc = Schedule {
        starts: vec![0, 0, 2, 6, 6, 10],
        modes: vec![0; 6],
    };
    (p, inc)
}

#[test]
fn trench_work_is_resequenced_within_the_trench_limits() {
    let (p, inc) = two_trenches();
    assert_heavy_goes_first(&p, &inc, "the heavy station's test first");
    // With one trench open at a time the heavy segment's trench must
    // wait for the light one's backfill (or the other way round): every
    // plan returned still keeps the limit, and is no worse.
    let mut one = p.clone();
    one.resources[3].capacity = 1;
    let inc = Schedule {
        starts: vec![0, 7, 2, 9, 6, 13],
        modes: vec![0; 6],
    };
    assert!(violations(&one, &inc).is_empty());
    for seed in 0..10 {
        let budget = Budget::new(std::time::Duration::from_secs(3600)).with_seed(seed);
        let (s, _) = improve(&one, &inc, &budget, &SETTINGS);
        assert!(violations(&one, &s).is_empty(), "seed {seed}");
        assert!(one.score(&s).value <= one.score(&inc).value);
    }
}

/// A programme with a trench (a span), shared crews with two modes, a
/// calendar and late stations: whatever the seed, every plan returned
/// passes the checker and is no worse than the incumbent.
#[test]
fn plans_returned_keep_every_limit() {
    let mut p = Problem {
        name: "mixed".into(),
        horizon: 80,
        resources: ["dig", "mep-a", "mep-b", "trenches"]
            .iter()
            .map(|n| Resource {
                name: n.to_string(),
                capacity: 1,
            })
            .collect(),
        activities: vec![job("trench", 3, &[0]), job("backfill", 2, &[0])],
        links: vec![fs(0, 1)],
        spans: vec![Span {
            first: 0,
            last: 1,
            resource: 3,
            amount: 1,
        }],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    };
    // Six stations: equipment on either contractor's crew, after the
    // pipe (the backfill) for the even ones; only even start days for
    // the odd ones.
    for i in 0..6 {
        let a = p.activities.len();
        let mut act = job(&format!("s{i}/mep"), 3 + i as u32 % 3, &[1, 2]);
        if i % 2 == 1 {
            let d = 3 + i as u32 % 3;
            let table = (0..=80)
                .map(|s| {
                    if s % 2 == 0 && s + d <= 80 {
                        s + d
                    } else {
                        Timing::NO_START
                    }
                })
                .collect::<Vec<Day>>();
            for m in &mut act.modes {
                m.timing = Timing::Table(table.clone());
            }
        }
        p.activities.push(act);
        if i % 2 == 0 {
            p.links.push(fs(1, a));
        }
        p.groups
            .push(group(&format!("s{i}"), 1 + 7 * i as u64 % 5, 4, a));
    }
    p.objective = Objective::lexicographic(&p);
    let n = p.activities.len();
    let inc = Sgs::new(&p)
        .forward(&(0..n).collect::<Vec<_>>(), ModePolicy::Given(&vec![0; n]))
        .unwrap();
    assert!(violations(&p, &inc).is_empty());
    let before = p.score(&inc).value;
    for seed in 0..20 {
        let budget = Budget::new(std::time::Duration::from_secs(3600)).with_seed(seed);
        let settings = Settings {
            rounds: 3,
            moves: 40,
        };
        let (s, _) = improve(&p, &inc, &budget, &settings);
        assert!(violations(&p, &s).is_empty(), "seed {seed}");
        assert!(p.score(&s).value <= before);
        // Every decoded candidate too, not only the kept ones.
        for pool in pools(&p) {
            let mut sub = Sub::new(&p, &pool, &inc);
            let mut rng = Rng::new(seed);
            if let Some(e) = sub.search(&mut rng, 40, &budget) {
                if let Some(c) = decode(&p, &e) {
                    assert!(violations(&p, &c).is_empty(), "seed {seed}");
                }
            }
        }
    }
}
