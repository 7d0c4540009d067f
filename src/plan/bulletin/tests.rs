//! The bulletin's figures recomputed independently from the ledger's text.

use super::*;
use crate::csv_text::records;
use crate::replan::ledger::{read, simulate_slip};
use crate::report::fixture;

const DD: &str = "2022-05-10";

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A plan of the fixture, a ledger where contractor A runs 4 days late,
/// and the bulletin read from it.
fn setup() -> (Project, NetworkPlan, String, Bulletin) {
    let project = fixture::project("2022-06-30", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    let ledger = simulate_slip(&np, date(DD), "A", 4);
    let progress = read("ledger.csv", &ledger, &np, date(DD)).unwrap().progress;
    let q = Quantities::new(&project, &np);
    let b = bulletin(&np, &q, &progress, date(DD), &[]);
    (project, np, ledger, b)
}

/// One ledger row: (id, planned start, planned finish, fraction done).
fn rows(ledger: &str) -> Vec<(String, NaiveDate, NaiveDate, f64)> {
    let recs = records(ledger).unwrap();
    recs[1..]
        .iter()
        .map(|r| {
            let f = &r.fields;
            let done = if !f[4].is_empty() {
                1.0
            } else if !f[3].is_empty() {
                f[5].parse::<f64>().unwrap() / 100.0
            } else {
                0.0
            };
            (f[0].clone(), date(&f[1]), date(&f[2]), done)
        })
        .collect()
}

#[test]
fn km_laid_per_district_match_the_ledger() {
    let (project, _np, ledger, b) = setup();
    let dd = date(DD);
    let rows = rows(&ledger);
    for d in &b.districts {
        let (mut planned, mut actual, mut total) = (0.0, 0.0, 0.0);
        for seg in &project.programme.segments {
            if project.programme[seg.district].id != d.id {
                continue;
            }
            let km = seg.length_m / 1000.0;
            let (_, ps, pf, done) = rows
                .iter()
                .find(|r| r.0 == format!("{}/lay", seg.id))
                .unwrap();
            // Planned: calendar days elapsed over the planned calendar days.
            let elapsed = (dd - *ps).num_days() as f64;
            let length = ((*pf - *ps).num_days() + 1) as f64;
            planned += km * (elapsed / length).clamp(0.0, 1.0);
            actual += km * done;
            total += km;
        }
        let i = Measure::Laid.index();
        assert!((d.total[i] - total).abs() < 1e-9, "{}", d.id);
        assert!(
            (d.planned[i] - planned).abs() < 1e-9,
            "{}: {} vs {planned}",
            d.id,
            d.planned[i]
        );
        assert!(
            (d.actual[i] - actual).abs() < 1e-9,
            "{}: {} vs {actual}",
            d.id,
            d.actual[i]
        );
    }
    // The slip makes district north (contractor A) behind its plan.
    let north = b.districts.iter().find(|d| d.id == "north").unwrap();
    assert!(north.earned.ev < north.earned.pv, "{:?}", north.earned);
    assert!(north.earned.sv_t < 0.0);
}

#[test]
fn earned_schedule_is_where_the_planned_value_reaches_the_earned_value() {
    let (project, np, ledger, b) = setup();
    let dd = np.day_of(date(DD)) as f64;
    let rows = rows(&ledger);
    let work: Vec<f64> = rows
        .iter()
        .map(|r| {
            project
                .work
                .items
                .iter()
                .find(|it| it.id == r.0)
                .unwrap()
                .work
        })
        .collect();
    let pv = |t: f64| -> f64 {
        rows.iter()
            .zip(&work)
            .map(|(r, w)| {
                let s = np.day_of(r.1) as f64;
                let e = np.day_of(r.2) as f64 + 1.0;
                if e <= s + 0.5 && r.1 == r.2 && w == &0.0 {
                    0.0
                } else {
                    w * ((t - s) / (e - s)).clamp(0.0, 1.0)
                }
            })
            .sum()
    };
    let ev: f64 = rows.iter().zip(&work).map(|(r, w)| w * r.3).sum();
    // Bisection on the (monotone) planned value curve.
    let (mut lo, mut hi) = (0.0, 400.0);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if pv(mid) < ev {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let e = &b.programme_status.earned;
    assert!((e.ev - ev).abs() < 1e-6, "{} vs {ev}", e.ev);
    assert!((e.es - hi).abs() < 1e-6, "ES {} vs {hi}", e.es);
    assert!((e.sv_t - (hi - dd)).abs() < 1e-6);
    assert!(e.sv_t < 0.0, "a slip shows as behind");
}

#[test]
fn front_line_offsets_are_the_ledger_progress_against_the_plan() {
    let (_project, np, ledger, b) = setup();
    let dd = np.day_of(date(DD)) as f64;
    let rows = rows(&ledger);
    let recs = records(&ledger).unwrap();
    let mut checked = 0;
    for p in &b.front {
        let a = &np.plan.activities[p.activity];
        let (_, ps, pf, done) = rows.iter().find(|r| r.0 == a.id).unwrap();
        let s = np.day_of(*ps) as f64;
        let len = ((*pf - *ps).num_days() + 1) as f64;
        let expected = s + done * len - dd;
        assert!((p.offset_days - expected).abs() < 1e-9, "{}", a.id);
        checked += 1;
    }
    assert!(checked > 0);
    // Every activity running on the data date is on the front line.
    for r in &recs[1..] {
        if !r.fields[3].is_empty() && r.fields[4].is_empty() {
            let i = np.plan.index_by_id()[r.fields[0].as_str()];
            assert!(b.front.iter().any(|p| p.activity == i), "{}", r.fields[0]);
        }
    }
}

#[test]
fn ranks_and_statuses_follow_the_documented_thresholds() {
    let (_p, _np, _l, b) = setup();
    for units in [&b.districts, &b.contractors] {
        let mut ranks: Vec<usize> = units.iter().map(|u| u.rank).collect();
        ranks.sort_unstable();
        assert_eq!(ranks, (1..=units.len()).collect::<Vec<_>>());
        for u in units.iter() {
            for v in units.iter() {
                if u.rank < v.rank {
                    assert!(u.earned.sv_t >= v.earned.sv_t);
                }
            }
            let threatened = !u.threats.is_empty();
            assert_eq!(u.rag, Rag::of(u.earned.sv_t, u.earned.spi_t, threatened));
        }
    }
    assert_eq!(Rag::of(-10.0, Some(1.0), false), Rag::Red);
    assert_eq!(Rag::of(-4.0, Some(0.96), false), Rag::Amber);
    assert_eq!(Rag::of(-1.0, Some(0.96), false), Rag::Green);
    assert_eq!(Rag::of(0.0, Some(0.9), false), Rag::Amber);
    assert_eq!(Rag::of(0.0, Some(1.0), true), Rag::Red);
}

#[test]
fn on_plan_progress_is_green_with_no_slip() {
    let project = fixture::project("2022-06-30", 1);
    let np = fixture::network(&project, &fixture::levelled(&project));
    let ledger = simulate_slip(&np, date(DD), "A", 0);
    let progress = read("ledger.csv", &ledger, &np, date(DD)).unwrap().progress;
    let q = Quantities::new(&project, &np);
    let b = bulletin(&np, &q, &progress, date(DD), &[]);
    // simulate_slip rounds percent complete down: at most a day behind.
    assert!(
        b.programme_status.earned.sv_t > -1.0,
        "{:?}",
        b.programme_status.earned
    );
    assert!(b.threats.is_empty(), "{:?}", b.threats);
    // A trend against an earlier, more-behind bulletin improves.
    let earlier_ledger = simulate_slip(&np, date(DD), "A", 6);
    let earlier = Earlier {
        data_date: date(DD),
        progress: read("old.csv", &earlier_ledger, &np, date(DD))
            .unwrap()
            .progress,
    };
    let b2 = bulletin(&np, &q, &progress, date(DD), &[earlier]);
    let north = b2.districts.iter().find(|d| d.id == "north").unwrap();
    assert_eq!(north.trend.len(), 1);
    assert!(north.trend[0].1 < north.earned.sv_t);
}

#[test]
fn named_responsibility_reaches_plan_json_lists_and_bulletin() {
    let text = fixture::scenario("2022-06-30", 1)
        .replacen(
            "max_open_trenches = 2",
            "max_open_trenches = 2\nresponsible = \"王建国\"\ncontact = \"138-0000-0001\"",
            1,
        )
        .replacen(
            "households = 800",
            "households = 800\nresponsible = \"李娜\"",
            1,
        );
    let source = crate::scenario::Source {
        file: "named.toml".into(),
        text: text.clone(),
    };
    let project = Project::load(&source).unwrap_or_else(|d| panic!("{d}"));
    let np = fixture::network(&project, &fixture::levelled(&project));
    assert_eq!(np.responsible.len(), 2);
    let json = crate::report::plan_json(&np);
    assert!(json.contains("王建国") && json.contains("138-0000-0001") && json.contains("李娜"));
    let back = crate::report::read_plan_json(&json).unwrap();
    assert_eq!(back.responsible, np.responsible);
    // Responsibility lists: the station's own person, else the district's.
    let lists = crate::report::csv::responsibility_lists(
        &np,
        crate::report::csv::Responsible::District,
        crate::report::Lang::Zh,
    );
    let north = &lists
        .iter()
        .find(|(n, _)| n == "responsibility-district-north.csv")
        .unwrap()
        .1;
    assert!(north.lines().next().unwrap().ends_with("责任人,联系方式"));
    for line in north.lines().skip(1) {
        if line.contains(",S1/") {
            assert!(line.ends_with(",李娜,"), "{line}");
        } else {
            assert!(line.ends_with(",王建国,138-0000-0001"), "{line}");
        }
    }
    let ledger = simulate_slip(&np, date(DD), "A", 2);
    let progress = read("l.csv", &ledger, &np, date(DD)).unwrap().progress;
    let b = bulletin(
        &np,
        &Quantities::new(&project, &np),
        &progress,
        date(DD),
        &[],
    );
    let d = b.districts.iter().find(|d| d.id == "north").unwrap();
    assert_eq!(d.responsible, "王建国 138-0000-0001");
    // A blank name is refused with its line.
    let bad = crate::scenario::Source {
        file: "bad.toml".into(),
        text: text.replacen("\"李娜\"", "\"  \"", 1),
    };
    let err = Project::load(&bad).unwrap_err().to_string();
    assert!(
        err.contains("bad.toml:") && err.contains("must not be blank"),
        "{err}"
    );
}
