//! `heatplan compare`: solve variants of a scenario side by side, in
//! parallel, and write compare.csv and compare.html.

mod ui;

use super::output::OutputSet;
use super::{interrupt_flag, parse_gap, parse_seconds, CliError};
use anyhow::Context;
use clap::Args;
use heatplan::compare::chance::{plan_dir, RiskSettings};
use heatplan::compare::report::{compare_csv, compare_html, terminal_table, CompareContext};
use heatplan::compare::search::Session;
use heatplan::compare::{file, grid, text, Change, RankBy, Variant};
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
    /// Simulate each variant's plan in N sampled futures of the scenario's
    /// [risk] model (the same futures for every variant) and report the
    /// probability that every station is heat-ready by the deadline; 0: off.
    #[arg(long, default_value_t = 0, value_name = "N")]
    risk_samples: u64,
    /// Seed of the sampled futures (default: --seed).
    #[arg(long, value_name = "S")]
    risk_seed: Option<u64>,
    /// Order of the rows: `order` (as the variants are given) or
    /// `probability` (highest chance of every station on time first; needs
    /// --risk-samples).
    #[arg(long, default_value = "order", value_parser = ["order", "probability"])]
    rank_by: String,
    /// With --find-minimum and --risk-samples: ask for the cheapest variant
    /// whose probability of every station on time reaches P (e.g. 0.8).
    #[arg(long, value_name = "P", value_parser = parse_probability)]
    min_probability: Option<f64>,
}

/// A probability more than 0 and at most 1 (`--min-probability`).
fn parse_probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1.0 => Ok(v),
        _ => Err(super::early_words(heatplan::both!(
            "`{s}` is not a probability more than 0 and at most 1 (e.g. 0.8 for 80 %)",
            "`{s}` 不是大于 0 且不大于 1 的概率（例如 0.8 表示 80 %）"
        ))),
    }
}

/// The option combinations that do not go together, every one listed.
fn check_options(args: &CompareArgs, base: &Scenario) -> Result<(), CliError> {
    let mut problems = Vec::new();
    let risk = args.risk_samples > 0;
    if args.rank_by == "probability" && !risk {
        problems.push(super::words(heatplan::both!(
            "--rank-by probability needs the probabilities\n  help: add --risk-samples N (e.g. 500)",
            "--rank-by probability 需要概率\n  提示：请加上 --risk-samples N（例如 500）"
        )));
    }
    if args.min_probability.is_some() {
        if !args.find_minimum {
            problems.push(super::words(heatplan::both!(
                "--min-probability is what --find-minimum asks for, but --find-minimum is not given\n  help: add --find-minimum",
                "--min-probability 是 --find-minimum 的目标，但没有给出 --find-minimum\n  提示：请加上 --find-minimum"
            )));
        }
        if !risk {
            problems.push(super::words(heatplan::both!(
                "--min-probability needs the probabilities\n  help: add --risk-samples N (e.g. 500)",
                "--min-probability 需要概率\n  提示：请加上 --risk-samples N（例如 500）"
            )));
        }
        if args.target == "all-nodes" {
            problems.push(super::words(heatplan::both!(
                "--min-probability asks for the probability of every station on time; it does not go with --target all-nodes\n  help: leave out --target, or --min-probability",
                "--min-probability 针对所有换热站按期的概率，不能与 --target all-nodes 同用\n  提示：请去掉 --target 或 --min-probability"
            )));
        }
    }
    if risk && base.risk.is_none() {
        let file = args.file.display();
        problems.push(super::words(heatplan::both!(
            "{file}: --risk-samples needs a [risk] section: without one every sampled future is the one the calendar describes, and each probability would be 0 or 1\n  help: describe what is uncertain in a [risk] section (docs/scenario.md, section 2.13), or leave out --risk-samples",
            "{file}：--risk-samples 需要 [risk] 部分：没有它，每个抽样未来都与日历描述的相同，每个概率只能是 0 或 1\n  提示：请在 [risk] 部分描述不确定因素（docs/scenario.md 第 2.13 节），或去掉 --risk-samples"
        )));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let n = problems.len();
        problems.push(super::words(heatplan::both!(
            "{n} problem(s) found",
            "共发现 {n} 个问题"
        )));
        Err(CliError::BadInput(problems.join("\n")))
    }
}

