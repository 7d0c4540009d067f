//! Failed search states, remembered so that the states they dominate are
//! pruned without search.
//!
//! Schedule-or-postpone search reaches the same situation many times: the
//! same activities fixed before the current day, the rest with about the
//! same windows, only some fixed activity started a day later on one path
//! than on another. When the
//! first of these subtrees has failed, the later ones fail too, and this
//! memo cuts them off (a form of the *cut-set* rule of Demeulemeester and
//! Herroelen's branch and bound, stated on windows).
//!
//! **What a failure means.** A node without postponed activities is a root
//! with narrower windows: the search below it is complete, so its failure
//! proves that *no* schedule fits its windows. Only such nodes are stored,
//! and only once their whole subtree has been searched. A node with
//! postponements only promises to find a schedule the postponements allow,
//! so its failure proves less and it is not stored.
//!
//! **Dominance.** A stored node `X` dominates a node `Y` with the same set
//! `S` of activities fixed to start before the day the search has reached
//! when
//!
//! * every activity outside `S` has a window in `X` containing its window
//!   in `Y`, and
//! * every fixed activity uses in `X` no resource on a day when `Y` does not
//!   use it, from the first day `m` on which an activity outside `S` may
//!   start in `Y`: it ends by `m` in `X`, or starts on the same day in both,
//!   or starts no later in `X` than in `Y` and before `m` in `Y`.
//!
//! Then any schedule below `Y` — its own starts outside `S`, `X`'s starts
//! inside — would fit `X`'s windows and resources (precedences across `S`
//! hold because `X`'s windows already reflect its fixed starts), which `X`'s
//! failure rules out; so `Y` fails as well.
//!
//! The memo is bounded: once it holds [`MAX_VALUES`] numbers it stops
//! growing, and each set `S` keeps at most [`PER_SET`] states.

use std::collections::HashMap;

/// The most window bounds the memo stores in all (about 32 MB).
pub const MAX_VALUES: usize = 8 << 20;

/// The most states kept for one set of fixed activities.
pub const PER_SET: usize = 8;

/// Failed, postponement-free nodes by their set of fixed activities.
pub(super) struct Memo {
    /// Per set of fixed activities (a bit set), the windows of the failed
    /// nodes: `est` and `lst` of every activity, interleaved.
    failed: HashMap<Vec<u64>, Vec<Box<[i32]>>>,
    values: usize,
}

/// The activities of a node fixed to start before day `now`, as a bit set.
pub(super) fn fixed_set(est: &[i64], lst: &[i64], branchable: &[usize], now: i64) -> Vec<u64> {
    let mut key = vec![0u64; est.len().div_ceil(64)];
    for &a in branchable {
        if est[a] == lst[a] && est[a] < now {
            key[a / 64] |= 1 << (a % 64);
        }
    }
    key
}

fn is_in(key: &[u64], a: usize) -> bool {
    key[a / 64] >> (a % 64) & 1 == 1
}

impl Memo {
    pub(super) fn new() -> Memo {
        Memo {
            failed: HashMap::new(),
            values: 0,
        }
    }

    /// Remembers that no schedule fits the windows `est`/`lst`, whose fixed
    /// activities are `key`.
    pub(super) fn remember(&mut self, key: Vec<u64>, est: &[i64], lst: &[i64]) {
        if self.values + 2 * est.len() > MAX_VALUES {
            return;
        }
        let windows: Box<[i32]> = est
            .iter()
            .zip(lst)
            .flat_map(|(&e, &l)| [e as i32, l as i32])
            .collect();
        let states = self.failed.entry(key).or_default();
        if states.len() < PER_SET {
            self.values += windows.len();
            states.push(windows);
        } else {
            // Keep the newest: the search tends to return to the states it
            // has just left.
            states.rotate_left(1);
            *states.last_mut().expect("PER_SET > 0") = windows;
        }
    }

    /// True when a remembered failure dominates the node with windows
    /// `est`/`lst` and fixed set `key`. `dur` are the durations, `uses`
    /// tells which activities need a resource.
    pub(super) fn dominated(
        &self,
        key: &[u64],
        est: &[i64],
        lst: &[i64],
        dur: &[i64],
        uses: &[bool],
    ) -> bool {
        let Some(states) = self.failed.get(key) else {
            return false;
        };
        let m = (0..est.len())
            .filter(|&a| uses[a] && !is_in(key, a))
            .map(|a| est[a])
            .min()
            .unwrap_or(i64::MAX);
        states.iter().any(|w| {
            (0..est.len()).all(|a| {
                let (ex, lx) = (w[2 * a] as i64, w[2 * a + 1] as i64);
                if !is_in(key, a) {
                    return ex <= est[a] && lx >= lst[a];
                }
                let (sx, sy) = (ex, est[a]);
                !uses[a] || sx + dur[a] <= m || sx == sy || (sx <= sy && sy <= m)
            })
        })
    }
}
