//! Maximum flow and minimum cut by Dinic's algorithm (blocking flows on BFS
//! level graphs), written for the time-expanded graphs of [`super`].
//!
//! Every arc is stored with its paired reverse arc, and both carry a
//! capacity of their own: the chain of an activity needs an arc forward
//! with the cost of a start and an uncuttable arc back, and one pair holds
//! both. The blocking flow walks the level graph with an explicit stack (the
//! paths of a time-expanded graph run to thousands of arcs, too deep for
//! recursion) and with a current-arc pointer per node, so each phase costs
//! O(V·E) at worst and far less on these graphs. After the flow, the nodes
//! reachable from the source in the residual graph form the source side of
//! the minimum cut with the fewest nodes.

/// A capacity no cut may take: larger than the sum of every finite
/// capacity the callers build, and small enough never to overflow.
pub(super) const INF: i64 = i64::MAX / 4;

/// A flow network under construction, then solved.
pub(super) struct Network {
    nodes: usize,
    /// Arcs as `(from, to, capacity, reverse capacity)` until [`Network::max_flow`].
    pending: Vec<(u32, u32, i64, i64)>,
    /// First arc of each node (CSR), `nodes + 1` entries.
    first: Vec<usize>,
    to: Vec<u32>,
    cap: Vec<i64>,
    /// Index of each arc's partner.
    partner: Vec<usize>,
}

impl Network {
    /// A network with `nodes` nodes and no arcs.
    pub(super) fn new(nodes: usize) -> Network {
        Network {
            nodes,
            pending: Vec::new(),
            first: Vec::new(),
            to: Vec::new(),
            cap: Vec::new(),
            partner: Vec::new(),
        }
    }

    /// Adds an arc `u → v` with capacity `c` and its partner `v → u` with
    /// capacity `back` (0 for a plain arc).
    pub(super) fn arc(&mut self, u: usize, v: usize, c: i64, back: i64) {
        debug_assert!(u < self.nodes && v < self.nodes && u != v);
        self.pending.push((u as u32, v as u32, c, back));
    }

    fn freeze(&mut self) {
        let mut deg = vec![0usize; self.nodes + 1];
        for &(u, v, _, _) in &self.pending {
            deg[u as usize] += 1;
            deg[v as usize] += 1;
        }
        let mut first = vec![0usize; self.nodes + 1];
        for i in 0..self.nodes {
            first[i + 1] = first[i] + deg[i];
        }
        let m = first[self.nodes];
        let mut fill = first.clone();
        let (mut to, mut cap, mut partner) = (vec![0u32; m], vec![0i64; m], vec![0usize; m]);
        for &(u, v, c, back) in &self.pending {
            let (i, j) = (fill[u as usize], fill[v as usize]);
            fill[u as usize] += 1;
            fill[v as usize] += 1;
            to[i] = v;
            cap[i] = c;
            partner[i] = j;
            to[j] = u;
            cap[j] = back;
            partner[j] = i;
        }
        self.pending = Vec::new();
        (self.first, self.to, self.cap, self.partner) = (first, to, cap, partner);
    }

    /// Pushes a maximum flow from `s` to `t`; returns its value, or `None`
    /// when it is unbounded (a path of uncuttable arcs) or reaches [`INF`].
    pub(super) fn max_flow(&mut self, s: usize, t: usize) -> Option<i64> {
        self.freeze();
        let n = self.nodes;
        let mut level = vec![u32::MAX; n];
        let mut queue = Vec::with_capacity(n);
        let mut total: i64 = 0;
        loop {
            // Levels by breadth-first search on arcs with room.
            level.iter_mut().for_each(|l| *l = u32::MAX);
            level[s] = 0;
            queue.clear();
            queue.push(s);
            let mut head = 0;
            while head < queue.len() {
                let u = queue[head];
                head += 1;
                for e in self.first[u]..self.first[u + 1] {
                    let v = self.to[e] as usize;
                    if self.cap[e] > 0 && level[v] == u32::MAX {
                        level[v] = level[u] + 1;
                        queue.push(v);
                    }
                }
            }
            if level[t] == u32::MAX {
                return Some(total);
            }
            let f = self.blocking_flow(s, t, &mut level)?;
            total = total.checked_add(f).filter(|&x| x < INF)?;
        }
    }

