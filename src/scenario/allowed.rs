//! Who may do what where: the one place that decides which contractors can
//! do work of a crew type in a district.
//!
//! The rule: a contractor may do work needing crew type `T` in district `D`
//! when `D` lists the contractor under `contractors` **and** the contractor
//! has at least one crew of type `T` ([`Contractor::provides`]). The order is
//! the order of the district's list, and it is the order of an activity's
//! modes in the scheduling model.
//!
//! The table is built once from the scenario file during validation (the
//! crew checks and the size check ask it) and handed over, with typed
//! indices, inside the [`Programme`](super::Programme) (activities ask it).
//! It is robust to an invalid file: a listed contractor that does not exist
//! is skipped, and a repeated contractor id means its first definition.

use super::{Contractor, Scenario};
use std::collections::HashMap;

/// For each (district, crew type), the contractors allowed to do such work
/// there, as indices into the scenario's `districts` and `contractors`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allowed {
    /// Contractor indices by district index, then crew type; missing when
    /// none.
    table: HashMap<usize, HashMap<String, Vec<usize>>>,
}

impl Allowed {
    /// Applies the rule to every district of a scenario file.
    pub fn new(s: &Scenario) -> Allowed {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (i, c) in s.contractors.iter().enumerate() {
            first.entry(c.id.get_ref().as_str()).or_insert(i);
        }
        let mut table: HashMap<usize, HashMap<String, Vec<usize>>> = HashMap::new();
        for (d, district) in s.districts.iter().enumerate() {
            for listed in &district.contractors {
                let Some(&c) = first.get(listed.get_ref().as_str()) else {
                    continue;
                };
                let contractor: &Contractor = &s.contractors[c];
                for crew in contractor.crews.keys() {
                    if contractor.provides(crew) {
                        let crews = table.entry(d).or_default();
                        crews.entry(crew.clone()).or_default().push(c);
                    }
                }
            }
        }
        Allowed { table }
    }

    /// The contractors (indices into `contractors`) that may do work of
    /// crew type `crew` in district `district` (an index into `districts`),
    /// in the order the district lists them; empty when none may.
    pub fn get(&self, district: usize, crew: &str) -> &[usize] {
        self.table
            .get(&district)
            .and_then(|crews| crews.get(crew))
            .map_or(&[], Vec::as_slice)
    }
}
