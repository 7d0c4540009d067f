//! Stub: replaced by the topology module.
use crate::scenario::Scenario;
/// The network topology.
pub struct Network {
    paths: Vec<Option<Vec<usize>>>,
}
impl Network {
    /// Builds the topology.
    pub fn new(s: &Scenario) -> Network {
        let _ = s;
        Network {
            paths: s.stations.iter().map(|_| Some(vec![])).collect(),
        }
    }
    /// Supply path of a station.
    pub fn supply_path(&self, station: usize) -> Option<Vec<usize>> {
        self.paths.get(station).cloned().flatten()
    }
}
