//! Plain words for the slips people make most when typing a scenario by
//! hand, in place of the TOML parser's own text: a date that does not
//! exist or lacks its leading zeros, a decimal where a whole number is
//! needed, a number or `true`/`false` in quotes, and full-width punctuation
//! typed with a Chinese input method.
//!
//! Each explanation is found by looking at the raw text where the parser
//! stopped, so it names what the user actually wrote and the exact fix.

use chrono::{Datelike, NaiveDate};
use std::ops::Range;

/// A slip recognised at a parse error: where to point, what is wrong and
/// how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Slip {
    /// Byte offset in the text to report.
    pub offset: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// The fix.
    pub help: String,
}

/// Full-width characters a Chinese input method types in place of TOML
/// punctuation: the character, its name, and the ASCII character to type.
const FULL_WIDTH: &[(char, &str, &str)] = &[
    ('，', "full-width comma", ","),
    ('“', "full-width opening quote", "\""),
    ('”', "full-width closing quote", "\""),
    ('‘', "full-width opening single quote", "'"),
    ('’', "full-width closing single quote", "'"),
    ('＝', "full-width equals sign", "="),
    ('［', "full-width opening bracket", "["),
    ('］', "full-width closing bracket", "]"),
    ('【', "Chinese opening bracket", "["),
    ('】', "Chinese closing bracket", "]"),
    ('｛', "full-width opening brace", "{"),
    ('｝', "full-width closing brace", "}"),
    ('＃', "full-width number sign", "#"),
    ('．', "full-width full stop", "."),
    ('。', "Chinese full stop", "."),
    ('：', "full-width colon", "="),
    ('　', "full-width space", " "),
];

/// Explains the parse error `raw` at `span` of `text` in plain words, when
/// it is one of the usual slips.
pub(super) fn explain(text: &str, span: Range<usize>, raw: &str) -> Option<Slip> {
    let start = floor(text, span.start);
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        return wrong_type(text, start, rest);
    }
    if raw.starts_with("unknown field") || raw.starts_with("missing field") {
        return None;
    }
    if raw.contains("date-time") {
        let word = word_at(text, start);
        if let Some((message, help)) = date_problem(&text[word.clone()]) {
            return Some(Slip {
                offset: word.start,
                message,
                help,
            });
        }
    }
    full_width(text, start)
}

/// What is wrong with a date written as `text` (e.g. `2022-02-30` or
/// `2022-4-1`) and the fix, or `None` when it is a valid date or not
/// recognisably a date at all.
pub(crate) fn date_problem(text: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts[..] else {
        return None;
    };
    if [y, m, d]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) {
        return Some((
            format!("{text}: there is no month {month}"),
            "write the date as year-month-day, e.g. 2022-04-01".to_string(),
        ));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?
        .day();
    if day == 0 || day > last {
        let name = first.format("%B %Y");
        return Some((
            format!("{text}: {name} has {last} days"),
            format!(
                "write a day from 1 to {last}, e.g. {}",
                first.with_day(last)?
            ),
        ));
    }
    if y.len() == 4 && (m.len() < 2 || d.len() < 2) {
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        return Some((
            format!("{text}: a date needs two digits for the month and the day"),
            format!("write {date}"),
        ));
    }
    None
}

/// A value of the wrong type (`rest` is the parser's text after
/// "invalid type: "): a decimal for a whole number, or a quoted number or
/// boolean.
fn wrong_type(text: &str, start: usize, rest: &str) -> Option<Slip> {
    let (found, expected) = rest.split_once(", expected ")?;
    let whole = matches!(expected, "u32" | "u64" | "i32" | "i64" | "usize");
    let number = whole || matches!(expected, "f64" | "f32");
    let key = key_before(text, start)
        .map(|k| format!("`{k}`"))
        .unwrap_or_else(|| "this value".to_string());
    if let Some(value) = found.strip_prefix("floating point ") {
        let value = value.trim_matches('`');
        if !whole {
            return None;
        }
        let v: f64 = value.parse().ok()?;
        let help = if v.fract() == 0.0 && v.is_finite() {
            format!("write {v:.0}")
        } else {
            format!("write a whole number, e.g. {:.0}", v.round())
        };
        return Some(Slip {
            offset: start,
            message: format!("{key} takes a whole number, not {value}"),
            help,
        });
    }
    let quoted = found.strip_prefix("string \"")?.strip_suffix('"')?;
    let unquoted = quoted.trim();
    let fits = if whole {
        unquoted.parse::<i64>().is_ok()
    } else if number {
        unquoted.parse::<f64>().is_ok()
    } else if expected == "a boolean" {
        matches!(unquoted, "true" | "false")
    } else {
        false
    };
    if !fits {
        return None;
    }
    let kind = if expected == "a boolean" {
        "true or false"
    } else {
        "a number"
    };
    Some(Slip {
        offset: start,
        message: format!("{key} takes {kind}, written without quotes"),
        help: format!("remove the quotes: write {unquoted}"),
    })
}

/// The first full-width punctuation character on the line of `offset`
/// outside quoted strings, named, with the ASCII character to type.
fn full_width(text: &str, offset: usize) -> Option<Slip> {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let mut quote: Option<char> = None;
    for (i, c) in text[line_start..line_end].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '#') => return None,
            (None, _) => {
                if let Some((_, name, ascii)) = FULL_WIDTH.iter().find(|(f, _, _)| *f == c) {
                    return Some(Slip {
                        offset: line_start + i,
                        message: format!("\"{c}\" ({name}) is not TOML punctuation"),
                        help: format!(
                            "type `{ascii}` instead (switch the input method to English \
                             punctuation)"
                        ),
                    });
                }
            }
            (Some(_), _) => {}
        }
    }
    None
}

/// The run of date-like characters (digits, letters, `-`, `:`, `.`, `+`)
/// around `offset`.
fn word_at(text: &str, offset: usize) -> Range<usize> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.' | '+');
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(text.len(), |(i, _)| offset + i);
    start..end
}

/// The key of the `key = value` whose value starts at `offset`.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let before = text[..offset].trim_end().strip_suffix('=')?.trim_end();
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let key = &before[start..];
    (!key.is_empty()).then_some(key)
}

/// The largest character boundary at or before `offset`.
fn floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            date_problem("2024-02-30").unwrap().0,
            "2024-02-30: February 2024 has 29 days"
        );
        assert_eq!(date_problem("2022-4-1").unwrap().1, "write 2022-04-01");
        assert!(date_problem("2022-13-01")
            .unwrap()
            .0
            .contains("no month 13"));
        assert_eq!(date_problem("2022-04-01"), None);
        assert_eq!(date_problem("soon"), None);
    }

    #[test]
    fn keys_and_words() {
        let text = "crews = { earth = 2.0 }";
        let at = text.find("2.0").unwrap();
        assert_eq!(key_before(text, at), Some("earth"));
        assert_eq!(&text[word_at(text, at + 1)], "2.0");
    }
}
