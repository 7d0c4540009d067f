//! Drawing a laid-out arrow network as an SVG sheet (see the parent module
//! for the drawing rules).

use super::layout::ArrowNetwork;
use super::works::Work;
use super::Lang;
use crate::plan::bulletin::FrontPoint;
use crate::plan::cpm::NetworkPlan;
use crate::report::xml::{esc, Dec1, FONT_FAMILY};
use chrono::Datelike;
use std::collections::HashMap;
use std::fmt::Write;

/// Pixels per calendar day.
const DAY_W: f64 = 7.0;
/// Height of a row.
const ROW_H: f64 = 26.0;
/// Height of a row holding only dummies.
const LANE_H: f64 = 12.0;
/// Right margin (labels of the last events).
const RIGHT: f64 = 200.0;
/// Left margin.
const LEFT: f64 = 40.0;
/// Height of the top axis.
const TOP: f64 = 70.0;
/// Height of the bottom axis.
const BOTTOM: f64 = 60.0;

/// The words of the sheets.
pub(super) fn words(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::Zh => [
            "双代号时标网络图",
            "虚工作",
            "交叉",
            "关键线路",
            "自由时差（波形线）",
            "具备供热",
            "前锋线",
            "时间节点",
        ],
        Lang::En => [
            "Time-scaled arrow network",
            "dummies",
            "crossings",
            "critical path",
            "free float (wavy)",
            "heat-ready",
            "front line",
            "time node",
        ],
    }
}

/// A wavy path from `x0` to `x1` at height `y`.
fn wavy(x0: f64, x1: f64, y: f64) -> String {
    let mut d = format!("M{},{}", Dec1(x0), Dec1(y));
    let (y, up_y, down_y) = (
        Dec1(y).to_string(),
        Dec1(y - 2.5).to_string(),
        Dec1(y + 2.5).to_string(),
    );
    let mut x = x0;
    let mut up = true;
    while x + 3.0 <= x1 {
        let cy = if up { &up_y } else { &down_y };
        let _ = write!(d, " Q{},{cy} {},{y}", Dec1(x + 1.5), Dec1(x + 3.0));
        x += 3.0;
        up = !up;
    }
    if x < x1 {
        let _ = write!(d, " L{},{y}", Dec1(x1));
    }
    d
}

/// What a sheet marks besides the arrows.
#[derive(Debug, Clone, Default)]
pub struct Marks {
    /// Heat-ready points: (work index, day, label drawn beside the flag).
    pub heat_ready: Vec<(usize, i64, Option<String>)>,
    /// Time nodes: (work index, name, due day).
    pub nodes: Vec<(usize, String, Option<i64>)>,
    /// Time nodes not in the network, marked by a line at their day: (day,
    /// name, due day).
    pub dates: Vec<(i64, String, Option<i64>)>,
    /// Front line: (work index, point) and the data day.
    pub front: Option<(Vec<(usize, FrontPoint)>, i64)>,
}

