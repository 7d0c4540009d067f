//! From network elements to activities: the work breakdown of a programme.
//!
//! Every pipe segment and every station is expanded through its work template
//! into a chain of activities (`P012/trench`, `P012/lay`, …); extra tasks and
//! milestones become one activity each. Precedences come from three places:
//!
//! 1. the template order inside an element (finish-to-start or
//!    start-to-start with a lag);
//! 2. the topology: a station's last step (commissioning) waits for the
//!    `supply_ready` step of every segment on its supply path from a heat
//!    source — nobody types these in;
//! 3. the scenario's explicit `[[links]]` and the milestones' `after` lists.
//!
//! Everything is read from a validated [`Programme`]: references are typed
//! indices already, the supply paths come from its network, and who may do
//! each activity from [`Programme::allowed`]. Work content is measured in
//! crew-days at normal productivity; the model turns it into
//! calendar-aware durations per contractor.

use crate::scenario::programme::{
    ContractorId, DistrictId, Element as Named, MilestoneId, Reference, SegmentId, StationId, Step,
    TaskId,
};
use crate::scenario::{LinkType, Programme};
use crate::schedule::LinkKind;
use std::collections::HashMap;

/// Which programme element an activity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Element {
    /// A pipe segment.
    Segment(SegmentId),
    /// A station.
    Station(StationId),
    /// A task.
    Task(TaskId),
    /// A milestone.
    Milestone(MilestoneId),
}

impl Element {
    /// The element kind as a word (`segment`, `station`, `task`, `milestone`).
    pub fn kind(self) -> &'static str {
        match self {
            Element::Segment(_) => "segment",
            Element::Station(_) => "station",
            Element::Task(_) => "task",
            Element::Milestone(_) => "milestone",
        }
    }
}

/// One activity in domain terms.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkItem {
    /// Unique id: `ELEMENT/key` for template steps, the id for tasks and milestones.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The element it belongs to.
    pub element: Element,
    /// The element's id.
    pub element_id: String,
    /// District responsible, if any.
    pub district: Option<DistrictId>,
    /// Crew type needed, if any.
    pub crew_type: Option<String>,
    /// Work tags (step tags and element tags), matched by the calendar.
    pub tags: Vec<String>,
    /// Work content in crew-days at normal productivity (0 for milestones).
    pub work: f64,
    /// True when the work counts calendar days (permits), not working days.
    pub calendar_days: bool,
    /// Earliest start date, if constrained.
    pub not_before: Option<chrono::NaiveDate>,
    /// Contractors that may do it (one mode each), by
    /// [`Programme::allowed`]; empty when no crew is needed.
    pub contractors: Vec<ContractorId>,
}

/// A precedence between two work items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Precedence {
    /// Predecessor index.
    pub from: usize,
    /// Successor index.
    pub to: usize,
    /// FS or SS.
    pub kind: LinkKind,
    /// Lag in days.
    pub lag: i32,
}

/// An open-cut segment's trench: open from its first to its last activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trench {
    /// First activity (opens the trench).
    pub first: usize,
    /// Last activity (reinstatement closes it).
    pub last: usize,
    /// District whose trench limit it counts against.
    pub district: DistrictId,
}

/// A station's heat-ready target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatReady {
    /// The station.
    pub station: StationId,
    /// The activity whose end makes the station heat-ready.
    pub activity: usize,
    /// Households supplied.
    pub households: u64,
}

/// The activities of a programme and everything that links them.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkBreakdown {
    /// All activities.
    pub items: Vec<WorkItem>,
    /// All precedences.
    pub precedences: Vec<Precedence>,
    /// Open trenches.
    pub trenches: Vec<Trench>,
    /// Station targets, one per station.
    pub heat_ready: Vec<HeatReady>,
    /// Index of each element's first and last activity, by element id and
    /// by `ELEMENT/key`.
    pub bounds: HashMap<String, (usize, usize)>,
}

