//! Property tests: random valid programmes, checked by the referees.
//!
//! Two generators, both built from proptest strategies so that a failure
//! shrinks to a small counter-example:
//!
//! * random **scenarios** (TOML text): a random pipe tree from one heat
//!   source, stations on its nodes, districts with allowed contractors,
//!   contractors with crews and productivities, a calendar with rest days,
//!   holidays, make-up days, bans, stop-work days and a rainy season, extra
//!   tasks with links and a milestone. Each must pass `Project::load`; the
//!   heuristic's plan must then satisfy the referee (`check::violations`) and
//!   the independent plan.csv checker of `common/`;
//! * random **abstract problems**: elements made of chains of activities
//!   (finish-to-start or start-to-start with lags), open-trench spans over
//!   whole elements, one or two modes per activity on shared crews, fixed or
//!   calendar-table timings, releases and weighted due groups. The horizon is
//!   long enough for doing everything one element after another, so every
//!   generated problem is feasible.
//!
//! Checked: every schedule produced (heuristic, and the whole portfolio
//! limited by work rather than time) is feasible; neither
//! `bound::lower_bound` nor the optimiser's reported bound exceeds the plan's
//! objective; the same input and seed give the same plan when the run is
//! limited by iterations rather than time.

#![cfg(feature = "solver")]

mod common;

use heatplan::model::calendar::end_table;
use heatplan::plan::Quality;
use heatplan::report::csv::plan_csv;
use heatplan::scenario::Source;
use heatplan::schedule::bound::lower_bound;
use heatplan::schedule::budget::Budget;
use heatplan::schedule::check::violations;
use heatplan::schedule::heuristic::heuristic;
use heatplan::schedule::portfolio::Portfolio;
use heatplan::schedule::{
    Activity, Baseline, DueGroup, Link, LinkKind, Mode, Objective, Problem, Resource, Schedule,
    Span, Timing,
};
use heatplan::Project;
use proptest::prelude::*;
use std::fmt::Write;
use std::time::Duration;

/// A heuristic budget limited by candidates only, so runs are reproducible.
fn by_iterations(seed: u64, iterations: usize) -> Budget {
    Budget::new(Duration::from_secs(3600))
        .with_seed(seed)
        .with_max_candidates(Some(iterations))
}

/// A whole-portfolio budget limited by work in every phase (heuristic
/// candidates, search nodes per branch and bound or HiGHS solve, LNS
/// sub-models) on one thread, so a run ends the same way however loaded the
/// machine is; the hour is never reached. HiGHS's root, which its node limit
/// does not cover, is bounded by the size of the model: a work-limited run
/// solves no model above `milp::WORK_LIMITED_START_COLUMNS` start columns
/// (larger ones go to the large-neighbourhood search's sub-models), so the
/// properties that run HiGHS draw new random cases on every run like the
/// others.
fn by_work(seed: u64) -> Budget {
    Budget::new(Duration::from_secs(3600))
        .with_threads(1)
        .with_seed(seed)
        .with_max_candidates(Some(200))
        .with_max_nodes(Some(20))
        .with_max_lns_rounds(Some(2))
}

// ---------------------------------------------------------------------------
// Random scenarios

/// A pipe segment: parent node index (< own index), length, DN, district,
/// open-cut or not, near a school or not.
type SegmentSpec = (usize, f64, u32, usize, bool, bool);

#[derive(Debug, Clone)]
struct ScenarioSpec {
    window_days: i64,
    deadline_days: i64,
    rest_sunday: bool,
    rest_saturday: bool,
    holiday: Option<(i64, i64)>,
    makeup: bool,
    ban: Option<(i64, i64)>,
    stop_work: Option<(i64, i64)>,
    rain: Option<(i64, i64, f64)>,
    segments: Vec<SegmentSpec>,
    /// Node (1-based index into the segment ends), households, area, district.
    stations: Vec<(usize, u64, f64, usize)>,
    /// Per district: bitmask of allowed contractors (non-empty), trench limit.
    districts: Vec<(u8, u32)>,
    /// Per contractor: crews of each of the five types, earthworks productivity.
    contractors: Vec<([u32; 5], f64)>,
    /// Extra tasks: days, district, needs an earthworks crew, calendar days,
    /// not-before offset, successor segment.
    tasks: Vec<(f64, usize, bool, bool, Option<i64>, usize)>,
    /// Start-to-start links between segment trenches (from < to) with a lag.
    ss_links: Vec<(usize, usize, i32)>,
    milestone: Option<(usize, i64)>,
}

