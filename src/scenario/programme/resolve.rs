//! From a scenario file without problems to its [`Programme`]: every id
//! replaced by the typed index of what it names.
//!
//! Only validation calls this, and only for a file in which it found
//! nothing wrong, so every reference resolves. Should one not resolve all
//! the same (a bug in validation), resolving panics with the id rather than
//! producing a programme that points at the wrong thing.

use super::*;
use crate::scenario::allowed::Allowed;
use crate::scenario::types::Person;
use crate::scenario::{self as file, parse_weekday, ElementIndex, ElementKind, Scenario, Text};

/// Ids of one kind by index (the first definition of a repeated id).
struct Ids(HashMap<String, usize>);

impl Ids {
    fn new<'a>(ids: impl Iterator<Item = &'a Text>) -> Ids {
        let mut map = HashMap::new();
        for (i, id) in ids.enumerate() {
            map.entry(id.get_ref().clone()).or_insert(i);
        }
        Ids(map)
    }

    fn get(&self, id: &Text, what: &str) -> usize {
        match self.0.get(id.get_ref()) {
            Some(&i) => i,
            None => panic!(
                "validation let an unknown {what} \"{}\" through",
                id.get_ref()
            ),
        }
    }
}

/// Resolves a validated scenario file; `network` and `allowed` are what
/// validation built from it.
pub(crate) fn resolve(s: &Scenario, network: Network, allowed: &Allowed) -> Programme {
    let nodes = Ids::new(s.nodes.iter().map(|x| &x.id));
    let districts = Ids::new(s.districts.iter().map(|x| &x.id));
    let contractors = Ids::new(s.contractors.iter().map(|x| &x.id));
    let node = |id: &Text| NodeId::new(nodes.get(id, "node"));
    let district = |id: &Text| DistrictId::new(districts.get(id, "district"));
    let texts = |tags: &[Text]| tags.iter().map(|t| t.get_ref().clone()).collect::<Vec<_>>();
    let elements = s.element_ids();
    let reference = |t: &Text| resolve_reference(s, &elements, t);
    let p = &s.programme;
    Programme {
        name: p.name.clone(),
        window_start: p.window_start.get_ref().0,
        window_end: p.window_end.get_ref().0,
        deadline: p.deadline.get_ref().0,
        overrun_days: p.overrun_days,
        calendar: calendar(&s.calendar, &district),
        sources: s
            .sources
            .iter()
            .map(|x| HeatSource {
                id: x.id.get_ref().clone(),
                name: x.name.clone(),
                node: node(&x.node),
            })
            .collect(),
        nodes: s
            .nodes
            .iter()
            .map(|x| Node {
                id: x.id.get_ref().clone(),
                x_km: x.x_km,
                y_km: x.y_km,
            })
            .collect(),
        segments: s
            .segments
            .iter()
            .map(|x| Segment {
                id: x.id.get_ref().clone(),
                from: node(&x.from),
                to: node(&x.to),
                length_m: *x.length_m.get_ref(),
                dn: *x.dn.get_ref(),
                district: district(&x.district),
                method: x.method,
                tags: texts(&x.tags),
            })
            .collect(),
        stations: s
            .stations
            .iter()
            .map(|x| Station {
                id: x.id.get_ref().clone(),
                name: x.name.clone(),
                node: node(&x.node),
                heated_area_m2: *x.heated_area_m2.get_ref(),
                households: *x.households.get_ref(),
                district: district(&x.district),
                tags: texts(&x.tags),
            })
            .collect(),
        templates: Templates {
            segment: s.templates.segment.iter().map(step).collect(),
            station: s.templates.station.iter().map(step).collect(),
        },
        districts: s
            .districts
            .iter()
            .map(|x| District {
                id: x.id.get_ref().clone(),
                name: x.name.clone(),
                contractors: x
                    .contractors
                    .iter()
                    .map(|c| ContractorId::new(contractors.get(c, "contractor")))
                    .collect(),
                max_open_trenches: *x.max_open_trenches.get_ref(),
            })
            .collect(),
        contractors: s
            .contractors
            .iter()
            .map(|x| Contractor {
                id: x.id.get_ref().clone(),
                name: x.name.clone(),
                crews: x
                    .crews
                    .iter()
                    .map(|(k, n)| (k.clone(), *n.get_ref()))
                    .collect(),
                productivity: x
                    .productivity
                    .iter()
                    .map(|(k, f)| (k.clone(), *f.get_ref()))
                    .collect(),
                cost_per_crew_day: x.cost_per_crew_day,
            })
            .collect(),
        tasks: s
            .tasks
            .iter()
            .map(|x| Task {
                id: x.id.get_ref().clone(),
                name: x.name.clone(),
                days: *x.days.get_ref(),
                district: x.district.as_ref().map(district),
                crew: x.crew.as_ref().map(|c| c.get_ref().clone()),
                tags: texts(&x.tags),
                calendar_days: x.calendar_days,
                not_before: x.not_before.as_ref().map(|d| d.get_ref().0),
            })
            .collect(),
        responsible: responsible(s),
        links: s
            .links
            .iter()
            .map(|l| Link {
                from: reference(&l.from),
                to: reference(&l.to),
                kind: l.kind,
                lag_days: l.lag_days,
            })
            .collect(),
        milestones: s
            .milestones
            .iter()
            .map(|m| Milestone {
                id: m.id.get_ref().clone(),
                name: m.name.clone(),
                after: m.after.iter().map(reference).collect(),
                due: m.due.as_ref().map(|d| d.get_ref().0),
                hard: m.hard,
                weight: m.weight.unwrap_or(1),
            })
            .collect(),
        network,
        risk: crate::scenario::risk::resolve(s.risk.as_ref()),
        allowed: (0..s.districts.len())
            .map(|d| {
                let mut crews: HashMap<String, Vec<ContractorId>> = HashMap::new();
                let kinds = s.contractors.iter().flat_map(|c| c.crews.keys());
                for crew in kinds {
                    let ids = allowed.get(d, crew);
                    if !ids.is_empty() {
                        let ids = ids.iter().map(|&c| ContractorId::new(c)).collect();
                        crews.insert(crew.clone(), ids);
                    }
                }
                crews
            })
            .collect(),
    }
}

