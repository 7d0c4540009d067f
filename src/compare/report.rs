//! The comparison as a terminal table, compare.csv and compare.html (a
//! table and two SVG charts: households heat-ready against crews, and each
//! contractor's utilisation week by week for every variant).

use super::chance;
use super::outcome::{Outcome, WEEK};
use crate::lang::{Both, Lang};
use crate::report::csv::Document;
use crate::report::solver_words::solver_words;
use crate::report::table::table;
use crate::report::xml::{esc, FONT_FAMILY};
use chrono::NaiveDate;
use std::fmt::Write;

/// Everything the renderers need besides the outcomes.
#[derive(Debug, Clone)]
pub struct CompareContext {
    /// Programme name.
    pub programme: String,
    /// First day of the construction window (day 0).
    pub window_start: NaiveDate,
    /// The heat-ready deadline.
    pub deadline: NaiveDate,
    /// The crews varied by some variant, as (contractor, crew type).
    pub varied: Vec<(String, String)>,
    /// Per variant (same order as the outcomes): the find-minimum verdict
    /// text, if any, in both languages (compare.csv writes the English).
    pub notes: Vec<Both>,
    /// Language of the labels of the terminal table and of compare.html
    /// (compare.csv's headers are read by programs and stay English).
    pub lang: Lang,
}

/// `en` or `zh`, whichever `lang` asks for.
fn say(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Zh => zh,
    }
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn status(o: &Outcome, lang: Lang) -> String {
    if o.solve.optimal {
        say(lang, "optimal", "最优").into()
    } else if o.plan.is_some() {
        format!("{} {:.1} %", say(lang, "gap", "差距"), 100.0 * o.solve.gap)
    } else if let Some(why) = &o.solve.not_run {
        why.get(lang).to_string()
    } else {
        solver_words(&o.solve.status).get(lang).to_string()
    }
}

/// The find-minimum note of row `i` in `lang` (empty without one).
fn note(ctx: &CompareContext, i: usize, lang: Lang) -> String {
    ctx.notes
        .get(i)
        .map_or(String::new(), |n| n.get(lang).to_string())
}

fn bottleneck(o: &Outcome, lang: Lang) -> String {
    match &o.plan {
        None => "–".into(),
        Some(p) => match &p.bottleneck {
            None => say(lang, "none (on time)", "无（按期）").into(),
            Some(b) => format!("{}/{} {}", b.contractor, b.crew, pct(b.utilisation)),
        },
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// The terminal table: one row per variant.
pub fn terminal_table(ctx: &CompareContext, outcomes: &[Outcome]) -> String {
    let lang = ctx.lang;
    let mut header: Vec<String> = vec![
        say(lang, "variant", "方案").into(),
        say(lang, "crews", "班组").into(),
        say(lang, "added", "增加").into(),
    ];
    for (c, k) in &ctx.varied {
        header.push(format!("{c}/{k}"));
    }
    for (en, zh) in [
        ("households on time", "按期供热户数"),
        ("late", "延误站"),
        ("nodes met", "时间节点达成"),
        ("finish", "完工"),
        ("crew-days", "班组工日"),
        ("bottleneck", "瓶颈"),
        ("solution", "求解"),
    ] {
        header.push(say(lang, en, zh).into());
    }
    let with_risk = outcomes.iter().any(|o| o.risk.is_some());
    if with_risk {
        header.extend(chance::headers(lang).map(String::from));
    }
    let with_notes = ctx.notes.iter().any(|n| !n.is_empty());
    if with_notes {
        header.push(say(lang, "find-minimum", "最少班组").into());
    }
    let rows: Vec<Vec<String>> = outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut r = vec![
                o.name.clone(),
                o.crews_total.to_string(),
                signed(o.added_crews),
            ];
            for key in &ctx.varied {
                let n = o.crews.get(key).copied().unwrap_or(0);
                let load = o.plan.as_ref().and_then(|p| {
                    p.loads
                        .iter()
                        .find(|l| l.contractor == key.0 && l.crew == key.1)
                });
                r.push(match load {
                    Some(l) => format!("{n} ({})", pct(l.utilisation)),
                    None => n.to_string(),
                });
            }
            match &o.plan {
                Some(p) => {
                    r.push(format!(
                        "{} ({})",
                        p.households_on_time,
                        pct(p.households_on_time as f64 / p.households_total.max(1) as f64)
                    ));
                    r.push(p.late_stations.to_string());
                    r.push(if p.node_days_late > 0 {
                        format!(
                            "{}/{} (+{} d)",
                            p.nodes_met, p.nodes_total, p.node_days_late
                        )
                    } else {
                        format!("{}/{}", p.nodes_met, p.nodes_total)
                    });
                    r.push(p.finish.to_string());
                    r.push(p.crew_days.to_string());
                }
                None => r.extend(std::iter::repeat_n("–".to_string(), 5)),
            }
            r.push(bottleneck(o, lang));
            r.push(status(o, lang));
            if with_risk {
                r.extend(chance::cells(o, lang));
            }
            if with_notes {
                r.push(note(ctx, i, lang));
            }
            r
        })
        .collect();
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut right: Vec<usize> = (1..3 + ctx.varied.len() + 5).collect();
    if with_risk {
        let first = 3 + ctx.varied.len() + 7;
        right.extend([first, first + 1]);
    }
    table(&refs, &rows, &right, 2)
}

