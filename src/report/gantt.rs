//! gantt.svg: a time-scaled bar chart (横道图) of the plan.
//!
//! Time runs left to right at a fixed number of pixels per calendar day,
//! from the window start to a week past the later of the finish and the
//! deadline. Months and weeks (Mondays) are marked on the axis. Rows are
//! grouped by district; inside a district each pipe segment or station gets
//! one row holding all its steps (alternating between an upper and a lower
//! lane so that start-to-start overlaps stay visible), so a thousand
//! activities fit in a few hundred rows. Bars are coloured by step;
//! critical activities (resource-driven) have a red outline and a red tick
//! above the bar; milestones are diamonds. Rest weekdays, holidays, bans and
//! stop-work periods are shaded behind the bars (a ban limited to some
//! districts only behind those districts' rows), and the heat-ready deadline
//! is a red dashed line. Every activity carries a tooltip (`<title>`) and a
//! `data-activity` attribute with its id.
//!
//! A re-plan's chart ([`gantt_svg_replan`]) also shows the data-date line,
//! the dates of the plan re-planned as thin grey baseline bars under the
//! activities that moved, and the done part of every started bar
//! (src/report/gantt/replan.rs).

mod replan;

use super::lang::Lang;
use super::wbs::breakdown;
use super::xml::{esc, FONT_FAMILY};
use crate::plan::bulletin::FrontPoint;
use crate::plan::cpm::{DatedPeriod, NetworkPlan};
use crate::plan::variance::Variance;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use replan::Overlay;
use std::fmt::Write;

/// Pixels per calendar day.
const DAY_W: f64 = 5.0;
/// Width of the label column.
const LEFT: f64 = 230.0;
/// Height of the axis (title, months, weeks).
const TOP: f64 = 84.0;
/// Vertical shift of the axis below the legend line.
const AXIS_Y: f64 = 20.0;
/// Height of an element row.
const ROW_H: f64 = 16.0;
/// Height of a district header row.
const GROUP_H: f64 = 20.0;

/// Fill colours of the steps, in order of first appearance.
const PALETTE: [&str; 10] = [
    "#8c6d31", "#3182bd", "#31a354", "#756bb1", "#e6550d", "#17becf", "#bcbd22", "#7f7f7f",
    "#637939", "#ad494a",
];

/// The step of an activity: the key after the element id (`lay` in
/// `P012/lay`), or the element kind for tasks and milestones.
pub fn step_of(id: &str, element: &str, kind: &str) -> String {
    id.strip_prefix(element)
        .and_then(|r| r.strip_prefix('/'))
        .map_or_else(|| kind.to_string(), str::to_string)
}

/// Renders gantt.svg (an `<svg>` element without XML declaration, so that it
/// can also be inlined in HTML).
pub fn gantt_svg(np: &NetworkPlan, lang: Lang) -> String {
    gantt_svg_with_front(np, lang, None)
}

/// gantt.svg with the progress front line (前锋线) of a data date: the
/// points reached (see [`crate::plan::bulletin::front_line`]) and the data
/// day.
pub fn gantt_svg_with_front(
    np: &NetworkPlan,
    lang: Lang,
    front: Option<(&[FrontPoint], i64)>,
) -> String {
    draw(np, lang, front, None)
}

/// gantt.svg of a re-plan `np`: the data-date line of `variance`, a
/// baseline bar for every activity whose dates moved (the dates of the plan
/// re-planned), and the done part of every started activity's bar.
pub fn gantt_svg_replan(np: &NetworkPlan, variance: &Variance, lang: Lang) -> String {
    draw(np, lang, None, Some(&Overlay::new(np, variance)))
}

