//! The terminal summary of a plan.

use crate::plan::Plan;
use std::fmt::Write;

/// A few lines a manager reads first: finish, households, late stations.
pub fn plan_summary(plan: &Plan) -> String {
    let mut out = String::new();
    let q = &plan.quality;
    let _ = writeln!(out, "{}", plan.programme);
    let _ = writeln!(
        out,
        "  window            {} – {}",
        plan.window_start, plan.window_end
    );
    let _ = writeln!(out, "  deadline          {}", plan.deadline);
    let _ = writeln!(
        out,
        "  finish            {}{}",
        plan.finish,
        if plan.finish <= plan.deadline {
            ""
        } else {
            "  (after the deadline)"
        }
    );
    let pct = if plan.households_total > 0 {
        100.0 * plan.households_on_time as f64 / plan.households_total as f64
    } else {
        100.0
    };
    let _ = writeln!(
        out,
        "  heat-ready        {} of {} households by the deadline ({pct:.1} %)",
        plan.households_on_time, plan.households_total
    );
    let _ = writeln!(
        out,
        "  stations          {} on time, {} late",
        plan.stations.len() - plan.late_stations().len(),
        plan.late_stations().len()
    );
    let _ = writeln!(out, "  crew-days         {}", plan.crew_days);
    let _ = writeln!(
        out,
        "  solution          {} — objective {}, bound {}, gap {:.2} %, {:.1} s ({})",
        q.status,
        q.objective,
        q.bound,
        100.0 * q.gap,
        q.seconds,
        q.stop_reason
    );
    let late = plan.late_stations();
    if !late.is_empty() {
        let _ = writeln!(
            out,
            "\n  late stations (heat-ready date, days late, households):"
        );
        for s in late {
            let _ = writeln!(
                out,
                "    {:<10} {:<12} {}  {:>3} d  {:>6}",
                s.id, s.district, s.heat_ready, s.days_late, s.households
            );
        }
    }
    out
}
