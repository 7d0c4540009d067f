//! Checks on the two graphs of a scenario: the pipe network (every station
//! must be reachable from a heat source) and the precedence graph (the
//! explicit `[[links]]`, milestones' `after` and the order of template steps
//! must not form a cycle).

use super::Checker;
use crate::both;
use crate::scenario::network::INTERCONNECTION_TAG;
use crate::scenario::{ElementKind, ElementRef, Scenario, Target};
use std::collections::VecDeque;
use std::ops::Range;

/// Runs the graph checks.
pub(super) fn check(c: &mut Checker) {
    reachability(c);
    link_cycles(c);
}

/// Every station on an existing node has a pipe path from a heat source.
/// Skipped while a segment or heat source names an unknown node or a
/// segment has no usable length: the network is incomplete then, and those
/// problems are reported already.
fn reachability(c: &mut Checker) {
    let net = &c.network;
    let incomplete = net
        .edges
        .iter()
        .any(|e| e.ends.is_none() || !e.length_m.is_finite())
        || net.source_nodes.iter().any(Option::is_none);
    if incomplete {
        return;
    }
    // A station on an unknown node is reported with the references.
    let cut_off: Vec<usize> = net
        .unreachable_stations()
        .into_iter()
        .filter(|&st| net.station_nodes[st].is_some())
        .collect();
    for st in cut_off {
        let station = &c.s.stations[st];
        let node = station.node.get_ref();
        let help = if c.s.sources.is_empty() {
            both!(
                "add the heat sources under [[sources]] (id and node of each plant's outlet)",
                "请在 [[sources]] 下添加热源（每个热电厂出口的编号和节点）"
            )
        } else {
            both!(
                "connect node \"{node}\" to a heat source with [[segments]], or check the from/to \
                 of the segments near it; segments tagged \"{INTERCONNECTION_TAG}\" do not count",
                "请用 [[segments]] 把节点“{node}”连到热源，或检查附近管段的 from/to；\
                 带“{INTERCONNECTION_TAG}”标签的管段不算"
            )
        };
        let id = station.id.get_ref();
        c.error(
            station.node.span(),
            both!(
                "station {id} on node \"{node}\" has no pipe path to a heat source",
                "热力站 {id}（节点“{node}”）没有通往热源的管道路径"
            ),
            help,
        );
    }
}

/// Why an edge of the precedence graph exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    /// The order of a template's steps.
    Template,
    /// `[[links]]` entry `i`.
    Link(usize),
    /// Entry `j` of milestone `m`'s `after`.
    After(usize, usize),
}

/// The precedence graph: activities (element steps), tasks and milestones.
struct Graph {
    /// First vertex of each segment's steps, then each station's.
    segment_base: usize,
    /// First vertex of the stations' steps.
    station_base: usize,
    /// First task vertex.
    task_base: usize,
    /// First milestone vertex.
    milestone_base: usize,
    /// Number of vertices.
    n: usize,
    /// Steps per segment and per station.
    seg_steps: usize,
    /// Steps per station.
    st_steps: usize,
    /// Edges: from, to, why.
    edges: Vec<(usize, usize, Origin)>,
}

impl Graph {
    /// Lays out the vertices of a scenario.
    fn new(s: &Scenario) -> Graph {
        let seg_steps = s.templates.segment.len();
        let st_steps = s.templates.station.len();
        let station_base = s.segments.len() * seg_steps;
        let task_base = station_base + s.stations.len() * st_steps;
        let milestone_base = task_base + s.tasks.len();
        Graph {
            segment_base: 0,
            station_base,
            task_base,
            milestone_base,
            n: milestone_base + s.milestones.len(),
            seg_steps,
            st_steps,
            edges: Vec::new(),
        }
    }

