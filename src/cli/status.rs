//! `heatplan status`: the progress bulletin at a data date, without
//! re-planning: bulletin.html, bulletin.csv and the drawings with the
//! progress front line.

use super::output::OutputSet;
use super::{read_text, CliError};
use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use heatplan::plan::bulletin::{self, Earlier, Quantities};
use heatplan::plan::cpm::NetworkPlan;
use heatplan::replan::ledger::{self, ActivityProgress};
use heatplan::report;
use heatplan::scenario::Diagnostics;
use heatplan::Project;
use std::path::{Path, PathBuf};

/// Arguments of `heatplan status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The plan's plan.json (a baseline or a re-plan).
    #[arg(long)]
    plan: PathBuf,
    /// The filled-in progress ledger (the plan's ledger.csv).
    #[arg(long)]
    progress: PathBuf,
    /// The data date: actual dates in the ledger are before it.
    #[arg(long, value_parser = super::parse_date)]
    data_date: NaiveDate,
    /// Earlier ledgers, for the trend: FILE or FILE@YYYY-MM-DD (without a
    /// date, the day after the latest actual date in the file).
    #[arg(long, num_args = 1..)]
    previous: Vec<String>,
    /// Output folder (default: status-DATE beside plan.json).
    #[arg(short, long)]
    out: Option<PathBuf>,
}

/// Reads one ledger against the plan; problems are added to `problems`.
fn read_ledger(
    path: &Path,
    np: &NetworkPlan,
    data_date: NaiveDate,
    problems: &mut Vec<heatplan::scenario::Diagnostic>,
) -> Result<Option<Vec<ActivityProgress>>, CliError> {
    let text = read_text(path)?.text;
    match ledger::read(&path.display().to_string(), &text, np, data_date) {
        Ok(ledger) => {
            super::print_warnings(&ledger.warnings);
            Ok(Some(ledger.progress))
        }
        Err(d) => {
            problems.extend(d.0);
            Ok(None)
        }
    }
}

/// The day after the latest actual date of a ledger (its data date when
/// none is given).
fn inferred_date(p: &[ActivityProgress], fallback: NaiveDate) -> NaiveDate {
    p.iter()
        .filter_map(|x| match *x {
            ActivityProgress::NotStarted => None,
            ActivityProgress::InProgress { start, .. } => Some(start),
            ActivityProgress::Finished { finish, .. } => Some(finish),
        })
        .max()
        .map_or(fallback, |d| d.succ_opt().unwrap_or(d))
}

/// Runs the command.
pub fn run(args: &StatusArgs) -> Result<(), CliError> {
    let (np, source) = super::read_revision(&args.plan)?;
    let project = Project::load(&source).map_err(|d| super::bad_input(&d))?;
    let mut problems = Vec::new();
    let current = read_ledger(&args.progress, &np, args.data_date, &mut problems)?;
    let mut earlier = Vec::new();
    for spec in &args.previous {
        let (file, date) = match spec.rsplit_once('@') {
            Some((f, d)) => match super::parse_date(d) {
                Ok(d) => (f, Some(d)),
                Err(e) => {
                    return Err(CliError::BadInput(super::words(heatplan::both!(
                        "error: --previous {spec}: {e}\n  help: write FILE or FILE@YYYY-MM-DD",
                        "错误：--previous {spec}：{e}\n  提示：请写 文件 或 文件@YYYY-MM-DD"
                    ))))
                }
            },
            None => (spec.as_str(), None),
        };
        let limit = date.unwrap_or(args.data_date);
        if let Some(p) = read_ledger(Path::new(file), &np, limit, &mut problems)? {
            let d = date.unwrap_or_else(|| inferred_date(&p, limit));
            earlier.push(Earlier {
                data_date: d,
                progress: p,
            });
        }
    }
    if !problems.is_empty() {
        return Err(super::bad_input(&Diagnostics(problems)));
    }
    let current = current.expect("no problems");
    earlier.sort_by_key(|e| e.data_date);
    let q = Quantities::new(&project, &np);
    let b = bulletin::bulletin(&np, &q, &current, args.data_date, &earlier);
    let out = args.out.clone().unwrap_or_else(|| {
        args.plan
            .parent()
            .unwrap_or(Path::new("."))
            .join(format!("status-{}", args.data_date))
    });
    let mut files = OutputSet::new(&out);
    for (name, content) in report::status_files(&np, &b, super::lang()) {
        files.add(&name, content);
    }
    let written = files.commit().context(super::words(heatplan::both!(
        "writing the bulletin",
        "写入进度简报"
    )))?;
    print!("{}", report::bulletin::bulletin_text(&b, super::lang()));
    println!("\n{}", super::wrote(written.len(), &out));
    Ok(())
}
