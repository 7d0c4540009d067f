//! The two languages heatplan speaks, and texts written in both.
//!
//! This module is the bottom of the crate, below the scenario layer, so
//! that every stage can say what it finds in Chinese and English: the
//! problems of a scenario ([`Diagnostic`](crate::scenario::Diagnostic)),
//! of a progress ledger or an events file, of a variants file, and the
//! labels of the reports (`report::lang`, which adds
//! [`Lang::labels`] on top).
//!
//! A text meant for the user is a [`Both`]: the English and the Chinese
//! words side by side, built with the [`both!`](crate::both) macro, which
//! takes both or does not compile. Which one is shown is decided only
//! where the text is printed (the CLI's `--lang`), so a message never
//! exists in one language only.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Language of messages and labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Simplified Chinese.
    #[default]
    Zh,
    /// English.
    En,
}

/// The values [`Lang::parse`] accepts, in English and Chinese, for
/// messages that refuse others.
pub const ACCEPTED: (&str, &str) = (
    "zh (Simplified Chinese) or en (English)",
    "zh（简体中文）或 en（英文）",
);

impl Lang {
    /// Parses `zh` or `en` (case-insensitive, surrounding spaces ignored).
    /// Nothing else is accepted, not even near misses such as `cn`: a
    /// language the user did not ask for is worse than a clear refusal.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The BCP 47 tag (`zh-CN`, `en`), for HTML.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A text in English and in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Both {
    /// The English text.
    pub en: String,
    /// The Chinese text.
    pub zh: String,
}

impl Both {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The same text in both languages (an id, a number, or nothing).
    pub fn same(text: impl Into<String>) -> Both {
        let text = text.into();
        Both {
            zh: text.clone(),
            en: text,
        }
    }

    /// True when both texts are empty.
    pub fn is_empty(&self) -> bool {
        self.en.is_empty() && self.zh.is_empty()
    }

    /// Joins two texts with `sep_en` / `sep_zh` between them (nothing when
    /// either is empty).
    pub fn join(&self, other: &Both, sep_en: &str, sep_zh: &str) -> Both {
        let glue = |a: &str, b: &str, sep: &str| match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_string(),
            (_, true) => a.to_string(),
            _ => format!("{a}{sep}{b}"),
        };
        Both {
            en: glue(&self.en, &other.en, sep_en),
            zh: glue(&self.zh, &other.zh, sep_zh),
        }
    }
}

/// English, for `{}` in code that has no language at hand (logs, tests).
impl fmt::Display for Both {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

/// A [`Both`] from two format strings: `both!("{n} days", "{n} 天")`.
/// Each is formatted like `format!`; both are required.
#[macro_export]
macro_rules! both {
    ($en:expr, $zh:expr $(,)?) => {
        $crate::lang::Both {
            en: format!($en),
            zh: format!($zh),
        }
    };
}

/// True when `text` holds a Chinese character (CJK Unified Ideographs), for
/// tests that every message has its Chinese.
pub fn has_chinese(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_zh_and_en_are_languages() {
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse(" zh "), Some(Lang::Zh));
        for wrong in ["cn", "fr", "zh-cn", "", "chinese"] {
            assert_eq!(Lang::parse(wrong), None, "{wrong}");
        }
    }

    #[test]
    fn both_picks_and_joins() {
        let n = 3;
        let t = both!("{n} days", "{n} 天");
        assert_eq!(t.get(Lang::En), "3 days");
        assert_eq!(t.get(Lang::Zh), "3 天");
        let j = t.join(&Both::same("x"), "; ", "；");
        assert_eq!(j.zh, "3 天；x");
        assert!(has_chinese(&t.zh) && !has_chinese(&t.en));
    }
}
