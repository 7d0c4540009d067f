//! Plain words for the slips people make most when typing a scenario by
//! hand, in place of the TOML parser's own text: a date that does not
//! exist or lacks its leading zeros, a decimal where a whole number is
//! needed, a number or `true`/`false` in quotes, a value of the wrong kind,
//! a misspelt choice (`method = "opencut"`), and full-width punctuation
//! typed with a Chinese input method.
//!
//! Each explanation is found by looking at the raw text where the parser
//! stopped, so it names what the user actually wrote and the exact fix, in
//! English and Chinese. Each also carries a [`Repair`]: the text to put in
//! place of the mistake so that the rest of the file can be read on (the
//! fix itself where there is one, e.g. `2022-04-01` for `2022-4-1`, else a
//! placeholder whose own consequences are not reported).

use super::validate::closest;
use crate::both;
use crate::lang::Both;
use chrono::{Datelike, NaiveDate};
use std::ops::Range;

/// A slip recognised at a parse error: where to point, what is wrong, how
/// to fix it, and how to read on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Slip {
    /// Byte offset in the text to report.
    pub offset: usize,
    /// What is wrong, in plain words.
    pub message: Both,
    /// The fix.
    pub help: Both,
    /// What to write in place of the mistake to read the rest of the file.
    pub repair: Option<Repair>,
}

/// Text to put in place of a mistake so that the file reads on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repair {
    /// The bytes replaced.
    pub range: Range<usize>,
    /// What replaces them.
    pub with: String,
    /// True when `with` is the user's fix (the meaning checks may judge
    /// it); false for a placeholder (nothing at its place is reported).
    pub is_fix: bool,
}

/// Full-width characters a Chinese input method types in place of TOML
/// punctuation: the character, its English and Chinese names, and the
/// ASCII character to type.
const FULL_WIDTH: &[(char, &str, &str, &str)] = &[
    ('，', "full-width comma", "全角逗号", ","),
    ('“', "full-width opening quote", "全角左双引号", "\""),
    ('”', "full-width closing quote", "全角右双引号", "\""),
    ('‘', "full-width opening single quote", "全角左单引号", "'"),
    ('’', "full-width closing single quote", "全角右单引号", "'"),
    ('＝', "full-width equals sign", "全角等号", "="),
    ('［', "full-width opening bracket", "全角左方括号", "["),
    ('］', "full-width closing bracket", "全角右方括号", "]"),
    ('【', "Chinese opening bracket", "中文左方括号", "["),
    ('】', "Chinese closing bracket", "中文右方括号", "]"),
    ('｛', "full-width opening brace", "全角左花括号", "{"),
    ('｝', "full-width closing brace", "全角右花括号", "}"),
    ('＃', "full-width number sign", "全角井号", "#"),
    ('．', "full-width full stop", "全角句点", "."),
    ('。', "Chinese full stop", "中文句号", "."),
    ('：', "full-width colon", "全角冒号", "="),
    ('　', "full-width space", "全角空格", " "),
];

/// Explains the parse error `raw` at `span` of `text` in plain words, when
/// it is one of the usual slips.
pub(super) fn explain(text: &str, span: Range<usize>, raw: &str) -> Option<Slip> {
    let start = floor(text, span.start);
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        return wrong_type(text, span, rest);
    }
    if let Some(rest) = raw.strip_prefix("unknown variant `") {
        return unknown_choice(text, span, rest);
    }
    if raw.starts_with("unknown field") || raw.starts_with("missing field") {
        return None;
    }
    if let Some(slip) = bad_date(text, start) {
        return Some(slip);
    }
    if raw.starts_with("expected a date like") {
        let key = key_of(text, start);
        let value = value_text(text, start);
        return Some(Slip {
            offset: start,
            message: both!(
                "{key} takes a date like 2022-04-01, not {value}",
                "{key} 应为日期（如 2022-04-01），而不是 {value}"
            ),
            help: both!(
                "write the date as year-month-day, e.g. 2022-04-01",
                "请按“年-月-日”写日期，例如 2022-04-01"
            ),
            repair: Some(Repair {
                range: span,
                with: "2000-01-01".to_string(),
                is_fix: false,
            }),
        });
    }
    full_width(text, start)
}

