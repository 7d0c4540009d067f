//! The time-scaled arrow network read back from its SVG and checked against
//! the plan: dates, one arrow per activity, the same precedences.

use super::*;
use crate::report::fixture;
use std::collections::HashMap;

fn attr<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let k = s.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&s[k..k + s[k..].find('"')?])
}

/// The fixture planned with levelled crews, all activities on one sheet.
fn setup() -> (NetworkPlan, Vec<Work>, Vec<Prec>, ArrowNetwork, String) {
    let project = fixture::project("2022-06-30", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    let (works, precs, _) = activity_works(&np, None);
    let net = build(&works, &precs);
    let svg = sheet_svg(&np, "t", &works, &net, &Marks::default(), Lang::En);
    (np, works, precs, net, svg)
}

#[test]
fn dates_read_back_from_the_event_positions_equal_plan_csv() {
    let (np, _works, _precs, _net, svg) = setup();
    let day0: f64 = attr(&svg, "data-day0").unwrap().parse().unwrap();
    let date_at = |x: f64| np.date_of(((x - LEFT) / DAY_W + day0).round() as i64);
    // Events: number -> x of its circle.
    let mut event_x: HashMap<String, f64> = HashMap::new();
    for part in svg.split("<g class=\"event\"").skip(1) {
        let n = attr(part, "data-number").unwrap().to_string();
        let cx: f64 = attr(part, "cx").unwrap().parse().unwrap();
        event_x.insert(n, cx);
    }
    // plan.csv: id -> (start, finish).
    let csv = crate::report::csv::plan_csv(&np);
    let recs = crate::csv_text::records(&csv).unwrap();
    let plan: HashMap<&str, (&str, &str)> = recs[1..]
        .iter()
        .map(|r| {
            (
                r.fields[0].as_str(),
                (r.fields[6].as_str(), r.fields[7].as_str()),
            )
        })
        .collect();
    let mut arrows = 0;
    for part in svg.split("<g data-work=").skip(1) {
        let id = &part[1..1 + part[1..].find('"').unwrap()];
        let tail = attr(part, "data-tail").unwrap();
        let (start, finish) = plan[id];
        let a = &np.plan.activities[np.plan.index_by_id()[id]];
        // An event sits on the boundary between two days: work starting
        // there starts on the later day; a milestone there is reached at the
        // close of the earlier one (plan::milestone_day).
        let tail_date = date_at(event_x[tail]);
        let tail_date = if a.duration_days > 0 {
            tail_date
        } else {
            tail_date.pred_opt().unwrap()
        };
        assert_eq!(tail_date.to_string(), start, "{id} start");
        let x1: f64 = attr(part, "data-x1").unwrap().parse().unwrap();
        let x0: f64 = attr(part, "data-x0").unwrap().parse().unwrap();
        assert_eq!(x0, event_x[tail], "{id}: the arrow leaves its tail event");
        if a.duration_days > 0 {
            let last = date_at(x1).pred_opt().unwrap();
            assert_eq!(last.to_string(), finish, "{id} finish");
        }
        // The head event is no earlier than the end of the solid part.
        let head = attr(part, "data-head").unwrap();
        assert!(event_x[head] >= x1 - 1e-9, "{id}");
        arrows += 1;
    }
    assert_eq!(
        arrows,
        np.plan.activities.len(),
        "every activity is one arrow"
    );
}

#[test]
fn every_activity_is_exactly_one_arrow_with_its_own_pair_of_events() {
    let (np, works, _precs, net, _svg) = setup();
    assert_eq!(net.arrows.len(), np.plan.activities.len());
    assert_eq!(works.len(), np.plan.activities.len());
    let mut pairs = HashSet::new();
    for a in &net.arrows {
        assert_ne!(a.tail, a.head);
        assert!(pairs.insert((a.tail, a.head)), "two arrows share events");
        // Numbered increasing along every arrow.
        assert!(net.events[a.tail].number < net.events[a.head].number);
    }
    for d in &net.dummies {
        assert!(net.events[d.from].number < net.events[d.to].number);
        assert!(net.events[d.from].day <= net.events[d.to].day);
    }
    let mut numbers: Vec<usize> = net.events.iter().map(|e| e.number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=net.events.len()).collect::<Vec<_>>());
}

/// `b` waits (transitively) for the finish of `a`: in the plan's links
/// (events start/finish per activity), and in the arrow network (the head
/// event of `a` reaches the tail event of `b`, or is it).
fn finish_reaches_start(n: usize, edges: &[(usize, usize)], from: usize, to: usize) -> bool {
    let mut out = vec![Vec::new(); n];
    for &(a, b) in edges {
        out[a].push(b);
    }
    let mut seen = vec![false; n];
    let mut stack = vec![from];
    while let Some(x) = stack.pop() {
        if x == to {
            return true;
        }
        for &y in &out[x] {
            if !seen[y] {
                seen[y] = true;
                stack.push(y);
            }
        }
    }
    false
}

#[test]
fn arrows_and_dummies_keep_exactly_the_plans_precedences() {
    for (deadline, crews) in [("2022-06-30", 1), ("2022-06-15", 2)] {
        let project = fixture::project(deadline, crews);
        let np = fixture::network(&project, &fixture::levelled(&project));
        let (works, precs, _) = activity_works(&np, None);
        let net = build(&works, &precs);
        let n = works.len();
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
        let mut net_edges: Vec<(usize, usize)> =
            net.arrows.iter().map(|a| (a.tail, a.head)).collect();
        net_edges.extend(net.dummies.iter().map(|d| (d.from, d.to)));
        let m = net.events.len();
        let mut pairs = 0;
        for a in 0..n {
            for b in 0..n {
                if a == b {
                    continue;
                }
                let in_plan = finish_reaches_start(2 * n, &plan_edges, 2 * a + 1, 2 * b);
                let in_net =
                    finish_reaches_start(m, &net_edges, net.arrows[a].head, net.arrows[b].tail);
                assert_eq!(in_plan, in_net, "{} → {}", works[a].id, works[b].id);
                pairs += in_plan as usize;
            }
        }
        assert!(pairs > 10);
        // The contraction removed dummies.
        assert!(
            net.dummies.len() < net.dummies_before,
            "{} of {}",
            net.dummies.len(),
            net.dummies_before
        );
    }
}

#[test]
fn sheets_cover_the_city_and_every_district_and_count_their_crossings() {
    let project = fixture::big_project(2);
    let np = fixture::network(&project, &fixture::earliest(&project));
    let sheets = sheets(&np, Lang::Zh, None);
    assert_eq!(sheets[0].0, "timescaled.svg");
    assert_eq!(sheets.len(), 1 + np.districts.len());
    for (name, svg) in &sheets {
        assert!(svg.contains("双代号时标网络图"), "{name}");
        assert!(svg.contains("size:A3 landscape"), "{name}");
    }
    for d in &np.districts {
        let (works, precs, _) = activity_works(&np, Some(&d.id));
        let net = build(&works, &precs);
        // Crossings are counted on the drawn strokes.
        let (h, v) = net.strokes();
        let brute = h
            .iter()
            .flat_map(|&(r, a, b)| v.iter().map(move |&(x, r0, r1)| (r, a, b, x, r0, r1)))
            .filter(|&(r, a, b, x, r0, r1)| a < x && x < b && r0 < r && r < r1)
            .count();
        assert_eq!(net.crossings, brute);
        eprintln!(
            "{}: {} arrows, dummies {} → {}, {} rows, {} crossings",
            d.id,
            works.len(),
            net.dummies_before,
            net.dummies.len(),
            net.rows,
            net.crossings
        );
    }
}
