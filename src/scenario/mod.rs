//! The scenario layer: from a scenario file to a validated [`Programme`].
//!
//! A scenario is one TOML file (documented field by field in
//! `docs/scenario.md`). It passes three stages, each a module here:
//!
//! 1. [`parse`] reads the text into the file's serde types (`types`,
//!    re-exported here: [`Scenario`] and its tables), strictly: unknown
//!    fields are errors with the file, line and column. Unknown keys are set
//!    aside and all reported, so that [`load`] can add the meaning checks
//!    of the rest of the file; the usual typing slips are put in plain
//!    words (`slips`).
//! 2. [`validate()`](validate::validate) checks everything a type cannot
//!    express (references, duplicates, numbers, dates, cycles,
//!    reachability) and lists every problem at once. On the way it builds
//!    the pipe [`network`] and the table of who may work where
//!    ([`allowed`]).
//! 3. When nothing is wrong, the file is resolved into a [`Programme`]
//!    ([`programme`]): ids replaced by typed indices, the network and the
//!    allowed-contractor table handed over. [`load`] does all three;
//!    [`check`] the last two, for a file edited in memory (compare variants,
//!    re-plan events).
//!
//! Before all three, [`encoding`] turns the bytes of a file into text
//! (UTF-8, or GBK/GB18030 as Chinese editors often save).
//!
//! This layer is the bottom of the crate: no module in it uses anything
//! above it (activities, model, schedule, plan, reports, CLI).

pub mod allowed;
pub mod encoding;
mod index;
mod lenient;
pub mod network;
pub mod programme;
pub mod risk;
mod slips;
mod types;
pub mod validate;

pub use index::*;
pub use programme::Programme;
pub use types::*;

use crate::both;
pub use crate::lang::{Both, Lang};
use std::fmt;

/// A place in a scenario file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Location {
    /// Line number, 1-based (0 when unknown).
    pub line: usize,
    /// Column number, 1-based (0 when unknown).
    pub column: usize,
}

impl Location {
    /// The line and column of a byte offset in `text`.
    /// An offset past the end counts as the end; one inside a character
    /// as that character's start.
    pub fn of_offset(text: &str, offset: usize) -> Location {
        let before = &text[..char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location { line, column }
    }
}

/// The largest character boundary of `text` at or before `offset`.
fn char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The start offset of every line of a text, for turning many byte offsets
/// into locations without rescanning the text each time (validation of a
/// large scenario places thousands of ids).
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the first character of each line; `starts[0] == 0`.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `text`.
    pub fn new(text: &str) -> LineIndex {
        let newlines = text.match_indices('\n').map(|(i, _)| i + 1);
        LineIndex {
            starts: std::iter::once(0).chain(newlines).collect(),
        }
    }

    /// The location of a byte offset of `text` (the text indexed), exactly
    /// as [`Location::of_offset`] gives it.
    pub fn location(&self, text: &str, offset: usize) -> Location {
        let offset = char_boundary(text, offset);
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let column = text[start..offset].chars().count() + 1;
        Location { line, column }
    }
}

/// One problem found in a scenario, with where it is and how to fix it,
/// in English and Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: String,
    /// Where in the file (line 0 when the problem concerns the whole file).
    pub location: Location,
    /// What is wrong.
    pub message: Both,
    /// What to do about it.
    pub help: Both,
}

impl Diagnostic {
    /// The problem in `lang`: `FILE:LINE:COL: error: …` and a `help:` line
    /// (`错误：` and `提示：` in Chinese).
    pub fn render(&self, lang: Lang) -> String {
        let (error, help) = match lang {
            Lang::En => ("error: ", "help: "),
            Lang::Zh => ("错误：", "提示："),
        };
        let mut out = if self.location.line > 0 {
            format!(
                "{}:{}:{}: {error}{}",
                self.file,
                self.location.line,
                self.location.column,
                self.message.get(lang)
            )
        } else {
            format!("{}: {error}{}", self.file, self.message.get(lang))
        };
        let help_text = self.help.get(lang);
        if !help_text.is_empty() {
            out.push_str(&format!("\n  {help}{help_text}"));
        }
        out
    }
}

/// In English (see [`Diagnostic::render`] for Chinese).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// All the problems found in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Every problem in `lang`, then how many were found.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(lang));
            out.push('\n');
        }
        let n = self.0.len();
        out.push_str(&match lang {
            Lang::En => format!("{n} problem{} found", if n == 1 { "" } else { "s" }),
            Lang::Zh => format!("共发现 {n} 个问题"),
        });
        out
    }
}

/// In English (see [`Diagnostics::render`] for Chinese).
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// A scenario as read, with the text it came from (for locations).
#[derive(Debug, Clone)]
pub struct Source {
    /// File name as given by the user.
    pub file: String,
    /// The file's text.
    pub text: String,
}

impl Source {
    /// A diagnostic at a byte span of this source.
    pub fn diag(&self, span: std::ops::Range<usize>, message: Both, help: Both) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            location: Location::of_offset(&self.text, span.start),
            message,
            help,
        }
    }
}

