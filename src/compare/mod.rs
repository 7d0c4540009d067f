//! Comparing contractor capacity: variants of a scenario, solved side by
//! side.
//!
//! A [`Variant`] is a named list of [`Change`]s applied to a validated
//! scenario: crews added, released or set for one contractor and crew type,
//! a contractor moved between districts (the districts' contractor lists),
//! a contractor's productivity for a crew type, or its cost per crew-day.
//! Variants come from a grid (`--vary contractor.<id>.<crew-type>=2..5`,
//! several giving the cartesian product; [`grid`]) or from a variants file
//! ([`mod@file`]); every changed scenario is validated again like a scenario
//! file.
//!
//! Each variant is expanded and optimised independently with the soft
//! deadline (the objective of [`crate::model`]: households late first, then
//! the finish, then crew-days), and its plan summarised in an [`Outcome`]:
//! households heat-ready by the deadline, late stations, finish date,
//! crew-days, utilisation and the proof status of the solve.
//!
//! **Utilisation** of a contractor's crews of one type is the crew-days they
//! are busy from the window start to the deadline over the crew-days
//! available in those days (crews × days); a crew holding an activity is
//! busy on every calendar day of it, rest days inside included. The same
//! denominator for every variant makes the figures comparable.
//!
//! **The bottleneck** of a plan with late stations is the contractor and
//! crew type with the highest utilisation in the
//! [`outcome::BOTTLENECK_DAYS`] days before the deadline, among those doing
//! some activity a late station waits for (the station's own steps and every
//! activity before them in the network). A crew type that is saturated just
//! before the deadline on the late stations' supply paths is the one whose
//! extra crews can bring those stations forward; a busy crew type whose work
//! does not feed late stations is not. A plan with every station on time has
//! no bottleneck.
//!
//! [`search`] runs a comparison: every variant side by side, or
//! `--find-minimum`'s search cheapest first with the proofs of
//! [`minimum`].
//!
//! With `--risk-samples`, every solved variant's plan is also simulated in
//! the same sampled futures of the scenario's `[risk]` model, and each
//! variant gets its probability of every station on time ([`chance`]: the
//! best of the plans it can follow); `--rank-by probability` and
//! `--find-minimum --min-probability P` use it. [`text`] writes a
//! variant's scenario file, which its plan.json embeds.

#[cfg(feature = "solver")]
mod by_risk;
pub mod chance;
pub mod file;
pub mod grid;
pub mod minimum;
pub mod outcome;
pub mod report;
#[cfg(feature = "solver")]
pub mod search;
pub mod text;
pub mod variant;

#[cfg(feature = "solver")]
pub use by_risk::RankBy;
pub use outcome::Outcome;
pub use variant::{Change, CrewCount, Variant};

#[cfg(feature = "solver")]
use crate::schedule::budget::Budget;
#[cfg(feature = "solver")]
use crate::schedule::outcome::{gap, Progress, Status};
#[cfg(feature = "solver")]
use crate::schedule::portfolio::Portfolio;

/// Validates one variant's scenario (its spans point into `source`, the
/// base scenario's text), solves it with the soft deadline by `portfolio`
/// within `budget` (started when the solve starts) and summarises the plan
/// against `base`. A variant that is not valid is not run.
#[cfg(feature = "solver")]
pub fn solve_variant(
    base: &crate::scenario::Scenario,
    source: &crate::scenario::Source,
    variant: &Variant,
    portfolio: &Portfolio,
    budget: &Budget,
    progress: &mut dyn FnMut(&Progress),
) -> Outcome {
    let started = std::time::Instant::now();
    let project = match crate::scenario::check(&variant.scenario, source) {
        Ok(programme) => crate::Project::from_programme(programme),
        Err(d) => {
            let why = invalid_reason(&d);
            return Outcome::not_run(&variant.name, base, &variant.scenario, &why);
        }
    };
    let r = portfolio.run(&project.model.problem, budget, progress);
    let objective = r.score.map(|s| s.value);
    let summary = outcome::SolveSummary {
        status: r.status.to_string(),
        optimal: r.status == Status::Optimal,
        objective,
        bound: r.bound,
        gap: objective.map_or(1.0, |v| gap(v, r.bound)),
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: r.stop.to_string(),
        not_run: None,
    };
    Outcome::new(
        &variant.name,
        base,
        &variant.scenario,
        &project,
        r.schedule.as_ref(),
        summary,
    )
}

/// Why a variant cannot be planned: it leaves the scenario invalid. The
/// first problem, in the words of validation, and how many more there are
/// (a row of the comparison, not an error: the other variants are solved),
/// in both languages.
pub fn invalid_reason(problems: &crate::scenario::Diagnostics) -> crate::lang::Both {
    let first = problems
        .0
        .first()
        .map(|d| d.message.clone())
        .unwrap_or_default();
    let (en, zh) = (first.en, first.zh);
    match problems.0.len() {
        0 | 1 => crate::both!("invalid: {en}", "无效：{zh}"),
        n => {
            let more = n - 1;
            crate::both!(
                "invalid: {en} (and {more} more problem(s))",
                "无效：{zh}（另有 {more} 个问题）"
            )
        }
    }
}

/// Proves, if it can, that `variant` cannot have every station heat-ready
/// by the deadline: the capacity and chain arguments, then the bound of its
/// solve (`outcome`), then HiGHS on the deadline problem within
/// `time_limit`. `source` is the base scenario's text, which the variant's
/// spans point into; a variant that is not valid proves nothing.
#[cfg(feature = "solver")]
pub fn prove_late(
    source: &crate::scenario::Source,
    variant: &Variant,
    outcome: &Outcome,
    time_limit: std::time::Duration,
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
) -> Option<minimum::Proof> {
    let programme = crate::scenario::check(&variant.scenario, source).ok()?;
    let project = crate::Project::from_programme(programme);
    minimum::capacity_proof(&project.model)
        .or_else(|| minimum::bound_proof(&project.model.problem, outcome.solve.bound))
        .or_else(|| minimum::solver_proof(&project.model, time_limit, stop))
}
