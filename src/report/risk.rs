//! Renderers of a schedule-risk study (`heatplan risk`): risk.csv,
//! risk.json, the CDF, histogram and tornado SVGs, risk.html and the
//! terminal summary.
//!
//! risk.csv has one row per estimate and fixed English headers (like
//! plan.csv) so that spreadsheets and scripts can read it; its `level`
//! column says what the row is about: `city`, `district`, `station`,
//! `node`, `activity` (criticality index) or `driver` (a tornado bar, the
//! correlation in the `p` column).

use super::csv::Document;
use super::lang::{Lang, RiskLabels};
use super::xml::esc;
use crate::plan::cpm::NetworkPlan;
use crate::risk::estimate::{Dates, Estimates, Probability};
use crate::risk::Driver;
use std::fmt::Write;

/// Header of risk.csv.
pub const RISK_HEADER: [&str; 14] = [
    "level",
    "id",
    "name",
    "district",
    "households",
    "planned",
    "p",
    "se",
    "p50",
    "p50_se_days",
    "p80",
    "p80_se_days",
    "p90",
    "p90_se_days",
];

/// Every file of a study: risk.csv, risk.json, the SVGs and risk.html.
pub fn risk_files(e: &Estimates, lang: Lang) -> Vec<(String, String)> {
    vec![
        ("risk.csv".into(), risk_csv(e)),
        (
            "risk.json".into(),
            serde_json::to_string_pretty(e).expect("estimates serialise") + "\n",
        ),
        ("risk-cdf.svg".into(), cdf_svg(e, lang)),
        ("risk-histogram.svg".into(), histogram_svg(e, lang)),
        ("risk-tornado.svg".into(), tornado_svg(e, lang)),
        ("risk.html".into(), risk_html(e, lang)),
    ]
}

/// A driver in words.
pub fn driver_label(d: &Driver, l: &RiskLabels) -> String {
    match d {
        Driver::Rain => l.rain.to_string(),
        Driver::Alert(level) => format!("{}: {level}", l.alert),
        Driver::Productivity(key) => format!("{}: {key}", l.productivity),
        Driver::Delay(name) => format!("{}: {name}", l.delay),
    }
}

fn f4(x: f64) -> String {
    format!("{x:.4}")
}

fn date_cells(d: &Dates) -> [String; 6] {
    [
        d.p50.date.to_string(),
        format!("{:.1}", d.p50.se_days),
        d.p80.date.to_string(),
        format!("{:.1}", d.p80.se_days),
        d.p90.date.to_string(),
        format!("{:.1}", d.p90.se_days),
    ]
}

/// risk.csv, UTF-8 with a byte order mark (so Excel opens it right).
pub fn risk_csv(e: &Estimates) -> String {
    let mut doc = Document::new();
    doc.row(RISK_HEADER);
    let prob = |p: &Probability| [f4(p.p), f4(p.se)];
    let mut row = |cells: Vec<String>| doc.row(cells);
    let mut city = vec![
        "city".to_string(),
        String::new(),
        e.programme.clone(),
        String::new(),
        format!("{:.1}", e.households_expected),
        String::new(),
    ];
    city.extend(prob(&e.city));
    city.extend(date_cells(&e.city_dates));
    row(city);
    for (d, p) in &e.districts {
        let mut r = vec!["district".into(), d.clone(), String::new(), d.clone()];
        r.extend([String::new(), String::new()]);
        r.extend(prob(p));
        row(r);
    }
    for s in &e.stations {
        let mut r = vec![
            "station".into(),
            s.id.clone(),
            s.name.clone(),
            s.district.clone(),
            s.households.to_string(),
            s.planned.to_string(),
        ];
        r.extend(prob(&s.on_time));
        r.extend(date_cells(&s.dates));
        row(r);
    }
    for n in &e.nodes {
        let mut r = vec![
            "node".into(),
            n.id.clone(),
            n.name.clone(),
            String::new(),
            String::new(),
            n.due.to_string(),
        ];
        r.extend(prob(&n.met));
        row(r);
    }
    for (id, p) in &e.criticality {
        let mut r = vec!["activity".into(), id.clone()];
        r.extend(vec![String::new(); 4]);
        r.extend(prob(p));
        row(r);
    }
    let en = Lang::En.risk_labels();
    for b in &e.tornado {
        let mut r = vec!["driver".into(), driver_label(&b.driver, en)];
        r.extend(vec![String::new(); 4]);
        r.extend([f4(b.correlation), f4(b.se)]);
        row(r);
    }
    doc.finish()
}

