//! bulletin.html and bulletin.csv: the periodic progress bulletin (进度通报)
//! of a [`Bulletin`] computed by [`crate::plan::bulletin`].
//!
//! bulletin.html prints on A4 (`@page`): a one-page summary (the programme's
//! figures, the districts and contractors ranked with red/amber/green, the
//! lagging units with the activities behind and the heat-ready dates and
//! time nodes they threaten, and the S-curves by km laid and by households),
//! then one page per district. Everything is inline (SVG, CSS); no script.
//! bulletin.csv holds one row per unit (programme, districts, contractors)
//! with a UTF-8 byte-order mark so that Excel opens it correctly.

use super::lang::Lang;
use super::xml::{esc, FONT_FAMILY};
use crate::plan::bulletin::{
    Bulletin, Measure, Rag, SCurve, UnitKind, UnitStatus, AMBER_SPI, AMBER_SV_DAYS, RED_SPI,
    RED_SV_DAYS,
};
use crate::plan::cpm::NetworkPlan;
use std::fmt::Write;

/// The words of the bulletin.
struct Words {
    title: &'static str,
    data_date: &'static str,
    programme: &'static str,
    districts: &'static str,
    contractors: &'static str,
    rank: &'static str,
    status: &'static str,
    unit: &'static str,
    quantity: &'static str,
    planned: &'static str,
    actual: &'static str,
    total: &'static str,
    sv: &'static str,
    spi: &'static str,
    trend: &'static str,
    lagging: &'static str,
    behind: &'static str,
    activity: &'static str,
    contractor: &'static str,
    offset: &'static str,
    float: &'static str,
    threatens: &'static str,
    threats: &'static str,
    target: &'static str,
    forecast: &'static str,
    households: &'static str,
    none: &'static str,
    curves: &'static str,
    method: &'static str,
    measures: [&'static str; 8],
    rag: [&'static str; 3],
}

static ZH: Words = Words {
    title: "工程进度通报",
    data_date: "数据日期",
    programme: "全市",
    districts: "辖区排名",
    contractors: "施工单位排名",
    rank: "名次",
    status: "状态",
    unit: "单位",
    quantity: "工程量",
    planned: "计划",
    actual: "实际",
    total: "总量",
    sv: "进度偏差 SV(t)（天）",
    spi: "进度绩效 SPI(t)",
    trend: "较上期（天）",
    lagging: "落后单位",
    behind: "滞后工作",
    activity: "工作",
    contractor: "施工单位",
    offset: "超前(+)/拖后(−)（天）",
    float: "总时差（天）",
    threatens: "影响节点",
    threats: "受威胁的供热节点与时间节点",
    target: "目标",
    forecast: "预测",
    households: "户数",
    none: "无",
    curves: "S 曲线（计划与实际）",
    method: "按挣值进度法（Lipke）：ES 为计划价值曲线达到当前挣值的时间；SV(t) = ES − 数据日期，SPI(t) = (ES − t0)/(数据日期 − t0)，价值以定额工日计。",
    measures: [
        "开挖（公里）",
        "安装（公里）",
        "试压（公里）",
        "恢复（公里）",
        "站土建（座）",
        "站机电（座）",
        "站调试（座）",
        "具备供热户数",
    ],
    rag: ["绿", "黄", "红"],
};

static EN: Words = Words {
    title: "Progress bulletin",
    data_date: "Data date",
    programme: "Programme",
    districts: "Districts ranked",
    contractors: "Contractors ranked",
    rank: "Rank",
    status: "Status",
    unit: "Unit",
    quantity: "Quantity",
    planned: "Planned",
    actual: "Actual",
    total: "Total",
    sv: "SV(t) (days)",
    spi: "SPI(t)",
    trend: "Change since last (days)",
    lagging: "Lagging units",
    behind: "Activities behind",
    activity: "Activity",
    contractor: "Contractor",
    offset: "Ahead (+) / behind (−) (days)",
    float: "Total float (days)",
    threatens: "Threatens",
    threats: "Heat-ready dates and time nodes threatened",
    target: "Target",
    forecast: "Forecast",
    households: "Households",
    none: "none",
    curves: "S-curves (planned and actual)",
    method: "Earned schedule (Lipke): ES is when the planned value reached today's earned value; SV(t) = ES − data date, SPI(t) = (ES − t0)/(data date − t0); value in crew-days of work content.",
    measures: [
        "Trenched (km)",
        "Laid (km)",
        "Tested (km)",
        "Reinstated (km)",
        "Stations civil",
        "Stations MEP",
        "Stations commissioned",
        "Households heat-ready",
    ],
    rag: ["green", "amber", "red"],
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn rag_index(r: Rag) -> usize {
    match r {
        Rag::Green => 0,
        Rag::Amber => 1,
        Rag::Red => 2,
    }
}

const RAG_COLOUR: [&str; 3] = ["#2ca02c", "#f0a30a", "#d62728"];

const STYLE: &str = "body{margin:0;color:#222;font-size:10pt}\
@page{size:A4;margin:12mm}\
.page{padding:6mm;page-break-after:always;break-after:page}\
.page:last-child{page-break-after:auto;break-after:auto}\
h1{font-size:15pt;margin:0 0 4pt}h2{font-size:12pt;margin:10pt 0 4pt;border-bottom:1px solid #bbb}\
table{border-collapse:collapse;font-size:8.5pt;margin-bottom:6pt}td,th{border:1px solid #bbb;padding:1pt 4pt;text-align:left}\
th{background:#eef2f7}td.n{text-align:right}.rag{color:white;font-weight:bold;text-align:center}\
.note{color:#555;font-size:8pt}.curves svg{margin-right:8pt}\
@media screen{.page{max-width:190mm;margin:0 auto 12pt;border:1px solid #ddd}}";

/// A number with at most `d` decimals.
fn num(x: f64, d: usize) -> String {
    let s = format!("{x:.d$}");
    // A value that rounds to zero reads 0, never -0.
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => s,
    }
}

/// Days ahead (+) or behind (−) with one decimal and its sign; a value
/// that rounds to zero reads +0.0, never -0.0.
struct Signed(f64);

impl std::fmt::Display for Signed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = (self.0 * 10.0).round() / 10.0;
        write!(f, "{:+.1}", if r == 0.0 { 0.0 } else { r })
    }
}