/// The calendar rules with dates and districts resolved.
fn calendar(c: &file::CalendarSpec, district: &dyn Fn(&Text) -> DistrictId) -> CalendarRules {
    let period = |name: &str, from: &file::Date, to: Option<&file::Date>| Period {
        name: name.to_string(),
        from: from.0,
        to: to.map_or(from.0, |t| t.0),
    };
    let ban = |b: &file::Ban| Ban {
        period: period(
            &b.name,
            b.from.get_ref(),
            b.to.as_ref().map(|t| t.get_ref()),
        ),
        tags: b.tags.iter().map(|t| t.get_ref().clone()).collect(),
        districts: b.districts.iter().map(district).collect(),
    };
    CalendarRules {
        rest_weekdays: c
            .rest_weekdays
            .iter()
            .filter_map(|w| parse_weekday(w.get_ref()))
            .collect(),
        holidays: c
            .holidays
            .iter()
            .map(|h| {
                period(
                    &h.name,
                    h.from.get_ref(),
                    h.to.as_ref().map(|t| t.get_ref()),
                )
            })
            .collect(),
        makeup_days: c.makeup_days.iter().map(|d| d.get_ref().0).collect(),
        bans: c.bans.iter().map(ban).collect(),
        productivity: c
            .productivity
            .iter()
            .map(|q| Slowdown {
                period: period(&q.name, q.from.get_ref(), Some(q.to.get_ref())),
                factor: *q.factor.get_ref(),
                tags: q.tags.iter().map(|t| t.get_ref().clone()).collect(),
            })
            .collect(),
        stop_work: c.stop_work.iter().map(ban).collect(),
    }
}

/// One template step, with its spans dropped.
fn step(s: &file::WorkStep) -> Step {
    Step {
        key: s.key.get_ref().clone(),
        name: s.name.clone(),
        crew: s.crew.get_ref().clone(),
        tags: s.tags.iter().map(|t| t.get_ref().clone()).collect(),
        rates: s
            .rates
            .iter()
            .map(|r| (r.dn_max, *r.metres_per_day.get_ref()))
            .collect(),
        days: s.days.as_ref().map(|d| *d.get_ref()),
        days_per_10k_m2: s.days_per_10k_m2.as_ref().map(|d| *d.get_ref()),
        link: s.link,
        lag_days: s.lag_days,
        supply_ready: s.supply_ready,
    }
}

/// A link end or a milestone's `after` entry as a typed reference.
fn resolve_reference(s: &Scenario, elements: &ElementIndex, text: &Text) -> Reference {
    let target = elements.resolve(s, text.get_ref()).unwrap_or_else(|e| {
        panic!(
            "validation let an unresolvable reference \"{}\" through: {e:?}",
            text.get_ref()
        )
    });
    let (r, step) = match target {
        file::Target::Whole(r) => (r, None),
        file::Target::Step { element, step } => (element, Some(StepId::new(step))),
    };
    let element = match r.kind {
        ElementKind::Segment => Element::Segment(SegmentId::new(r.index)),
        ElementKind::Station => Element::Station(StationId::new(r.index)),
        ElementKind::Task => Element::Task(TaskId::new(r.index)),
        ElementKind::Milestone => Element::Milestone(MilestoneId::new(r.index)),
        ElementKind::District => Element::District(DistrictId::new(r.index)),
    };
    Reference { element, step }
}

/// The persons responsible named in a scenario file.
fn responsible(s: &Scenario) -> Vec<Responsibility> {
    let mut out = Vec::new();
    let mut add = |kind: &str, id: &Text, r: &Option<Person>, c: &Option<Person>| {
        if r.is_some() || c.is_some() {
            out.push(Responsibility {
                kind: kind.to_string(),
                id: id.get_ref().clone(),
                person: r.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
                contact: c.as_ref().map(|p| p.0.clone()).unwrap_or_default(),
            });
        }
    };
    for x in &s.districts {
        add("district", &x.id, &x.responsible, &x.contact);
    }
    for x in &s.contractors {
        add("contractor", &x.id, &x.responsible, &x.contact);
    }
    for x in &s.segments {
        add("segment", &x.id, &x.responsible, &x.contact);
    }
    for x in &s.stations {
        add("station", &x.id, &x.responsible, &x.contact);
    }
    for x in &s.tasks {
        add("task", &x.id, &x.responsible, &x.contact);
    }
    out
}
