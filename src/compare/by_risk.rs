//! The risk phase of a comparison (`--risk-samples`): every solved
//! variant's plan simulated in the same sampled futures ([`super::chance`]),
//! `--find-minimum --min-probability P` (the cheapest variant whose chance
//! of every station on time reaches `P`) and `--rank-by probability`.

use super::chance::{best_figures, percent, Chance, RiskSettings};
use super::minimum::levels;
use super::search::{key_words, measure_words, Comparison, Phase, Session, Watch};
use super::{chance, Outcome};
use crate::both;
use crate::lang::Both;

impl Session<'_> {
    fn settings(&self) -> RiskSettings {
        self.risk
            .expect("the caller asks for a probability only with --risk-samples")
    }

    /// Simulates the plans of the variants at `indices` that have one and
    /// are not simulated yet into `own`, one after the other (each
    /// simulation uses every thread of the settings).
    fn simulate<W: Watch>(
        &self,
        indices: &[usize],
        watch: &W,
        results: &[Option<Outcome>],
        own: &mut [Option<Chance>],
    ) {
        let settings = self.settings();
        let todo: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| {
                own[i].is_none() && results[i].as_ref().is_some_and(|o| o.schedule.is_some())
            })
            .collect();
        watch.queued(todo.len());
        for i in todo {
            if self.stopped() {
                break;
            }
            let variant = &self.variants[i];
            let job = watch.start(&variant.name);
            let outcome = results[i].as_ref().expect("filtered");
            own[i] = chance::variant_chance(self.source, variant, outcome, &settings);
            watch.done(job);
        }
    }

    /// Gives each solved variant its figure (the best of the plans it may
    /// follow) from the plans simulated so far.
    fn apply(&self, results: &mut [Option<Outcome>], own: &[Option<Chance>]) {
        let figures = best_figures(self.variants, own, &self.settings());
        for (r, f) in results.iter_mut().zip(figures) {
            if let Some(o) = r {
                o.risk = f;
            }
        }
    }

    /// With `--risk-samples`: simulates every solved variant's plan and
    /// gives each its figure; returns a sentence for the summary naming
    /// the highest. `None` without `--risk-samples`.
    pub(super) fn assess_all<W: Watch>(
        &self,
        watch: &mut W,
        results: &mut [Option<Outcome>],
    ) -> Option<Both> {
        let settings = self.risk?;
        watch.phase(Phase::Risk);
        let mut own = vec![None; self.variants.len()];
        let all: Vec<usize> = (0..self.variants.len()).collect();
        self.simulate(&all, watch, results, &mut own);
        self.apply(results, &own);
        Some(highest(results, &settings))
    }

    /// Searches the variants cheapest first (as `--find-minimum`) for the
    /// first whose probability of every station heat-ready by the deadline
    /// reaches `target`; each level is solved, then its plans simulated.
    /// Nothing cheaper is proven unable: every cheaper variant searched is
    /// estimated below the target, and the notes say by how much.
    pub fn find_minimum_probability<W: Watch>(&self, watch: &mut W, target: f64) -> Comparison {
        let variants = self.variants;
        let settings = self.settings();
        let n = variants.len();
        let mut results: Vec<Option<Outcome>> = vec![None; n];
        let mut own: Vec<Option<Chance>> = vec![None; n];
        let (keys, by_cost) = self.cost_keys();
        let (measure, measure_zh) = measure_words(by_cost);
        let goal = format!("{:.0} %", 100.0 * target);
        let mut answer = None;
        let mut cheaper: Vec<usize> = Vec::new();
        for level in levels(&keys) {
            watch.phase(Phase::Solve);
            watch.queued(level.len());
            self.solve(&level, watch, &mut results);
            watch.phase(Phase::Risk);
            self.simulate(&level, watch, &results, &mut own);
            let figures = best_figures(variants, &own, &settings);
            let best = level
                .iter()
                .filter_map(|&i| figures[i].as_ref().map(|f| (i, f.best)))
                .filter(|(_, c)| c.p >= target)
                .max_by(|a, b| {
                    (a.1.p.total_cmp(&b.1.p))
                        .then(a.1.households.total_cmp(&b.1.households))
                        .then(b.0.cmp(&a.0))
                });
            if let Some((i, _)) = best {
                answer = Some(i);
                break;
            }
            if self.stopped() {
                break;
            }
            cheaper.extend(&level);
        }
        watch.finish();
        self.apply(&mut results, &own);
        let mut notes = vec![Both::default(); n];
        for &i in &cheaper {
            notes[i] = match results[i].as_ref().and_then(|o| o.risk.as_ref()) {
                Some(f) => {
                    let p = percent(&f.best);
                    both!("below {goal} ({p})", "低于 {goal}（{p}）")
                }
                None => both!("no plan to simulate", "没有可模拟的计划"),
            };
        }
        let (samples, seed) = (settings.samples, settings.seed);
        let Some(a) = answer else {
            let summary = if self.stopped() {
                both!(
                    "Interrupted before any variant reached P(all on time) ≥ {goal}.",
                    "在有方案达到全部按期概率 ≥ {goal} 之前已中断。"
                )
            } else {
                let top = highest(&results, &settings);
                both!(
                    "No variant reaches P(every station heat-ready by the deadline) ≥ {goal} (searched {n} variants by {measure}). ",
                    "没有方案使所有换热站在期限前具备供热条件的概率 ≥ {goal}（按{measure_zh}搜索了 {n} 个方案）。"
                )
                .join(&top, "", "")
                .join(
                    &both!(
                        " Try larger crew counts, or a plan with more buffer before the deadline.",
                        "请试更多班组，或在期限前留有更多余量的计划。"
                    ),
                    "",
                    "",
                )
            };
            return self.comparison(results, notes, summary, None);
        };
        let f = results[a]
            .as_ref()
            .and_then(|o| o.risk.clone())
            .expect("the answer was simulated");
        let name = &variants[a].name;
        let (what, what_zh) = key_words(keys[a], by_cost);
        let p = percent(&f.best);
        let plan = if f.own_plan(name) {
            both!("its own plan", "其自身的计划")
        } else {
            let other = &f.plan_variant;
            both!("the plan of \"{other}\"", "“{other}”的计划")
        };
        let (plan_en, plan_zh) = (plan.en, plan.zh);
        notes[a] = both!("minimum (estimated)", "最少（估计）");
        let k = cheaper.len();
        let summary = both!(
            "Minimum: \"{name}\" ({what}) has P(every station heat-ready by the deadline) = {p} ≥ {goal}, following {plan_en}; all {k} variant(s) with a lower {measure} are estimated below {goal}. Estimated from {samples} sampled futures (seed {seed}), the same for every variant: a variant within about two standard errors of {goal} may fall on the other side with more samples (--risk-samples).",
            "最少：“{name}”（{what_zh}）按{plan_zh}执行，所有换热站在期限前具备供热条件的概率 = {p} ≥ {goal}；{measure_zh}更低的 {k} 个方案估计都低于 {goal}。由 {samples} 个抽样未来（随机种子 {seed}，各方案相同）估计：与 {goal} 相差约两个标准误差以内的方案，样本更多时可能落在另一侧（--risk-samples）。"
        );
        self.comparison(results, notes, summary, Some(a))
    }
}