/// compare.csv: one row per variant; utilisation of every contractor and
/// crew type (from the window start to the deadline) as `util:C/T` columns.
pub fn compare_csv(ctx: &CompareContext, outcomes: &[Outcome]) -> String {
    let mut loads: Vec<(String, String)> = Vec::new();
    for o in outcomes {
        for key in o.crews.keys() {
            if !loads.contains(key) {
                loads.push(key.clone());
            }
        }
    }
    let mut header: Vec<String> = [
        "variant",
        "crews_total",
        "added_crews",
        "added_cost",
        "households_on_time",
        "households_total",
        "late_stations",
        "household_days_late",
        "nodes_met",
        "nodes_total",
        "node_days_late",
        "finish",
        "crew_days",
        "bottleneck",
        "bottleneck_utilisation",
        "status",
        "objective",
        "bound",
        "gap",
        "seconds",
        "stop_reason",
        "find_minimum",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let with_risk = outcomes.iter().any(|o| o.risk.is_some());
    if with_risk {
        header.extend(chance::CSV_HEADERS.map(String::from));
    }
    for (c, k) in &loads {
        header.push(format!("crews:{c}/{k}"));
    }
    for (c, k) in &loads {
        header.push(format!("util:{c}/{k}"));
    }
    let mut out = Document::new();
    out.row(&header);
    for (i, o) in outcomes.iter().enumerate() {
        let p = o.plan.as_ref();
        let b = p.and_then(|p| p.bottleneck.as_ref());
        let opt = |f: &dyn Fn(&super::outcome::PlanFigures) -> String| p.map(f).unwrap_or_default();
        let mut row = vec![
            o.name.clone(),
            o.crews_total.to_string(),
            o.added_crews.to_string(),
            o.added_cost.map(|c| format!("{c:.0}")).unwrap_or_default(),
            opt(&|p| p.households_on_time.to_string()),
            opt(&|p| p.households_total.to_string()),
            opt(&|p| p.late_stations.to_string()),
            opt(&|p| p.household_days_late.to_string()),
            opt(&|p| p.nodes_met.to_string()),
            opt(&|p| p.nodes_total.to_string()),
            opt(&|p| p.node_days_late.to_string()),
            opt(&|p| p.finish.to_string()),
            opt(&|p| p.crew_days.to_string()),
            b.map(|b| format!("{}/{}", b.contractor, b.crew))
                .unwrap_or_default(),
            b.map(|b| format!("{:.4}", b.utilisation))
                .unwrap_or_default(),
            o.solve.status.clone(),
            o.solve.objective.map(|v| v.to_string()).unwrap_or_default(),
            o.solve.bound.to_string(),
            format!("{:.4}", o.solve.gap),
            format!("{:.1}", o.solve.seconds),
            o.solve.stop_reason.clone(),
            note(ctx, i, Lang::En),
        ];
        if with_risk {
            row.extend(chance::csv_cells(o));
        }
        for key in &loads {
            row.push(o.crews.get(key).copied().unwrap_or(0).to_string());
        }
        for key in &loads {
            row.push(
                p.and_then(|p| {
                    p.loads
                        .iter()
                        .find(|l| (&l.contractor, &l.crew) == (&key.0, &key.1))
                })
                .map(|l| format!("{:.4}", l.utilisation))
                .unwrap_or_default(),
            );
        }
        out.row(&row);
    }
    out.finish()
}

const COLOURS: [&str; 10] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

/// Households heat-ready by the deadline (y) against total crews (x); each
/// point is a variant, numbered as in the table; axis titles in `lang`.
pub fn households_chart(outcomes: &[Outcome], lang: Lang) -> String {
    let (w, h, l, b, t, r) = (640.0, 380.0, 70.0, 50.0, 20.0, 20.0);
    let solved: Vec<(usize, &Outcome)> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| o.plan.is_some())
        .collect();
    let total = outcomes
        .iter()
        .filter_map(|o| o.plan.as_ref().map(|p| p.households_total))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let xmin = outcomes.iter().map(|o| o.crews_total).min().unwrap_or(0) as f64 - 1.0;
    let xmax = outcomes.iter().map(|o| o.crews_total).max().unwrap_or(1) as f64 + 1.0;
    let x = |v: f64| l + (v - xmin) / (xmax - xmin) * (w - l - r);
    let y = |v: f64| h - b - v / total * (h - b - t);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" font-size="12">"#
    );
    let _ = write!(
        s,
        r##"<line x1="{l}" y1="{}" x2="{}" y2="{}" stroke="#333"/><line x1="{l}" y1="{t}" x2="{l}" y2="{}" stroke="#333"/>"##,
        h - b,
        w - r,
        h - b,
        h - b
    );
    for k in 0..=4 {
        let v = total * k as f64 / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{l}" y1="{0}" x2="{1}" y2="{0}" stroke="#ddd"/><text x="{2}" y="{3}" text-anchor="end">{4:.0}</text>"##,
            y(v),
            w - r,
            l - 6.0,
            y(v) + 4.0,
            v
        );
    }
    let step = ((xmax - xmin) / 10.0).ceil().max(1.0) as usize;
    for c in ((xmin as i64 + 1).max(0) as usize..xmax as usize).step_by(step) {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{c}</text>"#,
            x(c as f64),
            h - b + 16.0
        );
    }
    let _ = write!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">{}</text><text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle">{}</text>"#,
        (l + w - r) / 2.0,
        h - 10.0,
        say(lang, "crews in total", "班组总数"),
        (t + h - b) / 2.0,
        (t + h - b) / 2.0,
        say(
            lang,
            "households heat-ready by the deadline",
            "期限前可供热的户数"
        ),
    );
    for (i, o) in solved {
        let p = o.plan.as_ref().expect("solved");
        let fill = if p.late_stations == 0 {
            "#2ca02c"
        } else {
            "#d62728"
        };
        let (cx, cy) = (x(o.crews_total as f64), y(p.households_on_time as f64));
        let _ = write!(
            s,
            r##"<circle cx="{cx}" cy="{cy}" r="5" fill="{fill}" fill-opacity="0.7"><title>{} — {}</title></circle><text x="{}" y="{}" font-size="10">{}</text>"##,
            esc(&o.name),
            match lang {
                Lang::En => format!(
                    "{} crews, {} households on time",
                    o.crews_total, p.households_on_time
                ),
                Lang::Zh => format!(
                    "{} 个班组，按期供热 {} 户",
                    o.crews_total, p.households_on_time
                ),
            },
            cx + 6.0,
            cy - 4.0,
            i + 1
        );
    }
    s.push_str("</svg>");
    s
}