/// A date at `start` (bare or quoted) that does not exist or lacks its
/// leading zeros.
fn bad_date(text: &str, start: usize) -> Option<Slip> {
    let quoted = text[start..].starts_with(['"', '\'']);
    let at = if quoted { start + 1 } else { start };
    let word = word_at(text, at);
    let (message, help, fix, sure) = date_problem(&text[word.clone()])?;
    let range = if quoted {
        // The quotes go too: a bare date is the TOML way.
        word.start - 1..(word.end + 1).min(text.len())
    } else {
        word.clone()
    };
    Some(Slip {
        offset: range.start,
        message,
        help,
        repair: Some(Repair {
            range,
            with: fix.to_string(),
            is_fix: sure,
        }),
    })
}

/// What is wrong with a date written as `text` (e.g. `2022-02-30` or
/// `2022-4-1`), the fix in words, a date to read on with, and whether that
/// date is surely the one meant (`2022-04-01` for `2022-4-1`) rather than a
/// guess (the last day of the month for `2022-02-30`); `None` when it is a
/// valid date or not recognisably a date at all.
pub(crate) fn date_problem(text: &str) -> Option<(Both, Both, NaiveDate, bool)> {
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
            both!(
                "{text}: there is no month {month}",
                "{text}：没有 {month} 月"
            ),
            both!(
                "write the date as year-month-day, e.g. 2022-04-01",
                "请按“年-月-日”写日期，例如 2022-04-01"
            ),
            NaiveDate::from_ymd_opt(year, 1, 1)?,
            false,
        ));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))?
        .pred_opt()?
        .day();
    if day == 0 || day > last {
        let name = first.format("%B %Y");
        let fix = first.with_day(last)?;
        return Some((
            both!(
                "{text}: {name} has {last} days",
                "{text}：{year} 年 {month} 月只有 {last} 天"
            ),
            both!(
                "write a day from 1 to {last}, e.g. {fix}",
                "请写 1 到 {last} 之间的日，例如 {fix}"
            ),
            fix,
            false,
        ));
    }
    if y.len() == 4 && (m.len() < 2 || d.len() < 2) {
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        return Some((
            both!(
                "{text}: a date needs two digits for the month and the day",
                "{text}：日期的月和日都要写两位数"
            ),
            both!("write {date}", "请写成 {date}"),
            date,
            true,
        ));
    }
    None
}

/// What a value should be, from serde's name of the expected type: the
/// words, and a placeholder of that type to read on with.
fn expected_kind(expected: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => ("a whole number", "整数", "1"),
        "i8" | "i16" | "i32" | "i64" => ("a whole number", "整数", "0"),
        "f32" | "f64" => ("a number", "数", "1.0"),
        "a boolean" => ("true or false", "true 或 false", "false"),
        "a string" | "string" => ("text in quotes", "带引号的文字", "\"\""),
        "a sequence" => ("a list in [ ]", "用 [ ] 括起的列表", "[]"),
        "a date like 2022-04-01" => (
            "a date like 2022-04-01",
            "日期（如 2022-04-01）",
            "2000-01-01",
        ),
        e if e.starts_with("struct ") || e == "a map" => ("a table", "表", "{}"),
        _ => return None,
    })
}

