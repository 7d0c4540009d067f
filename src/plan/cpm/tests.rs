use super::*;
use crate::report::fixture;
use crate::schedule::{Activity, Mode, Objective, Resource, Timing};

fn act(name: &str, timing: Timing, demands: Vec<(usize, u32)>) -> Activity {
    Activity {
        name: name.into(),
        modes: vec![Mode {
            label: String::new(),
            demands,
            timing,
            cost_per_day: 0,
        }],
        release: 0,
    }
}

fn fs(from: usize, to: usize, lag: i32) -> Link {
    Link {
        from,
        to,
        kind: LinkKind::FinishToStart,
        lag,
    }
}

fn problem(acts: Vec<Activity>, links: Vec<Link>, resources: Vec<Resource>) -> Problem {
    Problem {
        name: "t".into(),
        horizon: 60,
        resources,
        activities: acts,
        links,
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    }
}

fn zero(p: &Problem) -> Schedule {
    Schedule {
        starts: vec![0; p.activities.len()],
        modes: vec![0; p.activities.len()],
    }
}

/// The textbook single-code network (AON), FS links without lags:
///
/// ```text
///        ┌─ B(4) ─┬─ D(5) ─┐
///  A(3) ─┤        └───┐    ├─ F(2)
///        └─ C(2) ──── E(3) ┘
/// ```
/// A → B, A → C, B → D, B → E, C → E, D → F, E → F.
fn textbook() -> Problem {
    let d = [3, 4, 2, 5, 3, 2];
    let names = ["A", "B", "C", "D", "E", "F"];
    let acts = names
        .iter()
        .zip(d)
        .map(|(n, d)| act(n, Timing::Fixed(d), vec![]))
        .collect();
    let links = vec![
        fs(0, 1, 0),
        fs(0, 2, 0),
        fs(1, 3, 0),
        fs(1, 4, 0),
        fs(2, 4, 0),
        fs(3, 5, 0),
        fs(4, 5, 0),
    ];
    problem(acts, links, vec![])
}

fn col(a: &Analysis, f: impl Fn(&Times) -> i64) -> Vec<i64> {
    a.times.iter().map(f).collect()
}

#[test]
fn textbook_network_with_deadline_equal_to_finish() {
    // Forward pass:  ES  A 0, B 3, C 3, D 7, E max(7, 5) = 7, F max(12, 10) = 12
    //                EF  A 3, B 7, C 5, D 12, E 10, F 14  → Tc = 14.
    // Backward pass with Tp = 14:
    //                LF  F 14, D 12, E 12, B min(7, 9) = 7, C 9, A min(3, 7) = 3
    //                LS  F 12, D 7,  E 9,  B 3,             C 7, A 0
    // TF = LS − ES:  A 0, B 0, C 4, D 0, E 2, F 0
    // FF = min ES(j) − EF(i):  A 3−3 = 0, B 7−7 = 0, C 7−5 = 2, D 12−12 = 0,
    //                E 12−10 = 2, F Tp − EF = 0.
    // Critical path: A → B → D → F.
    let p = textbook();
    let a = analyse(&p, &zero(&p), &p.links, 14).unwrap();
    assert_eq!(col(&a, |t| t.es), vec![0, 3, 3, 7, 7, 12]);
    assert_eq!(col(&a, |t| t.ef), vec![3, 7, 5, 12, 10, 14]);
    assert_eq!(col(&a, |t| t.ls), vec![0, 3, 7, 7, 9, 12]);
    assert_eq!(col(&a, |t| t.lf), vec![3, 7, 9, 12, 12, 14]);
    assert_eq!(col(&a, |t| t.total_float), vec![0, 0, 4, 0, 2, 0]);
    assert_eq!(col(&a, |t| t.free_float), vec![0, 0, 2, 0, 2, 0]);
    assert_eq!(a.min_total_float, 0);
    let crit: Vec<bool> = a.times.iter().map(|t| t.critical).collect();
    assert_eq!(crit, vec![true, true, false, true, false, true]);
    assert_eq!(a.paths, vec![vec![0, 1, 3, 5]]);
    // Driving links: A→B, B→D, D→F only.
    assert_eq!(
        a.driving,
        vec![true, false, true, false, false, true, false]
    );
}

