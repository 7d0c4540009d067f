//! Prints the size of the time-indexed model of a scenario and how long it
//! takes to build: `cargo run --release --example model_size -- FILE`.
use heatplan::scenario::Source;
use heatplan::schedule::milp::{build, PrecedenceForm};
use std::time::Instant;

fn main() {
    let file = std::env::args().nth(1).expect("a scenario file");
    let text = std::fs::read_to_string(&file).expect("readable");
    let project = heatplan::Project::load(&Source { file, text }).expect("valid");
    let p = &project.model.problem;
    for form in [PrecedenceForm::Disaggregated, PrecedenceForm::Aggregated] {
        let t = Instant::now();
        match build(p, p.horizon, None, form) {
            Ok(m) => println!(
                "{form:?}: {:?} built in {:.2} s",
                m.stats(),
                t.elapsed().as_secs_f64()
            ),
            Err(e) => println!("{form:?}: {e}"),
        }
    }
}
