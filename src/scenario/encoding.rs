//! Turning the bytes of a file into text: UTF-8 (with or without a byte
//! order mark) or, failing that, GB18030.
//!
//! Scenario files are written by hand, often on Chinese Windows, where
//! editors still save as GBK by default. GB18030 is a superset of GBK, so
//! such a file is decoded rather than refused. A file that is neither gets
//! an error naming the line and column where its bytes stop being UTF-8,
//! and the fix. The library does no file I/O: the caller reads the bytes.

use super::{Diagnostic, Location, Source};
use crate::both;
use crate::lang::Both;

/// The UTF-8 byte order mark some Windows editors write at the start.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// How a file's bytes were decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a byte order mark, if any, is dropped).
    Utf8,
    /// GB18030, which includes GBK and GB2312.
    Gb18030,
}

/// A file whose bytes are neither UTF-8 nor GB18030.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "line {}, column {}: the bytes are not UTF-8 (nor GBK/GB18030) from here on",
    .location.line,
    .location.column
)]
pub struct NotText {
    /// Where the first byte that is not UTF-8 is, 1-based; the column
    /// counts the characters before it on its line.
    pub location: Location,
}

impl NotText {
    /// What is wrong.
    pub fn message(&self) -> Both {
        both!(
            "the bytes here are not UTF-8, and the file is not GBK/GB18030 either",
            "此处的字节不是 UTF-8 编码，文件也不是 GBK/GB18030 编码"
        )
    }

    /// How to fix it.
    pub fn help(&self) -> Both {
        both!(
            "save the file as UTF-8 (in the editor: Save As, Encoding: UTF-8)",
            "请将文件另存为 UTF-8 编码（另存为，编码选 UTF-8）"
        )
    }

    /// The error as a diagnostic of `file`, in the usual
    /// `FILE:LINE:COL: error:` form.
    pub fn diagnostic(&self, file: &str) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            location: self.location,
            message: self.message(),
            help: self.help(),
        }
    }
}

/// Decodes a file's bytes: UTF-8 with or without a byte order mark (which
/// is dropped), else GB18030 when the bytes are valid GB18030, else an
/// error at the first byte that is not UTF-8. Line endings are kept as
/// they are (CRLF is valid TOML).
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), NotText> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(text) => Ok((text.to_string(), Encoding::Utf8)),
        Err(e) => {
            // A file with a UTF-8 mark is meant to be UTF-8: no guessing.
            if body.len() == bytes.len() {
                if let Some(text) =
                    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(body)
                {
                    return Ok((text.into_owned(), Encoding::Gb18030));
                }
            }
            let valid = &body[..e.valid_up_to()];
            // The prefix is valid UTF-8 by construction.
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            Err(NotText {
                location: Location::of_offset(valid, valid.len()),
            })
        }
    }
}

impl Encoding {
    /// Reads an encoding name as a user gives it (`utf-8`, `utf8`, `gbk`,
    /// `gb18030`, `gb2312`, any case).
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "gbk" | "gb18030" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }
}

/// Decodes a file's bytes in the encoding the user named (a UTF-8 byte
/// order mark is dropped either way); the error is at the first byte that
/// is not text in it.
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> Result<String, NotText> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let at = |valid_up_to: usize| {
        let valid = std::str::from_utf8(&body[..valid_up_to]).unwrap_or_default();
        NotText {
            location: Location::of_offset(valid, valid.len()),
        }
    };
    match encoding {
        Encoding::Utf8 => std::str::from_utf8(body)
            .map(str::to_string)
            .map_err(|e| at(e.valid_up_to())),
        Encoding::Gb18030 => {
            let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(body.len() * 2);
            let (result, _) = decoder.decode_to_string_without_replacement(body, &mut out, true);
            match result {
                encoding_rs::DecoderResult::InputEmpty => Ok(out),
                _ => {
                    // The location counts lines and characters of the text
                    // decoded so far.
                    let line = 1 + out.matches('\n').count();
                    let column = 1 + out.rsplit('\n').next().map_or(0, |l| l.chars().count());
                    Err(NotText {
                        location: Location { line, column },
                    })
                }
            }
        }
    }
}

impl Source {
    /// A source from a file's bytes, decoded by [`decode`]; the error is a
    /// diagnostic of `file` pointing at the first byte that is not text.
    // The error happens once per file read: its size does not matter.
    #[allow(clippy::result_large_err)]
    pub fn from_bytes(file: impl Into<String>, bytes: &[u8]) -> Result<Source, Diagnostic> {
        let file = file.into();
        match decode(bytes) {
            Ok((text, _)) => Ok(Source { file, text }),
            Err(e) => Err(e.diagnostic(&file)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_a_mark() {
        assert_eq!(
            decode(b"a = 1\r\n").unwrap(),
            ("a = 1\r\n".to_string(), Encoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFa = 1\r\n").unwrap(),
            ("a = 1\r\n".to_string(), Encoding::Utf8)
        );
    }

    #[test]
    fn gbk_is_read_as_gb18030() {
        let text = "name = \"新城区供热管网\"\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(
            decode(&bytes).unwrap(),
            (text.to_string(), Encoding::Gb18030)
        );
    }

    #[test]
    fn neither_gives_the_line_and_column() {
        // 0xFF is never valid in UTF-8 or GB18030.
        let e = decode(b"a = 1\nname = \"\xC3\xA9\xFF").unwrap_err();
        assert_eq!(
            e.location,
            Location {
                line: 2,
                column: 10
            }
        );
    }

    #[test]
    fn a_named_encoding_is_used_as_given() {
        let text = "id,备注\r\nA,热力站\r\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode_as(&gbk, Encoding::Gb18030).unwrap(), text);
        let e = decode_as(&gbk, Encoding::Utf8).unwrap_err();
        assert_eq!(e.location, Location { line: 1, column: 4 });
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("utf8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("latin1"), None);
    }

    #[test]
    fn a_marked_file_is_not_guessed() {
        let (gbk, _, _) = encoding_rs::GBK.encode("a = \"新\"");
        let bytes = [BOM, &gbk].concat();
        let e = decode(&bytes).unwrap_err();
        assert_eq!(e.location, Location { line: 1, column: 6 });
    }
}
