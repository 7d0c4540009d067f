//! `heatplan replan`: progress and events on a data date → a new plan that
//! moves as little as possible, with a variance report.

use super::output::OutputSet;
use super::progress::SolveProgress;
use super::{
    interrupt_flag, parse_detail, parse_lang, SolverArgs, EXIT_BAD_INPUT, EXIT_DEADLINE_MISSED,
    EXIT_INFEASIBLE, EXIT_OK,
};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use heatplan::cpm::{EmbeddedScenario, Revision};
use heatplan::plan::Quality;
use heatplan::replan::{self, events, ledger, Stability};
use heatplan::report;
use heatplan::scenario::{self, Source};
use heatplan::schedule::optimise::gap;
use heatplan::Project;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `heatplan replan`.
#[derive(Debug, Args)]
pub struct ReplanArgs {
    /// The baseline's plan.json (its folder is never written to).
    #[arg(long)]
    plan: PathBuf,
    /// The filled-in progress ledger (the baseline's ledger.csv).
    #[arg(long)]
    progress: PathBuf,
    /// First day of the re-plan; actual dates in the ledger are before it.
    #[arg(long, value_parser = parse_date)]
    data_date: NaiveDate,
    /// Events since the baseline (stop-work days, crews, not-before dates,
    /// segment lengths); see docs/replan.md.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Output folder for the new plan (must differ from the baseline's).
    #[arg(short, long)]
    out: PathBuf,
    #[command(flatten)]
    solver: SolverArgs,
    /// Objective cost of starting an activity one day away from its baseline start.
    #[arg(long, default_value_t = replan::DEFAULT_SHIFT_WEIGHT)]
    shift_weight: u64,
    /// Objective cost of giving an activity to another contractor.
    #[arg(long, default_value_t = replan::DEFAULT_CREW_CHANGE_WEIGHT)]
    crew_change_weight: u64,
    /// Language of the reports and the summary: zh or en.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: report::Lang,
    /// Network diagram detail: elements, districts or activities.
    #[arg(long, default_value = "elements", value_parser = parse_detail)]
    network_detail: report::Detail,
}

fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date like 2022-07-15"))
}

fn read(path: &Path) -> std::result::Result<String, i32> {
    super::read_text(path).map(|s| s.text).map_err(|e| {
        eprintln!("{e}");
        EXIT_BAD_INPUT
    })
}

/// The absolute, resolved form of a folder that may not exist yet.
fn resolved(dir: &Path) -> PathBuf {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    abs.canonicalize().unwrap_or(abs)
}

/// Runs the command; returns the exit code.
pub fn run(args: &ReplanArgs) -> Result<i32> {
    match run_inner(args)? {
        Ok(code) | Err(code) => Ok(code),
    }
}

