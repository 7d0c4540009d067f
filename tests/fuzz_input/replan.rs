//! One input of the `replan` fuzz target: its layout and the path it runs,
//! shared by fuzz/fuzz_targets/replan.rs and tests/fuzz_regressions.rs (both
//! include this file with `#[path]`), so that a kept input is replayed
//! exactly as the fuzzer ran it.
//!
//! Layout of an input:
//!
//! - byte 0: which file the rest is — even: a progress ledger (CSV), odd: an
//!   events file (TOML);
//! - bytes 1 and 2 (a little-endian `u16` n): the data date, window start
//!   − 30 days + (n mod (window length + 61)), so that dates up to 30 days
//!   outside the construction window are tried as well;
//! - the rest: the file's text (input that is not UTF-8 stops here, as the
//!   CLI cannot read it either).
//!
//! So a filled-in ledger with the data date 2022-07-15 (window start + 105
//! days, n = 135) is `{ printf '\x00\x87\x00'; cat ledger.csv; }`, and an
//! events file on the same date `{ printf '\x01\x87\x00'; cat events.toml; }`
//! (the seeds in fuzz/replan_seeds were made so).
//!
//! The path is the one of `heatplan replan` up to the optimisation, against
//! a fixed baseline (the tutorial scenario planned by the heuristic): the
//! events are applied to the baseline's scenario, the ledger is read and
//! checked against the baseline plan (for an events input, a ledger with the
//! header only: nothing started), the project is expanded again, the re-plan
//! problem is built and the baseline is repaired by right shifts. Any input
//! must end in a plan or in diagnostics — each with a message and a line
//! inside its file — or in the build's errors: never a panic or a hang.

use chrono::{Duration, NaiveDate};
use heatplan::plan::cpm::NetworkPlan;
use heatplan::plan::Quality;
use heatplan::replan::{self, events, ledger, Stability};
use heatplan::scenario::{Diagnostics, Scenario, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::heuristic::heuristic;
use heatplan::Project;

/// The fixed baseline every input is checked against.
pub struct Baseline {
    /// The tutorial project.
    pub project: Project,
    /// The tutorial's text.
    pub source: Source,
    /// The tutorial's scenario file, for the events to edit.
    pub file: Scenario,
    /// Its plan by the heuristic.
    pub plan: NetworkPlan,
}

/// Plans the tutorial scenario with a fixed number of heuristic iterations
/// (the same plan on every run).
pub fn baseline() -> Baseline {
    let source = Source {
        file: "tutorial.toml".to_string(),
        text: include_str!("../../scenarios/tutorial.toml").to_string(),
    };
    let project = Project::load(&source).expect("the tutorial scenario loads");
    let budget = Budget::new(std::time::Duration::from_secs(60))
        .with_seed(0)
        .with_max_candidates(Some(50));
    let schedule =
        heuristic(&project.model.problem, &budget, None).expect("the tutorial has a plan");
    let score = project.model.problem.score(&schedule);
    let quality = Quality {
        status: "heuristic".to_string(),
        objective: score.value,
        bound: 0,
        gap: 1.0,
        seconds: 0.0,
        stop_reason: "iterations".to_string(),
    };
    let plan = project.network_plan(&schedule, quality);
    let file = heatplan::scenario::parse(&source).expect("the tutorial parses");
    Baseline {
        project,
        source,
        file,
        plan,
    }
}

/// The data date an input's bytes 1 and 2 pick.
pub fn data_date(base: &Baseline, n: u16) -> NaiveDate {
    let p = &base.project.programme;
    let (w0, w1) = (p.window_start, p.window_end);
    let days = (w1 - w0).num_days() + 61;
    w0 - Duration::days(30) + Duration::days(i64::from(n) % days)
}

/// How an input ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Too short or not UTF-8: never reaches the parsers.
    Skipped,
    /// The ledger or the events file was rejected with diagnostics.
    Rejected,
    /// The files were accepted but the re-plan problem was refused.
    Refused,
    /// The re-plan problem was built.
    Built,
}

/// Runs one input; `Err` describes a bad diagnostic (panics propagate).
pub fn run(base: &Baseline, data: &[u8]) -> Result<Outcome, String> {
    let [kind, d0, d1, rest @ ..] = data else {
        return Ok(Outcome::Skipped);
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return Ok(Outcome::Skipped);
    };
    let data_date = data_date(base, u16::from_le_bytes([*d0, *d1]));
    let mut scenario = base.file.clone();
    let header = format!("{}\n", heatplan::report::csv::LEDGER_HEADER.join(","));
    let (not_before, ledger_text) = if kind % 2 == 1 {
        let src = Source {
            file: "events.toml".to_string(),
            text: text.to_string(),
        };
        match events::apply(&src, &mut scenario, &base.plan, data_date) {
            Ok(nb) => (nb, header.as_str()),
            Err(d) => return check_diagnostics(text, &d).map(|()| Outcome::Rejected),
        }
    } else {
        (Vec::new(), text)
    };
    let progress = match ledger::read("ledger.csv", ledger_text, &base.plan, data_date) {
        Ok(p) => p,
        Err(d) => return check_diagnostics(ledger_text, &d).map(|()| Outcome::Rejected),
    };
    // The events edited the scenario: it is validated again, and events
    // that make it invalid are rejected with the scenario's diagnostics.
    let mut project = match heatplan::scenario::check_edited(&scenario, &base.source) {
        Ok(programme) => Project::from_programme(programme),
        Err(d) if d.0.iter().all(|p| !p.message.is_empty()) => return Ok(Outcome::Rejected),
        Err(d) => return Err(format!("a diagnostic without a message: {d:?}")),
    };
    let built = replan::build(
        &mut project,
        &base.plan,
        &progress.progress,
        &not_before,
        data_date,
        Stability::default(),
    );
    match built {
        Ok(states) => {
            let day = replan::data_day(&project, data_date).map_err(|e| e.to_string())?;
            let future = replan::future::Future::new(&project.model.problem, &states, day);
            let _ = replan::right_shift(&future.problem);
            Ok(Outcome::Built)
        }
        Err(e)
            if e.problems.is_empty()
                || e.problems
                    .iter()
                    .any(|p| p.en.trim().is_empty() || p.zh.trim().is_empty()) =>
        {
            Err(format!("the re-plan was refused without a reason: {e:?}"))
        }
        Err(_) => Ok(Outcome::Refused),
    }
}

/// Every diagnostic has a message and, when it has a place, one inside the
/// file.
pub fn check_diagnostics(text: &str, d: &Diagnostics) -> Result<(), String> {
    if d.0.is_empty() {
        return Err("rejected without any diagnostic".into());
    }
    let _ = d.to_string();
    let lines = line_count(text);
    for x in &d.0 {
        if x.message.en.trim().is_empty() {
            return Err(format!("a diagnostic without a message: {x:?}"));
        }
        if x.location.line > lines + 1 {
            return Err(format!("a diagnostic past the end of the file: {x}"));
        }
    }
    Ok(())
}

/// Lines of `text` as the ledger reader counts them (and editors show
/// them): `\r\n`, `\n` and a lone `\r` (old Mac exports) each end one.
pub fn line_count(text: &str) -> usize {
    let breaks =
        text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
    breaks + 1
}
