//! The one way a command fails, with its exit code (the README's table).
//!
//! A command returns `Ok(())` when it succeeded (exit 0) and a [`CliError`]
//! otherwise; [`CliError::message`] is what goes to stderr, already in the
//! words the user sees (with a `help:` line where there is something to
//! do), and [`CliError::exit_code`] the process's exit code.

use std::fmt;
use std::path::Path;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum CliError {
    /// The input is invalid (a scenario, a ledger, an events file, an
    /// option): exit 2. The text is printed as it is; it may hold several
    /// lines, e.g. every problem of a scenario with its location.
    BadInput(String),
    /// A plan was made and written, but `late` stations miss the heat-ready
    /// deadline: exit 3. The summary printed before says which and why.
    DeadlineMissed {
        /// Stations that miss the deadline.
        late: usize,
    },
    /// No feasible plan exists, or none was found: exit 4. The text says
    /// why; `None` when the command's output already says so.
    NoPlan(Option<String>),
    /// An I/O failure or another unexpected error: exit 1.
    Internal(anyhow::Error),
    /// A result that contradicts what is known for certain (a bug in
    /// heatplan): exit 1.
    Bug(String),
    /// Stopped by a second Ctrl-C before finishing: exit 130.
    Aborted,
}

impl CliError {
    /// A file that could not be read.
    pub fn cannot_read(path: &Path, e: &std::io::Error) -> CliError {
        let path = path.display();
        CliError::BadInput(super::words(heatplan::both!(
            "error: cannot read {path}: {e}",
            "错误：无法读取 {path}：{e}"
        )))
    }

    /// The process exit code.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Internal(_) | CliError::Bug(_) => 1,
            CliError::BadInput(_) => 2,
            CliError::DeadlineMissed { .. } => 3,
            CliError::NoPlan(_) => 4,
            CliError::Aborted => 130,
        }
    }

    /// What is printed on stderr, if anything (the outcomes whose output
    /// already tells the story print nothing more).
    pub fn message(&self) -> Option<String> {
        match self {
            CliError::BadInput(text) => Some(text.clone()),
            CliError::NoPlan(why) => why.as_ref().map(|w| format!("{}{w}", error_word())),
            CliError::Internal(e) => Some(format!("{}{e:#}", error_word())),
            CliError::Bug(what) => Some(format!("BUG: {what}")),
            CliError::DeadlineMissed { .. } | CliError::Aborted => None,
        }
    }
}

/// `error: ` in the language of this run.
fn error_word() -> &'static str {
    match super::lang() {
        heatplan::lang::Lang::En => "error: ",
        heatplan::lang::Lang::Zh => "错误：",
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self, self.message()) {
            (_, Some(m)) => f.write_str(&m),
            (CliError::DeadlineMissed { late }, None) => {
                write!(f, "{late} station(s) miss the heat-ready deadline")
            }
            (CliError::NoPlan(None), None) => f.write_str("no plan was found"),
            _ => f.write_str("aborted"),
        }
    }
}

impl std::error::Error for CliError {}

impl From<anyhow::Error> for CliError {
    fn from(e: anyhow::Error) -> CliError {
        CliError::Internal(e)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError::Internal(e.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_follow_the_readme() {
        let codes: Vec<i32> = [
            CliError::Internal(anyhow::anyhow!("disk full")),
            CliError::Bug("contradiction".into()),
            CliError::BadInput("error: bad".into()),
            CliError::DeadlineMissed { late: 2 },
            CliError::NoPlan(None),
            CliError::Aborted,
        ]
        .iter()
        .map(CliError::exit_code)
        .collect();
        assert_eq!(codes, [1, 1, 2, 3, 4, 130]);
    }

    #[test]
    fn messages_read_as_before() {
        let e = CliError::from(anyhow::anyhow!("disk full").context("writing the plan"));
        assert_eq!(e.message().unwrap(), "error: writing the plan: disk full");
        assert_eq!(
            CliError::NoPlan(Some("no plan can meet x".into()))
                .message()
                .unwrap(),
            "error: no plan can meet x"
        );
        assert_eq!(CliError::DeadlineMissed { late: 1 }.message(), None);
        assert_eq!(
            CliError::DeadlineMissed { late: 3 }.to_string(),
            "3 station(s) miss the heat-ready deadline"
        );
    }
}
