//! The pipe network as a plain value: nodes, segments, heat sources and the
//! supply path of every station.
//!
//! # Supply paths and precedences
//!
//! Heat reaches a station from a heat source (a CHP plant's outlet) through
//! pipe segments. The **supply path** of a station is the shortest route by
//! pipe length from any heat source's node to the station's node. A station
//! is *heat-ready* only when the station itself is built **and** every
//! segment on its supply path is finished and tested (the end of the
//! segment template's `supply_ready` step). So the topology yields the
//! precedences "segment tested → station heat-ready" for every segment on
//! the path; nobody has to type them in.
//!
//! Segments tagged `interconnection` link the two plants' networks so that
//! each can back the other up; they never feed a station and are left out
//! of supply paths (they still count as pipe to build).
//!
//! Among equally long routes the choice is deterministic: nodes are settled
//! in order of (distance, node index) and a node keeps the arriving segment
//! with the lowest index among equally short ones.
//!
//! The network is built once, from the scenario file during validation
//! (which checks that every station is reachable), and handed on inside the
//! [`Programme`](super::Programme). Its indices are those of the file's
//! lists, so a [`StationId`](super::programme::StationId)'s index is the
//! station's index here. Because it sees the file before the checks are
//! done, it is robust: segments, stations or sources whose node does not
//! exist are skipped (a station on an unknown node has no supply path),
//! segments with a non-finite length are not used for supply, and negative
//! lengths count as 0.

use crate::scenario::Scenario;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

/// The tag that marks a segment as a back-up link between plants.
pub const INTERCONNECTION_TAG: &str = "interconnection";

/// A diameter band for reporting pipe quantities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DnBand {
    /// Label, e.g. `DN150–300`.
    pub label: &'static str,
    /// Largest DN in the band (`u32::MAX` for the last band).
    pub dn_max: u32,
}

/// The diameter bands used by [`Network::km_by_dn_band`]: up to DN300, up to
/// DN500, up to DN800, and everything larger. Diameters below DN150 count in
/// the first band, diameters between bands (e.g. DN320) in the next larger.
pub const DN_BANDS: [DnBand; 4] = [
    DnBand {
        label: "DN150–300",
        dn_max: 300,
    },
    DnBand {
        label: "DN350–500",
        dn_max: 500,
    },
    DnBand {
        label: "DN600–800",
        dn_max: 800,
    },
    DnBand {
        label: "DN900–1000+",
        dn_max: u32::MAX,
    },
];

/// A pipe segment in the network.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Segment id.
    pub id: String,
    /// Node indices of the two ends (`None` when a node id is unknown).
    pub ends: Option<(usize, usize)>,
    /// Route length in metres.
    pub length_m: f64,
    /// Nominal diameter.
    pub dn: u32,
    /// Tagged `interconnection`: not part of any supply path.
    pub interconnection: bool,
}

/// The network topology of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// Node ids, in file order.
    pub nodes: Vec<String>,
    /// Segments, indexed as in the scenario's `segments`.
    pub edges: Vec<Edge>,
    /// Node index of every heat source, indexed as in `sources` (`None` for
    /// an unknown node).
    pub source_nodes: Vec<Option<usize>>,
    /// Node index of every station, indexed as in `stations` (`None` for an
    /// unknown node).
    pub station_nodes: Vec<Option<usize>>,
    /// Node index by id (the first node when an id is repeated).
    node_index: HashMap<String, usize>,
    /// For every node, the segments touching it (ascending index).
    adjacency: Vec<Vec<usize>>,
    /// Shortest supply distance of every node (infinite when unreachable).
    distance: Vec<f64>,
    /// The segment by which the shortest supply route arrives at each node.
    arrival: Vec<Option<usize>>,
}