/// The message of a TOML parse error in both languages, never empty: the
/// TOML parser gives no text for some syntax errors (e.g. a carriage
/// return not followed by a line feed), and its own text is English only.
pub fn toml_message(e: &toml::de::Error) -> Both {
    let raw = e.message().trim();
    if raw.is_empty() {
        both!(
            "invalid TOML syntax here (expected `key = value`, a [table] header, \
             a comment or an empty line)",
            "此处 TOML 写法不对（应为 `键 = 值`、[表] 标题、注释或空行）"
        )
    } else if let Some((key, _)) = raw
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
    {
        both!("missing key `{key}`", "缺少必填的键 `{key}`")
    } else {
        let flat = raw.replace('\n', "，");
        both!("{raw}", "此处 TOML 写法不对（解析器的说明：{flat}）")
    }
}

/// Parses a scenario's TOML text. Syntax errors, unknown fields and wrong
/// types are reported with their line and column; the usual slips (a date
/// that does not exist, a decimal for a whole number, a quoted number,
/// full-width punctuation) in plain words with the fix. Every unknown key
/// is reported, not only the first.
pub fn parse(source: &Source) -> Result<Scenario, Diagnostics> {
    match lenient::parse(source) {
        lenient::Read {
            scenario: Some(file),
            problems,
            ..
        } if problems.is_empty() => Ok(file),
        read => Err(Diagnostics(read.problems)),
    }
}

/// Parses and validates, reporting every mistake of the text (syntax,
/// unknown keys, types, values) together with the meaning checks of the
/// rest of the file, in the order of the file.
fn parse_and_check(source: &Source) -> Result<(Scenario, Programme), Diagnostics> {
    let read = lenient::parse(source);
    let Some(file) = read.scenario else {
        let mut problems = read.problems;
        problems.sort_by_key(|d| (d.location.line, d.location.column));
        return Err(Diagnostics(problems));
    };
    if read.problems.is_empty() {
        let programme = check(&file, source)?;
        return Ok((file, programme));
    }
    let repaired = Source {
        file: source.file.clone(),
        text: read.text,
    };
    let mut problems = read.problems;
    let meaning = validate::run(&file, &repaired, validate::Scope::Written).problems;
    problems.extend(
        meaning
            .into_iter()
            .filter(|d| !read.quiet.contains(&d.location)),
    );
    problems.sort_by_key(|d| (d.location.line, d.location.column));
    Err(Diagnostics(problems))
}

/// Parses and validates a scenario: its programme when it has no problems,
/// else every problem.
pub fn load(source: &Source) -> Result<Programme, Diagnostics> {
    parse_and_check(source).map(|(_, programme)| programme)
}

/// Parses and validates a scenario like [`load`], but returns the file
/// types: for a scenario that will be edited (compare variants, re-plan
/// events) and then validated again with [`check`].
pub fn load_file(source: &Source) -> Result<Scenario, Diagnostics> {
    parse_and_check(source).map(|(file, _)| file)
}

/// Validates a parsed (perhaps rewritten, like a compare variant) scenario
/// file whose spans point into `source`, and resolves it into its
/// programme when it has no problems.
pub fn check(file: &Scenario, source: &Source) -> Result<Programme, Diagnostics> {
    checked(file, source, validate::Scope::Written)
}

/// Validates a scenario file that re-plan events edited, like [`check`]
/// but without the checks events may legitimately break: that every crew
/// type needed is provided in every district, and that calendar tags affect
/// some work (see [`validate::Scope::Edited`](validate)).
pub fn check_edited(file: &Scenario, source: &Source) -> Result<Programme, Diagnostics> {
    checked(file, source, validate::Scope::Edited)
}

/// Validates with the checks of `scope`, then resolves.
fn checked(
    file: &Scenario,
    source: &Source,
    scope: validate::Scope,
) -> Result<Programme, Diagnostics> {
    let validated = validate::run(file, source, scope);
    if validated.problems.is_empty() {
        Ok(programme::resolve(
            file,
            validated.network,
            &validated.allowed,
        ))
    } else {
        Err(Diagnostics(validated.problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let text = "ab\ncde\nf";
        assert_eq!(
            Location::of_offset(text, 0),
            Location { line: 1, column: 1 }
        );
        assert_eq!(
            Location::of_offset(text, 4),
            Location { line: 2, column: 2 }
        );
        assert_eq!(
            Location::of_offset(text, 7),
            Location { line: 3, column: 1 }
        );
    }

    #[test]
    fn offsets_inside_characters_and_past_the_end() {
        let text = "é\nb";
        assert_eq!(
            Location::of_offset(text, 1),
            Location { line: 1, column: 1 }
        );
        assert_eq!(
            Location::of_offset(text, 99),
            Location { line: 2, column: 2 }
        );
    }

    #[test]
    fn line_index_agrees_with_of_offset() {
        let text = "ab\ncdé\n\nf\n";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            assert_eq!(
                index.location(text, offset),
                Location::of_offset(text, offset),
                "offset {offset}"
            );
        }
    }
}
