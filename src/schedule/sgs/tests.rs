use super::*;
use crate::schedule::check::violations;
use crate::schedule::problem::*;

fn act(name: &str, d: u32, demands: Vec<(ResId, u32)>) -> Activity {
    Activity {
        name: name.into(),
        modes: vec![Mode {
            label: String::new(),
            demands,
            timing: Timing::Fixed(d),
            cost_per_day: 0,
        }],
        release: 0,
    }
}

fn fs(from: ActId, to: ActId, lag: i32) -> Link {
    Link {
        from,
        to,
        kind: LinkKind::FinishToStart,
        lag,
    }
}

fn base(acts: Vec<Activity>, cap: u32, horizon: Day) -> Problem {
    Problem {
        name: "t".into(),
        horizon,
        resources: vec![Resource {
            name: "r".into(),
            capacity: cap,
        }],
        activities: acts,
        links: vec![],
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    }
}

/// Working days of `w` days on a calendar resting every seventh day.
fn calendar(w: u32, horizon: Day) -> Timing {
    let work = |d: Day| d % 7 != 6;
    let ends = (0..=horizon)
        .map(|s| {
            if !work(s) {
                return Timing::NO_START;
            }
            let (mut d, mut left) = (s, w);
            while left > 0 {
                left -= u32::from(work(d));
                d += 1;
            }
            if d <= horizon {
                d
            } else {
                Timing::NO_START
            }
        })
        .collect();
    Timing::Table(ends)
}

#[test]
fn right_justify_places_every_plan_of_a_trench_programme() {
    // Ten segments, each: a permit from day 0-2 (no crew), then trench,
    // lay and backfill (one crew of each of two types, on a calendar
    // resting every seventh day), with at most two trenches open at
    // once; a station group due early. The SGS's backward pass (span
    // blocks packed against the finish as if day 0 were free) fails on
    // some of these plans (checked: this test fails with it).
    let h = 200;
    let mut acts = Vec::new();
    let mut links = Vec::new();
    let mut spans = Vec::new();
    for k in 0..10u32 {
        let b = acts.len();
        let mut permit = act(&format!("permit{k}"), 6 + 2 * (k % 5), vec![]);
        permit.release = k % 3;
        acts.push(permit);
        for (name, res, w) in [("trench", 0, 3 + k % 2), ("lay", 1, 4), ("backfill", 0, 2)] {
            let mut a = act(&format!("{name}{k}"), 0, vec![(res, 1)]);
            a.modes[0].timing = calendar(w, h);
            acts.push(a);
        }
        links.extend([fs(b, b + 1, 0), fs(b + 1, b + 2, 1), fs(b + 2, b + 3, 0)]);
        spans.push(Span {
            first: b + 1,
            last: b + 3,
            resource: 2,
            amount: 1,
        });
    }
    let mut p = base(acts, 1, h);
    p.resources.push(Resource {
        name: "lay".into(),
        capacity: 1,
    });
    p.resources.push(Resource {
        name: "trenches".into(),
        capacity: 2,
    });
    p.links = links;
    p.spans = spans;
    p.groups.push(DueGroup {
        name: "station".into(),
        weight: 1,
        due: 20,
        members: vec![3, 7],
        level: Level::Households,
    });
    let mut sgs = Sgs::new(&p);
    let mut rng = crate::schedule::rng::Rng::new(7);
    for _ in 0..200 {
        let prio: Vec<i64> = (0..p.activities.len())
            .map(|_| rng.below(1000) as i64)
            .collect();
        let list = sgs.list_from_priority(&prio).unwrap();
        let f = sgs.forward(&list, ModePolicy::Best).unwrap();
        assert!(violations(&p, &f).is_empty());
        let ends: Vec<Day> = (0..p.activities.len())
            .map(|a| p.end(a, f.modes[a], f.starts[a]).unwrap())
            .collect();
        let finish = *ends.iter().max().unwrap();
        let mut caps = vec![finish; ends.len()];
        let done = ends[3].max(ends[7]).max(20);
        caps[3] = done;
        caps[7] = done;
        let r = sgs
            .right_justify(&f, &caps)
            .expect("the plan fits right-justified");
        assert!(violations(&p, &r).is_empty(), "{:?}", violations(&p, &r));
        for (a, &cap) in caps.iter().enumerate() {
            let e = p.end(a, r.modes[a], r.starts[a]).unwrap();
            assert!(r.starts[a] >= f.starts[a] && e <= cap);
        }
    }
}

#[test]
fn forward_respects_capacity_and_fills_gaps() {
    let p = base(
        vec![
            act("a", 3, vec![(0, 2)]),
            act("b", 2, vec![(0, 2)]),
            act("c", 1, vec![(0, 1)]),
        ],
        3,
        20,
    );
    let mut sgs = Sgs::new(&p);
    let s = sgs.forward(&[0, 1, 2], ModePolicy::Best).unwrap();
    assert_eq!(s.starts, vec![0, 3, 0]);
    assert!(violations(&p, &s).is_empty());
}