const W: f64 = 720.0;
const H: f64 = 300.0;
const LEFT: f64 = 60.0;
const BOTTOM: f64 = 40.0;

fn svg_open(w: f64, h: f64, title: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>{}</title>\n<text x=\"{LEFT}\" y=\"18\" font-weight=\"bold\">{}</text>\n",
        esc(title),
        esc(title)
    )
}

/// The x-scale of the charts: days between the first and last date shown.
struct DateAxis {
    first: chrono::NaiveDate,
    days: f64,
}

impl DateAxis {
    fn new(e: &Estimates) -> DateAxis {
        let mut first = e.deadline;
        let mut last = e.deadline;
        for (d, _) in &e.city_cdf {
            first = first.min(*d);
            last = last.max(*d);
        }
        first -= chrono::Duration::days(7);
        last += chrono::Duration::days(7);
        DateAxis {
            first,
            days: (last - first).num_days().max(1) as f64,
        }
    }

    fn x(&self, d: chrono::NaiveDate) -> f64 {
        LEFT + (W - LEFT - 20.0) * (d - self.first).num_days() as f64 / self.days
    }

    /// Ticks every 14 days and the deadline line.
    fn draw(&self, out: &mut String, deadline: chrono::NaiveDate) {
        let y = H - BOTTOM;
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#333\"/>",
            W - 20.0
        );
        let mut d = self.first;
        let end = self.first + chrono::Duration::days(self.days as i64);
        while d <= end {
            let x = self.x(d);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{y}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#333\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                y + 4.0,
                y + 18.0,
                d.format("%m-%d")
            );
            d += chrono::Duration::days(14);
        }
        let x = self.x(deadline);
        let _ = writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"30\" x2=\"{x:.1}\" y2=\"{y}\" stroke=\"#c00\" stroke-dasharray=\"4 3\"/>"
        );
    }
}

/// The city's cumulative distribution: the probability that the last
/// station is heat-ready by each date, with the deadline marked.
pub fn cdf_svg(e: &Estimates, lang: Lang) -> String {
    let l = lang.risk_labels();
    let mut out = svg_open(W, H, l.cdf);
    let axis = DateAxis::new(e);
    axis.draw(&mut out, e.deadline);
    let y = |p: f64| (H - BOTTOM) - (H - BOTTOM - 30.0) * p;
    for p in [0.0, 0.5, 0.8, 0.9, 1.0] {
        let _ = writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{0:.1}\" x2=\"{1}\" y2=\"{0:.1}\" stroke=\"#ddd\"/><text x=\"{2}\" y=\"{3:.1}\" text-anchor=\"end\">{4:.0} %</text>",
            y(p),
            W - 20.0,
            LEFT - 4.0,
            y(p) + 4.0,
            100.0 * p
        );
    }
    let mut path = format!("M{:.1},{:.1}", LEFT, y(0.0));
    let mut prev = 0.0;
    for (d, p) in &e.city_cdf {
        let x = axis.x(*d);
        let _ = write!(path, " L{x:.1},{:.1} L{x:.1},{:.1}", y(prev), y(*p));
        prev = *p;
    }
    let _ = write!(path, " L{:.1},{:.1}", W - 20.0, y(prev));
    let _ = writeln!(
        out,
        "<path d=\"{path}\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>"
    );
    out.push_str("</svg>\n");
    out
}

