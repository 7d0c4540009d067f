use super::*;

#[test]
fn status_is_displayed() {
    assert_eq!(
        Status::Feasible { gap: 0.05 }.to_string(),
        "feasible (gap 5.00 %)"
    );
    assert_eq!(Status::Optimal.to_string(), "optimal");
}

#[test]
fn stop_reasons_read_as_before() {
    assert_eq!(StopReason::Interrupted.to_string(), "interrupted");
    assert_eq!(StopReason::TimeLimit.to_string(), "time limit");
    assert_eq!(
        StopReason::GapReached {
            gap: 0.01,
            level: None
        }
        .to_string(),
        "relative gap 0.0100 reached"
    );
    assert_eq!(
        StopReason::GapReached {
            gap: 0.01,
            level: Some(ObjectiveLevel::CrewDays)
        }
        .to_string(),
        "relative gap 0.0100 reached on the crew-day level"
    );
    assert_eq!(
        StopReason::ModelTooLarge {
            columns: 70_000,
            limit: 60_000
        }
        .to_string(),
        "model too large: 70000 start columns (limit 60000)"
    );
    assert_eq!(
        StopReason::ProvenByBranchAndBound { nodes: 12 }.to_string(),
        "proven optimal by branch and bound (12 nodes)"
    );
}

#[test]
fn an_outcome_meeting_its_bound_is_optimal() {
    let score = Score {
        weighted_lateness: 0,
        node_lateness: 0,
        makespan: 5,
        cost: 0,
        value: 5,
    };
    let o = Outcome::of(None, Some(score), 5, StopReason::Proven);
    assert_eq!(o.status, Status::Optimal);
    let o = Outcome::of(None, Some(score), 4, StopReason::TimeLimit);
    assert_eq!(o.status, Status::Feasible { gap: 0.2 });
    assert_eq!(Outcome::of(None, None, 4, StopReason::TimeLimit).gap(), 1.0);
}

use crate::schedule::milp::tests::{job, problem};
use crate::schedule::problem::{Baseline, DueGroup, Objective, Timing};

/// Three jobs on one crew, each 2 days (100 crew-days a day) or 1 day
/// (150), a station due on day 4 and a time node due on day 6, horizon
/// 200; the lexicographic objective.
fn levelled() -> Problem {
    let mut jobs: Vec<_> = ["a", "b", "c"]
        .iter()
        .map(|n| job(n, 2, &[(0, 1)]))
        .collect();
    for j in &mut jobs {
        j.modes[0].cost_per_day = 100;
        let mut fast = j.modes[0].clone();
        fast.timing = Timing::Fixed(1);
        fast.cost_per_day = 150;
        j.modes.push(fast);
    }
    let mut p = problem(200, &[1], jobs, vec![]);
    p.groups = vec![
        DueGroup {
            name: "station".into(),
            weight: 10,
            due: 4,
            members: vec![0, 1],
            level: Level::Households,
        },
        DueGroup {
            name: "node".into(),
            weight: 1,
            due: 6,
            members: vec![2],
            level: Level::Node,
        },
    ];
    p.objective = Objective::lexicographic(&p);
    p
}

/// The folded value of (household-days, node-days, finish, crew-days).
fn fold(p: &Problem, v: [u64; 4]) -> u64 {
    let o = p.objective;
    o.lateness * v[0] + o.node * v[1] + o.finish * v[2] + o.cost * v[3]
}

#[test]
fn the_value_within_a_gap_is_the_largest_the_gap_allows() {
    // 101 is 0.99 % above 100, 102 is 1.96 %.
    assert_eq!(largest_within_gap(100, 0.01), 101);
    assert_eq!(largest_within_gap(100, 0.0), 100);
    assert_eq!(largest_within_gap(0, 0.5), 0);
    assert_eq!(largest_within_gap(100, 1.0), u64::MAX);
    let big = 64_800_564_868_852_137;
    let v = largest_within_gap(big, 1e-4);
    assert!(gap(v, big) <= 1e-4 && gap(v + 1, big) > 1e-4);
}

#[test]
fn the_first_open_level_is_where_plan_and_bound_part() {
    let p = levelled();
    let split = LevelSplit::of(&p);
    // Every pair of level vectors in a small range: the open level is the
    // first where they differ (the bound's vector is never above).
    let range = |m: u64| 0..m;
    for v in range(3)
        .flat_map(|a| range(3).map(move |b| [a, b]))
        .flat_map(|ab| {
            range(4).flat_map(move |f| range(4).map(move |c| [ab[0], ab[1], 9 + f, 6 + c]))
        })
    {
        for b in range(3)
            .flat_map(|a| range(3).map(move |b| [a, b]))
            .flat_map(|ab| {
                range(4).flat_map(move |f| range(4).map(move |c| [ab[0], ab[1], 9 + f, 6 + c]))
            })
        {
            if b > v {
                continue;
            }
            let open = split.open(fold(&p, v), fold(&p, b));
            let levels = [
                ObjectiveLevel::Households,
                ObjectiveLevel::Nodes,
                ObjectiveLevel::Finish,
                ObjectiveLevel::CrewDays,
            ];
            let expected = (0..4)
                .find(|&i| v[i] != b[i])
                .map(|i| (levels[i], v[i], b[i]));
            assert_eq!(
                open.map(|l| (l.level, l.value, l.bound)),
                expected,
                "{v:?} {b:?}"
            );
        }
    }
}

