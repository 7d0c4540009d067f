//! Reading a scenario past its mistakes, so that one `check` reports every
//! mistake of the file — syntax, unknown keys, wrong types, bad values —
//! together with the meaning checks.
//!
//! The schema is the serde types of the file (`types`): a key, a type or a
//! value is wrong exactly when serde says so, so a new section or field
//! added there (with `#[serde(deny_unknown_fields)]` like the others) is
//! checked here with nothing else to change. serde and the TOML parser stop
//! at the first mistake, so reading goes round a loop:
//!
//! 1. Parse the text. A syntax error is explained (full-width punctuation in
//!    plain words, otherwise the parser's words) and repaired: the
//!    full-width character replaced by its ASCII twin, or else the whole
//!    line blanked.
//! 2. Deserialize. An unknown key is reported with the closest known key as
//!    a hint and its `key = value` blanked; a wrong type or a bad value
//!    (a date that does not exist, `400.0` for a whole number, a quoted
//!    number, a misspelt choice) is explained by `slips` and replaced by
//!    its fix, or by a placeholder of the right type.
//! 3. Read again, until the text reads or a mistake cannot be repaired
//!    (a missing key, say).
//!
//! Every repair keeps the lines where they were (and the columns, except
//! after a repair on the same line), so the places reported stay those of
//! the user's file. The meaning checks then run on the repaired text;
//! problems at a placeholder are dropped (they are about the placeholder,
//! not the file).

use super::slips::{self, Repair};
use super::validate::closest;
use super::{Diagnostic, Location, Scenario, Source};
use crate::both;
use std::ops::Range;
use std::sync::OnceLock;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// At most this many mistakes are repaired before giving up (each costs a
/// parse of the whole file).
const MAX_REPAIRS: usize = 100;

/// At most this many lines are blanked for syntax errors: past that the
/// file is too broken for what follows to mean much.
const MAX_BLANKED_LINES: usize = 10;

/// What reading found.
pub(super) struct Read {
    /// The scenario, with its mistakes repaired (`None` when a mistake
    /// could not be repaired).
    pub scenario: Option<Scenario>,
    /// Every mistake found, in the order they were met.
    pub problems: Vec<Diagnostic>,
    /// The text as repaired (the same lines as the file's).
    pub text: String,
    /// Places of placeholders: nothing found there is the user's.
    pub quiet: Vec<Location>,
}

/// Reads `source`, repairing mistakes as it goes (see the module docs).
pub(super) fn parse(source: &Source) -> Read {
    let mut read = Read {
        scenario: None,
        problems: Vec::new(),
        text: source.text.clone(),
        quiet: Vec::new(),
    };
    let mut blanked: Vec<Range<usize>> = Vec::new();
    // The start of the line last repaired.
    let mut repaired_line: Option<usize> = None;
    for _ in 0..=MAX_REPAIRS {
        let e = match toml::from_str::<Scenario>(&read.text) {
            Ok(s) => {
                read.scenario = Some(s);
                return read;
            }
            Err(e) => e,
        };
        let here = Source {
            file: source.file.clone(),
            text: read.text.clone(),
        };
        let span = e.span().unwrap_or(0..0);
        let raw = e.message();
        let syntax = ImDocument::parse(read.text.as_str()).is_err();
        if !syntax {
            if let Some(rest) = raw.strip_prefix("unknown field `") {
                if let Some(pair) = pair_at(&read.text, span.start) {
                    read.problems.push(unknown(&here, span.start, rest));
                    match meant(&read.text, span.start, rest) {
                        // Read on with the key it surely meant, so that its
                        // value is checked and no "missing key" follows.
                        Some(rename) => replace(&mut read.text, rename),
                        None => blank(&mut read.text, pair),
                    }
                    continue;
                }
            }
            if raw.starts_with("missing field")
                && blanked
                    .iter()
                    .any(|b| span.start <= b.start && b.end <= span.end)
            {
                // A key on a line blanked for a syntax error: already reported.
                return read;
            }
        }
        let line = line_of(&read.text, span.start);
        if syntax && repaired_line == Some(line.start) && !blanked.contains(&line) {
            // What is left of a line just repaired: the same mistake,
            // already reported (e.g. a stray `】` typed as `]`).
            blanked.push(line.clone());
            blank(&mut read.text, line);
            continue;
        }
        let slip = slips::explain(&read.text, span.clone(), raw);
        read.problems.push(diagnostic(&here, &e, slip.as_ref()));
        let repair = match slip.and_then(|s| s.repair) {
            Some(r) => r,
            None if syntax && blanked.len() < MAX_BLANKED_LINES => {
                if blanked.contains(&line) || line.is_empty() {
                    return read;
                }
                blanked.push(line.clone());
                Repair {
                    range: line,
                    with: String::new(),
                    is_fix: true,
                }
            }
            None => return read,
        };
        repaired_line = Some(line_of(&read.text, repair.range.start).start);
        if !repair.is_fix {
            read.quiet
                .push(Location::of_offset(&read.text, repair.range.start));
        }
        let before = read.text.clone();
        replace(&mut read.text, repair);
        if read.text == before {
            return read;
        }
    }
    read
}

