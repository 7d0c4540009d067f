//! Command-line interface: argument parsing and the commands.

mod bench;
mod compare;
mod error;
mod output;
mod plan;
mod progress;
mod replan;
mod risk;
mod status;

pub use error::CliError;

use clap::{Args, Parser, Subcommand, ValueEnum};
use heatplan::lang::{self, Both, Lang};
use heatplan::report;
use heatplan::scenario::{Diagnostics, Source};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::Project;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// heatplan schedules the construction of district-heating networks.
#[derive(Debug, Parser)]
#[command(name = "heatplan", version, about, long_about = None)]
pub struct Cli {
    /// Language of every message, the terminal summary and the reports: zh or en
    /// [default: the HEATPLAN_LANG environment variable, else en].
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

/// The environment variable that gives the language when `--lang` does not.
pub const LANG_VARIABLE: &str = "HEATPLAN_LANG";

/// The language of this run, set once by [`run`].
static LANG: OnceLock<Lang> = OnceLock::new();

/// The language of this run: `--lang`, else `HEATPLAN_LANG`, else English.
/// Every command (and any new one) takes its language from here; print
/// texts of the library with `text.get(lang())` or [`words`].
pub(crate) fn lang() -> Lang {
    LANG.get().copied().unwrap_or(Lang::En)
}

/// A text in the language of this run.
pub(crate) fn words(text: Both) -> String {
    match lang() {
        Lang::En => text.en,
        Lang::Zh => text.zh,
    }
}

/// The language asked for on the command line or in the environment, for
/// the texts made while the arguments are still being parsed (the value
/// parsers' refusals), before [`run`] has settled [`lang`]: the value of
/// the last `--lang` given, else `HEATPLAN_LANG`, else English; a value
/// that names no language counts as none (it is refused on its own).
fn early_lang() -> Lang {
    if let Some(l) = LANG.get() {
        return *l;
    }
    let args: Vec<String> = std::env::args().collect();
    let mut asked = None;
    for (i, a) in args.iter().enumerate() {
        let value = match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(l) = value.and_then(Lang::parse) {
            asked = Some(l);
        }
    }
    asked
        .or_else(|| {
            std::env::var(LANG_VARIABLE)
                .ok()
                .and_then(|v| Lang::parse(&v))
        })
        .unwrap_or(Lang::En)
}

/// A text in the language asked for, while the arguments are being parsed
/// (see [`early_lang`]).
pub(crate) fn early_words(text: Both) -> String {
    text.get(early_lang()).to_string()
}

/// The last line of a command that wrote its files: how many, and where,
/// in the language of this run.
pub(crate) fn wrote(n: usize, dir: &Path) -> String {
    let dir = dir.display();
    words(heatplan::both!(
        "wrote {n} files into {dir}",
        "已写入 {n} 个文件到 {dir}"
    ))
}

/// Problems of an input file as the error of a command, in the language of
/// this run.
pub(crate) fn bad_input(problems: &Diagnostics) -> CliError {
    CliError::BadInput(problems.render(lang()))
}

/// The language asked for: the `--lang` option, else the environment
/// variable (refused when it names no language), else English (the
/// language of the docs and of existing scripts that read the output).
fn choose_lang(option: Option<Lang>) -> Result<Lang, CliError> {
    if let Some(l) = option {
        return Ok(l);
    }
    match std::env::var(LANG_VARIABLE) {
        Ok(v) if !v.trim().is_empty() => Lang::parse(&v).ok_or_else(|| {
            let (en, zh) = lang::ACCEPTED;
            CliError::BadInput(format!(
                "error: {LANG_VARIABLE}={v} is not a language (use {en})\n\
                 错误：{LANG_VARIABLE}={v} 不是可用的语言（请用 {zh}）"
            ))
        }),
        _ => Ok(Lang::En),
    }
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
    Plan(plan::PlanArgs),
    /// Compare contractor capacity: solve variants of a scenario (a --vary
    /// grid or a variants file) side by side; write compare.csv and compare.html.
    Compare(compare::CompareArgs),
    /// Re-plan after delays: a filled-in progress ledger (and events) on a
    /// data date give a new plan that moves as little as possible, with a
    /// variance report; the baseline is never overwritten.
    Replan(replan::ReplanArgs),
    /// Schedule risk: the chance every station is heat-ready by the deadline,
    /// by Monte Carlo simulation of a plan under the scenario's [risk] model;
    /// writes risk.csv, risk.json, risk.html and SVG charts.
    Risk(risk::RiskArgs),
    /// The progress bulletin at a data date, without re-planning: a filled-in
    /// ledger against plan.json gives bulletin.html and bulletin.csv (ranked
    /// districts and contractors, earned schedule, S-curves, front line).
    Status(status::StatusArgs),
    /// Run the solver on benchmark instances and report gaps and times.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

/// How the heat-ready deadline is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeadlineMode {
    /// Late stations are allowed and weighed by their households.
    Soft,
    /// Every station must be heat-ready by the deadline; otherwise say why not.
    Hard,
}

/// Solver options shared by the commands that solve.
#[derive(Debug, Clone, Args)]
pub struct SolverArgs {
    /// Seconds to spend optimising (Ctrl-C stops early and keeps the best plan).
    #[arg(long, default_value_t = 30.0, value_parser = parse_seconds)]
    time_limit: f64,
    /// Stop once the plan is proven within this relative gap of the bound.
    #[arg(long, default_value_t = 0.01, value_parser = parse_gap)]
    gap: f64,
    /// Threads for the HiGHS solver; `plan` and `bench` also run as many independent heuristic
    /// searches side by side.
    #[arg(long, default_value_t = 2)]
    threads: u32,
    /// Random seed (same seed, same plan when no time limit binds).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Use the constructive heuristic only (fast first plan, no HiGHS).
    #[arg(long)]
    heuristic_only: bool,
    /// At most N candidate schedules per heuristic run, so that the plan does not depend on the
    /// machine's speed (for reproducible tests; hidden from --help).
    #[arg(long, hide = true, value_name = "N")]
    max_candidates: Option<usize>,
}

impl SolverArgs {
    /// The portfolio these options ask for.
    fn portfolio(&self) -> Portfolio {
        Portfolio {
            gap: self.gap,
            heuristic_only: self.heuristic_only,
            ..Portfolio::default()
        }
    }