impl WorkBreakdown {
    /// Expands a validated programme.
    pub fn new(p: &Programme) -> WorkBreakdown {
        let mut b = Builder::default();
        for (i, seg) in p.segments.iter().enumerate() {
            let first = b.items.len();
            b.steps(
                p,
                &p.templates.segment,
                Element::Segment(SegmentId::new(i)),
                &seg.id,
                seg.district,
                &seg.tags,
                |step| step.segment_work(seg.length_m, seg.dn),
            );
            b.segments.push(first);
            let last = b.items.len() - 1;
            if seg.method.opens_trench() && last >= first {
                b.trenches.push(Trench {
                    first,
                    last,
                    district: seg.district,
                });
            }
        }
        for (i, st) in p.stations.iter().enumerate() {
            b.stations.push(b.items.len());
            b.steps(
                p,
                &p.templates.station,
                Element::Station(StationId::new(i)),
                &st.id,
                st.district,
                &st.tags,
                |step| step.station_work(st.heated_area_m2),
            );
        }
        for (i, t) in p.tasks.iter().enumerate() {
            let contractors = match (t.district, &t.crew) {
                (Some(d), Some(c)) => p.allowed(d, c).to_vec(),
                _ => Vec::new(),
            };
            b.tasks.push(b.items.len());
            let idx = b.push(WorkItem {
                id: t.id.clone(),
                name: t.name.clone(),
                element: Element::Task(TaskId::new(i)),
                element_id: t.id.clone(),
                district: t.district,
                crew_type: t.crew.clone(),
                tags: t.tags.clone(),
                work: t.days,
                calendar_days: t.calendar_days,
                not_before: t.not_before,
                contractors,
            });
            b.bounds.insert(t.id.clone(), (idx, idx));
        }
        for (i, m) in p.milestones.iter().enumerate() {
            b.milestones.push(b.items.len());
            let idx = b.push(WorkItem {
                id: m.id.clone(),
                name: m.name.clone(),
                element: Element::Milestone(MilestoneId::new(i)),
                element_id: m.id.clone(),
                district: None,
                crew_type: None,
                tags: Vec::new(),
                work: 0.0,
                calendar_days: false,
                not_before: None,
                contractors: Vec::new(),
            });
            b.bounds.insert(m.id.clone(), (idx, idx));
        }
        b.supply_links(p);
        b.explicit_links(p);
        b.milestone_links(p);
        WorkBreakdown {
            items: b.items,
            precedences: b.links,
            trenches: b.trenches,
            heat_ready: b.heat_ready,
            bounds: b.bounds,
        }
    }
}

/// The schedule's link kind of a scenario link type.
fn link_kind(t: LinkType) -> LinkKind {
    match t {
        LinkType::Fs => LinkKind::FinishToStart,
        LinkType::Ss => LinkKind::StartToStart,
    }
}

#[derive(Default)]
struct Builder {
    items: Vec<WorkItem>,
    links: Vec<Precedence>,
    trenches: Vec<Trench>,
    heat_ready: Vec<HeatReady>,
    bounds: HashMap<String, (usize, usize)>,
    /// First activity of each segment, by segment index.
    segments: Vec<usize>,
    /// First activity of each station, by station index.
    stations: Vec<usize>,
    /// The activity of each task, by task index.
    tasks: Vec<usize>,
    /// The activity of each milestone, by milestone index.
    milestones: Vec<usize>,
}

