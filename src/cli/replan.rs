//! `heatplan replan`: progress and events on a data date → a new plan that
//! moves as little as possible, with a variance report.

use super::output::OutputSet;
use super::progress::SolveProgress;
use super::{interrupt_flag, parse_detail, CliError, SolverArgs};
use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use heatplan::plan::cpm::EmbeddedScenario;
use heatplan::plan::Quality;
use heatplan::replan::future::Future;
use heatplan::replan::{self, events, ledger, Stability};
use heatplan::report;
use heatplan::report::solver_words::solver_words;
use heatplan::scenario::encoding::{decode_as, Encoding};
use heatplan::scenario::{self, Source};
use heatplan::schedule::outcome::gap;
use heatplan::Project;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Arguments of `heatplan replan`.
#[derive(Debug, Args)]
pub struct ReplanArgs {
    /// The baseline's plan.json (its folder is never written to).
    #[arg(long)]
    plan: PathBuf,
    /// The filled-in progress ledger (the baseline's ledger.csv).
    #[arg(long)]
    progress: PathBuf,
    /// First day of the re-plan; actual dates in the ledger are before it.
    #[arg(long, value_parser = super::parse_date)]
    data_date: NaiveDate,
    /// Events since the baseline (stop-work days, crews, not-before dates,
    /// segment lengths); see docs/replan.md.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Output folder for the new plan (must differ from the baseline's).
    #[arg(short, long)]
    out: PathBuf,
    #[command(flatten)]
    solver: SolverArgs,
    /// Objective cost of starting an activity one day away from its baseline start.
    #[arg(long, default_value_t = replan::DEFAULT_SHIFT_WEIGHT)]
    shift_weight: u64,
    /// Objective cost of giving an activity to another contractor.
    #[arg(long, default_value_t = replan::DEFAULT_CREW_CHANGE_WEIGHT)]
    crew_change_weight: u64,
    /// Network diagram detail: elements, districts or activities.
    #[arg(long, default_value = "elements", value_parser = parse_detail)]
    network_detail: report::Detail,
    /// Encoding of the ledger: utf-8 or gbk (GB18030); by default UTF-8
    /// (with or without a byte-order mark) is tried first, then GB18030.
    #[arg(long, value_parser = parse_encoding)]
    encoding: Option<Encoding>,
    /// Plan the remaining work at each contractor's pace measured on its
    /// actuals instead of the scenario's productivities (see docs/replan.md).
    #[arg(long)]
    measured_pace: bool,
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    Encoding::parse(s).ok_or_else(|| {
        super::early_words(heatplan::both!(
            "unknown encoding `{s}` (use utf-8 or gbk)",
            "未知的编码 `{s}`（请用 utf-8 或 gbk）"
        ))
    })
}

/// Reads the ledger in the encoding asked for, or detected.
fn read_ledger(path: &Path, encoding: Option<Encoding>) -> Result<String, CliError> {
    let Some(encoding) = encoding else {
        return read(path);
    };
    let bytes = std::fs::read(path).map_err(|e| CliError::cannot_read(path, &e))?;
    decode_as(&bytes, encoding).map_err(|e| {
        let mut d = e.diagnostic(&path.display().to_string());
        d.message = heatplan::both!(
            "the bytes here are not {encoding:?} text (--encoding)",
            "此处的字节不是 {encoding:?} 编码的文本（--encoding）"
        );
        d.help = heatplan::both!(
            "give the encoding the file was saved in (--encoding utf-8 or --encoding gbk), or \
             leave --encoding out to detect it",
            "请给出文件保存时的编码（--encoding utf-8 或 --encoding gbk），或去掉 --encoding 自动识别"
        );
        CliError::BadInput(d.render(super::lang()))
    })
}

fn read(path: &Path) -> Result<String, CliError> {
    super::read_text(path).map(|s| s.text)
}

/// The absolute, resolved form of a folder that may not exist yet.
fn resolved(dir: &Path) -> PathBuf {
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    abs.canonicalize().unwrap_or(abs)
}

/// At most this long for the least number of stations late (a bound per
/// station; what is proven by then counts).
const STATIONS_BOUND_TIME: std::time::Duration = std::time::Duration::from_millis(700);

