//! Due-anchored seeds of the genetic search.
//!
//! A backward pass that ends every station's work by its due day (plus an
//! allowance) and everything else by the last due day (plus a tail) spreads
//! the bottleneck crews' work back from the deadline; the forward pass in
//! the order of those starts then brings it all as early as it goes. The
//! smallest allowance that fits is found by bisection, for the stations and
//! then for the time nodes (the other way round when the search ranks the
//! nodes first), and the allowances just above it seed the population.
//! Further seeds pull one due day's time nodes a few weeks ahead
//! ([`NODE_LEADS`]) so that their work goes before the stations' competing
//! for the same crews.

use super::*;

impl GeneticSearch<'_, '_> {
    /// Schedules anchored on the due days: a backward pass that ends every
    /// group member by its due day plus an allowance `late`, and everything
    /// else by the latest due day plus `late + tail`, spreads the work of the
    /// bottleneck crews back from the deadline (commissioning staggered over
    /// the season instead of piled up at its end); the forward pass in the
    /// order of those starts then brings it all as early as it goes. The
    /// smallest allowance for which the backward pass fits is found by
    /// bisection; the allowances just above it seed the population. A
    /// re-plan whose due rule's order does not fit between the data date and
    /// the horizon at all anchors the baseline's order instead (after a long
    /// slip the simple rules' plans run past the horizon, the baseline's
    /// order packs the crews as well as the plan did).
    pub(super) fn due_anchored(&mut self) -> Vec<Individual> {
        let Some(due_rule) = self.due_rule.clone() else {
            return Vec::new();
        };
        // The due rule's order, or (re-planning, when that order does not
        // fit into the horizon at all after the data date) the baseline's.
        let h = self.p.horizon;
        let last_due = self.last_due();
        let max_late = h.saturating_sub(last_due.min(h));
        let mut orders = vec![due_rule];
        if self.p.baseline.is_some() {
            orders.extend(self.rules.last().cloned());
        }
        let fitting = orders.into_iter().find_map(|prio| {
            let list = self.sgs.list_from_priority(&prio)?;
            let caps = self.anchor_caps(max_late, 0, None);
            self.sgs
                .backward_capped(&list, ModePolicy::Best, &caps)
                .map(|_| (prio, list))
        });
        let Some((prio, list)) = fitting else {
            return Vec::new();
        };
        self.due_rule = Some(prio);
        let caps =
            |s: &Self, late: Day, tail: Day, nodes: Option<Day>| s.anchor_caps(late, tail, nodes);
        let fits_with = |s: &mut Self, late: Day, tail: Day, nodes: Option<Day>| {
            let caps = caps(s, late, tail, nodes);
            s.sgs.backward_capped(&list, ModePolicy::Best, &caps)
        };
        // The smallest allowance past the stations' due days that fits
        // (with the time nodes' allowance `nodes`, if given).
        let station_allowance = |s: &mut Self, nodes: Option<Day>| {
            let (mut lo, mut hi) = (0, max_late);
            if fits_with(s, 0, TAIL, nodes).is_some() {
                hi = 0;
            }
            while lo < hi && !s.done() {
                let mid = (lo + hi) / 2;
                if fits_with(s, mid, TAIL, nodes).is_some() {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            hi
        };
        // With the stations' allowance `late` kept, the smallest allowance
        // past the nodes' due days that still fits, then per due day a
        // smaller one (into `node_late` and `node_allow`).
        let node_allowances = |s: &mut Self, late: Day| {
            if s.node_due.iter().all(|&d| d == Day::MAX)
                || fits_with(s, late, TAIL, Some(h)).is_none()
            {
                return;
            }
            let (mut lo, mut top) = (0, h);
            while lo < top && !s.done() {
                let mid = (lo + top) / 2;
                if fits_with(s, late, TAIL, Some(mid)).is_some() {
                    top = mid;
                } else {
                    lo = mid + 1;
                }
            }
            s.node_late = Some(top);
            // One allowance for every node lets a node due early run as
            // late as the latest-reached one: per due day, earliest first,
            // the smallest allowance that still fits with the others'.
            for d in s.node_due_days() {
                let (mut lo, mut least) = (0, top);
                while lo < least && !s.done() {
                    let mid = (lo + least) / 2;
                    s.set_node_allow(d, mid);
                    if fits_with(s, late, TAIL, Some(top)).is_some() {
                        least = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
                s.set_node_allow(d, least);
            }
        };
        let hi = if self.rank.is_some() {
            // Ranking the nodes first: their allowances with the stations'
            // work free to end by the horizon, then the stations' smallest
            // allowance with the nodes' kept.
            node_allowances(self, max_late);
            let nodes = self.node_late;
            station_allowance(self, nodes)
        } else {
            // The time nodes come second: with the stations' allowance kept.
            let hi = station_allowance(self, None);
            node_allowances(self, hi);
            hi
        };
        self.anchor_late = Some(hi);
        let mut out = Vec::new();
        // The forward passes of neighbouring allowances differ widely (the
        // mode choices and the order of the work no station waits for shift
        // with them): a sweep gives the population varied good starts.
        let nodes = self.node_late;
        let mut variants: Vec<(Day, Day, Option<Day>)> = Vec::new();
        for (late, tail) in (0..16).map(|k| (hi + k, TAIL)).chain([(hi, 3), (hi, 30)]) {
            if nodes.is_some() {
                variants.push((late, tail, nodes));
            }
            variants.push((late, tail, None));
        }
        for (late, tail, node_late) in variants {
            if self.done() {
                break;
            }
            if let Some(back) = fits_with(self, late, tail, node_late) {
                out.extend(self.forward_from(&back));
            }
        }
        if let Some(nodes) = self.node_late {
            for lead in self.node_led_variants() {
                if self.done() {
                    break;
                }
                self.node_lead = Some(lead);
                let back = fits_with(self, hi, TAIL, Some(nodes));
                self.node_lead = None;
                if let Some(back) = back {
                    out.extend(self.forward_from(&back));
                }
            }
        }
        out
    }

    /// The candidates a backward pass seeds: its order of starts decoded
    /// forward with its modes and with the modes chosen when decoded.
    fn forward_from(&mut self, back: &Schedule) -> Vec<Individual> {
        let starts: Vec<i64> = back.starts.iter().map(|&s| s as i64).collect();
        let Some(order) = self.sgs.list_from_priority(&starts) else {
            return Vec::new();
        };
        let n = self.p.activities.len();
        let mut out: Vec<Individual> = self
            .evaluate(&order, back.modes.clone())
            .into_iter()
            .collect();
        out.extend(self.evaluate(&order, vec![ANY_MODE; n]));
        out
    }

    /// The time nodes' due days, ascending.
    pub(super) fn node_due_days(&self) -> Vec<Day> {
        let mut dues: Vec<Day> = (self.node_due.iter().copied())
            .filter(|&d| d != Day::MAX)
            .collect();
        dues.sort_unstable();
        dues.dedup();
        dues
    }

    /// Leads for the seeds that pull one due day's time nodes ahead: each
    /// due day with each of [`NODE_LEADS`]. The forward pass takes the
    /// activities in the order of the backward pass's starts, so a node
    /// anchored a few weeks before its due day has its work ahead of the
    /// stations' competing for the same crews, where the plain anchor leaves
    /// it behind them and it waits for crews (the city's interconnection).
    pub(super) fn node_led_variants(&self) -> Vec<(Day, Day)> {
        let dues = self.node_due_days();
        dues.iter()
            .flat_map(|&d| NODE_LEADS.iter().map(move |&l| (d, l)))
            .collect()
    }

    /// Sets the allowance past the time nodes due on day `due`.
    pub(super) fn set_node_allow(&mut self, due: Day, allow: Day) {
        self.node_allow.retain(|x| x.0 != due);
        self.node_allow.push((due, allow));
    }

    /// The latest station due day (the horizon when no station has one).
    pub(super) fn last_due(&self) -> Day {
        self.member_due
            .iter()
            .copied()
            .filter(|&d| d != Day::MAX)
            .max()
            .unwrap_or(self.p.horizon)
    }

    /// Latest ends for a due-anchored backward pass: every station group
    /// member by its due day plus `late`, everything else by the last due day
    /// plus `late + tail`; with `nodes`, every time node's member also by the
    /// node's due day plus that allowance (or its due day's own smaller one,
    /// see `node_allow`).
    pub(super) fn anchor_caps(&self, late: Day, tail: Day, nodes: Option<Day>) -> Vec<Day> {
        let h = self.p.horizon;
        let last_due = self.last_due();
        self.member_due
            .iter()
            .zip(&self.node_due)
            .map(|(&due, &node)| {
                let cap = if due != Day::MAX {
                    due.saturating_add(late).min(h)
                } else {
                    last_due.saturating_add(late + tail).min(h)
                };
                match nodes {
                    Some(nl) if node != Day::MAX => {
                        let own = self.node_allow.iter().find(|x| x.0 == node);
                        let nl = own.map_or(nl, |x| x.1.min(nl));
                        let lead = self.node_lead.filter(|x| x.0 == node).map_or(0, |x| x.1);
                        cap.min(node.saturating_add(nl).min(h).saturating_sub(lead))
                    }
                    _ => cap,
                }
            })
            .collect()
    }

    /// A due-anchored candidate from a list sampled around the due rule and
    /// an allowance drawn just above the smallest that fitted.
    pub(super) fn random_anchored(&mut self, late: Day) -> Option<Individual> {
        let prio = self.due_rule.clone()?;
        let list = self.sample(&prio);
        let late = late + self.rng.below(16) as Day;
        let nodes = self.node_late.filter(|_| self.rng.below(2) == 0);
        // Half of those pull one due day's nodes ahead by a random lead.
        if nodes.is_some() && self.rng.below(2) == 0 {
            let dues = self.node_due_days();
            if !dues.is_empty() {
                let d = dues[self.rng.below(dues.len())];
                let max = NODE_LEADS[NODE_LEADS.len() - 1] as usize;
                self.node_lead = Some((d, 1 + self.rng.below(max) as Day));
            }
        }
        let caps = self.anchor_caps(late, TAIL, nodes);
        self.node_lead = None;
        let back = self.sgs.backward_capped(&list, ModePolicy::Best, &caps)?;
        let starts: Vec<i64> = back.starts.iter().map(|&s| s as i64).collect();
        let order = self.sgs.list_from_priority(&starts)?;
        let modes = if self.rng.below(2) == 0 {
            back.modes
        } else {
            vec![ANY_MODE; self.p.activities.len()]
        };
        self.evaluate(&order, modes)
    }
}