/// What a value is, from serde's description of what it found.
fn found_kind(found: &str) -> Both {
    if let Some(s) = found
        .strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'))
    {
        return both!("the text \"{s}\"", "文字“{s}”");
    }
    for (prefix, en, zh) in [
        ("integer ", "the number", "数"),
        ("floating point ", "the number", "数"),
        ("boolean ", "", ""),
    ] {
        if let Some(v) = found.strip_prefix(prefix) {
            let v = v.trim_matches('`');
            let t = both!("{en} {v}", "{zh} {v}");
            return Both {
                en: t.en.trim().to_string(),
                zh: t.zh.trim().to_string(),
            };
        }
    }
    match found {
        "sequence" => both!("a list", "列表"),
        "map" => both!("a table", "表"),
        _ => both!("{found}", "{found}"),
    }
}

/// A value of the wrong type (`rest` is the parser's text after
/// "invalid type: "): a decimal for a whole number, a quoted number or
/// boolean, or any other value of the wrong kind.
fn wrong_type(text: &str, span: Range<usize>, rest: &str) -> Option<Slip> {
    let start = floor(text, span.start);
    let (found, expected) = rest.split_once(", expected ")?;
    let (kind, kind_zh, stand_in) = expected_kind(expected)?;
    let whole = kind == "a whole number";
    let number = whole || kind == "a number";
    let key = key_of(text, start);
    let span = floor(text, span.start)..floor(text, span.end);
    let placeholder = |with: &str| {
        Some(Repair {
            range: span.clone(),
            with: with.to_string(),
            is_fix: false,
        })
    };
    if let Some(value) = found.strip_prefix("floating point ") {
        let value = value.trim_matches('`');
        let v: f64 = value.parse().ok()?;
        if whole && v.is_finite() {
            let (help, fix) = if v.fract() == 0.0 {
                (both!("write {v:.0}", "请写成 {v:.0}"), true)
            } else {
                let r = v.round();
                (
                    both!("write a whole number, e.g. {r:.0}", "请写整数，例如 {r:.0}"),
                    false,
                )
            };
            return Some(Slip {
                offset: start,
                message: both!(
                    "{key} takes a whole number, not {value}",
                    "{key} 应为整数，不能是 {value}"
                ),
                help,
                repair: Some(Repair {
                    range: span.clone(),
                    with: format!("{:.0}", v.round()),
                    is_fix: fix,
                }),
            });
        }
    }
    if let Some(quoted) = found
        .strip_prefix("string \"")
        .and_then(|s| s.strip_suffix('"'))
    {
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
        if fits {
            let (what, what_zh) = if expected == "a boolean" {
                ("true or false", "true 或 false")
            } else {
                ("a number", "数")
            };
            return Some(Slip {
                offset: start,
                message: both!(
                    "{key} takes {what}, written without quotes",
                    "{key} 应为{what_zh}，不加引号"
                ),
                help: both!(
                    "remove the quotes: write {unquoted}",
                    "请去掉引号：写成 {unquoted}"
                ),
                repair: Some(Repair {
                    range: span.clone(),
                    with: unquoted.to_string(),
                    is_fix: true,
                }),
            });
        }
    }
    let Both {
        en: found_en,
        zh: found_zh,
    } = found_kind(found);
    Some(Slip {
        offset: start,
        message: both!(
            "{key} takes {kind}, not {found_en}",
            "{key} 应为{kind_zh}，而不是{found_zh}"
        ),
        help: both!(
            "write {kind} here; docs/scenario.md describes every key",
            "请在此写{kind_zh}；docs/scenario.md 说明了每个键"
        ),
        repair: placeholder(stand_in),
    })
}

