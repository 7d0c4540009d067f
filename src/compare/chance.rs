//! Buying the risk down: each variant's chance that every station is
//! heat-ready by the deadline, under the scenario's `[risk]` model.
//!
//! Each solved variant's plan is simulated with the fixed policy of
//! [`crate::risk`] (the plan's contractors and each crew's and trench's
//! sequence of jobs, executed in every sampled future), every variant with
//! the same seed and samples: sample `k` is the same weather, the same
//! productivity draws of each activity and the same delays for every
//! variant (common random numbers), so differences between variants are
//! differences between their plans and crews, not sampling noise. (The draw
//! a contractor shares across its activities of one step is matched by the
//! order in which a plan first gives that step to that contractor, so plans
//! that hand work to different contractors may pair those draws
//! differently.)
//!
//! **Which plan counts.** A plan re-optimised for more crews is a
//! different plan, and under the fixed policy it is not automatically more
//! robust: it may pack the work closer to the deadline. A manager with more
//! crews may, however, follow the plan of a variant with fewer (each crew
//! count no larger, nothing else changed: [`dominated`]) and leave the
//! extra crews idle; that plan then meets, sample by sample, exactly the
//! future it meets in the smaller variant. So a variant's figure is the
//! best (highest probability, then most expected households) over its own
//! plan and the plans of the variants it dominates, each simulated under
//! its own crews, and the output names the plan that achieved it. The
//! figure is therefore never lower for more crews of the same contractors
//! (the set of plans only grows), and it is the probability of a plan the
//! variant can actually follow. Taking the best of several estimates
//! favours a plan whose estimate happens to be high (within a few standard
//! errors); under common random numbers the plans' estimates move together,
//! which keeps that small.

use super::minimum::dominated;
use super::outcome::Outcome;
use super::Variant;
use crate::lang::Lang;
use crate::risk::{self, Estimates, Range, Study};
use crate::scenario::Source;
use crate::schedule::Schedule;
use crate::Project;

/// How the variants' plans are simulated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskSettings {
    /// Sampled futures per plan.
    pub samples: u64,
    /// Seed of the futures (the same for every variant).
    pub seed: u64,
    /// Threads of each simulation.
    pub threads: usize,
}

/// One plan's figures under the risk model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chance {
    /// Probability that every station is heat-ready by the deadline.
    pub p: f64,
    /// Its standard error.
    pub se: f64,
    /// Expected households heat-ready by the deadline.
    pub households: f64,
    /// Its standard error.
    pub households_se: f64,
}

/// A variant's chance: the best of its own plan and the plans of the
/// variants it dominates (see the module doc).
#[derive(Debug, Clone, PartialEq)]
pub struct RiskFigure {
    /// The variant's figure (the best plan's).
    pub best: Chance,
    /// Its own plan's figure.
    pub own: Chance,
    /// Name of the variant whose plan achieved `best` (its own name when
    /// its own plan did).
    pub plan_variant: String,
    /// That plan's folder in the output (`plans/NN-name`), holding its
    /// plan.json.
    pub plan_dir: String,
    /// The variant's own plan's folder.
    pub own_dir: String,
    /// Samples of each simulation.
    pub samples: u64,
    /// Seed of the futures.
    pub seed: u64,
}

impl RiskFigure {
    /// True when the variant's own plan achieved the figure.
    pub fn own_plan(&self, variant: &str) -> bool {
        self.plan_variant == variant
    }
}

/// The output folder of variant `index`'s plan: `plans/NN-name`, the name
/// with every character other than a letter, digit, `.`, `_` or `=` made
/// `-`.
pub fn plan_dir(index: usize, name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '_' | '=') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let slug = slug.trim_matches('-');
    format!("plans/{:02}-{slug}", index + 1)
}

/// The figures of `schedule`, a plan of `project`, in `settings.samples`
/// futures.
pub fn plan_chance(project: &Project, schedule: &Schedule, settings: &RiskSettings) -> Chance {
    let study = Study::new(project, schedule, None, settings.seed, 0);
    let part = risk::simulate(
        &study,
        Range::all(settings.samples),
        settings.threads,
        &|_| {},
    );
    let e = Estimates::new(&part);
    Chance {
        p: e.city.p,
        se: e.city.se,
        households: e.households_expected,
        households_se: e.households_se,
    }
}