    /// The vertices of a task, element or milestone (an element's steps in
    /// order; empty for districts and elements with an empty template).
    fn vertices(&self, r: ElementRef) -> Range<usize> {
        let (base, width) = match r.kind {
            ElementKind::Segment => (self.segment_base, self.seg_steps),
            ElementKind::Station => (self.station_base, self.st_steps),
            ElementKind::Task => (self.task_base, 1),
            ElementKind::Milestone => (self.milestone_base, 1),
            ElementKind::District => return 0..0,
        };
        base + r.index * width..base + (r.index + 1) * width
    }

    /// The vertex a link leaves from (an element's last step).
    fn tail(&self, t: Target) -> Option<usize> {
        match t {
            Target::Whole(r) => self.vertices(r).last(),
            Target::Step { element, step } => Some(self.vertices(element).start + step),
        }
    }

    /// The vertex a link arrives at (an element's first step).
    fn head(&self, t: Target) -> Option<usize> {
        match t {
            Target::Whole(r) => {
                Some(self.vertices(r).start).filter(|_| !self.vertices(r).is_empty())
            }
            Target::Step { element, step } => Some(self.vertices(element).start + step),
        }
    }

    /// The element (or task or milestone) a vertex belongs to, and the step.
    fn owner(&self, v: usize) -> (ElementRef, usize) {
        let at = |kind, base: usize, width: usize| {
            let width = width.max(1);
            (
                ElementRef {
                    kind,
                    index: (v - base) / width,
                },
                (v - base) % width,
            )
        };
        if v >= self.milestone_base {
            at(ElementKind::Milestone, self.milestone_base, 1)
        } else if v >= self.task_base {
            at(ElementKind::Task, self.task_base, 1)
        } else if v >= self.station_base {
            at(ElementKind::Station, self.station_base, self.st_steps)
        } else {
            at(ElementKind::Segment, self.segment_base, self.seg_steps)
        }
    }
}

/// Builds the precedence graph of a scenario (unresolvable references are
/// skipped; they are reported elsewhere).
fn build(s: &Scenario) -> Graph {
    let mut g = Graph::new(s);
    let index = s.element_ids();
    let elements = (0..s.segments.len())
        .map(|index| ElementRef {
            kind: ElementKind::Segment,
            index,
        })
        .chain((0..s.stations.len()).map(|index| ElementRef {
            kind: ElementKind::Station,
            index,
        }));
    for r in elements {
        let vs = g.vertices(r);
        for v in vs.start..vs.end.saturating_sub(1) {
            g.edges.push((v, v + 1, Origin::Template));
        }
    }
    for (i, link) in s.links.iter().enumerate() {
        let from = index
            .resolve(s, link.from.get_ref())
            .ok()
            .and_then(|t| g.tail(t));
        let to = index
            .resolve(s, link.to.get_ref())
            .ok()
            .and_then(|t| g.head(t));
        if let (Some(a), Some(b)) = (from, to) {
            g.edges.push((a, b, Origin::Link(i)));
        }
    }
    for (m, milestone) in s.milestones.iter().enumerate() {
        let target = g.milestone_base + m;
        for (j, after) in milestone.after.iter().enumerate() {
            for tail in after_tails(s, &g, &index, after.get_ref()) {
                g.edges.push((tail, target, Origin::After(m, j)));
            }
        }
    }
    g
}

