//! The primal heuristic against the independent checker: every PSPLIB
//! instance of the development subset, and a small calendar problem with an
//! open-trench span.

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use heatplan::schedule::bound::lower_bound;
use heatplan::schedule::check::violations;
use heatplan::schedule::psplib::{self, Known};
use heatplan::schedule::search::{heuristic, heuristic_on_threads, HeuristicOptions};
use heatplan::schedule::*;

const PSPLIB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/benchmarks/psplib");

fn known() -> HashMap<String, Known> {
    let text = std::fs::read_to_string(Path::new(PSPLIB).join("known.csv")).expect("known.csv");
    psplib::load_known(&text).expect("valid known.csv")
}

fn instances(set: &str) -> Vec<(String, Problem)> {
    let dir = Path::new(PSPLIB).join(set);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("instance folder")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "sm"))
        .map(|f| {
            let name = f.file_stem().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(f).unwrap();
            let p = psplib::parse(&name, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, p)
        })
        .collect()
}

fn opts(iterations: usize) -> HeuristicOptions {
    HeuristicOptions {
        time_limit: Duration::from_secs(600),
        seed: 1,
        stop: None,
        max_iterations: Some(iterations),
        patience: None,
    }
}

fn check_set(set: &str, count: usize, iterations: usize) {
    let known = known();
    let all = instances(set);
    assert_eq!(all.len(), count, "{set}");
    for (name, p) in &all {
        let k = known[name.as_str()];
        let lb = lower_bound(p).unwrap();
        assert!(
            lb <= k.ub as u64,
            "{name}: lower bound {lb} above best known {}",
            k.ub
        );
        let s = heuristic(p, &opts(iterations)).unwrap_or_else(|| panic!("{name}: no schedule"));
        let v = violations(p, &s);
        assert!(v.is_empty(), "{name}: {v:?}");
        let makespan = p.score(&s).makespan;
        assert!(
            makespan >= k.lb,
            "{name}: makespan {makespan} below known lower bound {}",
            k.lb
        );
        assert!(
            makespan as u64 >= lb,
            "{name}: makespan below own lower bound"
        );
    }
}

#[test]
fn j30_all_feasible() {
    check_set("j30", 96, 60);
}

#[test]
fn j60_all_feasible() {
    check_set("j60", 12, 40);
}

#[test]
fn j120_all_feasible() {
    check_set("j120", 10, 30);
}

/// Side-by-side runs keep the first thread's run as one of their candidates
/// (never worse than it), return a feasible schedule, and are reproducible
/// when iterations, not the clock, end them.
#[test]
fn runs_on_threads_are_no_worse_and_reproducible() {
    for (name, p) in instances("j60").iter().take(4) {
        let one = heuristic(p, &opts(400)).expect("a schedule");
        let two = heuristic_on_threads(p, &opts(400), 2).expect("a schedule");
        assert!(violations(p, &two).is_empty(), "{name}");
        assert!(p.score(&two).value <= p.score(&one).value, "{name}");
        let again = heuristic_on_threads(p, &opts(400), 2).expect("a schedule");
        assert_eq!(two, again, "{name}: not reproducible");
    }
}

fn mode(demands: Vec<(ResId, u32)>, timing: Timing, cost: u32) -> Mode {
    Mode {
        label: String::new(),
        demands,
        timing,
        cost_per_day: cost,
    }
}

