//! CSV renderers (RFC 4180 quoting, UTF-8 with a byte-order mark, `\n`
//! line ends; see [`crate::csv_text::Document`]): plan.csv, the
//! progress-ledger template and the task responsibility lists.

use super::lang::Lang;
use crate::plan::cpm::NetworkPlan;

pub use crate::csv_text::Document;

/// Header of plan.csv (fixed, in English: machines read it back).
pub const PLAN_HEADER: [&str; 16] = [
    "id",
    "name",
    "element",
    "district",
    "contractor",
    "crew",
    "start",
    "finish",
    "duration",
    "es",
    "ef",
    "ls",
    "lf",
    "total_float",
    "free_float",
    "critical",
];

/// Header of ledger.csv, the progress-ledger template re-planning reads back.
pub const LEDGER_HEADER: [&str; 8] = [
    "id",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "percent_complete",
    "remaining_days",
    "remarks",
];

/// plan.csv: one row per activity. The first nine columns are the plan
/// (ISO dates, duration in calendar days); `es,ef,ls,lf` are the
/// resource-driven dates (first and last day of work) and the floats are in
/// calendar days; `critical` is `true` for the resource-critical activities
/// (minimum total float, or on a resource-critical path).
pub fn plan_csv(np: &NetworkPlan) -> String {
    let mut out = Document::new();
    out.row(PLAN_HEADER);
    for (a, t) in np.plan.activities.iter().zip(&np.activities) {
        let r = &t.resource;
        out.row([
            a.id.as_str(),
            &a.name,
            &a.element,
            &a.district,
            &a.contractor,
            &a.crew,
            &a.start.to_string(),
            &a.finish.to_string(),
            &a.duration_days.to_string(),
            &r.es_date.to_string(),
            &r.ef_date.to_string(),
            &r.ls_date.to_string(),
            &r.lf_date.to_string(),
            &r.days.total_float.to_string(),
            &r.days.free_float.to_string(),
            if r.days.marked() { "true" } else { "false" },
        ]);
    }
    out.finish()
}

/// ledger.csv: the progress-ledger template (工作推进台账), one row per
/// activity with the planned dates filled in and the progress columns
/// (`actual_start`, `actual_finish`, `percent_complete` or `remaining_days`,
/// `remarks`) to fill; `heatplan replan` reads it back filled in. A
/// re-plan's ledger comes pre-filled with the actuals it records: finished
/// work with both dates and 100, running work with its actual start (and,
/// in the remarks, its last reported progress), so that only the new
/// progress needs to be entered.
pub fn ledger_csv(np: &NetworkPlan) -> String {
    let actual: std::collections::HashMap<&str, &crate::plan::progress::Actual> =
        np.actuals.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut out = Document::new();
    out.row(LEDGER_HEADER);
    for a in &np.plan.activities {
        let (start, finish, pct, remarks) = match actual.get(a.id.as_str()) {
            None => (String::new(), String::new(), String::new(), String::new()),
            Some(x) => match x.finish {
                Some(f) => (
                    x.start.to_string(),
                    f.to_string(),
                    "100".into(),
                    String::new(),
                ),
                None => {
                    let last = match (x.percent_complete, x.remaining_days) {
                        (Some(p), _) => format!("{p}% on {}", x.reported),
                        (None, Some(d)) => format!("{d} days left on {}", x.reported),
                        (None, None) => format!("running as planned on {}", x.reported),
                    };
                    (
                        x.start.to_string(),
                        String::new(),
                        String::new(),
                        format!("running: {last}"),
                    )
                }
            },
        };
        out.row([
            a.id.as_str(),
            &a.start.to_string(),
            &a.finish.to_string(),
            &start,
            &finish,
            &pct,
            "",
            &remarks,
        ]);
    }
    out.finish()
}

/// Whose responsibility list: a district's or a contractor's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsible {
    /// One list per district (辖区).
    District,
    /// One list per contractor (施工单位).
    Contractor,
}

