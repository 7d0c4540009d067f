//! `heatplan plan`: optimise a scenario and write the network plan.

use super::output::OutputSet;
use super::progress::SolveProgress;
use super::{interrupt_flag, load, parse_detail, CliError, DeadlineMode, SolverArgs};
use anyhow::Context;
use clap::Args;
use heatplan::model::with_hard_dues;
use heatplan::plan::explain::explain;
use heatplan::plan::Quality;
use heatplan::report;
use heatplan::report::solver_words::solver_words;
use heatplan::schedule::bound::{give_up_at, level_bounds};
use heatplan::schedule::outcome::{gap, Status, StopReason};
use heatplan::schedule::Level;
use heatplan::Project;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    /// Network diagram detail: elements, districts or activities.
    #[arg(long, default_value = "elements", value_parser = parse_detail)]
    network_detail: report::Detail,
}

/// Share of the time limit kept after the solve for the report's per-level
/// bounds (at most [`BOUNDS_RESERVE_MAX`]); they give up when only the
/// writing time is left, with what they have proven, valid but weaker.
const BOUNDS_RESERVE_SHARE: f64 = 0.05;

/// The most time kept for the report's per-level bounds.
const BOUNDS_RESERVE_MAX: Duration = Duration::from_secs(3);

/// Time kept per activity for the network analysis, the reports and writing
/// the files after the solve. Measured on the 4,372-activity
/// scenarios/city300.toml at load 6 on 2 cores: network analysis without
/// the bounds 0.25 s, reports 0.2–0.35 s, writing 0.25–0.3 s, about 0.8 s
/// together, 0.18 ms an activity; kept with a margin.
pub(super) const WRITING_PER_ACTIVITY: Duration = Duration::from_micros(250);

/// At most this share of the limit is kept from the solve for what follows
/// it: on a large programme with a short limit the solve needs the time
/// for its first plan.
pub(super) const RESERVE_MAX_SHARE: f64 = 0.5;

/// Share of the solve a `--deadline hard` run gives the hard search alone
/// first when the full time-indexed model is too large to build (with a
/// model HiGHS can solve, the hard search gets the whole solve: the
/// tutorial is proven optimal in 0.7 s, where a share of it took 2.2 s).
const HARD_FIRST_SHARE: f64 = 0.3;

/// Share of the solve by whose end a hard search that found no plan in its
/// first share has had the soft problem solved instead: a soft plan that
/// keeps every hard date is a plan of the hard mode, and the soft search
/// finds one far sooner (the city: all 64 stations on time within 4 s,
/// where the hard search alone found no plan in 18 s).
const SOFT_UNTIL_SHARE: f64 = 0.5;

/// The `--deadline hard` solve: the hard search alone for
/// [`HARD_FIRST_SHARE`] of `budget` (all of it when the full model can be
/// built); unless that settled the programme
/// (proven optimal or impossible), the hard search again for the rest,
/// started from the plan found — the first search's, or else the soft
/// search's (until [`SOFT_UNTIL_SHARE`]) when it keeps every hard date.
fn solve_hard(
    hard: &heatplan::schedule::Problem,
    soft: &heatplan::schedule::Problem,
    portfolio: &heatplan::schedule::portfolio::Portfolio,
    budget: &heatplan::schedule::budget::Budget,
    progress: &mut dyn FnMut(&heatplan::schedule::outcome::Progress),
) -> heatplan::schedule::outcome::Outcome {
    let too_large = heatplan::schedule::milp::too_large_to_build(hard, hard.horizon);
    let share = if too_large { HARD_FIRST_SHARE } else { 1.0 };
    let first = portfolio.run(hard, &budget.first(share), progress);
    if matches!(first.status, Status::Optimal | Status::Infeasible) || budget.stopped() {
        return first;
    }
    let warm = first.schedule.or_else(|| {
        portfolio
            .run(soft, &budget.first(SOFT_UNTIL_SHARE), progress)
            .schedule
            .filter(|s| heatplan::schedule::check::violations(hard, s).is_empty())
    });
    let rest = budget.share(1.0);
    match warm {
        Some(s) => portfolio
            .clone()
            .with_warm_start(s)
            .run(hard, &rest, progress),
        None => portfolio.run(hard, &rest, progress),
    }
}

/// The most time the check of the hard time nodes' own end bounds takes
/// before the solve (a bound cut short refutes fewer nodes, never a
/// reachable one).
const HARD_NODES_BOUND_TIME: Duration = Duration::from_secs(2);