impl Network {
    /// Builds the topology and every node's shortest supply route.
    pub fn new(s: &Scenario) -> Network {
        let nodes: Vec<String> = s.nodes.iter().map(|n| n.id.get_ref().clone()).collect();
        let mut node_index = HashMap::new();
        for (i, id) in nodes.iter().enumerate() {
            node_index.entry(id.clone()).or_insert(i);
        }
        let find = |id: &str| node_index.get(id).copied();
        let edges: Vec<Edge> = s
            .segments
            .iter()
            .map(|seg| Edge {
                id: seg.id.get_ref().clone(),
                ends: find(seg.from.get_ref()).zip(find(seg.to.get_ref())),
                length_m: *seg.length_m.get_ref(),
                dn: *seg.dn.get_ref(),
                interconnection: seg.tags.iter().any(|t| t.get_ref() == INTERCONNECTION_TAG),
            })
            .collect();
        let source_nodes = s.sources.iter().map(|x| find(x.node.get_ref())).collect();
        let station_nodes = s.stations.iter().map(|x| find(x.node.get_ref())).collect();
        let mut adjacency = vec![Vec::new(); nodes.len()];
        for (e, edge) in edges.iter().enumerate() {
            if let Some((a, b)) = edge.ends {
                adjacency[a].push(e);
                if b != a {
                    adjacency[b].push(e);
                }
            }
        }
        let mut net = Network {
            nodes,
            edges,
            source_nodes,
            station_nodes,
            node_index,
            adjacency,
            distance: Vec::new(),
            arrival: Vec::new(),
        };
        net.compute_supply_routes();
        net
    }

    /// The index of the node with id `id`.
    pub fn node(&self, id: &str) -> Option<usize> {
        self.node_index.get(id).copied()
    }

    /// Segment indices touching node `node` (ascending).
    pub fn segments_at(&self, node: usize) -> &[usize] {
        self.adjacency.get(node).map_or(&[], Vec::as_slice)
    }

    /// True when a segment may carry heat to a station: its ends exist, it
    /// is not an interconnection, and its length is a finite number.
    fn supplies(&self, e: usize) -> bool {
        let edge = &self.edges[e];
        edge.ends.is_some() && !edge.interconnection && edge.length_m.is_finite()
    }

    /// Multi-source Dijkstra from every heat source's node.
    fn compute_supply_routes(&mut self) {
        let n = self.nodes.len();
        self.distance = vec![f64::INFINITY; n];
        self.arrival = vec![None; n];
        let mut settled = vec![false; n];
        let mut heap = BinaryHeap::new();
        for &node in self.source_nodes.iter().flatten() {
            self.distance[node] = 0.0;
            heap.push(Visit {
                distance: 0.0,
                node,
            });
        }
        while let Some(Visit { distance, node }) = heap.pop() {
            if settled[node] {
                continue;
            }
            settled[node] = true;
            for &e in &self.adjacency[node] {
                if !self.supplies(e) {
                    continue;
                }
                let edge = &self.edges[e];
                let (a, b) = edge.ends.expect("supplying edges have ends");
                let next = if a == node { b } else { a };
                if settled[next] {
                    continue;
                }
                let d = distance + edge.length_m.max(0.0);
                let better = d < self.distance[next]
                    || (d == self.distance[next] && self.arrival[next].is_some_and(|old| e < old));
                if better {
                    self.distance[next] = d;
                    self.arrival[next] = Some(e);
                    heap.push(Visit {
                        distance: d,
                        node: next,
                    });
                }
            }
        }
    }

    /// Walks the shortest supply route back from a reached node: the
    /// segments in flow order and the source node it starts at.
    fn route_to(&self, mut node: usize) -> (Vec<usize>, usize) {
        let mut path = Vec::new();
        while let Some(e) = self.arrival[node] {
            path.push(e);
            let (a, b) = self.edges[e].ends.expect("route edges have ends");
            node = if a == node { b } else { a };
        }
        path.reverse();
        (path, node)
    }

    /// The node of a station when a heat source reaches it.
    fn reached_node(&self, station: usize) -> Option<usize> {
        let node = (*self.station_nodes.get(station)?)?;
        self.distance[node].is_finite().then_some(node)
    }

    /// The supply path of station `station` (its index in `stations`): the
    /// segment indices from the heat source to the station, in flow order.
    /// `Some(vec![])` when the station sits on a source's node; `None` when
    /// no heat source reaches it (or the index or its node is unknown).
    pub fn supply_path(&self, station: usize) -> Option<Vec<usize>> {
        Some(self.route_to(self.reached_node(station)?).0)
    }

    /// Length in metres of the supply path of a station (`None` when
    /// unreachable).
    pub fn supply_distance_m(&self, station: usize) -> Option<f64> {
        Some(self.distance[self.reached_node(station)?])
    }

