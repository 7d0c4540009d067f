//! report.html: one self-contained page (no scripts, fonts or images from
//! the network) with the summary, the Gantt chart and the network diagram
//! inline as SVG, the late stations and why they are late, the milestones, the crews' utilisation,
//! the critical paths and the table of all activities. Long tables sit in
//! `<details>` blocks, folded when they are long, so the pictures stay near
//! the top.
//!
//! The page is written as XHTML-compatible HTML5 (every element closed,
//! attributes quoted, only XML's five entities), so an XML parser can check
//! it and browsers read it as ordinary HTML.

use super::gantt::{gantt_svg, gantt_svg_replan};
use super::lang::Lang;
use super::network_svg::{network_svg, Detail};
use super::summary::{
    kind_label, late_reason_text, late_station_table, path_text, utilisation_table,
};
use super::xml::{esc, FONT_FAMILY};
use crate::plan::cpm::NetworkPlan;
use crate::plan::variance::Variance;
use std::fmt::Write;

const STYLE: &str = "body{margin:1.5em;color:#222}\
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left}\
th{background:#eef2f7}td.n{text-align:right}tr.crit td{color:#b00}\
.chart{overflow:auto;border:1px solid #ddd;max-height:80vh}.kv th{width:16em}.note{color:#555;font-size:0.85em}";

/// Opens a `<details>` block, unfolded when it has at most `open_up_to` rows.
fn open_details(o: &mut String, rows: usize, open_up_to: usize) {
    let open = if rows <= open_up_to {
        " open=\"open\""
    } else {
        ""
    };
    let _ = writeln!(o, "<details{open}><summary>{rows}</summary>");
}

fn table_head(o: &mut String, cols: &[&str]) {
    o.push_str("<table><thead><tr>");
    for c in cols {
        let _ = write!(o, "<th>{}</th>", esc(c));
    }
    o.push_str("</tr></thead><tbody>\n");
}

fn row(o: &mut String, cells: &[String], numeric: &[usize], class: Option<&str>) {
    match class {
        Some(c) => {
            let _ = write!(o, "<tr class=\"{c}\">");
        }
        None => o.push_str("<tr>"),
    }
    for (i, c) in cells.iter().enumerate() {
        if numeric.contains(&i) {
            let _ = write!(o, "<td class=\"n\">{}</td>", esc(c));
        } else {
            let _ = write!(o, "<td>{}</td>", esc(c));
        }
    }
    o.push_str("</tr>\n");
}

/// The pictures report.html shows inline: the same SVG as gantt.svg,
/// network.svg and timescaled.svg, so that writing all the files draws each
/// once (on a programme of thousands of activities every drawing takes a
/// noticeable share of the time).
#[derive(Debug, Clone, Copy)]
pub struct Drawings<'a> {
    /// gantt.svg.
    pub gantt: &'a str,
    /// network.svg.
    pub network: &'a str,
    /// timescaled.svg (the city sheet).
    pub timescaled: &'a str,
}

/// Renders report.html.
pub fn report_html(np: &NetworkPlan, detail: Detail, lang: Lang) -> String {
    with_drawings(np, None, detail, lang, |d| page(np, None, d, lang))
}

/// Renders report.html of a re-plan: the plan's page followed by its
/// variance against the baseline.
pub fn replan_report_html(
    np: &NetworkPlan,
    variance: &Variance,
    detail: Detail,
    lang: Lang,
) -> String {
    with_drawings(np, Some(variance), detail, lang, |d| {
        page(np, Some(variance), d, lang)
    })
}

/// [`report_html`] or [`replan_report_html`] (with `variance`) around
/// pictures already drawn.
pub fn report_html_with(
    np: &NetworkPlan,
    variance: Option<&Variance>,
    drawings: &Drawings,
    lang: Lang,
) -> String {
    page(np, variance, drawings, lang)
}

fn with_drawings(
    np: &NetworkPlan,
    variance: Option<&Variance>,
    detail: Detail,
    lang: Lang,
    f: impl FnOnce(&Drawings) -> String,
) -> String {
    let gantt = match variance {
        Some(v) => gantt_svg_replan(np, v, lang),
        None => gantt_svg(np, lang),
    };
    let network = network_svg(np, detail, lang);
    let timescaled = super::timescaled::city_sheet(np, lang, None);
    f(&Drawings {
        gantt: &gantt,
        network: &network,
        timescaled: &timescaled,
    })
}