/// The figures of a solved variant's plan (`None` without a plan, or when
/// the variant is not valid). `source` is the base scenario's text.
pub fn variant_chance(
    source: &Source,
    variant: &Variant,
    outcome: &Outcome,
    settings: &RiskSettings,
) -> Option<Chance> {
    let schedule = outcome.schedule.as_ref()?;
    let programme = crate::scenario::check(&variant.scenario, source).ok()?;
    let project = Project::from_programme(programme);
    Some(plan_chance(&project, schedule, settings))
}

/// Every variant's figure from the plans' own figures (`own[i]` of
/// `variants[i]`; `None` when not simulated): the best over its own plan
/// and the plans of the variants it dominates.
pub fn best_figures(
    variants: &[Variant],
    own: &[Option<Chance>],
    settings: &RiskSettings,
) -> Vec<Option<RiskFigure>> {
    (0..variants.len())
        .map(|i| {
            let mine = own[i]?;
            let better = |a: &Chance, b: &Chance| {
                a.p.total_cmp(&b.p)
                    .then(a.households.total_cmp(&b.households))
                    .is_gt()
            };
            let mut best = i;
            for (j, c) in own.iter().enumerate() {
                let Some(c) = c else { continue };
                let best_c = own[best].as_ref().expect("simulated");
                if j != i && dominated(&variants[j], &variants[i]) && better(c, best_c) {
                    best = j;
                }
            }
            Some(RiskFigure {
                best: own[best].expect("simulated"),
                own: mine,
                plan_variant: variants[best].name.clone(),
                plan_dir: plan_dir(best, &variants[best].name),
                own_dir: plan_dir(i, &variants[i].name),
                samples: settings.samples,
                seed: settings.seed,
            })
        })
        .collect()
}

/// A probability as a percentage with its standard error in points:
/// `62 % ±4.8`.
pub fn percent(c: &Chance) -> String {
    format!("{:.0} % ±{:.1}", 100.0 * c.p, 100.0 * c.se)
}

/// The plan column: `own` or the name of the variant whose plan was used.
pub fn plan_words(figure: &RiskFigure, variant: &str, lang: Lang) -> String {
    let l = lang.compare_risk_labels();
    if figure.own_plan(variant) {
        l.own_plan.to_string()
    } else {
        format!("{} {}", l.plan_of, figure.plan_variant)
    }
}

/// The risk columns' headers in `lang`: probability, expected
/// households, plan.
pub fn headers(lang: Lang) -> [&'static str; 3] {
    let l = lang.compare_risk_labels();
    [l.p_on_time, l.expected_households, l.plan]
}

/// The risk columns of `o` in `lang` (dashes when it was not simulated).
pub fn cells(o: &Outcome, lang: Lang) -> [String; 3] {
    match &o.risk {
        Some(f) => [
            percent(&f.best),
            format!("{:.0}", f.best.households),
            plan_words(f, &o.name, lang),
        ],
        None => ["–".into(), "–".into(), "–".into()],
    }
}

/// The risk columns of compare.csv (full precision, so that a figure can
/// be checked against `heatplan risk --plan` exactly).
pub const CSV_HEADERS: [&str; 11] = [
    "p_on_time",
    "p_on_time_se",
    "households_expected",
    "households_expected_se",
    "risk_plan",
    "risk_plan_file",
    "p_own_plan",
    "p_own_plan_se",
    "own_plan_file",
    "risk_samples",
    "risk_seed",
];

/// The values of [`CSV_HEADERS`] for `o` (empty when not simulated).
pub fn csv_cells(o: &Outcome) -> Vec<String> {
    match &o.risk {
        Some(f) => vec![
            f.best.p.to_string(),
            f.best.se.to_string(),
            f.best.households.to_string(),
            f.best.households_se.to_string(),
            f.plan_variant.clone(),
            format!("{}/plan.json", f.plan_dir),
            f.own.p.to_string(),
            f.own.se.to_string(),
            format!("{}/plan.json", f.own_dir),
            f.samples.to_string(),
            f.seed.to_string(),
        ],
        None => vec![String::new(); CSV_HEADERS.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_folders_are_numbered_and_safe() {
        assert_eq!(plan_dir(0, "reli +1 pipe"), "plans/01-reli--1-pipe");
        assert_eq!(
            plan_dir(11, "contractor.c.pipe=2 contractor.c.civil=3"),
            "plans/12-contractor.c.pipe=2-contractor.c.civil=3"
        );
        assert_eq!(plan_dir(2, "../x/热力"), "plans/03-..-x-热力");
    }
}