const CREWS: [&str; 5] = [
    "earthworks",
    "pipe",
    "testing",
    "station_civil",
    "station_mep",
];

fn period() -> impl Strategy<Value = (i64, i64)> {
    (0i64..150, 0i64..6)
}

fn scenario_spec() -> impl Strategy<Value = ScenarioSpec> {
    let n_districts = 1usize..=3;
    let n_contractors = 1usize..=3;
    (n_districts, n_contractors, 1usize..=7)
        .prop_flat_map(|(nd, nc, ns)| {
            let segments = (0..ns)
                .map(|i| {
                    (
                        0..=i,
                        50.0f64..600.0,
                        prop::sample::select(vec![150u32, 200, 300, 400, 500]),
                        0..nd,
                        prop::bool::weighted(0.8),
                        prop::bool::weighted(0.2),
                    )
                })
                .collect::<Vec<_>>();
            let stations =
                prop::collection::vec((1..=ns, 1u64..2000, 5_000.0f64..150_000.0, 0..nd), 1..=3);
            let districts = prop::collection::vec((1u8..(1 << nc), 1u32..=3), nd);
            let contractors =
                prop::collection::vec((prop::array::uniform5(1u32..=2), 0.7f64..1.3), nc);
            let tasks = prop::collection::vec(
                (
                    0.5f64..10.0,
                    0..nd,
                    any::<bool>(),
                    any::<bool>(),
                    prop::option::of(0i64..30),
                    0..ns,
                ),
                0..=2,
            );
            let ss_links = prop::collection::vec((0..ns, 0..ns, 0i32..5), 0..=2);
            (
                (
                    60i64..240,
                    30i64..240,
                    any::<bool>(),
                    any::<bool>(),
                    prop::option::of(period()),
                    any::<bool>(),
                    prop::option::of(period()),
                    prop::option::of(period()),
                    prop::option::of((0i64..150, 5i64..60, 0.5f64..1.0)),
                ),
                segments,
                stations,
                districts,
                contractors,
                tasks,
                ss_links,
                prop::option::of((0..nd, 30i64..200)),
            )
        })
        .prop_map(
            |(
                (window, deadline, sun, sat, holiday, makeup, ban, stop_work, rain),
                segments,
                stations,
                districts,
                contractors,
                tasks,
                ss_links,
                milestone,
            )| ScenarioSpec {
                window_days: window,
                deadline_days: deadline.min(window),
                rest_sunday: sun,
                rest_saturday: sat,
                holiday,
                makeup,
                ban,
                stop_work,
                rain,
                segments,
                stations,
                districts,
                contractors,
                tasks,
                ss_links,
                milestone,
            },
        )
}

fn date(offset: i64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2022, 4, 1).unwrap() + chrono::Duration::days(offset)
}