#[test]
fn later_deadline_gives_positive_floats_and_min_float_critical_set() {
    // Tp = 20: every LS moves 6 days later; FF changes only for F (20 − 14).
    let p = textbook();
    let a = analyse(&p, &zero(&p), &p.links, 20).unwrap();
    assert_eq!(col(&a, |t| t.total_float), vec![6, 6, 10, 6, 8, 6]);
    assert_eq!(col(&a, |t| t.free_float), vec![0, 0, 2, 0, 2, 6]);
    assert_eq!(a.min_total_float, 6);
    for t in &a.times {
        assert!(t.total_float >= t.free_float && t.free_float >= 0);
    }
    assert_eq!(a.paths, vec![vec![0, 1, 3, 5]]);
}

#[test]
fn earlier_deadline_gives_negative_floats() {
    // Tp = 12 < Tc = 14: TF = previous − 2; LS of A is day −2. FF of F is
    // 12 − 14 = −2 and free floats are capped at the total float.
    let p = textbook();
    let a = analyse(&p, &zero(&p), &p.links, 12).unwrap();
    assert_eq!(col(&a, |t| t.ls), vec![-2, 1, 5, 5, 7, 10]);
    assert_eq!(col(&a, |t| t.total_float), vec![-2, -2, 2, -2, 0, -2]);
    assert_eq!(col(&a, |t| t.free_float), vec![-2, -2, 2, -2, 0, -2]);
    assert_eq!(a.min_total_float, -2);
    assert_eq!(a.paths, vec![vec![0, 1, 3, 5]]);
}

#[test]
fn start_to_start_links_with_lags() {
    // A(4) —SS+1→ B(2) —FS+2→ C(3); A —FS→ C.
    // ES: A 0, B 1, C max(4, 3 + 2) = 5; EF: A 4, B 3, C 8. Tp = 8.
    // LS: C 5; B: LF ≤ 5 − 2 = 3 → LS 1; A: LF ≤ 5 and LS ≤ LS(B) − 1 = 0
    // → LS 0. TF: A 0, B 0, C 0 (two critical chains into C).
    // FF: A: min(ES(B) − 1 − ES(A), ES(C) − EF(A)) = min(0, 1) = 0;
    //     B: ES(C) − 2 − EF(B) = 0.
    let acts = vec![
        act("A", Timing::Fixed(4), vec![]),
        act("B", Timing::Fixed(2), vec![]),
        act("C", Timing::Fixed(3), vec![]),
    ];
    let links = vec![
        Link {
            from: 0,
            to: 1,
            kind: LinkKind::StartToStart,
            lag: 1,
        },
        fs(1, 2, 2),
        fs(0, 2, 0),
    ];
    let p = problem(acts, links, vec![]);
    let a = analyse(&p, &zero(&p), &p.links, 8).unwrap();
    assert_eq!(col(&a, |t| t.es), vec![0, 1, 5]);
    assert_eq!(col(&a, |t| t.ls), vec![0, 1, 5]);
    assert_eq!(col(&a, |t| t.total_float), vec![0, 0, 0]);
    assert_eq!(col(&a, |t| t.free_float), vec![0, 0, 0]);
    // A → C is not driving (A ends on day 4, C starts on day 5).
    assert_eq!(a.driving, vec![true, true, false]);
    assert_eq!(a.paths, vec![vec![0, 1, 2]]);
}

#[test]
fn calendar_durations_depend_on_the_start_day() {
    // X: fixed 3 days. Y: may start on even days only and takes 3 days.
    // X → Y (FS). Due day 12.
    // ES(X) 0, EF 3; ES(Y) = first even day ≥ 3 = 4, EF 7.
    // LS(Y) = last even s with s + 3 ≤ 12 = 8 (LF 11); TF(Y) = 4.
    // LS(X): s + 3 ≤ 8 → 5; TF(X) = 5 — more than Y's, because of the
    // calendar. FF(X): s + 3 ≤ ES(Y) = 4 → s = 1, FF 1. FF(Y) = 8 − 4 = 4.
    let table = (0..=60u32)
        .map(|s| {
            if s % 2 == 0 && s + 3 <= 60 {
                s + 3
            } else {
                Timing::NO_START
            }
        })
        .collect();
    let acts = vec![
        act("X", Timing::Fixed(3), vec![]),
        act("Y", Timing::Table(table), vec![]),
    ];
    let p = problem(acts, vec![fs(0, 1, 0)], vec![]);
    let a = analyse(&p, &zero(&p), &p.links, 12).unwrap();
    assert_eq!(col(&a, |t| t.es), vec![0, 4]);
    assert_eq!(col(&a, |t| t.ls), vec![5, 8]);
    assert_eq!(col(&a, |t| t.lf), vec![8, 11]);
    assert_eq!(col(&a, |t| t.total_float), vec![5, 4]);
    assert_eq!(col(&a, |t| t.free_float), vec![1, 4]);
    assert_eq!(
        a.times.iter().map(|t| t.critical).collect::<Vec<_>>(),
        vec![false, true]
    );
}

