//! The household-days bound against plans of PSPLIB-derived programmes
//! with due dates: whatever the search finds, its lateness is never below
//! the proven bound (issue #22).
//!
//! Each instance of tests/data/psplib (Kolisch & Sprecher, PSPLIB,
//! <https://www.om-db.wi.tum.de/psplib/>) becomes a programme whose every
//! non-dummy activity is a station of weight 1..5 due at 60 % of the
//! instance's known lower bound on the makespan: the crews (the renewable
//! resources) cannot finish everything by then, so plans are late and the
//! crew bound is exercised.

use heatplan::schedule::bound::level_bounds;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::check::violations;
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::problem::{DueGroup, Level, Objective};
use heatplan::schedule::psplib::{load_known, parse};
use std::time::Duration;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/psplib");

#[test]
fn no_plan_of_a_late_psplib_programme_is_below_the_household_bound() {
    let known = load_known(&std::fs::read_to_string(format!("{DIR}/known.csv")).unwrap()).unwrap();
    let mut checked = 0;
    let mut late = 0;
    for name in ["j301_1", "j3013_1", "j3045_1", "j6013_1"] {
        let set = &name[..3];
        let text = std::fs::read_to_string(format!("{DIR}/{set}/{name}.sm")).unwrap();
        let mut p = parse(name, &text).unwrap();
        let due = known[name].lb * 6 / 10;
        p.groups = (0..p.activities.len())
            .filter(|&a| p.activities[a].modes.iter().any(|m| !m.demands.is_empty()))
            .map(|a| DueGroup {
                name: format!("s{a}"),
                weight: 1 + (a as u64 % 5),
                due,
                members: vec![a],
                level: Level::Households,
            })
            .collect();
        p.objective = Objective::lexicographic(&p);
        let bound = level_bounds(&p).unwrap().households;
        let budget = Budget::new(Duration::from_secs(3600))
            .with_seed(1)
            .with_max_candidates(Some(200));
        let s = heuristic(&p, &budget, None).expect("a schedule");
        assert!(violations(&p, &s).is_empty(), "{name}");
        let plan = p.score(&s).weighted_lateness;
        assert!(
            bound <= plan,
            "{name}: bound {bound} above the plan's {plan}"
        );
        checked += 1;
        late += usize::from(bound > 0);
    }
    assert_eq!((checked, late), (4, 4));
}