/// Decimals to show for a measure (km with two, counts with none).
fn decimals(m: Measure) -> usize {
    match m {
        Measure::Trenched | Measure::Laid | Measure::Tested | Measure::Reinstated => 2,
        _ => 0,
    }
}

fn rag_cell(r: Rag, w: &Words) -> String {
    let i = rag_index(r);
    format!(
        "<td class=\"rag\" style=\"background:{}\">{}</td>",
        RAG_COLOUR[i],
        esc(w.rag[i])
    )
}

fn spi_text(u: &UnitStatus) -> String {
    u.earned.spi_t.map_or_else(|| "–".into(), |s| num(s, 2))
}

fn trend_text(u: &UnitStatus) -> String {
    match u.trend.last() {
        Some(&(_, prev)) => Signed(u.earned.sv_t - prev).to_string(),
        None => "–".into(),
    }
}

/// The quantities table of one unit.
fn quantities(o: &mut String, u: &UnitStatus, w: &Words) {
    let _ = writeln!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>%</th></tr></thead><tbody>",
        esc(w.quantity),
        esc(w.planned),
        esc(w.actual),
        esc(w.total)
    );
    for m in Measure::ALL {
        let i = m.index();
        if u.total[i] == 0.0 {
            continue;
        }
        let d = decimals(m);
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.0}</td></tr>",
            esc(w.measures[i]),
            num(u.planned[i], d),
            num(u.actual[i], d),
            num(u.total[i], d),
            100.0 * u.actual[i] / u.total[i]
        );
    }
    o.push_str("</tbody></table>\n");
}

