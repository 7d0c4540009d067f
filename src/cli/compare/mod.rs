//! `heatplan compare`: solve variants of a scenario side by side, in
//! parallel, and write compare.csv and compare.html.

mod minimum;
mod pool;

use super::output::OutputSet;
use super::{interrupt_flag, parse_gap, parse_seconds, EXIT_BAD_INPUT, EXIT_OK};
use anyhow::{Context, Result};
use clap::Args;
use heatplan::compare::report::{compare_csv, compare_html, terminal_table, CompareContext};
use heatplan::compare::{file, grid, solve_variant, Change, Outcome, Variant};
use heatplan::scenario::{self, validate::validate, Scenario, Source};
use heatplan::schedule::optimise::OptimiseOptions;
use pool::{pool, show, Ui};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What every solve of one run shares.
struct Session<'a> {
    /// The scenario as written.
    base: &'a Scenario,
    /// Its text, which the variants' spans point into.
    source: &'a Source,
    /// Every variant compared.
    variants: &'a [Variant],
    /// Solves at once.
    jobs: usize,
    /// Raised by Ctrl-C.
    stop: &'a Arc<AtomicBool>,
    /// Options of every solve (one HiGHS thread each).
    opts: &'a OptimiseOptions,
}

impl Session<'_> {
    /// Solves the variants at `indices` in parallel into `results`.
    fn solve(&self, indices: &[usize], ui: &Ui, results: &mut [Option<Outcome>]) {
        let labels: Vec<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
        let done = pool(indices, self.jobs, self.stop, ui, &labels, |i, bar| {
            solve_variant(
                self.base,
                self.source,
                &self.variants[i],
                self.opts,
                &mut |p| show(bar, p),
            )
        });
        for (i, o) in done {
            results[i] = Some(o);
        }
    }
}

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
    /// At most N candidate schedules per heuristic run (for reproducible tests; hidden from
    /// --help).
    #[arg(long, hide = true, value_name = "N")]
    max_candidates: Option<usize>,
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
        max_candidates: args.max_candidates,
        ..OptimiseOptions::default()
    };
    let session = Session {
        base: &base,
        source: &base_source,
        variants: &variants,
        jobs,
        stop: &stop,
        opts: &opts,
    };
    let mut results: Vec<Option<Outcome>> = vec![None; variants.len()];
    let (notes, summary, code) = if args.find_minimum {
        let found = minimum::search(&session, &mut results);
        (found.notes, found.summary, found.code)
    } else {
        let ui = Ui::new(variants.len());
        let all: Vec<usize> = (0..variants.len()).collect();
        session.solve(&all, &ui, &mut results);
        ui.finish();
        let met = results
            .iter()
            .flatten()
            .filter(|o| o.meets_deadline())
            .count();
        let summary = format!(
            "{met} of {} variant(s) have every station heat-ready by the deadline.",
            variants.len()
        );
        (vec![String::new(); variants.len()], summary, EXIT_OK)
    };
    let interrupted = stop.load(Ordering::SeqCst);
    let (outcomes, notes): (Vec<Outcome>, Vec<String>) = results
        .into_iter()
        .zip(notes)
        .enumerate()
        .filter_map(|(i, (o, n))| match o {
            Some(o) => Some((o, n)),
            None if interrupted => Some((
                Outcome::not_run(
                    &variants[i].name,
                    &base,
                    &variants[i].scenario,
                    "not run (interrupted)",
                ),
                n,
            )),
            None => None,
        })
        .collect();
    let ctx = CompareContext {
        programme: base.programme.name.clone(),
        window_start: base.programme.window_start.get_ref().0,
        deadline: base.programme.deadline.get_ref().0,
        varied,
        notes,
    };
    let table = terminal_table(&ctx, &outcomes);
    let mut files = OutputSet::new(&args.out);
    files.add("compare.csv", compare_csv(&ctx, &outcomes));
    files.add("compare.html", compare_html(&ctx, &outcomes, &summary));
    files.add("compare.txt", format!("{table}\n{summary}\n"));
    let written = files.commit().context("writing the comparison")?;
    print!("{table}");
    println!("\n{summary}");
    if interrupted {
        println!("interrupted: the table shows the variants that finished");
    }
    println!(
        "\nwrote {} files into {}",
        written.len(),
        args.out.display()
    );
    Ok(code)
}

/// Reads and validates the scenario; prints every problem on failure.
fn read_scenario(path: &Path) -> Option<(Scenario, Source)> {
    let source = read_source(path)?;
    match scenario::load_file(&source) {
        Ok(s) => Some((s, source)),
        Err(d) => {
            eprintln!("{d}");
            None
        }
    }
}

fn read_source(path: &Path) -> Option<Source> {
    super::read_text(path).map_err(|e| eprintln!("{e}")).ok()
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