    /// The heat source whose network supplies a station (index into
    /// `sources`; the lowest index when several sources share the node).
    pub fn supplying_source(&self, station: usize) -> Option<usize> {
        let (_, origin) = self.route_to(self.reached_node(station)?);
        self.source_nodes.iter().position(|&n| n == Some(origin))
    }

    /// Stations (indices into `stations`) that no heat source reaches, in
    /// file order.
    pub fn unreachable_stations(&self) -> Vec<usize> {
        (0..self.station_nodes.len())
            .filter(|&st| self.supply_path(st).is_none())
            .collect()
    }

    /// Kilometres of pipe in each of [`DN_BANDS`] (all segments, including
    /// interconnections).
    pub fn km_by_dn_band(&self) -> [f64; DN_BANDS.len()] {
        let mut km = [0.0; DN_BANDS.len()];
        for edge in &self.edges {
            if !edge.length_m.is_finite() {
                continue;
            }
            let band = DN_BANDS
                .iter()
                .position(|b| edge.dn <= b.dn_max)
                .unwrap_or(DN_BANDS.len() - 1);
            km[band] += edge.length_m / 1000.0;
        }
        km
    }

    /// Total kilometres of pipe (all segments with a finite length).
    pub fn total_km(&self) -> f64 {
        self.km_by_dn_band().iter().sum()
    }
}

/// A heap entry: smallest distance first, then lowest node index.
#[derive(Debug, Clone, Copy)]
struct Visit {
    distance: f64,
    node: usize,
}

impl PartialEq for Visit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Visit {}

impl PartialOrd for Visit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Visit {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap.
        other
            .distance
            .total_cmp(&self.distance)
            .then_with(|| other.node.cmp(&self.node))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{parse, Source};

    /// Builds a scenario around the given nodes, segments and stations.
    fn scenario(body: &str) -> Scenario {
        let text = format!(
            r#"
[programme]
name = "t"
window_start = 2022-04-01
window_end = 2022-09-30
deadline = 2022-09-30

[templates]
segment = [{{ key = "lay", name = "Lay", crew = "pipe", days = 1 }}]
station = [{{ key = "build", name = "Build", crew = "civil", days = 1 }}]

[[districts]]
id = "D"
contractors = ["C"]
max_open_trenches = 2

[[contractors]]
id = "C"
crews = {{ pipe = 1, civil = 1 }}

{body}
"#
        );
        let src = Source {
            file: "t.toml".into(),
            text,
        };
        parse(&src).unwrap_or_else(|e| panic!("{e}"))
    }

    fn seg(id: &str, from: &str, to: &str, len: f64, dn: u32, tags: &str) -> String {
        let len = if len.is_nan() {
            "nan".to_string()
        } else {
            format!("{len:?}")
        };
        format!(
            "[[segments]]\nid = \"{id}\"\nfrom = \"{from}\"\nto = \"{to}\"\nlength_m = {len}\ndn = {dn}\ndistrict = \"D\"\ntags = [{tags}]\n"
        )
    }

    fn nodes(ids: &[&str]) -> String {
        ids.iter()
            .map(|id| format!("[[nodes]]\nid = \"{id}\"\n"))
            .collect()
    }

    fn station(id: &str, node: &str) -> String {
        format!(
            "[[stations]]\nid = \"{id}\"\nnode = \"{node}\"\nheated_area_m2 = 1000.0\nhouseholds = 10\ndistrict = \"D\"\n"
        )
    }

    /// Two plants, each with a small tree, joined by an interconnection.
    fn two_trees() -> Scenario {
        let mut body = nodes(&["NE", "A", "B", "SW", "C", "D"]);
        body += "[[sources]]\nid = \"NE_PLANT\"\nnode = \"NE\"\n";
        body += "[[sources]]\nid = \"SW_PLANT\"\nnode = \"SW\"\n";
        body += &seg("P0", "NE", "A", 500.0, 800, "");
        body += &seg("P1", "A", "B", 300.0, 400, "");
        body += &seg("P2", "SW", "C", 400.0, 600, "");
        body += &seg("P3", "C", "D", 200.0, 200, "");
        // The interconnection is short: it must still not feed B from SW.
        body += &seg("X", "B", "D", 10.0, 1000, "\"interconnection\"");
        body += &station("S_B", "B");
        body += &station("S_D", "D");
        body += &station("S_NE", "NE");
        scenario(&body)
    }