/// The person responsible for a unit, as HTML after its name.
fn person(u: &UnitStatus) -> String {
    if u.responsible.is_empty() {
        String::new()
    } else {
        format!("<br/><small>{}</small>", esc(&u.responsible))
    }
}

/// The ranking table of districts or contractors.
fn ranking(o: &mut String, units: &[UnitStatus], w: &Words) {
    let _ = writeln!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(w.rank),
        esc(w.unit),
        esc(w.status),
        esc(w.sv),
        esc(w.spi),
        esc(w.trend),
        esc(w.measures[1]),
        esc(w.measures[7])
    );
    let mut sorted: Vec<&UnitStatus> = units.iter().collect();
    sorted.sort_by_key(|u| u.rank);
    for u in sorted {
        let _ = writeln!(
            o,
            "<tr><td class=\"n\">{}</td><td>{}{}</td>{}<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td><td class=\"n\">{} / {}</td></tr>",
            u.rank,
            esc(&u.name),
            person(u),
            rag_cell(u.rag, w),
            Signed(u.earned.sv_t),
            spi_text(u),
            trend_text(u),
            num(u.actual[1], 2),
            num(u.planned[1], 2),
            num(u.actual[7], 0),
            num(u.planned[7], 0)
        );
    }
    o.push_str("</tbody></table>\n");
}

/// The activities behind plan of a unit (at most `limit`).
fn behind_table(
    o: &mut String,
    b: &Bulletin,
    np: &NetworkPlan,
    u: &UnitStatus,
    limit: usize,
    w: &Words,
) {
    if u.behind.is_empty() {
        let _ = writeln!(o, "<p>{}: {}</p>", esc(w.behind), esc(w.none));
        return;
    }
    let _ = writeln!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(w.activity),
        esc(w.contractor),
        esc(w.planned),
        esc(w.offset),
        esc(w.float),
        esc(w.threatens)
    );
    for &i in u.behind.iter().take(limit) {
        let p = &b.front[i];
        let a = &np.plan.activities[p.activity];
        let _ = writeln!(
            o,
            "<tr><td>{} {}</td><td>{}</td><td>{} – {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(&a.id),
            esc(&a.name),
            esc(&np.contractor_name(&a.contractor)),
            a.start,
            a.finish,
            Signed(p.offset_days),
            p.total_float,
            esc(&p.threatens.join(", "))
        );
    }
    if u.behind.len() > limit {
        let _ = writeln!(
            o,
            "<tr><td colspan=\"6\">… +{}</td></tr>",
            u.behind.len() - limit
        );
    }
    o.push_str("</tbody></table>\n");
}

/// The threats of a list (indices into the bulletin's threats).
fn threat_table(o: &mut String, b: &Bulletin, np: &NetworkPlan, list: &[usize], w: &Words) {
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.threats));
    if list.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(w.none));
        return;
    }
    let _ = writeln!(
        o,
        "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(w.threatens),
        esc(w.households),
        esc(w.planned),
        esc(w.forecast),
        esc(w.target),
        esc(w.behind)
    );
    for &i in list {
        let t = &b.threats[i];
        let ids: Vec<&str> = t
            .behind
            .iter()
            .take(6)
            .map(|&a| np.plan.activities[a].id.as_str())
            .collect();
        let _ = writeln!(
            o,
            "<tr><td>{} {}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
            esc(&t.id),
            esc(&t.name),
            t.households.map(|h| h.to_string()).unwrap_or_default(),
            t.planned,
            t.forecast,
            t.due,
            esc(&ids.join(", ")),
            if t.behind.len() > 6 { " …" } else { "" }
        );
    }
    o.push_str("</tbody></table>\n");
}