/// Runs the command.
pub fn run(args: &ReplanArgs) -> Result<(), CliError> {
    let began = Instant::now();
    let plan_dir = args.plan.parent().unwrap_or(Path::new("."));
    if resolved(plan_dir) == resolved(&args.out) {
        let out = args.out.display();
        let other = Path::new(plan_dir)
            .join("..")
            .join(format!("replan-{}", args.data_date));
        let other = other.display();
        return Err(CliError::BadInput(super::words(heatplan::both!(
            "error: the output folder {out} is the baseline's folder\n  help: the baseline is never overwritten; give another folder with -o, e.g. -o {other}",
            "错误：输出文件夹 {out} 就是基线所在的文件夹\n  提示：基线从不被覆盖；请用 -o 给出另一个文件夹，例如 -o {other}"
        ))));
    }
    let (baseline, source) = super::read_revision(&args.plan)?;
    let embedded = baseline.scenario.clone().expect("read_revision checked it");
    let mut scenario = scenario::load_file(&source).map_err(|d| super::bad_input(&d))?;
    let mut all_events = embedded.events.clone();
    if let Some(path) = &args.events {
        all_events.push((path.display().to_string(), read(path)?));
    }
    let mut problems = Vec::new();
    let mut not_before = Vec::new();
    let mut crews_away = Vec::new();
    for (file, text) in &all_events {
        let src = Source {
            file: file.clone(),
            text: text.clone(),
        };
        match events::apply_events(&src, &mut scenario, &baseline, args.data_date) {
            Ok(applied) => {
                not_before.extend(applied.not_before);
                crews_away.extend(applied.crews_away);
            }
            Err(d) => problems.extend(d.0),
        }
    }
    let ledger_text = read_ledger(&args.progress, args.encoding)?;
    let ledger = match ledger::read(
        &args.progress.display().to_string(),
        &ledger_text,
        &baseline,
        args.data_date,
    ) {
        Ok(l) => Some(l),
        Err(d) => {
            problems.extend(d.0);
            None
        }
    };
    if !problems.is_empty() {
        return Err(super::bad_input(&heatplan::scenario::Diagnostics(problems)));
    }
    let ledger = ledger.expect("no problems");
    super::print_warnings(&ledger.warnings);
    // The events edited the scenario file: validate it again.
    let mut project = scenario::check_edited(&scenario, &source)
        .map(Project::from_programme)
        .map_err(|d| super::bad_input(&d))?;
    // With --measured-pace, each contractor's pace measured on all actuals
    // re-expands the project.
    let paces = if args.measured_pace {
        replan::pace::estimate(&project, &baseline, &ledger.progress, args.data_date)
    } else {
        Vec::new()
    };
    if !paces.is_empty() {
        let mut programme = project.programme.clone();
        replan::pace::apply(&mut programme, &paces);
        project = Project::from_programme(programme);
    }
    let stability = Stability {
        shift_weight: args.shift_weight,
        change_weight: args.crew_change_weight,
    };
    let states = match replan::build(
        &mut project,
        &baseline,
        &ledger.progress,
        &not_before,
        args.data_date,
        stability,
    ) {
        Ok(s) => s,
        Err(e) => {
            return Err(replan_problems(&e));
        }
    };
    let stop = interrupt_flag();
    let problem = project.model.problem.clone();
    let dd = replan::data_day(&project, args.data_date).map_err(|e| replan_problems(&e))?;
    // The solver sees the work from the data date on, never the past.
    // Crews coming or going after the data date: placeholders hold the
    // crews not there.
    let away = Future::away_days(&project, &crews_away, dd);
    let future = Future::new(&problem, &states, dd).with_crews_away(&away);
    let started = Instant::now();
    let bar = SolveProgress::start(heatplan::both!("re-planning", "重新计划中"));
    let portfolio = replan::portfolio(&future.problem, args.solver.portfolio());
    // The solver gets the limit less what reading took and the outputs' share.
    let budget = args.solver.budget(&stop);
    let whole = budget.limit();
    // After the solve: the stations' bound, then the network analysis, the
    // variance, the reports and the files at `plan`'s allowance an
    // activity. On the city (832 activities, 9 s limit, load about 3)
    // reading took 0.3 s and everything after the solve 0.2–0.5 s, where a
    // fixed fifth of the limit (1.8 s) used to be kept.
    let writing = super::plan::WRITING_PER_ACTIVITY * problem.activities.len() as u32;
    let reserve =
        (STATIONS_BOUND_TIME + writing).min(whole.mul_f64(super::plan::RESERVE_MAX_SHARE));
    let solve = whole
        .saturating_sub(reserve)
        .saturating_sub(began.elapsed())
        .max(whole.mul_f64(0.1));
    let budget = budget.at_most(solve);
    let result = portfolio.run(&future.problem, &budget, &mut |p| bar.update(p));
    bar.finish();
    let Some(sub) = result.schedule else {
        let (status, stop) = (&result.status, &result.stop);
        let status_zh = solver_words(&status.to_string()).zh;
        let stop_zh = solver_words(&stop.to_string()).zh;
        return Err(CliError::NoPlan(Some(super::words(heatplan::both!(
            "no re-plan was found ({status}: {stop})\n  help: check the work in progress and the events; a longer --time-limit may help",
            "没有找到重新计划（{status_zh}：{stop_zh}）\n  提示：请检查在建工作和事件；更长的 --time-limit 可能有用"
        )))));
    };
    let schedule = future.expand(&problem, &sub);
    let score = problem.score(&schedule);
    // The past adds the same to every plan's objective and to its bound.
    let bound = future
        .full_bound(&problem, &sub, result.bound)
        .min(score.value);
    let quality = Quality {
        status: result.status.to_string(),
        objective: score.value,
        bound,
        gap: gap(score.value, bound),
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: result.stop.to_string(),
    };
    // Finished and running work keep the crews of the plan re-planned.
    let keep = replan::kept_crews(&project, &baseline, &states);
    let mut network = project.network_plan_keeping(&schedule, quality, &keep);
    network.embed_replan(
        EmbeddedScenario {
            events: all_events,
            ..embedded
        },
        baseline.revision.as_ref(),
        args.data_date,
    );
    network.record_actuals(ledger.actuals(&baseline, args.data_date));
    network.history = replan::history(&baseline, &network);
    // The lateness level's bound in stations, beside its household-days.
    // It ends when only the files' time is left at the latest, so that a
    // solve slowed by a loaded machine still leaves that time for them.
    let bound_until = (Instant::now() + STATIONS_BOUND_TIME).min(
        began
            .checked_add(whole.saturating_sub(writing))
            .unwrap_or(began),
    );
    let late_bound = future.stations_late_bound(
        &problem,
        network.plan.levels.household_days_bound,
        bound_until,
    );
    if let Some(last) = network.history.last_mut() {
        last.stations_late_bound = Some(late_bound.min(last.stations_late));
    }
    let variance = heatplan::plan::variance::variance(&baseline, &network, args.data_date);
    let mut files = OutputSet::new(&args.out);
    for (name, content) in
        report::replan_files(&network, &variance, args.network_detail, super::lang())
    {
        files.add(&name, content);
    }
    // The baseline's front line at the data date (前锋线), on its Gantt chart.
    let data_day = baseline.day_of(args.data_date);
    let front = heatplan::plan::bulletin::front_line(&baseline, &ledger.progress, data_day);
    files.add(
        "gantt-front.svg",
        report::gantt::gantt_svg_with_front(&baseline, super::lang(), Some((&front, data_day))),
    );
    if !paces.is_empty() {
        files.add("pace.csv", replan::pace::csv(&paces));
    }
    let written = files.commit().context(super::words(heatplan::both!(
        "writing the re-plan",
        "写入重新计划"
    )))?;
    print!("{}", report::summary::plan_summary(&network, super::lang()));
    print!("{}", variance.summary(super::lang()));
    print!("{}", replan::pace::summary(&paces).get(super::lang()));
    print!(
        "{}",
        report::summary::revisions_text(&network.history, super::lang())
    );
    println!("\n{}", super::wrote(written.len(), &args.out));
    match network.plan.late_stations().len() {
        0 => Ok(()),
        late => Err(CliError::DeadlineMissed { late }),
    }
}

/// The problems of a re-plan that cannot be built, one `error:` line each,
/// in the language of this run.
fn replan_problems(e: &replan::ReplanError) -> CliError {
    let error = super::words(heatplan::both!("error: ", "错误："));
    let lines: Vec<String> = e
        .problems
        .iter()
        .map(|p| format!("{error}{}", p.get(super::lang())))
        .collect();
    CliError::BadInput(lines.join("\n"))
}
