//! `heatplan bench psplib DIR`: the solver on PSPLIB instances.

use super::output::OutputSet;
use super::{interrupt_flag, lang, words, CliError, SolverArgs};
use anyhow::Context;
use clap::{Args, Subcommand};
use heatplan::lang::Lang;
use heatplan::report::solver_words::solver_words;
use heatplan::report::table::table;
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
    collect_sm(&args.dir, &mut files).with_context(|| reading(&args.dir))?;
    files.sort();
    if files.is_empty() {
        let dir = args.dir.display();
        return Err(CliError::BadInput(words(heatplan::both!(
            "error: no .sm files under {dir}",
            "错误：{dir} 下没有 .sm 文件"
        ))));
    }
    let known_path = args.known.clone().or_else(|| {
        [args.dir.join("known.csv"), args.dir.join("../known.csv")]
            .into_iter()
            .find(|p| p.exists())
    });
    let known = match &known_path {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| reading(p))?;
            psplib::load_known(&text).map_err(|e| {
                let file = p.display();
                CliError::BadInput(words(heatplan::both!(
                    "error: {file}: {e}",
                    "错误：{file}：{e}"
                )))
            })?
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
        let text = std::fs::read_to_string(f).with_context(|| reading(f))?;
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
        let (n, list) = (bad.len(), bad.join("\n"));
        return Err(CliError::BadInput(words(heatplan::both!(
            "error: {n} instance file(s) could not be read:\n{list}",
            "错误：{n} 个算例文件无法读取：\n{list}"
        ))));
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
        let (name, status) = (
            &inst.name,
            solver_words(&r.status.to_string()).get(lang()).to_string(),
        );
        eprintln!(
            "{}",
            words(heatplan::both!(
                "[{done}/{total}] {name:<10} makespan {ms:>4} (best known {ub:>4}) {status}",
                "[{done}/{total}] {name:<10} 工期 {ms:>4}（已知最好 {ub:>4}）{status}"
            ))
        );
        r
    });
    let contradictions: Vec<&str> = rows
        .iter()
        .filter(|r| r.contradicts_known())
        .map(|r| r.instance.as_str())
        .collect();
    let header: Vec<String> = [
        ("set", "算例集"),
        ("instances", "算例数"),
        ("optimal", "已证最优"),
        ("mean gap", "平均差距"),
        ("bound = LB", "下界达已知"),
        ("median s", "中位秒数"),
        ("max s", "最长秒数"),
    ]
    .into_iter()
    .map(|(en, zh)| match lang() {
        Lang::En => en.to_string(),
        Lang::Zh => zh.to_string(),
    })
    .collect();
    let lines: Vec<Vec<String>> = summaries
        .iter()
        .map(|s| {
            vec![
                s.set.clone(),
                s.instances.to_string(),
                s.proven_optimal.to_string(),
                s.mean_gap_to_ub
                    .map_or("–".into(), |g| format!("{:.2} %", 100.0 * g)),
                match s.bounds_at_known_lb {
                    (_, 0) => "–".into(),
                    (at, of) => format!("{at}/{of}"),
                },
                format!("{:.2}", s.median_seconds),
                format!("{:.2}", s.max_seconds),
            ]
        })
        .collect();
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    print!("{}", table(&refs, &lines, &[1, 2, 3, 4, 5, 6], 0));
    if let Some(out) = &args.out {
        let mut csv = Vec::new();
        bench::write_csv(&rows, &mut csv)?;
        let dir = out
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = out
            .file_name()
            .context(words(heatplan::both!(
                "--out needs a file name",
                "--out 需要一个文件名"
            )))?
            .to_string_lossy()
            .to_string();
        let mut set = OutputSet::new(dir);
        set.add(&name, csv);
        set.commit()?;
    }
    if !contradictions.is_empty() {
        let list = contradictions.join(", ");
        return Err(CliError::Bug(words(heatplan::both!(
            "results contradict the known bounds on {list}",
            "结果与已知界限矛盾：{list}"
        ))));
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

/// "reading FILE" in the language of this run (the context of an I/O error).
fn reading(path: &Path) -> String {
    let path = path.display();
    words(heatplan::both!("reading {path}", "读取 {path}"))
}