/// An S-curve as a small inline SVG: planned (grey, dashed) and actual
/// (blue) cumulative quantities, with the data date.
pub fn s_curve_svg(c: &SCurve, title: &str, data_day: i64, lang: Lang) -> String {
    let w = words(lang);
    let (width, height, left, top, bottom) = (330.0, 190.0, 44.0, 22.0, 24.0);
    let days = c.planned.len().max(2) as f64;
    let max = c
        .planned
        .iter()
        .chain(&c.actual)
        .copied()
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let x = |t: f64| left + (width - left - 8.0) * t / (days - 1.0);
    let y = |v: f64| top + (height - top - bottom) * (1.0 - v / max);
    let path = |vals: &[f64]| -> String {
        vals.iter()
            .enumerate()
            .map(|(t, &v)| format!("{:.1},{:.1}", x(t as f64), y(v)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut o = String::new();
    let _ = writeln!(
        o,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="9"><rect width="{width}" height="{height}" fill="white"/><text x="4" y="12" font-weight="bold">{}</text>"##,
        esc(title)
    );
    let d = decimals(c.measure);
    for k in 0..=4 {
        let v = max * k as f64 / 4.0;
        let _ = writeln!(
            o,
            r##"<line x1="{left}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#eee"/><text x="{2:.1}" y="{3:.1}" text-anchor="end" fill="#555">{4}</text>"##,
            y(v),
            width - 8.0,
            left - 3.0,
            y(v) + 3.0,
            num(v, d.min(1))
        );
    }
    let _ = writeln!(
        o,
        r##"<polyline points="{}" fill="none" stroke="#888" stroke-width="1.2" stroke-dasharray="4,2"/><polyline points="{}" fill="none" stroke="#1f77b4" stroke-width="2"/>"##,
        path(&c.planned),
        path(&c.actual)
    );
    let dx = x(data_day as f64);
    let _ = writeln!(
        o,
        r##"<line x1="{dx:.1}" y1="{top}" x2="{dx:.1}" y2="{0:.1}" stroke="#d62728" stroke-dasharray="3,2"/><text x="{left}" y="{1:.1}" fill="#888">— {2}</text><text x="{3:.1}" y="{1:.1}" fill="#1f77b4">— {4}</text>"##,
        height - bottom,
        height - 8.0,
        esc(w.planned),
        left + 90.0,
        esc(w.actual)
    );
    o.push_str("</svg>\n");
    o
}

/// Renders bulletin.html.
pub fn bulletin_html(b: &Bulletin, np: &NetworkPlan, lang: Lang) -> String {
    let w = words(lang);
    let title = format!("{} — {}", b.programme, w.title);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"{0}\" xml:lang=\"{0}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{1}</title>\n<style>body{{font-family:{FONT_FAMILY}}}{STYLE}</style>\n</head>\n<body>",
        lang.tag(),
        esc(&title)
    );
    // Page 1: summary.
    let p = &b.programme_status;
    let _ = writeln!(
        o,
        "<section class=\"page\" id=\"summary\">\n<h1>{}</h1>\n<p>{}: <b>{}</b> · {} {} · {} {} · {}</p>\n<table><tbody><tr><th>{}</th>{}</tr></tbody></table>",
        esc(&title),
        esc(w.data_date),
        b.data_date,
        esc(w.sv),
        Signed(p.earned.sv_t),
        esc(w.spi),
        spi_text(p),
        esc(w.programme),
        esc(w.status),
        rag_cell(p.rag, w)
    );
    quantities(&mut o, p, w);
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.districts));
    ranking(&mut o, &b.districts, w);
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.contractors));
    ranking(&mut o, &b.contractors, w);
    let _ = writeln!(o, "<h2>{}</h2>", esc(w.lagging));
    let lagging: Vec<&UnitStatus> = b
        .districts
        .iter()
        .chain(&b.contractors)
        .filter(|u| u.rag != Rag::Green)
        .collect();
    if lagging.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(w.none));
    } else {
        o.push_str("<ul>\n");
        for u in lagging {
            let worst: Vec<String> = u
                .behind
                .iter()
                .take(3)
                .map(|&i| {
                    let f = &b.front[i];
                    format!(
                        "{} {}",
                        np.plan.activities[f.activity].id,
                        Signed(f.offset_days)
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "<li><b>{}</b> ({}) {} {}; {}: {}{}</li>",
                esc(&u.name),
                esc(w.rag[rag_index(u.rag)]),
                esc(w.sv),
                Signed(u.earned.sv_t),
                esc(w.behind),
                esc(&worst.join("; ")),
                if u.behind.len() > 3 {
                    format!(" … ({})", u.behind.len())
                } else {
                    String::new()
                }
            );
        }
        o.push_str("</ul>\n");
    }
    let all: Vec<usize> = (0..b.threats.len()).collect();
    threat_table(&mut o, b, np, &all[..all.len().min(12)], w);
    let _ = writeln!(o, "<h2>{}</h2>\n<div class=\"curves\">", esc(w.curves));
    for c in &b.curves {
        o.push_str(&s_curve_svg(
            c,
            w.measures[c.measure.index()],
            b.data_day,
            lang,
        ));
    }
    o.push_str("</div>\n");
    let _ = writeln!(
        o,
        "<p class=\"note\">{} {}</p>\n</section>",
        esc(w.method),
        esc(&thresholds(lang))
    );
    // A page per district.
    for u in &b.districts {
        let _ = writeln!(
            o,
            "<section class=\"page\" id=\"district-{}\">\n<h1>{} — {}</h1>\n<table><tbody><tr><th>{}</th><td>{}</td><th>{}</th>{}<th>{}</th><td class=\"n\">{}</td><th>{}</th><td class=\"n\">{}</td><th>{}</th><td class=\"n\">{}</td></tr></tbody></table>",
            esc(&u.id),
            esc(&if u.responsible.is_empty() {
                u.name.clone()
            } else {
                format!("{} ({})", u.name, u.responsible)
            }),
            b.data_date,
            esc(w.rank),
            u.rank,
            esc(w.status),
            rag_cell(u.rag, w),
            esc(w.sv),
            Signed(u.earned.sv_t),
            esc(w.spi),
            spi_text(u),
            esc(w.trend),
            trend_text(u)
        );
        quantities(&mut o, u, w);
        let _ = writeln!(o, "<h2>{}</h2>", esc(w.behind));
        behind_table(&mut o, b, np, u, 25, w);
        threat_table(&mut o, b, np, &u.threats, w);
        o.push_str("</section>\n");
    }
    o.push_str("</body>\n</html>\n");
    o
}

/// The red/amber/green thresholds in words.
fn thresholds(lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "红：SV(t) ≤ {RED_SV_DAYS} 天、SPI(t) < {RED_SPI} 或预测供热节点/时间节点超期；黄：SV(t) < {AMBER_SV_DAYS} 天或 SPI(t) < {AMBER_SPI}；其余为绿。"
        ),
        Lang::En => format!(
            "Red: SV(t) ≤ {RED_SV_DAYS} days, SPI(t) < {RED_SPI}, or a heat-ready date or time node forecast past target; amber: SV(t) < {AMBER_SV_DAYS} days or SPI(t) < {AMBER_SPI}; green otherwise."
        ),
    }
}

