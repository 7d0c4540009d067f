//! The abstract scheduling problem every solver in heatplan works on.
//!
//! A [`Problem`] is a resource-constrained project scheduling problem on a
//! day grid, general enough to hold both a district-heating programme and a
//! PSPLIB instance:
//!
//! * time is counted in whole days `0..horizon` from the start of the
//!   construction window; an activity started on day `s` in mode `m` holds its
//!   resources on every day of `[s, end)` where `end` comes from the mode's
//!   [`Timing`] — a fixed duration, or a table precomputed from the calendar
//!   (working days, bans, productivity), so calendars never reach the solvers;
//! * a mode is one way of doing an activity (for heatplan: one allowed
//!   contractor) with its own demand on renewable [`Resource`]s;
//! * [`Link`]s are finish-to-start or start-to-start precedences with a lag;
//! * [`Span`]s hold a resource from the start of one activity to the end of
//!   another — an open trench stays open from excavation to reinstatement,
//!   whatever crews do in between;
//! * [`DueGroup`]s are the stations and the time nodes: a weight (households,
//!   or a node's weight) and a due day; the group is late by
//!   `max(0, max end of its members - due)` days. Each group sits on a
//!   [`Level`]: the stations' households first, the time nodes (milestones
//!   with a due date, 时间节点) second.
//!
//! The objective is lexicographic — households late, then time nodes late,
//! then the finish day, then the crew-days used — folded into one integer
//! with the weights of [`Objective`]. The model derives the weights from the
//! horizon and the data ([`Objective::lexicographic`]) so that each weight
//! exceeds the largest value all lower levels together can take: no amount of
//! a lower level can ever buy one unit of a higher one, and comparing folded
//! values is comparing the levels in order. The folded value is kept (rather
//! than solving level by level) because every search compares candidates
//! thousands of times a second, and one integer comparison is what they do.
//! A re-plan adds an optional [`Baseline`]: every day an activity starts away
//! from its baseline start, and every activity done in another mode
//! (crew/contractor) than in the baseline, costs its weight, so that among
//! plans as good on the deadline the one closest to the baseline wins.
//! Without a baseline (plans, PSPLIB) nothing changes.

use serde::{Deserialize, Serialize};

/// A day index counted from the start of the construction window (day 0).
pub type Day = u32;

/// Index of an activity in [`Problem::activities`].
pub type ActId = usize;

/// Index of a resource in [`Problem::resources`].
pub type ResId = usize;

/// A renewable resource: crews of one type of one contractor, or the open
/// trenches allowed in one district.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resource {
    /// Human-readable name, e.g. `B/pipe` or `trenches/Xincheng`.
    pub name: String,
    /// Units available on every day.
    pub capacity: u32,
}

/// When a mode may start and when it then ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Timing {
    /// May start on any day; ends `duration` days later.
    Fixed(u32),
    /// `ends[s]` is the exclusive end day when started on day `s`, or
    /// [`Timing::NO_START`] when the activity may not start on day `s`
    /// (a rest day, a ban, or too late to finish inside the horizon).
    Table(Vec<Day>),
}

impl Timing {
    /// Marker in a [`Timing::Table`] for a day the activity may not start on.
    pub const NO_START: Day = Day::MAX;

    /// The exclusive end day when started on `start`, if it may start then.
    pub fn end(&self, start: Day) -> Option<Day> {
        match self {
            Timing::Fixed(d) => Some(start + d),
            Timing::Table(t) => match t.get(start as usize) {
                Some(&e) if e != Self::NO_START => Some(e),
                _ => None,
            },
        }
    }

    /// The shortest duration over the starts in `first..=last` that end by
    /// `latest_end`, if any such start is allowed (used for bounds inside
    /// time windows).
    pub fn shortest_within(&self, first: Day, last: Day, latest_end: Day) -> Option<u32> {
        match self {
            Timing::Fixed(d) => (first <= last && first + d <= latest_end).then_some(*d),
            Timing::Table(t) => (first..=last.min(t.len().saturating_sub(1) as Day))
                .filter_map(|s| self.end(s).filter(|&e| e <= latest_end).map(|e| e - s))
                .min(),
        }
    }

    /// The shortest possible duration in days (used for bounds).
    pub fn min_duration(&self) -> u32 {
        match self {
            Timing::Fixed(d) => *d,
            Timing::Table(t) => t
                .iter()
                .enumerate()
                .filter(|(_, &e)| e != Self::NO_START)
                .map(|(s, &e)| e - s as Day)
                .min()
                .unwrap_or(u32::MAX),
        }
    }

