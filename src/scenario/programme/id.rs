//! Typed indices into a [`Programme`](super::Programme)'s lists.
//!
//! Each kind of thing in a programme (node, segment, station, district,
//! contractor, …) has its own index type, so that a district index cannot be
//! passed where a contractor index is meant. An index is the position in
//! the programme's list of that kind, which is the position of the entry in
//! the scenario file; `programme[id]` gives the entry.
//!
//! Indices are only meaningful for the programme they came from. They
//! serialise as the plain number.

/// Declares a typed index with its `Index` implementation on `Programme`.
macro_rules! typed_index {
    ($(#[$doc:meta])* $name:ident => $field:ident: $item:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(usize);

        impl $name {
            /// The index of entry number `index` (0-based) of its list.
            pub const fn new(index: usize) -> $name {
                $name(index)
            }

            /// The position in the programme's list (and in the file).
            pub fn index(self) -> usize {
                self.0
            }
        }

        impl std::ops::Index<$name> for super::Programme {
            type Output = super::$item;
            fn index(&self, id: $name) -> &super::$item {
                &self.$field[id.0]
            }
        }
    };
}

typed_index!(
    /// A network node (`[[nodes]]`).
    NodeId => nodes: Node
);
typed_index!(
    /// A heat source (`[[sources]]`).
    SourceId => sources: HeatSource
);
typed_index!(
    /// A pipe segment (`[[segments]]`).
    SegmentId => segments: Segment
);
typed_index!(
    /// A heat-exchange station (`[[stations]]`).
    StationId => stations: Station
);
typed_index!(
    /// A district (`[[districts]]`).
    DistrictId => districts: District
);
typed_index!(
    /// A contractor (`[[contractors]]`).
    ContractorId => contractors: Contractor
);
typed_index!(
    /// An extra task (`[[tasks]]`).
    TaskId => tasks: Task
);
typed_index!(
    /// A milestone (`[[milestones]]`).
    MilestoneId => milestones: Milestone
);

/// A step of a work template: its position in the segment or the station
/// template (which one is known from the element it is a step of).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct StepId(usize);

impl StepId {
    /// Step number `index` (0-based) of a template.
    pub const fn new(index: usize) -> StepId {
        StepId(index)
    }

    /// The position in the template.
    pub fn index(self) -> usize {
        self.0
    }
}
