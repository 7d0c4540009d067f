//! The time-scaled arrow networks read back from their SVG and checked
//! against the plan: dates, one arrow per element, the same precedences on
//! the district sheets, true dummies on the city sheet.

use super::*;
use crate::report::fixture;
use std::collections::{BTreeSet, HashMap, HashSet};

fn attr<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let k = s.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&s[k..k + s[k..].find('"')?])
}

/// The fixture planned with levelled crews.
fn plan(deadline: &str, crews: u32) -> NetworkPlan {
    let project = fixture::project(deadline, crews);
    fixture::network(&project, &fixture::levelled(&project))
}

/// plan.csv as records: id, element, district, start, finish.
fn plan_csv(np: &NetworkPlan) -> Vec<[String; 5]> {
    let csv = crate::report::csv::plan_csv(np);
    let recs = crate::csv_text::records(&csv).unwrap();
    assert_eq!(recs[0].fields[2], "element");
    assert_eq!(recs[0].fields[6], "start");
    recs[1..]
        .iter()
        .map(|r| {
            let f = &r.fields;
            [
                f[0].clone(),
                f[2].clone(),
                f[3].clone(),
                f[6].clone(),
                f[7].clone(),
            ]
        })
        .collect()
}

/// Reachability over successor lists: `r[x]` holds every node reachable
/// from `x` by a non-empty path.
fn reach(n: usize, edges: &[(usize, usize)]) -> Vec<HashSet<usize>> {
    let mut out = vec![Vec::new(); n];
    for &(a, b) in edges {
        out[a].push(b);
    }
    (0..n)
        .map(|s| {
            let mut seen = HashSet::new();
            let mut stack = out[s].clone();
            while let Some(x) = stack.pop() {
                if seen.insert(x) {
                    stack.extend(&out[x]);
                }
            }
            seen
        })
        .collect()
}

/// The drawn network's edges: sections and dummies.
fn drawn_edges(net: &ArrowNetwork) -> Vec<(usize, usize)> {
    net.arrows
        .iter()
        .map(|a| (a.tail, a.head))
        .chain(net.dummies.iter().map(|d| (d.from, d.to)))
        .collect()
}