/// Runs the command.
pub fn run(args: &CompareArgs) -> Result<(), CliError> {
    let (base, base_source) = read_scenario(&args.file)?;
    check_options(args, &base)?;
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
        risk: (args.risk_samples > 0).then(|| RiskSettings {
            samples: args.risk_samples,
            seed: args.risk_seed.unwrap_or(args.seed),
            threads: jobs,
        }),
        min_probability: args.min_probability,
    };
    let mut bars = Bars::default();
    let mut comparison = if args.find_minimum {
        session.find_minimum(&mut bars)
    } else {
        session.compare_all(&mut bars)
    };
    if args.rank_by == "probability" {
        comparison.rank(RankBy::Probability);
    }
    let plans = if session.risk.is_some() {
        let started = std::time::Instant::now();
        let plans = write_plans(&base_source, &variants, &comparison, &args.out)?;
        let (simulated, written) = (
            bars.risk_time.as_secs_f64(),
            started.elapsed().as_secs_f64(),
        );
        let (samples, n) = (args.risk_samples, plans);
        eprintln!(
            "{}",
            super::words(heatplan::both!(
                "risk: {samples} sampled futures per plan simulated in {simulated:.1} s; {n} plan file(s) written in {written:.1} s",
                "风险：每个计划 {samples} 个抽样未来，模拟用时 {simulated:.1} 秒；写出 {n} 个计划文件，用时 {written:.1} 秒"
            ))
        );
        plans
    } else {
        0
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
    println!("\n{}", super::wrote(written.len() + plans, &args.out));
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

/// Writes the plan of every solved variant, as `heatplan plan` writes a
/// plan.json (its scenario embedded: the base scenario with the variant's
/// changes written in), into `OUT/plans/NN-name/`, so that `heatplan risk
/// --plan` (or `replan`) takes a variant's plan further. Returns the number
/// of files written.
fn write_plans(
    source: &Source,
    variants: &[Variant],
    comparison: &heatplan::compare::search::Comparison,
    out: &Path,
) -> Result<usize, CliError> {
    let mut written = 0;
    for (i, v) in variants.iter().enumerate() {
        let Some(o) = comparison.outcomes.iter().find(|o| o.name == v.name) else {
            continue;
        };
        let Some(schedule) = &o.schedule else {
            continue;
        };
        let name = &v.name;
        let Some(text) = text::variant_text(source, v) else {
            eprintln!(
                "{}",
                super::words(heatplan::both!(
                    "warning: the scenario of variant \"{name}\" could not be written as a file; its plan.json is not written",
                    "警告：方案“{name}”的情景无法写成文件；未写出其 plan.json"
                ))
            );
            continue;
        };
        let Ok(programme) = scenario::check(&v.scenario, source) else {
            continue;
        };
        let project = heatplan::Project::from_programme(programme);
        let quality = heatplan::plan::Quality {
            status: o.solve.status.clone(),
            objective: o.solve.objective.unwrap_or(0),
            bound: o.solve.bound,
            gap: o.solve.gap,
            seconds: o.solve.seconds,
            stop_reason: o.solve.stop_reason.clone(),
        };
        let mut network = project.network_plan(schedule, quality);
        network.embed_baseline(&Source {
            file: format!("{} [{}]", source.file, v.name),
            text,
        });
        let mut files = OutputSet::new(&out.join(plan_dir(i, &v.name)));
        files.add("plan.json", heatplan::report::plan_json(&network));
        written += files
            .commit()
            .context(super::words(heatplan::both!(
                "writing the variants' plans",
                "写入各方案的计划"
            )))?
            .len();
    }
    Ok(written)
}