#[test]
fn crew_hand_overs_make_the_resource_critical_path() {
    // A(3) and B(2) are independent but share one crew; the plan does A on
    // days 0–2 and B on days 3–4. Due day 5.
    // Logic: TF(A) = 5 − 3 = 2, TF(B) = 5 − 2 = 3; only A is critical.
    // With the hand-over A → B: ES(B) = 3, both have TF 0 and the
    // resource-critical path is A → B.
    let crew = vec![Resource {
        name: "X/pipe".into(),
        capacity: 1,
    }];
    let acts = vec![
        act("A", Timing::Fixed(3), vec![(0, 1)]),
        act("B", Timing::Fixed(2), vec![(0, 1)]),
    ];
    let p = problem(acts, vec![], crew);
    let sched = Schedule {
        starts: vec![0, 3],
        modes: vec![0, 0],
    };
    let logic = analyse(&p, &sched, &p.links, 5).unwrap();
    assert_eq!(col(&logic, |t| t.total_float), vec![2, 3]);
    let hand = handovers(&p, &sched);
    assert_eq!(hand.len(), 1);
    assert_eq!(hand[0].0, fs(0, 1, 0));
    assert_eq!(hand[0].1, "X/pipe/1");
    let links: Vec<Link> = hand.into_iter().map(|(l, _)| l).collect();
    let res = analyse(&p, &sched, &links, 5).unwrap();
    assert_eq!(col(&res, |t| t.total_float), vec![0, 0]);
    assert_eq!(col(&res, |t| t.free_float), vec![0, 0]);
    assert_eq!(res.paths, vec![vec![0, 1]]);
}

#[test]
fn cycles_are_reported() {
    let p = textbook();
    let mut links = p.links.clone();
    links.push(fs(5, 0, 0));
    assert!(analyse(&p, &zero(&p), &links, 14).is_none());
}

fn check_floats(np: &NetworkPlan) {
    for t in &np.activities {
        for x in [&t.logic.days, &t.resource.days] {
            assert!(
                x.total_float >= x.free_float && x.free_float >= 0,
                "{}: TF {} FF {}",
                t.id,
                x.total_float,
                x.free_float
            );
            assert!(x.ef >= x.es && x.lf >= x.ls && x.ls >= x.es, "{}", t.id);
        }
    }
}

#[test]
fn scenario_floats_are_consistent_with_a_late_deadline() {
    let project = fixture::project("2022-06-30", 1);
    let sched = fixture::levelled(&project);
    let np = fixture::network(&project, &sched);
    check_floats(&np);
    // The plan's starts respect the hand-over network: ES ≤ start.
    for (a, t) in np.plan.activities.iter().zip(&np.activities) {
        assert!(t.resource.days.es <= a.start_day as i64, "{}", a.id);
        assert!(t.logic.days.es <= t.resource.days.es, "{}", a.id);
        assert!(
            t.logic.days.total_float >= t.resource.days.total_float,
            "{}",
            a.id
        );
    }
    assert!(!np.resource_critical_paths.is_empty());
    assert!(np.links.iter().any(|l| l.handover.is_some()));
    assert_eq!(np.schema_version, 3);
}

#[test]
fn critical_activities_have_zero_float_when_the_deadline_is_the_finish() {
    // Plan with earliest starts, then move the deadline to its finish.
    let loose = fixture::project("2022-06-30", 3);
    let sched = fixture::earliest(&loose);
    let finish = fixture::network(&loose, &sched).plan.finish;
    let project = fixture::project(&finish.to_string(), 3);
    let np = fixture::network(&project, &sched);
    assert_eq!(np.plan.finish, np.plan.deadline);
    check_floats(&np);
    assert_eq!(np.logic_min_float, 0);
    for t in &np.activities {
        if t.logic.days.critical {
            assert_eq!(t.logic.days.total_float, 0, "{}", t.id);
        }
    }
    // The last activity to finish is on a logic critical path.
    let last = np.plan.activities.iter().max_by_key(|a| a.end_day).unwrap();
    assert!(np
        .logic_critical_paths
        .iter()
        .any(|p| p.last() == Some(&last.id)));
}