/// The diagnostic of a TOML error other than an unknown key set aside.
fn diagnostic(source: &Source, e: &toml::de::Error, slip: Option<&slips::Slip>) -> Diagnostic {
    if let Some(slip) = slip {
        return source.diag(
            slip.offset..slip.offset,
            slip.message.clone(),
            slip.help.clone(),
        );
    }
    let span = e.span().unwrap_or(0..0);
    if e.message().starts_with("expected `.`, `=`") {
        return source.diag(
            span,
            both!(
                "this line is not `key = value`: a key is followed by `=` and its value",
                "这一行不是 `键 = 值` 的形式：键后面要有 `=` 和值"
            ),
            both!(
                "write `key = value`, turn the line into a comment with `#`, or delete it",
                "请写成 `键 = 值`，或在行首加 `#` 改为注释，或删除这一行"
            ),
        );
    }
    let missing = e
        .message()
        .strip_prefix("missing field `")
        .and_then(|r| r.split_once('`'))
        .map(|(k, _)| k);
    if let Some(key) = missing {
        return source.diag(
            span,
            super::toml_message(e),
            both!(
                "add `{key} = …`; docs/scenario.md lists the required keys and their units",
                "请补上 `{key} = …`；docs/scenario.md 列出了必填的键及其单位"
            ),
        );
    }
    let message = super::toml_message(e);
    let help = {
        both!(
            "see docs/scenario.md for the expected format",
            "正确的写法见 docs/scenario.md"
        )
    };
    source.diag(span, message, help)
}

/// The top-level keys of a scenario, read from its serde type (so a new
/// section counts at once): one of them found inside a table was written
/// under the wrong header (the TOML trap of `links = [...]` after a
/// `[[tasks]]` table).
fn top_level() -> &'static [String] {
    static KEYS: OnceLock<Vec<String>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let probe = "an_unknown_key_to_list_the_known_ones = 0";
        match toml::from_str::<Scenario>(probe) {
            Err(e) => known_keys(e.message()),
            Ok(_) => Vec::new(),
        }
    })
}

/// The keys serde lists in an "unknown field `x`, expected one of `a`,
/// `b`" message (or "expected `a` or `b`").
fn known_keys(message: &str) -> Vec<String> {
    let after = message.split_once("expected").map_or("", |(_, rest)| rest);
    after
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// An unknown key at `at`; `rest` is serde's message after "unknown field
/// `": the key, then the known keys in backquotes.
fn unknown(source: &Source, at: usize, rest: &str) -> Diagnostic {
    let (key, known) = rest.split_once('`').unwrap_or((rest, ""));
    let known: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
    let help = if top_level().iter().any(|k| k == key) {
        both!(
            "`{key}` belongs at the top of the file, but a `key = value` line belongs to the \
             [table] header above it; write it as [[{key}]] tables, or move the line above the \
             first [header]",
            "`{key}` 属于文件顶层，但 `键 = 值` 这一行归属于它上面的 [表] 标题；\
             请改写成 [[{key}]] 表，或把这一行移到第一个 [标题] 之前"
        )
    } else {
        match closest(key, known.iter().copied()) {
            Some(k) => both!(
                "did you mean `{k}`? docs/scenario.md lists every key",
                "是不是 `{k}`？docs/scenario.md 列出了所有的键"
            ),
            None => {
                let keys = known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                both!(
                    "remove it or correct its spelling; the keys here are {keys}",
                    "请删除它或改正拼写；这里可用的键有 {keys}"
                )
            }
        }
    };
    source.diag(
        at..at,
        both!("unknown key `{key}`", "未知的键 `{key}`"),
        help,
    )
}

/// The repair that renames an unknown key at `at` to the known key it
/// surely meant (`rest` as for [`unknown`]): the closest known key, when the
/// key is written bare and its table does not already have that key. A
/// misspelt required key is then read with its value instead of leaving
/// the table without it.
fn meant(text: &str, at: usize, rest: &str) -> Option<Repair> {
    let (key, known) = rest.split_once('`')?;
    let known: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
    if top_level().iter().any(|k| k == key) || !text[at..].starts_with(key) {
        return None;
    }
    let k = closest(key, known.iter().copied())?;
    let doc = ImDocument::parse(text).ok()?;
    let beside = keys_beside(doc.as_table(), at)?;
    if beside.iter().any(|b| b == k) {
        return None;
    }
    Some(Repair {
        range: at..at + key.len(),
        with: k.to_string(),
        is_fix: true,
    })
}

/// The keys of the table (or inline table) that holds the key starting at
/// `at`.
fn keys_beside(table: &dyn TableLike, at: usize) -> Option<Vec<String>> {
    let here = table.iter().any(|(name, _)| {
        table
            .get_key_value(name)
            .and_then(|(k, _)| k.span())
            .is_some_and(|k| k.start == at)
    });
    if here {
        return Some(table.iter().map(|(name, _)| name.to_string()).collect());
    }
    table.iter().find_map(|(_, item)| match item {
        Item::Table(t) => keys_beside(t, at),
        Item::ArrayOfTables(a) => a.iter().find_map(|t| keys_beside(t, at)),
        Item::Value(v) => keys_beside_in_value(v, at),
        Item::None => None,
    })
}

/// [`keys_beside`] inside a value (inline tables, arrays of them).
fn keys_beside_in_value(value: &Value, at: usize) -> Option<Vec<String>> {
    match value {
        Value::InlineTable(t) => keys_beside(t, at),
        Value::Array(a) => a.iter().find_map(|v| keys_beside_in_value(v, at)),
        _ => None,
    }
}

/// The byte range of the line holding `offset`, without its line end.
fn line_of(text: &str, offset: usize) -> Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    start..end
}

