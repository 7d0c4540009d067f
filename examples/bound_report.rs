//! Prints the lower bound of a scenario's problem and the time it takes.
//! `cargo run --release --example bound_report -- FILE`.
use heatplan::scenario::Source;

fn main() {
    let file = std::env::args().nth(1).expect("a scenario file");
    let text = std::fs::read_to_string(&file).expect("readable");
    let project = heatplan::Project::load(&Source { file, text }).expect("valid");
    let p = &project.model.problem;
    let w = heatplan::schedule::window::Windows::compute(p).expect("windows");
    let t = std::time::Instant::now();
    let lb = heatplan::schedule::bound::lower_bound(p);
    println!(
        "activities {} horizon {} critical path {} cost in horizon windows {} bound {:?} in {:.3} s",
        p.activities.len(),
        p.horizon,
        w.critical_path_length(),
        heatplan::schedule::bound::cost_in_windows(p, &w),
        lb,
        t.elapsed().as_secs_f64()
    );
}