/// Task responsibility lists (任务责任清单): one CSV file per district or
/// per contractor, named `responsibility-district-<id>.csv` or
/// `responsibility-contractor-<id>.csv` (characters unsafe in file names
/// become `_`). Rows are the activities in order of planned start, with the
/// planned dates, the float and the critical flag. Headers are in the report language and the
/// files start with a UTF-8 byte-order mark so that spreadsheet programs
/// show the Chinese correctly. Activities without a district (or a
/// contractor) go to a list named `-` (`responsibility-district-_.csv`).
pub fn responsibility_lists(
    np: &NetworkPlan,
    who: Responsible,
    lang: Lang,
) -> Vec<(String, String)> {
    let l = lang.labels();
    let (tag, ids): (&str, Vec<String>) = match who {
        Responsible::District => (
            "district",
            np.districts.iter().map(|d| d.id.clone()).collect(),
        ),
        Responsible::Contractor => (
            "contractor",
            np.contractors.iter().map(|c| c.id.clone()).collect(),
        ),
    };
    let key = |a: &crate::plan::PlannedActivity| -> String {
        match who {
            Responsible::District => a.district.clone(),
            Responsible::Contractor => a.contractor.clone(),
        }
    };
    let mut groups: Vec<String> = ids;
    if np.plan.activities.iter().any(|a| key(a).is_empty()) {
        groups.push(String::new());
    }
    let mut files = Vec::new();
    for g in groups {
        let mut rows: Vec<usize> = (0..np.plan.activities.len())
            .filter(|&i| key(&np.plan.activities[i]) == g)
            .collect();
        if rows.is_empty() {
            continue;
        }
        rows.sort_by_key(|&i| (np.plan.activities[i].start_day, i));
        let mut out = Document::new();
        out.row([
            l.district,
            l.contractor,
            l.crew,
            l.id,
            l.name,
            l.element,
            l.start,
            l.finish_col,
            l.duration,
            l.total_float,
            l.critical,
            responsible_label(lang),
            contact_label(lang),
        ]);
        for i in rows {
            let a = &np.plan.activities[i];
            let t = &np.activities[i].resource.days;
            let who = np.responsible_for_activity(i);
            out.row([
                np.district_name(&a.district).as_str(),
                &np.contractor_name(&a.contractor),
                &a.crew,
                &a.id,
                &a.name,
                &a.element,
                &a.start.to_string(),
                &a.finish.to_string(),
                &a.duration_days.to_string(),
                &t.total_float.to_string(),
                if t.marked() { l.yes } else { "" },
                who.map_or("", |r| r.person.as_str()),
                who.map_or("", |r| r.contact.as_str()),
            ]);
        }
        let name = if g.is_empty() {
            "_".to_string()
        } else {
            safe_name(&g)
        };
        files.push((format!("responsibility-{tag}-{name}.csv"), out.finish()));
    }
    files
}

/// Replaces characters that are unsafe in file names by `_`.
pub fn safe_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Header of the responsible-person column (任务具体到人).
pub fn responsible_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "责任人",
        Lang::En => "Responsible",
    }
}

/// Header of the contact column.
pub fn contact_label(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "联系方式",
        Lang::En => "Contact",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[&[&str]]) -> String {
        let mut d = Document::new();
        for r in rows {
            d.row(*r);
        }
        let text = d.finish();
        // Every document starts with the byte-order mark.
        text.strip_prefix(crate::csv_text::BOM)
            .expect("a byte-order mark")
            .to_string()
    }

    #[test]
    fn quoting() {
        assert_eq!(text(&[&["plain", "a,b"]]), "plain,\"a,b\"\n");
        assert_eq!(text(&[&["say \"hi\""]]), "\"say \"\"hi\"\"\"\n");
        assert_eq!(
            text(&[&["two\nlines", "cr\r"]]),
            "\"two\nlines\",\"cr\r\"\n"
        );
        // Spaces, Chinese and empty fields are written as they are.
        assert_eq!(text(&[&[" 热力站 ", "", ""], &["x"]]), " 热力站 ,,\nx\n");
    }
}