/// The page, with the variance section last when there is one.
fn page(np: &NetworkPlan, variance: Option<&Variance>, drawings: &Drawings, lang: Lang) -> String {
    let l = lang.labels();
    let plan = &np.plan;
    let late = plan.late_stations();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{0}\" xml:lang=\"{0}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{1}</title>\n<style>body{{font-family:{FONT_FAMILY}}}{STYLE}</style>\n</head>\n<body>",
        lang.tag(),
        esc(&format!("{} — {}", plan.programme, l.report_title))
    );
    let _ = writeln!(
        o,
        "<h1>{}</h1>",
        esc(&format!("{} — {}", plan.programme, l.report_title))
    );

    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<table class=\"kv\"><tbody>",
        esc(l.summary)
    );
    let kv = super::summary::summary_rows(np, lang);
    for (k, v) in kv {
        let _ = writeln!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    }
    o.push_str("</tbody></table>\n");
    if !plan.levels.nodes.is_empty() {
        let _ = writeln!(o, "<h2>{}</h2>", esc(l.time_nodes));
        let (head, rows) = super::summary::node_table(np, l);
        table_head(&mut o, &head);
        for (cells, n) in rows.iter().zip(&plan.levels.nodes) {
            row(&mut o, cells, &[5], (n.days_late > 0).then_some("crit"));
        }
        o.push_str("</tbody></table>\n");
        if !np.why_nodes_late.is_empty() {
            let _ = writeln!(o, "<h3>{}</h3>\n<ul>", esc(l.why_nodes_missed));
            for r in &np.why_nodes_late {
                let line = super::summary::node_reason_line(np, r, lang);
                let _ = writeln!(o, "<li>{}</li>", esc(&line));
            }
            o.push_str("</ul>\n");
        }
    }

    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<div class=\"chart\">\n{}</div>",
        esc(l.gantt),
        drawings.gantt
    );
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<div class=\"chart\">\n{}</div>",
        esc(l.network),
        drawings.network
    );

    timescaled_section(&mut o, drawings.timescaled, lang);

    let _ = writeln!(o, "<h2>{}</h2>", esc(l.late_stations));
    if late.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(l.none));
    } else {
        let (head, rows) = late_station_table(np, l);
        open_details(&mut o, rows.len(), 30);
        table_head(&mut o, &head);
        for cells in &rows {
            row(&mut o, cells, &[4, 5], None);
        }
        o.push_str("</tbody></table>\n</details>\n");
    }

    if !np.why_late.is_empty() {
        let _ = writeln!(o, "<h2>{}</h2>", esc(l.why_late));
        table_head(&mut o, &[l.station, l.cause, l.explanation]);
        for r in &np.why_late {
            let cause = if r.chain_bound() {
                l.cause_chain
            } else {
                l.cause_crews
            };
            row(
                &mut o,
                &[
                    r.station.clone(),
                    cause.to_string(),
                    late_reason_text(r, lang),
                ],
                &[],
                None,
            );
        }
        o.push_str("</tbody></table>\n");
    }

    let _ = writeln!(o, "<h2>{}</h2>", esc(l.milestones));
    open_details(&mut o, np.milestones.len(), 30);
    table_head(
        &mut o,
        &[
            l.kind,
            l.id,
            l.name,
            l.district,
            l.date,
            l.due,
            l.variance,
            l.households,
        ],
    );
    for m in &np.milestones {
        let late = m.variance_days.is_some_and(|v| v > 0);
        row(
            &mut o,
            &[
                kind_label(m.kind, l).to_string(),
                m.id.clone(),
                m.name.clone(),
                if m.district.is_empty() {
                    String::new()
                } else {
                    np.district_name(&m.district)
                },
                m.date.to_string(),
                m.due.map(|d| d.to_string()).unwrap_or_default(),
                m.variance_days
                    .map(|v| format!("{v:+}"))
                    .unwrap_or_default(),
                m.households.map(|h| h.to_string()).unwrap_or_default(),
            ],
            &[6, 7],
            late.then_some("crit"),
        );
    }
    o.push_str("</tbody></table>\n</details>\n");

    let _ = writeln!(o, "<h2>{}</h2>", esc(l.utilisation));
    let (head, rows) = utilisation_table(np, l);
    table_head(&mut o, &head);
    for cells in &rows {
        row(&mut o, cells, &[2, 3, 4, 5], None);
    }
    o.push_str("</tbody></table>\n");

    for (label, paths) in [
        (l.resource_critical_path, &np.resource_critical_paths),
        (l.logic_critical_path, &np.logic_critical_paths),
    ] {
        let _ = writeln!(o, "<h2>{}</h2>\n<ol>", esc(label));
        for p in paths {
            let _ = writeln!(o, "<li>{}</li>", esc(&path_text(p)));
        }
        o.push_str("</ol>\n");
    }

    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>",
        esc(l.activities),
        esc(l.float_note)
    );
    open_details(&mut o, plan.activities.len(), 300);
    table_head(
        &mut o,
        &[
            l.id,
            l.name,
            l.element,
            l.district,
            l.contractor,
            l.crew,
            l.start,
            l.finish_col,
            l.duration,
            l.es,
            l.ef,
            l.ls,
            l.lf,
            l.total_float,
            l.free_float,
            l.critical,
        ],
    );
    for (a, t) in plan.activities.iter().zip(&np.activities) {
        let r = &t.resource;
        row(
            &mut o,
            &[
                a.id.clone(),
                a.name.clone(),
                a.element.clone(),
                if a.district.is_empty() {
                    String::new()
                } else {
                    np.district_name(&a.district)
                },
                np.contractor_name(&a.contractor),
                a.crew.clone(),
                a.start.to_string(),
                a.finish.to_string(),
                a.duration_days.to_string(),
                r.es_date.to_string(),
                r.ef_date.to_string(),
                r.ls_date.to_string(),
                r.lf_date.to_string(),
                r.days.total_float.to_string(),
                r.days.free_float.to_string(),
                if r.days.marked() {
                    l.yes.to_string()
                } else {
                    String::new()
                },
            ],
            &[8, 13, 14],
            r.days.marked().then_some("crit"),
        );
    }
    o.push_str("</tbody></table>\n</details>\n");
    if let Some(v) = variance {
        variance_section(&mut o, v, lang);
    }
    o.push_str("</body>\n</html>\n");
    o
}

