//! Who does the work: every district has contractors, every contractor has
//! crews, and every crew type a district's work needs is provided by one of
//! the contractors allowed there. Who may do what where is the rule of
//! [`Allowed`](crate::scenario::allowed::Allowed), asked here, not restated.

use super::{list, Checker};
use crate::scenario::{LayingMethod, Text};
use std::collections::{BTreeSet, HashMap};

/// Runs the crew checks.
pub(super) fn check(c: &mut Checker) {
    empty_crews(c);
    districts_without_contractors(c);
    trench_limits(c);
    tasks_need_districts(c);
    let known = known_crew_types(c);
    let s = c.s;
    let t = &s.templates;
    let segments = by_district(s.segments.iter().map(|x| (&x.district, &x.id)));
    let stations = by_district(s.stations.iter().map(|x| (&x.district, &x.id)));
    for (kind, steps, elements) in [
        ("segment", &t.segment, &segments),
        ("station", &t.station, &stations),
    ] {
        for step in steps {
            if crew_type_exists(
                c,
                &known,
                &step.crew,
                &format!("{kind} template step \"{}\"", step.key.get_ref()),
            ) {
                step_crews_in_districts(c, kind, step.key.get_ref(), &step.crew, elements);
            }
        }
    }
    task_crews(c, &known);
}

/// A contractor must have at least one crew type.
fn empty_crews(c: &mut Checker) {
    for con in &c.s.contractors {
        if con.crews.is_empty() {
            c.error(
                con.id.span(),
                format!("contractor {} has no crews", con.id.get_ref()),
                "list its crews by type, e.g. crews = { pipe = 3, civil = 1 }",
            );
        }
    }
}

/// A district must allow at least one contractor.
fn districts_without_contractors(c: &mut Checker) {
    for d in &c.s.districts {
        if d.contractors.is_empty() {
            c.error(
                d.id.span(),
                format!(
                    "district {} has no contractor allowed to work in it",
                    d.id.get_ref()
                ),
                "list the contractors that may work here, e.g. contractors = [\"C1\"]",
            );
        }
    }
}

/// A district with open-cut segments must allow at least one open trench.
fn trench_limits(c: &mut Checker) {
    for d in &c.s.districts {
        if *d.max_open_trenches.get_ref() > 0 {
            continue;
        }
        let open_cut =
            c.s.segments
                .iter()
                .filter(|seg| seg.district.get_ref() == d.id.get_ref())
                .filter(|seg| seg.method == LayingMethod::OpenCut)
                .count();
        if open_cut > 0 {
            c.error(
                d.max_open_trenches.span(),
                format!(
                    "district {}: max_open_trenches is 0, but {open_cut} open-cut segment(s) must be dug there",
                    d.id.get_ref()
                ),
                "allow at least one open trench, or lay those segments trenchless",
            );
        }
    }
}

/// A task that needs a crew needs a district (whose contractors supply it).
fn tasks_need_districts(c: &mut Checker) {
    for task in &c.s.tasks {
        if let (Some(crew), None) = (&task.crew, &task.district) {
            c.error(
                crew.span(),
                format!(
                    "task {} needs a \"{}\" crew but has no district",
                    task.id.get_ref(),
                    crew.get_ref()
                ),
                "add district = \"…\" so that one of that district's contractors can supply the crew, \
                 or remove crew",
            );
        }
    }
}

/// Crew types that some contractor has at least one of.
fn known_crew_types<'a>(c: &Checker<'a>) -> BTreeSet<&'a str> {
    c.s.contractors
        .iter()
        .flat_map(|con| con.crews.keys().filter(|k| con.provides(k)))
        .map(String::as_str)
        .collect()
}

/// Reports a crew type no contractor has; true when some contractor has it.
fn crew_type_exists(c: &mut Checker, known: &BTreeSet<&str>, crew: &Text, owner: &str) -> bool {
    let wanted = crew.get_ref().as_str();
    if known.contains(wanted) {
        return true;
    }
    let near = c.did_you_mean(wanted, known.iter().copied());
    let all: Vec<&str> = known.iter().copied().collect();
    c.error(
        crew.span(),
        format!("{owner}: no contractor has any \"{wanted}\" crews"),
        format!(
            "{near}use a crew type listed under the contractors' crews ({}), or add \"{wanted}\" crews to a contractor",
            list(&all, 10)
        ),
    );
    false
}