#[test]
fn dates_read_back_from_the_event_positions_of_the_district_sheets_equal_plan_csv() {
    let np = plan("2022-06-30", 1);
    let rows = plan_csv(&np);
    // Element -> (first start, last finish) from plan.csv.
    let mut span: HashMap<&str, (&str, &str)> = HashMap::new();
    for r in &rows {
        let e = span.entry(r[1].as_str()).or_insert((&r[3], &r[4]));
        e.0 = e.0.min(r[3].as_str());
        e.1 = e.1.max(r[4].as_str());
    }
    let sheets = sheets(&np, Lang::En, None);
    let mut arrows = 0;
    for (name, svg) in &sheets[1..] {
        let day0: f64 = attr(svg, "data-day0").unwrap().parse().unwrap();
        let left: f64 = attr(svg, "data-left").unwrap().parse().unwrap();
        let day_w: f64 = attr(svg, "data-day-width").unwrap().parse().unwrap();
        let date_at = |x: f64| np.date_of(((x - left) / day_w + day0).round() as i64);
        let mut event_x: HashMap<String, f64> = HashMap::new();
        for part in svg.split("<g class=\"event\"").skip(1) {
            let n = attr(part, "data-number").unwrap().to_string();
            event_x.insert(n, attr(part, "cx").unwrap().parse().unwrap());
        }
        for part in svg.split("<g data-work=").skip(1) {
            let id = &part[1..1 + part[1..].find('"').unwrap()];
            let (start, finish) = span[id];
            let tail = attr(part, "data-tail").unwrap();
            let x0: f64 = attr(part, "data-x0").unwrap().parse().unwrap();
            let x1: f64 = attr(part, "data-x1").unwrap().parse().unwrap();
            // An event sits on the boundary between two days: work starting
            // there starts on the later day, work ending there ends on the
            // earlier one.
            assert_eq!(date_at(event_x[tail]).to_string(), start, "{name} {id}");
            assert_eq!(x0, event_x[tail], "{id}: the arrow leaves its tail event");
            assert_eq!(
                date_at(x1).pred_opt().unwrap().to_string(),
                finish,
                "{name} {id}"
            );
            let head = attr(part, "data-head").unwrap();
            assert!(event_x[head] >= x1 - 1e-9, "{id}: head before the finish");
            arrows += 1;
        }
    }
    let elements: BTreeSet<(&str, &str)> = rows
        .iter()
        .filter(|r| !r[2].is_empty())
        .map(|r| (r[2].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(arrows, elements.len());
}

#[test]
fn every_element_is_exactly_one_arrow_on_its_district_sheet() {
    let np = plan("2022-06-15", 2);
    let rows = plan_csv(&np);
    let sheets = sheets(&np, Lang::Zh, None);
    assert_eq!(sheets.len(), 1 + np.districts.len());
    for d in &np.districts {
        let svg = &sheets
            .iter()
            .find(|s| s.0 == format!("timescaled-{}.svg", d.id))
            .unwrap()
            .1;
        let mut drawn: Vec<&str> = svg
            .split("<g data-work=\"")
            .skip(1)
            .map(|p| &p[..p.find('"').unwrap()])
            .collect();
        drawn.sort_unstable();
        let expected: BTreeSet<&str> = rows
            .iter()
            .filter(|r| r[2] == d.id)
            .map(|r| r[1].as_str())
            .collect();
        assert_eq!(drawn, expected.into_iter().collect::<Vec<_>>(), "{}", d.id);
        // In the network: each element one chain of sections from its tail
        // event to its head event, numbered increasing along it.
        let (works, ties) = element_works(&np, Some(&d.id), false);
        let net = build_with_hubs(&works, &ties);
        let mut pairs = HashSet::new();
        for (w, _) in works.iter().enumerate() {
            let secs: Vec<&Arrow> = net.arrows.iter().filter(|a| a.work == w).collect();
            assert!(!secs.is_empty());
            assert_eq!(secs[0].tail, net.tail(w));
            assert_eq!(secs.last().unwrap().head, net.head(w));
            for s in secs.windows(2) {
                assert_eq!(s[0].head, s[1].tail);
            }
        }
        for a in &net.arrows {
            assert!(pairs.insert((a.tail, a.head)), "two arrows share events");
            assert!(net.events[a.tail].number < net.events[a.head].number);
            assert!(net.events[a.tail].day < net.events[a.head].day);
        }
        for dm in &net.dummies {
            assert!(net.events[dm.from].number < net.events[dm.to].number);
            assert!(net.events[dm.from].day <= net.events[dm.to].day);
        }
        let mut numbers: Vec<usize> = net.events.iter().map(|e| e.number).collect();
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=net.events.len()).collect::<Vec<_>>());
    }
}

/// The element-level precedences of a district, from the plan alone:
/// points `(element, day)` at each element's start and finish and wherever
/// a link between two of its elements attaches (the predecessor activity's
/// finish, or start for SS; the successor activity's start), chained in day
/// order along each element, and an edge per link. Returns the points and
/// edges, and which points are finishes (link sources, element ends) and
/// which are starts (link targets, element starts).
#[allow(clippy::type_complexity)]
fn element_precedences(
    np: &NetworkPlan,
    district: &str,
) -> (
    Vec<(String, i64)>,
    Vec<(usize, usize)>,
    Vec<bool>,
    Vec<bool>,
) {
    let acts = &np.plan.activities;
    let inside = |a: usize| acts[a].district == district && acts[a].element_kind != "milestone";
    let mut days: HashMap<String, BTreeSet<i64>> = HashMap::new();
    for (i, a) in acts.iter().enumerate().filter(|(i, _)| inside(*i)) {
        let e = days.entry(a.element.clone()).or_default();
        e.insert(a.start_day as i64);
        e.insert(a.end_day as i64);
        let _ = i;
    }
    let mut links = Vec::new();
    for l in np.links.iter().filter(|l| l.handover.is_none()) {
        let (a, b) = (&acts[l.from], &acts[l.to]);
        if !inside(l.from) || !inside(l.to) || a.element == b.element {
            continue;
        }
        let from_day = if l.kind == "SS" {
            a.start_day
        } else {
            a.end_day
        } as i64;
        links.push((
            (a.element.clone(), from_day),
            (b.element.clone(), b.start_day as i64),
        ));
    }
    // Only the link days and the element's ends are points.
    let mut pts: BTreeSet<(String, i64)> = BTreeSet::new();
    for (e, ds) in &days {
        pts.insert((e.clone(), *ds.first().unwrap()));
        pts.insert((e.clone(), *ds.last().unwrap()));
    }
    for (p, q) in &links {
        pts.insert(p.clone());
        pts.insert(q.clone());
    }
    let pts: Vec<(String, i64)> = pts.into_iter().collect();
    let id: HashMap<&(String, i64), usize> = pts.iter().enumerate().map(|(i, p)| (p, i)).collect();
    let mut edges: Vec<(usize, usize)> = pts
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0].0 == w[1].0)
        .map(|(i, _)| (i, i + 1))
        .collect();
    let mut finish = vec![false; pts.len()];
    let mut start = vec![false; pts.len()];
    for (p, q) in &links {
        edges.push((id[p], id[q]));
        finish[id[p]] = true;
        start[id[q]] = true;
    }
    for (e, ds) in &days {
        start[id[&(e.clone(), *ds.first().unwrap())]] = true;
        finish[id[&(e.clone(), *ds.last().unwrap())]] = true;
    }
    (pts, edges, finish, start)
}