/// Renders one sheet.
pub fn sheet_svg(
    np: &NetworkPlan,
    title: &str,
    works: &[Work],
    net: &ArrowNetwork,
    marks: &Marks,
    lang: Lang,
) -> String {
    let wd = words(lang);
    let first = net.events.iter().map(|e| e.day).min().unwrap_or(0) - 2;
    let last = net.events.iter().map(|e| e.day).max().unwrap_or(0) + 4;
    let x = |d: f64| LEFT + (d - first as f64) * DAY_W;
    // Room above the first row for the labels of the time nodes' lines.
    let mut row_y = vec![TOP + 20.0 + 11.0 * marks.dates.len() as f64];
    for r in 0..net.rows {
        let h = |r: usize| {
            if net.lane_rows.get(r) == Some(&true) {
                LANE_H
            } else {
                ROW_H
            }
        };
        let next = row_y[r] + (h(r) + h(r + 1)) / 2.0;
        row_y.push(next);
    }
    let y = |r: usize| row_y[r];
    let width = x(last as f64) + RIGHT;
    let bottom = y(net.rows) + 4.0;
    let height = bottom + BOTTOM;
    let mut o = String::new();
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT_FAMILY}" font-size="9" class="timescaled" data-day0="{first}" data-day-width="{DAY_W}" data-left="{LEFT}">"#
    );
    let _ = writeln!(
        o,
        r##"<style>@page{{size:A3 landscape;margin:8mm}}</style><defs><marker id="ts-ah" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#333"/></marker><marker id="ts-ahc" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#d62728"/></marker></defs><rect width="{width:.0}" height="{height:.0}" fill="white"/>"##
    );
    let _ = writeln!(
        o,
        r##"<text x="6" y="16" font-size="14" font-weight="bold">{}</text><text x="6" y="32" fill="#444">{}</text>"##,
        esc(&format!("{} — {}", title, wd[0])),
        esc(&match lang {
            Lang::Zh => format!(
                "{} 项工作 · {} {} 条（由 {} 条逻辑关系化简） · {} {} 处",
                works.len(),
                wd[1],
                net.dummies.len(),
                net.dummies_before,
                wd[2],
                net.crossings
            ),
            Lang::En => format!(
                "{} arrows · {} {} (reduced from {} links) · {} {}",
                works.len(),
                wd[1],
                net.dummies.len(),
                net.dummies_before,
                wd[2],
                net.crossings
            ),
        })
    );
    // Working-day grid and the date axes, top and bottom.
    let _ = writeln!(o, r#"<g class="grid">"#);
    for d in first..=last {
        let date = np.date_of(d);
        let xd = x(d as f64);
        if np.calendar.is_working(date) {
            let _ = writeln!(
                o,
                r##"<line x1="{xd:.1}" y1="{TOP}" x2="{xd:.1}" y2="{bottom:.1}" stroke="#f0f0f0"/>"##
            );
        } else {
            let _ = writeln!(
                o,
                r##"<rect x="{xd:.1}" y="{TOP}" width="{DAY_W}" height="{:.1}" fill="#f6f6f6"/>"##,
                bottom - TOP
            );
        }
        for (yy, anchor_y) in [(TOP - 4.0, TOP - 18.0), (bottom + 14.0, bottom + 28.0)] {
            if date.day() == 1 || (d == first && date.day() <= 18) {
                let _ = writeln!(
                    o,
                    r#"<text x="{:.1}" y="{anchor_y:.1}" font-weight="bold">{}</text>"#,
                    xd + 2.0,
                    date.format("%Y-%m")
                );
            }
            if date.weekday() == chrono::Weekday::Mon {
                let _ = writeln!(
                    o,
                    r##"<text x="{xd:.1}" y="{yy:.1}" font-size="8" fill="#555">{}</text>"##,
                    date.format("%-m/%-d")
                );
            }
        }
    }
    let _ = writeln!(
        o,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{:.1}" y2="{TOP}" stroke="#444"/><line x1="{LEFT}" y1="{bottom:.1}" x2="{:.1}" y2="{bottom:.1}" stroke="#444"/></g>"##,
        x(last as f64),
        x(last as f64)
    );
    // Due dates of time nodes on the top axis.
    for (name, due) in marks
        .nodes
        .iter()
        .map(|(_, n, d)| (n, d))
        .chain(marks.dates.iter().map(|(_, n, d)| (n, d)))
    {
        if let Some(d) = due {
            let xd = x(*d as f64 + 1.0);
            let _ = writeln!(
                o,
                r##"<path d="M{0:.1},{1:.1} l-4,-7 h8 z" fill="#d62728"><title>{2}</title></path>"##,
                xd,
                TOP,
                esc(&format!("{}: {} {}", wd[7], name, np.date_of(*d)))
            );
        }
    }
    // Arrows: every work one labelled arrow, in sections between its events.
    let ev = &net.events;
    let _ = writeln!(o, r#"<g class="arrows">"#);
    let mut k = 0;
    for (w, work) in works.iter().enumerate() {
        let (tail, head) = (&ev[net.tail(w)], &ev[net.head(w)]);
        let (x0, x1) = (x(work.start as f64), x(work.end as f64));
        let _ = write!(
            o,
            r#"<g data-work="{}" data-tail="{}" data-head="{}" data-x0="{x0:.1}" data-x1="{x1:.1}"><title>{}</title>"#,
            esc(&work.id),
            tail.number,
            head.number,
            esc(&format!(
                "{} | {} – {}",
                work.label,
                np.date_of(work.start),
                np.date_of((work.end - 1).max(work.start))
            ))
        );
        let ya = y(net.work_rows[w]);
        while k < net.arrows.len() && net.arrows[k].work == w {
            let a = &net.arrows[k];
            k += 1;
            let last = k == net.arrows.len() || net.arrows[k].work != w;
            let (t, h) = (&ev[a.tail], &ev[a.head]);
            let solid_end = if last { work.end } else { h.day };
            let (colour, sw, marker) = if work.critical_between(t.day, solid_end) {
                ("#d62728", 2.4, "ts-ahc")
            } else {
                ("#333", 1.1, "ts-ah")
            };
            let (xs, x1, xh) = (x(t.day as f64), x(solid_end as f64), x(h.day as f64));
            if t.row != a.row {
                let _ = write!(
                    o,
                    r#"<line x1="{xs:.1}" y1="{:.1}" x2="{xs:.1}" y2="{ya:.1}" stroke="{colour}" stroke-width="{sw}"/>"#,
                    y(t.row)
                );
            }
            let tip = |to_x: f64| {
                if h.row == a.row && (to_x - xh).abs() < 0.01 {
                    format!(r#" marker-end="url(#{marker})""#)
                } else {
                    String::new()
                }
            };
            let _ = write!(
                o,
                r#"<line x1="{xs:.1}" y1="{ya:.1}" x2="{:.1}" y2="{ya:.1}" stroke="{colour}" stroke-width="{sw}"{}/>"#,
                if h.row == a.row && (x1 - xh).abs() < 0.01 {
                    x1 - 7.0
                } else {
                    x1
                },
                tip(x1)
            );
            if xh > x1 + 0.5 {
                let _ = write!(
                    o,
                    r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="1"{}/>"#,
                    wavy(x1, if h.row == a.row { xh - 7.0 } else { xh }, ya),
                    tip(xh)
                );
            }
            if h.row != a.row {
                let _ = write!(
                    o,
                    r#"<line x1="{xh:.1}" y1="{ya:.1}" x2="{xh:.1}" y2="{:.1}" stroke="{colour}" stroke-width="{sw}" marker-end="url(#{marker})"/>"#,
                    y(h.row) + if h.row > a.row { -7.0 } else { 7.0 }
                );
            }
        }
        if work.end > work.start {
            let room = ((x1 - x0) / 5.0).max(4.0) as usize;
            let _ = write!(
                o,
                r#"<text x="{:.1}" y="{:.1}" font-size="8" paint-order="stroke" stroke="white" stroke-width="3">{}</text>"#,
                x0 + 8.0,
                ya - 3.0,
                esc(&crate::report::gantt::truncate(&work.label, room))
            );
        }
        o.push_str("</g>\n");
    }
    let _ = writeln!(o, "</g>\n<g class=\"dummies\">");
    for d in &net.dummies {
        let (f, t) = (&ev[d.from], &ev[d.to]);
        let (xf, xt) = (x(f.day as f64), x(t.day as f64));
        match d.row {
            Some(r) => {
                let yr = y(r);
                let _ = writeln!(
                    o,
                    r##"<g class="dummy"><line x1="{xf:.1}" y1="{:.1}" x2="{xf:.1}" y2="{yr:.1}" stroke="#666" stroke-dasharray="3,2"/><path d="{}" fill="none" stroke="#666"/><line x1="{xt:.1}" y1="{yr:.1}" x2="{xt:.1}" y2="{:.1}" stroke="#666" stroke-dasharray="3,2" marker-end="url(#ts-ah)"/></g>"##,
                    y(f.row),
                    wavy(xf, xt, yr),
                    y(t.row) + if t.row > r { -7.0 } else { 7.0 }
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    r##"<line class="dummy" x1="{xf:.1}" y1="{:.1}" x2="{xf:.1}" y2="{:.1}" stroke="#666" stroke-dasharray="3,2" marker-end="url(#ts-ah)"/>"##,
                    y(f.row) + if t.row > f.row { 7.0 } else { -7.0 },
                    y(t.row) + if t.row > f.row { -7.0 } else { 7.0 }
                );
            }
        }
    }
    let _ = writeln!(o, "</g>\n<g class=\"events\">");
    for e in ev {
        let _ = writeln!(
            o,
            r##"<g class="event" data-number="{0}" data-day="{1}"><circle cx="{2:.1}" cy="{3:.1}" r="7" fill="white" stroke="#333"/><text x="{2:.1}" y="{4:.1}" font-size="7" text-anchor="middle">{0}</text></g>"##,
            e.number,
            e.day,
            x(e.day as f64),
            y(e.row),
            y(e.row) + 2.5
        );
    }
    let _ = writeln!(o, "</g>");
    // Heat-ready points on their day, time nodes at their events.
    for (w, day, label) in &marks.heat_ready {
        let (xh, yh) = (x(*day as f64), y(net.work_rows[*w]));
        let _ = writeln!(
            o,
            r##"<g class="heat-ready"><title>{title}</title><path d="M{xh:.1},{0:.1} v-12 l9,4 l-9,4" fill="#2ca02c" stroke="#1a6b1a"/><text x="{1:.1}" y="{2:.1}" font-size="7" fill="#1a6b1a">{3}</text></g>"##,
            yh - 7.0,
            xh + 10.0,
            yh - 12.0,
            esc(label.as_deref().unwrap_or("")),
            title = esc(&format!("{} {}", wd[5], np.date_of(*day - 1)))
        );
    }
    let mut at_event: HashMap<usize, usize> = HashMap::new();
    for (w, name, _) in &marks.nodes {
        let e = net.head(*w);
        let h = &ev[e];
        // Time nodes on one event: labels one under the other.
        let k = at_event.entry(e).or_default();
        let (xh, yh) = (x(h.day as f64), y(h.row));
        let dy = 11.0 * *k as f64;
        *k += 1;
        let _ = writeln!(
            o,
            r##"<g class="time-node"><path d="M{xh:.1},{0:.1} l6,6 l-6,6 l-6,-6 z" fill="#d62728" fill-opacity="0.8"/><text x="{1:.1}" y="{2:.1}" font-size="8" fill="#d62728" font-weight="bold">{3}</text></g>"##,
            yh + 6.0,
            xh + 8.0,
            yh + 16.0 + dy,
            esc(name)
        );
    }
    for (i, (d, name, _)) in marks.dates.iter().enumerate() {
        let xd = x(*d as f64);
        let yl = TOP + 12.0 + 11.0 * i as f64;
        let _ = writeln!(
            o,
            r##"<g class="time-node"><line x1="{xd:.1}" y1="{TOP}" x2="{xd:.1}" y2="{bottom:.1}" stroke="#d62728" stroke-dasharray="1,3"/><path d="M{xd:.1},{0:.1} l5,5 l-5,5 l-5,-5 z" fill="#d62728" fill-opacity="0.8"/><text x="{1:.1}" y="{2:.1}" font-size="8" fill="#d62728" font-weight="bold" text-anchor="end">{3}</text></g>"##,
            yl - 5.0,
            xd - 7.0,
            yl + 3.0,
            esc(name)
        );
    }
    if let Some((points, dd)) = &marks.front {
        front_line(&mut o, net, points, *dd, &x, &y, bottom, wd[6]);
    }
    o.push_str("</svg>\n");
    o
}

/// Draws the front line: from the data date at the top, through the point
/// reached on every arrow it passes (row by row), to the data date at the
/// bottom; each point is labelled with its days ahead (+) or behind (−).
#[allow(clippy::too_many_arguments)]
fn front_line(
    o: &mut String,
    net: &ArrowNetwork,
    points: &[(usize, FrontPoint)],
    dd: i64,
    x: &dyn Fn(f64) -> f64,
    y: &dyn Fn(usize) -> f64,
    bottom: f64,
    label: &str,
) {
    let xd = x(dd as f64);
    let mut by_row: Vec<(usize, f64, &FrontPoint)> = points
        .iter()
        .map(|(w, p)| (net.work_rows[*w], x(p.reached), p))
        .collect();
    by_row.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut path = format!("M{xd:.1},{TOP}");
    for (r, px, _) in &by_row {
        let _ = write!(path, " L{px:.1},{:.1}", y(*r));
    }
    let _ = write!(path, " L{xd:.1},{bottom:.1}");
    let _ = writeln!(
        o,
        r##"<g class="front-line"><line x1="{xd:.1}" y1="{0}" x2="{xd:.1}" y2="{bottom:.1}" stroke="#1f77b4" stroke-dasharray="2,3"/><text x="{1:.1}" y="{2:.1}" fill="#1f77b4" font-weight="bold">{3}</text><path d="{path}" fill="none" stroke="#1f77b4" stroke-width="1.6"/>"##,
        TOP - 30.0,
        xd + 3.0,
        TOP - 30.0,
        esc(label)
    );
    for (r, px, p) in &by_row {
        let colour = if p.offset_days < -0.49 {
            "#d62728"
        } else {
            "#1f77b4"
        };
        let _ = writeln!(
            o,
            r#"<circle class="front" data-activity="{}" data-offset="{:.2}" cx="{px:.1}" cy="{:.1}" r="2.5" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="8" fill="{colour}">{:+.0}</text>"#,
            p.activity,
            p.offset_days,
            y(*r),
            px + 3.0,
            y(*r) + 10.0,
            p.offset_days
        );
    }
    o.push_str("</g>\n");
}
