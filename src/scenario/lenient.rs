//! Reading a scenario past its unknown keys, so that one `check` reports
//! every misspelt key together with the meaning checks.
//!
//! serde stops at the first unknown key. Here each unknown key reported is
//! set aside (its `key = value` blanked with spaces, so that every other
//! span keeps its place) and the text read again, until it reads or fails
//! for another reason. The keys set aside are reported with the closest
//! known key as a hint.

use super::validate::closest;
use super::{slips, Diagnostic, Scenario, Source};
use std::ops::Range;
use toml_edit::{ImDocument, Item, TableLike, Value};

/// The top-level keys of a scenario: one of them found inside a table was
/// written under the wrong header (the TOML trap of `links = [...]` after a
/// `[[tasks]]` table).
const TOP_LEVEL: &[&str] = &[
    "programme",
    "calendar",
    "sources",
    "nodes",
    "segments",
    "stations",
    "templates",
    "districts",
    "contractors",
    "tasks",
    "links",
    "milestones",
    "risk",
];

/// At most this many unknown keys are set aside before giving up (each
/// costs a parse of the whole file).
const MAX_UNKNOWN: usize = 100;

/// The scenario read with its unknown keys set aside (`None` when another
/// mistake stops the reading), and the problems found reading it: the
/// unknown keys in the order serde met them, then the mistake that stopped
/// the reading, if any.
pub(super) fn parse(source: &Source) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut text = source.text.clone();
    let mut problems = Vec::new();
    for _ in 0..=MAX_UNKNOWN {
        let e = match toml::from_str::<Scenario>(&text) {
            Ok(s) => return (Some(s), problems),
            Err(e) => e,
        };
        let span = e.span().unwrap_or(0..0);
        let raw = e.message();
        if let Some(rest) = raw.strip_prefix("unknown field `") {
            if let Some(pair) = pair_at(&text, span.start) {
                problems.push(unknown(source, span.start, rest));
                blank(&mut text, pair);
                continue;
            }
        }
        problems.push(diagnostic(source, &e));
        return (None, problems);
    }
    (None, problems)
}

/// The diagnostic of a TOML error other than an unknown key set aside.
pub(super) fn diagnostic(source: &Source, e: &toml::de::Error) -> Diagnostic {
    let span = e.span().unwrap_or(0..0);
    if let Some(slip) = slips::explain(&source.text, span.clone(), e.message()) {
        return source.diag(slip.offset..slip.offset, slip.message, slip.help);
    }
    let message = super::toml_message(e);
    let help = if message.starts_with("unknown field") {
        "remove the field or correct its spelling; docs/scenario.md lists every field".to_string()
    } else if message.starts_with("missing field") {
        "add the field; docs/scenario.md lists the required fields and their units".to_string()
    } else {
        "see docs/scenario.md for the expected format".to_string()
    };
    source.diag(span, message, help)
}

/// An unknown key at `at`; `rest` is serde's message after "unknown field
/// `": the key, then the known keys in backquotes.
fn unknown(source: &Source, at: usize, rest: &str) -> Diagnostic {
    let (key, known) = rest.split_once('`').unwrap_or((rest, ""));
    let known: Vec<&str> = known.split('`').skip(1).step_by(2).collect();
    let help = if TOP_LEVEL.contains(&key) {
        format!(
            "`{key}` belongs at the top of the file, but a `key = value` line belongs to the \
             [table] header above it; write it as [[{key}]] tables, or move the line above the \
             first [header]"
        )
    } else {
        match closest(key, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`? docs/scenario.md lists every key"),
            None => format!(
                "remove it or correct its spelling; the keys here are {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    };
    source.diag(at..at, format!("unknown key `{key}`"), help)
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
