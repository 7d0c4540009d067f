//! Probes how high a time-indexed LP relaxation lifts the finish bound
//! (issue #22: a finish-level bound above day 150 on the city).
//!
//! `cargo run --release --example lp_finish_probe -- SCENARIO WHAT HIGH [BUCKET]`
//!
//! SCENARIO may also be a PSPLIB instance (`.sm`, WHAT `all`), to check
//! the bound against a published optimum.
//!
//! WHAT is `chains` (the product's choice,
//! `heatplan::schedule::bound::lp::station_chains`) or a relaxation as in
//! `relax_probe` (`all`, `keep:civil,mep`, `only:station,testing`, joined
//! by `+`); HIGH a finish known to be reachable (the bisection's upper
//! end); BUCKET the days per resource row (1 = one row per resource and
//! day). The environment variable `LP_LOW` sets the bisection's lower end
//! (default: the relaxation's own bound; from a higher start the result is
//! only the first finish not refuted above it, and a bound only if every
//! finish below is refuted). The test itself is the library's
//! (`heatplan::schedule::bound::lp`, interior point without crossover on
//! one thread); the measurements below were taken with the same model
//! when it still lived here, with HiGHS's `solver` option chosen per run.
//!
//! **The test.** A candidate finish `T` is refuted when the linear
//! relaxation of the time-indexed model with every end at or before `T`
//! has no solution. Columns `x[a,m,s] ∈ [0,1]`: activity `a` in mode `m`
//! starts on day `s`, for the starts in `a`'s window computed with `T` as
//! the horizon whose end (from the mode's timing table, so calendars and
//! the rainy season count) is inside the window. Rows:
//! - each activity starts once: `Σ x[a,·,·] = 1`;
//! - cumulative columns `S[a,t]` ("started by `t`") and `E[a,t]` ("ended
//!   by `t`") defined by `S[a,t] − S[a,t−1] = Σ_{s = t} x[a,·,s]` and
//!   likewise for ends, only over the days where they are not 0 or 1;
//! - every link in the strong (started-by) form: for a finish-to-start link
//!   `a → b` with lag `L`, `S[b,t] ≤ E[a,t−L]` for every day `t` (start-to-
//!   start: `S[b,t] ≤ S[a,t−L]`) — the disaggregated precedence of the
//!   integer program (module `milp`), written through the cumulative
//!   columns so each row has two entries;
//! - every resource and bucket of days `[b0, b1)`: the work of the starts
//!   overlapping it (units × days inside) plus every open trench's days
//!   `amount · Σ_d (S[first,d] − E[last,d])` at most `capacity · (b1 − b0)`
//!   (the sum of the day rows, so a coarser bucket only drops constraints).
//!
//! Every schedule finishing by `T` is a 0/1 solution, so an infeasible LP
//! refutes `T`; windows only widen as `T` grows, so the least `T` not
//! refuted is found by bisection between the relaxation's own bound and
//! HIGH.
//!
//! On a relaxation that keeps some activities, each kept activity keeps the
//! window the whole problem gives it with `T` as horizon (release at its
//! earliest start, deadline at its latest end): the dropped work's heads
//! and tails, which hold in every schedule of the whole problem.
//!
//! **What it showed** (bundled city, 2026-12-07, HiGHS interior point on
//! one thread, machine load about 6 on 2 cores; the existing finish bound
//! is day 144, the best plans finish on day 180):
//! - the station chain (`keep:civil,mep,commission`, 192 activities, with
//!   the whole city's heads and tails): one row per day refutes day 150
//!   (79,257 columns, 52,181 rows, 884,818 non-zeros, 82 s) and leaves day
//!   151 open (309 s): the LP bound of the chain is **day 151**. Rows of 3
//!   days give the same: day 150 refuted in 25 s (471,576 non-zeros, 16.5 s
//!   of CPU), the bisection from 144 proves day 151 in 139 s (97 s of CPU:
//!   refuted LPs take 19-25 s, open ones 47 s); rows of 7 days prove only
//!   day 148 (102 s). HiGHS's simplex and PDLP did not finish the day-150
//!   LP in 150 s. No schedule of the city finishes by day 150.
//! - adding the segments' pressure tests (`keep:test,civil,mep,commission`,
//!   347 activities, 155,910 columns, 3-day rows) leaves day 152 open (401 s):
//!   the testing crews shared with commissioning lift nothing past 152.
//! - parts of the chain alone refute nothing at day 150 (`keep:civil,mep`
//!   22 s, `keep:mep,commission` 8 s, `keep:civil` or `keep:mep` 2 s): the
//!   bound comes from the three crew types together.
//! - the whole city (832 activities, 153 trenches) is too large: at day 150
//!   401,487 columns, 331,544 rows, 2.9 million non-zeros per day rows (1.7
//!   million with 7-day rows); one LP had not finished after 16 minutes.
//!   Its LP is at least as strong as the station chain's (the chain's LP is
//!   a projection of it), so it too refutes day 150.
//!
//! - as a check, on the first 40 bundled PSPLIB j30 instances (one row per
//!   day, HIGH the published optimum) the LP bound is never above the
//!   optimum and lifts the existing bound on 5 of them (sum 2,110 → 2,116);
//!   on the tutorial it equals the existing bound, the optimum (day 107).
//!
//! - `chains`, the relaxation the product picks (the work that only feeds
//!   a station), is the same 192 activities. With the library's LP
//!   (3-day rows, interior point without crossover, "started by" and
//!   "ended by" columns only where a link reads them: 67,153 columns,
//!   421,947 non-zeros at day 150), machine load about 3: day 144 refuted
//!   in 13.2 s, 146 in 12.8 s, 150 in 16.9 s; day 151 open in 17.9 s (47 s
//!   with crossover), day 162 open in 9.5 s.
//!
//! So the LP proves more than 150 on the city; the product runs it beside
//! the large-neighbourhood search (`heatplan::schedule::lp_beside`), where
//! a 60 s run leaves it about 11 s, less than one LP takes.
#[path = "common/relax.rs"]
mod relax;