#[test]
fn pinned_work_keeps_its_crew_in_both_directions() {
    // `run` holds the one crew on days 5..8 only (a re-plan's running
    // work: one allowed start, no links); `b` needs the crew for 10 days.
    let mut p = base(
        vec![act("run", 3, vec![(0, 1)]), act("b", 10, vec![(0, 1)])],
        1,
        20,
    );
    let mut only = vec![Timing::NO_START; 21];
    only[5] = 8;
    p.activities[0].modes[0].timing = Timing::Table(only);
    p.activities[0].release = 5;
    let mut sgs = Sgs::new(&p);
    // Listed after `b` forward, and placed after it backward (the list
    // reversed): the pinned work is placed first all the same.
    let f = sgs.forward(&[1, 0], ModePolicy::Best).unwrap();
    assert_eq!(f.starts, vec![5, 8]);
    let b = sgs.backward(&[0, 1], ModePolicy::Best).unwrap();
    assert_eq!(b.starts, vec![5, 10]);
    assert!(violations(&p, &f).is_empty() && violations(&p, &b).is_empty());
}

#[test]
fn negative_start_to_start_lag() {
    let mut p = base(vec![act("a", 3, vec![]), act("b", 2, vec![])], 1, 20);
    p.activities[0].release = 5;
    p.links.push(Link {
        from: 0,
        to: 1,
        kind: LinkKind::StartToStart,
        lag: -3,
    });
    let mut sgs = Sgs::new(&p);
    let s = sgs.forward(&[0, 1], ModePolicy::Best).unwrap();
    assert_eq!(s.starts, vec![5, 2]);
    let b = sgs.backward(&[0, 1], ModePolicy::Best).unwrap();
    assert_eq!(b.starts, vec![17, 18]);
    assert!(violations(&p, &b).is_empty());
}

/// Two trenches on resource 0: activities 0 → 1 and 2 → 3, each pair
/// linked finish to start with `lag` and holding one unit from the
/// first's start to the second's end.
fn two_trenches(p: &mut Problem, lag: i32) {
    p.links = vec![fs(0, 1, lag), fs(2, 3, lag)];
    p.spans = [(0, 1), (2, 3)]
        .map(|(first, last)| Span {
            first,
            last,
            resource: 0,
            amount: 1,
        })
        .to_vec();
}

#[test]
fn span_blocks_second_trench_until_first_closes() {
    // Two trenches (dig -> fill) in one district with one trench allowed.
    let mut p = base(
        vec![
            act("dig1", 2, vec![]),
            act("fill1", 2, vec![]),
            act("dig2", 2, vec![]),
            act("fill2", 2, vec![]),
        ],
        1,
        30,
    );
    two_trenches(&mut p, 1);
    let mut sgs = Sgs::new(&p);
    // dig2 comes before fill1 in the list: it must be deferred.
    let s = sgs.forward(&[0, 2, 1, 3], ModePolicy::Best).unwrap();
    assert!(violations(&p, &s).is_empty(), "{:?}", violations(&p, &s));
    assert_eq!(s.starts, vec![0, 3, 5, 8]);
    let b = sgs.backward(&[0, 2, 1, 3], ModePolicy::Best).unwrap();
    assert!(violations(&p, &b).is_empty(), "{:?}", violations(&p, &b));
}

#[test]
fn span_block_fills_a_gap_before_a_closed_span() {
    let mut p = base(
        vec![
            act("dig1", 2, vec![]),
            act("fill1", 2, vec![]),
            act("dig2", 2, vec![]),
            act("fill2", 2, vec![]),
        ],
        1,
        30,
    );
    p.activities[0].release = 10;
    two_trenches(&mut p, 1);
    let mut sgs = Sgs::new(&p);
    let s = sgs.forward(&[0, 1, 2, 3], ModePolicy::Best).unwrap();
    assert!(violations(&p, &s).is_empty(), "{:?}", violations(&p, &s));
    // The second trench [0, 5) fits before the first [10, 15).
    assert_eq!(s.starts, vec![10, 13, 0, 3]);
    // With a 6-day backfill the second trench [0, 10) still fits; 8 days do not.
    p.activities[3].modes[0].timing = Timing::Fixed(8);
    let s = sgs_forward(&p, &[0, 1, 2, 3]);
    assert_eq!(s.starts, vec![10, 13, 15, 18]);
    let b = Sgs::new(&p)
        .backward(&[0, 1, 2, 3], ModePolicy::Best)
        .unwrap();
    assert!(violations(&p, &b).is_empty(), "{:?}", violations(&p, &b));
}

/// The usage a schedule puts on every resource and day: its activities'
/// demands and its spans.
fn usage_of(p: &Problem, s: &Schedule) -> Vec<Vec<u32>> {
    let mut u = vec![vec![0; p.horizon as usize]; p.resources.len()];
    let end = |a: usize| p.end(a, s.modes[a], s.starts[a]).unwrap();
    for (a, act) in p.activities.iter().enumerate() {
        for &(r, k) in &act.modes[s.modes[a]].demands {
            (s.starts[a]..end(a)).for_each(|d| u[r][d as usize] += k);
        }
    }
    for sp in &p.spans {
        (s.starts[sp.first]..end(sp.last)).for_each(|d| u[sp.resource][d as usize] += sp.amount);
    }
    u
}

