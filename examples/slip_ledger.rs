//! Writes a filled-in progress ledger for a what-if to stdout: everything
//! went as planned except one contractor's work (and the work waiting for
//! it), which ran late.
//!
//! ```text
//! cargo run --release --example slip_ledger -- out/plan.json 2022-07-15 B 14 > ledger.csv
//! ```

use heatplan::replan::ledger::simulate_slip;
use heatplan::report::read_plan_json;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: slip_ledger PLAN.JSON DATA-DATE CONTRACTOR DAYS");
        std::process::exit(2);
    }
    let text = std::fs::read_to_string(&args[1]).expect("readable plan.json");
    let plan = read_plan_json(&text).expect("a plan.json of this heatplan");
    let date = chrono::NaiveDate::parse_from_str(&args[2], "%Y-%m-%d").expect("a date");
    let days: i64 = args[4].parse().expect("a number of days");
    print!("{}", simulate_slip(&plan, date, &args[3], days));
}