/// Runs the command.
pub fn run(args: &PlanArgs) -> Result<(), CliError> {
    // The limit counts from here: reading the scenario and the check for a
    // proven-impossible programme are part of the command's time.
    let began = Instant::now();
    let project = load(&args.file)?;
    let stop = interrupt_flag();
    let soft = project.model.problem.clone();
    let mut problem = soft.clone();
    if args.deadline == DeadlineMode::Hard {
        // Only the heat-ready work and the hard time nodes are held to
        // their dates; other work (restoration) may go on after them.
        let held: Vec<usize> = (0..soft.groups.len())
            .filter(|&g| {
                soft.groups[g].level == Level::Households || project.model.hard_nodes.contains(&g)
            })
            .collect();
        problem = with_hard_dues(&soft, &held);
        if let Some(why) = unreachable_hard_nodes(&project) {
            return Err(CliError::NoPlan(Some(why)));
        }
    }
    // A programme proven impossible (a chain too long, or crews short of
    // the work only they may do) is reported at once, without searching.
    let limit = match args.deadline {
        DeadlineMode::Hard => problem.horizon.min(project.model.due),
        DeadlineMode::Soft => problem.horizon,
    };
    let why = explain(&project, limit);
    if why.proves_infeasible() {
        let (what, why) = (limit_name(args.deadline), why.to_string());
        let why = why.trim_end();
        return Err(CliError::NoPlan(Some(super::words(heatplan::both!(
            "no plan can meet {what}; {why}",
            "没有计划能满足{what}；{why}"
        )))));
    }
    let started = Instant::now();
    // One budget for the whole run: the solve (in the hard mode, with the
    // soft search's plan when the hard search finds none), the per-level
    // bounds of the report and writing the files, which on a programme of
    // thousands of activities take seconds: the solve stops early by the
    // bounds' share and the writing time of this size.
    let limit = Duration::from_secs_f64(args.solver.time_limit);
    let budget = args.solver.budget(&stop).until(began + limit);
    let writing = WRITING_PER_ACTIVITY * problem.activities.len() as u32;
    let bounds = limit.mul_f64(BOUNDS_RESERVE_SHARE).min(BOUNDS_RESERVE_MAX);
    let reserve = (bounds + writing).min(limit.mul_f64(RESERVE_MAX_SHARE));
    let solve_budget = budget.until(budget.deadline() - reserve);
    let bar = SolveProgress::start(heatplan::both!("optimising", "优化中"));
    let portfolio = args.solver.portfolio();
    let result = match args.deadline {
        DeadlineMode::Soft => portfolio.run(&problem, &solve_budget, &mut |p| bar.update(p)),
        DeadlineMode::Hard => solve_hard(&problem, &soft, &portfolio, &solve_budget, &mut |p| {
            bar.update(p)
        }),
    };
    bar.finish();
    let Some(schedule) = result.schedule else {
        return Err(CliError::NoPlan(Some(no_plan_message(
            &project,
            args.deadline,
            &result.status,
            &result.stop,
        ))));
    };
    let score = result.score.unwrap_or_else(|| problem.score(&schedule));
    let quality = Quality {
        status: result.status.to_string(),
        objective: score.value,
        bound: result.bound,
        gap: gap(score.value, result.bound),
        seconds: started.elapsed().as_secs_f64(),
        stop_reason: result.stop.to_string(),
    };
    // The bounds give up when only the writing time is left (or, after a
    // solve that overran for its first plan, after their own share).
    let give_up = (budget.deadline() - writing).max(Instant::now() + bounds);
    let mut network = give_up_at(give_up, || project.network_plan(&schedule, quality));
    // The finish bound the solve proved beside the plan's own bounds (the
    // time-indexed LP, issue #22): every plan ends on or after it.
    if result.finish_bound > 0 {
        let proven = project.calendar.date(result.finish_bound - 1);
        let levels = &mut network.plan.levels;
        levels.finish_bound = levels.finish_bound.max(Some(proven));
    }
    if let Some(source) = &project.source {
        // The text read before the solve: the file may have changed since.
        network.embed_baseline(source);
    }
    let mut files = OutputSet::new(&args.out);
    for (name, content) in report::all_files(&network, args.network_detail, super::lang()) {
        files.add(&name, content);
    }
    let written = files.commit().context(super::words(heatplan::both!(
        "writing the plan",
        "写入计划"
    )))?;
    print!("{}", report::summary::plan_summary(&network, super::lang()));
    print!(
        "{}",
        report::summary::why_late_text(&network, super::lang())
    );
    print!(
        "{}",
        report::summary::why_nodes_late_text(&network, super::lang())
    );
    println!("\n{}", super::wrote(written.len(), &args.out));
    match network.plan.late_stations().len() {
        0 => Ok(()),
        late => Err(CliError::DeadlineMissed { late }),
    }
}

