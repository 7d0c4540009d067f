//! Reports: a network plan rendered as the files and text a manager uses.
//!
//! Every renderer returns a `String` (or a list of file names and contents);
//! writing files is the CLI's job.
//!
//! | file | renderer |
//! | --- | --- |
//! | plan.csv | [`csv::plan_csv`] |
//! | ledger.csv | [`csv::ledger_csv`] |
//! | responsibility-district-*.csv, responsibility-contractor-*.csv | [`csv::responsibility_lists`] |
//! | plan.json | [`plan_json`] |
//! | plan.xml (MS Project) | [`mspdi::mspdi`] |
//! | gantt.svg | [`gantt::gantt_svg`] |
//! | network.svg | [`network_svg::network_svg`] |
//! | timescaled.svg, timescaled-DISTRICT.svg (timescaled-DISTRICT-activities.svg) | [`timescaled::sheets`] ([`timescaled::activity_sheets`]) |
//! | bulletin.html, bulletin.csv (`status`) | [`bulletin::bulletin_html`], [`bulletin::bulletin_csv`] |
//! | report.html | [`html::report_html`] ([`html::replan_report_html`] with a re-plan's variance) |
//! | variance.csv (re-plans) | [`crate::plan::variance::Variance::csv`] |
//! | terminal summary | [`summary::plan_summary`] |

pub mod bulletin;
pub mod csv;
pub mod gantt;
pub mod html;
pub mod inventory;
pub mod lang;
pub mod mspdi;
pub mod network_svg;
pub mod risk;
pub mod solver_words;
pub mod summary;
pub mod table;
pub mod timescaled;
pub mod wbs;
pub mod xml;

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod tests;

pub use lang::Lang;
pub use network_svg::Detail;

use crate::plan::cpm::NetworkPlan;
use crate::plan::variance::Variance;

/// plan.json: the whole network plan, versioned (see
/// [`crate::plan::SCHEMA_VERSION`]); [`read_plan_json`] reads it back.
pub fn plan_json(np: &NetworkPlan) -> String {
    serde_json::to_string_pretty(np).expect("a plan always serialises") + "\n"
}

/// Why plan.json could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum PlanReadError {
    /// Not JSON, or not the shape of a plan.
    #[error("not a heatplan plan.json ({0})")]
    Json(#[from] serde_json::Error),
    /// Written by another version of heatplan.
    #[error("plan.json has schema version {found}, but this heatplan reads version {expected}")]
    Version {
        /// Version found in the file (0 when missing).
        found: u64,
        /// Version this build reads.
        expected: u32,
    },
}

/// Reads plan.json back (for re-planning); the schema version is checked
/// before anything else so that an older or newer file gets a clear error.
pub fn read_plan_json(text: &str) -> Result<NetworkPlan, PlanReadError> {
    let value: serde_json::Value = serde_json::from_str(text)?;
    let found = value
        .get("schema_version")
        .and_then(|v| v.as_u64())
        .unwrap_or(0);
    if found != crate::plan::SCHEMA_VERSION as u64 {
        return Err(PlanReadError::Version {
            found,
            expected: crate::plan::SCHEMA_VERSION,
        });
    }
    Ok(serde_json::from_value(value)?)
}

/// Every report file of a plan: `(file name, content)` in writing order.
pub fn all_files(np: &NetworkPlan, detail: Detail, lang: Lang) -> Vec<(String, String)> {
    files(np, None, detail, lang)
}

/// Every report file of a re-plan: those of [`all_files`], with the
/// variance against the baseline as a section of report.html and as
/// variance.csv.
pub fn replan_files(
    np: &NetworkPlan,
    variance: &Variance,
    detail: Detail,
    lang: Lang,
) -> Vec<(String, String)> {
    let mut files = files(np, Some(variance), detail, lang);
    files.push(("variance.csv".to_string(), variance.csv()));
    files
}

fn files(
    np: &NetworkPlan,
    variance: Option<&Variance>,
    detail: Detail,
    lang: Lang,
) -> Vec<(String, String)> {
    // Every picture is drawn once (report.html shows gantt.svg, network.svg
    // and timescaled.svg inline), and the time-scaled sheets, the largest
    // part on a programme of thousands of activities, are drawn on a thread
    // of their own beside the rest.
    let (sheets, files, (gantt, network)) = std::thread::scope(|s| {
        let sheets = s.spawn(|| {
            let mut sheets = timescaled::sheets(np, lang, None);
            if detail == Detail::Activities {
                sheets.extend(timescaled::activity_sheets(np, lang, None));
            }
            sheets
        });
        let pictures = (
            match variance {
                Some(v) => gantt::gantt_svg_replan(np, v, lang),
                None => gantt::gantt_svg(np, lang),
            },
            network_svg::network_svg(np, detail, lang),
        );
        let mut lists = csv::responsibility_lists(np, csv::Responsible::District, lang);
        lists.extend(csv::responsibility_lists(
            np,
            csv::Responsible::Contractor,
            lang,
        ));
        let files = vec![
            ("plan.json".to_string(), plan_json(np)),
            ("plan.csv".to_string(), csv::plan_csv(np)),
            ("ledger.csv".to_string(), csv::ledger_csv(np)),
            (
                "plan.xml".to_string(),
                match variance {
                    Some(v) => mspdi::mspdi_replan(np, v, lang),
                    None => mspdi::mspdi(np, lang),
                },
            ),
        ];
        let sheets = sheets
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        (sheets, (files, lists), pictures)
    });
    let (mut out, lists) = files;
    let report = html::report_html_with(
        np,
        variance,
        &html::Drawings {
            gantt: &gantt,
            network: &network,
            timescaled: &sheets[0].1,
        },
        lang,
    );
    out.push(("gantt.svg".to_string(), gantt));
    out.push(("network.svg".to_string(), network));
    out.push(("report.html".to_string(), report));
    out.extend(sheets);
    out.extend(lists);
    out
}

/// The files of `heatplan status`: bulletin.html, bulletin.csv, and the
/// Gantt chart and time-scaled sheets with the front line of the data date.
pub fn status_files(
    np: &NetworkPlan,
    b: &crate::plan::bulletin::Bulletin,
    lang: Lang,
) -> Vec<(String, String)> {
    let front = Some((b.front.as_slice(), b.data_day));
    let mut files = vec![
        (
            "bulletin.html".to_string(),
            bulletin::bulletin_html(b, np, lang),
        ),
        ("bulletin.csv".to_string(), bulletin::bulletin_csv(b)),
        (
            "gantt-front.svg".to_string(),
            gantt::gantt_svg_with_front(np, lang, front),
        ),
    ];
    for (name, svg) in timescaled::sheets(np, lang, front) {
        files.push((name.replace("timescaled", "timescaled-front"), svg));
    }
    files
}