/// One small chart per contractor: its crews' utilisation week by week,
/// one line per variant; the dashed line is the deadline.
pub fn utilisation_charts(ctx: &CompareContext, outcomes: &[Outcome]) -> String {
    let mut contractors: Vec<&str> = Vec::new();
    for o in outcomes {
        if let Some(p) = &o.plan {
            for (c, _) in &p.weekly {
                if !contractors.contains(&c.as_str()) {
                    contractors.push(c);
                }
            }
        }
    }
    let weeks = outcomes
        .iter()
        .filter_map(|o| o.plan.as_ref())
        .flat_map(|p| p.weekly.iter().map(|(_, v)| v.len()))
        .max()
        .unwrap_or(1)
        .max(1);
    let due_week = (ctx.deadline - ctx.window_start).num_days() as f64 / WEEK as f64;
    let (w, h, l, b, t, r) = (420.0, 200.0, 44.0, 28.0, 24.0, 10.0);
    let x = |v: f64| l + v / weeks as f64 * (w - l - r);
    let y = |v: f64| h - b - v.min(1.0) * (h - b - t);
    let mut s = String::new();
    for c in contractors {
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT_FAMILY}" font-size="11"><text x="{l}" y="14" font-weight="bold">{}</text><line x1="{l}" y1="{}" x2="{}" y2="{}" stroke="#333"/><line x1="{l}" y1="{t}" x2="{l}" y2="{}" stroke="#333"/><text x="{}" y="{}" text-anchor="end">100 %</text><text x="{}" y="{}" text-anchor="end">0</text><line x1="{2}" y1="{t}" x2="{2}" y2="{1}" stroke="#999" stroke-dasharray="4 3"/><text x="{}" y="{}" text-anchor="middle">{}</text>"##,
            esc(c),
            h - b,
            x(due_week),
            h - b,
            h - b,
            l - 4.0,
            y(1.0) + 4.0,
            l - 4.0,
            h - b,
            (l + w - r) / 2.0,
            h - 8.0,
            match ctx.lang {
                Lang::En => format!("weeks from {}", ctx.window_start),
                Lang::Zh => format!("自 {} 起的周数", ctx.window_start),
            },
        );
        for (i, o) in outcomes.iter().enumerate() {
            let Some(series) = o
                .plan
                .as_ref()
                .and_then(|p| p.weekly.iter().find(|(id, _)| id == c))
            else {
                continue;
            };
            let points: Vec<String> = series
                .1
                .iter()
                .enumerate()
                .map(|(k, &v)| format!("{:.1},{:.1}", x(k as f64 + 0.5), y(v)))
                .collect();
            let _ = write!(
                s,
                r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="1.2" stroke-opacity="0.8"><title>{}</title></polyline>"#,
                points.join(" "),
                COLOURS[i % COLOURS.len()],
                esc(&format!("{}. {}", i + 1, o.name))
            );
        }
        s.push_str("</svg>\n");
    }
    s
}