/// The vertices a milestone waits for when its `after` names `reference`:
/// for a district, the end of every segment, station and task in it.
fn after_tails(
    s: &Scenario,
    g: &Graph,
    index: &crate::scenario::ElementIndex,
    reference: &str,
) -> Vec<usize> {
    match index.resolve(s, reference) {
        Ok(Target::Whole(r)) if r.kind == ElementKind::District => {
            let d = s.districts[r.index].id.get_ref();
            let mut refs = Vec::new();
            let seg = s
                .segments
                .iter()
                .enumerate()
                .filter(|(_, x)| x.district.get_ref() == d);
            refs.extend(seg.map(|(index, _)| ElementRef {
                kind: ElementKind::Segment,
                index,
            }));
            let st = s
                .stations
                .iter()
                .enumerate()
                .filter(|(_, x)| x.district.get_ref() == d);
            refs.extend(st.map(|(index, _)| ElementRef {
                kind: ElementKind::Station,
                index,
            }));
            let tasks = s
                .tasks
                .iter()
                .enumerate()
                .filter(|(_, x)| x.district.as_ref().is_some_and(|t| t.get_ref() == d));
            refs.extend(tasks.map(|(index, _)| ElementRef {
                kind: ElementKind::Task,
                index,
            }));
            refs.into_iter()
                .filter_map(|r| g.tail(Target::Whole(r)))
                .collect()
        }
        Ok(t) => g.tail(t).into_iter().collect(),
        Err(_) => Vec::new(),
    }
}

/// Strongly connected components (iterative Tarjan), each listed once.
fn components(n: usize, out: &[Vec<usize>], edges: &[(usize, usize, Origin)]) -> Vec<Vec<usize>> {
    const NONE: usize = usize::MAX;
    let (mut index, mut low) = (vec![NONE; n], vec![0; n]);
    let mut on_stack = vec![false; n];
    let (mut stack, mut result, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != NONE {
            continue;
        }
        let mut calls = vec![(root, 0usize)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&(v, i)) = calls.last() {
            if let Some(&e) = out[v].get(i) {
                calls.last_mut().expect("not empty").1 += 1;
                let w = edges[e].1;
                if index[w] == NONE {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(u, _)) = calls.last() {
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                result.push(component);
            }
        }
    }
    result
}

/// One cycle through the lowest vertex of a component: the edges in order,
/// or `None` when the component is a single vertex without a self-loop.
fn cycle_in(
    component: &[usize],
    out: &[Vec<usize>],
    edges: &[(usize, usize, Origin)],
    n: usize,
) -> Option<Vec<usize>> {
    let start = *component.iter().min()?;
    if component.len() == 1 && !out[start].iter().any(|&e| edges[e].1 == start) {
        // Most components are single activities without a self-loop: no
        // cycle, and no need for the two vectors of `n` below.
        return None;
    }
    let mut inside = vec![false; n];
    for &v in component {
        inside[v] = true;
    }
    let mut via: Vec<Option<usize>> = vec![None; n];
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &e in &out[v] {
            let w = edges[e].1;
            if w == start {
                let mut path = vec![e];
                let mut at = v;
                while at != start {
                    let back = via[at].expect("visited vertices have a parent edge");
                    path.push(back);
                    at = edges[back].0;
                }
                path.reverse();
                return Some(path);
            }
            if inside[w] && via[w].is_none() {
                via[w] = Some(e);
                queue.push_back(w);
            }
        }
    }
    None
}

/// Reports every cycle in the links, once per group of tangled links.
fn link_cycles(c: &mut Checker) {
    let s = c.s;
    let g = build(s);
    let mut out = vec![Vec::new(); g.n];
    for (e, &(a, _, _)) in g.edges.iter().enumerate() {
        out[a].push(e);
    }
    let mut found: Vec<Vec<usize>> = components(g.n, &out, &g.edges)
        .iter()
        .filter_map(|comp| cycle_in(comp, &out, &g.edges, g.n))
        .collect();
    found.sort_by_key(|cycle| g.edges[cycle[0]].0);
    for cycle in found {
        report_cycle(c, &g, &cycle);
    }
}

