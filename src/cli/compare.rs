//! `heatplan compare`: solve variants of a scenario side by side, in
//! parallel, and write compare.csv and compare.html.

use super::output::OutputSet;
use super::{interrupt_flag, parse_gap, parse_seconds, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_OK};
use anyhow::{Context, Result};
use clap::Args;
use heatplan::compare::minimum::{dominated, levels, Proof};
use heatplan::compare::outcome::additions;
use heatplan::compare::report::{compare_csv, compare_html, terminal_table, CompareContext};
use heatplan::compare::{file, grid, prove_late, solve_variant, Change, Outcome, Variant};
use heatplan::scenario::{self, validate::validate, Scenario, Source};
use heatplan::schedule::optimise::OptimiseOptions;
use heatplan::schedule::solve::Progress;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
    let ui = Ui::new(if args.find_minimum { 0 } else { variants.len() });
    let mut results: Vec<Option<Outcome>> = vec![None; variants.len()];
    let mut notes = vec![String::new(); variants.len()];
    let summary;
    let mut code = EXIT_OK;
    let solve_all = |indices: &[usize], results: &mut Vec<Option<Outcome>>| {
        let done = pool(indices, jobs, &stop, &ui, &variants, |i, bar| {
            solve_variant(&base, &variants[i], &opts, &mut |p| show(bar, p))
        });
        for (i, o) in done {
            results[i] = Some(o);
        }
    };
    if args.find_minimum {
        let costs: Vec<Option<f64>> = variants
            .iter()
            .map(|v| additions(&base, &v.scenario).1)
            .collect();
        let by_cost = costs.iter().all(Option::is_some)
            && variants
                .iter()
                .any(|v| additions(&base, &v.scenario).0 != 0);
        let keys: Vec<f64> = variants
            .iter()
            .zip(&costs)
            .map(|(v, c)| {
                if by_cost {
                    c.unwrap_or(0.0)
                } else {
                    additions(&base, &v.scenario).0 as f64
                }
            })
            .collect();
        let measure = if by_cost { "added cost" } else { "added crews" };
        let mut answer = None;
        let mut cheaper: Vec<usize> = Vec::new();
        for level in levels(&keys) {
            ui.overall
                .set_length(ui.overall.position() + level.len() as u64);
            solve_all(&level, &mut results);
            let best = level
                .iter()
                .filter(|&&i| results[i].as_ref().is_some_and(Outcome::meets_deadline))
                .min_by_key(|&&i| results[i].as_ref().and_then(|o| o.solve.objective));
            if let Some(&i) = best {
                answer = Some(i);
                break;
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
            cheaper.extend(&level);
        }
        ui.overall.finish_and_clear();
        match answer {
            Some(a) => {
                let proofs = prove_cheaper(&cheaper, &variants, &results, jobs, &stop, &opts);
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
                let v = &variants[a];
                let what = if by_cost {
                    format!("added cost {:.0}", keys[a])
                } else {
                    format!("{:+} crews", keys[a] as i64)
                };
                if cheaper.is_empty() {
                    notes[a] = "minimum (proven)".into();
                    summary = format!(
                        "Minimum: \"{}\" ({what}) has every station heat-ready by the deadline; no variant searched has a lower {measure}.",
                        v.name
                    );
                } else if unproven.is_empty() {
                    notes[a] = "minimum (proven)".into();
                    summary = format!(
                        "Minimum: \"{}\" ({what}) has every station heat-ready by the deadline; proven minimal: all {} variant(s) with a lower {measure} are proven unable to meet it.",
                        v.name,
                        cheaper.len()
                    );
                } else {
                    notes[a] = "minimum (best found)".into();
                    summary = format!(
                        "Minimum: \"{}\" ({what}) has every station heat-ready by the deadline; best found, smaller not ruled out: {} of {} cheaper variant(s) missed the deadline in {} s without a proof that they must ({}).",
                        v.name,
                        unproven.len(),
                        cheaper.len(),
                        args.time_limit,
                        unproven.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
                    );
                }
            }
            None => {
                code = EXIT_INFEASIBLE;
                summary = if stop.load(Ordering::SeqCst) {
                    "Interrupted before any variant met the deadline.".into()
                } else {
                    format!(
                        "No variant has every station heat-ready by the deadline (searched {} variants by {measure}); try larger crew counts or a longer --time-limit.",
                        variants.len()
                    )
                };
            }
        }
    } else {
        let all: Vec<usize> = (0..variants.len()).collect();
        solve_all(&all, &mut results);
        ui.overall.finish_and_clear();
        let met = results
            .iter()
            .flatten()
            .filter(|o| o.meets_deadline())
            .count();
        summary = format!(
            "{met} of {} variant(s) have every station heat-ready by the deadline.",
            variants.len()
        );
    }
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

/// The multi-progress display: one spinner per running variant above an
/// overall bar (hidden when stderr is not a terminal).
struct Ui {
    multi: MultiProgress,
    overall: ProgressBar,
}

impl Ui {
    fn new(n: usize) -> Ui {
        let multi = MultiProgress::new();
        let overall = multi.add(ProgressBar::new(n as u64));
        overall.set_style(
            ProgressStyle::with_template(
                "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} variants",
            )
            .expect("a valid template"),
        );
        overall.set_prefix("compare");
        overall.enable_steady_tick(Duration::from_millis(500));
        Ui { multi, overall }
    }

    fn spinner(&self, label: &str) -> ProgressBar {
        let bar = self
            .multi
            .insert_before(&self.overall, ProgressBar::new_spinner());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {prefix:30!} {msg}")
                .expect("a valid template"),
        );
        bar.set_prefix(label.to_string());
        bar.set_message("first plan…");
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    }
}

