//! Command-line interface: argument parsing and the commands.

mod output;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use heatplan::plan::Quality;
use heatplan::report;
use heatplan::scenario::Source;
use heatplan::schedule::search::{heuristic, HeuristicOptions};
use heatplan::Project;
use output::OutputSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Exit code: the plan meets the deadline (or the command succeeded).
pub const EXIT_OK: i32 = 0;
/// Exit code: an internal error (a bug, or an I/O failure).
pub const EXIT_INTERNAL: i32 = 1;
/// Exit code: the input is invalid (scenario, options).
pub const EXIT_BAD_INPUT: i32 = 2;
/// Exit code: a plan was made but some stations miss the deadline.
pub const EXIT_DEADLINE_MISSED: i32 = 3;
/// Exit code: no feasible plan exists (or none was found).
pub const EXIT_INFEASIBLE: i32 = 4;

/// heatplan schedules the construction of district-heating networks.
#[derive(Debug, Parser)]
#[command(name = "heatplan", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate a scenario and print its size, critical path and crew balance.
    Check {
        /// Scenario file (TOML).
        file: PathBuf,
    },
    /// Schedule a scenario and write the network plan: plan.json, plan.csv,
    /// ledger.csv, responsibility lists, plan.xml, gantt.svg, network.svg, report.html.
    Plan {
        /// Scenario file (TOML).
        file: PathBuf,
        /// Output folder.
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Seconds to spend searching.
        #[arg(long, default_value_t = 10.0)]
        time_limit: f64,
        /// Random seed (same seed, same plan).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Language of the reports and the summary: zh or en.
        #[arg(long, default_value = "en", value_parser = parse_lang)]
        lang: report::Lang,
        /// Network diagram detail: elements, districts or activities.
        #[arg(long, default_value = "elements", value_parser = parse_detail)]
        network_detail: report::Detail,
    },
}

/// Runs a command and returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    let result = match cli.command {
        Command::Check { file } => check(&file),
        Command::Plan {
            file,
            out,
            time_limit,
            seed,
            lang,
            network_detail,
        } => plan(&file, &out, time_limit, seed, lang, network_detail),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_INTERNAL
        }
    }
}

/// Reads and validates a scenario, printing every problem on failure.
fn load(file: &Path) -> Result<std::result::Result<Project, i32>> {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return Ok(Err(EXIT_BAD_INPUT));
        }
    };
    let source = Source {
        file: file.display().to_string(),
        text,
    };
    match Project::load(&source) {
        Ok(p) => Ok(Ok(p)),
        Err(d) => {
            eprintln!("{d}");
            Ok(Err(EXIT_BAD_INPUT))
        }
    }
}

fn check(file: &Path) -> Result<i32> {
    let project = match load(file)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    print!("{}", project.inventory());
    Ok(EXIT_OK)
}

fn parse_lang(s: &str) -> std::result::Result<report::Lang, String> {
    report::Lang::parse(s).ok_or_else(|| format!("unknown language `{s}` (use zh or en)"))
}

fn parse_detail(s: &str) -> std::result::Result<report::Detail, String> {
    report::Detail::parse(s)
        .ok_or_else(|| format!("unknown detail `{s}` (use elements, districts or activities)"))
}

fn plan(
    file: &Path,
    out: &Path,
    time_limit: f64,
    seed: u64,
    lang: report::Lang,
    detail: report::Detail,
) -> Result<i32> {
    if !(time_limit.is_finite() && time_limit >= 0.0) {
        eprintln!("error: --time-limit must be a non-negative number of seconds");
        return Ok(EXIT_BAD_INPUT);
    }
    let project = match load(file)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let started = Instant::now();
    let opts = HeuristicOptions {
        time_limit: Duration::from_secs_f64(time_limit),
        seed,
        stop: Some(stop.clone()),
        max_iterations: None,
    };
    let problem = &project.model.problem;
    let Some(schedule) = heuristic(problem, &opts) else {
        eprintln!(
            "error: no feasible schedule was found within the construction window plus its overrun"
        );
        return Ok(EXIT_INFEASIBLE);
    };
    let score = problem.score(&schedule);
    let bound = heatplan::schedule::search::lower_bound(problem);
    let quality = Quality {
        status: if bound >= score.value {
            "optimal".into()
        } else {
            "heuristic".into()
        },
        objective: score.value,
        bound,
        gap: if score.value > 0 {
            (score.value - bound.min(score.value)) as f64 / score.value as f64
        } else {
            0.0
        },
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: if stop.load(Ordering::SeqCst) {
            "interrupted".into()
        } else {
            "heuristic search finished".into()
        },
    };
    let network = project.network_plan(&schedule, quality);
    let plan = &network.plan;
    let mut files = OutputSet::new(out);
    for (name, content) in report::all_files(&network, detail, lang) {
        files.add(&name, content);
    }
    let written = files.commit().context("writing the plan")?;
    print!("{}", report::summary::plan_summary(&network, lang));
    println!(
        "\nwrote {}",
        written
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(if plan.late_stations().is_empty() {
        EXIT_OK
    } else {
        EXIT_DEADLINE_MISSED
    })
}
