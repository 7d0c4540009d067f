//! `heatplan compare`: solve variants of a scenario side by side, in
//! parallel, and write compare.csv and compare.html.

mod ui;

use super::output::OutputSet;
use super::{interrupt_flag, parse_gap, parse_seconds, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_OK};
use anyhow::{Context, Result};
use clap::Args;
use heatplan::compare::report::{compare_csv, compare_html, terminal_table, CompareContext};
use heatplan::compare::search::Session;
use heatplan::compare::{file, grid, Change, Variant};
use heatplan::scenario::{self, validate::validate, Scenario, Source};
use heatplan::schedule::optimise::OptimiseOptions;
use std::path::{Path, PathBuf};
use std::time::Duration;
use ui::Bars;

/// Arguments of `heatplan compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    file: PathBuf,
    /// Crew counts to try: contractor.<id>.<crew-type>=2..5 (or =3, or
    /// =2,4,6); several --vary give every combination.
    #[arg(long = "vary", value_name = "contractor.ID.CREW=COUNTS")]
    vary: Vec<String>,
    /// Named variants (TOML; see docs/compare.md).
    #[arg(long, value_name = "FILE")]
    variants: Option<PathBuf>,
    /// Search the variants cheapest first (fewest added crews, or lowest
    /// added cost when every changed contractor has a cost) for the first
    /// that has every station heat-ready by the deadline.
    #[arg(long)]
    find_minimum: bool,
    /// Output folder.
    #[arg(short, long, default_value = "compare-out")]
    out: PathBuf,
    /// Seconds to spend optimising each variant.
    #[arg(long, default_value_t = 20.0, value_parser = parse_seconds)]
    time_limit: f64,
    /// Stop a variant's solve once its plan is proven within this relative gap.
    #[arg(long, default_value_t = 0.01, value_parser = parse_gap)]
    gap: f64,
    /// Variants solved at once (default: the number of cores). Each solve
    /// uses one HiGHS thread.
    #[arg(long)]
    jobs: Option<usize>,
    /// Random seed for every solve.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// Runs the command; returns the exit code.
pub fn run(args: &CompareArgs) -> Result<i32> {
    let Some((base, base_source)) = read_scenario(&args.file) else {
        return Ok(EXIT_BAD_INPUT);
    };
    let (variants, varied) = match build_variants(args, &base, &base_source) {
        Ok(v) => v,
        Err(code) => return Ok(code),
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let stop = interrupt_flag();
    let opts = OptimiseOptions {
        time_limit: Duration::from_secs_f64(args.time_limit),
        gap: args.gap,
        // HiGHS's thread pool is shared by the whole process: one thread
        // per solve, and the variants run side by side.
        threads: 1,
        seed: args.seed,
        stop: Some(stop.clone()),
        ..OptimiseOptions::default()
    };
    let session = Session {
        base: &base,
        variants: &variants,
        jobs,
        stop: &stop,
        opts: &opts,
    };
    let mut bars = Bars::default();
    let comparison = if args.find_minimum {
        session.find_minimum(&mut bars)
    } else {
        session.compare_all(&mut bars)
    };
    let (outcomes, summary) = (&comparison.outcomes, &comparison.summary);
    let ctx = CompareContext {
        programme: base.programme.name.clone(),
        window_start: base.programme.window_start.get_ref().0,
        deadline: base.programme.deadline.get_ref().0,
        varied,
        notes: comparison.notes.clone(),
    };
    let table = terminal_table(&ctx, outcomes);
    let mut files = OutputSet::new(&args.out);
    files.add("compare.csv", compare_csv(&ctx, outcomes));
    files.add("compare.html", compare_html(&ctx, outcomes, summary));
    files.add("compare.txt", format!("{table}\n{summary}\n"));
    let written = files.commit().context("writing the comparison")?;
    print!("{table}");
    println!("\n{summary}");
    if comparison.interrupted {
        println!("interrupted: the table shows the variants that finished");
    }
    println!(
        "\nwrote {} files into {}",
        written.len(),
        args.out.display()
    );
    Ok(if args.find_minimum && comparison.minimum.is_none() {
        // The summary says that no variant met the deadline.
        EXIT_INFEASIBLE
    } else {
        EXIT_OK
    })
}

/// Reads and validates the scenario; prints every problem on failure.
fn read_scenario(path: &Path) -> Option<(Scenario, Source)> {
    let source = read_source(path)?;
    match scenario::load(&source) {
        Ok(s) => Some((s, source)),
        Err(d) => {
            eprintln!("{d}");
            None
        }
    }
}

fn read_source(path: &Path) -> Option<Source> {
    match std::fs::read_to_string(path) {
        Ok(text) => Some(Source {
            file: path.display().to_string(),
            text,
        }),
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", path.display());
            None
        }
    }
}

/// The variants of the variants file and the grid, and the crews they vary.
#[allow(clippy::type_complexity)]
fn build_variants(
    args: &CompareArgs,
    base: &Scenario,
    base_source: &Source,
) -> std::result::Result<(Vec<Variant>, Vec<(String, String)>), i32> {
    if args.vary.is_empty() && args.variants.is_none() {
        eprintln!("error: nothing to compare\n  help: give --vary contractor.<id>.<crew-type>=2..5 (several for a grid) or --variants FILE (see docs/compare.md)");
        return Err(EXIT_BAD_INPUT);
    }
    let mut variants = Vec::new();
    if let Some(path) = &args.variants {
        let Some(source) = read_source(path) else {
            return Err(EXIT_BAD_INPUT);
        };
        match file::parse_variants(&source, base, base_source) {
            Ok(set) => {
                if set.include_base {
                    variants.push(Variant {
                        name: "base".into(),
                        changes: Vec::new(),
                        scenario: base.clone(),
                    });
                }
                variants.extend(set.variants);
            }
            Err(d) => {
                eprintln!("{d}");
                return Err(EXIT_BAD_INPUT);
            }
        }
    }
    if !args.vary.is_empty() {
        match grid::grid(base, &args.vary) {
            Ok((_, g)) => {
                let mut problems = Vec::new();
                for v in &g {
                    for d in validate(&v.scenario, base_source) {
                        problems.push(format!(
                            "--vary: variant \"{}\" makes the scenario invalid: {} (at {}:{}:{})\n  help: {}",
                            v.name, d.message, d.file, d.location.line, d.location.column, d.help
                        ));
                    }
                }
                if !problems.is_empty() {
                    for p in &problems {
                        eprintln!("error: {p}");
                    }
                    eprintln!("{} problem(s) found", problems.len());
                    return Err(EXIT_BAD_INPUT);
                }
                variants.extend(g);
            }
            Err(errors) => {
                for e in &errors {
                    eprintln!("error: {e}");
                }
                eprintln!("{} problem(s) found", errors.len());
                return Err(EXIT_BAD_INPUT);
            }
        }
    }
    let mut varied: Vec<(String, String)> = Vec::new();
    for v in &variants {
        for c in &v.changes {
            if let Change::Crews {
                contractor, crew, ..
            } = c
            {
                let key = (contractor.clone(), crew.clone());
                if !varied.contains(&key) {
                    varied.push(key);
                }
            }
        }
    }
    Ok((variants, varied))
}
