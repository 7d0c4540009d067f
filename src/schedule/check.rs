//! An independent feasibility checker: the referee for every solver.
//!
//! [`violations`] recomputes everything a schedule must satisfy straight from
//! the [`Problem`] definition, with deliberately plain code that shares
//! nothing with the schedule-generation scheme or the integer program:
//!
//! * one start and one mode per activity, the mode index in range;
//! * the start allowed by the mode's timing, no earlier than the release, and
//!   the end no later than the horizon;
//! * every link: finish-to-start `start(to) >= end(from) + lag`,
//!   start-to-start `start(to) >= start(from) + lag`;
//! * every resource on every day: the demands of the activities running that
//!   day (`[start, end)`) plus the spans open that day
//!   (`[start(first), end(last))`) stay within the capacity.
//!
//! An empty list means the schedule is feasible.

use super::problem::{Day, LinkKind, Problem, Schedule};

/// Every way in which `s` breaks the rules of `p`, in plain words; empty when
/// the schedule is feasible.
pub fn violations(p: &Problem, s: &Schedule) -> Vec<String> {
    let n = p.activities.len();
    let mut out = Vec::new();
    if s.starts.len() != n || s.modes.len() != n {
        out.push(format!(
            "the schedule has {} starts and {} modes for {} activities",
            s.starts.len(),
            s.modes.len(),
            n
        ));
        return out;
    }
    let ends = check_activities(p, s, &mut out);
    check_links(p, s, &ends, &mut out);
    check_resources(p, s, &ends, &mut out);
    out
}

/// Checks modes, starts, releases and the horizon; returns each activity's
/// end day (`None` where it has none).
fn check_activities(p: &Problem, s: &Schedule, out: &mut Vec<String>) -> Vec<Option<Day>> {
    let mut ends = Vec::with_capacity(p.activities.len());
    for (a, act) in p.activities.iter().enumerate() {
        let (start, m) = (s.starts[a], s.modes[a]);
        let Some(mode) = act.modes.get(m) else {
            out.push(format!(
                "activity `{}` has mode {} but only {} modes",
                act.name,
                m,
                act.modes.len()
            ));
            ends.push(None);
            continue;
        };
        if start < act.release {
            out.push(format!(
                "activity `{}` starts on day {} before its release day {}",
                act.name, start, act.release
            ));
        }
        match mode.timing.end(start) {
            None => {
                out.push(format!(
                    "activity `{}` may not start on day {} in mode {}",
                    act.name, start, m
                ));
                ends.push(None);
            }
            Some(e) => {
                if e > p.horizon {
                    out.push(format!(
                        "activity `{}` ends on day {} after the horizon {}",
                        act.name, e, p.horizon
                    ));
                }
                ends.push(Some(e));
            }
        }
    }
    ends
}

fn check_links(p: &Problem, s: &Schedule, ends: &[Option<Day>], out: &mut Vec<String>) {
    for l in &p.links {
        let (from, to) = (&p.activities[l.from].name, &p.activities[l.to].name);
        let (base, what) = match l.kind {
            LinkKind::FinishToStart => match ends[l.from] {
                Some(e) => (e, "end"),
                None => continue,
            },
            LinkKind::StartToStart => (s.starts[l.from], "start"),
        };
        let need = base as i64 + l.lag as i64;
        if (s.starts[l.to] as i64) < need {
            out.push(format!(
                "link {from} -> {to}: `{to}` starts on day {} but must wait for the {what} of `{from}` (day {base}) plus lag {}, i.e. day {need}",
                s.starts[l.to], l.lag
            ));
        }
    }
}

