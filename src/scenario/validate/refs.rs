//! References to things that do not exist: nodes, districts, contractors,
//! crew types, work tags, and the targets of links and milestones.

use super::{list, pick_help, Checker};
use crate::scenario::{ElementKind, RefError, Target, Text};
use std::collections::{BTreeSet, HashSet};

/// Runs the reference checks.
pub(super) fn check(c: &mut Checker) {
    node_refs(c);
    district_refs(c);
    contractor_refs(c);
    productivity_crews(c);
    link_refs(c);
    milestone_refs(c);
    if c.scope == super::Scope::Written {
        calendar_tags(c);
    }
}

/// The ids of one kind, in file order and as a set (a scenario has
/// thousands of references to check against thousands of ids).
struct Known<'a> {
    /// In file order, for the hints.
    list: Vec<&'a str>,
    /// For lookups.
    set: HashSet<&'a str>,
}

impl<'a> Known<'a> {
    fn new(list: Vec<&'a str>) -> Known<'a> {
        let set = list.iter().copied().collect();
        Known { list, set }
    }
}

/// Reports `reference` when it is not among `ids`.
fn expect_id(
    c: &mut Checker,
    owner: &str,
    what: &str,
    reference: &Text,
    ids: &Known,
    section: &str,
) {
    let wanted = reference.get_ref().as_str();
    if ids.set.contains(wanted) {
        return;
    }
    let near = c.closest(wanted, ids.list.iter().copied());
    c.error(
        reference.span(),
        format!("{owner}: {what} \"{wanted}\" does not exist"),
        pick_help(near, wanted, section, ids.list.iter().copied()),
    );
}

/// Nodes of segments, stations and heat sources.
fn node_refs(c: &mut Checker) {
    let s = c.s;
    let nodes = Known::new(s.nodes.iter().map(|n| n.id.get_ref().as_str()).collect());
    for seg in &s.segments {
        let owner = format!("segment {}", seg.id.get_ref());
        expect_id(c, &owner, "node", &seg.from, &nodes, "[[nodes]]");
        expect_id(c, &owner, "node", &seg.to, &nodes, "[[nodes]]");
        if seg.from.get_ref() == seg.to.get_ref() {
            c.error(
                seg.to.span(),
                format!(
                    "segment {}: runs from node \"{}\" to itself",
                    seg.id.get_ref(),
                    seg.to.get_ref()
                ),
                "a pipe segment joins two different nodes; correct `from` or `to`",
            );
        }
    }
    for st in &s.stations {
        let owner = format!("station {}", st.id.get_ref());
        expect_id(c, &owner, "node", &st.node, &nodes, "[[nodes]]");
    }
    for src in &s.sources {
        let owner = format!("heat source {}", src.id.get_ref());
        expect_id(c, &owner, "node", &src.node, &nodes, "[[nodes]]");
    }
}

/// Districts of segments, stations, tasks, bans and stop-work days.
fn district_refs(c: &mut Checker) {
    let s = c.s;
    let ids = Known::new(
        s.districts
            .iter()
            .map(|d| d.id.get_ref().as_str())
            .collect(),
    );
    let sec = "[[districts]]";
    for seg in &s.segments {
        let owner = format!("segment {}", seg.id.get_ref());
        expect_id(c, &owner, "district", &seg.district, &ids, sec);
    }
    for st in &s.stations {
        let owner = format!("station {}", st.id.get_ref());
        expect_id(c, &owner, "district", &st.district, &ids, sec);
    }
    for task in &s.tasks {
        if let Some(d) = &task.district {
            let owner = format!("task {}", task.id.get_ref());
            expect_id(c, &owner, "district", d, &ids, sec);
        }
    }
    let cal = &s.calendar;
    for (noun, bans) in [("ban", &cal.bans), ("stop-work period", &cal.stop_work)] {
        for ban in bans {
            let owner = format!("{noun} \"{}\"", ban.name);
            for d in &ban.districts {
                expect_id(c, &owner, "district", d, &ids, sec);
            }
        }
    }
}

/// Contractors allowed in each district.
fn contractor_refs(c: &mut Checker) {
    let s = c.s;
    let ids = Known::new(
        s.contractors
            .iter()
            .map(|x| x.id.get_ref().as_str())
            .collect(),
    );
    for d in &s.districts {
        let owner = format!("district {}", d.id.get_ref());
        let mut seen = HashSet::new();
        for contractor in &d.contractors {
            expect_id(c, &owner, "contractor", contractor, &ids, "[[contractors]]");
            if !seen.insert(contractor.get_ref().as_str()) {
                c.error(
                    contractor.span(),
                    format!(
                        "{owner}: contractor \"{}\" is listed twice",
                        contractor.get_ref()
                    ),
                    "list each contractor allowed in the district once",
                );
            }
        }
    }
}

/// A contractor's productivity must be for crew types it has.
fn productivity_crews(c: &mut Checker) {
    for con in &c.s.contractors {
        for (crew, factor) in &con.productivity {
            if con.crews.contains_key(crew) {
                continue;
            }
            let crews: Vec<&str> = con.crews.keys().map(String::as_str).collect();
            let hint = c.did_you_mean(crew, crews.iter().copied());
            c.error(
                factor.span(),
                format!(
                    "contractor {}: productivity is given for crew type \"{crew}\", \
                     but the contractor has no such crews",
                    con.id.get_ref()
                ),
                format!(
                    "{hint}productivity keys must be crew types listed in its crews ({})",
                    list(&crews, 8)
                ),
            );
        }
    }
}

/// The `from` and `to` of every `[[links]]` entry.
fn link_refs(c: &mut Checker) {
    let index = c.s.element_ids();
    for link in &c.s.links {
        for end in [&link.from, &link.to] {
            match index.resolve(c.s, end.get_ref()) {
                Ok(Target::Whole(r)) if r.kind == ElementKind::District => c.error(
                    end.span(),
                    format!("link: \"{}\" is a district, which cannot be linked", end.get_ref()),
                    "link tasks, segments, stations, steps (\"P012/test\") or milestones; \
                     to wait for all of a district's work, use a milestone with after = [\"DISTRICT\"]",
                ),
                Ok(_) => {}
                Err(e) => bad_target(c, "link", end, &e, &index, false),
            }
        }
    }
}

/// The `after` list of every milestone.
fn milestone_refs(c: &mut Checker) {
    let index = c.s.element_ids();
    for m in &c.s.milestones {
        let owner = format!("milestone {}", m.id.get_ref());
        for after in &m.after {
            if let Err(e) = index.resolve(c.s, after.get_ref()) {
                bad_target(c, &owner, after, &e, &index, true);
            }
        }
    }
}

/// Reports a reference that [`ElementIndex::resolve`] rejected.
///
/// [`ElementIndex::resolve`]: crate::scenario::ElementIndex::resolve
fn bad_target(
    c: &mut Checker,
    owner: &str,
    reference: &Text,
    error: &RefError,
    index: &crate::scenario::ElementIndex,
    districts_allowed: bool,
) {
    let kinds = if districts_allowed {
        "task, segment, station, milestone or district"
    } else {
        "task, segment, station or milestone"
    };
    let text = reference.get_ref();
    let (message, help) = match error {
        RefError::UnknownId(id) => {
            let near = c.did_you_mean(id, index.ids());
            (
                format!(
                    "{owner}: \"{text}\" is not the id of any {kind}",
                    kind = kinds
                ),
                format!(
                    "{near}name a {kinds} by its id, or one step of a segment or station as \
                     \"ELEMENT/key\" (e.g. \"P012/test\")"
                ),
            )
        }
        RefError::NoSteps(r) => (
            format!(
                "{owner}: \"{text}\" names a step of {} {}, which has no steps",
                r.kind.noun(),
                c.s.id_of(*r).unwrap_or("?")
            ),
            format!(
                "name the {} itself (\"{}\"); only segments and stations have steps",
                r.kind.noun(),
                c.s.id_of(*r).unwrap_or("?")
            ),
        ),
        RefError::UnknownStep(r, key) => {
            let keys: Vec<&str> =
                c.s.steps_of(r.kind)
                    .unwrap_or(&[])
                    .iter()
                    .map(|st| st.key.get_ref().as_str())
                    .collect();
            let near = c.did_you_mean(key, keys.iter().copied());
            (
                format!(
                    "{owner}: {} {} has no step \"{key}\"",
                    r.kind.noun(),
                    c.s.id_of(*r).unwrap_or("?")
                ),
                format!(
                    "{near}the {} template's steps are: {}",
                    r.kind.noun(),
                    list(&keys, 12)
                ),
            )
        }
    };
    c.error(reference.span(), message, help);
}

/// Work tags named by bans, stop-work and productivity periods must be
/// carried by some work (a template step, task, segment or station).
fn calendar_tags(c: &mut Checker) {
    let s = c.s;
    let mut known: BTreeSet<&str> = BTreeSet::new();
    let steps = s.templates.segment.iter().chain(&s.templates.station);
    known.extend(steps.flat_map(|st| &st.tags).map(|t| t.get_ref().as_str()));
    known.extend(
        s.tasks
            .iter()
            .flat_map(|t| &t.tags)
            .map(|t| t.get_ref().as_str()),
    );
    known.extend(
        s.segments
            .iter()
            .flat_map(|t| &t.tags)
            .map(|t| t.get_ref().as_str()),
    );
    known.extend(
        s.stations
            .iter()
            .flat_map(|t| &t.tags)
            .map(|t| t.get_ref().as_str()),
    );
    let cal = &s.calendar;
    let mut named: Vec<(String, &Text)> = Vec::new();
    for (noun, bans) in [("ban", &cal.bans), ("stop-work period", &cal.stop_work)] {
        for ban in bans {
            named.extend(
                ban.tags
                    .iter()
                    .map(|t| (format!("{noun} \"{}\"", ban.name), t)),
            );
        }
    }
    for p in &cal.productivity {
        let owner = format!("productivity period \"{}\"", p.name);
        named.extend(p.tags.iter().map(|t| (owner.clone(), t)));
    }
    for (owner, tag) in named {
        let wanted = tag.get_ref().as_str();
        if known.contains(wanted) {
            continue;
        }
        let near = c.did_you_mean(wanted, known.iter().copied());
        let all: Vec<&str> = known.iter().copied().collect();
        c.error(
            tag.span(),
            format!("{owner}: no work carries the tag \"{wanted}\", so it would affect nothing"),
            format!(
                "{near}use a tag given to template steps, tasks, segments or stations ({})",
                list(&all, 10)
            ),
        );
    }
}