/// How many contractors may do `crew` work in district `d` (index into
/// `districts`), by the rule of [`Allowed`](crate::scenario::allowed), and
/// the names of all existing contractors the district allows.
fn providers<'a>(c: &Checker<'a>, d: usize, crew: &str) -> (usize, Vec<&'a str>) {
    let s = c.s;
    let allowed: Vec<&str> = s.districts[d]
        .contractors
        .iter()
        .map(|x| x.get_ref().as_str())
        .filter(|id| s.contractors.iter().any(|con| con.id.get_ref() == id))
        .collect();
    (c.allowed.get(d, crew).len(), allowed)
}

/// Contractors anywhere that have `crew` crews.
fn contractors_with(c: &Checker, crew: &str) -> String {
    let ids: Vec<&str> =
        c.s.contractors
            .iter()
            .filter(|con| con.provides(crew))
            .map(|con| con.id.get_ref().as_str())
            .collect();
    list(&ids, 8)
}

/// The ids of segments or stations (`(district, id)` pairs) by district,
/// in file order.
fn by_district<'a>(
    elements: impl Iterator<Item = (&'a Text, &'a Text)>,
) -> HashMap<&'a str, Vec<&'a str>> {
    let mut map: HashMap<&str, Vec<&str>> = HashMap::new();
    for (district, id) in elements {
        map.entry(district.get_ref().as_str())
            .or_default()
            .push(id.get_ref().as_str());
    }
    map
}

/// Every district with work of this kind must allow a contractor with the
/// step's crew type; `by_district` lists the elements of the kind.
fn step_crews_in_districts(
    c: &mut Checker,
    kind: &str,
    key: &str,
    crew: &Text,
    by_district: &HashMap<&str, Vec<&str>>,
) {
    let s = c.s;
    for (i, d) in s.districts.iter().enumerate() {
        let elements: &[&str] = by_district
            .get(d.id.get_ref().as_str())
            .map_or(&[], Vec::as_slice);
        let (with, allowed) = providers(c, i, crew.get_ref());
        if elements.is_empty() || allowed.is_empty() || with > 0 {
            continue;
        }
        c.error(
            crew.span(),
            format!(
                "district {}: {kind} template step \"{key}\" needs \"{}\" crews, but none of the \
                 contractors allowed there ({}) has any; this affects {} {kind}(s), e.g. {}",
                d.id.get_ref(),
                crew.get_ref(),
                list(&allowed, 8),
                elements.len(),
                elements[0]
            ),
            format!(
                "allow a contractor with \"{}\" crews in district {} (these have some: {}), \
                 or give \"{}\" crews to one of {}",
                crew.get_ref(),
                d.id.get_ref(),
                contractors_with(c, crew.get_ref()),
                crew.get_ref(),
                list(&allowed, 8)
            ),
        );
    }
}

/// A task's crew type must be provided in its district.
fn task_crews(c: &mut Checker, known: &BTreeSet<&str>) {
    let s = c.s;
    for task in &s.tasks {
        let (Some(crew), Some(district)) = (&task.crew, &task.district) else {
            continue;
        };
        let owner = format!("task {}", task.id.get_ref());
        if !crew_type_exists(c, known, crew, &owner) {
            continue;
        }
        let Some(i) = s
            .districts
            .iter()
            .position(|d| d.id.get_ref() == district.get_ref())
        else {
            continue;
        };
        let d = &s.districts[i];
        let (with, allowed) = providers(c, i, crew.get_ref());
        if allowed.is_empty() || with > 0 {
            continue;
        }
        c.error(
            crew.span(),
            format!(
                "task {} needs \"{}\" crews, but none of the contractors allowed in district {} ({}) has any",
                task.id.get_ref(),
                crew.get_ref(),
                d.id.get_ref(),
                list(&allowed, 8)
            ),
            format!(
                "allow a contractor with \"{}\" crews in district {} (these have some: {}), \
                 or move the task to another district",
                crew.get_ref(),
                d.id.get_ref(),
                contractors_with(c, crew.get_ref())
            ),
        );
    }
}
