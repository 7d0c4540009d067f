//! `heatplan plan`: optimise a scenario and write the network plan.

use super::output::OutputSet;
use super::progress::SolveProgress;
use super::{
    interrupt_flag, load, parse_detail, parse_lang, DeadlineMode, SolverArgs, EXIT_DEADLINE_MISSED,
    EXIT_INFEASIBLE, EXIT_OK,
};
use anyhow::{Context, Result};
use clap::Args;
use heatplan::explain::{explain, why_late};
use heatplan::plan::Quality;
use heatplan::report;
use heatplan::schedule::optimise::optimise;
use heatplan::schedule::solve::Status;
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
    /// Language of the reports and the summary: zh or en.
    #[arg(long, default_value = "en", value_parser = parse_lang)]
    lang: report::Lang,
    /// Network diagram detail: elements, districts or activities.
    #[arg(long, default_value = "elements", value_parser = parse_detail)]
    network_detail: report::Detail,
}

/// Runs the command; returns the exit code.
pub fn run(args: &PlanArgs) -> Result<i32> {
    let project = match load(&args.file) {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let stop = interrupt_flag();
    let mut problem = project.model.problem.clone();
    if args.deadline == DeadlineMode::Hard {
        problem.horizon = problem.horizon.min(project.model.due);
    }
    // A programme proven impossible (a chain too long, or crews short of
    // the work only they may do) is reported at once, without searching.
    let why = explain(&project, problem.horizon);
    if why.proves_infeasible() {
        eprintln!(
            "error: no plan can meet {}; {}",
            limit_name(args.deadline),
            why.to_string().trim_end()
        );
        return Ok(EXIT_INFEASIBLE);
    }
    let started = Instant::now();
    let bar = SolveProgress::start("optimising");
    let result = optimise(&problem, &args.solver.options(&stop), &mut |p| {
        bar.update(p)
    });
    bar.finish();
    let Some(schedule) = result.schedule else {
        eprintln!(
            "error: {}",
            no_plan_message(&project, args.deadline, &result.status, &result.stop_reason)
        );
        return Ok(EXIT_INFEASIBLE);
    };
    let score = result.score.unwrap_or_else(|| problem.score(&schedule));
    let quality = Quality {
        status: result.status.to_string(),
        objective: score.value,
        bound: result.bound,
        gap: heatplan::schedule::optimise::gap(score.value, result.bound),
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: result.stop_reason.clone(),
    };
    let mut network = project.network_plan(&schedule, quality);
    let text = super::read_text(&args.file)
        .map_err(anyhow::Error::msg)
        .context("re-reading the scenario")?
        .text;
    network.revision = Some(heatplan::cpm::Revision::baseline(&text, &network.plan));
    network.scenario = Some(heatplan::cpm::EmbeddedScenario {
        file: args.file.display().to_string(),
        text,
        events: Vec::new(),
    });
    let mut files = OutputSet::new(&args.out);
    for (name, content) in report::all_files(&network, args.network_detail, args.lang) {
        files.add(&name, content);
    }
    let written = files.commit().context("writing the plan")?;
    print!("{}", report::summary::plan_summary(&network, args.lang));
    let late: Vec<usize> = network
        .plan
        .late_stations()
        .iter()
        .filter_map(|o| {
            project
                .programme
                .stations
                .iter()
                .position(|st| st.id == o.id)
        })
        .collect();
    print_why_late(&why_late(&project, &late));
    println!(
        "\nwrote {} files into {}",
        written.len(),
        args.out.display()
    );
    Ok(if network.plan.late_stations().is_empty() {
        EXIT_OK
    } else {
        EXIT_DEADLINE_MISSED
    })
}

/// Prints why stations are late: each chain-bound station (the first few),
/// then one line for the stations that only wait for crews.
fn print_why_late(reasons: &[heatplan::explain::LateReason]) {
    const SHOWN: usize = 10;
    if reasons.is_empty() {
        return;
    }
    println!("\nwhy late:");
    let (chain, crews): (Vec<_>, Vec<_>) = reasons.iter().partition(|r| r.chain_bound);
    for r in chain.iter().take(SHOWN) {
        println!("  {}: {}", r.station, r.text);
    }
    if chain.len() > SHOWN {
        println!(
            "  … and {} more stations held up by a chain",
            chain.len() - SHOWN
        );
    }
    match crews.as_slice() {
        [] => {}
        [r] => println!("  {}: {}", r.station, r.text),
        _ => {
            let names: Vec<&str> = crews
                .iter()
                .take(SHOWN)
                .map(|r| r.station.as_str())
                .collect();
            let more = if crews.len() > SHOWN { ", …" } else { "" };
            println!(
                "  {} stations ({}{more}) could be on time with unlimited crews: they wait for crews shared with other work",
                crews.len(),
                names.join(", ")
            );
        }
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
/// make the limit unreachable (see [`heatplan::explain`]).
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