/// compare.html: the table, the households chart and the utilisation charts
/// in one self-contained page.
pub fn compare_html(ctx: &CompareContext, outcomes: &[Outcome], summary: &str) -> String {
    let lang = ctx.lang;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html><html lang="{4}"><head><meta charset="utf-8"/><title>{5} — {0}</title><style>body{{font-family:{1};margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px 6px;font-size:13px}}td.n{{text-align:right}}svg{{margin:4px}}</style></head><body><h1>{5} — {0}</h1><p>{6} {2}{7} {3}</p>"#,
        esc(&ctx.programme),
        FONT_FAMILY,
        ctx.deadline,
        esc(summary),
        lang.tag(),
        say(lang, "Capacity comparison", "施工能力比较"),
        say(lang, "Deadline", "供热期限"),
        say(lang, ".", "。"),
    );
    let _ = write!(
        s,
        "<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th>",
        say(lang, "variant", "方案"),
        say(lang, "crews", "班组"),
        say(lang, "added", "增加")
    );
    for (c, k) in &ctx.varied {
        let _ = write!(s, "<th>{}</th>", esc(&format!("{c}/{k}")));
    }
    s.push_str(say(
        lang,
        "<th>households on time</th><th>late stations</th><th>finish</th><th>crew-days</th><th>bottleneck</th><th>solution</th>",
        "<th>按期供热户数</th><th>延误站</th><th>完工</th><th>班组工日</th><th>瓶颈</th><th>求解</th>",
    ));
    let with_risk = outcomes.iter().any(|o| o.risk.is_some());
    if with_risk {
        for h in chance::headers(lang) {
            let _ = write!(s, "<th>{}</th>", esc(h));
        }
    }
    let _ = write!(s, "<th>{}</th></tr>", say(lang, "find-minimum", "最少班组"));
    for (i, o) in outcomes.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        let _ = write!(
            s,
            r#"<tr><td class="n" style="color:{colour}">{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td>"#,
            i + 1,
            esc(&o.name),
            o.crews_total,
            signed(o.added_crews)
        );
        for key in &ctx.varied {
            let _ = write!(
                s,
                r#"<td class="n">{}</td>"#,
                o.crews.get(key).copied().unwrap_or(0)
            );
        }
        match &o.plan {
            Some(p) => {
                let _ = write!(
                    s,
                    r#"<td class="n">{} / {}</td><td class="n">{}</td><td>{}</td><td class="n">{}</td>"#,
                    p.households_on_time,
                    p.households_total,
                    p.late_stations,
                    p.finish,
                    p.crew_days
                );
            }
            None => s.push_str("<td>–</td><td>–</td><td>–</td><td>–</td>"),
        }
        let _ = write!(
            s,
            "<td>{}</td><td>{}</td>",
            esc(&bottleneck(o, lang)),
            esc(&status(o, lang)),
        );
        if with_risk {
            let [p, hh, plan] = chance::cells(o, lang);
            let _ = write!(
                s,
                r#"<td class="n">{}</td><td class="n">{}</td><td>{}</td>"#,
                esc(&p),
                esc(&hh),
                esc(&plan)
            );
        }
        let _ = write!(s, "<td>{}</td></tr>", esc(&note(ctx, i, lang)));
    }
    s.push_str("</table>");
    if with_risk {
        let _ = write!(s, "<p>{}</p>", esc(lang.compare_risk_labels().note));
    }
    s.push_str(say(
        lang,
        "<h2>Households heat-ready by the deadline against crews</h2><p>Green: every station on time; red: some station late. Numbers are the table's rows.</p>",
        "<h2>期限前可供热的户数与班组数</h2><p>绿色：所有换热站按期；红色：有换热站延误。数字为表中的行号。</p>",
    ));
    s.push_str(&households_chart(outcomes, lang));
    s.push_str(say(
        lang,
        "<h2>Utilisation of each contractor's crews, week by week</h2><p>One line per variant (colour of its row number); dashed line: the deadline.</p>",
        "<h2>各施工单位班组逐周利用率</h2><p>每个方案一条线（颜色同其行号）；虚线：供热期限。</p>",
    ));
    s.push_str(&utilisation_charts(ctx, outcomes));
    s.push_str("</body></html>\n");
    s
}