/// Two pipe segments, each dig → lay → backfill with an open trench from dig
/// to backfill, one trench allowed at a time, a two-crew contractor pair, a
/// calendar that bans starts on every 7th day, and one station due early.
fn trench_problem() -> Problem {
    let horizon = 40;
    let cal = |d: u32| -> Timing {
        Timing::Table(
            (0..=horizon)
                .map(|s| {
                    if s % 7 == 6 || s + d > horizon {
                        Timing::NO_START
                    } else {
                        s + d + u32::from((s % 7) + d > 6)
                    }
                })
                .map(|e| if e > horizon { Timing::NO_START } else { e })
                .collect(),
        )
    };
    let act = |name: &str, modes: Vec<Mode>| Activity {
        name: name.into(),
        modes,
        release: 0,
    };
    let (crew_a, crew_b, trench) = (0, 1, 2);
    let mut activities = Vec::new();
    for seg in ["s1", "s2"] {
        activities.push(act(
            &format!("{seg}/dig"),
            vec![
                mode(vec![(crew_a, 1)], cal(3), 2),
                mode(vec![(crew_b, 1)], Timing::Fixed(4), 1),
            ],
        ));
        activities.push(act(
            &format!("{seg}/lay"),
            vec![
                mode(vec![(crew_a, 1)], cal(2), 2),
                mode(vec![(crew_b, 1)], cal(3), 1),
            ],
        ));
        activities.push(act(
            &format!("{seg}/fill"),
            vec![mode(vec![(crew_b, 1)], Timing::Fixed(1), 1)],
        ));
    }
    let fs = |from, to, lag| Link {
        from,
        to,
        kind: LinkKind::FinishToStart,
        lag,
    };
    Problem {
        name: "trenches".into(),
        horizon,
        resources: vec![
            Resource {
                name: "A/crew".into(),
                capacity: 1,
            },
            Resource {
                name: "B/crew".into(),
                capacity: 1,
            },
            Resource {
                name: "trenches".into(),
                capacity: 1,
            },
        ],
        activities,
        links: vec![
            fs(0, 1, 0),
            fs(1, 2, 1),
            fs(3, 4, 0),
            fs(4, 5, 1),
            Link {
                from: 0,
                to: 3,
                kind: LinkKind::StartToStart,
                lag: 1,
            },
        ],
        spans: vec![
            Span {
                first: 0,
                last: 2,
                resource: trench,
                amount: 1,
            },
            Span {
                first: 3,
                last: 5,
                resource: trench,
                amount: 1,
            },
        ],
        groups: vec![DueGroup {
            name: "station".into(),
            weight: 100,
            due: 8,
            members: vec![2],
        }],
        objective: Objective {
            lateness: 1000,
            finish: 10,
            cost: 1,
        },
        baseline: None,
    }
}

#[test]
fn trench_span_and_calendar() {
    let p = trench_problem();
    let s = heuristic(&p, &opts(300)).expect("a schedule");
    let v = violations(&p, &s);
    assert!(v.is_empty(), "{v:?}");
    let score = p.score(&s);
    assert!(score.value >= lower_bound(&p).unwrap());
    // The trenches never overlap: the second opens after the first closes.
    let end_fill1 = p.end(2, s.modes[2], s.starts[2]).unwrap();
    assert!(s.starts[3] >= end_fill1);
    // Deterministic for a seed and iteration budget.
    assert_eq!(heuristic(&p, &opts(300)), Some(s));
}

