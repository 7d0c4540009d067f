//! `heatplan plan`: optimise a scenario and write the network plan.

use super::output::OutputSet;
use super::progress::SolveProgress;
use super::{interrupt_flag, load, parse_detail, CliError, DeadlineMode, SolverArgs};
use anyhow::Context;
use clap::Args;
use heatplan::plan::explain::explain;
use heatplan::plan::Quality;
use heatplan::report;
use heatplan::schedule::outcome::{gap, Status};
use heatplan::Project;
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `heatplan plan`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Output folder.
    #[arg(short, long, default_value = "out")]
    out: PathBuf,
    #[command(flatten)]
    solver: SolverArgs,
    /// `soft`: late stations are allowed, weighed by households; `hard`: a
    /// missed deadline is an error that says which chain or crews cause it.
    #[arg(long, value_enum, default_value_t = DeadlineMode::Soft)]
    deadline: DeadlineMode,
    /// Network diagram detail: elements, districts or activities.
    #[arg(long, default_value = "elements", value_parser = parse_detail)]
    network_detail: report::Detail,
}

/// Runs the command.
pub fn run(args: &PlanArgs) -> Result<(), CliError> {
    let project = load(&args.file)?;
    let stop = interrupt_flag();
    let mut problem = project.model.problem.clone();
    if args.deadline == DeadlineMode::Hard {
        problem.horizon = problem.horizon.min(project.model.due);
    }
    // A programme proven impossible (a chain too long, or crews short of
    // the work only they may do) is reported at once, without searching.
    let why = explain(&project, problem.horizon);
    if why.proves_infeasible() {
        return Err(CliError::NoPlan(Some(format!(
            "no plan can meet {}; {}",
            limit_name(args.deadline),
            why.to_string().trim_end()
        ))));
    }
    let started = Instant::now();
    let bar = SolveProgress::start("optimising");
    let portfolio = args.solver.portfolio();
    let result = portfolio.run(&problem, &args.solver.budget(&stop), &mut |p| bar.update(p));
    bar.finish();
    let Some(schedule) = result.schedule else {
        return Err(CliError::NoPlan(Some(no_plan_message(
            &project,
            args.deadline,
            &result.status,
            &result.stop.to_string(),
        ))));
    };
    let score = result.score.unwrap_or_else(|| problem.score(&schedule));
    let quality = Quality {
        status: result.status.to_string(),
        objective: score.value,
        bound: result.bound,
        gap: gap(score.value, result.bound),
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: result.stop.to_string(),
    };
    let mut network = project.network_plan(&schedule, quality);
    if let Some(source) = &project.source {
        // The text read before the solve: the file may have changed since.
        network.embed_baseline(source);
    }
    let mut files = OutputSet::new(&args.out);
    for (name, content) in report::all_files(&network, args.network_detail, super::lang()) {
        files.add(&name, content);
    }
    let written = files.commit().context("writing the plan")?;
    print!("{}", report::summary::plan_summary(&network, super::lang()));
    print!(
        "{}",
        report::summary::why_late_text(&network, super::lang())
    );
    println!(
        "\nwrote {} files into {}",
        written.len(),
        args.out.display()
    );
    match network.plan.late_stations().len() {
        0 => Ok(()),
        late => Err(CliError::DeadlineMissed { late }),
    }
}

/// What every activity must end by, in words.
fn limit_name(mode: DeadlineMode) -> &'static str {
    match mode {
        DeadlineMode::Hard => "the heat-ready deadline",
        DeadlineMode::Soft => "the construction window plus its overrun",
    }
}

/// Why no plan came back, in a manager's words: the chain or the crews that
/// make the limit unreachable (see [`heatplan::plan::explain`]).
fn no_plan_message(project: &Project, mode: DeadlineMode, status: &Status, reason: &str) -> String {
    let p = &project.model.problem;
    let limit = match mode {
        DeadlineMode::Hard => p.horizon.min(project.model.due),
        DeadlineMode::Soft => p.horizon,
    };
    let what = limit_name(mode);
    let why = explain(project, limit);
    let mut msg = if why.proves_infeasible() {
        format!("no plan can meet {what}; ")
    } else {
        format!("no plan was found for {what} ({status}: {reason}); ")
    };
    msg.push_str(why.to_string().trim_end());
    msg
}