#[test]
fn district_sheets_keep_exactly_the_element_level_precedences() {
    let mut checked = 0;
    let big = fixture::big_project(2);
    for np in [
        plan("2022-06-30", 1),
        plan("2022-06-15", 2),
        fixture::network(&big, &fixture::earliest(&big)),
    ] {
        for d in &np.districts {
            let (pts, edges, finish, start) = element_precedences(&np, &d.id);
            let in_plan = reach(pts.len(), &edges);
            let (works, ties) = element_works(&np, Some(&d.id), false);
            let net = build_with_hubs(&works, &ties);
            let in_net = reach(net.events.len(), &drawn_edges(&net));
            // A plan point is drawn at its element's next point (a finish)
            // or previous point (a start): ties implied by a binding one
            // attach between points.
            let up = |e: &str, d: i64| {
                net.points
                    .iter()
                    .find(|p| works[p.work].id == e && p.day >= d)
                    .unwrap()
                    .event
            };
            let down = |e: &str, d: i64| {
                net.points
                    .iter()
                    .rev()
                    .find(|p| works[p.work].id == e && p.day <= d)
                    .unwrap()
                    .event
            };
            for (i, p) in pts.iter().enumerate() {
                for (j, q) in pts.iter().enumerate() {
                    if p.0 == q.0 || !finish[i] || !start[j] {
                        continue;
                    }
                    let (ep, eq) = (up(&p.0, p.1), down(&q.0, q.1));
                    let drawn = ep == eq || in_net[ep].contains(&eq);
                    assert_eq!(in_plan[i].contains(&j), drawn, "{p:?} → {q:?}");
                    checked += in_plan[i].contains(&j) as usize;
                }
            }
        }
    }
    assert!(checked > 40, "{checked}");
}

