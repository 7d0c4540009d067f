//! The work breakdown the reports share: activities grouped by district
//! (scenario order, work without a district last) and, inside a district,
//! by element (pipe segment, station, task, milestone) in model order.

use crate::plan::cpm::NetworkPlan;

/// One element's activities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementGroup {
    /// Element id.
    pub element: String,
    /// Element kind (`segment`, `station`, `task`, `milestone`).
    pub kind: String,
    /// Activity indices in model order.
    pub activities: Vec<usize>,
}

/// One district's elements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistrictGroup {
    /// District id (empty for work without a district).
    pub district: String,
    /// Elements in model order.
    pub elements: Vec<ElementGroup>,
}

/// Groups the plan's activities by district and element.
pub fn breakdown(np: &NetworkPlan) -> Vec<DistrictGroup> {
    let mut order: Vec<String> = np.districts.iter().map(|d| d.id.clone()).collect();
    for a in &np.plan.activities {
        if !a.district.is_empty() && !order.contains(&a.district) {
            order.push(a.district.clone());
        }
    }
    order.push(String::new());
    let mut out = Vec::new();
    for d in order {
        let mut elements: Vec<ElementGroup> = Vec::new();
        for (i, a) in np.plan.activities.iter().enumerate() {
            if a.district != d {
                continue;
            }
            match elements
                .iter_mut()
                .find(|e| e.element == a.element && e.kind == a.element_kind)
            {
                Some(e) => e.activities.push(i),
                None => elements.push(ElementGroup {
                    element: a.element.clone(),
                    kind: a.element_kind.clone(),
                    activities: vec![i],
                }),
            }
        }
        if !elements.is_empty() {
            out.push(DistrictGroup {
                district: d,
                elements,
            });
        }
    }
    out
}
