//! Prints the lower bound of a scenario's problem, or of a re-plan's, and the
//! time it takes.
//! `cargo run --release --example bound_report -- FILE` (a scenario), or
//! `cargo run --release --example bound_report -- PLAN.json LEDGER.csv DATA-DATE`
//! (the re-plan of that plan with that ledger, default stability weights, no
//! events: the problem from the data date on that the solver sees).
use heatplan::scenario::Source;
use heatplan::schedule::Problem;

fn replan_problem(plan: &str, ledger: &str, date: &str) -> Problem {
    let baseline =
        heatplan::report::read_plan_json(&std::fs::read_to_string(plan).expect("readable plan"))
            .expect("a plan.json");
    let embedded = baseline.scenario.clone().expect("an embedded scenario");
    let programme = heatplan::scenario::load(&Source {
        file: embedded.file.clone(),
        text: embedded.text.clone(),
    })
    .expect("valid scenario");
    let data_date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("a date");
    let text = std::fs::read_to_string(ledger).expect("readable ledger");
    let ledger =
        heatplan::replan::ledger::read(ledger, &text, &baseline, data_date).expect("valid ledger");
    let mut project = heatplan::Project::from_programme(programme);
    let states = heatplan::replan::build(
        &mut project,
        &baseline,
        &ledger.progress,
        &[],
        data_date,
        heatplan::replan::Stability::default(),
    )
    .expect("a re-plan problem");
    // The problem the solver sees: the work from the data date on.
    let day = heatplan::replan::data_day(&project, data_date).expect("a data date in the window");
    heatplan::replan::future::Future::new(&project.model.problem, &states, day).problem
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let p = match args.as_slice() {
        [file] => {
            let text = std::fs::read_to_string(file).expect("readable");
            heatplan::Project::load(&Source {
                file: file.clone(),
                text,
            })
            .expect("valid")
            .model
            .problem
        }
        [plan, ledger, date] => replan_problem(plan, ledger, date),
        _ => panic!("usage: bound_report SCENARIO | PLAN.json LEDGER.csv DATA-DATE"),
    };
    let w = heatplan::schedule::window::Windows::compute(&p).expect("windows");
    let t = std::time::Instant::now();
    let lb = heatplan::schedule::bound::lower_bound(&p);
    println!(
        "activities {} horizon {} critical path {} cost in horizon windows {} bound {:?} in {:.3} s",
        p.activities.len(),
        p.horizon,
        w.critical_path_length(),
        heatplan::schedule::bound::cost_in_windows(&p, &w),
        lb,
        t.elapsed().as_secs_f64()
    );
}
