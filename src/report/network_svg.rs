//! network.svg: the activity-on-node network diagram (单代号网络图) with the
//! critical path highlighted.
//!
//! To stay readable with a thousand activities the network is collapsed by
//! default: one node per element (a pipe segment's or a station's chain of
//! steps, or one extra task or milestone), carrying the element's first start,
//! last finish and smallest total float; an element is critical when one of
//! its activities is. [`Detail::Districts`] collapses further (one node per
//! district; tasks and milestones without a district stay on their own), and
//! [`Detail::Activities`] draws every activity.
//!
//! Layout: the collapsed graph is layered by longest path from the sources
//! (Kahn's order; should collapsing create a cycle, the edge closing it is
//! ignored for layering and still drawn), so every link runs left to right.
//! Inside a layer nodes are ordered by the mean position of their
//! predecessors (one sweep, which removes most crossings), then by district.
//! A layer taller than [`MAX_PER_COLUMN`] nodes wraps into several
//! sub-columns. Precedence links are grey and those on the resource-critical
//! path red; nodes with a critical activity are red. In full detail the crew
//! and trench hand-overs on the resource-critical path are drawn too, dashed
//! (they do not take part in the layering, so they may run backwards).

use super::lang::Lang;
use super::wbs::breakdown;
use super::xml::{esc, FONT_FAMILY};
use crate::plan::cpm::NetworkPlan;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Most nodes stacked in one column before a layer wraps.
pub const MAX_PER_COLUMN: usize = 30;
const NODE_W: f64 = 160.0;
const NODE_H: f64 = 48.0;
const COL_GAP: f64 = 70.0;
const ROW_GAP: f64 = 14.0;
const MARGIN: f64 = 20.0;
const TOP: f64 = 50.0;

/// How much the network diagram collapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Detail {
    /// One node per district (plus tasks and milestones without a district).
    Districts,
    /// One node per element (the default).
    #[default]
    Elements,
    /// One node per activity.
    Activities,
}

impl Detail {
    /// Parses `districts`, `elements` or `activities` (also `full`).
    pub fn parse(s: &str) -> Option<Detail> {
        match s.trim().to_ascii_lowercase().as_str() {
            "districts" | "district" => Some(Detail::Districts),
            "elements" | "element" => Some(Detail::Elements),
            "activities" | "activity" | "full" => Some(Detail::Activities),
            _ => None,
        }
    }
}

/// A node of the drawn network.
#[derive(Debug, Clone)]
struct Node {
    title: String,
    subtitle: String,
    members: Vec<usize>,
    group: usize,
}

/// The nodes for a level of detail, in district order.
fn nodes(np: &NetworkPlan, detail: Detail, lang: Lang) -> Vec<Node> {
    let l = lang.labels();
    let acts = &np.plan.activities;
    let mut out = Vec::new();
    for (gi, g) in breakdown(np).into_iter().enumerate() {
        let dname = if g.district.is_empty() {
            l.general.to_string()
        } else {
            np.district_name(&g.district)
        };
        match detail {
            Detail::Districts if !g.district.is_empty() => out.push(Node {
                title: dname.clone(),
                subtitle: String::new(),
                members: g
                    .elements
                    .iter()
                    .flat_map(|e| e.activities.clone())
                    .collect(),
                group: gi,
            }),
            Detail::Activities => {
                for &i in g.elements.iter().flat_map(|e| e.activities.iter()) {
                    out.push(Node {
                        title: acts[i].id.clone(),
                        subtitle: acts[i].name.clone(),
                        members: vec![i],
                        group: gi,
                    });
                }
            }
            _ => {
                for e in &g.elements {
                    let single = e.activities.len() == 1;
                    out.push(Node {
                        title: e.element.clone(),
                        subtitle: if single {
                            acts[e.activities[0]].name.clone()
                        } else {
                            dname.clone()
                        },
                        members: e.activities.clone(),
                        group: gi,
                    });
                }
            }
        }
    }
    out
}