    /// True when the duration is zero for every start (a milestone).
    pub fn is_zero(&self) -> bool {
        matches!(self, Timing::Fixed(0))
    }
}

/// One way of performing an activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mode {
    /// Short label, e.g. the contractor id.
    pub label: String,
    /// Units of each resource held on every day the activity runs.
    pub demands: Vec<(ResId, u32)>,
    /// Start days allowed and the resulting end days.
    pub timing: Timing,
    /// Cost per day the activity runs (crew-days weight) in this mode.
    pub cost_per_day: u32,
}

/// A schedulable unit of work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Identifier, unique in the problem.
    pub name: String,
    /// At least one mode.
    pub modes: Vec<Mode>,
    /// Earliest allowed start day.
    pub release: Day,
}

/// Kind of a precedence link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// `start(to) >= end(from) + lag`
    FinishToStart,
    /// `start(to) >= start(from) + lag`
    StartToStart,
}

/// A precedence between two activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// Predecessor.
    pub from: ActId,
    /// Successor.
    pub to: ActId,
    /// Finish-to-start or start-to-start.
    pub kind: LinkKind,
    /// Lag in days (may be negative for start-to-start overlaps).
    pub lag: i32,
}

/// A resource held from the start of `first` to the end of `last`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The activity whose start opens the span.
    pub first: ActId,
    /// The activity whose end closes the span (must follow `first`).
    pub last: ActId,
    /// The resource held.
    pub resource: ResId,
    /// Units held.
    pub amount: u32,
}

/// The priority level a due group's lateness counts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Households heat-ready by the deadline (weight: households).
    #[default]
    Households,
    /// A time node (milestone with a due date; weight: the node's weight).
    Node,
}

/// A set of activities whose common completion is due by a day (a station
/// being heat-ready, or a time node reached).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueGroup {
    /// Name, e.g. the station id.
    pub name: String,
    /// Weight per day late (households).
    pub weight: u64,
    /// Exclusive due day: on time when every member ends on or before it.
    pub due: Day,
    /// Member activities.
    pub members: Vec<ActId>,
    /// The priority level its lateness counts on.
    #[serde(default)]
    pub level: Level,
}

/// Weights folding the lexicographic objective into one integer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Objective {
    /// Per weighted day late of a [`Level::Households`] group.
    pub lateness: u64,
    /// Per weighted day late of a [`Level::Node`] group.
    #[serde(default)]
    pub node: u64,
    /// Per day of the project's finish (makespan).
    pub finish: u64,
    /// Per unit of mode cost (crew-days).
    pub cost: u64,
}

impl Default for Objective {
    fn default() -> Self {
        Objective {
            lateness: 0,
            node: 0,
            finish: 1,
            cost: 0,
        }
    }
}

impl Objective {
    /// Weights that make the folded objective of `p` lexicographic:
    /// households late, then time nodes late, then the finish, then
    /// crew-days.
    ///
    /// Each weight is one more than the largest value every lower level
    /// together can reach: the crew-days of a plan are at most `C` = the sum
    /// over activities of their dearest mode's cost at its longest duration,
    /// so a finish day weighs `C + 1`; the finish is at most the horizon `H`,
    /// so a node-day weighs `(C + 1)·(H + 1)`; node lateness is at most
    /// `Σ node weights · H`, and a household-day weighs one more than that
    /// times the node weight. A level with nothing on it (no nodes) adds no
    /// factor. When the products would not fit in 64 bits with room for the
    /// households (programmes far larger than a city), the crew-day level is
    /// compressed first — its weight stays 1 and a finish day weighs
    /// whatever still fits — and the order between households, nodes and the
    /// finish is kept.
    pub fn lexicographic(p: &Problem) -> Objective {
        let h = p.horizon as u128;
        let cost_max: u128 = p
            .activities
            .iter()
            .map(|a| {
                a.modes
                    .iter()
                    .map(|m| m.cost_per_day as u128 * max_duration(&m.timing, p.horizon) as u128)
                    .max()
                    .unwrap_or(0)
            })
            .sum();
        let level_max = |level: Level| -> u128 {
            p.groups
                .iter()
                .filter(|g| g.level == level)
                .map(|g| g.weight as u128 * h.saturating_sub(g.due as u128))
                .sum()
        };
        let nodes_max = level_max(Level::Node);
        let households_max = level_max(Level::Households);
        let fold = |cost: u128| -> (u128, u128, u128) {
            let finish = cost * (cost_max + 1);
            let node = finish * (h + 1);
            let lateness = node * (nodes_max + 1);
            (finish, node, lateness)
        };
        let fits = |(f, n, l): (u128, u128, u128)| {
            let total = l * (households_max + 1) + f * (h + 1) + n;
            total <= (u64::MAX / 4) as u128
        };
        let (finish, node, lateness) = if fits(fold(1)) {
            fold(1)
        } else {
            // Compress the crew-day level: a finish day worth 1.
            let node = h + 1;
            let lateness = node * (nodes_max + 1);
            (1, node, lateness)
        };
        Objective {
            lateness: lateness.min(u64::MAX as u128) as u64,
            node: node.min(u64::MAX as u128) as u64,
            finish: finish.min(u64::MAX as u128) as u64,
            cost: 1,
        }
    }