/// The sentence naming the variant with the highest probability.
fn highest(results: &[Option<Outcome>], settings: &RiskSettings) -> Both {
    let (samples, seed) = (settings.samples, settings.seed);
    // The first (in the variants' order) of the highest.
    let top = results
        .iter()
        .flatten()
        .filter_map(|o| o.risk.as_ref().map(|f| (o, f)))
        .fold(
            None,
            |top: Option<(&Outcome, &chance::RiskFigure)>, x| match top {
                Some(t) if t.1.best.p >= x.1.best.p => Some(t),
                _ => Some(x),
            },
        );
    match top {
        Some((o, f)) => {
            let (name, p) = (&o.name, percent(&f.best));
            both!(
                "Highest P(every station heat-ready by the deadline): {p} for \"{name}\" ({samples} sampled futures, seed {seed}, the same for every variant).",
                "所有换热站在期限前具备供热条件的概率最高的是“{name}”：{p}（{samples} 个抽样未来，随机种子 {seed}，各方案相同）。"
            )
        }
        None => both!(
            "No plan was simulated ({samples} sampled futures).",
            "没有模拟任何计划（{samples} 个抽样未来）。"
        ),
    }
}

/// What `--rank-by` orders the rows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBy {
    /// The variants' order (file, then grid).
    Order,
    /// Probability of every station on time, highest first (then expected
    /// households; variants without a figure last, in their order).
    Probability,
}

impl Comparison {
    /// Orders the rows (outcomes with their notes) by `by`.
    pub fn rank(&mut self, by: RankBy) {
        if by == RankBy::Order {
            return;
        }
        let key = |o: &Outcome| o.risk.as_ref().map(|f| (f.best.p, f.best.households));
        let mut order: Vec<usize> = (0..self.outcomes.len()).collect();
        order.sort_by(|&a, &b| {
            match (key(&self.outcomes[a]), key(&self.outcomes[b])) {
                (Some(x), Some(y)) => y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then(a.cmp(&b))
        });
        self.outcomes = order.iter().map(|&i| self.outcomes[i].clone()).collect();
        self.notes = order.iter().map(|&i| self.notes[i].clone()).collect();
    }
}