    /// One blocking flow on the level graph; `None` when a path carries
    /// [`INF`].
    fn blocking_flow(&mut self, s: usize, t: usize, level: &mut [u32]) -> Option<i64> {
        let mut cur: Vec<usize> = self.first[..self.nodes].to_vec();
        let mut path: Vec<usize> = Vec::new();
        let mut total: i64 = 0;
        let mut u = s;
        loop {
            if u == t {
                let f = path.iter().map(|&e| self.cap[e]).min().unwrap_or(INF);
                if f >= INF {
                    return None;
                }
                total += f;
                // Push, and go back to the tail of the first saturated arc.
                let mut back_to = path.len();
                for (i, &e) in path.iter().enumerate() {
                    self.cap[e] -= f;
                    self.cap[self.partner[e]] += f;
                    if self.cap[e] == 0 && back_to == path.len() {
                        back_to = i;
                    }
                }
                path.truncate(back_to);
                u = path.last().map_or(s, |&e| self.to[e] as usize);
                continue;
            }
            let mut advanced = false;
            while cur[u] < self.first[u + 1] {
                let e = cur[u];
                let v = self.to[e] as usize;
                if self.cap[e] > 0 && level[v] == level[u] + 1 {
                    path.push(e);
                    u = v;
                    advanced = true;
                    break;
                }
                cur[u] += 1;
            }
            if advanced {
                continue;
            }
            // Dead end: nothing more reaches the sink through `u`.
            level[u] = u32::MAX;
            match path.pop() {
                None => return Some(total),
                Some(e) => {
                    u = self.to[self.partner[e]] as usize;
                    cur[u] += 1;
                }
            }
        }
    }

    /// After [`Network::max_flow`]: the nodes reachable from `s` through arcs
    /// with room (the source side of the minimum cut with fewest nodes).
    pub(super) fn source_side(&self, s: usize) -> Vec<bool> {
        let mut seen = vec![false; self.nodes];
        let mut stack = vec![s];
        seen[s] = true;
        while let Some(u) = stack.pop() {
            for e in self.first[u]..self.first[u + 1] {
                let v = self.to[e] as usize;
                if self.cap[e] > 0 && !seen[v] {
                    seen[v] = true;
                    stack.push(v);
                }
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::rng::Rng;

    /// The minimum cut by brute force over every source side.
    fn brute_min_cut(n: usize, arcs: &[(usize, usize, i64)], s: usize, t: usize) -> i64 {
        let mut best = i64::MAX;
        for mask in 0u32..(1 << n) {
            if mask & (1 << s) == 0 || mask & (1 << t) != 0 {
                continue;
            }
            let cut: i64 = arcs
                .iter()
                .filter(|&&(u, v, _)| mask & (1 << u) != 0 && mask & (1 << v) == 0)
                .map(|&(_, _, c)| c)
                .sum();
            best = best.min(cut);
        }
        best
    }

    #[test]
    fn max_flow_equals_the_brute_force_minimum_cut() {
        let mut rng = Rng::new(11);
        for _ in 0..200 {
            let n = 2 + (rng.next_u64() % 7) as usize;
            let m = (rng.next_u64() % 20) as usize;
            let mut arcs = Vec::new();
            let mut net = Network::new(n);
            for _ in 0..m {
                let u = (rng.next_u64() % n as u64) as usize;
                let v = (rng.next_u64() % n as u64) as usize;
                if u == v {
                    continue;
                }
                let c = (rng.next_u64() % 10) as i64;
                let back = if rng.next_u64().is_multiple_of(3) {
                    (rng.next_u64() % 10) as i64
                } else {
                    0
                };
                net.arc(u, v, c, back);
                arcs.push((u, v, c));
                arcs.push((v, u, back));
            }
            let (s, t) = (0, n - 1);
            let f = net.max_flow(s, t).unwrap();
            assert_eq!(f, brute_min_cut(n, &arcs, s, t));
            // The residual source side is a cut of that value.
            let side = net.source_side(s);
            assert!(side[s] && !side[t]);
            let cut: i64 = arcs
                .iter()
                .filter(|&&(u, v, _)| side[u] && !side[v])
                .map(|&(_, _, c)| c)
                .sum();
            assert_eq!(cut, f);
        }
    }

    #[test]
    fn an_uncuttable_path_is_unbounded() {
        let mut net = Network::new(3);
        net.arc(0, 1, INF, 0);
        net.arc(1, 2, INF, 0);
        assert_eq!(net.max_flow(0, 2), None);
    }
}
