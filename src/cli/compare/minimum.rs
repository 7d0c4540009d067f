//! `--find-minimum`: solve level by level, cheapest first, then try to prove
//! every cheaper variant late (see `heatplan::compare::minimum`).

use super::pool::{pool, Ui};
use super::Session;
use crate::cli::{EXIT_INFEASIBLE, EXIT_OK};
use heatplan::compare::minimum::{dominated, levels, Proof};
use heatplan::compare::outcome::additions;
use heatplan::compare::{prove_late, Outcome};
use std::sync::atomic::Ordering;

/// The search's verdict.
pub(super) struct Found {
    /// Per variant: minimum, ruled out (why), not ruled out, or empty.
    pub notes: Vec<String>,
    /// One paragraph for the terminal and the page.
    pub summary: String,
    /// Exit code: 0 with an answer, 4 without.
    pub code: i32,
}

/// Searches the session's variants cheapest first; fills `results` with the
/// variants solved.
pub(super) fn search(session: &Session, results: &mut [Option<Outcome>]) -> Found {
    let (base, variants) = (session.base, session.variants);
    let added: Vec<(i64, Option<f64>)> = variants
        .iter()
        .map(|v| additions(base, &v.scenario))
        .collect();
    let by_cost = added.iter().all(|a| a.1.is_some()) && added.iter().any(|a| a.0 != 0);
    let keys: Vec<f64> = added
        .iter()
        .map(|&(crews, cost)| {
            if by_cost {
                cost.unwrap_or(0.0)
            } else {
                crews as f64
            }
        })
        .collect();
    let measure = if by_cost { "added cost" } else { "added crews" };
    let stopped = || session.stop.load(Ordering::SeqCst);
    let ui = Ui::new(0);
    let mut answer = None;
    let mut cheaper: Vec<usize> = Vec::new();
    for level in levels(&keys) {
        ui.overall
            .set_length(ui.overall.position() + level.len() as u64);
        session.solve(&level, &ui, results);
        let best = level
            .iter()
            .filter(|&&i| results[i].as_ref().is_some_and(Outcome::meets_deadline))
            .min_by_key(|&&i| results[i].as_ref().and_then(|o| o.solve.objective));
        if let Some(&i) = best {
            answer = Some(i);
            break;
        }
        if stopped() {
            break;
        }
        cheaper.extend(&level);
    }
    ui.finish();
    let mut notes = vec![String::new(); variants.len()];
    let Some(a) = answer else {
        let summary = if stopped() {
            "Interrupted before any variant met the deadline.".into()
        } else {
            format!(
                "No variant has every station heat-ready by the deadline (searched {} variants by {measure}); try larger crew counts or a longer --time-limit.",
                variants.len()
            )
        };
        return Found {
            notes,
            summary,
            code: EXIT_INFEASIBLE,
        };
    };
    let proofs = prove_cheaper(session, &cheaper, results);
    let unproven: Vec<&str> = cheaper
        .iter()
        .zip(&proofs)
        .filter(|(_, p)| p.is_none())
        .map(|(&i, _)| variants[i].name.as_str())
        .collect();
    for (&i, p) in cheaper.iter().zip(&proofs) {
        notes[i] = match p {
            Some(p) => format!("ruled out ({p})"),
            None => "not ruled out".into(),
        };
    }
    let name = &variants[a].name;
    let what = if by_cost {
        format!("added cost {:.0}", keys[a])
    } else {
        format!("{:+} crews", keys[a] as i64)
    };
    let summary = if cheaper.is_empty() {
        notes[a] = "minimum (proven)".into();
        format!(
            "Minimum: \"{name}\" ({what}) has every station heat-ready by the deadline; no variant searched has a lower {measure}."
        )
    } else if unproven.is_empty() {
        notes[a] = "minimum (proven)".into();
        format!(
            "Minimum: \"{name}\" ({what}) has every station heat-ready by the deadline; proven minimal: all {} variant(s) with a lower {measure} are proven unable to meet it.",
            cheaper.len()
        )
    } else {
        notes[a] = "minimum (best found)".into();
        format!(
            "Minimum: \"{name}\" ({what}) has every station heat-ready by the deadline; best found, smaller not ruled out: {} of {} cheaper variant(s) missed the deadline in {} s without a proof that they must ({}).",
            unproven.len(),
            cheaper.len(),
            session.budget.limit().as_secs_f64(),
            unproven.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        )
    };
    Found {
        notes,
        summary,
        code: EXIT_OK,
    }
}

/// Tries to prove every variant of `cheaper` unable to meet the deadline:
/// dominance by a proven variant first, then the capacity, bound and solver
/// arguments, on the variants no other unproven one dominates first.
fn prove_cheaper(
    session: &Session,
    cheaper: &[usize],
    results: &[Option<Outcome>],
) -> Vec<Option<Proof>> {
    let variants = session.variants;
    let mut proofs: Vec<Option<Proof>> = vec![None; cheaper.len()];
    let mut tried = vec![false; cheaper.len()];
    let labels: Vec<&str> = cheaper.iter().map(|&i| variants[i].name.as_str()).collect();
    let ui = Ui::new(0);
    ui.overall.set_prefix("proving");
    loop {
        // Dominance: no more crews than a proven variant.
        for k in 0..cheaper.len() {
            if proofs[k].is_some() {
                continue;
            }
            let v = &variants[cheaper[k]];
            if let Some(j) = (0..cheaper.len())
                .find(|&j| j != k && proofs[j].is_some() && dominated(v, &variants[cheaper[j]]))
            {
                proofs[k] = Some(Proof::Dominated(variants[cheaper[j]].name.clone()));
            }
        }
        let open: Vec<usize> = (0..cheaper.len())
            .filter(|&k| proofs[k].is_none() && !tried[k])
            .collect();
        let maximal: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&k| {
                !open.iter().any(|&j| {
                    j != k
                        && dominated(&variants[cheaper[k]], &variants[cheaper[j]])
                        && !dominated(&variants[cheaper[j]], &variants[cheaper[k]])
                })
            })
            .collect();
        if maximal.is_empty() || session.stop.load(Ordering::SeqCst) {
            break;
        }
        ui.overall
            .set_length(ui.overall.length().unwrap_or(0) + maximal.len() as u64);
        let found = pool(
            &maximal,
            session.jobs,
            session.stop,
            &ui,
            &labels,
            |k, _| {
                let i = cheaper[k];
                results[i].as_ref().and_then(|o| {
                    prove_late(
                        session.source,
                        &variants[i],
                        o,
                        session.budget.limit(),
                        Some(session.stop.clone()),
                    )
                })
            },
        );
        for &k in &maximal {
            tried[k] = true;
        }
        for (k, p) in found {
            proofs[k] = p;
        }
    }
    ui.finish();
    proofs
}
