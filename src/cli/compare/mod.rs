//! `heatplan compare`: solve variants of a scenario side by side, in
//! parallel, and write compare.csv and compare.html.

mod ui;

use super::output::OutputSet;
use super::{interrupt_flag, parse_gap, parse_seconds, CliError};
use anyhow::Context;
use clap::Args;
use heatplan::compare::report::{compare_csv, compare_html, terminal_table, CompareContext};
use heatplan::compare::search::Session;
use heatplan::compare::{file, grid, Change, Variant};
use heatplan::scenario::{self, Scenario, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
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
    /// What --find-minimum asks for: `stations` (every station heat-ready
    /// by the deadline) or `all-nodes` (that, and every time node met).
    #[arg(long, default_value = "stations", value_parser = ["stations", "all-nodes"])]
    target: String,
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
    /// At most N candidate schedules per heuristic run (for reproducible tests; hidden from
    /// --help).
    #[arg(long, hide = true, value_name = "N")]
    max_candidates: Option<usize>,
}

/// Runs the command.
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    let (base, base_source) = read_scenario(&args.file)?;
    let (variants, varied) = build_variants(args, &base)?;
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let stop = interrupt_flag();
    let portfolio = Portfolio {
        gap: args.gap,
        ..Portfolio::default()
    };
    // HiGHS's thread pool is shared by the whole process: one thread per
    // solve, and the variants run side by side.
    let budget = Budget::new(Duration::from_secs_f64(args.time_limit))
        .with_stop(stop.clone())
        .with_seed(args.seed)
        .with_threads(1)
        .with_max_candidates(args.max_candidates);
    let session = Session {
        base: &base,
        source: &base_source,
        variants: &variants,
        jobs,
        stop: &stop,
        portfolio: &portfolio,
        budget: &budget,
        all_nodes: args.target == "all-nodes",
    };
    let mut bars = Bars::default();
    let comparison = if args.find_minimum {
        session.find_minimum(&mut bars)
    } else {
        session.compare_all(&mut bars)
    };
    let outcomes = &comparison.outcomes;
    let summary = comparison.summary.get(super::lang());
    let ctx = CompareContext {
        programme: base.programme.name.clone(),
        window_start: base.programme.window_start.get_ref().0,
        deadline: base.programme.deadline.get_ref().0,
        varied,
        notes: comparison.notes.clone(),
        lang: super::lang(),
    };
    let table = terminal_table(&ctx, outcomes);
    let mut files = OutputSet::new(&args.out);
    files.add("compare.csv", compare_csv(&ctx, outcomes));
    files.add("compare.html", compare_html(&ctx, outcomes, summary));
    files.add("compare.txt", format!("{table}\n{summary}\n"));
    let written = files.commit().context(super::words(heatplan::both!(
        "writing the comparison",
        "写入比较结果"
    )))?;
    print!("{table}");
    println!("\n{summary}");
    if comparison.interrupted {
        println!(
            "{}",
            super::words(heatplan::both!(
                "interrupted: the table shows the variants that finished",
                "已中断：表中只有已算完的方案"
            ))
        );
    }
    println!("\n{}", super::wrote(written.len(), &args.out));
    if args.find_minimum && comparison.minimum.is_none() {
        // The summary says that no variant met the deadline.
        return Err(CliError::NoPlan(None));
    }
    Ok(())
}

/// Reads and validates the scenario; every problem found is the error.
fn read_scenario(path: &Path) -> Result<(Scenario, Source), CliError> {
    let source = read_source(path)?;
    let scenario = scenario::load_file(&source).map_err(|d| super::bad_input(&d))?;
    Ok((scenario, source))
}

fn read_source(path: &Path) -> Result<Source, CliError> {
    super::read_text(path)
}

/// The variants of the variants file and the grid, and the crews they vary.
#[allow(clippy::type_complexity)]
fn build_variants(
    args: &CompareArgs,
    base: &Scenario,
) -> Result<(Vec<Variant>, Vec<(String, String)>), CliError> {
    if args.vary.is_empty() && args.variants.is_none() {
        return Err(CliError::BadInput(super::words(heatplan::both!(
            "error: nothing to compare\n  help: give --vary contractor.<id>.<crew-type>=2..5 \
             (several for a grid) or --variants FILE (see docs/compare.md)",
            "错误：没有要比较的内容\n  提示：请给出 --vary contractor.<编号>.<班组类型>=2..5\
             （多个则组合）或 --variants 文件（见 docs/compare.md）"
        ))));
    }
    let mut variants = Vec::new();
    if let Some(path) = &args.variants {
        let source = read_source(path)?;
        let set = file::parse_variants(&source, base).map_err(|d| super::bad_input(&d))?;
        if set.include_base {
            variants.push(Variant {
                name: "base".into(),
                changes: Vec::new(),
                scenario: base.clone(),
            });
        }
        variants.extend(set.variants);
    }
    if !args.vary.is_empty() {
        match grid::grid(base, &args.vary) {
            // A variant that leaves the scenario invalid (no crews for some
            // work) is solved as a row that says why it cannot be planned.
            Ok((_, g)) => variants.extend(g),
            Err(errors) => {
                let errors: Vec<String> = errors.iter().map(|e| e.render(super::lang())).collect();
                return Err(problem_list(&errors));
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

/// Problems as `error: …` lines and their count.
fn problem_list(problems: &[String]) -> CliError {
    let mut text = String::new();
    let (error, n) = (
        super::words(heatplan::both!("error: ", "错误：")),
        problems.len(),
    );
    for p in problems {
        text += &format!("{error}{p}\n");
    }
    text += &super::words(heatplan::both!("{n} problem(s) found", "共发现 {n} 个问题"));
    CliError::BadInput(text)
}