#[test]
fn a_gap_applies_to_the_first_open_level_only() {
    let p = levelled();
    let split = LevelSplit::of(&p);
    // The finish proven, crew-days 15 % above their bound: the folded
    // objective, dominated by the finish, is within 1 %, the plan is not.
    let (v, b) = (fold(&p, [0, 0, 107, 389]), fold(&p, [0, 0, 107, 332]));
    assert!(gap(v, b) < 0.01);
    assert!(!split.within(v, b, 0.01));
    assert!(split.within(v, b, 0.15));
    assert_eq!(
        split.stop_reason(v, b),
        StopReason::GapReached {
            gap: gap(389, 332),
            level: Some(ObjectiveLevel::CrewDays)
        }
    );
    // Proven at every level: proven, whatever the gap asked.
    assert!(split.within(v, v, 0.0));
    assert_eq!(split.stop_reason(v, v), StopReason::Proven);
    // A plan open on the households level within 1 % stops there,
    // whatever the levels below.
    let (v, b) = (fold(&p, [101, 0, 12, 9]), fold(&p, [100, 0, 9, 6]));
    assert!(split.within(v, b, 0.01));
    assert!(!split.within(v, b, 0.009));
}

#[test]
fn the_heuristic_threshold_holds_every_plan_below_it_to_the_rule() {
    let p = levelled();
    let split = LevelSplit::of(&p);
    for g in [0.0, 0.01, 0.2, 0.5] {
        for b in [
            fold(&p, [0, 0, 9, 6]),
            fold(&p, [3, 1, 10, 7]),
            fold(&p, [0, 2, 12, 0]),
        ] {
            let enough = split.enough(b, g);
            assert!(enough >= b);
            for v in b..=enough {
                assert!(split.within(v, b, g), "gap {g}: {v} against {b}");
            }
        }
    }
    // One level: the whole objective's gap, as before.
    assert_eq!(LevelSplit::single().enough(100, 0.01), 101);
}

#[test]
fn a_solver_stopping_within_the_slack_keeps_the_rule() {
    let p = levelled();
    let split = LevelSplit::of(&p);
    for g in [0.0, 0.01, 0.2, 0.5] {
        for (v, b) in [
            ([0, 0, 107, 389], [0, 0, 107, 332]),
            ([0, 0, 110, 389], [0, 0, 107, 332]),
            ([4, 1, 110, 389], [2, 0, 107, 332]),
        ] {
            let (v, b) = (fold(&p, v), fold(&p, b));
            let slack = split.slack(v, b, g);
            let open = split.open(v, b).unwrap();
            // The solver stops with a dual bound anywhere from `v − slack`
            // up (rounded to an integer): the level open before is then
            // within the gap, or closed (and the stop rule goes on to
            // the next level).
            for dual in v - slack..=v {
                let now = split.open(v, dual.max(b));
                assert!(
                    now.is_none_or(
                        |l| l.level > open.level || (l.level == open.level && l.gap() <= g)
                    ),
                    "gap {g}: {v} {dual}"
                );
            }
        }
    }
    // The tutorial's crew-days: 20 % of 389 allows 77 of them.
    let (v, b) = (fold(&p, [0, 0, 107, 389]), fold(&p, [0, 0, 107, 332]));
    assert_eq!(split.slack(v, b, 0.2), 77);
    assert_eq!(split.slack(v, b, 0.0), 0);
}

#[test]
fn the_finish_is_bounded_once_the_levels_above_are_closed() {
    let p = levelled();
    let split = LevelSplit::of(&p);
    let b = fold(&p, [1, 0, 9, 6]);
    assert_eq!(split.finish_at_least(fold(&p, [1, 0, 11, 7]), b), 9);
    assert_eq!(split.finish_at_least(fold(&p, [1, 0, 9, 7]), b), 9);
    assert_eq!(split.finish_at_least(fold(&p, [2, 0, 9, 7]), b), 0);
    assert_eq!(split.above_finish(b), fold(&p, [1, 0, 0, 0]));
}

#[test]
fn levels_that_weigh_too_little_are_read_together() {
    let mut p = levelled();
    // A re-plan's deviation from its baseline: the lexicographic weights
    // leave no room for it below any level, so the objective is read
    // as one level (the folded objective's gap, as before).
    p.baseline = Some(Baseline {
        starts: vec![Some(0); 3],
        modes: vec![None; 3],
        shift_weight: 1,
        change_weight: 0,
    });
    let split = LevelSplit::of(&p);
    let (v, b) = (fold(&p, [0, 0, 107, 389]), fold(&p, [0, 0, 107, 332]));
    assert_eq!(split.open(v, b).unwrap().value, v);
    assert!(split.within(v, b, 0.01));
    assert_eq!(
        split.stop_reason(v, b),
        StopReason::GapReached {
            gap: gap(v, b),
            level: None
        }
    );
    // Weights not lexicographic: one level too.
    p.baseline = None;
    p.objective.finish = 1;
    p.objective.node = 1;
    p.objective.lateness = 1;
    assert_eq!(LevelSplit::of(&p).open(20, 10).unwrap().value, 20);
    // Without the baseline the lexicographic weights split all four.
    p.objective = Objective::lexicographic(&p);
    assert_eq!(LevelSplit::of(&p).levels.len(), 3);
}
