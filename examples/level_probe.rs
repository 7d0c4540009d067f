//! Prints a scenario's bounds per priority level (the finish, each time
//! node alone and with every station held on time) and the time each takes.
//! `cargo run --release --example level_probe -- FILE [SECONDS]` (SECONDS:
//! the give-up limit of each computation, default none).
use heatplan::scenario::Source;
use heatplan::schedule::bound;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let file = &args[0];
    let limit = args.get(1).map(|s| s.parse::<f64>().expect("seconds"));
    let text = std::fs::read_to_string(file).expect("readable");
    let p = heatplan::Project::load(&Source {
        file: file.clone(),
        text,
    })
    .expect("valid")
    .model
    .problem;
    let until =
        || Instant::now() + limit.map_or(Duration::from_secs(86_400), Duration::from_secs_f64);
    let t = Instant::now();
    let lb = bound::level_bounds_until(&p, until()).expect("windows");
    println!(
        "activities {} horizon {}: finish bound (exclusive end day) {} households {} nodes {} complete {} in {:.2} s",
        p.activities.len(),
        p.horizon,
        lb.value.finish,
        lb.value.households,
        lb.value.nodes,
        lb.complete,
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let held = bound::give_up_at(until(), || bound::nodes_with_stations_on_time(&p));
    let secs = t.elapsed().as_secs_f64();
    for (g, end) in &lb.value.node_ends {
        let grp = &p.groups[*g];
        let with = held
            .as_ref()
            .and_then(|h| h.node_ends.iter().find(|x| x.0 == *g))
            .map(|x| x.1);
        println!(
            "  node {:24} due {:4} alone end >= {:4} stations on time end >= {:?}",
            grp.name, grp.due, end, with
        );
    }
    println!("stations held on time: {held:?} in {secs:.2} s");
}
