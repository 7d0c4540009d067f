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
//! Work content is measured in crew-days at normal productivity; the model
//! turns it into calendar-aware durations per contractor.

use crate::network::Network;
use crate::scenario::allowed::Allowed;
use crate::scenario::{LinkType, Scenario, WorkStep};
use crate::schedule::LinkKind;
use std::collections::HashMap;

/// Which scenario element an activity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Element {
    /// `segments[i]`.
    Segment(usize),
    /// `stations[i]`.
    Station(usize),
    /// `tasks[i]`.
    Task(usize),
    /// `milestones[i]`.
    Milestone(usize),
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
    pub district: Option<String>,
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
    /// Contractors that may do it (one mode each); empty when no crew is needed.
    pub contractors: Vec<String>,
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
    pub district: String,
}

/// A station's heat-ready target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeatReady {
    /// Index in `stations`.
    pub station: usize,
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
    /// Index of each element's first and last activity.
    pub bounds: HashMap<String, (usize, usize)>,
}

impl WorkBreakdown {
    /// Expands a validated scenario. References that do not resolve are
    /// skipped (validation reports them).
    pub fn new(s: &Scenario, network: &Network) -> WorkBreakdown {
        let mut b = Builder::default();
        let allowed = allowed_contractors(s);
        for (i, seg) in s.segments.iter().enumerate() {
            let district = seg.district.get_ref();
            let tags: Vec<String> = seg.tags.iter().map(|t| t.get_ref().clone()).collect();
            let first = b.items.len();
            b.steps(
                &s.templates.segment,
                Element::Segment(i),
                seg.id.get_ref(),
                district,
                &tags,
                &allowed,
                |step| segment_work(step, *seg.length_m.get_ref(), *seg.dn.get_ref()),
            );
            let last = b.items.len() - 1;
            if seg.method.opens_trench() && last >= first {
                b.trenches.push(Trench {
                    first,
                    last,
                    district: district.clone(),
                });
            }
        }
        for (i, st) in s.stations.iter().enumerate() {
            let tags: Vec<String> = st.tags.iter().map(|t| t.get_ref().clone()).collect();
            let area = *st.heated_area_m2.get_ref();
            b.steps(
                &s.templates.station,
                Element::Station(i),
                st.id.get_ref(),
                st.district.get_ref(),
                &tags,
                &allowed,
                |step| {
                    step.days.as_ref().map_or(0.0, |d| *d.get_ref())
                        + step.days_per_10k_m2.as_ref().map_or(0.0, |d| *d.get_ref()) * area
                            / 10_000.0
                },
            );
        }
        for (i, t) in s.tasks.iter().enumerate() {
            let district = t.district.as_ref().map(|d| d.get_ref().clone());
            let crew = t.crew.as_ref().map(|c| c.get_ref().clone());
            let contractors = match (&district, &crew) {
                (Some(d), Some(c)) => allowed
                    .get(&(d.clone(), c.clone()))
                    .cloned()
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            let idx = b.push(WorkItem {
                id: t.id.get_ref().clone(),
                name: t.name.clone(),
                element: Element::Task(i),
                element_id: t.id.get_ref().clone(),
                district,
                crew_type: crew,
                tags: t.tags.iter().map(|x| x.get_ref().clone()).collect(),
                work: *t.days.get_ref(),
                calendar_days: t.calendar_days,
                not_before: t.not_before.as_ref().map(|d| d.get_ref().0),
                contractors,
            });
            b.bounds.insert(t.id.get_ref().clone(), (idx, idx));
        }
        for (i, m) in s.milestones.iter().enumerate() {
            let idx = b.push(WorkItem {
                id: m.id.get_ref().clone(),
                name: m.name.clone(),
                element: Element::Milestone(i),
                element_id: m.id.get_ref().clone(),
                district: None,
                crew_type: None,
                tags: Vec::new(),
                work: 0.0,
                calendar_days: false,
                not_before: None,
                contractors: Vec::new(),
            });
            b.bounds.insert(m.id.get_ref().clone(), (idx, idx));
        }
        b.supply_links(s, network);
        b.explicit_links(s);
        b.milestone_links(s);
        WorkBreakdown {
            items: b.items,
            precedences: b.links,
            trenches: b.trenches,
            heat_ready: b.heat_ready,
            bounds: b.bounds,
        }
    }
}

/// Work content of a segment step: length over the rate of its DN band, or fixed days.
fn segment_work(step: &WorkStep, length_m: f64, dn: u32) -> f64 {
    if let Some(d) = &step.days {
        return *d.get_ref();
    }
    step.rates
        .iter()
        .find(|r| dn <= r.dn_max)
        .map_or(0.0, |r| length_m / *r.metres_per_day.get_ref())
}

/// For each (district, crew type): the contractors allowed to do such work
/// there, by the rule of [`Allowed`].
fn allowed_contractors(s: &Scenario) -> HashMap<(String, String), Vec<String>> {
    let allowed = Allowed::new(s);
    let mut out = HashMap::new();
    for (d, district) in s.districts.iter().enumerate() {
        for crew in s.contractors.iter().flat_map(|c| c.crews.keys()) {
            let ids = allowed.get(d, crew);
            if !ids.is_empty() {
                let ids = ids.iter().map(|&c| s.contractors[c].id.get_ref().clone());
                out.insert((district.id.get_ref().clone(), crew.clone()), ids.collect());
            }
        }
    }
    out
}

#[derive(Default)]
struct Builder {
    items: Vec<WorkItem>,
    links: Vec<Precedence>,
    trenches: Vec<Trench>,
    heat_ready: Vec<HeatReady>,
    bounds: HashMap<String, (usize, usize)>,
    /// supply_ready activity of each segment, by segment index.
    ready: HashMap<usize, usize>,
    /// (first, last) of each station, by station index.
    stations: HashMap<usize, (usize, usize)>,
}

impl Builder {
    fn push(&mut self, item: WorkItem) -> usize {
        self.items.push(item);
        self.items.len() - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn steps(
        &mut self,
        template: &[WorkStep],
        element: Element,
        element_id: &str,
        district: &str,
        element_tags: &[String],
        allowed: &HashMap<(String, String), Vec<String>>,
        work: impl Fn(&WorkStep) -> f64,
    ) {
        if template.is_empty() {
            return;
        }
        let first = self.items.len();
        for (k, step) in template.iter().enumerate() {
            let crew = step.crew.get_ref().clone();
            let mut tags: Vec<String> = step.tags.iter().map(|t| t.get_ref().clone()).collect();
            tags.extend(element_tags.iter().cloned());
            let idx = self.push(WorkItem {
                id: format!("{element_id}/{}", step.key.get_ref()),
                name: step.name.clone(),
                element,
                element_id: element_id.to_string(),
                district: Some(district.to_string()),
                contractors: allowed
                    .get(&(district.to_string(), crew.clone()))
                    .cloned()
                    .unwrap_or_default(),
                crew_type: Some(crew),
                tags,
                work: work(step),
                calendar_days: false,
                not_before: None,
            });
            self.bounds.insert(self.items[idx].id.clone(), (idx, idx));
            if k > 0 {
                let kind = match step.link {
                    LinkType::Fs => LinkKind::FinishToStart,
                    LinkType::Ss => LinkKind::StartToStart,
                };
                self.links.push(Precedence {
                    from: idx - 1,
                    to: idx,
                    kind,
                    lag: step.lag_days,
                });
            }
        }
        let last = self.items.len() - 1;
        self.bounds.insert(element_id.to_string(), (first, last));
        match element {
            Element::Segment(i) => {
                let k = template
                    .iter()
                    .position(|s| s.supply_ready)
                    .unwrap_or(template.len() - 1);
                self.ready.insert(i, first + k);
            }
            Element::Station(i) => {
                self.stations.insert(i, (first, last));
            }
            _ => {}
        }
    }

    fn supply_links(&mut self, s: &Scenario, network: &Network) {
        for (i, st) in s.stations.iter().enumerate() {
            let Some(&(_, last)) = self.stations.get(&i) else {
                continue;
            };
            for seg in network.supply_path(i).unwrap_or_default() {
                if let Some(&r) = self.ready.get(&seg) {
                    self.links.push(Precedence {
                        from: r,
                        to: last,
                        kind: LinkKind::FinishToStart,
                        lag: 0,
                    });
                }
            }
            self.heat_ready.push(HeatReady {
                station: i,
                activity: last,
                households: *st.households.get_ref(),
            });
        }
    }

    fn explicit_links(&mut self, s: &Scenario) {
        for l in &s.links {
            let (Some(&(_, from)), Some(&(to, _))) = (
                self.bounds.get(l.from.get_ref()),
                self.bounds.get(l.to.get_ref()),
            ) else {
                continue;
            };
            let kind = match l.kind {
                LinkType::Fs => LinkKind::FinishToStart,
                LinkType::Ss => LinkKind::StartToStart,
            };
            // A start-to-start link starts from the predecessor's first activity.
            let from = if kind == LinkKind::StartToStart {
                self.bounds[l.from.get_ref()].0
            } else {
                from
            };
            self.links.push(Precedence {
                from,
                to,
                kind,
                lag: l.lag_days,
            });
        }
    }

    fn milestone_links(&mut self, s: &Scenario) {
        for m in &s.milestones {
            let Some(&(to, _)) = self.bounds.get(m.id.get_ref()) else {
                continue;
            };
            for a in &m.after {
                let name = a.get_ref();
                if let Some(&(_, from)) = self.bounds.get(name) {
                    self.links.push(Precedence {
                        from,
                        to,
                        kind: LinkKind::FinishToStart,
                        lag: 0,
                    });
                } else if s.districts.iter().any(|d| d.id.get_ref() == name) {
                    self.district_links(s, name, to);
                }
            }
        }
    }

    /// Links the last activity of every segment, station and task of `district` to `to`.
    fn district_links(&mut self, s: &Scenario, district: &str, to: usize) {
        let ids = s
            .segments
            .iter()
            .filter(|x| x.district.get_ref() == district)
            .map(|x| x.id.get_ref())
            .chain(
                s.stations
                    .iter()
                    .filter(|x| x.district.get_ref() == district)
                    .map(|x| x.id.get_ref()),
            )
            .chain(
                s.tasks
                    .iter()
                    .filter(|x| x.district.as_ref().is_some_and(|d| d.get_ref() == district))
                    .map(|x| x.id.get_ref()),
            );
        let lasts: Vec<usize> = ids
            .filter_map(|id| self.bounds.get(id).map(|b| b.1))
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

    fn tutorial() -> (Scenario, WorkBreakdown) {
        let text = include_str!("../scenarios/tutorial.toml").to_string();
        let s = load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let wb = WorkBreakdown::new(&s, &Network::new(&s));
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
        let key = s.templates.segment[ready].key.get_ref();
        let last = s.templates.station.last().unwrap().key.get_ref();
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
            .find(|h| s.stations[h.station].id.get_ref() == "ST-A")
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
        let rate = step
            .rates
            .iter()
            .find(|r| *seg.dn.get_ref() <= r.dn_max)
            .unwrap();
        let expected = seg.length_m.get_ref() / rate.metres_per_day.get_ref();
        assert!((wb.items[0].work - expected).abs() < 1e-9);
        assert!(!wb.items[0].contractors.is_empty());
    }
}
