//! `heatplan bench psplib DIR`: the solver on PSPLIB instances.

use super::output::OutputSet;
use super::{interrupt_flag, CliError, SolverArgs};
use anyhow::Context;
use clap::{Args, Subcommand};
use heatplan::schedule::bench::{self, BenchInstance};
use heatplan::schedule::psplib;
use std::path::{Path, PathBuf};

/// Benchmark sets.
#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// PSPLIB single-mode RCPSP instances (`.sm` files).
    Psplib(PsplibArgs),
    /// Schedule-risk simulation speed: samples per second of a scenario's plan
    /// under the fixed policy, and the standard errors reached.
    Risk(super::risk::BenchRiskArgs),
}

/// Arguments of `heatplan bench psplib`.
#[derive(Debug, Args)]
pub struct PsplibArgs {
    /// Folder with `.sm` files (searched recursively; the sub-folder names the set).
    dir: PathBuf,
    /// Best-known bounds (`instance,lb,ub,optimal`); default: known.csv in DIR or its parent.
    #[arg(long)]
    known: Option<PathBuf>,
    /// Write one CSV row per instance: instance,makespan,lower_bound,optimal,seconds.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    solver: SolverArgs,
}

/// Runs the command.
pub fn run(cmd: &BenchCommand) -> Result<(), CliError> {
    let args = match cmd {
        BenchCommand::Psplib(args) => args,
        BenchCommand::Risk(args) => return super::risk::bench(args),
    };
    let mut files = Vec::new();
    collect_sm(&args.dir, &mut files).with_context(|| format!("reading {}", args.dir.display()))?;
    files.sort();
    if files.is_empty() {
        return Err(CliError::BadInput(format!(
            "error: no .sm files under {}",
            args.dir.display()
        )));
    }
    let known_path = args.known.clone().or_else(|| {
        [args.dir.join("known.csv"), args.dir.join("../known.csv")]
            .into_iter()
            .find(|p| p.exists())
    });
    let known = match &known_path {
        Some(p) => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            psplib::load_known(&text)
                .map_err(|e| CliError::BadInput(format!("error: {}: {e}", p.display())))?
        }
        None => Default::default(),
    };
    let mut instances = Vec::new();
    let mut bad = Vec::new();
    for f in &files {
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let set = f
            .parent()
            .and_then(|d| d.file_name())
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        let text =
            std::fs::read_to_string(f).with_context(|| format!("reading {}", f.display()))?;
        match psplib::parse(&name, &text) {
            Ok(problem) => instances.push(BenchInstance {
                known: known.get(&name).copied(),
                name,
                set,
                problem,
            }),
            Err(e) => bad.push(format!("{}: {e}", f.display())),
        }
    }
    if !bad.is_empty() {
        return Err(CliError::BadInput(format!(
            "error: {} instance file(s) could not be read:\n{}",
            bad.len(),
            bad.join("\n")
        )));
    }
    let stop = interrupt_flag();
    let portfolio = args.solver.portfolio();
    let total = instances.len();
    let mut done = 0;
    let (rows, summaries) = bench::run(&instances, |inst| {
        let r = portfolio.run(&inst.problem, &args.solver.budget(&stop), &mut |_| {});
        done += 1;
        let ms = r.score.map_or("–".into(), |s| s.makespan.to_string());
        let ub = inst.known.map_or("?".into(), |k| k.ub.to_string());
        eprintln!(
            "[{done}/{total}] {:<10} makespan {ms:>4} (best known {ub:>4}) {}",
            inst.name, r.status
        );
        r
    });
    let contradictions: Vec<&str> = rows
        .iter()
        .filter(|r| r.contradicts_known())
        .map(|r| r.instance.as_str())
        .collect();
    println!(
        "{:<6} {:>9} {:>8} {:>10} {:>10} {:>8}",
        "set", "instances", "optimal", "mean gap", "median s", "max s"
    );
    for s in &summaries {
        let gap = s
            .mean_gap_to_ub
            .map_or("–".into(), |g| format!("{:.2} %", 100.0 * g));
        println!(
            "{:<6} {:>9} {:>8} {:>10} {:>10.2} {:>8.2}",
            s.set, s.instances, s.proven_optimal, gap, s.median_seconds, s.max_seconds
        );
    }
    if let Some(out) = &args.out {
        let mut csv = Vec::new();
        bench::write_csv(&rows, &mut csv)?;
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .context("--out needs a file name")?
            .to_string_lossy()
            .to_string();
        let mut set = OutputSet::new(dir);
        set.add(&name, csv);
        set.commit()?;
    }
    if !contradictions.is_empty() {
        return Err(CliError::Bug(format!(
            "results contradict the known bounds on {}",
            contradictions.join(", ")
        )));
    }
    Ok(())
}

fn collect_sm(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_sm(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "sm") {
            out.push(path);
        }
    }
    Ok(())
}