#[test]
fn a_retried_span_block_leaves_no_usage_behind() {
    // Two trenches, one allowed at a time, each dug (2 days) and filled
    // (8 days, by the one crew), and a 3-day job for that crew: the
    // second trench's block first opens at 0 and overlaps the first
    // trench, so it is undone and placed again. The profile must then
    // hold exactly the final schedule, forward and backward.
    let mut p = base(
        vec![
            act("dig1", 2, vec![]),
            act("fill1", 8, vec![]),
            act("dig2", 2, vec![]),
            act("fill2", 8, vec![]),
            act("job", 3, vec![(1, 1)]),
        ],
        1,
        40,
    );
    p.resources.push(Resource {
        name: "crew".into(),
        capacity: 1,
    });
    p.activities[1].modes[0].demands = vec![(1, 1)];
    p.activities[3].modes[0].demands = vec![(1, 1)];
    two_trenches(&mut p, 0);
    let mut sgs = Sgs::new(&p);
    let s = sgs.forward(&[0, 1, 4, 2, 3], ModePolicy::Best).unwrap();
    assert!(violations(&p, &s).is_empty(), "{:?}", violations(&p, &s));
    assert_eq!(
        s.starts[2], 10,
        "the second trench opens when the first closes"
    );
    assert_eq!(sgs.usage, usage_of(&p, &s));
    let b = sgs.backward(&[0, 1, 4, 2, 3], ModePolicy::Best).unwrap();
    assert!(violations(&p, &b).is_empty(), "{:?}", violations(&p, &b));
    assert_eq!(sgs.usage, usage_of(&p, &b));
}

fn sgs_forward(p: &Problem, list: &[ActId]) -> Schedule {
    let s = Sgs::new(p).forward(list, ModePolicy::Best).unwrap();
    assert!(violations(p, &s).is_empty(), "{:?}", violations(p, &s));
    s
}

#[test]
fn calendar_table_and_modes() {
    let mut p = base(vec![act("a", 4, vec![(0, 1)])], 1, 12);
    // Second mode: may start only on even days, takes 2 days, costs more.
    let table = (0..=12u32)
        .map(|s| {
            if s % 2 == 0 && s + 2 <= 12 {
                s + 2
            } else {
                Timing::NO_START
            }
        })
        .collect();
    p.activities[0].modes.push(Mode {
        label: "x".into(),
        demands: vec![(0, 1)],
        timing: Timing::Table(table),
        cost_per_day: 5,
    });
    p.activities[0].release = 1;
    let mut sgs = Sgs::new(&p);
    let s = sgs.forward(&[0], ModePolicy::Best).unwrap();
    // Fixed mode: [1,5); table mode: [2,4) ends earlier.
    assert_eq!((s.starts[0], s.modes[0]), (2, 1));
    let s = sgs.forward(&[0], ModePolicy::Given(&[0])).unwrap();
    assert_eq!((s.starts[0], s.modes[0]), (1, 0));
    let b = sgs.backward(&[0], ModePolicy::Best).unwrap();
    assert_eq!((b.starts[0], b.modes[0]), (10, 1));
}

#[test]
fn backward_capped_ends_each_activity_by_its_cap() {
    let mut p = base(
        vec![
            act("a", 3, vec![(0, 1)]),
            act("b", 2, vec![(0, 1)]),
            act("c", 2, vec![(0, 1)]),
        ],
        1,
        20,
    );
    p.links = vec![fs(0, 1, 0)];
    let mut sgs = Sgs::new(&p);
    // b by day 8 drags a before it; c by day 10 then sits right after b.
    let b = sgs
        .backward_capped(&[0, 1, 2], ModePolicy::Best, &[20, 8, 10])
        .unwrap();
    assert!(violations(&p, &b).is_empty(), "{:?}", violations(&p, &b));
    assert_eq!(b.starts, vec![3, 6, 8]);
    // The caps do not outlive the call.
    let b = sgs.backward(&[0, 1, 2], ModePolicy::Best).unwrap();
    assert_eq!(b.starts, vec![13, 16, 18]);
    // Caps too tight for the single crew: no schedule.
    assert!(sgs
        .backward_capped(&[0, 1, 2], ModePolicy::Best, &[3, 3, 3])
        .is_none());
}

#[test]
fn impossible_returns_none() {
    let p = base(
        vec![act("a", 3, vec![(0, 2)]), act("b", 3, vec![(0, 2)])],
        3,
        5,
    );
    let mut sgs = Sgs::new(&p);
    assert!(sgs.forward(&[0, 1], ModePolicy::Best).is_none());
    assert!(sgs.backward(&[0, 1], ModePolicy::Best).is_none());
}