use heatplan::scenario::Source;
use heatplan::schedule::bound::lp::{self, Relaxation};
use heatplan::schedule::budget::Budget;
use heatplan::schedule::{bound, psplib, Day, Objective};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (file, what, high, bucket) = match args.as_slice() {
        [f, w, h] => (f, w, h, 1),
        [f, w, h, b] => (f, w, h, b.parse().expect("bucket days")),
        _ => panic!("usage: lp_finish_probe SCENARIO WHAT HIGH [BUCKET]"),
    };
    let high: Day = high.parse().expect("high finish day");
    let text = std::fs::read_to_string(file).expect("readable file");
    let (full, r) = if file.ends_with(".sm") {
        assert_eq!(what, "all", "a PSPLIB instance takes only `all`");
        let p = psplib::parse(file, &text).expect("valid PSPLIB instance");
        let keep = vec![true; p.activities.len()];
        (p.clone(), Relaxation::keeping(&p, &keep))
    } else {
        let project = heatplan::Project::load(&Source {
            file: file.clone(),
            text,
        })
        .expect("valid scenario");
        let p = project.model.problem.clone();
        let r = if what == "chains" {
            lp::station_chains(&p).expect("a programme with stations")
        } else {
            let relax::Relaxed {
                problem,
                origin,
                lex,
            } = relax::relax(&project, what);
            assert!(
                !lex,
                "`lex` is a search option: the LP's only objective is the finish"
            );
            let mut problem = problem;
            problem.groups.clear();
            Relaxation { problem, origin }
        };
        (p, r)
    };
    let mut q = r.problem.clone();
    // The finish alone (the default weights).
    q.objective = Objective::default();
    let started = Instant::now();
    let low = bound::lower_bound(&q).expect("windows") as Day;
    println!(
        "{what}: {} activities, {} links, {} trenches; its own bound (no heads) {low} ({:.1} s)",
        q.activities.len(),
        q.links.len(),
        q.spans.len(),
        started.elapsed().as_secs_f64()
    );
    // `LP_LOW` starts the bisection higher (to test one finish: HIGH − 1).
    let lo = std::env::var("LP_LOW").map_or(low, |v| v.parse().expect("LP_LOW day"));
    let budget = Budget::new(Duration::from_secs(24 * 3600)).with_threads(1);
    let started = Instant::now();
    let result = lp::finish_bound(&full, &r, (lo, high), bucket, &budget, &|lo, hi| {
        (lo + hi) / 2
    });
    for x in &result.tried {
        println!(
            "T={}: {} ({}) columns {} rows {} nonzeros {} in {:.1} s",
            x.finish,
            if x.refuted { "refuted" } else { "open" },
            x.why,
            x.columns,
            x.rows,
            x.nonzeros,
            x.seconds
        );
    }
    let total = started.elapsed().as_secs_f64();
    if result.finish > low && std::env::var_os("LP_LOW").is_some() {
        println!(
            "first finish not refuted from LP_LOW on: {} (its own bound {low}); LP time {total:.1} s",
            result.finish
        );
    } else {
        println!(
            "LP finish bound {} (its own bound {low}); LP time {total:.1} s",
            result.finish
        );
    }
}
