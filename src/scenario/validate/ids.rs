//! Duplicate and empty ids.
//!
//! Nodes, heat sources and contractors need ids unique among their kind.
//! Segments, stations, tasks, milestones and districts share one namespace,
//! because `[[links]]` and a milestone's `after` name them by id alone.

use super::Checker;
use crate::scenario::{ElementKind, Text};
use std::collections::HashMap;

/// Runs the id checks.
pub(super) fn check(c: &mut Checker) {
    let s = c.s;
    unique_within(c, "node", "[[nodes]]", s.nodes.iter().map(|x| &x.id));
    unique_within(
        c,
        "heat source",
        "[[sources]]",
        s.sources.iter().map(|x| &x.id),
    );
    let contractors = s.contractors.iter().map(|x| &x.id);
    unique_within(c, "contractor", "[[contractors]]", contractors);
    unique_across_link_namespace(c);
}

/// Reports empty ids and ids defined more than once within one kind.
fn unique_within<'a>(
    c: &mut Checker,
    noun: &str,
    section: &str,
    ids: impl Iterator<Item = &'a Text>,
) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for id in ids {
        if !not_empty(c, noun, id) {
            continue;
        }
        let name = id.get_ref().as_str();
        if let Some(&line) = first.get(name) {
            c.error(
                id.span(),
                format!("{noun} id \"{name}\" is defined twice (first at line {line})"),
                format!("give each entry under {section} its own id, or delete the repeated one"),
            );
        } else {
            first.insert(name, c.line(id.span()));
        }
    }
}

/// Reports an empty id; true when the id is not empty.
fn not_empty(c: &mut Checker, noun: &str, id: &Text) -> bool {
    if !id.get_ref().trim().is_empty() {
        return true;
    }
    c.error(
        id.span(),
        format!("{noun} id is empty"),
        "give it a short unique id such as \"P012\"",
    );
    false
}

/// Reports ids used twice among segments, stations, tasks, milestones and
/// districts, in file order.
fn unique_across_link_namespace(c: &mut Checker) {
    let s = c.s;
    let mut all: Vec<(ElementKind, &Text)> = Vec::new();
    all.extend(s.segments.iter().map(|x| (ElementKind::Segment, &x.id)));
    all.extend(s.stations.iter().map(|x| (ElementKind::Station, &x.id)));
    all.extend(s.tasks.iter().map(|x| (ElementKind::Task, &x.id)));
    all.extend(s.milestones.iter().map(|x| (ElementKind::Milestone, &x.id)));
    all.extend(s.districts.iter().map(|x| (ElementKind::District, &x.id)));
    all.sort_by_key(|(_, id)| id.span().start);
    let mut first: HashMap<&str, (ElementKind, usize)> = HashMap::new();
    for (kind, id) in all {
        if !not_empty(c, kind.noun(), id) {
            continue;
        }
        let name = id.get_ref().as_str();
        match first.get(name) {
            Some(&(k, line)) if k == kind => c.error(
                id.span(),
                format!(
                    "{} id \"{name}\" is defined twice (first at line {line})",
                    kind.noun()
                ),
                format!(
                    "give each entry under {} its own id, or delete the repeated one",
                    kind.section()
                ),
            ),
            Some(&(k, line)) => c.error(
                id.span(),
                format!(
                    "{} id \"{name}\" is already the id of a {} (line {line})",
                    kind.noun(),
                    k.noun()
                ),
                "links and milestones name segments, stations, tasks, milestones and districts \
                 by id alone, so these ids must all be different; rename one of them",
            ),
            None => {
                first.insert(name, (kind, c.line(id.span())));
            }
        }
    }
}