fn run_inner(args: &ReplanArgs) -> Result<std::result::Result<i32, i32>> {
    let plan_dir = args.plan.parent().unwrap_or(Path::new("."));
    if resolved(plan_dir) == resolved(&args.out) {
        eprintln!(
            "error: the output folder {} is the baseline's folder\n  help: the baseline is never overwritten; give another folder with -o, e.g. -o {}",
            args.out.display(),
            Path::new(plan_dir).join("..").join(format!("replan-{}", args.data_date)).display()
        );
        return Ok(Err(EXIT_BAD_INPUT));
    }
    let text = match read(&args.plan) {
        Ok(t) => t,
        Err(c) => return Ok(Err(c)),
    };
    let baseline = match report::read_plan_json(&text) {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "{}: error: {e}\n  help: re-run `heatplan plan` on the scenario with this heatplan to get a plan.json it can re-plan",
                args.plan.display()
            );
            return Ok(Err(EXIT_BAD_INPUT));
        }
    };
    let Some(embedded) = baseline.scenario.clone() else {
        eprintln!(
            "{}: error: the plan does not embed its scenario\n  help: re-run `heatplan plan` on the scenario with this heatplan",
            args.plan.display()
        );
        return Ok(Err(EXIT_BAD_INPUT));
    };
    let source = Source {
        file: format!("{} (embedded in {})", embedded.file, args.plan.display()),
        text: embedded.text.clone(),
    };
    let mut scenario = match scenario::load_file(&source) {
        Ok(s) => s,
        Err(d) => {
            eprintln!("{d}");
            return Ok(Err(EXIT_BAD_INPUT));
        }
    };
    let mut all_events = embedded.events.clone();
    if let Some(path) = &args.events {
        match read(path) {
            Ok(t) => all_events.push((path.display().to_string(), t)),
            Err(c) => return Ok(Err(c)),
        }
    }
    let mut problems = Vec::new();
    let mut not_before = Vec::new();
    for (file, text) in &all_events {
        let src = Source {
            file: file.clone(),
            text: text.clone(),
        };
        match events::apply(&src, &mut scenario, &baseline, args.data_date) {
            Ok(nb) => not_before.extend(nb),
            Err(d) => problems.extend(d.0),
        }
    }
    let ledger_text = match read(&args.progress) {
        Ok(t) => t,
        Err(c) => return Ok(Err(c)),
    };
    let progress = match ledger::read(
        &args.progress.display().to_string(),
        &ledger_text,
        &baseline,
        args.data_date,
    ) {
        Ok(p) => Some(p),
        Err(d) => {
            problems.extend(d.0);
            None
        }
    };
    if !problems.is_empty() {
        eprintln!("{}", heatplan::scenario::Diagnostics(problems));
        return Ok(Err(EXIT_BAD_INPUT));
    }
    let progress = progress.expect("no problems");
    // The events edited the scenario file: validate it again.
    let mut project = match scenario::check_edited(&scenario, &source) {
        Ok(programme) => Project::from_programme(programme),
        Err(d) => {
            eprintln!("{d}");
            return Ok(Err(EXIT_BAD_INPUT));
        }
    };
    let stability = Stability {
        shift_weight: args.shift_weight,
        change_weight: args.crew_change_weight,
    };
    if let Err(e) = replan::build(
        &mut project,
        &baseline,
        &progress,
        &not_before,
        args.data_date,
        stability,
    ) {
        for p in &e.problems {
            eprintln!("error: {p}");
        }
        return Ok(Err(EXIT_BAD_INPUT));
    }
    let stop = interrupt_flag();
    let problem = project.model.problem.clone();
    let started = Instant::now();
    let bar = SolveProgress::start("re-planning");
    let result = replan::optimise(&problem, &args.solver.options(&stop), &mut |p| {
        bar.update(p)
    });
    bar.finish();
    let Some(schedule) = result.schedule else {
        eprintln!(
            "error: no re-plan was found ({}: {})\n  help: check the work in progress and the events; a longer --time-limit may help",
            result.status, result.stop_reason
        );
        return Ok(Err(EXIT_INFEASIBLE));
    };
    let score = result.score.unwrap_or_else(|| problem.score(&schedule));
    let quality = Quality {
        status: result.status.to_string(),
        objective: score.value,
        bound: result.bound,
        gap: gap(score.value, result.bound),
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: result.stop_reason.clone(),
    };
    let mut network = project.network_plan(&schedule, quality);
    let mut fingerprint = embedded.text.clone();
    for (_, t) in &all_events {
        fingerprint += t;
    }
    let parent = baseline.revision.clone();
    let id = Revision::id_of(&fingerprint, Some(args.data_date), &network.plan);
    network.revision = Some(Revision {
        baseline: parent
            .as_ref()
            .map_or_else(|| id.clone(), |r| r.baseline.clone()),
        parent: parent.map(|r| r.id),
        id,
        data_date: Some(args.data_date),
    });
    network.scenario = Some(EmbeddedScenario {
        events: all_events,
        ..embedded
    });
    let variance = replan::variance(&baseline, &network, args.data_date);
    let mut files = OutputSet::new(&args.out);
    for (name, mut content) in report::all_files(&network, args.network_detail, args.lang) {
        if name == "report.html" {
            if let Some(at) = content.rfind("</body>") {
                content.insert_str(at, &variance.html());
            }
        }
        files.add(&name, content);
    }
    files.add("variance.csv", variance.csv());
    let written = files.commit().context("writing the re-plan")?;
    print!("{}", report::summary::plan_summary(&network, args.lang));
    print!("{}", variance.summary());
    println!(
        "\nwrote {} files into {}",
        written.len(),
        args.out.display()
    );
    Ok(Ok(if network.plan.late_stations().is_empty() {
        EXIT_OK
    } else {
        EXIT_DEADLINE_MISSED
    }))
}