impl Builder {
    fn push(&mut self, item: WorkItem) -> usize {
        self.items.push(item);
        self.items.len() - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn steps(
        &mut self,
        p: &Programme,
        template: &[Step],
        element: Element,
        element_id: &str,
        district: DistrictId,
        element_tags: &[String],
        work: impl Fn(&Step) -> f64,
    ) {
        if template.is_empty() {
            return;
        }
        let first = self.items.len();
        for (k, step) in template.iter().enumerate() {
            let mut tags = step.tags.clone();
            tags.extend(element_tags.iter().cloned());
            let idx = self.push(WorkItem {
                id: format!("{element_id}/{}", step.key),
                name: step.name.clone(),
                element,
                element_id: element_id.to_string(),
                district: Some(district),
                contractors: p.allowed(district, &step.crew).to_vec(),
                crew_type: Some(step.crew.clone()),
                tags,
                work: work(step),
                calendar_days: false,
                not_before: None,
            });
            self.bounds.insert(self.items[idx].id.clone(), (idx, idx));
            if k > 0 {
                self.links.push(Precedence {
                    from: idx - 1,
                    to: idx,
                    kind: link_kind(step.link),
                    lag: step.lag_days,
                });
            }
        }
        let last = self.items.len() - 1;
        self.bounds.insert(element_id.to_string(), (first, last));
    }

    /// The first and last activity of what a reference names (`None` for a
    /// district).
    fn range(&self, p: &Programme, r: Reference) -> Option<(usize, usize)> {
        let (first, width) = match r.element {
            Named::Segment(s) => (self.segments[s.index()], p.templates.segment.len()),
            Named::Station(s) => (self.stations[s.index()], p.templates.station.len()),
            Named::Task(t) => (self.tasks[t.index()], 1),
            Named::Milestone(m) => (self.milestones[m.index()], 1),
            Named::District(_) => return None,
        };
        match r.step {
            Some(k) => Some((first + k.index(), first + k.index())),
            None => Some((first, first + width - 1)),
        }
    }

    fn supply_links(&mut self, p: &Programme) {
        let ready = p.templates.supply_ready().index();
        let last = p.templates.station.len() - 1;
        for (i, st) in p.stations.iter().enumerate() {
            let last = self.stations[i] + last;
            for seg in p.network.supply_path(i).unwrap_or_default() {
                self.links.push(Precedence {
                    from: self.segments[seg] + ready,
                    to: last,
                    kind: LinkKind::FinishToStart,
                    lag: 0,
                });
            }
            self.heat_ready.push(HeatReady {
                station: StationId::new(i),
                activity: last,
                households: st.households,
            });
        }
    }

    fn explicit_links(&mut self, p: &Programme) {
        for l in &p.links {
            let (Some(from), Some(to)) = (self.range(p, l.from), self.range(p, l.to)) else {
                continue;
            };
            let kind = link_kind(l.kind);
            // A start-to-start link starts from the predecessor's first
            // activity, a finish-to-start one from its last.
            let from = if kind == LinkKind::StartToStart {
                from.0
            } else {
                from.1
            };
            self.links.push(Precedence {
                from,
                to: to.0,
                kind,
                lag: l.lag_days,
            });
        }
    }

    fn milestone_links(&mut self, p: &Programme) {
        for (i, m) in p.milestones.iter().enumerate() {
            let to = self.milestones[i];
            for &a in &m.after {
                if let Some((_, from)) = self.range(p, a) {
                    self.links.push(Precedence {
                        from,
                        to,
                        kind: LinkKind::FinishToStart,
                        lag: 0,
                    });
                } else if let Named::District(d) = a.element {
                    self.district_links(p, d, to);
                }
            }
        }
    }

    /// Links the last activity of every segment, station and task of
    /// `district` to `to`.
    fn district_links(&mut self, p: &Programme, district: DistrictId, to: usize) {
        let segments = (0..p.segments.len())
            .filter(|&i| p.segments[i].district == district)
            .map(|i| Named::Segment(SegmentId::new(i)));
        let stations = (0..p.stations.len())
            .filter(|&i| p.stations[i].district == district)
            .map(|i| Named::Station(StationId::new(i)));
        let tasks = (0..p.tasks.len())
            .filter(|&i| p.tasks[i].district == Some(district))
            .map(|i| Named::Task(TaskId::new(i)));
        let lasts: Vec<usize> = segments
            .chain(stations)
            .chain(tasks)
            .filter_map(|element| {
                self.range(
                    p,
                    Reference {
                        element,
                        step: None,
                    },
                )
            })
            .map(|(_, last)| last)
            .collect();
        for from in lasts {
            self.links.push(Precedence {
                from,
                to,
                kind: LinkKind::FinishToStart,
                lag: 0,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load, Source};

    fn tutorial() -> (Programme, WorkBreakdown) {
        let text = include_str!("../scenarios/tutorial.toml").to_string();
        let s = load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let wb = WorkBreakdown::new(&s);
        (s, wb)
    }

    fn index(wb: &WorkBreakdown, id: &str) -> usize {
        wb.items
            .iter()
            .position(|i| i.id == id)
            .unwrap_or_else(|| panic!("no {id}"))
    }

    fn linked(wb: &WorkBreakdown, from: &str, to: &str, kind: LinkKind) -> bool {
        let (f, t) = (index(wb, from), index(wb, to));
        wb.precedences
            .iter()
            .any(|p| p.from == f && p.to == t && p.kind == kind)
    }

    #[test]
    fn every_element_expands_through_its_template() {
        let (s, wb) = tutorial();
        let steps = s.segments.len() * s.templates.segment.len()
            + s.stations.len() * s.templates.station.len();
        assert_eq!(wb.items.len(), steps + s.tasks.len() + s.milestones.len());
        assert!(linked(
            &wb,
            "S01/trench",
            "S01/lay",
            LinkKind::FinishToStart
        ));
        assert_eq!(
            wb.bounds["S01"],
            (index(&wb, "S01/trench"), index(&wb, "S01/backfill"))
        );
    }

    #[test]
    fn station_commissioning_waits_for_its_supply_path() {
        let (s, wb) = tutorial();
        // ST-A is on node NA, fed from the plant through S01 (N0-N1) and S03 (N1-NA).
        let ready = s
            .templates
            .segment
            .iter()
            .position(|t| t.supply_ready)
            .unwrap();
        let key = &s.templates.segment[ready].key;
        let last = &s.templates.station.last().unwrap().key;
        for seg in ["S01", "S03"] {
            assert!(linked(
                &wb,
                &format!("{seg}/{key}"),
                &format!("ST-A/{last}"),
                LinkKind::FinishToStart
            ));
        }
        assert!(!linked(
            &wb,
            &format!("S02/{key}"),
            &format!("ST-A/{last}"),
            LinkKind::FinishToStart
        ));
        let target = wb
            .heat_ready
            .iter()
            .find(|h| s[h.station].id == "ST-A")
            .unwrap();
        assert_eq!(target.activity, index(&wb, &format!("ST-A/{last}")));
        assert_eq!(target.households, 750);
    }

    #[test]
    fn explicit_links_resolve_elements_and_steps() {
        let (_, wb) = tutorial();
        // A link to an element enters its first step; from a task leaves the task.
        assert!(linked(
            &wb,
            "diversion-renmin",
            "S01/trench",
            LinkKind::FinishToStart
        ));
        // A start-to-start link from a step.
        assert!(linked(
            &wb,
            "S04/trench",
            "S06/trench",
            LinkKind::StartToStart
        ));
    }

    #[test]
    fn only_open_cut_segments_hold_trenches() {
        let (s, wb) = tutorial();
        let open_cut = s
            .segments
            .iter()
            .filter(|x| x.method.opens_trench())
            .count();
        assert_eq!(wb.trenches.len(), open_cut);
        assert!(
            open_cut < s.segments.len(),
            "the tutorial has a trenchless crossing"
        );
    }

    #[test]
    fn segment_work_follows_the_dn_band() {
        let (s, wb) = tutorial();
        let step = &s.templates.segment[0];
        let seg = &s.segments[0];
        let rate = step.rates.iter().find(|r| seg.dn <= r.0).unwrap();
        let expected = seg.length_m / rate.1;
        assert!((wb.items[0].work - expected).abs() < 1e-9);
        assert!(!wb.items[0].contractors.is_empty());
    }
}