fn check_resources(p: &Problem, s: &Schedule, ends: &[Option<Day>], out: &mut Vec<String>) {
    let last_day = ends
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(p.horizon) as usize;
    let mut usage = vec![vec![0u64; last_day]; p.resources.len()];
    let mut hold = |res: usize, amt: u32, lo: Day, hi: Day, out: &mut Vec<String>, who: &str| {
        if res >= usage.len() {
            out.push(format!("{who} uses resource {res}, which does not exist"));
            return;
        }
        for d in lo..hi {
            usage[res][d as usize] += amt as u64;
        }
    };
    for (a, act) in p.activities.iter().enumerate() {
        let (Some(mode), Some(e)) = (act.modes.get(s.modes[a]), ends[a]) else {
            continue;
        };
        for &(res, amt) in &mode.demands {
            hold(
                res,
                amt,
                s.starts[a],
                e,
                out,
                &format!("activity `{}`", act.name),
            );
        }
    }
    for sp in &p.spans {
        let Some(e) = ends[sp.last] else { continue };
        let who = format!(
            "the span {} .. {}",
            p.activities[sp.first].name, p.activities[sp.last].name
        );
        hold(sp.resource, sp.amount, s.starts[sp.first], e, out, &who);
    }
    for (r, res) in p.resources.iter().enumerate() {
        for (d, &u) in usage[r].iter().enumerate() {
            if u > res.capacity as u64 {
                out.push(format!(
                    "resource `{}` is used {} times on day {} but has capacity {}",
                    res.name, u, d, res.capacity
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::problem::*;

    fn problem() -> Problem {
        let act = |name: &str, d: u32, release: Day| Activity {
            name: name.into(),
            modes: vec![Mode {
                label: String::new(),
                demands: vec![(0, 1)],
                timing: Timing::Fixed(d),
                cost_per_day: 0,
            }],
            release,
        };
        let table = (0..=10u32)
            .map(|s| {
                if s % 2 == 0 && s + 2 <= 10 {
                    s + 2
                } else {
                    Timing::NO_START
                }
            })
            .collect();
        let mut c = act("c", 2, 0);
        c.modes[0].timing = Timing::Table(table);
        c.modes[0].demands.clear();
        Problem {
            name: "t".into(),
            horizon: 10,
            resources: vec![
                Resource {
                    name: "crew".into(),
                    capacity: 1,
                },
                Resource {
                    name: "trench".into(),
                    capacity: 1,
                },
            ],
            activities: vec![act("a", 2, 0), act("b", 3, 1), c],
            links: vec![
                Link {
                    from: 0,
                    to: 1,
                    kind: LinkKind::FinishToStart,
                    lag: 1,
                },
                Link {
                    from: 0,
                    to: 2,
                    kind: LinkKind::StartToStart,
                    lag: 2,
                },
            ],
            spans: vec![Span {
                first: 0,
                last: 1,
                resource: 1,
                amount: 1,
            }],
            groups: vec![],
            objective: Objective::default(),
            baseline: None,
        }
    }

    fn sched(starts: Vec<Day>) -> Schedule {
        Schedule {
            modes: vec![0; starts.len()],
            starts,
        }
    }

    fn has(v: &[String], word: &str) -> bool {
        v.iter().any(|m| m.contains(word))
    }

    #[test]
    fn feasible_schedule_passes() {
        assert_eq!(
            violations(&problem(), &sched(vec![0, 3, 2])),
            Vec::<String>::new()
        );
    }

    #[test]
    fn each_kind_of_violation_is_caught() {
        let p = problem();
        let v = violations(
            &p,
            &Schedule {
                starts: vec![0, 3, 2],
                modes: vec![0, 1, 0],
            },
        );
        assert!(has(&v, "has mode 1 but only 1 modes"), "{v:?}");
        let v = violations(&p, &sched(vec![0, 3, 3]));
        assert!(has(&v, "may not start on day 3"), "{v:?}");
        let v = violations(&p, &sched(vec![0, 8, 2]));
        assert!(has(&v, "after the horizon"), "{v:?}");
        let mut q = p.clone();
        q.activities[1].release = 4;
        let v = violations(&q, &sched(vec![0, 3, 2]));
        assert!(has(&v, "before its release"), "{v:?}");
        let v = violations(&p, &sched(vec![1, 2, 2]));
        assert!(has(&v, "link a -> b"), "{v:?}");
        assert!(has(&v, "link a -> c"), "{v:?}");
        assert!(has(&v, "resource `crew` is used 2 times on day 2"), "{v:?}");
        let v = violations(
            &p,
            &Schedule {
                starts: vec![0],
                modes: vec![0],
            },
        );
        assert!(has(&v, "1 starts and 1 modes for 3 activities"), "{v:?}");
    }

    #[test]
    fn span_usage_is_counted() {
        let mut p = problem();
        // A second span on the trench resource overlapping the first.
        p.spans.push(Span {
            first: 2,
            last: 2,
            resource: 1,
            amount: 1,
        });
        let v = violations(&p, &sched(vec![0, 3, 2]));
        assert!(
            has(&v, "resource `trench` is used 2 times on day 2"),
            "{v:?}"
        );
        // Capacity 2 makes it fine again.
        p.resources[1].capacity = 2;
        assert!(violations(&p, &sched(vec![0, 3, 2])).is_empty());
    }
}