/// A city-sized random programme: `segments` pipe segments in 5 districts,
/// each dig → lay → test → backfill with an open trench from dig to
/// backfill, crews of 4 contractors as modes, a calendar with rest days,
/// a supply tree (start-to-start links between neighbouring segments) and
/// stations due at different days.
pub fn synthetic_city(segments: usize, seed: u64) -> Problem {
    let mut rng = heatplan::schedule::rng::Rng::new(seed);
    let mut rnd = |n: u32| rng.below(n as usize) as u32;
    let horizon = 250u32;
    let cal = |d: u32| -> Timing {
        // Work on 6 days of 7; a job of d working days spans the rest days.
        Timing::Table(
            (0..=horizon)
                .map(|s| {
                    if s % 7 == 6 {
                        return Timing::NO_START;
                    }
                    let (mut day, mut left) = (s, d);
                    while left > 0 {
                        if day % 7 != 6 {
                            left -= 1;
                        }
                        day += 1;
                    }
                    if day > horizon {
                        Timing::NO_START
                    } else {
                        day
                    }
                })
                .collect(),
        )
    };
    let kinds = ["dig", "lay", "fill"];
    let mut resources = Vec::new();
    for c in 0..4 {
        for k in kinds {
            resources.push(Resource {
                name: format!("C{c}/{k}"),
                capacity: 2 + (c % 2) as u32,
            });
        }
    }
    let trench0 = resources.len();
    for d in 0..5 {
        resources.push(Resource {
            name: format!("trenches/D{d}"),
            capacity: 3,
        });
    }
    let mut activities = Vec::new();
    let mut links = Vec::new();
    let mut spans = Vec::new();
    let mut groups = Vec::new();
    let fs = |from, to, lag| Link {
        from,
        to,
        kind: LinkKind::FinishToStart,
        lag,
    };
    for seg in 0..segments {
        let district = seg % 5;
        let contractors = [district % 4, (district + 1) % 4, (district + 2) % 4];
        let nmodes = 2 + rnd(2) as usize;
        let base = activities.len();
        for (k, kind) in kinds.iter().enumerate() {
            let d = 1 + rnd(5);
            let modes = contractors[..nmodes]
                .iter()
                .map(|&c| Mode {
                    label: format!("C{c}"),
                    demands: vec![(c * 3 + k, 1)],
                    timing: cal(d + rnd(2)),
                    cost_per_day: 1 + rnd(3),
                })
                .collect();
            activities.push(Activity {
                name: format!("s{seg}/{kind}"),
                modes,
                release: if k == 0 { rnd(30) } else { 0 },
            });
            if k == 1 {
                activities.push(Activity {
                    name: format!("s{seg}/test"),
                    modes: vec![Mode {
                        label: "-".into(),
                        demands: vec![],
                        timing: Timing::Fixed(1),
                        cost_per_day: 0,
                    }],
                    release: 0,
                });
            }
        }
        let (dig, lay, test, fill) = (base, base + 1, base + 2, base + 3);
        links.extend([fs(dig, lay, 0), fs(lay, test, 0), fs(test, fill, 1)]);
        spans.push(Span {
            first: dig,
            last: fill,
            resource: trench0 + district,
            amount: 1,
        });
        if seg > 0 {
            let parent = 4 * (rnd(seg as u32) as usize);
            links.push(Link {
                from: parent,
                to: dig,
                kind: LinkKind::StartToStart,
                lag: 2,
            });
            links.push(fs(parent + 2, test, 0));
        }
        if seg % 10 == 9 {
            let members = (seg - 9..=seg).map(|s| 4 * s + 3).collect();
            groups.push(DueGroup {
                name: format!("st{seg}"),
                weight: 50 + rnd(500) as u64,
                due: 60 + rnd(150),
                members,
            });
        }
    }
    Problem {
        name: format!("city{segments}"),
        horizon,
        resources,
        activities,
        links,
        spans,
        groups,
        objective: Objective {
            lateness: 1000,
            finish: 10,
            cost: 1,
        },
        baseline: None,
    }
}

#[test]
fn synthetic_city_is_feasible() {
    for seed in 1..=3 {
        let p = synthetic_city(60, seed);
        let s = heuristic(&p, &opts(40)).expect("a schedule");
        let v = violations(&p, &s);
        assert!(v.is_empty(), "seed {seed}: {v:?}");
        assert!(p.score(&s).value >= lower_bound(&p).unwrap());
    }
}

/// Prints the heuristic's progress on a city-sized problem (run by hand:
/// `cargo test --release --test heuristics city_scale -- --ignored --nocapture`).
#[test]
#[ignore]
fn city_scale() {
    let p = synthetic_city(175, 1);
    println!(
        "{} activities, lower bound {}",
        p.activities.len(),
        lower_bound(&p).unwrap()
    );
    for secs in [1, 5] {
        let t = std::time::Instant::now();
        let o = HeuristicOptions {
            time_limit: Duration::from_secs(secs),
            seed: 1,
            stop: None,
            max_iterations: None,
            patience: None,
        };
        let s = heuristic(&p, &o).expect("a schedule");
        assert!(violations(&p, &s).is_empty());
        println!(
            "{secs} s: {:?} in {:.1} s",
            p.score(&s),
            t.elapsed().as_secs_f64()
        );
    }
}

/// The city scenario is calibrated so that every station can be heat-ready
/// by the deadline: the first candidates of the search (the schedules
/// anchored on the due days) must already find such a plan, the same one for
/// the same seed.
#[test]
fn city_first_candidates_meet_the_deadline() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/city.toml").to_string();
    let text = std::fs::read_to_string(&file).expect("city.toml");
    let project =
        heatplan::Project::load(&heatplan::scenario::Source { file, text }).expect("valid city");
    let p = &project.model.problem;
    let s = heuristic(p, &opts(30)).expect("a plan");
    assert!(violations(p, &s).is_empty(), "{:?}", violations(p, &s));
    let score = p.score(&s);
    assert_eq!(score.weighted_lateness, 0, "{score:?}");
    assert_eq!(heuristic(p, &opts(30)), Some(s));
}
