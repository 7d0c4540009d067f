//! CSV renderers (RFC 4180 quoting, UTF-8, `\n` line ends).

use crate::plan::Plan;

/// Quotes a field when it contains a comma, a quote or a line break.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Joins fields into one CSV line (with its line end).
pub fn line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    out
}

/// plan.csv: one row per activity.
pub fn plan_csv(plan: &Plan) -> String {
    let mut out = line(&[
        "id",
        "name",
        "element",
        "district",
        "contractor",
        "crew",
        "start",
        "finish",
        "duration",
    ]);
    for a in &plan.activities {
        out += &line(&[
            a.id.as_str(),
            &a.name,
            &a.element,
            &a.district,
            &a.contractor,
            &a.crew,
            &a.start.to_string(),
            &a.finish.to_string(),
            &a.duration_days.to_string(),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(line(&["x", "y,z"]), "x,\"y,z\"\n");
    }
}