/// The chart, with the front line or the re-plan's overlay if given.
fn draw(
    np: &NetworkPlan,
    lang: Lang,
    front: Option<(&[FrontPoint], i64)>,
    overlay: Option<&Overlay>,
) -> String {
    let mut bar_y: Vec<f64> = vec![0.0; np.plan.activities.len()];
    let l = lang.labels();
    let plan = &np.plan;
    let acts = &plan.activities;
    let groups = breakdown(np);
    let last_day = acts
        .iter()
        .map(|a| a.end_day as i64)
        .max()
        .unwrap_or(0)
        .max(np.due_day as i64)
        .max(overlay.map_or(0, Overlay::last_day));
    let days = last_day + 7;
    let x = |day: i64| LEFT + day as f64 * DAY_W;
    let date_x = |d: NaiveDate| x(np.day_of(d));

    // Vertical layout: y of every group header and element row.
    let mut y = TOP;
    let mut group_y = Vec::new();
    let mut row_y = Vec::new();
    for g in &groups {
        group_y.push(y);
        y += GROUP_H;
        let mut rows = Vec::new();
        for _ in &g.elements {
            rows.push(y);
            y += ROW_H;
        }
        row_y.push(rows);
    }
    let chart_bottom = y;
    let mut steps: Vec<String> = Vec::new();
    for a in acts {
        let s = step_of(&a.id, &a.element, &a.element_kind);
        if a.duration_days > 0 && !steps.contains(&s) {
            steps.push(s);
        }
    }
    let legend_h = 24.0;
    let step_names: Vec<String> = steps.iter().map(|s| step_label(s, lang)).collect();
    let overlay_names = overlay.map(|_| Overlay::legend_texts(lang));
    let legend_w: f64 = step_names
        .iter()
        .map(String::as_str)
        .chain([
            l.legend_critical,
            l.milestone,
            l.holiday,
            l.ban,
            l.stop_work,
        ])
        .chain(overlay_names.iter().flatten().map(String::as_str))
        .map(legend_width)
        .sum();
    let width = (x(days) + 20.0).max(legend_w + 10.0);
    let height = chart_bottom + legend_h + 16.0;

    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT_FAMILY}" font-size="10">"#
    );
    let _ = writeln!(
        o,
        r#"<title>{}</title><rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="white"/>"#,
        esc(&format!("{} — {}", plan.programme, l.gantt))
    );
    let _ = writeln!(
        o,
        r#"<text x="4" y="14" font-size="13" font-weight="bold">{}</text>"#,
        esc(&format!("{} — {}", plan.programme, l.gantt))
    );

    // Shading: rest weekdays, holidays, bans, stop-work.
    let _ = writeln!(o, r#"<g class="shading">"#);
    for d in 0..days {
        let date = np.date_of(d);
        let rest = np
            .calendar
            .rest_weekdays
            .contains(&date.weekday().num_days_from_monday())
            && !np.calendar.makeup_days.contains(&date);
        if rest {
            let _ = writeln!(
                o,
                r##"<rect x="{:.1}" y="{TOP}" width="{DAY_W}" height="{:.1}" fill="#f1f1f1"/>"##,
                x(d),
                chart_bottom - TOP
            );
        }
    }
    let shade = |o: &mut String, p: &DatedPeriod, fill: &str, label: &str| {
        let x0 = date_x(p.from).max(LEFT);
        let x1 = date_x(p.to + Duration::days(1)).min(x(days));
        if x1 <= x0 {
            return;
        }
        let title = esc(&format!("{label}: {} {} – {}", p.name, p.from, p.to));
        let spans: Vec<(f64, f64)> = if p.districts.is_empty() {
            vec![(TOP, chart_bottom)]
        } else {
            groups
                .iter()
                .enumerate()
                .filter(|(_, g)| p.districts.contains(&g.district))
                .map(|(i, g)| {
                    (
                        group_y[i],
                        group_y[i] + GROUP_H + ROW_H * g.elements.len() as f64,
                    )
                })
                .collect()
        };
        for (y0, y1) in spans {
            let _ = writeln!(
                o,
                r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{fill}" fill-opacity="0.55"><title>{title}</title></rect>"#,
                x1 - x0,
                y1 - y0
            );
        }
    };
    for h in &np.calendar.holidays {
        shade(&mut o, h, "#c8c8c8", l.holiday);
    }
    for b in &np.calendar.bans {
        shade(&mut o, b, "#fdd49e", l.ban);
    }
    for b in &np.calendar.stop_work {
        shade(&mut o, b, "#fcbba1", l.stop_work);
    }
    let _ = writeln!(o, "</g>");

    // Axis: months and weeks.
    let _ = writeln!(o, r#"<g class="axis">"#);
    for d in 0..days {
        let date = np.date_of(d);
        if date.day() == 1 || d == 0 {
            let _ = writeln!(
                o,
                r##"<line x1="{0:.1}" y1="{4:.1}" x2="{0:.1}" y2="{1:.1}" stroke="#888" stroke-width="0.8"/><text x="{2:.1}" y="{5:.1}" font-weight="bold">{3}</text>"##,
                x(d),
                chart_bottom,
                x(d) + 3.0,
                date.format("%Y-%m"),
                22.0 + AXIS_Y,
                34.0 + AXIS_Y
            );
        }
        if date.weekday() == Weekday::Mon {
            let _ = writeln!(
                o,
                r##"<line x1="{0:.1}" y1="{4:.1}" x2="{0:.1}" y2="{1:.1}" stroke="#ddd" stroke-width="0.5"/><text x="{2:.1}" y="{5:.1}" font-size="8" fill="#555">{3}</text>"##,
                x(d),
                chart_bottom,
                x(d) + 1.5,
                date.format("%-m/%-d"),
                40.0 + AXIS_Y,
                52.0 + AXIS_Y
            );
        }
    }
    let _ = writeln!(
        o,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{:.1}" y2="{TOP}" stroke="#444"/>"##,
        x(days)
    );
    let _ = writeln!(o, "</g>");

    // Rows.
    let _ = writeln!(o, r#"<g class="rows">"#);
    for (gi, g) in groups.iter().enumerate() {
        let name = if g.district.is_empty() {
            l.general.to_string()
        } else {
            np.district_name(&g.district)
        };
        let _ = writeln!(
            o,
            r##"<rect x="0" y="{:.1}" width="{width:.0}" height="{GROUP_H}" fill="#e8eef7" fill-opacity="0.6"/><text x="4" y="{:.1}" font-size="11" font-weight="bold">{}</text>"##,
            group_y[gi],
            group_y[gi] + 14.0,
            esc(&name)
        );
        for (ei, e) in g.elements.iter().enumerate() {
            let ry = row_y[gi][ei];
            let label = row_label(np, &e.activities, &e.element, lang);
            let _ = writeln!(
                o,
                r##"<text x="12" y="{:.1}">{}</text><line x1="0" y1="{:.1}" x2="{width:.0}" y2="{:.1}" stroke="#eee" stroke-width="0.5"/>"##,
                ry + 11.5,
                esc(&truncate(&label, 40)),
                ry + ROW_H,
                ry + ROW_H
            );
            for (k, &i) in e.activities.iter().enumerate() {
                let a = &acts[i];
                let t = &np.activities[i].resource;
                // Work finished before a re-plan's data date is history:
                // it has no float left, but is not critical.
                let critical = t.days.marked() && overlay.is_none_or(|ov| !ov.finished(i));
                let title = esc(&format!(
                    "{} {} | {} – {} | {} | TF {} FF {}{}",
                    a.id,
                    a.name,
                    a.start,
                    a.finish,
                    a.crew,
                    t.days.total_float,
                    t.days.free_float,
                    if critical {
                        format!(" | {}", l.legend_critical)
                    } else {
                        String::new()
                    }
                ));
                let id = esc(&a.id);
                if a.duration_days == 0 {
                    let cx = x(a.start_day as i64);
                    let cy = ry + ROW_H / 2.0;
                    if let Some(ov) = overlay {
                        ov.draw_baseline(&mut o, i, &id, cy - 3.5, &x, lang);
                    }
                    let fill = if critical { "#d62728" } else { "#222" };
                    let _ = writeln!(
                        o,
                        r#"<polygon data-activity="{id}" points="{:.1},{:.1} {:.1},{cy:.1} {cx:.1},{:.1} {:.1},{cy:.1}" fill="{fill}"><title>{title}</title></polygon>"#,
                        cx,
                        cy - 6.0,
                        cx + 6.0,
                        cy + 6.0,
                        cx - 6.0
                    );
                    continue;
                }
                let step = step_of(&a.id, &a.element, &a.element_kind);
                let colour = steps
                    .iter()
                    .position(|s| s == &step)
                    .map_or("#999", |p| PALETTE[p % PALETTE.len()]);
                let lane = if e.activities.len() > 1 {
                    (k % 2) as f64
                } else {
                    0.5
                };
                let by = ry + 2.0 + lane * 5.0;
                bar_y[i] = by + 3.5;
                let bx = x(a.start_day as i64);
                let bw = (a.duration_days as f64 * DAY_W).max(1.5);
                let stroke = if critical {
                    r##" stroke="#d62728" stroke-width="1.6""##
                } else {
                    ""
                };
                if let Some(ov) = overlay {
                    ov.draw_baseline(&mut o, i, &id, by, &x, lang);
                }
                let _ = writeln!(
                    o,
                    r#"<rect data-activity="{id}" x="{bx:.1}" y="{by:.1}" width="{bw:.1}" height="7" fill="{colour}"{stroke}><title>{title}</title></rect>"#
                );
                if let Some(ov) = overlay {
                    ov.draw_done(&mut o, i, &id, a.start_day as i64, bx, by);
                }
                if critical {
                    let _ = writeln!(
                        o,
                        r##"<line x1="{bx:.1}" y1="{0:.1}" x2="{1:.1}" y2="{0:.1}" stroke="#d62728" stroke-width="1.2"/>"##,
                        ry + 1.0,
                        bx + bw
                    );
                }
            }
        }
    }
    let _ = writeln!(o, "</g>");

    // Deadline.
    let dx = x(np.due_day as i64);
    let _ = writeln!(
        o,
        r##"<line x1="{dx:.1}" y1="42" x2="{dx:.1}" y2="{chart_bottom:.1}" stroke="#d62728" stroke-width="1.5" stroke-dasharray="6,3"/><text x="{:.1}" y="38" fill="#d62728" text-anchor="end">{}</text>"##,
        dx - 2.0,
        esc(&format!("{} {}", l.deadline, plan.deadline))
    );

    draw_rainy_season(&mut o, np, &x, chart_bottom, lang);
    draw_bottom_axis(&mut o, np, days, &x, chart_bottom);
    draw_heat_ready_and_due(&mut o, np, &bar_y, &x, lang);
    if let Some((points, dd)) = front {
        draw_front_line(&mut o, points, dd, &bar_y, &x, chart_bottom, lang);
    }
    if let Some(ov) = overlay {
        ov.draw_data_date(&mut o, np, &x, chart_bottom, lang);
    }

    // Legend.
    let ly = 30.0;
    let mut lx = 4.0;
    for (p, s) in steps.iter().enumerate() {
        let s = &step_label(s, lang);
        let sw = format!(
            r#"<rect x="{lx:.1}" y="{:.1}" width="11" height="8" fill="{}"/>"#,
            ly - 8.0,
            PALETTE[p % PALETTE.len()]
        );
        legend_item(&mut o, &mut lx, ly, &sw, s);
    }
    let sw = format!(
        r##"<rect x="{lx:.1}" y="{:.1}" width="11" height="8" fill="white" stroke="#d62728" stroke-width="1.6"/>"##,
        ly - 8.0
    );
    legend_item(&mut o, &mut lx, ly, &sw, l.legend_critical);
    let sw = format!(
        r##"<polygon points="{0:.1},{1:.1} {2:.1},{3:.1} {0:.1},{4:.1} {5:.1},{3:.1}" fill="#222"/>"##,
        lx + 5.0,
        ly - 10.0,
        lx + 10.0,
        ly - 5.0,
        ly,
        lx
    );
    legend_item(&mut o, &mut lx, ly, &sw, l.milestone);
    for (fill, text) in [
        ("#c8c8c8", l.holiday),
        ("#fdd49e", l.ban),
        ("#fcbba1", l.stop_work),
    ] {
        let sw = format!(
            r#"<rect x="{lx:.1}" y="{:.1}" width="11" height="8" fill="{fill}"/>"#,
            ly - 8.0
        );
        legend_item(&mut o, &mut lx, ly, &sw, text);
    }
    if overlay.is_some() {
        Overlay::draw_legend(&mut o, &mut lx, ly, lang);
    }
    o.push_str("</svg>\n");
    o
}

/// Shortens a label to `n` characters with an ellipsis.
pub fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Appends one legend entry (a swatch drawn at `lx`, then its text) and
/// moves `lx` past it.
fn legend_item(o: &mut String, lx: &mut f64, ly: f64, swatch: &str, text: &str) {
    let _ = writeln!(
        o,
        r#"{swatch}<text x="{:.1}" y="{ly:.1}">{}</text>"#,
        *lx + 14.0,
        esc(text)
    );
    *lx += legend_width(text);
}

/// Horizontal room one legend entry takes.
fn legend_width(text: &str) -> f64 {
    24.0 + 7.0 * super::lang::display_width(text) as f64
}

/// Draws the front line on the Gantt chart: a vertical at the data date
/// that bends to the point reached on each bar it passes (top to bottom),
/// with the days ahead (+) or behind (−) beside each point.
fn draw_front_line(
    o: &mut String,
    points: &[FrontPoint],
    dd: i64,
    bar_y: &[f64],
    x: &dyn Fn(i64) -> f64,
    bottom: f64,
    lang: Lang,
) {
    let xd = x(dd);
    let at = |r: f64| x(0) + r * DAY_W;
    let mut pts: Vec<(f64, f64, &FrontPoint)> = points
        .iter()
        .map(|p| (bar_y[p.activity], at(p.reached), p))
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut path = format!("M{xd:.1},{TOP}");
    for (py, px, _) in &pts {
        let _ = write!(path, " L{px:.1},{py:.1}");
    }
    let _ = write!(path, " L{xd:.1},{bottom:.1}");
    let label = match lang {
        Lang::Zh => "前锋线",
        Lang::En => "front line",
    };
    let _ = writeln!(
        o,
        r##"<g class="front-line"><text x="{:.1}" y="{:.1}" fill="#1f77b4" font-weight="bold">{label}</text><path d="{path}" fill="none" stroke="#1f77b4" stroke-width="1.4"/>"##,
        xd + 3.0,
        TOP - 2.0
    );
    for (py, px, p) in &pts {
        let colour = if p.offset_days < -0.49 {
            "#d62728"
        } else {
            "#1f77b4"
        };
        let _ = writeln!(
            o,
            r#"<circle class="front" data-activity="{}" data-offset="{:.2}" cx="{px:.1}" cy="{py:.1}" r="2" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="7" fill="{colour}">{:+.0}</text>"#,
            p.activity,
            p.offset_days,
            px + 3.0,
            py + 3.0,
            p.offset_days
        );
    }
    o.push_str("</g>\n");
}

/// The label of a Gantt row: the element (or activity) id and name, the
/// households of a station and the contractor(s) doing the work.
fn row_label(np: &NetworkPlan, activities: &[usize], element: &str, lang: Lang) -> String {
    let acts = &np.plan.activities;
    let mut label = if activities.len() == 1 {
        let a = &acts[activities[0]];
        format!("{} {}", a.id, a.name)
    } else {
        element.to_string()
    };
    if let Some(st) = np.plan.stations.iter().find(|s| s.id == element) {
        let unit = match lang {
            Lang::Zh => "户",
            Lang::En => " hh",
        };
        label = format!("{} {} · {}{unit}", st.id, st.name, st.households);
    }
    let mut who: Vec<String> = Vec::new();
    for &a in activities {
        let c = &acts[a].contractor;
        if !c.is_empty() && !who.contains(c) {
            who.push(c.clone());
        }
    }
    if !who.is_empty() {
        label = format!("{label} · {}", who.join("/"));
    }
    label
}

/// A step key in the report's language: the common keys of the templates
/// are translated, other keys are shown as written.
fn step_label(step: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return step.to_string();
    }
    match step {
        "trench" => "沟槽开挖",
        "lay" => "管道安装",
        "test" => "试压",
        "backfill" => "回填恢复",
        "civil" => "土建",
        "mep" | "equip" => "机电安装",
        "commission" => "调试",
        "task" => "任务",
        "milestone" => "里程碑",
        other => other,
    }
    .to_string()
}

/// Shades the reduced-productivity periods (the rainy season) behind the
/// bars, with their name at the top.
fn draw_rainy_season(
    o: &mut String,
    np: &NetworkPlan,
    x: &dyn Fn(i64) -> f64,
    bottom: f64,
    lang: Lang,
) {
    for p in &np.calendar.productivity {
        let (x0, x1) = (x(np.day_of(p.from)), x(np.day_of(p.to) + 1));
        let label = match lang {
            Lang::Zh => format!("{}（效率×{}）", p.name, p.factor.unwrap_or(1.0)),
            Lang::En => format!("{} (productivity ×{})", p.name, p.factor.unwrap_or(1.0)),
        };
        let _ = writeln!(
            o,
            r##"<g class="rainy-season"><rect x="{x0:.1}" y="{TOP}" width="{:.1}" height="{4:.1}" fill="#6baed6" fill-opacity="0.10"><title>{1}</title></rect><text x="{2:.1}" y="{3:.1}" font-size="8" fill="#3182bd">{1}</text></g>"##,
            (x1 - x0).max(0.0),
            esc(&label),
            x0 + 2.0,
            TOP - 4.0,
            bottom - TOP
        );
    }
}

/// Repeats the months and weeks below the chart.
fn draw_bottom_axis(
    o: &mut String,
    np: &NetworkPlan,
    days: i64,
    x: &dyn Fn(i64) -> f64,
    bottom: f64,
) {
    let _ = writeln!(o, r#"<g class="axis-bottom">"#);
    for d in 0..days {
        let date = np.date_of(d);
        if date.day() == 1 || d == 0 {
            let _ = writeln!(
                o,
                r#"<text x="{:.1}" y="{:.1}" font-weight="bold">{}</text>"#,
                x(d) + 3.0,
                bottom + 24.0,
                date.format("%Y-%m")
            );
        }
        if date.weekday() == Weekday::Mon {
            let _ = writeln!(
                o,
                r##"<text x="{:.1}" y="{:.1}" font-size="8" fill="#555">{}</text>"##,
                x(d) + 1.5,
                bottom + 11.0,
                date.format("%-m/%-d")
            );
        }
    }
    let _ = writeln!(o, "</g>");
}

/// Marks each station's heat-ready day on its row (a green flag with the
/// households) and each time node's due date (a red triangle on the axis).
fn draw_heat_ready_and_due(
    o: &mut String,
    np: &NetworkPlan,
    bar_y: &[f64],
    x: &dyn Fn(i64) -> f64,
    lang: Lang,
) {
    let index = np.plan.index_by_id();
    let (ready, due) = match lang {
        Lang::Zh => ("具备供热", "节点目标"),
        Lang::En => ("heat-ready", "due"),
    };
    for m in &np.milestones {
        match m.kind {
            crate::plan::cpm::MilestoneKind::Station => {
                let Some(&a) = index.get(m.activity.as_str()) else {
                    continue;
                };
                let (fx, fy) = (x(np.day_of(m.date) + 1), bar_y[a]);
                let _ = writeln!(
                    o,
                    r##"<path class="heat-ready" d="M{fx:.1},{:.1} v-9 l7,3 l-7,3" fill="#2ca02c" stroke="#1a6b1a" stroke-width="0.6"><title>{}</title></path>"##,
                    fy + 3.0,
                    esc(&format!(
                        "{ready} {} {} {}",
                        m.id,
                        m.date,
                        m.households.unwrap_or(0)
                    ))
                );
            }
            crate::plan::cpm::MilestoneKind::Scenario => {
                let Some(d) = m.due else { continue };
                let dx = x(np.day_of(d) + 1);
                let _ = writeln!(
                    o,
                    r##"<path class="due" d="M{dx:.1},{TOP} l-5,-8 h10 z" fill="#d62728"><title>{}</title></path>"##,
                    esc(&format!("{due} {} {}: {d}", m.id, m.name))
                );
            }
            crate::plan::cpm::MilestoneKind::District => {}
        }
    }
}
