//! The relaxations the finish probes apply to a scenario's problem
//! (`relax_probe`, `lp_finish_probe`): each one drops activities or adds
//! crews, so its optimum finish is at most the whole problem's.

use heatplan::schedule::bound::lp::Relaxation;
use heatplan::schedule::{ActId, Problem};
use heatplan::Project;

/// A relaxed problem and where its activities come from.
pub struct Relaxed {
    /// The relaxed problem (objective as in the scenario; groups dropped
    /// once an activity is).
    pub problem: Problem,
    /// For each of its activities, the index of the same activity in the
    /// scenario's problem.
    pub origin: Vec<ActId>,
    /// `lex` was among the steps: search with the plan's own priorities.
    pub lex: bool,
}

/// Applies the relaxation `what` (steps joined by `+`, see `relax_probe`'s
/// documentation) to the project's problem.
pub fn relax(project: &Project, what: &str) -> Relaxed {
    let p = &project.model.problem;
    let mut q = p.clone();
    let mut origin: Vec<ActId> = (0..p.activities.len()).collect();
    let mut lex = false;
    for (i, step) in what.split('+').enumerate() {
        let keep: Option<Vec<bool>> = match step.split_once(':') {
            Some(("district", id)) => {
                assert_eq!(i, 0, "`district:` must come first");
                Some(
                    project
                        .work
                        .items
                        .iter()
                        .map(|it| it.district.map(|d| project.programme[d].id.as_str()) == Some(id))
                        .collect(),
                )
            }
            Some(("uses", text)) => Some(
                q.activities
                    .iter()
                    .map(|a| {
                        a.modes.iter().any(|m| {
                            m.demands
                                .iter()
                                .any(|d| q.resources[d.0].name.contains(text))
                        })
                    })
                    .collect(),
            ),
            Some(("keep", kinds)) => Some(
                q.activities
                    .iter()
                    .map(|a| kinds.split(',').any(|k| a.name.ends_with(&format!("/{k}"))))
                    .collect(),
            ),
            Some(("plus", text)) => {
                for r in q.resources.iter_mut().filter(|r| r.name.contains(text)) {
                    r.capacity += 100;
                }
                None
            }
            Some(("only", parts)) => {
                for r in &mut q.resources {
                    if !parts.split(',').any(|l| r.name.contains(l)) {
                        r.capacity += 1000;
                    }
                }
                None
            }
            _ if step == "all" => None,
            _ if step == "lex" => {
                lex = true;
                None
            }
            _ => panic!("unknown relaxation `{step}`"),
        };
        if let Some(keep) = keep {
            // The library's restriction (its groups dropped: both probes
            // bound the finish alone).
            let r = Relaxation::keeping(&q, &keep);
            q = r.problem;
            origin = r.origin.iter().map(|&a| origin[a]).collect();
        }
    }
    Relaxed {
        problem: q,
        origin,
        lex,
    }
}
