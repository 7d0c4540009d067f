//! Lookups over a parsed scenario: which id names what, what a reference in
//! `[[links]]` or a milestone's `after` points at, and weekday names.
//!
//! Links and milestones name tasks, pipe segments, stations, milestones,
//! districts (milestones only) or one step of an element as `ELEMENT/key`.
//! [`ElementIndex`] resolves such a reference once, for validation and for
//! activity generation alike.

use super::{Scenario, WorkStep};
use chrono::Weekday;
use std::collections::BTreeMap;

/// What kind of thing an id in the link namespace names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ElementKind {
    /// A pipe segment (`[[segments]]`).
    Segment,
    /// A heat-exchange station (`[[stations]]`).
    Station,
    /// An extra task (`[[tasks]]`).
    Task,
    /// A milestone (`[[milestones]]`).
    Milestone,
    /// A district (`[[districts]]`; only milestones may wait for one).
    District,
}

impl ElementKind {
    /// The word a construction manager would use, e.g. `segment`.
    pub fn noun(self) -> &'static str {
        match self {
            ElementKind::Segment => "segment",
            ElementKind::Station => "station",
            ElementKind::Task => "task",
            ElementKind::Milestone => "milestone",
            ElementKind::District => "district",
        }
    }

    /// The noun in Chinese (管段, 热力站, …).
    pub fn noun_zh(self) -> &'static str {
        match self {
            ElementKind::Segment => "管段",
            ElementKind::Station => "热力站",
            ElementKind::Task => "任务",
            ElementKind::Milestone => "里程碑",
            ElementKind::District => "辖区",
        }
    }

    /// The TOML table the kind is defined under, e.g. `[[segments]]`.
    pub fn section(self) -> &'static str {
        match self {
            ElementKind::Segment => "[[segments]]",
            ElementKind::Station => "[[stations]]",
            ElementKind::Task => "[[tasks]]",
            ElementKind::Milestone => "[[milestones]]",
            ElementKind::District => "[[districts]]",
        }
    }
}

/// One thing in the link namespace: its kind and its index in the
/// scenario's list of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ElementRef {
    /// What it is.
    pub kind: ElementKind,
    /// Index into `segments`, `stations`, `tasks`, `milestones` or
    /// `districts`.
    pub index: usize,
}

/// What a reference such as `P012`, `T3` or `P012/test` points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A whole task, element, milestone or district.
    Whole(ElementRef),
    /// One template step of a segment or station.
    Step {
        /// The segment or station.
        element: ElementRef,
        /// Index of the step in the element's template.
        step: usize,
    },
}

/// Why a reference could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// No task, segment, station, milestone or district has this id.
    UnknownId(String),
    /// `ELEMENT/key` where ELEMENT is not a segment or station.
    NoSteps(ElementRef),
    /// `ELEMENT/key` where the element's template has no step `key`.
    UnknownStep(ElementRef, String),
}

/// Every id of the link namespace (segments, stations, tasks, milestones,
/// districts) with what it names. When an id is defined twice the first
/// definition wins (validation reports the duplicate).
#[derive(Debug, Clone, Default)]
pub struct ElementIndex {
    ids: BTreeMap<String, ElementRef>,
}

impl ElementIndex {
    /// Indexes a scenario's segments, stations, tasks, milestones and
    /// districts, in that order of precedence.
    pub fn new(s: &Scenario) -> ElementIndex {
        let mut ids = BTreeMap::new();
        let lists: [(ElementKind, Vec<&str>); 5] = [
            (
                ElementKind::Segment,
                s.segments.iter().map(|x| x.id.get_ref().as_str()).collect(),
            ),
            (
                ElementKind::Station,
                s.stations.iter().map(|x| x.id.get_ref().as_str()).collect(),
            ),
            (
                ElementKind::Task,
                s.tasks.iter().map(|x| x.id.get_ref().as_str()).collect(),
            ),
            (
                ElementKind::Milestone,
                s.milestones
                    .iter()
                    .map(|x| x.id.get_ref().as_str())
                    .collect(),
            ),
            (
                ElementKind::District,
                s.districts
                    .iter()
                    .map(|x| x.id.get_ref().as_str())
                    .collect(),
            ),
        ];
        for (kind, list) in lists {
            for (index, id) in list.into_iter().enumerate() {
                ids.entry(id.to_string())
                    .or_insert(ElementRef { kind, index });
            }
        }
        ElementIndex { ids }
    }

    /// What `id` names, if anything.
    pub fn get(&self, id: &str) -> Option<ElementRef> {
        self.ids.get(id).copied()
    }

    /// All ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.keys().map(String::as_str)
    }

    /// Resolves a reference: an id, or `ELEMENT/key` for one step of a
    /// segment or station.
    pub fn resolve(&self, s: &Scenario, reference: &str) -> Result<Target, RefError> {
        if let Some(element) = self.get(reference) {
            return Ok(Target::Whole(element));
        }
        let Some((id, key)) = reference.rsplit_once('/') else {
            return Err(RefError::UnknownId(reference.to_string()));
        };
        let element = self
            .get(id)
            .ok_or_else(|| RefError::UnknownId(id.to_string()))?;
        let steps = s.steps_of(element.kind).ok_or(RefError::NoSteps(element))?;
        steps
            .iter()
            .position(|st| st.key.get_ref() == key)
            .map(|step| Target::Step { element, step })
            .ok_or_else(|| RefError::UnknownStep(element, key.to_string()))
    }
}

impl Scenario {
    /// The index of ids that links and milestones may reference.
    pub fn element_ids(&self) -> ElementIndex {
        ElementIndex::new(self)
    }

    /// The template steps of a kind of element (`None` for kinds that have
    /// no template: tasks, milestones, districts).
    pub fn steps_of(&self, kind: ElementKind) -> Option<&[WorkStep]> {
        match kind {
            ElementKind::Segment => Some(&self.templates.segment),
            ElementKind::Station => Some(&self.templates.station),
            _ => None,
        }
    }

    /// The id of a thing in the link namespace.
    pub fn id_of(&self, r: ElementRef) -> Option<&str> {
        let id = match r.kind {
            ElementKind::Segment => &self.segments.get(r.index)?.id,
            ElementKind::Station => &self.stations.get(r.index)?.id,
            ElementKind::Task => &self.tasks.get(r.index)?.id,
            ElementKind::Milestone => &self.milestones.get(r.index)?.id,
            ElementKind::District => &self.districts.get(r.index)?.id,
        };
        Some(id.get_ref())
    }
}

/// Reads a weekday name: `Mon` or `Monday` (any case), likewise for the
/// other days.
pub fn parse_weekday(name: &str) -> Option<Weekday> {
    const DAYS: [(&str, Weekday); 7] = [
        ("monday", Weekday::Mon),
        ("tuesday", Weekday::Tue),
        ("wednesday", Weekday::Wed),
        ("thursday", Weekday::Thu),
        ("friday", Weekday::Fri),
        ("saturday", Weekday::Sat),
        ("sunday", Weekday::Sun),
    ];
    let lower = name.trim().to_lowercase();
    DAYS.iter()
        .find(|(full, _)| lower == *full || lower == full[..3])
        .map(|&(_, day)| day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekday_names() {
        assert_eq!(parse_weekday("Sun"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("SUNDAY"), Some(Weekday::Sun));
        assert_eq!(parse_weekday("mon"), Some(Weekday::Mon));
        assert_eq!(parse_weekday("Sonntag"), None);
        assert_eq!(parse_weekday("Su"), None);
    }
}