/// The variance section of a re-plan's page: the summary line, the
/// stations whose heat-ready date moved and the activities that moved.
fn variance_section(h: &mut String, v: &Variance, lang: Lang) {
    let (title, station_head, activity_head) = match lang {
        Lang::En => (
            "Variance against the baseline",
            [
                "station",
                "households",
                "baseline heat-ready",
                "new heat-ready",
                "days late",
            ],
            ["activity", "baseline", "new", "slip (days)", "contractor"],
        ),
        Lang::Zh => (
            "与基线计划的偏差",
            [
                "热力站",
                "户数",
                "基线具备供热条件日期",
                "新具备供热条件日期",
                "延误天数",
            ],
            ["工作", "基线", "新计划", "推迟（天）", "施工单位"],
        ),
    };
    let _ = writeln!(h, "<section id=\"variance\">\n<h2>{title}</h2>");
    let (moved, all) = (v.moved(), v.activities.len());
    let (f0, f1) = v.finish;
    let (h0, h1) = v.households_on_time;
    let _ = match lang {
        Lang::En => writeln!(
            h,
            "<p>Data date {}. {moved} of {all} activities moved; finish {f0} → {f1}; households on time {h0} → {h1}; newly at risk: {}. Critical path: {}.</p>",
            v.data_date,
            v.newly_at_risk,
            esc(&v.critical_path_change())
        ),
        Lang::Zh => writeln!(
            h,
            "<p>数据日期 {}。{all} 项工作中 {moved} 项变动；完工 {f0} → {f1}；按期户数 {h0} → {h1}；新增延误风险户数：{}。关键线路：{}。</p>",
            v.data_date,
            v.newly_at_risk,
            esc(&v.critical_path_words().zh)
        ),
    };
    h.push_str("<table>\n<tr>");
    for c in station_head {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr>\n");
    for s in &v.stations {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.id),
            s.households,
            s.heat_ready.0,
            s.heat_ready.1,
            s.days_late.1
        );
    }
    h.push_str("</table>\n");
    node_variance_table(h, v, lang);
    h.push_str("<table>\n<tr>");
    for c in activity_head {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr>\n");
    for a in v.activities.iter().filter(|a| a.baseline != a.new) {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} – {}</td><td>{} – {}</td><td>{}</td><td>{}</td></tr>",
            esc(&a.id),
            a.baseline.0,
            a.baseline.1,
            a.new.0,
            a.new.1,
            a.slip_days,
            if a.contractor.0 == a.contractor.1 {
                esc(&a.contractor.1)
            } else {
                format!("{} → {}", esc(&a.contractor.0), esc(&a.contractor.1))
            }
        );
    }
    h.push_str("</table>\n</section>\n");
    history_section(h, v, lang);
}