    /// The budget of one solve, starting now, with a stop flag for Ctrl-C.
    fn budget(&self, stop: &Arc<AtomicBool>) -> Budget {
        Budget::new(Duration::from_secs_f64(self.time_limit))
            .with_stop(stop.clone())
            .with_seed(self.seed)
            .with_threads(self.threads)
            .with_max_candidates(self.max_candidates)
    }
}

/// Runs a command and returns the process exit code, printing on stderr
/// why it did not succeed.
pub fn run(cli: Cli) -> i32 {
    let chosen = match choose_lang(cli.lang) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return e.exit_code();
        }
    };
    let _ = LANG.set(chosen);
    let result = match cli.command {
        Command::Check { file } => check(&file),
        Command::Plan(args) => plan::run(&args),
        Command::Replan(args) => replan::run(&args),
        Command::Status(args) => status::run(&args),
        Command::Bench(cmd) => bench::run(&cmd),
        Command::Compare(args) => compare::run(&args),
        Command::Risk(args) => risk::run(&args),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            if let Some(m) = e.message() {
                eprintln!("{m}");
            }
            e.exit_code()
        }
    }
}

/// A stop flag raised by Ctrl-C: the solver stops and the best plan is kept.
fn interrupt_flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            if output::RENAMING.load(Ordering::SeqCst) {
                // Renaming takes milliseconds; leaving now would mix old and
                // new files in the output folder.
                eprintln!(
                    "\n{}",
                    words(Both {
                        en: "finishing moving the plan's files into place".into(),
                        zh: "正在把计划文件移到位，请稍候".into(),
                    })
                );
                return;
            }
            // A second Ctrl-C: leave at once (files already in place are
            // complete; unfinished temporaries are hidden and removed by the
            // next run).
            std::process::exit(CliError::Aborted.exit_code());
        }
        eprintln!(
            "\n{}",
            words(Both {
                en: "interrupted: stopping with the best plan so far (Ctrl-C again to abort)"
                    .into(),
                zh: "已中断：以目前最好的计划结束（再按 Ctrl-C 立即退出）".into(),
            })
        );
    });
    stop
}

/// Reads a text file the user wrote (scenario, variants, events, progress
/// ledger): UTF-8 with or without a byte order mark, or GBK/GB18030. The
/// error says the file could not be read, or where its bytes stop being
/// text and how to fix it.
pub(crate) fn read_text(path: &Path) -> Result<Source, CliError> {
    let bytes = std::fs::read(path).map_err(|e| CliError::cannot_read(path, &e))?;
    Source::from_bytes(path.display().to_string(), &bytes)
        .map_err(|d| CliError::BadInput(d.render(lang())))
}