/// Renders network.svg (an `<svg>` element without XML declaration).
pub fn network_svg(np: &NetworkPlan, detail: Detail, lang: Lang) -> String {
    let l = lang.labels();
    let acts = &np.plan.activities;
    let nodes = nodes(np, detail, lang);
    let mut node_of = vec![usize::MAX; acts.len()];
    for (k, n) in nodes.iter().enumerate() {
        for &m in &n.members {
            node_of[m] = k;
        }
    }
    // Edges between nodes: (from, to) → (critical, handover-only). Hand-overs
    // are drawn only in full detail, and only on the critical path.
    let mut edges: BTreeMap<(usize, usize), (bool, bool)> = BTreeMap::new();
    for link in &np.links {
        if link.handover.is_some() && (detail != Detail::Activities || !link.critical_resource) {
            continue;
        }
        let (a, b) = (node_of[link.from], node_of[link.to]);
        if a == b || a == usize::MAX || b == usize::MAX {
            continue;
        }
        let e = edges.entry((a, b)).or_insert((false, true));
        e.0 |= link.critical_resource;
        e.1 &= link.handover.is_some();
    }
    let n = nodes.len();
    // Layers follow the precedences only, so hand-overs never stretch the
    // diagram.
    let logic: Vec<(usize, usize)> = edges
        .iter()
        .filter(|(_, &(_, handover))| !handover)
        .map(|(&k, _)| k)
        .collect();
    let layer = layers(n, &logic);
    let n_layers = layer.iter().copied().max().map_or(0, |m| m + 1);
    // Order inside layers by the barycentre of predecessors.
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in &logic {
        preds[b].push(a);
    }
    let mut pos = vec![0.0f64; n];
    let mut columns: Vec<Vec<usize>> = Vec::new();
    let mut col_of = vec![0usize; n];
    let mut row_of = vec![0usize; n];
    for ly in 0..n_layers {
        let mut members: Vec<usize> = (0..n).filter(|&v| layer[v] == ly).collect();
        let key = |v: usize| -> f64 {
            let p: Vec<f64> = preds[v]
                .iter()
                .filter(|&&u| layer[u] < ly)
                .map(|&u| pos[u])
                .collect();
            if p.is_empty() {
                f64::INFINITY
            } else {
                p.iter().sum::<f64>() / p.len() as f64
            }
        };
        let keys: Vec<f64> = (0..n)
            .map(|v| if layer[v] == ly { key(v) } else { 0.0 })
            .collect();
        members.sort_by(|&a, &b| {
            keys[a]
                .partial_cmp(&keys[b])
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(nodes[a].group.cmp(&nodes[b].group))
                .then(a.cmp(&b))
        });
        for (i, &v) in members.iter().enumerate() {
            pos[v] = i as f64 / members.len().max(1) as f64;
        }
        for chunk in members.chunks(MAX_PER_COLUMN) {
            for (r, &v) in chunk.iter().enumerate() {
                col_of[v] = columns.len();
                row_of[v] = r;
            }
            columns.push(chunk.to_vec());
        }
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let px = |v: usize| MARGIN + col_of[v] as f64 * (NODE_W + COL_GAP);
    let py = |v: usize| TOP + row_of[v] as f64 * (NODE_H + ROW_GAP);
    let width = MARGIN * 2.0 + columns.len().max(1) as f64 * (NODE_W + COL_GAP);
    let height = TOP + rows.max(1) as f64 * (NODE_H + ROW_GAP) + 30.0;

    let mut o = String::new();
    let title = esc(&format!("{} — {}", np.plan.programme, l.network));
    let _ = writeln!(
        o,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="{FONT_FAMILY}" font-size="10">"#
    );
    let _ = writeln!(
        o,
        r##"<title>{title}</title><defs><marker id="net-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#999"/></marker><marker id="net-arrow-crit" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="4" markerHeight="4" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#d62728"/></marker></defs>"##
    );
    let _ = writeln!(
        o,
        r#"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="white"/><text x="{MARGIN}" y="20" font-size="13" font-weight="bold">{title}</text>"#
    );
    if detail != Detail::Activities {
        let _ = writeln!(
            o,
            r##"<text x="{MARGIN}" y="36" fill="#555">{}</text>"##,
            esc(l.collapsed_note)
        );
    }
    // Edges: plain first, critical on top.
    for pass in [false, true] {
        for (&(a, b), &(crit, handover)) in &edges {
            if crit != pass {
                continue;
            }
            let (x1, y1) = (px(a) + NODE_W, py(a) + NODE_H / 2.0);
            let (x2, y2) = (px(b), py(b) + NODE_H / 2.0);
            let dx = ((x2 - x1).abs() / 2.0).max(30.0);
            let (colour, w, marker) = if crit {
                ("#d62728", 2.2, "net-arrow-crit")
            } else {
                ("#aaa", 0.8, "net-arrow")
            };
            let dash = if handover {
                r#" stroke-dasharray="5,3""#
            } else {
                ""
            };
            let _ = writeln!(
                o,
                r#"<path d="M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}" fill="none" stroke="{colour}" stroke-width="{w}"{dash} marker-end="url(#{marker})"/>"#,
                x1 + dx,
                x2 - dx
            );
        }
    }
    // Nodes.
    for (v, node) in nodes.iter().enumerate() {
        let times: Vec<_> = node
            .members
            .iter()
            .map(|&i| &np.activities[i].resource)
            .collect();
        let crit = times.iter().any(|t| t.days.marked());
        let start = node.members.iter().map(|&i| acts[i].start).min();
        let finish = node.members.iter().map(|&i| acts[i].finish).max();
        let tf = times.iter().map(|t| t.days.total_float).min().unwrap_or(0);
        let (x, y) = (px(v), py(v));
        let (stroke, sw, fill) = if crit {
            ("#d62728", 2.0, "#fff0f0")
        } else {
            ("#555", 0.8, "#fafafa")
        };
        let dates = match (start, finish) {
            (Some(s), Some(f)) => format!("{} – {}", s.format("%m-%d"), f.format("%m-%d")),
            _ => String::new(),
        };
        let ids: Vec<&str> = node.members.iter().map(|&i| acts[i].id.as_str()).collect();
        let tip = esc(&format!(
            "{} | {} | {} {} {} | {}",
            node.title,
            node.subtitle,
            l.total_float,
            tf,
            l.days,
            ids.join(", ")
        ));
        let data = esc(&ids.join(" "));
        let _ = writeln!(
            o,
            r##"<g data-activities="{data}"><title>{tip}</title><rect x="{x:.1}" y="{y:.1}" width="{NODE_W}" height="{NODE_H}" rx="4" fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/><text x="{:.1}" y="{:.1}" font-weight="bold">{}</text><text x="{:.1}" y="{:.1}" fill="#333">{}</text><text x="{:.1}" y="{:.1}" fill="#333">{} · {} {}</text></g>"##,
            x + 5.0,
            y + 13.0,
            esc(&super::gantt::truncate(&node.title, 26)),
            x + 5.0,
            y + 27.0,
            esc(&super::gantt::truncate(&node.subtitle, 24)),
            x + 5.0,
            y + 41.0,
            esc(&dates),
            l.total_float,
            tf
        );
    }
    o.push_str("</svg>\n");
    o
}

/// Longest-path layers of a graph with `n` nodes; edges closing a cycle are
/// ignored for layering.
fn layers(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let mut indeg = vec![0usize; n];
    let mut out = vec![Vec::new(); n];
    for &(a, b) in edges {
        indeg[b] += 1;
        out[a].push(b);
    }
    let mut layer = vec![0usize; n];
    let mut done = vec![false; n];
    let mut ready: BTreeSet<usize> = (0..n).filter(|&v| indeg[v] == 0).collect();
    let mut count = 0;
    while count < n {
        let v = match ready.iter().next() {
            Some(&v) => v,
            // A cycle: release the first node still waiting.
            None => (0..n).find(|&v| !done[v]).expect("a node remains"),
        };
        ready.remove(&v);
        done[v] = true;
        count += 1;
        for &b in &out[v] {
            if done[b] {
                continue;
            }
            layer[b] = layer[b].max(layer[v] + 1);
            indeg[b] = indeg[b].saturating_sub(1);
            if indeg[b] == 0 {
                ready.insert(b);
            }
        }
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_path_layers_and_cycles() {
        // 0 → 1 → 3, 0 → 2 → 3, 0 → 3.
        let l = layers(4, &[(0, 1), (1, 3), (0, 2), (2, 3), (0, 3)]);
        assert_eq!(l, vec![0, 1, 1, 2]);
        // A cycle does not hang the layering.
        let l = layers(3, &[(0, 1), (1, 2), (2, 1)]);
        assert_eq!(l.len(), 3);
        assert_eq!(l[0], 0);
    }
}
