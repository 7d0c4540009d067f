//! Duplicate and empty ids.
//!
//! Nodes, heat sources and contractors need ids unique among their kind.
//! Segments, stations, tasks, milestones and districts share one namespace,
//! because `[[links]]` and a milestone's `after` name them by id alone.

use super::Checker;
use crate::both;
use crate::scenario::{ElementKind, Text};
use std::collections::HashMap;

/// Runs the id checks.
pub(super) fn check(c: &mut Checker) {
    let s = c.s;
    unique_within(
        c,
        ("node", "节点"),
        "[[nodes]]",
        s.nodes.iter().map(|x| &x.id),
    );
    unique_within(
        c,
        ("heat source", "热源"),
        "[[sources]]",
        s.sources.iter().map(|x| &x.id),
    );
    let contractors = s.contractors.iter().map(|x| &x.id);
    unique_within(
        c,
        ("contractor", "施工单位"),
        "[[contractors]]",
        contractors,
    );
    unique_across_link_namespace(c);
}

/// Reports empty ids and ids defined more than once within one kind.
fn unique_within<'a>(
    c: &mut Checker,
    noun: Noun,
    section: &str,
    ids: impl Iterator<Item = &'a Text>,
) {
    let (en, zh) = noun;
    let mut first: HashMap<&str, usize> = HashMap::new();
    for id in ids {
        if !not_empty(c, noun, id) {
            continue;
        }
        let name = id.get_ref().as_str();
        if let Some(&line) = first.get(name) {
            c.error(
                id.span(),
                both!(
                    "{en} id \"{name}\" is defined twice (first at line {line})",
                    "{zh}编号“{name}”重复定义（第一次在第 {line} 行）"
                ),
                both!(
                    "give each entry under {section} its own id, or delete the repeated one",
                    "请给 {section} 下的每个条目一个不同的编号，或删除重复的条目"
                ),
            );
        } else {
            first.insert(name, c.line(id.span()));
        }
    }
}

/// A kind of thing with an id, in English and Chinese.
type Noun = (&'static str, &'static str);

/// Reports an empty id; true when the id is not empty.
fn not_empty(c: &mut Checker, (en, zh): Noun, id: &Text) -> bool {
    if !id.get_ref().trim().is_empty() {
        return true;
    }
    c.error(
        id.span(),
        both!("{en} id is empty", "{zh}编号为空"),
        both!(
            "give it a short unique id such as \"P012\"",
            "请给它一个简短且不重复的编号，例如“P012”"
        ),
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
        if !not_empty(c, (kind.noun(), kind.noun_zh()), id) {
            continue;
        }
        let name = id.get_ref().as_str();
        match first.get(name) {
            Some(&(k, line)) if k == kind => {
                let (noun, noun_zh, section) = (kind.noun(), kind.noun_zh(), kind.section());
                c.error(
                    id.span(),
                    both!(
                        "{noun} id \"{name}\" is defined twice (first at line {line})",
                        "{noun_zh}编号“{name}”重复定义（第一次在第 {line} 行）"
                    ),
                    both!(
                        "give each entry under {section} its own id, or delete the repeated one",
                        "请给 {section} 下的每个条目一个不同的编号，或删除重复的条目"
                    ),
                )
            }
            Some(&(k, line)) => {
                let (noun, noun_zh, other, other_zh) =
                    (kind.noun(), kind.noun_zh(), k.noun(), k.noun_zh());
                c.error(
                    id.span(),
                    both!(
                        "{noun} id \"{name}\" is already the id of a {other} (line {line})",
                        "{noun_zh}编号“{name}”已是一个{other_zh}的编号（第 {line} 行）"
                    ),
                    both!(
                        "links and milestones name segments, stations, tasks, milestones and \
                         districts by id alone, so these ids must all be different; rename one \
                         of them",
                        "逻辑关系和里程碑只按编号引用管段、热力站、任务、里程碑和辖区，\
                         所以这些编号必须各不相同；请改掉其中一个"
                    ),
                )
            }
            None => {
                first.insert(name, (kind, c.line(id.span())));
            }
        }
    }
}