#[test]
fn the_city_sheet_draws_only_true_dummies_and_implies_every_cross_package_link() {
    for np in [
        plan("2022-06-15", 2),
        fixture::network(
            &fixture::big_project(3),
            &fixture::earliest(&fixture::big_project(3)),
        ),
    ] {
        let (works, ties) = package_works(&np, Lang::En);
        let net = build(&works, &ties);
        let acts = &np.plan.activities;
        let package: HashMap<usize, usize> = works
            .iter()
            .enumerate()
            .flat_map(|(w, k)| k.activities.iter().map(move |&a| (a, w)))
            .collect();
        // Every activity is in one package; each district has its pipe work
        // and its stations as packages.
        assert_eq!(package.len(), acts.len());
        let links: Vec<(usize, i64, usize, i64)> = np
            .links
            .iter()
            .filter(|l| l.handover.is_none() && package[&l.from] != package[&l.to])
            .map(|l| {
                let (a, b) = (&acts[l.from], &acts[l.to]);
                let fd = if l.kind == "SS" {
                    a.start_day
                } else {
                    a.end_day
                };
                (
                    package[&l.from],
                    fd as i64,
                    package[&l.to],
                    b.start_day as i64,
                )
            })
            .collect();
        assert!(!links.is_empty());
        let members = |e: usize| -> Vec<(usize, i64)> {
            net.points
                .iter()
                .filter(|p| p.event == e)
                .map(|p| (p.work, p.day))
                .collect()
        };
        // Each dummy is a real link: a link whose predecessor day is a point
        // of its from event and whose successor day is a point of its to
        // event, drawn at that successor's start.
        for d in &net.dummies {
            let (f, t) = (members(d.from), members(d.to));
            let ok = links.iter().any(|&(pa, da, pb, db)| {
                f.contains(&(pa, da))
                    && t.contains(&(pb, db))
                    && net.events[d.to].day == db
                    && net.events[d.from].day >= da
            });
            assert!(ok, "dummy {:?} → {:?} is no link of the plan", f, t);
        }
        // Every cross-package link is implied: the predecessor's package
        // past the link's day reaches the successor's package before its
        // day.
        let r = reach(net.events.len(), &drawn_edges(&net));
        for &(pa, da, pb, db) in &links {
            let from = net
                .points
                .iter()
                .find(|p| p.work == pa && p.day >= da)
                .unwrap()
                .event;
            let to = net
                .points
                .iter()
                .rev()
                .find(|p| p.work == pb && p.day <= db)
                .unwrap()
                .event;
            assert!(from == to || r[from].contains(&to), "link not implied");
        }
        assert!(net.dummies.len() <= net.dummies_before);
        // Crossings are counted on the drawn strokes.
        let (h, v) = net.strokes();
        let brute = h
            .iter()
            .flat_map(|&(r, a, b)| v.iter().map(move |&(x, r0, r1)| (r, a, b, x, r0, r1)))
            .filter(|&(r, a, b, x, r0, r1)| a < x && x < b && r0 < r && r < r1)
            .count();
        assert_eq!(net.crossings, brute);
    }
}

#[test]
fn the_activity_level_keeps_exactly_the_plans_precedences() {
    for (deadline, crews) in [("2022-06-30", 1), ("2022-06-15", 2)] {
        let np = plan(deadline, crews);
        let (works, ties) = activity_works(&np, None);
        let net = build_with_hubs(&works, &ties);
        let n = works.len();
        assert_eq!(n, np.plan.activities.len());
        // The plan: events 2a (start) and 2a+1 (finish).
        let mut plan_edges: Vec<(usize, usize)> = (0..n).map(|a| (2 * a, 2 * a + 1)).collect();
        for l in np.links.iter().filter(|l| l.handover.is_none()) {
            let from = if l.kind == "SS" {
                2 * l.from
            } else {
                2 * l.from + 1
            };
            plan_edges.push((from, 2 * l.to));
        }
        let in_plan = reach(2 * n, &plan_edges);
        let in_net = reach(net.events.len(), &drawn_edges(&net));
        let mut pairs = 0;
        for a in 0..n {
            for b in 0..n {
                if a == b {
                    continue;
                }
                let (h, t) = (net.head(a), net.tail(b));
                let p = in_plan[2 * a + 1].contains(&(2 * b));
                assert_eq!(
                    p,
                    h == t || in_net[h].contains(&t),
                    "{} → {}",
                    works[a].id,
                    works[b].id
                );
                pairs += p as usize;
            }
        }
        assert!(pairs > 10);
        assert!(net.dummies.len() < net.dummies_before);
    }
}

#[test]
fn sheets_cover_the_city_and_every_district_and_print_their_counts() {
    let np = fixture::network(
        &fixture::big_project(2),
        &fixture::earliest(&fixture::big_project(2)),
    );
    let sheets = sheets(&np, Lang::Zh, None);
    assert_eq!(sheets[0].0, "timescaled.svg");
    assert_eq!(sheets.len(), 1 + np.districts.len());
    for (name, svg) in &sheets {
        assert!(svg.contains("双代号时标网络图"), "{name}");
        assert!(svg.contains("size:A3 landscape"), "{name}");
        assert!(svg.contains("虚工作") && svg.contains("交叉"), "{name}");
    }
    // The city sheet: one arrow per package, far fewer than elements.
    let (packages, _) = package_works(&np, Lang::Zh);
    let (elements, _) = element_works(&np, None, true);
    assert!(packages.len() * 3 < elements.len());
    let acts = activity_sheets(&np, Lang::En, None);
    assert_eq!(acts.len(), np.districts.len());
}
