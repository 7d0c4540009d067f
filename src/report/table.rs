//! Plain-text tables for the terminal, aligned by display width (Chinese
//! characters take two columns).

use super::lang::{display_width, pad, pad_left};

/// Renders rows under a header with a rule line; columns listed in `right`
/// are right-aligned (numbers). Every line is indented by `indent` spaces.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[usize], indent: usize) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(display_width(c));
        }
    }
    let cell = |i: usize, s: &str| {
        if right.contains(&i) {
            pad_left(s, widths[i])
        } else {
            pad(s, widths[i])
        }
    };
    let ind = " ".repeat(indent);
    let mut out = String::new();
    let head: Vec<String> = header.iter().enumerate().map(|(i, h)| cell(i, h)).collect();
    out += &format!("{ind}{}\n", head.join("  ").trim_end());
    let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
    out += &format!("{ind}{}\n", rule.join("  "));
    for r in rows {
        let cells: Vec<String> = (0..n)
            .map(|i| cell(i, r.get(i).map_or("", |s| s.as_str())))
            .collect();
        out += &format!("{ind}{}\n", cells.join("  ").trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_wide_characters() {
        let t = table(
            &["站", "n"],
            &[
                vec!["热力站".into(), "5".into()],
                vec!["S1".into(), "12".into()],
            ],
            &[1],
            0,
        );
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "站       n");
        assert_eq!(lines[2], "热力站   5");
        assert_eq!(lines[3], "S1      12");
    }
}