/// The scenario as TOML text.
fn scenario_text(sp: &ScenarioSpec) -> String {
    let mut t = String::new();
    let w = &mut t;
    writeln!(w, "[programme]\nname = \"random\"").unwrap();
    writeln!(w, "window_start = {}", date(0)).unwrap();
    writeln!(w, "window_end = {}", date(sp.window_days - 1)).unwrap();
    writeln!(w, "deadline = {}", date(sp.deadline_days - 1)).unwrap();
    writeln!(w, "overrun_days = 366\n\n[calendar]").unwrap();
    let mut rest = Vec::new();
    if sp.rest_sunday {
        rest.push("\"Sun\"");
    }
    if sp.rest_saturday {
        rest.push("\"Sat\"");
    }
    writeln!(w, "rest_weekdays = [{}]", rest.join(", ")).unwrap();
    if let Some((from, len)) = sp.holiday {
        writeln!(
            w,
            "holidays = [{{ name = \"holiday\", from = {}, to = {} }}]",
            date(from),
            date(from + len)
        )
        .unwrap();
    }
    if sp.makeup {
        // 2022-04-24 is a Sunday.
        writeln!(w, "makeup_days = [2022-04-24]").unwrap();
    }
    // A ban on a tag no work carries is rejected by validation.
    let school = sp.segments.iter().any(|s| s.5);
    if let Some((from, len)) = sp.ban.filter(|_| school) {
        writeln!(
            w,
            "bans = [{{ name = \"gaokao\", from = {}, to = {}, tags = [\"near_school\"] }}]",
            date(from),
            date(from + len)
        )
        .unwrap();
    }
    if let Some((from, len)) = sp.stop_work {
        writeln!(
            w,
            "stop_work = [{{ name = \"alert\", from = {}, to = {}, tags = [\"earthworks\"] }}]",
            date(from),
            date(from + len)
        )
        .unwrap();
    }
    if let Some((from, len, f)) = sp.rain {
        writeln!(
            w,
            "productivity = [{{ name = \"rain\", from = {}, to = {}, factor = {f:.3}, tags = [\"outdoor\"] }}]",
            date(from),
            date(from + len)
        )
        .unwrap();
    }
    writeln!(
        w,
        "\n[[sources]]\nid = \"plant\"\nname = \"plant\"\nnode = \"N0\""
    )
    .unwrap();
    for i in 0..=sp.segments.len() {
        writeln!(w, "[[nodes]]\nid = \"N{i}\"\nx_km = {i}.0\ny_km = 0.0").unwrap();
    }
    for (i, (parent, len, dn, d, open_cut, school)) in sp.segments.iter().enumerate() {
        writeln!(
            w,
            "[[segments]]\nid = \"S{i}\"\nfrom = \"N{parent}\"\nto = \"N{}\"\nlength_m = {len:.1}\ndn = {dn}\ndistrict = \"D{d}\"",
            i + 1
        )
        .unwrap();
        if !open_cut {
            writeln!(w, "method = \"trenchless\"").unwrap();
        }
        if *school {
            writeln!(w, "tags = [\"near_school\"]").unwrap();
        }
    }
    let mut used_nodes = std::collections::BTreeSet::new();
    for (k, (node, hh, area, d)) in sp.stations.iter().enumerate() {
        if !used_nodes.insert(*node) {
            continue;
        }
        writeln!(
            w,
            "[[stations]]\nid = \"ST{k}\"\nname = \"station {k}\"\nnode = \"N{node}\"\nheated_area_m2 = {area:.0}\nhouseholds = {hh}\ndistrict = \"D{d}\""
        )
        .unwrap();
    }
    w.push_str(
        r#"
[[templates.segment]]
key = "trench"
name = "trench"
crew = "earthworks"
tags = ["earthworks", "outdoor"]
rates = [{ dn_max = 300, metres_per_day = 100.0 }, { dn_max = 600, metres_per_day = 80.0 }]

[[templates.segment]]
key = "lay"
name = "lay"
crew = "pipe"
tags = ["outdoor"]
rates = [{ dn_max = 600, metres_per_day = 70.0 }]

[[templates.segment]]
key = "test"
name = "test"
crew = "testing"
rates = [{ dn_max = 600, metres_per_day = 300.0 }]
supply_ready = true

[[templates.segment]]
key = "backfill"
name = "backfill"
crew = "earthworks"
tags = ["earthworks", "outdoor"]
rates = [{ dn_max = 600, metres_per_day = 120.0 }]

[[templates.station]]
key = "civil"
name = "civil"
crew = "station_civil"
tags = ["outdoor"]
days = 5.0
days_per_10k_m2 = 0.5

[[templates.station]]
key = "equip"
name = "equip"
crew = "station_mep"
days = 4.0
link = "ss"
lag_days = 3

[[templates.station]]
key = "commission"
name = "commission"
crew = "station_mep"
days = 2.0
"#,
    );
    for (i, (mask, trenches)) in sp.districts.iter().enumerate() {
        let allowed: Vec<String> = (0..sp.contractors.len())
            .filter(|c| mask & (1 << c) != 0)
            .map(|c| format!("\"C{c}\""))
            .collect();
        let allowed = if allowed.is_empty() {
            vec!["\"C0\"".to_string()]
        } else {
            allowed
        };
        writeln!(
            w,
            "[[districts]]\nid = \"D{i}\"\nname = \"district {i}\"\ncontractors = [{}]\nmax_open_trenches = {trenches}",
            allowed.join(", ")
        )
        .unwrap();
    }
    for (i, (crews, prod)) in sp.contractors.iter().enumerate() {
        let crews: Vec<String> = CREWS
            .iter()
            .zip(crews)
            .map(|(c, n)| format!("{c} = {n}"))
            .collect();
        writeln!(
            w,
            "[[contractors]]\nid = \"C{i}\"\nname = \"contractor {i}\"\ncrews = {{ {} }}\nproductivity = {{ earthworks = {prod:.3} }}",
            crews.join(", ")
        )
        .unwrap();
    }
    for (i, (days, d, crew, cal, not_before, seg)) in sp.tasks.iter().enumerate() {
        writeln!(
            w,
            "[[tasks]]\nid = \"T{i}\"\nname = \"task {i}\"\ndays = {days:.2}\ndistrict = \"D{d}\"\ncalendar_days = {cal}"
        )
        .unwrap();
        if *crew {
            writeln!(w, "crew = \"earthworks\"\ntags = [\"outdoor\"]").unwrap();
        }
        if let Some(nb) = not_before {
            writeln!(w, "not_before = {}", date(*nb)).unwrap();
        }
        writeln!(w, "[[links]]\nfrom = \"T{i}\"\nto = \"S{seg}\"").unwrap();
    }
    for (a, b, lag) in &sp.ss_links {
        let (a, b) = (a.min(b), a.max(b));
        if a == b {
            continue;
        }
        writeln!(
            w,
            "[[links]]\nfrom = \"S{a}/trench\"\nto = \"S{b}\"\nkind = \"ss\"\nlag_days = {lag}"
        )
        .unwrap();
    }
    if let Some((d, due)) = sp.milestone {
        if sp.segments.iter().any(|s| s.3 == d) || sp.stations.iter().any(|s| s.3 == d) {
            writeln!(
                w,
                "[[milestones]]\nid = \"M\"\nname = \"district done\"\nafter = [\"D{d}\"]\ndue = {}",
                date(due)
            )
            .unwrap();
        }
    }
    t
}