/// A choice that is not one of those allowed (`rest` is the parser's text
/// after "unknown variant `": the value, then the choices in backquotes).
fn unknown_choice(text: &str, span: Range<usize>, rest: &str) -> Option<Slip> {
    let start = floor(text, span.start);
    let (value, choices) = rest.split_once('`')?;
    let choices: Vec<&str> = choices.split('`').skip(1).step_by(2).collect();
    let key = key_of(text, start);
    let all = choices
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let near = closest(value, choices.iter().copied());
    let help = match near {
        Some(n) => both!(
            "did you mean \"{n}\"? {key} is one of {all}",
            "是不是“{n}”？{key} 只能是 {all} 之一"
        ),
        None => both!("write one of {all}", "请写 {all} 之一"),
    };
    Some(Slip {
        offset: start,
        message: both!(
            "{key}: \"{value}\" is not one of the choices",
            "{key}：“{value}”不是可选的值"
        ),
        help,
        repair: Some(Repair {
            range: floor(text, span.start)..floor(text, span.end),
            with: format!("\"{}\"", near.or(choices.first().copied())?),
            is_fix: near.is_some(),
        }),
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
                if let Some((_, name, name_zh, ascii)) =
                    FULL_WIDTH.iter().find(|(f, _, _, _)| *f == c)
                {
                    let at = line_start + i;
                    return Some(Slip {
                        offset: at,
                        message: both!(
                            "\"{c}\" ({name}) is not TOML punctuation",
                            "“{c}”（{name_zh}）不是 TOML 的标点"
                        ),
                        help: both!(
                            "type `{ascii}` instead (switch the input method to English \
                             punctuation)",
                            "请改为 `{ascii}`（把输入法切换到英文标点）"
                        ),
                        repair: Some(Repair {
                            range: line_start..line_end,
                            with: ascii_line(&text[line_start..line_end]),
                            is_fix: true,
                        }),
                    });
                }
            }
            (Some(_), _) => {}
        }
    }
    None
}

/// A line with its full-width punctuation typed in ASCII: outside
/// strings every character of [`FULL_WIDTH`]; full-width quotes open and
/// close strings like the ASCII ones (so `“N3”` becomes `"N3"`), and text
/// inside a string is left as written (`"新城，一期"` keeps its comma).
fn ascii_line(line: &str) -> String {
    let ascii_of = |c: char| FULL_WIDTH.iter().find(|f| f.0 == c).map(|f| f.3);
    let mut out = String::with_capacity(line.len());
    // The quote that opened the current string, as typed.
    let mut open: Option<char> = None;
    for c in line.chars() {
        match open {
            None => match c {
                '"' | '\'' | '“' | '‘' => {
                    open = Some(c);
                    out.push_str(ascii_of(c).unwrap_or(if c == '\'' { "'" } else { "\"" }));
                }
                '#' => {
                    open = Some('#');
                    out.push(c);
                }
                _ => match ascii_of(c) {
                    Some(a) => out.push_str(a),
                    None => out.push(c),
                },
            },
            Some('#') => out.push(c),
            Some(q) => {
                let closes = match q {
                    '“' => c == '”' || c == '"',
                    '‘' => c == '’' || c == '\'',
                    _ => c == q,
                };
                if closes {
                    open = None;
                    out.push(if matches!(q, '‘' | '\'') { '\'' } else { '"' });
                } else {
                    out.push(c);
                }
            }
        }
    }
    out
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

/// The value written at `offset` (up to the end of its line or a comma),
/// in backquotes, for messages.
fn value_text(text: &str, offset: usize) -> String {
    let rest = &text[offset..];
    let end = rest.find([',', '\n', '}', '#']).unwrap_or(rest.len());
    format!("`{}`", rest[..end].trim())
}

/// `` `key` `` for the `key = value` whose value starts at `offset`, or
/// "this value".
fn key_of(text: &str, offset: usize) -> String {
    key_before(text, offset)
        .map(|k| format!("`{k}`"))
        .unwrap_or_else(|| "this value".to_string())
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
            date_problem("2024-02-30").unwrap().0.en,
            "2024-02-30: February 2024 has 29 days"
        );
        assert_eq!(
            date_problem("2024-02-30").unwrap().0.zh,
            "2024-02-30：2024 年 2 月只有 29 天"
        );
        assert_eq!(date_problem("2022-4-1").unwrap().1.en, "write 2022-04-01");
        assert!(date_problem("2022-13-01")
            .unwrap()
            .0
            .en
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