    /// The weight of one day late of a group on `level`.
    pub fn level_weight(&self, level: Level) -> u64 {
        match level {
            Level::Households => self.lateness,
            Level::Node => self.node,
        }
    }
}

/// The longest duration a timing can take for a start inside the horizon.
fn max_duration(t: &Timing, horizon: Day) -> Day {
    match t {
        Timing::Fixed(d) => *d,
        Timing::Table(v) => v
            .iter()
            .enumerate()
            .filter(|(s, &e)| e != Timing::NO_START && (*s as Day) < horizon)
            .map(|(s, &e)| e.saturating_sub(s as Day))
            .max()
            .unwrap_or(0),
    }
}

/// The plan a re-plan should stay close to, with the prices of moving away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Baseline {
    /// Baseline start per activity (`None`: no baseline for it, no cost).
    pub starts: Vec<Option<Day>>,
    /// Baseline mode per activity (`None`: any mode is free).
    pub modes: Vec<Option<usize>>,
    /// Cost per day of `|start - baseline start|`.
    pub shift_weight: u64,
    /// Cost per activity whose mode differs from its baseline mode.
    pub change_weight: u64,
}

impl Baseline {
    /// The deviation cost of activity `a` started on `s` in mode `m`.
    pub fn cost(&self, a: ActId, m: usize, s: Day) -> u64 {
        let shift = self.starts[a].map_or(0, |b| b.abs_diff(s) as u64);
        let change = self.modes[a].is_some_and(|b| b != m) as u64;
        self.shift_weight * shift + self.change_weight * change
    }
}

/// A complete scheduling problem.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// Name, for reports.
    pub name: String,
    /// Every activity must end on or before this day.
    pub horizon: Day,
    /// Renewable resources.
    pub resources: Vec<Resource>,
    /// Activities.
    pub activities: Vec<Activity>,
    /// Precedences.
    pub links: Vec<Link>,
    /// Resources held across several activities.
    pub spans: Vec<Span>,
    /// Due dates with weights (stations).
    pub groups: Vec<DueGroup>,
    /// Objective weights.
    pub objective: Objective,
    /// The plan to stay close to (re-planning only); its deviation cost is
    /// added to the objective after the lateness.
    #[serde(default)]
    pub baseline: Option<Baseline>,
}

/// A start day and a mode for every activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    /// Start day of each activity.
    pub starts: Vec<Day>,
    /// Mode index of each activity.
    pub modes: Vec<usize>,
}

/// Objective value of a schedule, in its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Sum over the stations' due groups of weight × days late
    /// (household-days late).
    pub weighted_lateness: u64,
    /// Sum over the time nodes' due groups of weight × days late.
    #[serde(default)]
    pub node_lateness: u64,
    /// Latest end over all activities.
    pub makespan: Day,
    /// Sum of cost_per_day × duration.
    pub cost: u64,
    /// The folded objective.
    pub value: u64,
}

impl Problem {
    /// The end day of activity `a` started on `s` in mode `m`, if allowed.
    pub fn end(&self, a: ActId, m: usize, s: Day) -> Option<Day> {
        self.activities[a].modes[m].timing.end(s)
    }

    /// Successor lists: for each activity, the indices of links leaving it.
    pub fn out_links(&self) -> Vec<Vec<usize>> {
        let mut out = vec![Vec::new(); self.activities.len()];
        for (i, l) in self.links.iter().enumerate() {
            out[l.from].push(i);
        }
        out
    }

