//! Reports: a plan rendered as the files and text a manager uses.
//!
//! Every renderer returns a `String`; writing files is the CLI's job.

pub mod csv;
pub mod summary;

/// plan.json: the whole plan, versioned (see [`crate::plan::SCHEMA_VERSION`]).
pub fn plan_json(plan: &crate::plan::Plan) -> String {
    serde_json::to_string_pretty(plan).expect("a plan always serialises") + "\n"
}