/// Histogram of the last station's heat-ready date over the samples.
pub fn histogram_svg(e: &Estimates, lang: Lang) -> String {
    let l = lang.risk_labels();
    let mut out = svg_open(W, H, l.histogram);
    let axis = DateAxis::new(e);
    axis.draw(&mut out, e.deadline);
    let top = e
        .city_histogram
        .iter()
        .map(|x| x.1)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let bar = ((W - LEFT - 20.0) / axis.days).max(1.0);
    for (d, k) in &e.city_histogram {
        let h = (H - BOTTOM - 30.0) * *k as f64 / top;
        let colour = if *d <= e.deadline {
            "#2ca02c"
        } else {
            "#d62728"
        };
        let _ = writeln!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{d}: {k}</title></rect>",
            axis.x(*d) - bar / 2.0,
            H - BOTTOM - h
        );
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"40\" text-anchor=\"end\">{}: {}</text>",
        W - 24.0,
        l.samples,
        e.samples
    );
    out.push_str("</svg>\n");
    out
}

/// The tornado: each uncertainty's correlation with the last station's
/// heat-ready date, strongest first (red: more of it makes the city later).
pub fn tornado_svg(e: &Estimates, lang: Lang) -> String {
    let l = lang.risk_labels();
    let bars: Vec<_> = e.tornado.iter().take(15).collect();
    let h = 60.0 + 22.0 * bars.len().max(1) as f64;
    let mut out = svg_open(W, h, l.tornado);
    let _ = writeln!(
        out,
        "<text x=\"{LEFT}\" y=\"34\" font-size=\"11\">{}</text>",
        esc(l.correlation)
    );
    let mid = 420.0;
    let half = 260.0;
    let _ = writeln!(
        out,
        "<line x1=\"{mid}\" y1=\"40\" x2=\"{mid}\" y2=\"{}\" stroke=\"#333\"/>",
        h - 10.0
    );
    for (i, b) in bars.iter().enumerate() {
        let y = 44.0 + 22.0 * i as f64;
        let w = half * b.correlation.abs();
        let x = if b.correlation < 0.0 { mid - w } else { mid };
        let colour = if b.correlation < 0.0 {
            "#d62728"
        } else {
            "#2ca02c"
        };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"16\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\">{:+.2}</text>",
            mid - half - 8.0,
            y + 12.0,
            esc(&driver_label(&b.driver, l)),
            mid + half + 6.0,
            y + 12.0,
            b.correlation
        );
    }
    out.push_str("</svg>\n");
    out
}

fn pct(p: &Probability) -> String {
    format!("{:.1} % ± {:.1}", 100.0 * p.p, 100.0 * p.se)
}

/// risk.html: the estimates in tables with the three charts inline.
pub fn risk_html(e: &Estimates, lang: Lang) -> String {
    let l = lang.risk_labels();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{} – {}</title>\n<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse;margin:1em 0}}td,th{{border:1px solid #ccc;padding:2px 6px;text-align:left}}td.n{{text-align:right}}</style></head><body>",
        lang.tag(),
        esc(l.title),
        esc(&e.programme)
    );
    o.push_str(&risk_section(e, lang));
    o.push_str("</body></html>\n");
    o
}

/// report.html of a plan with its risk study: the plan's page
/// ([`super::html::report_html`]) with [`risk_section`] at its end, written
/// by `heatplan risk --plan REV/plan.json` into its own output folder (the
/// plan's folder is never written to).
pub fn report_with_risk(np: &NetworkPlan, e: &Estimates, lang: Lang) -> String {
    let mut page = super::html::report_html(np, super::Detail::default(), lang);
    let section = risk_section(e, lang);
    match page.rfind("</body>") {
        Some(at) => page.insert_str(at, &section),
        None => page.push_str(&section),
    }
    page
}