/// Reports one cycle at its first explicit link in the file.
fn report_cycle(c: &mut Checker, g: &Graph, cycle: &[usize]) {
    let s = c.s;
    let mut explicit: Vec<(Range<usize>, String, String)> = Vec::new();
    for &e in cycle {
        match g.edges[e].2 {
            Origin::Template => {}
            Origin::Link(i) => {
                let l = &s.links[i];
                let text = format!("{} -> {}", l.from.get_ref(), l.to.get_ref());
                explicit.push((l.from.span(), text.clone(), text));
            }
            Origin::After(m, j) => {
                let ms = &s.milestones[m];
                let (id, after) = (ms.id.get_ref(), ms.after[j].get_ref());
                let text = both!(
                    "milestone {id} waits for {after}",
                    "里程碑 {id} 等待 {after}"
                );
                explicit.push((ms.after[j].span(), text.en, text.zh));
            }
        }
    }
    explicit.sort_by_key(|(span, _, _)| span.start);
    explicit.dedup_by(|a, b| a.0 == b.0);
    let Some((span, _, _)) = explicit.first().cloned() else {
        return;
    };
    // Print the cycle from the link reported, so the message reads from
    // the line it points at.
    let first = cycle
        .iter()
        .position(|&e| origin_span(s, g.edges[e].2).is_some_and(|sp| sp == span))
        .unwrap_or(0);
    let vertices: Vec<usize> = (0..cycle.len())
        .map(|i| g.edges[cycle[(first + i) % cycle.len()]].0)
        .collect();
    let listing: Vec<String> = explicit
        .iter()
        .map(|(sp, text, _)| format!("line {} ({text})", c.line(sp.clone())))
        .collect();
    let listing_zh: Vec<String> = explicit
        .iter()
        .map(|(sp, _, text)| format!("第 {} 行（{text}）", c.line(sp.clone())))
        .collect();
    let (cycle, listing, listing_zh) = (
        cycle_text(s, g, &vertices),
        listing.join(", "),
        listing_zh.join("，"),
    );
    c.error(
        span,
        both!(
            "the links form a cycle: {cycle}",
            "逻辑关系形成了循环：{cycle}"
        ),
        both!(
            "nothing in a cycle can ever start; remove or reverse one of these links: {listing}",
            "循环中的工作永远无法开始；请删除或反转其中一条关系：{listing_zh}"
        ),
    );
}

/// The place in the file of an explicit link or milestone predecessor.
fn origin_span(s: &Scenario, origin: Origin) -> Option<Range<usize>> {
    match origin {
        Origin::Template => None,
        Origin::Link(i) => Some(s.links[i].from.span()),
        Origin::After(m, j) => Some(s.milestones[m].after[j].span()),
    }
}

/// `a -> b -> c -> a`, naming a whole element when the cycle runs through
/// all of its steps and its first and last step otherwise.
fn cycle_text(s: &Scenario, g: &Graph, vertices: &[usize]) -> String {
    let owners: Vec<(ElementRef, usize)> = vertices.iter().map(|&v| g.owner(v)).collect();
    let k = owners.len();
    // Start at a vertex whose predecessor in the cycle belongs to another
    // element, so that no run of steps is split.
    let start = (0..k)
        .find(|&i| owners[(i + k - 1) % k].0 != owners[i].0)
        .unwrap_or(0);
    let mut labels: Vec<String> = Vec::new();
    let mut i = 0;
    while i < k {
        let (r, first) = owners[(start + i) % k];
        let mut last = first;
        while i + 1 < k && owners[(start + i + 1) % k].0 == r {
            i += 1;
            last = owners[(start + i) % k].1;
        }
        labels.extend(run_labels(s, g, r, first, last));
        i += 1;
    }
    labels.push(labels[0].clone());
    labels.join(" -> ")
}

/// Labels for a run of steps `first..=last` of one element.
fn run_labels(s: &Scenario, g: &Graph, r: ElementRef, first: usize, last: usize) -> Vec<String> {
    let id = s.id_of(r).unwrap_or("?");
    let Some(steps) = s.steps_of(r.kind) else {
        return vec![id.to_string()];
    };
    let key = |i: usize| format!("{id}/{}", steps[i].key.get_ref());
    let width = g.vertices(r).len();
    if first == 0 && last + 1 == width {
        vec![id.to_string()]
    } else if first == last {
        vec![key(first)]
    } else {
        vec![key(first), key(last)]
    }
}