/// Applies a repair. A shorter replacement is padded with spaces, so that
/// what follows on the line keeps its column.
fn replace(text: &mut String, repair: Repair) {
    let Repair { range, with, .. } = repair;
    if range.end > text.len() || !text.is_char_boundary(range.start) {
        return;
    }
    let old_chars = text[range.clone()].chars().count();
    let new_chars = with.chars().count();
    let padded = with + &" ".repeat(old_chars.saturating_sub(new_chars));
    text.replace_range(range, &padded);
}

/// The byte range of the `key = value` whose key starts at `at`, with a
/// comma that separates it from the next (or previous) pair of an inline
/// table.
fn pair_at(text: &str, at: usize) -> Option<Range<usize>> {
    let doc = ImDocument::parse(text).ok()?;
    let pair = find(doc.as_table(), at)?;
    let after = &text[pair.end..];
    let gap = after.len() - after.trim_start_matches([' ', '\t']).len();
    if after[gap..].starts_with(',') {
        return Some(pair.start..pair.end + gap + 1);
    }
    let before = text[..pair.start].trim_end_matches([' ', '\t']);
    if before.ends_with(',') {
        return Some(before.len() - 1..pair.end);
    }
    Some(pair)
}

/// The `key = value` range under `table` whose key starts at `at`.
fn find(table: &dyn TableLike, at: usize) -> Option<Range<usize>> {
    for (name, item) in table.iter() {
        if let Some((key, _)) = table.get_key_value(name) {
            // Only `key = value` pairs: a misspelt [table] header owns the
            // lines below it, which blanking the header would misplace.
            if let (Some(k), Some(v), Item::Value(_)) = (key.span(), item.span(), item) {
                if k.start == at {
                    return Some(k.start..v.end);
                }
            }
        }
        if let Some(found) = find_in(item, at) {
            return Some(found);
        }
    }
    None
}

/// The `key = value` range under `item` whose key starts at `at`.
fn find_in(item: &Item, at: usize) -> Option<Range<usize>> {
    match item {
        Item::Table(t) => find(t, at),
        Item::ArrayOfTables(a) => a.iter().find_map(|t| find(t, at)),
        Item::Value(v) => find_in_value(v, at),
        Item::None => None,
    }
}

/// The `key = value` range inside a value (inline tables, arrays of them).
fn find_in_value(value: &Value, at: usize) -> Option<Range<usize>> {
    match value {
        Value::InlineTable(t) => find(t, at),
        Value::Array(a) => a.iter().find_map(|v| find_in_value(v, at)),
        _ => None,
    }
}

/// Replaces `range` of `text` with spaces, keeping line ends so that every
/// other place keeps its line and column.
fn blank(text: &mut String, range: Range<usize>) {
    let blanked: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    // Multi-byte characters become one space each: pad to the same length.
    let pad = range.len() - blanked.len();
    text.replace_range(range, &(blanked + &" ".repeat(pad)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_level_keys_come_from_the_types() {
        let keys = top_level();
        for key in ["programme", "segments", "links", "milestones"] {
            assert!(keys.iter().any(|k| k == key), "{key}: {keys:?}");
        }
    }

    #[test]
    fn repairs_keep_the_lines() {
        let mut text = "a = 1\nb = 2022-4-1\nc = 3\n".to_string();
        replace(
            &mut text,
            Repair {
                range: 10..18,
                with: "2022-04-01".into(),
                is_fix: true,
            },
        );
        assert_eq!(text, "a = 1\nb = 2022-04-01\nc = 3\n");
        assert_eq!(&text[line_of(&text, 8)], "b = 2022-04-01");
    }
}