/// The risk section (also embeddable in another page).
pub fn risk_section(e: &Estimates, lang: Lang) -> String {
    let l = lang.risk_labels();
    let base = lang.labels();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<section id=\"risk\"><h2>{} – {}</h2>\n<p>{}</p>",
        esc(l.title),
        esc(&e.programme),
        esc(l.method_note)
    );
    let _ = writeln!(
        o,
        "<table><tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>{}</td></tr><tr><th>{}</th><td>{}</td></tr><tr><th>{} – {}</th><td>{}</td></tr><tr><th>{}</th><td>{:.0} ± {:.0} / {}</td></tr><tr><th>P50 / P80 / P90</th><td>{} / {} / {}</td></tr><tr><th>{}</th><td>{}</td></tr></table>",
        esc(l.samples), e.samples,
        esc(l.seed), e.seed,
        esc(base.deadline), e.deadline,
        esc(l.data_date), e.data_date,
        esc(l.city), esc(l.p_on_time), pct(&e.city),
        esc(l.expected_households), e.households_expected, e.households_se, e.households_total,
        e.city_dates.p50.date, e.city_dates.p80.date, e.city_dates.p90.date,
        esc(l.failed), e.failed,
    );
    o.push_str(&cdf_svg(e, lang));
    o.push_str(&histogram_svg(e, lang));
    let _ = writeln!(
        o,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th></tr>",
        esc(base.district),
        esc(base.district),
        esc(l.p_on_time)
    );
    for (d, p) in &e.districts {
        let _ = writeln!(o, "<tr><td>{}</td><td class=n>{}</td></tr>", esc(d), pct(p));
    }
    o.push_str("</table>\n");
    let _ = writeln!(
        o,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>P50</th><th>P80</th><th>P90</th></tr>",
        esc(base.stations),
        esc(base.station),
        esc(base.name),
        esc(base.district),
        esc(base.households),
        esc(l.planned),
        esc(l.p_on_time)
    );
    let mut stations: Vec<_> = e.stations.iter().collect();
    stations.sort_by(|a, b| a.on_time.p.total_cmp(&b.on_time.p));
    for s in stations {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td><td>{}</td><td class=n>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&s.id),
            esc(&s.name),
            esc(&s.district),
            s.households,
            s.planned,
            pct(&s.on_time),
            s.dates.p50.date,
            s.dates.p80.date,
            s.dates.p90.date
        );
    }
    o.push_str("</table>\n");
    if !e.nodes.is_empty() {
        let _ = writeln!(
            o,
            "<h3>{}</h3><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(l.nodes),
            esc(base.id),
            esc(base.name),
            esc(base.due),
            esc(l.p_met)
        );
        for n in &e.nodes {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=n>{}</td></tr>",
                esc(&n.id),
                esc(&n.name),
                n.due,
                pct(&n.met)
            );
        }
        o.push_str("</table>\n");
    }
    let _ = writeln!(o, "<h3>{}</h3>", esc(l.tornado));
    o.push_str(&tornado_svg(e, lang));
    let _ = writeln!(
        o,
        "<h3>{}</h3><table><tr><th>{}</th><th>{}</th></tr>",
        esc(l.criticality),
        esc(base.activities),
        esc(l.criticality)
    );
    for (id, p) in e.criticality.iter().take(30) {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=n>{}</td></tr>",
            esc(id),
            pct(p)
        );
    }
    o.push_str("</table></section>\n");
    o
}

/// The terminal summary.
pub fn risk_summary(e: &Estimates, lang: Lang) -> String {
    let l = lang.risk_labels();
    let mut o = String::new();
    let _ = writeln!(o, "{} – {}", l.title, e.programme);
    let _ = writeln!(o, "  {}: {}   {}: {}", l.samples, e.samples, l.seed, e.seed);
    let _ = writeln!(o, "  {} – {}: {}", l.city, l.p_on_time, pct(&e.city));
    let _ = writeln!(
        o,
        "  {}: {:.0} ± {:.0} / {}",
        l.expected_households, e.households_expected, e.households_se, e.households_total
    );
    let _ = writeln!(
        o,
        "  P50 / P80 / P90: {} / {} / {}",
        e.city_dates.p50.date, e.city_dates.p80.date, e.city_dates.p90.date
    );
    for (d, p) in &e.districts {
        let _ = writeln!(o, "  {d}: {}", pct(p));
    }
    if e.failed > 0 {
        let _ = writeln!(o, "  {}: {}", l.failed, e.failed);
    }
    let _ = writeln!(o, "  {}:", l.tornado);
    for b in e.tornado.iter().take(5) {
        let _ = writeln!(
            o,
            "    {:+.2}  {}",
            b.correlation,
            driver_label(&b.driver, l)
        );
    }
    o
}
