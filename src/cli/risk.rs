//! `heatplan risk`: the chance that every station is heat-ready by the
//! deadline, by Monte Carlo simulation of a plan (see `heatplan::risk`),
//! and `heatplan risk merge`: the parts of a sharded study joined.

use super::output::OutputSet;
use super::{interrupt_flag, lang, load, read_text, CliError};
use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use heatplan::lang::Both;
use heatplan::replan::events;
use heatplan::report;
use heatplan::report::solver_words::solver_words;
use heatplan::risk::{self, Estimates, Part, Range, Study};
use heatplan::scenario::{self, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::{Day, Schedule};
use heatplan::Project;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How the plan meets each sampled future.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Policy {
    /// The plan's order of work and contractors, as a site follows its plan.
    Fixed,
    /// Re-plan at checkpoints (not available yet).
    Reactive,
}

/// Arguments of `heatplan risk`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RiskArgs {
    #[command(subcommand)]
    merge: Option<RiskCommand>,
    #[command(flatten)]
    run: RunArgs,
}

/// `heatplan risk merge`.
#[derive(Debug, Subcommand)]
enum RiskCommand {
    /// Join the part files of a sharded study (`--shard K/N`) and write the report.
    Merge(MergeArgs),
}

/// Arguments of `heatplan risk merge`.
#[derive(Debug, Args)]
struct MergeArgs {
    /// Part files (risk-part-K-of-N.json).
    #[arg(required = true)]
    parts: Vec<PathBuf>,
    /// Output folder.
    #[arg(short, long, default_value = "risk")]
    out: PathBuf,
}

/// Arguments of a study.
#[derive(Debug, Args)]
struct RunArgs {
    /// Scenario file (TOML): planned first, then simulated.
    #[arg(required_unless_present = "plan", conflicts_with = "plan")]
    file: Option<PathBuf>,
    /// A plan.json (baseline or re-plan) to simulate; from a re-plan only the
    /// work from its data date on is uncertain.
    #[arg(long)]
    plan: Option<PathBuf>,
    /// Number of sampled futures.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    samples: u64,
    /// Random seed of the futures (same seed, same result, whatever the threads).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// `fixed`: execute the plan's order and contractors; `reactive`: re-plan at checkpoints.
    #[arg(long, value_enum, default_value_t = Policy::Fixed)]
    policy: Policy,
    /// Threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// Run only shard K of N (e.g. 3/10) and write a part file for `risk merge`.
    #[arg(long, value_parser = parse_shard)]
    shard: Option<(u64, u64)>,
    /// Output folder.
    #[arg(short, long, default_value = "risk")]
    out: PathBuf,
    /// Seconds the heuristic may spend planning a scenario.
    #[arg(long, default_value_t = 5.0, value_parser = super::parse_seconds)]
    time_limit: f64,
    /// At most N candidate schedules in planning, so the plan does not depend on the
    /// machine's speed (hidden; for tests and shards on several machines).
    #[arg(long, hide = true, value_name = "N")]
    max_candidates: Option<usize>,
}