/// Renders bulletin.csv (UTF-8 with a byte-order mark; fixed English
/// header): one row per unit.
pub fn bulletin_csv(b: &Bulletin) -> String {
    let mut doc = super::csv::Document::new();
    let mut head: Vec<String> = [
        "scope",
        "id",
        "name",
        "data_date",
        "rank",
        "status",
        "sv_t_days",
        "spi_t",
        "es_date",
        "pv",
        "ev",
        "bac",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for m in Measure::ALL {
        for p in ["planned", "actual", "total"] {
            head.push(format!("{}_{p}", m.key()));
        }
    }
    head.push("sv_t_change_days".into());
    head.push("behind_activities".into());
    head.push("threatened".into());
    head.push("responsible".into());
    doc.row(&head);
    let units = std::iter::once(&b.programme_status)
        .chain(&b.districts)
        .chain(&b.contractors);
    for u in units {
        let scope = match u.kind {
            UnitKind::Programme => "programme",
            UnitKind::District => "district",
            UnitKind::Contractor => "contractor",
        };
        let es_date = b.data_date + chrono::Duration::days(u.earned.sv_t.floor() as i64);
        let mut row = vec![
            scope.to_string(),
            u.id.clone(),
            u.name.clone(),
            b.data_date.to_string(),
            if u.kind == UnitKind::Programme {
                String::new()
            } else {
                u.rank.to_string()
            },
            format!("{:?}", u.rag).to_lowercase(),
            num(u.earned.sv_t, 1),
            u.earned.spi_t.map(|s| num(s, 3)).unwrap_or_default(),
            es_date.to_string(),
            num(u.earned.pv, 1),
            num(u.earned.ev, 1),
            num(u.earned.bac, 1),
        ];
        for m in Measure::ALL {
            let i = m.index();
            let d = decimals(m) + 1;
            row.extend([
                num(u.planned[i], d),
                num(u.actual[i], d),
                num(u.total[i], d),
            ]);
        }
        row.push(
            u.trend
                .last()
                .map(|&(_, prev)| num(u.earned.sv_t - prev, 1))
                .unwrap_or_default(),
        );
        row.push(u.behind.len().to_string());
        row.push(
            u.threats
                .iter()
                .map(|&i| b.threats[i].id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        );
        row.push(u.responsible.clone());
        doc.row(&row);
    }
    doc.finish()
}

/// The terminal summary of a bulletin: the programme's line and every
/// district and contractor in rank order.
pub fn bulletin_text(b: &Bulletin, lang: Lang) -> String {
    let w = words(lang);
    let mut o = String::new();
    let p = &b.programme_status;
    let _ = writeln!(
        o,
        "{} — {} {}: {} {}, {} {} ({})",
        b.programme,
        w.data_date,
        b.data_date,
        w.sv,
        Signed(p.earned.sv_t),
        w.spi,
        spi_text(p),
        w.rag[rag_index(p.rag)]
    );
    for (head, units) in [(w.districts, &b.districts), (w.contractors, &b.contractors)] {
        let _ = writeln!(o, "{head}:");
        let mut sorted: Vec<&UnitStatus> = units.iter().collect();
        sorted.sort_by_key(|u| u.rank);
        for u in sorted {
            let _ = writeln!(
                o,
                "  {:>2}. {} {} d, SPI(t) {} [{}]{}",
                u.rank,
                super::lang::pad(&u.name, 24),
                Signed(u.earned.sv_t),
                spi_text(u),
                w.rag[rag_index(u.rag)],
                if u.behind.is_empty() {
                    String::new()
                } else {
                    format!(", {} {}", u.behind.len(), w.behind)
                }
            );
        }
    }
    if !b.threats.is_empty() {
        let _ = writeln!(o, "{}: {}", w.threats, b.threats.len());
    }
    o
}

#[cfg(test)]
mod sign_tests {
    use super::{num, Signed};

    #[test]
    fn a_value_that_rounds_to_zero_has_no_minus_sign() {
        assert_eq!(Signed(-0.04).to_string(), "+0.0");
        assert_eq!(Signed(-0.0).to_string(), "+0.0");
        assert_eq!(Signed(-0.06).to_string(), "-0.1");
        assert_eq!(Signed(2.25).to_string(), "+2.3");
        assert_eq!(num(-0.004, 2), "0.00");
        assert_eq!(num(-0.4, 0), "0");
        assert_eq!(num(-1.5, 1), "-1.5");
    }
}