/// Reads and validates a scenario; every problem found is the error.
fn load(file: &Path) -> Result<Project, CliError> {
    let source = read_text(file)?;
    Project::load(&source).map_err(|d| bad_input(&d))
}

fn check(file: &Path) -> Result<(), CliError> {
    let project = load(file)?;
    print!("{}", project.inventory().render(lang()));
    // Time nodes that even unlimited crews cannot reach by their due date.
    for r in heatplan::plan::explain::unreachable_nodes(&project) {
        let w = heatplan::both!("warning: ", "警告：");
        eprintln!("{}{}", w.get(lang()), r.text().get(lang()));
    }
    Ok(())
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(early_words(heatplan::both!(
            "`{s}` is not a number of seconds (e.g. 30 or 2.5)",
            "`{s}` 不是秒数（例如 30 或 2.5）"
        ))),
    }
}

fn parse_gap(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(early_words(heatplan::both!(
            "`{s}` is not a relative gap between 0 and 1 (e.g. 0.01 for 1 %)",
            "`{s}` 不是 0 到 1 之间的相对差距（例如 0.01 表示 1 %）"
        ))),
    }
}

/// A date such as 2022-07-15 (`--data-date`).
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        early_words(heatplan::both!(
            "`{s}` is not a date like 2022-07-15",
            "`{s}` 不是形如 2022-07-15 的日期"
        ))
    })
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| {
        let (en, zh) = lang::ACCEPTED;
        format!("unknown language `{s}` (use {en}) / 未知的语言 `{s}`（请用 {zh}）")
    })
}

fn parse_detail(s: &str) -> Result<report::Detail, String> {
    report::Detail::parse(s).ok_or_else(|| {
        early_words(heatplan::both!(
            "unknown detail `{s}` (use elements, districts or activities)",
            "未知的详细程度 `{s}`（请用 elements、districts 或 activities）"
        ))
    })
}

/// Prints warnings about an input file (e.g. ledger rows accepted under a
/// policy) on stderr, in the language of this run.
fn print_warnings(warnings: &[heatplan::scenario::Diagnostic]) {
    let (error, warning) = match lang() {
        Lang::En => ("error: ", "warning: "),
        Lang::Zh => ("错误：", "警告："),
    };
    for w in warnings {
        eprint!("{}", w.render(lang()).replacen(error, warning, 1));
    }
}

/// Reads a plan.json (a plan or a re-plan) and the scenario text it
/// embeds, named after the file it came from; the error says how to get a
/// plan.json this heatplan can read.
fn read_revision(path: &Path) -> Result<(heatplan::plan::cpm::NetworkPlan, Source), CliError> {
    let bad = |what: Both| {
        let (file, what) = (path.display(), what.get(lang()));
        CliError::BadInput(words(heatplan::both!(
            "{file}: error: {what}\n  help: re-run `heatplan plan` on the scenario with this heatplan \
             to get a plan.json it can read",
            "{file}：错误：{what}\n  提示：请用本版 heatplan 对情景重新运行 `heatplan plan`，\
             得到它能读的 plan.json"
        )))
    };
    let plan =
        report::read_plan_json(&read_text(path)?.text).map_err(|e| bad(plan_read_words(&e)))?;
    let Some(embedded) = &plan.scenario else {
        return Err(bad(heatplan::both!(
            "the plan does not embed its scenario",
            "该计划没有内嵌其情景"
        )));
    };
    let source = Source {
        file: {
            let (inner, outer) = (&embedded.file, path.display());
            words(heatplan::both!(
                "{inner} (embedded in {outer})",
                "{inner}（内嵌于 {outer}）"
            ))
        },
        text: embedded.text.clone(),
    };
    Ok((plan, source))
}

/// Why a plan.json could not be read, in both languages.
fn plan_read_words(e: &report::PlanReadError) -> Both {
    match e {
        report::PlanReadError::Json(j) => heatplan::both!(
            "not a heatplan plan.json ({j})",
            "不是 heatplan 的 plan.json（{j}）"
        ),
        report::PlanReadError::Version { found, expected } => heatplan::both!(
            "plan.json has schema version {found}, but this heatplan reads version {expected}",
            "plan.json 的格式版本是 {found}，但本版 heatplan 读取版本 {expected}"
        ),
    }
}