/// The time nodes whose date moved, the latest first (none: no table).
fn node_variance_table(h: &mut String, v: &Variance, lang: Lang) {
    if v.nodes.is_empty() {
        return;
    }
    let head = match lang {
        Lang::En => ["time node", "due", "baseline date", "new date", "days late"],
        Lang::Zh => ["节点", "节点目标", "基线日期", "新日期", "延误天数"],
    };
    h.push_str("<table class=\"nodes\">\n<tr>");
    for c in head {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr>\n");
    for n in &v.nodes {
        let _ = writeln!(
            h,
            "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&n.id),
            esc(&n.name),
            n.due,
            n.date.0,
            n.date.1,
            n.days_late.1
        );
    }
    h.push_str("</table>\n");
}

/// The revisions of the chain a re-plan belongs to, oldest first.
fn history_section(h: &mut String, v: &Variance, lang: Lang) {
    if v.history.is_empty() {
        return;
    }
    let (title, head, baseline) = match lang {
        Lang::En => (
            "Revisions",
            [
                "revision",
                "data date",
                "stations late",
                "least stations late",
                "household-days late",
                "least household-days late",
                "gap (lateness)",
                "households on time",
                "finish",
            ],
            "baseline",
        ),
        Lang::Zh => (
            "计划版本",
            [
                "版本",
                "数据日期",
                "延误热力站",
                "至少延误热力站",
                "延误户·天",
                "至少延误户·天",
                "差距（延误层级）",
                "按期供热户数",
                "完工",
            ],
            "基线",
        ),
    };
    let _ = writeln!(
        h,
        "<section id=\"revisions\">\n<h2>{title}</h2>\n<table>\n<tr>"
    );
    for c in head {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr>\n");
    for r in &v.history {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.1} %</td><td>{} / {}</td><td>{}</td></tr>",
            r.number,
            r.data_date
                .map_or_else(|| baseline.to_string(), |d| d.to_string()),
            r.stations_late,
            r.stations_late_bound
                .map_or_else(|| "–".to_string(), |b| b.to_string()),
            r.household_days_late,
            r.household_days_bound,
            r.lateness_gap(),
            r.households_on_time,
            r.households_total,
            r.finish
        );
    }
    h.push_str("</table>\n</section>\n");
}

/// The time-scaled arrow network of the whole city (one arrow per work
/// package);
/// the sheets per district are files beside the report.
fn timescaled_section(o: &mut String, city_sheet: &str, lang: Lang) {
    let (title, note) = match lang {
        Lang::Zh => (
            "双代号时标网络图",
            "全市按工作包绘制（各辖区的管网、换热站），每条虚工作都是计划中的一条逻辑关系；各辖区按工程部位（管段、换热站、其他工作）绘制的图纸见 timescaled-辖区.svg（A3 横向打印）。",
        ),
        Lang::En => (
            "Time-scaled arrow network",
            "The whole city, one arrow per work package (a district's pipe work, its stations), every dummy a link of the plan; one sheet per district, one arrow per element (segment, station, task), in timescaled-DISTRICT.svg (print on A3 landscape).",
        ),
    };
    let _ = writeln!(
        o,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>\n<div class=\"chart\">\n{}</div>",
        esc(title),
        esc(note),
        city_sheet
    );
}