fn show(bar: &ProgressBar, p: &Progress) {
    let best = p.best.map_or("–".to_string(), |b| b.to_string());
    let gap = if p.gap.is_finite() {
        format!("{:.1} %", 100.0 * p.gap)
    } else {
        "–".into()
    };
    bar.set_message(format!("best {best}  bound {}  gap {gap}", p.bound));
}

/// Runs `work` on `indices` with `jobs` threads, each item with its own
/// spinner; stops taking new items once `stop` is raised. Returns the
/// finished items' results.
fn pool<T: Send>(
    indices: &[usize],
    jobs: usize,
    stop: &AtomicBool,
    ui: &Ui,
    variants: &[Variant],
    work: impl Fn(usize, &ProgressBar) -> T + Sync,
) -> Vec<(usize, T)> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs.min(indices.len()) {
            s.spawn(|| loop {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let Some(&i) = indices.get(next.fetch_add(1, Ordering::SeqCst)) else {
                    break;
                };
                let bar = ui.spinner(&variants[i].name);
                let result = work(i, &bar);
                bar.finish_and_clear();
                ui.overall.inc(1);
                done.lock()
                    .expect("no panic while holding")
                    .push((i, result));
            });
        }
    });
    done.into_inner().expect("no panic while holding")
}

/// Tries to prove every variant of `cheaper` unable to meet the deadline:
/// dominance by a proven variant first, then the capacity, bound and solver
/// arguments, on the variants no other unproven one dominates first.
fn prove_cheaper(
    cheaper: &[usize],
    variants: &[Variant],
    results: &[Option<Outcome>],
    jobs: usize,
    stop: &Arc<AtomicBool>,
    opts: &OptimiseOptions,
) -> Vec<Option<Proof>> {
    let mut proofs: Vec<Option<Proof>> = vec![None; cheaper.len()];
    let mut tried = vec![false; cheaper.len()];
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
        if maximal.is_empty() || stop.load(Ordering::SeqCst) {
            break;
        }
        ui.overall
            .set_length(ui.overall.length().unwrap_or(0) + maximal.len() as u64);
        let found = pool(
            &maximal,
            jobs,
            stop,
            &ui,
            variants_of(variants, cheaper).as_slice(),
            |k, _| {
                let i = cheaper[k];
                results[i]
                    .as_ref()
                    .and_then(|o| prove_late(&variants[i], o, opts.time_limit, Some(stop.clone())))
            },
        );
        for k in &maximal {
            tried[*k] = true;
        }
        for (k, p) in found {
            proofs[k] = p;
        }
    }
    ui.overall.finish_and_clear();
    proofs
}

/// The variants at `indices`, in that order (for the spinners' labels).
fn variants_of(variants: &[Variant], indices: &[usize]) -> Vec<Variant> {
    indices.iter().map(|&i| variants[i].clone()).collect()
}