    #[test]
    fn each_tree_feeds_its_own_stations() {
        let net = Network::new(&two_trees());
        assert_eq!(net.supply_path(0), Some(vec![0, 1]));
        assert_eq!(net.supply_path(1), Some(vec![2, 3]));
        assert_eq!(net.supplying_source(0), Some(0));
        assert_eq!(net.supplying_source(1), Some(1));
        assert_eq!(net.supply_distance_m(0), Some(800.0));
        assert_eq!(net.node("B"), Some(2));
        assert_eq!(net.segments_at(2), &[1, 4]);
    }

    #[test]
    fn a_station_on_a_source_node_needs_no_pipe() {
        let net = Network::new(&two_trees());
        assert_eq!(net.supply_path(2), Some(vec![]));
        assert_eq!(net.supplying_source(2), Some(0));
        assert!(net.unreachable_stations().is_empty());
    }

    #[test]
    fn km_by_band_counts_every_segment() {
        let net = Network::new(&two_trees());
        let km = net.km_by_dn_band();
        for (got, want) in km.iter().zip([0.2, 0.3, 0.9, 0.01]) {
            assert!((got - want).abs() < 1e-9, "{km:?}");
        }
        assert!((net.total_km() - 1.41).abs() < 1e-9);
    }

    #[test]
    fn in_a_loop_the_shorter_way_round_is_chosen() {
        let mut body = nodes(&["S", "A", "B", "T"]);
        body += "[[sources]]\nid = \"PLANT\"\nnode = \"S\"\n";
        body += &seg("P0", "S", "A", 100.0, 300, "");
        body += &seg("P1", "A", "T", 100.0, 300, "");
        body += &seg("P2", "S", "B", 50.0, 300, "");
        body += &seg("P3", "B", "T", 100.0, 300, "");
        body += &station("ST", "T");
        let net = Network::new(&scenario(&body));
        assert_eq!(net.supply_path(0), Some(vec![2, 3]));
    }

    #[test]
    fn equal_routes_prefer_lower_segment_indices() {
        let mut body = nodes(&["S", "A", "B", "T"]);
        body += "[[sources]]\nid = \"PLANT\"\nnode = \"S\"\n";
        body += &seg("P0", "S", "B", 100.0, 300, "");
        body += &seg("P1", "B", "T", 100.0, 300, "");
        body += &seg("P2", "S", "A", 100.0, 300, "");
        body += &seg("P3", "A", "T", 100.0, 300, "");
        body += &station("ST", "T");
        let net = Network::new(&scenario(&body));
        assert_eq!(net.supply_path(0), Some(vec![0, 1]));
    }

    #[test]
    fn a_station_behind_an_interconnection_only_is_unreachable() {
        let mut body = nodes(&["S", "A", "B", "Z"]);
        body += "[[sources]]\nid = \"PLANT\"\nnode = \"S\"\n";
        body += &seg("P0", "S", "A", 100.0, 300, "");
        body += &seg("X", "A", "B", 100.0, 300, "\"interconnection\"");
        body += &station("ST_A", "A");
        body += &station("ST_B", "B");
        body += &station("ST_Z", "Z");
        let net = Network::new(&scenario(&body));
        assert_eq!(net.unreachable_stations(), vec![1, 2]);
        assert_eq!(net.supply_path(1), None);
    }

    #[test]
    fn bad_references_are_skipped_without_panicking() {
        let mut body = nodes(&["S", "A"]);
        body += "[[sources]]\nid = \"PLANT\"\nnode = \"S\"\n";
        body += "[[sources]]\nid = \"GHOST\"\nnode = \"NOPE\"\n";
        body += &seg("P0", "S", "A", 100.0, 300, "");
        body += &seg("P1", "A", "MISSING", 100.0, 300, "");
        body += &seg("P2", "S", "A", f64::NAN, 300, "");
        body += &station("ST", "NOWHERE");
        body += &station("ST_A", "A");
        let net = Network::new(&scenario(&body));
        assert_eq!(net.edges[1].ends, None);
        assert_eq!(net.supply_path(0), None);
        assert_eq!(net.supply_path(1), Some(vec![0]));
        assert_eq!(net.supply_path(99), None);
        assert_eq!(net.unreachable_stations(), vec![0]);
    }
}