fn load(text: &str) -> Result<Project, String> {
    Project::load(&Source {
        file: "random.toml".into(),
        text: text.to_string(),
    })
    .map_err(|d| d.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// A random valid scenario loads, the heuristic finds a plan, and both
    /// referees accept it; its bound is below its objective; same seed, same plan.
    #[test]
    fn random_scenarios_get_feasible_reproducible_plans(sp in scenario_spec(), seed in 0u64..1000) {
        let text = scenario_text(&sp);
        let project = load(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let p = &project.model.problem;
        let opts = by_iterations(seed, 150);
        let sched = heuristic(p, &opts, None).ok_or_else(|| TestCaseError::fail(format!("no plan\n{text}")))?;
        let v = violations(p, &sched);
        prop_assert!(v.is_empty(), "{:?}\n{}", v, text);
        let score = p.score(&sched);
        let bound = lower_bound(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(bound <= score.value, "bound {} > objective {}", bound, score.value);
        let quality = Quality {
            status: "feasible".into(),
            objective: score.value,
            bound,
            gap: 0.0,
            seconds: 0.0,
            stop_reason: String::new(),
        };
        let csv = plan_csv(&project.network_plan(&sched, quality));
        let errs = common::check_plan(&text, &csv);
        prop_assert!(errs.is_empty(), "{:?}\n{}", errs, text);
        let again = heuristic(p, &opts, None);
        prop_assert_eq!(Some(sched), again);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The optimiser with HiGHS, limited by work, on a random scenario: a
    /// plan both referees accept, with a true bound.
    #[test]
    fn random_scenarios_optimised_plans_are_feasible(sp in scenario_spec(), seed in 0u64..1000) {
        let text = scenario_text(&sp);
        let project = load(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        let p = &project.model.problem;
        // Work limits end the run; the 20 s only guards against a root LP that
        // HiGHS's node limit does not cover (it never decides the verdict: the
        // heuristic's first plan does not depend on time).
        let budget = by_work(seed).restarted().at_most(Duration::from_secs(20));
        let r = Portfolio::default().run(p, &budget, &mut |_| {});
        let sched = r.schedule.ok_or_else(|| TestCaseError::fail(format!("no plan: {}\n{text}", r.status)))?;
        let v = violations(p, &sched);
        prop_assert!(v.is_empty(), "{:?}\n{}", v, text);
        let score = p.score(&sched);
        prop_assert!(r.bound <= score.value, "reported bound {} > objective {}", r.bound, score.value);
        prop_assert!(lower_bound(p).unwrap() <= score.value);
        let quality = Quality {
            status: r.status.to_string(),
            objective: score.value,
            bound: r.bound,
            gap: 0.0,
            seconds: 0.0,
            stop_reason: r.stop.to_string(),
        };
        let csv = plan_csv(&project.network_plan(&sched, quality));
        let errs = common::check_plan(&text, &csv);
        prop_assert!(errs.is_empty(), "{:?}\n{}", errs, text);
    }
}

// ---------------------------------------------------------------------------
// Random abstract problems

/// One activity: work (0 = milestone), fixed or calendar timing, a second
/// mode, its crew, crew amount, release, link kind to the previous step, lag.
type ActSpec = (u8, bool, bool, usize, u32, u32, bool, i32);

#[derive(Debug, Clone)]
struct ProblemSpec {
    crews: Vec<u32>,
    /// Elements: their activities, and whether a trench is open across them.
    elements: Vec<(Vec<ActSpec>, bool)>,
    trench_capacity: u32,
    /// Links between elements: (from element, its activity, to element
    /// (later), its activity, start-to-start, lag).
    links: Vec<(usize, usize, usize, usize, bool, i32)>,
    /// Weekly working-day mask (bit 0 always set) and a slow period.
    week: u8,
    slow: (u32, u32, f64),
    /// Due groups: member (element, activity), weight, due day.
    groups: Vec<(usize, usize, u64, u32)>,
    objective: (u64, u64, u64),
    /// A re-planning baseline: (seed of the baseline starts and modes,
    /// weight per day of shift, weight per mode change).
    baseline: Option<(u64, u64, u64)>,
}

fn problem_spec() -> impl Strategy<Value = ProblemSpec> {
    (1usize..=3).prop_flat_map(|nr| {
        let act = (
            0u8..=4,
            any::<bool>(),
            prop::bool::weighted(0.3),
            0..nr,
            1u32..=3,
            0u32..8,
            any::<bool>(),
            -2i32..4,
        );
        (
            prop::collection::vec(1u32..=3, nr),
            prop::collection::vec((prop::collection::vec(act, 1..=3), any::<bool>()), 1..=4),
            1u32..=2,
            prop::collection::vec(
                (
                    0usize..4,
                    0usize..3,
                    0usize..4,
                    0usize..3,
                    any::<bool>(),
                    -1i32..4,
                ),
                0..=3,
            ),
            any::<u8>(),
            (0u32..40, 0u32..30, 0.5f64..1.0),
            prop::collection::vec((0usize..4, 0usize..3, 1u64..100, 0u32..40), 0..=3),
            (0u64..20, 1u64..200, 0u64..3),
            prop::option::weighted(0.3, (any::<u64>(), 0u64..50, 0u64..200)),
        )
            .prop_map(
                |(
                    crews,
                    elements,
                    trench_capacity,
                    links,
                    week,
                    slow,
                    groups,
                    objective,
                    baseline,
                )| {
                    ProblemSpec {
                        crews,
                        elements,
                        trench_capacity,
                        links,
                        week,
                        slow,
                        groups,
                        objective,
                        baseline,
                    }
                },
            )
    })
}

/// Builds a feasible problem: its horizon fits every element done one
/// after another in order, each activity at its slowest.
fn build_problem(sp: &ProblemSpec) -> Problem {
    let mut resources: Vec<Resource> = sp
        .crews
        .iter()
        .enumerate()
        .map(|(i, &c)| Resource {
            name: format!("crew{i}"),
            capacity: c,
        })
        .collect();
    let trench = resources.len();
    resources.push(Resource {
        name: "trenches".into(),
        capacity: sp.trench_capacity,
    });
    // Slowest case per unit of work: a working day a week at the slow factor.
    let per_work_day = (7.0 / sp.slow.2).ceil() as u32 + 7;
    let mut horizon = 10u32;
    for (acts, _) in &sp.elements {
        for a in acts {
            horizon += (a.0 as u32 + 1) * per_work_day + a.5 + a.7.unsigned_abs() + 7;
        }
    }
    for l in &sp.links {
        horizon += l.5.unsigned_abs();
    }
    let week = sp.week | 1;
    let profile: Vec<f64> = (0..horizon)
        .map(|d| {
            if week & (1 << (d % 7)) == 0 {
                0.0
            } else if (sp.slow.0..sp.slow.0 + sp.slow.1).contains(&d) {
                sp.slow.2
            } else {
                1.0
            }
        })
        .collect();
    let mut activities = Vec::new();
    let mut links = Vec::new();
    let mut spans = Vec::new();
    let mut index: Vec<Vec<usize>> = Vec::new();
    for (e, (acts, open_cut)) in sp.elements.iter().enumerate() {
        let mut ids = Vec::new();
        for (k, &(work, calendar, two, crew, amount, release, ss, lag)) in acts.iter().enumerate() {
            let amount = amount.min(sp.crews[crew]);
            let timing = |w: f64| {
                if calendar {
                    end_table(&profile, w)
                } else {
                    Timing::Fixed(w.ceil() as u32)
                }
            };
            let mut modes = vec![Mode {
                label: "a".into(),
                demands: if work == 0 {
                    vec![]
                } else {
                    vec![(crew, amount)]
                },
                timing: timing(work as f64),
                cost_per_day: 1,
            }];
            if two && work > 0 {
                let other = (crew + 1) % sp.crews.len();
                modes.push(Mode {
                    label: "b".into(),
                    demands: vec![(other, 1)],
                    timing: timing(work as f64 * 1.5),
                    cost_per_day: 2,
                });
            }
            let id = activities.len();
            activities.push(Activity {
                name: format!("E{e}/{k}"),
                modes,
                release,
            });
            if let Some(&prev) = ids.last() {
                links.push(Link {
                    from: prev,
                    to: id,
                    kind: if ss {
                        LinkKind::StartToStart
                    } else {
                        LinkKind::FinishToStart
                    },
                    lag: if ss { lag.max(0) } else { lag },
                });
            }
            ids.push(id);
        }
        if *open_cut && ids.len() > 1 {
            spans.push(Span {
                first: ids[0],
                last: *ids.last().unwrap(),
                resource: trench,
                amount: 1,
            });
        }
        index.push(ids);
    }
    let ne = index.len();
    let pick = |e: usize, a: usize| {
        let ids = &index[e % ne];
        ids[a % ids.len()]
    };
    for &(fe, fa, te, ta, ss, lag) in &sp.links {
        let (fe, te) = (fe % ne, te % ne);
        if fe >= te {
            continue;
        }
        links.push(Link {
            from: pick(fe, fa),
            to: pick(te, ta),
            kind: if ss {
                LinkKind::StartToStart
            } else {
                LinkKind::FinishToStart
            },
            lag,
        });
    }
    let groups = sp
        .groups
        .iter()
        .enumerate()
        .map(|(g, &(e, a, weight, due))| DueGroup {
            name: format!("G{g}"),
            weight,
            due,
            members: vec![pick(e, a)],
            level: Default::default(),
        })
        .collect();
    let mut p = Problem {
        name: "random".into(),
        horizon,
        resources,
        activities,
        links,
        spans,
        groups,
        objective: Objective {
            lateness: sp.objective.0,
            finish: sp.objective.1,
            cost: sp.objective.2,
            node: 0,
        },
        baseline: None,
    };
    if let Some((seed, shift_weight, change_weight)) = sp.baseline {
        // Baseline starts and modes spread over the horizon from the seed; a
        // third of the activities have none.
        let pick = |a: usize, salt: u64| {
            seed.wrapping_mul(6364136223846793005)
                .wrapping_add((a as u64 + 1).wrapping_mul(1442695040888963407) ^ salt)
                >> 33
        };
        let n = p.activities.len();
        p.baseline = Some(Baseline {
            starts: (0..n)
                .map(|a| (pick(a, 1) % 3 != 0).then(|| (pick(a, 2) % p.horizon as u64) as u32))
                .collect(),
            modes: (0..n)
                .map(|a| {
                    let modes = p.activities[a].modes.len() as u64;
                    (pick(a, 3) % 3 != 0).then(|| (pick(a, 4) % modes) as usize)
                })
                .collect(),
            shift_weight,
            change_weight,
        });
    }
    p
}

fn check_schedule(p: &Problem, s: &Schedule) -> Result<u64, TestCaseError> {
    let v = violations(p, s);
    prop_assert!(v.is_empty(), "{:?}", v);
    let value = p.score(s).value;
    let bound = lower_bound(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        bound <= value,
        "lower bound {} > objective {}",
        bound,
        value
    );
    Ok(value)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// The heuristic always finds a feasible schedule of a feasible problem,
    /// never better than the lower bound, and the same one for the same seed.
    #[test]
    fn heuristic_schedules_are_feasible_and_reproducible(sp in problem_spec(), seed in 0u64..1000) {
        let p = build_problem(&sp);
        let opts = by_iterations(seed, 200);
        let s = heuristic(&p, &opts, None).ok_or_else(|| TestCaseError::fail("no schedule"))?;
        check_schedule(&p, &s)?;
        prop_assert_eq!(Some(s), heuristic(&p, &opts, None));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The optimiser (heuristic, then HiGHS, limited by work) returns a
    /// feasible schedule whose reported bound is a true bound.
    #[test]
    fn optimised_schedules_are_feasible_with_valid_bounds(sp in problem_spec(), seed in 0u64..1000) {
        let p = build_problem(&sp);
        let budget = by_work(seed);
        let r = Portfolio::default().run(&p, &budget, &mut |_| {});
        let s = r.schedule.ok_or_else(|| TestCaseError::fail(format!("no schedule: {}", r.status)))?;
        let value = check_schedule(&p, &s)?;
        prop_assert!(r.bound <= value, "reported bound {} > objective {}", r.bound, value);
        prop_assert_eq!(r.score.map(|x| x.value), Some(value));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3, ..ProptestConfig::default() })]

    /// Limited by work in every phase, the whole portfolio (heuristic, branch
    /// and bound, HiGHS, LNS) is reproducible: the same problem and seed give
    /// the same plan, bound and stop reason.
    #[test]
    fn work_limited_portfolio_runs_are_reproducible(sp in problem_spec(), seed in 0u64..1000) {
        let p = build_problem(&sp);
        let first = Portfolio::default().run(&p, &by_work(seed), &mut |_| {});
        let again = Portfolio::default().run(&p, &by_work(seed), &mut |_| {});
        prop_assert_eq!(&first.schedule, &again.schedule);
        prop_assert_eq!(first.bound, again.bound);
        prop_assert_eq!(&first.stop, &again.stop);
    }
}
