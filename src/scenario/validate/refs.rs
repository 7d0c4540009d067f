//! References to things that do not exist: nodes, districts, contractors,
//! crew types, work tags, and the targets of links and milestones.

use super::{list, pick_help, Checker};
use crate::both;
use crate::lang::Both;
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
    owner: &Both,
    (what, what_zh): (&str, &str),
    reference: &Text,
    ids: &Known,
    section: &str,
) {
    let wanted = reference.get_ref().as_str();
    if ids.set.contains(wanted) {
        return;
    }
    let near = c.closest(wanted, ids.list.iter().copied());
    let Both { en, zh } = owner;
    c.error(
        reference.span(),
        both!(
            "{en}: {what} \"{wanted}\" does not exist",
            "{zh}：{what_zh}“{wanted}”不存在"
        ),
        pick_help(near, wanted, section, ids.list.iter().copied()),
    );
}

/// `segment P1` / `管段 P1`.
fn named(en: &str, zh: &str, id: &str) -> Both {
    both!("{en} {id}", "{zh} {id}")
}

/// The node noun.
const NODE: (&str, &str) = ("node", "节点");
/// The district noun.
const DISTRICT: (&str, &str) = ("district", "辖区");

/// Nodes of segments, stations and heat sources.
fn node_refs(c: &mut Checker) {
    let s = c.s;
    let nodes = Known::new(s.nodes.iter().map(|n| n.id.get_ref().as_str()).collect());
    for seg in &s.segments {
        let owner = named("segment", "管段", seg.id.get_ref());
        expect_id(c, &owner, NODE, &seg.from, &nodes, "[[nodes]]");
        expect_id(c, &owner, NODE, &seg.to, &nodes, "[[nodes]]");
        if seg.from.get_ref() == seg.to.get_ref() {
            let (id, node) = (seg.id.get_ref(), seg.to.get_ref());
            c.error(
                seg.to.span(),
                both!(
                    "segment {id}: runs from node \"{node}\" to itself",
                    "管段 {id}：起点和终点都是节点“{node}”"
                ),
                both!(
                    "a pipe segment joins two different nodes; correct `from` or `to`",
                    "一个管段连接两个不同的节点；请改正 `from` 或 `to`"
                ),
            );
        }
    }
    for st in &s.stations {
        let owner = named("station", "热力站", st.id.get_ref());
        expect_id(c, &owner, NODE, &st.node, &nodes, "[[nodes]]");
    }
    for src in &s.sources {
        let owner = named("heat source", "热源", src.id.get_ref());
        expect_id(c, &owner, NODE, &src.node, &nodes, "[[nodes]]");
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
        let owner = named("segment", "管段", seg.id.get_ref());
        expect_id(c, &owner, DISTRICT, &seg.district, &ids, sec);
    }
    for st in &s.stations {
        let owner = named("station", "热力站", st.id.get_ref());
        expect_id(c, &owner, DISTRICT, &st.district, &ids, sec);
    }
    for task in &s.tasks {
        if let Some(d) = &task.district {
            let owner = named("task", "任务", task.id.get_ref());
            expect_id(c, &owner, DISTRICT, d, &ids, sec);
        }
    }
    let cal = &s.calendar;
    for ((noun, noun_zh), bans) in [
        (("ban", "禁止施工时段"), &cal.bans),
        (("stop-work period", "停工时段"), &cal.stop_work),
    ] {
        for ban in bans {
            let name = &ban.name;
            let owner = both!("{noun} \"{name}\"", "{noun_zh}“{name}”");
            for d in &ban.districts {
                expect_id(c, &owner, DISTRICT, d, &ids, sec);
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
        let owner = named("district", "辖区", d.id.get_ref());
        let mut seen = HashSet::new();
        for contractor in &d.contractors {
            let what = ("contractor", "施工单位");
            expect_id(c, &owner, what, contractor, &ids, "[[contractors]]");
            if !seen.insert(contractor.get_ref().as_str()) {
                let (Both { en, zh }, id) = (&owner, contractor.get_ref());
                c.error(
                    contractor.span(),
                    both!(
                        "{en}: contractor \"{id}\" is listed twice",
                        "{zh}：施工单位“{id}”列了两次"
                    ),
                    both!(
                        "list each contractor allowed in the district once",
                        "每个允许在该辖区施工的单位只列一次"
                    ),
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
            let Both {
                en: hint,
                zh: hint_zh,
            } = c.did_you_mean(crew, crews.iter().copied());
            let (id, types) = (con.id.get_ref(), list(&crews, 8));
            c.error(
                factor.span(),
                both!(
                    "contractor {id}: productivity is given for crew type \"{crew}\", \
                     but the contractor has no such crews",
                    "施工单位 {id}：给了“{crew}”班组的效率系数，但该单位没有这类班组"
                ),
                both!(
                    "{hint}productivity keys must be crew types listed in its crews ({types})",
                    "{hint_zh}productivity 的键必须是其 crews 中列出的班组类型（{types}）"
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
                Ok(Target::Whole(r)) if r.kind == ElementKind::District => {
                    let id = end.get_ref();
                    c.error(
                        end.span(),
                        both!(
                            "link: \"{id}\" is a district, which cannot be linked",
                            "逻辑关系：“{id}”是辖区，辖区不能作为逻辑关系的两端"
                        ),
                        both!(
                            "link tasks, segments, stations, steps (\"P012/test\") or \
                             milestones; to wait for all of a district's work, use a milestone \
                             with after = [\"DISTRICT\"]",
                            "请连接任务、管段、热力站、工序（“P012/test”）或里程碑；要等一个辖区的\
                             全部工作完成，请用里程碑并写 after = [\"辖区编号\"]"
                        ),
                    )
                }
                Ok(_) => {}
                Err(e) => {
                    let owner = both!("link", "逻辑关系");
                    bad_target(c, &owner, end, &e, &index, false)
                }
            }
        }
    }
}

/// The `after` list of every milestone.
fn milestone_refs(c: &mut Checker) {
    let index = c.s.element_ids();
    for m in &c.s.milestones {
        let owner = named("milestone", "里程碑", m.id.get_ref());
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
    owner: &Both,
    reference: &Text,
    error: &RefError,
    index: &crate::scenario::ElementIndex,
    districts_allowed: bool,
) {
    let (kinds, kinds_zh) = if districts_allowed {
        (
            "task, segment, station, milestone or district",
            "任务、管段、热力站、里程碑或辖区",
        )
    } else {
        (
            "task, segment, station or milestone",
            "任务、管段、热力站或里程碑",
        )
    };
    let text = reference.get_ref();
    let Both {
        en: owner,
        zh: owner_zh,
    } = owner;
    let (message, help) = match error {
        RefError::UnknownId(id) => {
            let Both {
                en: near,
                zh: near_zh,
            } = c.did_you_mean(id, index.ids());
            (
                both!(
                    "{owner}: \"{text}\" is not the id of any {kinds}",
                    "{owner_zh}：“{text}”不是任何{kinds_zh}的编号"
                ),
                both!(
                    "{near}name a {kinds} by its id, or one step of a segment or station as \
                     \"ELEMENT/key\" (e.g. \"P012/test\")",
                    "{near_zh}请用编号指明{kinds_zh}，或用“部位编号/工序键”指明管段或热力站的\
                     某道工序（例如“P012/test”）"
                ),
            )
        }
        RefError::NoSteps(r) => {
            let (noun, noun_zh) = (r.kind.noun(), r.kind.noun_zh());
            let id = c.s.id_of(*r).unwrap_or("?");
            (
                both!(
                    "{owner}: \"{text}\" names a step of {noun} {id}, which has no steps",
                    "{owner_zh}：“{text}”指向{noun_zh} {id} 的工序，但它没有工序"
                ),
                both!(
                    "name the {noun} itself (\"{id}\"); only segments and stations have steps",
                    "请直接写{noun_zh}编号（“{id}”）；只有管段和热力站有工序"
                ),
            )
        }
        RefError::UnknownStep(r, key) => {
            let keys: Vec<&str> =
                c.s.steps_of(r.kind)
                    .unwrap_or(&[])
                    .iter()
                    .map(|st| st.key.get_ref().as_str())
                    .collect();
            let Both {
                en: near,
                zh: near_zh,
            } = c.did_you_mean(key, keys.iter().copied());
            let (noun, noun_zh) = (r.kind.noun(), r.kind.noun_zh());
            let id = c.s.id_of(*r).unwrap_or("?");
            let steps = list(&keys, 12);
            (
                both!(
                    "{owner}: {noun} {id} has no step \"{key}\"",
                    "{owner_zh}：{noun_zh} {id} 没有工序“{key}”"
                ),
                both!(
                    "{near}the {noun} template's steps are: {steps}",
                    "{near_zh}{noun_zh}工序模板的工序有：{steps}"
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
    let mut tagged: Vec<(Both, &Text)> = Vec::new();
    for ((noun, noun_zh), bans) in [
        (("ban", "禁止施工时段"), &cal.bans),
        (("stop-work period", "停工时段"), &cal.stop_work),
    ] {
        for ban in bans {
            let name = &ban.name;
            let owner = both!("{noun} \"{name}\"", "{noun_zh}“{name}”");
            tagged.extend(ban.tags.iter().map(|t| (owner.clone(), t)));
        }
    }
    for p in &cal.productivity {
        let name = &p.name;
        let owner = both!("productivity period \"{name}\"", "降效时段“{name}”");
        tagged.extend(p.tags.iter().map(|t| (owner.clone(), t)));
    }
    for (Both { en, zh }, tag) in tagged {
        let wanted = tag.get_ref().as_str();
        if known.contains(wanted) {
            continue;
        }
        let Both {
            en: near,
            zh: near_zh,
        } = c.did_you_mean(wanted, known.iter().copied());
        let all: Vec<&str> = known.iter().copied().collect();
        let tags = list(&all, 10);
        c.error(
            tag.span(),
            both!(
                "{en}: no work carries the tag \"{wanted}\", so it would affect nothing",
                "{zh}：没有任何工作带有标签“{wanted}”，因此它不起作用"
            ),
            both!(
                "{near}use a tag given to template steps, tasks, segments or stations ({tags})",
                "{near_zh}请使用工序模板、任务、管段或热力站上已有的标签（{tags}）"
            ),
        );
    }
}
