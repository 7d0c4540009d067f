//! XML for the reports: [`XmlWriter`] builds XML documents (plan.xml, the
//! MS Project file) with quick-xml; [`esc`] escapes the text the SVG
//! pictures and the (XHTML-compatible) HTML report put into their markup.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::borrow::Cow;

/// Font list of the pictures and the HTML report: common Chinese UI fonts
/// first, so labels and scenario names in Chinese render on any desktop.
pub const FONT_FAMILY: &str =
    "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif";

/// A number written with one decimal, exactly as `{:.1}` writes it, but
/// without the general float formatter on the common path (the pictures of
/// a large programme write millions of coordinates).
#[derive(Debug, Clone, Copy)]
pub struct Dec1(pub f64);

impl std::fmt::Display for Dec1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        let t = v * 10.0;
        // Tenths that are not near a tie round the same way from the
        // product as from the exact decimal value; ties, negative and huge
        // values go through the formatter.
        if v.is_sign_positive() && v < 1e12 && (t - t.floor() - 0.5).abs() > 1e-6 {
            let r = t.round() as u64;
            write!(f, "{}.{}", r / 10, r % 10)
        } else {
            write!(f, "{v:.1}")
        }
    }
}

/// True for the characters XML 1.0 does not allow in a document: control
/// characters other than tab and the line ends, and U+FFFE and U+FFFF.
fn forbidden(c: char) -> bool {
    ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{fffe}' || c == '\u{ffff}'
}

/// `s` without the characters XML 1.0 does not allow.
fn allowed(s: &str) -> Cow<'_, str> {
    if s.chars().any(forbidden) {
        Cow::Owned(s.chars().filter(|&c| !forbidden(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// Escapes text for XML content and attribute values (`& < > " '`), and
/// drops characters XML 1.0 does not allow.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if forbidden(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Writing into memory does not fail.
const IN_MEMORY: &str = "writing XML to memory cannot fail";

/// Builds an XML document element by element with quick-xml: the
/// declaration (UTF-8, standalone), then each element on its own line,
/// indented two spaces a level, and each leaf as `<tag>text</tag>` on one
/// line. Text and attribute values are escaped by quick-xml (`&`, `<`, `>`,
/// `"`, `'` and a carriage return as character references); characters XML
/// 1.0 does not allow are dropped.
pub struct XmlWriter {
    writer: Writer<Vec<u8>>,
    open: Vec<String>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        XmlWriter::new()
    }
}

impl std::fmt::Debug for XmlWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlWriter")
            .field("open", &self.open)
            .finish_non_exhaustive()
    }
}

impl XmlWriter {
    /// An empty document with the XML declaration.
    pub fn new() -> XmlWriter {
        let mut w = XmlWriter {
            writer: Writer::new_with_indent(Vec::new(), b' ', 2),
            open: Vec::new(),
        };
        w.write(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        w
    }

    fn write(&mut self, event: Event<'_>) {
        self.writer.write_event(event).expect(IN_MEMORY);
    }

    /// Opens an element with attributes.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        let mut start = BytesStart::new(tag);
        for &(key, value) in attrs {
            start.push_attribute((key, allowed(value).as_ref()));
        }
        self.write(Event::Start(start));
        self.open.push(tag.to_string());
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        let tag = self.open.pop().expect("an element is open");
        self.write(Event::End(BytesEnd::new(tag)));
    }

    /// Writes `<tag>text</tag>`.
    pub fn leaf(&mut self, tag: &str, text: impl AsRef<str>) {
        self.write(Event::Start(BytesStart::new(tag)));
        // Also for empty text: it keeps the end tag on the same line.
        self.write(Event::Text(BytesText::new(&allowed(text.as_ref()))));
        self.write(Event::End(BytesEnd::new(tag)));
    }

    /// Closes every open element and returns the document (ending in a
    /// line break).
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        let mut text = String::from_utf8(self.writer.into_inner()).expect("the text is UTF-8");
        text.push('\n');
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dec1_writes_what_the_formatter_writes() {
        let mut values = vec![
            0.0,
            -0.0,
            0.05,
            0.25,
            0.35,
            0.45,
            1.05,
            2.5,
            40.0,
            1e11,
            1e13,
            -3.25,
            -0.04,
            f64::NAN,
            f64::INFINITY,
            123.456_789,
        ];
        // Coordinates as the drawings make them: sums and multiples of
        // fractional steps, with their rounding errors.
        let mut x = 40.0;
        for i in 0..20_000 {
            x += 1.5;
            values.push(x);
            values.push(i as f64 * 0.7 + 0.15);
            values.push(i as f64 / 3.0);
        }
        for v in values {
            assert_eq!(Dec1(v).to_string(), format!("{v:.1}"), "{v:e}");
        }
    }

    #[test]
    fn escapes_and_nests() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        let mut w = XmlWriter::new();
        w.open("a", &[("x", "1&2")]);
        w.leaf("b", "热力站");
        w.leaf("c", "");
        w.open("d", &[]);
        w.leaf("e", "it's <5> & \"x\"\u{1}");
        let s = w.finish();
        assert_eq!(
            s,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <a x=\"1&amp;2\">\n  <b>热力站</b>\n  <c></c>\n  <d>\n    \
             <e>it&apos;s &lt;5&gt; &amp; &quot;x&quot;</e>\n  </d>\n</a>\n"
        );
    }
}
