//! `heatplan plan`: optimise a scenario and write the network plan.

use super::output::OutputSet;
use super::progress::SolveProgress;
use super::{
    interrupt_flag, load, parse_detail, parse_lang, DeadlineMode, SolverArgs, EXIT_DEADLINE_MISSED,
    EXIT_INFEASIBLE, EXIT_OK,
};
use anyhow::{Context, Result};
use clap::Args;
use heatplan::plan::Quality;
use heatplan::report;
use heatplan::schedule::optimise::optimise;
use heatplan::schedule::solve::Status;
use heatplan::schedule::window::{WindowError, Windows};
use heatplan::Project;
use std::fmt::Write;
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
    let text = std::fs::read_to_string(&args.file).context("re-reading the scenario")?;
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

/// Why no plan came back, in a manager's words.
fn no_plan_message(project: &Project, mode: DeadlineMode, status: &Status, reason: &str) -> String {
    let mut msg = String::new();
    let p = &project.model.problem;
    let cal = &project.calendar;
    let mut hard = p.clone();
    if mode == DeadlineMode::Hard {
        hard.horizon = hard.horizon.min(project.model.due);
    }
    match Windows::compute(&hard) {
        Err(WindowError::NoRoom { activity, .. }) => {
            let _ = writeln!(
                msg,
                "the {} cannot be met even with unlimited crews: this chain of work, with the calendar's working days, ends too late:",
                if mode == DeadlineMode::Hard { "heat-ready deadline" } else { "construction window plus its overrun" }
            );
            if let Ok(w) = Windows::compute(p) {
                for a in w.binding_chain(p, activity) {
                    let _ = writeln!(
                        msg,
                        "  {:<28} earliest {} – {}",
                        p.activities[a].name,
                        cal.date(w.es[a]),
                        cal.date(w.ef[a].max(w.es[a] + 1) - 1)
                    );
                }
            }
            let _ = write!(msg, "  help: shorten this chain (more productive crews, fewer bans on it) or move the deadline");
        }
        Err(e) => {
            let _ = write!(msg, "{e}");
        }
        Ok(_) => {
            let _ = writeln!(msg, "no plan was found ({status}: {reason}).");
            let short: Vec<String> = project
                .inventory()
                .crews
                .iter()
                .filter(|(_, b)| b.demanded > b.available)
                .map(|(c, b)| {
                    format!(
                        "  {c}: {:.0} crew-days demanded, {:.0} available in the window",
                        b.demanded, b.available
                    )
                })
                .collect();
            if short.is_empty() {
                let _ = write!(msg, "  no crew type is short over the whole window; the limit may lie in one district's contractors or trench limit, or the time limit was too short (try --time-limit)");
            } else {
                let _ = writeln!(
                    msg,
                    "  these crew types cannot deliver their work in the window:"
                );
                let _ = write!(msg, "{}", short.join("\n"));
            }
        }
    }
    msg
}