fn parse_shard(s: &str) -> Result<(u64, u64), String> {
    let bad = || {
        super::early_words(heatplan::both!(
            "`{s}` is not a shard like 3/10 (shard K of N, 1 ≤ K ≤ N)",
            "`{s}` 不是形如 3/10 的分片（共 N 片中的第 K 片，1 ≤ K ≤ N）"
        ))
    };
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let k: u64 = k.trim().parse().map_err(|_| bad())?;
    let n: u64 = n.trim().parse().map_err(|_| bad())?;
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// Runs the command.
pub fn run(args: &RiskArgs) -> Result<(), CliError> {
    match &args.merge {
        Some(RiskCommand::Merge(m)) => merge(m),
        None => study(&args.run),
    }
}

/// A project with the schedule to simulate, its planned ends and data day.
struct Subject {
    project: Project,
    schedule: Schedule,
    ends: Vec<Day>,
    data_day: Day,
    /// The plan.json studied (none when a scenario was planned here).
    plan: Option<heatplan::plan::cpm::NetworkPlan>,
}

fn study(args: &RunArgs) -> Result<(), CliError> {
    if args.policy == Policy::Reactive {
        return Err(CliError::BadInput(super::words(heatplan::both!(
            "error: the reactive policy (re-planning at checkpoints) is not available yet\n  \
             help: use --policy fixed, which executes the plan's order of work and contractors \
             in every sampled future",
            "错误：响应式策略（在检查点重新计划）尚不可用\n  \
             提示：请用 --policy fixed，它在每个抽样的未来中按计划的工作顺序和施工单位执行"
        ))));
    }
    let subject = match (&args.file, &args.plan) {
        (_, Some(plan)) => from_plan(plan)?,
        (Some(file), None) => from_scenario(file, args)?,
        (None, None) => unreachable!("clap requires a scenario or --plan"),
    };
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let range = match args.shard {
        Some((k, n)) => Range::shard(args.samples, k, n),
        None => Range::all(args.samples),
    };
    let study = Study::new(
        &subject.project,
        &subject.schedule,
        Some(&subject.ends),
        args.seed,
        subject.data_day,
    );
    let bar = ProgressBar::new(range.count);
    let template = super::words(heatplan::both!(
        "{{prefix}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} samples ({{per_sec}}, eta {{eta}})",
        "{{prefix}} [{{elapsed_precise}}] {{wide_bar}} {{pos}}/{{len}} 个样本（{{per_sec}}，剩余 {{eta}}）"
    ));
    bar.set_style(ProgressStyle::with_template(&template).expect("a valid template"));
    bar.set_prefix(super::words(heatplan::both!("simulating", "模拟中")));
    let started = Instant::now();
    let part = risk::simulate(&study, range, threads, &|done| bar.set_position(done));
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    let mut files = OutputSet::new(&args.out);
    if let Some((k, n)) = args.shard {
        let name = format!("risk-part-{k}-of-{n}.json");
        let writing = || super::words(heatplan::both!("writing the part", "写入分片"));
        files.add(
            &name,
            serde_json::to_string(&part).context(writing())? + "\n",
        );
        files.commit().context(writing())?;
        let (from, to, total) = (range.first, range.first + range.count, range.total);
        let path = args.out.join(name);
        let path = path.display();
        println!(
            "{}",
            super::words(heatplan::both!(
                "samples {from}..{to} of {total} in {seconds:.1} s on {threads} threads; wrote {path}",
                "共 {total} 个样本中的 {from}..{to}，用时 {seconds:.1} 秒，{threads} 个线程；已写入 {path}"
            ))
        );
        return Ok(());
    }
    let estimates = Estimates::new(&part);
    write_report(&estimates, &args.out, super::lang(), subject.plan.as_ref())?;
    let (count, rate) = (range.count, range.count as f64 / seconds.max(1e-9));
    println!(
        "{}",
        super::words(heatplan::both!(
            "{count} samples in {seconds:.1} s on {threads} threads ({rate:.1} samples/s)",
            "{count} 个样本，用时 {seconds:.1} 秒，{threads} 个线程（每秒 {rate:.1} 个样本）"
        ))
    );
    Ok(())
}

/// Writes the risk report into `out`; with the plan.json studied, also
/// that plan's report.html with the risk section at its end.
fn write_report(
    e: &Estimates,
    out: &Path,
    lang: report::Lang,
    plan: Option<&heatplan::plan::cpm::NetworkPlan>,
) -> Result<(), CliError> {
    let mut files = OutputSet::new(out);
    for (name, content) in report::risk::risk_files(e, lang) {
        files.add(&name, content);
    }
    if let Some(np) = plan {
        files.add("report.html", report::risk::report_with_risk(np, e, lang));
    }
    let written = files.commit().context(super::words(heatplan::both!(
        "writing the risk report",
        "写入风险报告"
    )))?;
    print!("{}", report::risk::risk_summary(e, lang));
    println!("\n{}", super::wrote(written.len(), out));
    Ok(())
}

/// Plans a scenario with the heuristic, then studies that plan.
fn from_scenario(file: &Path, args: &RunArgs) -> Result<Subject, CliError> {
    let project = load(file)?;
    let stop = interrupt_flag();
    let portfolio = Portfolio {
        heuristic_only: true,
        ..Portfolio::default()
    };
    let budget = Budget::new(Duration::from_secs_f64(args.time_limit))
        .with_stop(stop)
        .with_seed(1)
        .with_threads(args.threads.unwrap_or(2).max(1) as u32)
        .with_max_candidates(args.max_candidates);
    let spinner = super::progress::SolveProgress::start(heatplan::both!("planning", "编制计划中"));
    let result = portfolio.run(&project.model.problem, &budget, &mut |p| spinner.update(p));
    spinner.finish();
    let Some(schedule) = result.schedule else {
        let status = solver_words(&result.status.to_string());
        let stop = solver_words(&result.stop.to_string());
        let (status_en, status_zh, stop_en, stop_zh) = (status.en, status.zh, stop.en, stop.zh);
        return Err(CliError::NoPlan(Some(super::words(heatplan::both!(
            "no plan was found to simulate ({status_en}: {stop_en})\n  help: run `heatplan plan` on the scenario to see why, then `heatplan risk --plan OUT/plan.json`",
            "没有找到可模拟的计划（{status_zh}：{stop_zh}）\n  提示：请对该情景运行 `heatplan plan` 查看原因，再运行 `heatplan risk --plan 输出/plan.json`"
        )))));
    };
    let p = &project.model.problem;
    let ends = (0..p.activities.len())
        .map(|a| {
            let s = schedule.starts[a];
            p.end(a, schedule.modes[a], s).unwrap_or(s)
        })
        .collect();
    Ok(Subject {
        project,
        schedule,
        ends,
        data_day: 0,
        plan: None,
    })
}

/// Rebuilds the project a plan.json was made from; a re-plan's work
/// before its data date keeps its dates.
fn from_plan(path: &Path) -> Result<Subject, CliError> {
    let (plan, source) = super::read_revision(path)?;
    let embedded = plan.scenario.clone().expect("read_revision checked it");
    let bad = |what: Both, help: Both| {
        let (file, what, help) = (path.display(), what.get(lang()), help.get(lang()));
        CliError::BadInput(super::words(heatplan::both!(
            "{file}: error: {what}\n  help: {help}",
            "{file}：错误：{what}\n  提示：{help}"
        )))
    };
    let rerun = || {
        heatplan::both!(
            "re-run `heatplan plan` (or `heatplan replan`) with this heatplan",
            "请用本版 heatplan 重新运行 `heatplan plan`（或 `heatplan replan`）"
        )
    };
    let data_date = plan.revision.as_ref().and_then(|r| r.data_date);
    let mut file = scenario::load_file(&source).map_err(|d| super::bad_input(&d))?;
    let mut problems = Vec::new();
    for (name, text) in &embedded.events {
        let src = Source {
            file: name.clone(),
            text: text.clone(),
        };
        let date = data_date.unwrap_or(plan.plan.window_start);
        if let Err(d) = events::apply(&src, &mut file, &plan, date) {
            problems.extend(d.0);
        }
    }
    if !problems.is_empty() {
        return Err(super::bad_input(&scenario::Diagnostics(problems)));
    }
    let mut project = scenario::check_edited(&file, &source)
        .map(Project::from_programme)
        .map_err(|d| super::bad_input(&d))?;
    project.source = Some(source);
    let p = &project.model.problem;
    let acts = &plan.plan.activities;
    if acts.len() != p.activities.len()
        || acts
            .iter()
            .zip(&project.work.items)
            .any(|(a, it)| a.id != it.id)
    {
        return Err(bad(
            heatplan::both!(
                "the plan's activities differ from its embedded scenario's",
                "计划中的工作与其内嵌情景的工作不一致"
            ),
            rerun(),
        ));
    }
    let mut modes = Vec::with_capacity(acts.len());
    for (a, pa) in acts.iter().enumerate() {
        let m = p.activities[a]
            .modes
            .iter()
            .position(|m| m.label == pa.contractor)
            .ok_or_else(|| {
                let (id, who) = (&pa.id, &pa.contractor);
                bad(
                    heatplan::both!(
                        "activity {id} is planned for contractor \"{who}\", who may not do it in the embedded scenario",
                        "工作 {id} 计划由施工单位“{who}”完成，但内嵌情景不允许它做这项工作"
                    ),
                    rerun(),
                )
            })?;
        modes.push(m);
    }
    let data_day = match data_date {
        Some(d) => project.calendar.day_of(d).unwrap_or(0),
        None => 0,
    };
    Ok(Subject {
        schedule: Schedule {
            starts: acts.iter().map(|a| a.start_day).collect(),
            modes,
        },
        ends: acts.iter().map(|a| a.end_day).collect(),
        data_day,
        project,
        plan: Some(plan),
    })
}

/// `heatplan risk merge`.
fn merge(args: &MergeArgs) -> Result<(), CliError> {
    let mut parts = Vec::new();
    let mut problems = Vec::new();
    for path in &args.parts {
        let text = read_text(path)?.text;
        match serde_json::from_str::<Part>(&text) {
            Ok(p) if p.format == risk::PART_FORMAT => parts.push(p),
            Ok(p) => {
                let (file, found, wanted) = (path.display(), p.format, risk::PART_FORMAT);
                problems.push(super::words(heatplan::both!(
                    "{file}: error: part format {found} is not {wanted}\n  help: run every shard with the same heatplan",
                    "{file}：错误：分片格式 {found} 不是 {wanted}\n  提示：请用同一版 heatplan 运行所有分片"
                )))
            }
            Err(e) => {
                let file = path.display();
                problems.push(super::words(heatplan::both!(
                    "{file}: error: not a risk part file ({e})\n  help: give the risk-part-K-of-N.json files that `heatplan risk --shard K/N` wrote",
                    "{file}：错误：不是风险分片文件（{e}）\n  提示：请给出 `heatplan risk --shard K/N` 写出的 risk-part-K-of-N.json 文件"
                )))
            }
        }
    }
    if !problems.is_empty() {
        return Err(CliError::BadInput(problems.join("\n")));
    }
    let merged = Part::merge(parts).map_err(|e| {
        CliError::BadInput(super::words(heatplan::both!(
            "error: {e}\n  help: merge the parts of one study: the same scenario or plan, --seed and --samples, each shard once",
            "错误：{e}\n  提示：请合并同一次研究的分片：同一情景或计划、相同的 --seed 和 --samples，每个分片一次"
        )))
    })?;
    if merged.missing() > 0 {
        let (missing, all, there) = (merged.missing(), merged.meta.samples, merged.tally.samples);
        eprintln!(
            "{}",
            super::words(heatplan::both!(
                "warning: {missing} of the study's {all} samples are in no part given (a shard is missing); the estimates use the {there} there are",
                "警告：本次研究的 {all} 个样本中有 {missing} 个不在所给分片中（缺少分片）；估计只用现有的 {there} 个"
            ))
        );
    }
    write_report(&Estimates::new(&merged), &args.out, super::lang(), None)
}

/// Arguments of `heatplan bench risk`.
#[derive(Debug, Args)]
pub struct BenchRiskArgs {
    /// Scenario file (TOML) with a [risk] section.
    #[arg(default_value = "scenarios/city.toml")]
    file: PathBuf,
    /// Number of sampled futures.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    samples: u64,
    /// Random seed of the futures.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,
    /// Candidate schedules the planning heuristic may try (the plan is made
    /// first and not timed).
    #[arg(long, default_value_t = 2000)]
    max_candidates: usize,
}

/// `heatplan bench risk`: plans the scenario with the heuristic (bounded by
/// candidates, not timed), then times the simulation alone.
pub fn bench(args: &BenchRiskArgs) -> Result<(), CliError> {
    let run = RunArgs {
        file: Some(args.file.clone()),
        plan: None,
        samples: args.samples,
        seed: args.seed,
        policy: Policy::Fixed,
        threads: args.threads,
        shard: None,
        out: PathBuf::new(),
        time_limit: 3600.0,
        max_candidates: Some(args.max_candidates),
    };
    let subject = from_scenario(&args.file, &run)?;
    let threads = args.threads.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    });
    let started = Instant::now();
    let study = Study::new(
        &subject.project,
        &subject.schedule,
        Some(&subject.ends),
        args.seed,
        subject.data_day,
    );
    let part = risk::simulate(&study, Range::all(args.samples), threads, &|_| {});
    let seconds = started.elapsed().as_secs_f64();
    let e = Estimates::new(&part);
    let (file, acts, samples) = (
        args.file.display(),
        subject.project.work.items.len(),
        args.samples,
    );
    let rate = args.samples as f64 / seconds.max(1e-9);
    let (p, se) = (e.city.p, e.city.se);
    let (hh, total, hse) = (e.households_expected, e.households_total, e.households_se);
    let worst = e.stations.iter().map(|s| s.on_time.se).fold(0.0, f64::max);
    for line in [
        heatplan::both!(
            "{file}: {acts} activities, {samples} samples (fixed policy) in {seconds:.2} s on {threads} threads: {rate:.0} samples/s",
            "{file}：{acts} 项工作，{samples} 个样本（固定策略），用时 {seconds:.2} 秒，{threads} 个线程：每秒 {rate:.0} 个样本"
        ),
        heatplan::both!(
            "  P(every station heat-ready by the deadline) = {p:.4} (standard error {se:.4})",
            "  P（所有换热站在期限前具备供热条件）= {p:.4}（标准误差 {se:.4}）"
        ),
        heatplan::both!(
            "  expected households heat-ready = {hh:.0} of {total} (standard error {hse:.1})",
            "  期望具备供热条件户数 = {total} 户中 {hh:.0} 户（标准误差 {hse:.1}）"
        ),
        heatplan::both!(
            "  largest standard error of a station's probability = {worst:.4}",
            "  单个换热站概率的最大标准误差 = {worst:.4}"
        ),
    ] {
        println!("{}", super::words(line));
    }
    Ok(())
}
