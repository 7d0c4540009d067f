//! The tutorial and a heuristic plan of it: the baseline the re-plan
//! modules' tests start from.

use crate::plan::cpm::NetworkPlan;
use crate::plan::Quality;
use crate::scenario::Source;
use crate::schedule::budget::Budget;
use crate::schedule::heuristic::heuristic;
use crate::Project;

/// The tutorial's source, its project and a plan of it found by the
/// heuristic within `candidates` candidates (seed 0).
pub fn tutorial(candidates: usize) -> (Source, Project, NetworkPlan) {
    let source = Source {
        file: "tutorial.toml".into(),
        text: include_str!("../../scenarios/tutorial.toml").to_string(),
    };
    let project = Project::load(&source).unwrap();
    let budget = Budget::new(std::time::Duration::from_secs(60))
        .with_seed(0)
        .with_max_candidates(Some(candidates));
    let s = heuristic(&project.model.problem, &budget, None).unwrap();
    let quality = Quality {
        status: "heuristic".into(),
        objective: 0,
        bound: 0,
        gap: 0.0,
        seconds: 0.0,
        stop_reason: String::new(),
    };
    let plan = project.network_plan(&s, quality);
    (source, project, plan)
}
