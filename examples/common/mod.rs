//! What the probe examples share: reading a scenario and a written plan.

use heatplan::scenario::Source;
use heatplan::schedule::Schedule;
use heatplan::Project;

/// The project of the scenario file at `file` (panics with the reason: a
/// probe, not the CLI).
pub fn project(file: &str) -> Project {
    let text = std::fs::read_to_string(file).expect("readable scenario");
    Project::load(&Source {
        file: file.to_string(),
        text,
    })
    .expect("valid scenario")
}

/// The schedule a `heatplan plan` run wrote into `plan.json` at `path`.
pub fn plan_schedule(path: &str) -> Schedule {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable plan"))
            .expect("plan.json is JSON");
    serde_json::from_value(json["plan"]["schedule"].clone()).expect("plan.json has a schedule")
}
