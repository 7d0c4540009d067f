//! A city-sized random scheduling problem, shared by the heuristic's tests
//! (tests/heuristics.rs) and the benchmarks (benches/solver.rs).

use heatplan::schedule::*;

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
                level: Default::default(),
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
            node: 0,
        },
        baseline: None,
    }
}
