//! A very small XML writer: escaping and an indenting element builder, used
//! for MS Project XML, SVG and the (XHTML-compatible) HTML report.

/// Font list of the pictures and the HTML report: common Chinese UI fonts
/// first, so labels and scenario names in Chinese render on any desktop.
pub const FONT_FAMILY: &str =
    "'Microsoft YaHei', 'PingFang SC', 'Noto Sans CJK SC', 'WenQuanYi Zen Hei', sans-serif";

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
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Builds an indented XML document element by element.
#[derive(Debug, Default)]
pub struct XmlWriter {
    out: String,
    stack: Vec<String>,
}

impl XmlWriter {
    /// An empty document with the XML declaration.
    pub fn new() -> XmlWriter {
        XmlWriter {
            out: "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n".into(),
            stack: Vec::new(),
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.stack.len() {
            self.out.push_str("  ");
        }
    }

    /// Opens an element with attributes (values are escaped).
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(tag);
        for (k, v) in attrs {
            self.out.push_str(&format!(" {k}=\"{}\"", esc(v)));
        }
        self.out.push_str(">\n");
        self.stack.push(tag.to_string());
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) {
        let tag = self.stack.pop().expect("an element is open");
        self.indent();
        self.out.push_str(&format!("</{tag}>\n"));
    }

    /// Writes `<tag>text</tag>` (text escaped).
    pub fn leaf(&mut self, tag: &str, text: impl AsRef<str>) {
        self.indent();
        self.out
            .push_str(&format!("<{tag}>{}</{tag}>\n", esc(text.as_ref())));
    }

    /// Closes every open element and returns the document.
    pub fn finish(mut self) -> String {
        while !self.stack.is_empty() {
            self.close();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_nests() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
        let mut w = XmlWriter::new();
        w.open("a", &[("x", "1&2")]);
        w.leaf("b", "热力站");
        let s = w.finish();
        assert!(s.ends_with("<a x=\"1&amp;2\">\n  <b>热力站</b>\n</a>\n"));
    }
}