#[test]
fn negative_floats_when_the_deadline_is_earlier() {
    let loose = fixture::project("2022-06-30", 3);
    let sched = fixture::earliest(&loose);
    let finish = fixture::network(&loose, &sched).plan.finish;
    let early = finish - chrono::Duration::days(10);
    let project = fixture::project(&early.to_string(), 3);
    let np = fixture::network(&project, &sched);
    assert!(np.logic_min_float < 0);
    assert!(np.logic_min_float <= -8, "{}", np.logic_min_float);
    let crit: Vec<_> = np
        .activities
        .iter()
        .filter(|t| t.logic.days.critical)
        .collect();
    assert!(!crit.is_empty());
    // Critical: the minimum float, or any negative float (behind, #18).
    for t in &np.activities {
        let d = t.logic.days;
        assert_eq!(
            d.critical,
            d.total_float == np.logic_min_float || d.total_float < 0
        );
    }
}

#[test]
fn milestones_cover_stations_districts_and_scenario_milestones() {
    let project = fixture::project("2022-06-30", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    let kinds = |k: MilestoneKind| np.milestones.iter().filter(|m| m.kind == k).count();
    assert_eq!(kinds(MilestoneKind::Station), 2);
    assert_eq!(kinds(MilestoneKind::District), 2);
    assert_eq!(kinds(MilestoneKind::Scenario), 2);
    let ic = np
        .milestones
        .iter()
        .find(|m| m.id == "interconnect")
        .unwrap();
    // Reached on the last day of P2 and P4.
    let last = np
        .plan
        .activities
        .iter()
        .filter(|a| a.element == "P2" || a.element == "P4")
        .map(|a| a.finish)
        .max()
        .unwrap();
    assert_eq!(ic.date, last);
    assert_eq!(
        ic.due,
        Some(chrono::NaiveDate::from_ymd_opt(2022, 6, 15).unwrap())
    );
}

#[test]
fn trench_spans_hand_over_like_crews() {
    // One open trench allowed: span 1 holds it from the start of a0 to the
    // end of a1 (days 0–4), span 2 from a2 to a3 (days 5–8). The trench
    // passes from a1 to a2.
    let trench = vec![Resource {
        name: "trenches/north".into(),
        capacity: 1,
    }];
    let acts = (0..4)
        .map(|i| act(&format!("a{i}"), Timing::Fixed(2), vec![]))
        .collect();
    let mut p = problem(acts, vec![fs(0, 1, 0), fs(2, 3, 0)], trench);
    p.spans = vec![
        crate::schedule::Span {
            first: 0,
            last: 1,
            resource: 0,
            amount: 1,
        },
        crate::schedule::Span {
            first: 2,
            last: 3,
            resource: 0,
            amount: 1,
        },
    ];
    let sched = Schedule {
        starts: vec![0, 2, 5, 7],
        modes: vec![0; 4],
    };
    let hand = handovers(&p, &sched);
    assert_eq!(hand, vec![(fs(1, 2, 0), "trenches/north/1".to_string())]);
    let mut links = p.links.clone();
    links.extend(hand.into_iter().map(|(l, _)| l));
    // Due day 10: without the hand-over both chains (4 days each) have
    // TF 10 − 4 = 6. With it the four activities form one chain of 8 days:
    // ES 0, 2, 4, 6 and TF 10 − 8 = 2 each, one resource-critical path.
    let logic = analyse(&p, &sched, &p.links, 10).unwrap();
    assert_eq!(col(&logic, |t| t.total_float), vec![6, 6, 6, 6]);
    let res = analyse(&p, &sched, &links, 10).unwrap();
    assert_eq!(col(&res, |t| t.es), vec![0, 2, 4, 6]);
    assert_eq!(col(&res, |t| t.total_float), vec![2, 2, 2, 2]);
    assert_eq!(res.paths, vec![vec![0, 1, 2, 3]]);
}

#[test]
fn a_baseline_embeds_the_text_it_was_loaded_from_and_re_plans_chain_to_it() {
    use chrono::NaiveDate;
    let project = fixture::project("2022-06-30", 1);
    let source = project.source.clone().expect("loaded from a source");
    let sched = fixture::levelled(&project);
    let mut base = fixture::network(&project, &sched);
    base.embed_baseline(&source);
    let embedded = base.scenario.clone().unwrap();
    assert_eq!(
        (embedded.file.as_str(), &embedded.text),
        (source.file.as_str(), &source.text)
    );
    let rev = base.revision.clone().unwrap();
    assert_eq!((rev.parent, rev.data_date), (None, None));
    assert_eq!(rev.baseline, rev.id);

    // A re-plan keeps the chain's baseline and names its parent; its id
    // covers the events applied, so another events file gives another id.
    let date = NaiveDate::from_ymd_opt(2022, 5, 1).unwrap();
    let mut re = fixture::network(&project, &sched);
    let with_events = EmbeddedScenario {
        events: vec![("events.toml".into(), "[[stop_work]]\n".into())],
        ..embedded.clone()
    };
    re.embed_replan(with_events.clone(), base.revision.as_ref(), date);
    let r = re.revision.clone().unwrap();
    assert_eq!(r.baseline, rev.id);
    assert_eq!(r.parent.as_deref(), Some(rev.id.as_str()));
    assert_eq!(r.data_date, Some(date));
    assert_ne!(r.id, rev.id);
    assert_eq!(re.scenario, Some(with_events));
    let other = Revision::replan(base.revision.as_ref(), &embedded, date, &re.plan);
    assert_ne!(other.id, r.id);
    // A plan without a revision starts a chain of its own.
    let orphan = Revision::replan(None, &embedded, date, &re.plan);
    assert_eq!(
        (orphan.baseline.as_str(), orphan.parent),
        (orphan.id.as_str(), None)
    );
}

#[test]
fn negative_float_is_always_critical_and_behind() {
    // The heat-ready tutorial due too early: floats go negative by
    // different amounts; every one below zero is marked.
    let text = include_str!("../../../scenarios/tutorial.toml")
        .replace("deadline = 2022-09-30", "deadline = 2022-05-20");
    let pr = crate::Project::load(&crate::scenario::Source {
        file: "tutorial.toml".into(),
        text,
    })
    .unwrap();
    let sched = crate::report::fixture::earliest(&pr);
    let np = crate::report::fixture::network(&pr, &sched);
    let negative: Vec<_> = np
        .activities
        .iter()
        .map(|t| t.logic.days)
        .filter(|t| t.total_float < 0)
        .collect();
    assert!(
        !negative.is_empty(),
        "the early deadline makes floats negative"
    );
    let floats: std::collections::BTreeSet<i64> = negative.iter().map(|t| t.total_float).collect();
    assert!(floats.len() > 1, "several negative floats: {floats:?}");
    assert!(negative
        .iter()
        .all(|t| t.critical && t.marked() && t.behind()));
}

#[test]
fn finished_work_has_no_float_and_leaves_the_critical_paths() {
    // A deadline the plan misses: negative floats, so the first work of the
    // critical path is both critical and behind before its actuals count.
    let project = fixture::project("2022-05-01", 1);
    let np0 = fixture::network(&project, &fixture::levelled(&project));
    let path = np0.resource_critical_paths[0].clone();
    assert!(path.len() >= 2, "{path:?}");
    let done: Vec<String> = path[..path.len() / 2].to_vec();
    let first = np0.activities.iter().find(|a| a.id == done[0]).unwrap();
    assert!(first.resource.days.marked() && first.resource.days.behind());
    let actuals = done
        .iter()
        .map(|id| {
            let a = np0.plan.activities.iter().find(|a| &a.id == id).unwrap();
            crate::plan::progress::Actual {
                id: id.clone(),
                start: a.start,
                finish: Some(a.finish),
                percent_complete: None,
                remaining_days: None,
                reported: a.finish,
            }
        })
        .collect();
    let mut np = np0.clone();
    np.record_actuals(actuals);
    assert_eq!(np.actuals.len(), done.len());
    let is_done = |id: &String| done.contains(id);
    for a in np.activities.iter().filter(|a| is_done(&a.id)) {
        for t in [&a.logic, &a.resource] {
            assert!(!t.days.marked() && !t.days.behind(), "{}", a.id);
            assert_eq!((t.days.total_float, t.ls_date), (0, t.es_date));
        }
    }
    for paths in [&np.logic_critical_paths, &np.resource_critical_paths] {
        assert!(paths.iter().flatten().all(|id| !is_done(id)));
    }
    // The open work keeps its floats; its minimum is the plan's.
    let open: Vec<_> = np.activities.iter().filter(|a| !is_done(&a.id)).collect();
    let min = open
        .iter()
        .map(|a| a.resource.days.total_float)
        .min()
        .unwrap();
    assert_eq!(np.resource_min_float, min);
    for a in &open {
        let old = np0.activities.iter().find(|b| b.id == a.id).unwrap();
        let t = a.resource.days;
        assert_eq!(t.total_float, old.resource.days.total_float);
        assert_eq!(t.critical, t.total_float == min || t.total_float < 0);
    }
}
