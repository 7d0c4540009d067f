//! Who does the work: every district has contractors, every contractor has
//! crews, and every crew type a district's work needs is provided by one of
//! the contractors allowed there. Who may do what where is the rule of
//! [`Allowed`](crate::scenario::allowed::Allowed), asked here, not restated.

use super::{list, Checker};
use crate::both;
use crate::lang::Both;
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
        (("segment", "管段"), &t.segment, &segments),
        (("station", "热力站"), &t.station, &stations),
    ] {
        for step in steps {
            let key = step.key.get_ref();
            let (noun, noun_zh) = kind;
            let owner = both!(
                "{noun} template step \"{key}\"",
                "{noun_zh}工序模板的工序“{key}”"
            );
            if crew_type_exists(c, &known, &step.crew, &owner) {
                step_crews_in_districts(c, kind, key, &step.crew, elements);
            }
        }
    }
    task_crews(c, &known);
}

/// A contractor must have at least one crew type.
fn empty_crews(c: &mut Checker) {
    for con in &c.s.contractors {
        if con.crews.is_empty() {
            let id = con.id.get_ref();
            c.error(
                con.id.span(),
                both!("contractor {id} has no crews", "施工单位 {id} 没有班组"),
                both!(
                    "list its crews by type, e.g. crews = {{ pipe = 3, civil = 1 }}",
                    "请按类型列出其班组，例如 crews = {{ pipe = 3, civil = 1 }}"
                ),
            );
        }
    }
}

/// A district must allow at least one contractor.
fn districts_without_contractors(c: &mut Checker) {
    for d in &c.s.districts {
        if d.contractors.is_empty() {
            let id = d.id.get_ref();
            c.error(
                d.id.span(),
                both!(
                    "district {id} has no contractor allowed to work in it",
                    "辖区 {id} 没有允许施工的单位"
                ),
                both!(
                    "list the contractors that may work here, e.g. contractors = [\"C1\"]",
                    "请列出可在此施工的单位，例如 contractors = [\"C1\"]"
                ),
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
            let id = d.id.get_ref();
            c.error(
                d.max_open_trenches.span(),
                both!(
                    "district {id}: max_open_trenches is 0, but {open_cut} open-cut segment(s) \
                     must be dug there",
                    "辖区 {id}：max_open_trenches（同时开挖沟槽数上限）为 0，但有 {open_cut} 个\
                     明挖管段要在那里开挖"
                ),
                both!(
                    "allow at least one open trench, or lay those segments trenchless",
                    "请至少允许一条沟槽同时开挖，或将这些管段改为非开挖施工"
                ),
            );
        }
    }
}

/// A task that needs a crew needs a district (whose contractors supply it).
fn tasks_need_districts(c: &mut Checker) {
    for task in &c.s.tasks {
        if let (Some(crew), None) = (&task.crew, &task.district) {
            let (id, crew_type) = (task.id.get_ref(), crew.get_ref());
            c.error(
                crew.span(),
                both!(
                    "task {id} needs a \"{crew_type}\" crew but has no district",
                    "任务 {id} 需要“{crew_type}”班组，但没有指定辖区"
                ),
                both!(
                    "add district = \"…\" so that one of that district's contractors can supply \
                     the crew, or remove crew",
                    "请加上 district = \"…\"，由该辖区的施工单位提供班组；或删除 crew"
                ),
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
fn crew_type_exists(c: &mut Checker, known: &BTreeSet<&str>, crew: &Text, owner: &Both) -> bool {
    let wanted = crew.get_ref().as_str();
    if known.contains(wanted) {
        return true;
    }
    let Both {
        en: near,
        zh: near_zh,
    } = c.did_you_mean(wanted, known.iter().copied());
    let all: Vec<&str> = known.iter().copied().collect();
    let types = list(&all, 10);
    let Both { en, zh } = owner;
    c.error(
        crew.span(),
        both!(
            "{en}: no contractor has any \"{wanted}\" crews",
            "{zh}：没有任何施工单位有“{wanted}”班组"
        ),
        both!(
            "{near}use a crew type listed under the contractors' crews ({types}), or add \
             \"{wanted}\" crews to a contractor",
            "{near_zh}请使用施工单位 crews 中列出的班组类型（{types}），或给某个施工单位加上\
             “{wanted}”班组"
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
    (kind, kind_zh): (&str, &str),
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
        let (id, crew_type, there) = (d.id.get_ref(), crew.get_ref(), list(&allowed, 8));
        let (n, example) = (elements.len(), elements[0]);
        let with = contractors_with(c, crew_type);
        c.error(
            crew.span(),
            both!(
                "district {id}: {kind} template step \"{key}\" needs \"{crew_type}\" crews, but \
                 none of the contractors allowed there ({there}) has any; this affects {n} \
                 {kind}(s), e.g. {example}",
                "辖区 {id}：{kind_zh}工序模板的工序“{key}”需要“{crew_type}”班组，但允许在该辖区\
                 施工的单位（{there}）都没有；涉及 {n} 个{kind_zh}，例如 {example}"
            ),
            both!(
                "allow a contractor with \"{crew_type}\" crews in district {id} (these have some: \
                 {with}), or give \"{crew_type}\" crews to one of {there}",
                "请允许有“{crew_type}”班组的施工单位在辖区 {id} 施工（这些单位有：{with}），\
                 或给 {there} 中的一个单位配备“{crew_type}”班组"
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
        let id = task.id.get_ref();
        let owner = both!("task {id}", "任务 {id}");
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
        let (crew_type, district, there) = (crew.get_ref(), d.id.get_ref(), list(&allowed, 8));
        let with = contractors_with(c, crew_type);
        c.error(
            crew.span(),
            both!(
                "task {id} needs \"{crew_type}\" crews, but none of the contractors allowed in \
                 district {district} ({there}) has any",
                "任务 {id} 需要“{crew_type}”班组，但允许在辖区 {district} 施工的单位（{there}）都没有"
            ),
            both!(
                "allow a contractor with \"{crew_type}\" crews in district {district} (these have \
                 some: {with}), or move the task to another district",
                "请允许有“{crew_type}”班组的施工单位在辖区 {district} 施工（这些单位有：{with}），\
                 或把任务移到其他辖区"
            ),
        );
    }
}
