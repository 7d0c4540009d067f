use super::*;
use crate::scenario::Source;

fn tutorial(edit: impl Fn(String) -> String) -> Project {
    let text = edit(include_str!("../../../scenarios/tutorial.toml").to_string());
    Project::load(&Source {
        file: "tutorial.toml".into(),
        text,
    })
    .unwrap()
}

#[test]
fn the_tutorial_is_not_blamed_on_anything() {
    let pr = tutorial(|t| t);
    let e = explain(&pr, pr.model.due);
    assert!(!e.proves_infeasible(), "{e}");
}

#[test]
fn an_early_deadline_names_the_chain_and_its_calendar() {
    let pr = tutorial(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-05-20"));
    let e = explain(&pr, pr.model.due);
    let c = e.chain.as_ref().expect("a chain");
    // The chain is linked: each step starts no earlier than the previous one.
    assert!(c.steps.len() >= 2);
    for w in c.steps.windows(2) {
        assert!(w[0].start <= w[1].start, "{e}");
    }
    assert!(c.earliest_finish.unwrap() > e.last_day);
    // The Labour Day holiday (30 April – 4 May) falls on any chain
    // running through May, and Sundays are rest days.
    assert!(c.total.rest_days > 0, "{e}");
    assert!(c.total.holidays.keys().any(|h| h.contains("Labour")), "{e}");
    let text = e.to_string();
    assert!(
        text.contains(&c.steps[0].id) && text.contains("Labour Day"),
        "{text}"
    );
}

#[test]
fn chain_losses_match_the_calendar_day_by_day() {
    let pr = tutorial(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-05-20"));
    let c = chain_report(&pr, pr.model.due).unwrap();
    let mut sum = 0;
    for s in &c.steps {
        let item = &pr.work.items[s.activity];
        let (first, last) = (s.start, s.finish.unwrap());
        let days: Vec<Day> = (0..=(last - first).num_days())
            .map(|i| {
                pr.calendar
                    .day_of(first + chrono::Duration::days(i))
                    .unwrap()
            })
            .collect();
        let idle_inside = days
            .iter()
            .filter(|&&d| pr.calendar.output(d, &item.tags, item.district) == 0.0)
            .count() as u32;
        if item.calendar_days {
            assert_eq!(s.lost.idle_days(), 0, "{s:?}");
        } else {
            // Every idle day between its start and finish is counted;
            // any more were spent waiting to start.
            assert!(s.lost.idle_days() >= idle_inside, "{s:?}");
        }
        sum += s.lost.idle_days();
    }
    assert_eq!(sum, c.total.idle_days());
    assert!(c.total.idle_days() > 0);
}

#[test]
fn too_few_crews_name_the_contractor_and_figures() {
    // With the deadline on 20 June the chain still fits (unlimited crews
    // finish on 8 June), but only reli has a station_mep crew, and one
    // crew cannot install and commission four stations in time.
    let pr = tutorial(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-06-20"));
    let e = explain(&pr, pr.model.due);
    assert!(e.chain.is_none(), "{e}");
    let sh = e
        .shortages
        .iter()
        .find(|s| s.crew == "station_mep")
        .unwrap_or_else(|| panic!("{e}"));
    assert_eq!(sh.contractors, ["reli"]);
    assert_eq!(sh.districts, ["hedong", "hexi"]);
    assert_eq!(sh.crews, 1);
    assert!(sh.demanded > sh.available);
    assert_eq!(sh.available, sh.crews as f64 * sh.days as f64);
    // The figures are the real ones: all station_mep work, and the
    // working days from 1 April to 20 June.
    let expected: f64 = pr
        .work
        .items
        .iter()
        .filter(|i| i.crew_type.as_deref() == Some("station_mep"))
        .map(|i| i.work)
        .sum();
    assert!(
        (sh.demanded - expected).abs() < 1e-9,
        "{sh:?} vs {expected}"
    );
    let working = (0..pr.model.due)
        .filter(|&d| pr.calendar.is_working_day(d))
        .count() as u32;
    assert_eq!(sh.days, working);
    // Crew types with room to spare are not blamed.
    assert!(e.shortages.iter().all(|s| s.demanded > s.available));
    assert!(!e.shortages.iter().any(|s| s.crew == "testing"), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("station_mep crews of reli in hedong, hexi"),
        "{text}"
    );
}

#[test]
fn late_stations_are_told_apart_by_chain_or_crews() {
    let all: Vec<usize> = (0..4).collect();
    // By 20 May no station can be ready: each is held by its chain.
    let pr = tutorial(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-05-20"));
    let r = why_late(&pr, &all);
    assert_eq!(r.len(), 4);
    for x in &r {
        let LateCause::Chain { chain, .. } = &x.cause else {
            panic!("{x:?}");
        };
        let before_last = &chain[..chain.len().saturating_sub(1)];
        assert!(
            before_last.iter().any(|id| id.ends_with("permit-renmin")),
            "{x:?}"
        );
    }
    // By 20 June every chain fits: lateness can only come from crews.
    let pr = tutorial(|t| t.replace("deadline = 2022-09-30", "deadline = 2022-06-20"));
    let r = why_late(&pr, &all);
    assert_eq!(r.len(), 4);
    assert!(r.iter().all(|x| !x.chain_bound()), "{r:?}");
}

/// The tutorial with one more time node, `m-all`, after every district,
/// due on `due`.
fn tutorial_with_node(edit: impl Fn(String) -> String, due: &str) -> Project {
    tutorial(|t| {
        edit(t).replace(
                "[[milestones]]\nid = \"m-hexi-done\"",
                &format!(
                    "[[milestones]]\nid = \"m-all\"\nname = \"All\"\nafter = [\"hedong\", \"hexi\"]\ndue = {due}\n\n[[milestones]]\nid = \"m-hexi-done\""
                ),
            )
    })
}

#[test]
fn a_node_too_early_for_any_chain_names_the_chain() {
    // The main line cannot be pressure-tested by 20 April whatever the
    // crews: the chain to it is named, with the days it loses.
    let pr = tutorial(|t| t.replace("due = 2022-06-30", "due = 2022-04-20"));
    let r = why_nodes_late(&pr, &["m-mainline-tested", "no-such-node"]);
    assert_eq!(r.len(), 1);
    let LateCause::Chain {
        earliest_finish,
        chain,
        ..
    } = &r[0].cause
    else {
        panic!("{r:?}");
    };
    assert!(earliest_finish.unwrap() > r[0].due);
    assert!(chain.len() >= 2, "{chain:?}");
    assert!(r[0].shortages.is_empty());
    let text = r[0].text();
    assert!(text.en.contains(&chain[0]) && crate::lang::has_chinese(&text.zh));
}

#[test]
fn check_warns_only_about_nodes_no_crews_can_reach() {
    assert!(unreachable_nodes(&tutorial(|t| t)).is_empty());
    let pr = tutorial(|t| t.replace("due = 2022-06-30", "due = 2022-04-20"));
    let r = unreachable_nodes(&pr);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].node, "m-mainline-tested");
    // A node the crews, not the chain, make late is no warning for check.
    assert!(unreachable_nodes(&tutorial_with_node(|t| t, "2022-06-20")).is_empty());
}

#[test]
fn a_node_the_crews_cannot_reach_names_the_crews_with_their_figures() {
    // Every chain fits by 20 June, but the one station_mep crew (reli)
    // cannot install and commission the four stations by then: the node
    // after all the work waits for crews, and the figures are the real
    // ones (as for the deadline in `too_few_crews_name_the_contractor`).
    let pr = tutorial_with_node(|t| t, "2022-06-20");
    let r = why_nodes_late(&pr, &["m-all"]);
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(!r[0].cause_is_chain(), "{r:?}");
    let sh = r[0]
        .shortages
        .iter()
        .find(|s| s.crew == "station_mep")
        .unwrap_or_else(|| panic!("{r:?}"));
    assert_eq!(sh.contractors, ["reli"]);
    let expected: f64 = pr
        .work
        .items
        .iter()
        .filter(|i| i.crew_type.as_deref() == Some("station_mep"))
        .map(|i| i.work)
        .sum();
    assert!((sh.demanded - expected).abs() < 1e-9, "{sh:?}");
    let due = pr.calendar.day_of(r[0].due).unwrap() + 1;
    let working = (0..due).filter(|&d| pr.calendar.is_working_day(d)).count() as u32;
    assert_eq!(sh.days, working);
    assert!(sh.demanded > sh.available);
    // The same figures as the cut argument over the whole programme
    // with that deadline: all of its work comes before the node.
    let whole = shortages(&pr, due);
    assert!(whole.contains(sh), "{whole:?}");
    assert!(r[0]
        .text()
        .en
        .contains("station_mep crews of reli are short"));
    // A due date the crews can make is not blamed on them.
    let pr = tutorial_with_node(|t| t, "2022-09-30");
    assert!(why_nodes_late(&pr, &["m-all"])[0].shortages.is_empty());
}