    /// Predecessor lists: for each activity, the indices of links entering it.
    pub fn in_links(&self) -> Vec<Vec<usize>> {
        let mut inn = vec![Vec::new(); self.activities.len()];
        for (i, l) in self.links.iter().enumerate() {
            inn[l.to].push(i);
        }
        inn
    }

    /// A topological order of the activities, or `None` if the links contain
    /// a cycle (see [`topological_order`]).
    pub fn topological_order(&self) -> Option<Vec<ActId>> {
        topological_order(self.activities.len(), &self.links)
    }

    /// The objective weight of one day late of group `g` (its level's
    /// weight times its own).
    pub fn group_weight(&self, g: &DueGroup) -> u64 {
        self.objective.level_weight(g.level) * g.weight
    }

    /// The baseline deviation cost of a schedule (0 without a baseline).
    pub fn deviation(&self, sched: &Schedule) -> u64 {
        self.baseline.as_ref().map_or(0, |b| {
            (0..self.activities.len())
                .map(|a| b.cost(a, sched.modes[a], sched.starts[a]))
                .sum()
        })
    }

    /// The objective of a schedule (assumed to respect timings).
    pub fn score(&self, sched: &Schedule) -> Score {
        let mut makespan = 0;
        let mut cost = 0u64;
        let mut ends = Vec::with_capacity(self.activities.len());
        for (a, act) in self.activities.iter().enumerate() {
            let m = sched.modes[a];
            let s = sched.starts[a];
            let e = self.end(a, m, s).unwrap_or(s);
            makespan = makespan.max(e);
            cost += act.modes[m].cost_per_day as u64 * (e - s) as u64;
            ends.push(e);
        }
        let (mut weighted_lateness, mut node_lateness) = (0, 0);
        for g in &self.groups {
            let fin = g.members.iter().map(|&a| ends[a]).max().unwrap_or(0);
            let late = g.weight * fin.saturating_sub(g.due) as u64;
            match g.level {
                Level::Households => weighted_lateness += late,
                Level::Node => node_lateness += late,
            }
        }
        let o = self.objective;
        Score {
            weighted_lateness,
            node_lateness,
            makespan,
            cost,
            value: o.lateness * weighted_lateness
                + o.node * node_lateness
                + self.deviation(sched)
                + o.finish * makespan as u64
                + o.cost * cost,
        }
    }
}

/// A topological order of activities `0..n` under `links` (every link's
/// `from` before its `to`), or `None` if the links contain a cycle.
///
/// Kahn's algorithm with a stack: it starts from the activities without
/// predecessors, lowest index first, and goes on with the successors each
/// placed activity frees, the last freed first; so the order depends only
/// on `n` and the order of the links. The one topological sort of the crate: the
/// windows, the searches, the bounds and the network-plan analysis (which
/// adds hand-over links to the problem's own) all call it.
pub fn topological_order(n: usize, links: &[Link]) -> Option<Vec<ActId>> {
    let mut indeg = vec![0usize; n];
    let mut out = vec![Vec::new(); n];
    for l in links {
        indeg[l.to] += 1;
        out[l.from].push(l.to);
    }
    let mut stack: Vec<ActId> = (0..n).rev().filter(|&a| indeg[a] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(a) = stack.pop() {
        order.push(a);
        for &b in &out[a] {
            indeg[b] -= 1;
            if indeg[b] == 0 {
                stack.push(b);
            }
        }
    }
    (order.len() == n).then_some(order)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fs(from: ActId, to: ActId) -> Link {
        Link {
            from,
            to,
            kind: LinkKind::FinishToStart,
            lag: 0,
        }
    }

    #[test]
    fn topological_order_puts_every_link_forward_and_finds_cycles() {
        // 3 → 1 → 0, 3 → 2, and 4 alone.
        let links = [fs(3, 1), fs(1, 0), fs(3, 2)];
        let order = topological_order(5, &links).unwrap();
        assert_eq!(order, vec![3, 2, 1, 0, 4]);
        let pos = |a: ActId| order.iter().position(|&x| x == a).unwrap();
        assert!(links.iter().all(|l| pos(l.from) < pos(l.to)));
        assert_eq!(topological_order(3, &[fs(0, 1), fs(1, 2), fs(2, 1)]), None);
        assert_eq!(topological_order(0, &[]), Some(vec![]));
    }
}