/// The hard time nodes no plan can reach by their due date, in words, or
/// `None` when the bound refutes none of them.
fn unreachable_hard_nodes(project: &Project) -> Option<String> {
    let p = &project.model.problem;
    if project.model.hard_nodes.is_empty() {
        return None;
    }
    let bounds = give_up_at(Instant::now() + HARD_NODES_BOUND_TIME, || level_bounds(p)).ok()?;
    let lines: Vec<String> = project
        .model
        .hard_nodes
        .iter()
        .filter_map(|&g| {
            let late = bounds.node_days_late(p, g);
            (late > 0).then(|| {
                let group = &p.groups[g];
                let name = &group.name;
                let due = project.calendar.date(group.due.saturating_sub(1));
                let reached = project.calendar.date(group.due.saturating_sub(1) + late);
                super::words(heatplan::both!(
                    "the hard time node `{name}` is due {due} but no plan reaches it before {reached} ({late} days late even with unlimited time on every other node); move its due date or take `hard` off",
                    "硬性时间节点 `{name}` 要求 {due} 完成，但任何计划都要到 {reached} 才能达到（即使其他节点时间不限也晚 {late} 天）；请推迟其要求日期或去掉 `hard`"
                ))
            })
        })
        .collect();
    (!lines.is_empty()).then(|| {
        let (en, zh) = (lines.join("; "), lines.join("；"));
        super::words(heatplan::both!(
            "no plan can meet its hard dates: {en}",
            "没有计划能满足硬性日期：{zh}"
        ))
    })
}

/// What every activity must end by, in words.
fn limit_name(mode: DeadlineMode) -> String {
    super::words(match mode {
        DeadlineMode::Hard => heatplan::both!(
            "the heat-ready deadline and the hard time nodes",
            "供热期限和硬性时间节点"
        ),
        DeadlineMode::Soft => heatplan::both!(
            "the construction window plus its overrun",
            "施工期及其允许的超期"
        ),
    })
}

/// Why no plan came back, in a manager's words: the chain or the crews that
/// make the limit unreachable (see [`heatplan::plan::explain`]).
fn no_plan_message(
    project: &Project,
    mode: DeadlineMode,
    status: &Status,
    stop: &StopReason,
) -> String {
    let reason = stop.to_string();
    let p = &project.model.problem;
    let limit = match mode {
        DeadlineMode::Hard => p.horizon.min(project.model.due),
        DeadlineMode::Soft => p.horizon,
    };
    let what = limit_name(mode);
    let (status_zh, reason_zh) = (
        solver_words(&status.to_string()).zh,
        solver_words(&reason).zh,
    );
    if mode == DeadlineMode::Hard {
        // Blame only what is held to a date: the windows name the heat-ready
        // step or hard node that cannot be placed; otherwise the time limit.
        return if *status == Status::Infeasible {
            super::words(heatplan::both!(
                "no plan can meet {what}: {reason}",
                "没有计划能满足{what}：{reason_zh}"
            ))
        } else {
            super::words(heatplan::both!(
                "no plan was found for {what} within the time limit ({status}: {reason}), and the soft mode's best plan misses one of them; this is not a proof that none exists: give more time (--time-limit) or plan with --deadline soft to see which stations or nodes are late",
                "在时间限制内没有找到满足{what}的计划（{status_zh}：{reason_zh}），软模式的最好计划也误了其中之一；这并不证明不存在：请给更多时间（--time-limit），或用 --deadline soft 计划，看哪些换热站或节点延误"
            ))
        };
    }
    if *status == Status::Infeasible {
        // Proven by the solver (the windows or the branch and bound).
        return super::words(heatplan::both!(
            "no plan can meet {what} (proven: {reason})",
            "没有计划能满足{what}（已证明：{reason}）"
        ));
    }
    let why = explain(project, limit);
    let mut msg = if why.proves_infeasible() {
        super::words(heatplan::both!(
            "no plan can meet {what}; ",
            "没有计划能满足{what}；"
        ))
    } else if *stop == StopReason::TimeLimit {
        super::words(heatplan::both!(
            "no plan was found for {what} within the time limit, which does not prove that none exists; ",
            "在时间限制内没有找到满足{what}的计划，这并不证明不存在；"
        ))
    } else {
        super::words(heatplan::both!(
            "no plan was found for {what} ({status}: {reason}); ",
            "没有找到满足{what}的计划（{status_zh}：{reason_zh}）；"
        ))
    };
    msg.push_str(why.to_string().trim_end());
    msg
}
