//! Inputs the fuzzer (fuzz/fuzz_targets/scenario.rs) found crashing,
//! hanging or exhausting memory, minimised and kept under
//! tests/fuzz_regressions/. Each goes through the same path as the fuzz
//! target and `heatplan check`: `Project::load`, then on success the
//! inventory and the time windows. None may panic; an invalid one must be
//! rejected with clear diagnostics.
//!
//! A file's first line may say what it expects:
//!
//! - `# expect: valid` — it loads;
//! - `# expect: error: TEXT` — it is rejected, and some diagnostic's message
//!   contains TEXT;
//! - anything else: it may load or be rejected, but must not panic.
//!
//! Inputs of the `replan` target (fuzz/fuzz_targets/replan.rs) are kept raw
//! under tests/fuzz_regressions/replan/ and replayed through the target's
//! own path (tests/fuzz_input/replan.rs).

use heatplan::scenario::Source;
use heatplan::schedule::window::Windows;
use heatplan::Project;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a regression file expects.
enum Expect {
    Valid,
    Error(String),
    NoPanic,
}

fn expectation(text: &str) -> Expect {
    let first = text.lines().next().unwrap_or("");
    match first.strip_prefix("# expect: ") {
        Some("valid") => Expect::Valid,
        Some(rest) => match rest.strip_prefix("error: ") {
            Some(message) => Expect::Error(message.trim().to_string()),
            None => panic!("unknown expectation `{first}`"),
        },
        None => Expect::NoPanic,
    }
}

fn files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Runs one input through the fuzzed path; returns a failure description.
fn run(path: &Path) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    // Like the fuzz target: input that is not UTF-8 never reaches the parser.
    let Ok(text) = String::from_utf8(bytes) else {
        return Ok(());
    };
    let expect = expectation(&text);
    let source = Source {
        file: path.file_name().unwrap().to_string_lossy().into_owned(),
        text: text.clone(),
    };
    let started = Instant::now();
    let outcome = std::panic::catch_unwind(|| match Project::load(&source) {
        Ok(project) => {
            let inventory = project.inventory();
            let _ = inventory.to_string();
            let _ = Windows::compute(&project.model.problem);
            Ok(())
        }
        Err(diagnostics) => Err(diagnostics),
    })
    .map_err(|_| "panicked".to_string())?;
    if started.elapsed() > Duration::from_secs(10) {
        return Err(format!("took {:?}", started.elapsed()));
    }
    match (expect, outcome) {
        (Expect::Valid, Err(d)) => Err(format!("expected it to load, got:\n{d}")),
        (Expect::Error(m), Ok(())) => Err(format!("expected an error containing `{m}`")),
        (Expect::Error(m), Err(d)) => {
            if !d.0.iter().any(|x| x.message.en.contains(&m)) {
                return Err(format!("expected an error containing `{m}`, got:\n{d}"));
            }
            check_diagnostics(&text, &d)
        }
        (_, Err(d)) => check_diagnostics(&text, &d),
        (_, Ok(())) => Ok(()),
    }
}

/// Every diagnostic has a message and, when it has a place, one inside the
/// file.
fn check_diagnostics(text: &str, d: &heatplan::scenario::Diagnostics) -> Result<(), String> {
    if d.0.is_empty() {
        return Err("rejected without any diagnostic".into());
    }
    let lines = text.lines().count().max(1);
    for x in &d.0 {
        if x.message.en.trim().is_empty() {
            return Err(format!("a diagnostic without a message: {x:?}"));
        }
        if x.location.line > lines + 1 {
            return Err(format!("a diagnostic past the end of the file: {x}"));
        }
    }
    Ok(())
}

#[test]
fn every_fuzz_regression_passes() {
    let files = files();
    assert!(!files.is_empty(), "no regression inputs found");
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| run(f).err().map(|e| format!("{}: {e}", f.display())))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} regression inputs failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

// --- The `replan` target (progress ledgers and events files) -------------

#[path = "fuzz_input/replan.rs"]
mod replan_input;

/// Every file of a directory, sorted.
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Replays `files` through the replan target's path; returns each file's
/// outcome, or the failures.
fn replay(
    base: &replan_input::Baseline,
    files: &[PathBuf],
) -> Result<Vec<replan_input::Outcome>, String> {
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for f in files {
        let bytes = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(|| replan_input::run(base, &bytes));
        let elapsed = started.elapsed();
        match outcome {
            Err(_) => failures.push(format!("{}: panicked", f.display())),
            Ok(Err(e)) => failures.push(format!("{}: {e}", f.display())),
            Ok(Ok(_)) if elapsed > Duration::from_secs(10) => {
                failures.push(format!("{}: took {elapsed:?}", f.display()))
            }
            Ok(Ok(o)) => outcomes.push(o),
        }
    }
    if failures.is_empty() {
        Ok(outcomes)
    } else {
        Err(format!(
            "{} of {} inputs failed:\n{}",
            failures.len(),
            files.len(),
            failures.join("\n")
        ))
    }
}

/// Kept replan inputs (tests/fuzz_regressions/replan/, raw fuzz inputs whose
/// layout tests/fuzz_input/replan.rs describes) neither panic nor hang, and
/// every rejection names its problems inside the file; the seeds of the
/// target (fuzz/replan_seeds) are all accepted, so that the fuzzer starts
/// from inputs that reach the re-plan problem.
#[test]
fn every_replan_fuzz_regression_passes() {
    let base = replan_input::baseline();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let kept = files_in(&root.join("tests/fuzz_regressions/replan"));
    assert!(!kept.is_empty(), "no replan regression inputs found");
    if let Err(e) = replay(&base, &kept) {
        panic!("{e}");
    }
    let seeds = files_in(&root.join("fuzz/replan_seeds"));
    assert!(!seeds.is_empty(), "no replan seeds found");
    let outcomes = replay(&base, &seeds).unwrap_or_else(|e| panic!("{e}"));
    for (f, o) in seeds.iter().zip(&outcomes) {
        assert_eq!(
            *o,
            replan_input::Outcome::Built,
            "seed {} does not reach the re-plan problem",
            f.display()
        );
    }
}
