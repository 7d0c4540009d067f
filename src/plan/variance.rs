//! The variance of a re-plan against its baseline: which activities moved
//! or changed contractor, which stations' heat-ready dates and which time
//! nodes moved (and which households are newly at risk), and how the
//! critical path changed.
//!
//! [`variance`] compares two network plans activity by activity (by id),
//! station by station and node by node; only work not finished by the data
//! date can move. What moved is listed by impact: the stations, the latest
//! first (then the most households), so late ones come before those still
//! on time; then the time nodes, the latest first (hard ones before
//! others); then the activities, the largest slip first. The result renders as variance.csv, a terminal
//! summary and a section of report.html.

use crate::both;
use crate::lang::{Both, Lang};
use crate::plan::cpm::NetworkPlan;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt::Write;

/// One activity's baseline and new dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityVariance {
    /// Activity id.
    pub id: String,
    /// Baseline start and finish.
    pub baseline: (NaiveDate, NaiveDate),
    /// New start and finish.
    pub new: (NaiveDate, NaiveDate),
    /// Baseline contractor and new contractor.
    pub contractor: (String, String),
    /// Days the finish moved (positive: later).
    pub slip_days: i64,
}

/// A station whose heat-ready date moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationVariance {
    /// Station id.
    pub id: String,
    /// Households.
    pub households: u64,
    /// Baseline and new heat-ready dates.
    pub heat_ready: (NaiveDate, NaiveDate),
    /// Days late in the baseline and now.
    pub days_late: (u32, u32),
}

/// A time node (a scenario milestone with a due date) whose date moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeVariance {
    /// Milestone id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Due date.
    pub due: NaiveDate,
    /// Baseline and new dates.
    pub date: (NaiveDate, NaiveDate),
    /// Days late in the baseline and now.
    pub days_late: (u32, u32),
    /// Marked `hard = true` in the scenario.
    pub hard: bool,
}

/// The variance report of a re-plan against its baseline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variance {
    /// The data date.
    pub data_date: NaiveDate,
    /// Every activity present in both plans, the largest slip first.
    pub activities: Vec<ActivityVariance>,
    /// Stations whose heat-ready date moved, by impact: the latest first,
    /// then the most households.
    pub stations: Vec<StationVariance>,
    /// Time nodes whose date moved, by impact: the latest first, hard nodes
    /// before others.
    pub nodes: Vec<NodeVariance>,
    /// Households on time in the baseline and now.
    pub households_on_time: (u64, u64),
    /// Households late now that were on time in the baseline.
    pub newly_at_risk: u64,
    /// Resource-critical path of the baseline and now (first path, ids).
    pub critical_path: (Vec<String>, Vec<String>),
    /// Finish of the baseline and now.
    pub finish: (NaiveDate, NaiveDate),
    /// Every revision of the chain, the new plan last.
    pub history: Vec<crate::plan::progress::RevisionSummary>,
}

/// Compares a re-plan with its baseline.
pub fn variance(baseline: &NetworkPlan, new: &NetworkPlan, data_date: NaiveDate) -> Variance {
    let old: HashMap<&str, &crate::plan::PlannedActivity> = baseline
        .plan
        .activities
        .iter()
        .map(|a| (a.id.as_str(), a))
        .collect();
    let activities: Vec<ActivityVariance> = new
        .plan
        .activities
        .iter()
        .filter_map(|a| {
            let b = old.get(a.id.as_str())?;
            Some(ActivityVariance {
                id: a.id.clone(),
                baseline: (b.start, b.finish),
                new: (a.start, a.finish),
                contractor: (b.contractor.clone(), a.contractor.clone()),
                slip_days: (a.finish - b.finish).num_days(),
            })
        })
        .collect();
    let old_st: HashMap<&str, &crate::plan::StationOutcome> = baseline
        .plan
        .stations
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    let mut newly_at_risk = 0;
    let stations: Vec<StationVariance> = new
        .plan
        .stations
        .iter()
        .filter_map(|s| {
            let b = old_st.get(s.id.as_str())?;
            if b.days_late == 0 && s.days_late > 0 {
                newly_at_risk += s.households;
            }
            (b.heat_ready != s.heat_ready).then(|| StationVariance {
                id: s.id.clone(),
                households: s.households,
                heat_ready: (b.heat_ready, s.heat_ready),
                days_late: (b.days_late, s.days_late),
            })
        })
        .collect();
    // By impact: the latest stations first (then the most households),
    // then the activities that slipped most.
    let mut stations: Vec<StationVariance> = stations;
    stations.sort_by(|a, b| {
        (b.days_late.1, b.households, &a.id).cmp(&(a.days_late.1, a.households, &b.id))
    });
    let old_nodes: HashMap<&str, &crate::plan::NodeOutcome> = baseline
        .plan
        .levels
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n))
        .collect();
    let mut nodes: Vec<NodeVariance> = new
        .plan
        .levels
        .nodes
        .iter()
        .filter_map(|n| {
            let b = old_nodes.get(n.id.as_str())?;
            (b.date != n.date).then(|| NodeVariance {
                id: n.id.clone(),
                name: n.name.clone(),
                due: n.due,
                date: (b.date, n.date),
                days_late: (b.days_late, n.days_late),
                hard: n.hard,
            })
        })
        .collect();
    nodes.sort_by(|a, b| (b.days_late.1, b.hard, &a.id).cmp(&(a.days_late.1, a.hard, &b.id)));
    let mut activities: Vec<ActivityVariance> = activities;
    activities.sort_by(|a, b| b.slip_days.cmp(&a.slip_days).then(a.id.cmp(&b.id)));
    let first = |np: &NetworkPlan| {
        np.resource_critical_paths
            .first()
            .cloned()
            .unwrap_or_default()
    };
    Variance {
        data_date,
        activities,
        stations,
        nodes,
        households_on_time: (
            baseline.plan.households_on_time,
            new.plan.households_on_time,
        ),
        newly_at_risk,
        critical_path: (first(baseline), first(new)),
        finish: (baseline.plan.finish, new.plan.finish),
        history: new.history.clone(),
    }
}

impl Variance {
    /// variance.csv by impact: one row per moved station (the latest first),
    /// then one per moved time node (`kind` `node`: its dates in the
    /// finish columns, `newly_at_risk` when it was on time), then one per
    /// activity, the largest slip first.
    pub fn csv(&self) -> String {
        let mut out = crate::report::csv::Document::new();
        out.row([
            "kind",
            "id",
            "baseline_start",
            "baseline_finish",
            "new_start",
            "new_finish",
            "slip_days",
            "baseline_contractor",
            "new_contractor",
            "households",
            "newly_at_risk",
        ]);
        for s in &self.stations {
            out.row([
                "station",
                &s.id,
                "",
                &s.heat_ready.0.to_string(),
                "",
                &s.heat_ready.1.to_string(),
                &(s.heat_ready.1 - s.heat_ready.0).num_days().to_string(),
                "",
                "",
                &s.households.to_string(),
                if s.days_late.0 == 0 && s.days_late.1 > 0 {
                    "true"
                } else {
                    "false"
                },
            ]);
        }
        for n in &self.nodes {
            out.row([
                "node",
                &n.id,
                "",
                &n.date.0.to_string(),
                "",
                &n.date.1.to_string(),
                &(n.date.1 - n.date.0).num_days().to_string(),
                "",
                "",
                "",
                if n.days_late.0 == 0 && n.days_late.1 > 0 {
                    "true"
                } else {
                    "false"
                },
            ]);
        }
        for a in &self.activities {
            out.row([
                "activity",
                &a.id,
                &a.baseline.0.to_string(),
                &a.baseline.1.to_string(),
                &a.new.0.to_string(),
                &a.new.1.to_string(),
                &a.slip_days.to_string(),
                &a.contractor.0,
                &a.contractor.1,
                "",
                "",
            ]);
        }
        out.finish()
    }

    /// Activities whose dates moved.
    pub fn moved(&self) -> usize {
        self.activities
            .iter()
            .filter(|a| a.baseline != a.new)
            .count()
    }

    /// The activities that joined the critical path and those that left it.
    pub fn critical_path_moves(&self) -> (Vec<&String>, Vec<&String>) {
        let (old, new) = &self.critical_path;
        let left: Vec<&String> = old.iter().filter(|x| !new.contains(x)).collect();
        let joined: Vec<&String> = new.iter().filter(|x| !old.contains(x)).collect();
        (joined, left)
    }

    /// What changed on the critical path, in one line.
    pub fn critical_path_change(&self) -> String {
        self.critical_path_words().en
    }

    /// [`Variance::critical_path_change`] in both languages.
    pub fn critical_path_words(&self) -> Both {
        let (joined, left) = self.critical_path_moves();
        if left.is_empty() && joined.is_empty() {
            return both!("unchanged", "不变");
        }
        let show = |v: &[&String], sep: &str, more: &dyn Fn(usize) -> String| {
            let mut s: Vec<String> = v.iter().take(5).map(|x| x.to_string()).collect();
            if v.len() > 5 {
                s.push(more(v.len() - 5));
            }
            s.join(sep)
        };
        let en_more = |n: usize| format!("… {n} more");
        let zh_more = |n: usize| format!("… 另有 {n} 项");
        let (j, l) = (joined.len(), left.len());
        let (je, le) = (show(&joined, ", ", &en_more), show(&left, ", ", &en_more));
        let (jz, lz) = (show(&joined, "、", &zh_more), show(&left, "、", &zh_more));
        both!(
            "{j} activities joined ({je}), {l} left ({le})",
            "新增 {j} 项（{jz}），移出 {l} 项（{lz}）"
        )
    }

    /// The terminal summary of the variance, in `lang`.
    pub fn summary(&self, lang: Lang) -> String {
        let mut s = String::new();
        let (date, moved, all) = (self.data_date, self.moved(), self.activities.len());
        let ((f0, f1), (h0, h1)) = (self.finish, self.households_on_time);
        let (risk, stations) = (self.newly_at_risk, self.stations.len());
        let lines = [
            both!(
                "\nre-plan from the data date {date}",
                "\n自数据日期 {date} 起重新计划"
            ),
            both!(
                "  activities moved:        {moved} of {all}",
                "  变动的工作：      {all} 项中 {moved} 项"
            ),
            both!(
                "  finish:                  {f0} → {f1}",
                "  完工：            {f0} → {f1}"
            ),
            both!(
                "  households on time:      {h0} → {h1}",
                "  按期供热户数：    {h0} → {h1}"
            ),
            both!(
                "  households newly at risk: {risk}",
                "  新增延误风险户数：{risk}"
            ),
            both!(
                "  stations moved:          {stations}",
                "  变动的换热站：    {stations}"
            ),
        ];
        for line in lines {
            let _ = writeln!(s, "{}", line.get(lang));
        }
        // By impact, as listed: the latest stations first.
        for x in self.stations.iter().take(10) {
            let (id, before, after) = (&x.id, x.heat_ready.0, x.heat_ready.1);
            let days = (after - before).num_days();
            let late = x.days_late.1;
            let line = if late > 0 {
                both!(
                    "    {id:<12} {before} → {after} ({days:+} days), {late} days late",
                    "    {id:<12} {before} → {after}（{days:+} 天），延误 {late} 天"
                )
            } else {
                both!(
                    "    {id:<12} {before} → {after} ({days:+} days)",
                    "    {id:<12} {before} → {after}（{days:+} 天）"
                )
            };
            let _ = writeln!(s, "{}", line.get(lang));
        }
        if !self.nodes.is_empty() {
            let n = self.nodes.len();
            let line = both!("  time nodes moved:        {n}", "  变动的节点：      {n}");
            let _ = writeln!(s, "{}", line.get(lang));
        }
        for x in self.nodes.iter().take(10) {
            let (id, before, after, due) = (&x.id, x.date.0, x.date.1, x.due);
            let days = (after - before).num_days();
            let late = x.days_late.1;
            let line = if late > 0 {
                both!(
                    "    {id:<12} {before} → {after} ({days:+} days), {late} days after its due date {due}",
                    "    {id:<12} {before} → {after}（{days:+} 天），比节点目标 {due} 晚 {late} 天"
                )
            } else {
                both!(
                    "    {id:<12} {before} → {after} ({days:+} days), due {due}",
                    "    {id:<12} {before} → {after}（{days:+} 天），节点目标 {due}"
                )
            };
            let _ = writeln!(s, "{}", line.get(lang));
        }
        let cp = self.critical_path_words();
        let (cpe, cpz) = (&cp.en, &cp.zh);
        let line = both!(
            "  critical path:           {cpe}",
            "  关键线路：        {cpz}"
        );
        let _ = writeln!(s, "{}", line.get(lang));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{NodeOutcome, StationOutcome};
    use crate::report::fixture;
    use chrono::Duration;

    /// A base and a re-plan of the fixture, with more stations and time
    /// nodes: (days late before, days late now, households or hard).
    fn plans() -> (NetworkPlan, NetworkPlan) {
        let project = fixture::project("2022-06-30", 1);
        let mut base = fixture::network(&project, &fixture::earliest(&project));
        let mut new = fixture::network(&project, &fixture::levelled(&project));
        let deadline = base.plan.deadline;
        base.plan.levels.nodes.clear();
        new.plan.levels.nodes.clear();
        let stations = [
            (0, 0, 900),
            (0, 3, 200),
            (2, 9, 300),
            (0, 9, 800),
            (5, 0, 100),
            (0, 1, 5000),
            (4, 4, 700),
        ];
        for (k, &(late0, late1, households)) in stations.iter().enumerate() {
            for (np, late) in [(&mut base, late0), (&mut new, late1)] {
                let ready = deadline + Duration::days(late as i64) - Duration::days(k as i64 % 2);
                np.plan.stations.push(StationOutcome {
                    id: format!("X{k}"),
                    name: String::new(),
                    district: String::new(),
                    households,
                    heat_ready: ready,
                    days_late: late,
                });
            }
        }
        let nodes = [
            (0, 0, false),
            (1, 6, false),
            (0, 6, true),
            (0, 2, true),
            (3, 0, true),
        ];
        for (k, &(late0, late1, hard)) in nodes.iter().enumerate() {
            for (np, late) in [(&mut base, late0), (&mut new, late1)] {
                let due = deadline - Duration::days(20);
                np.plan.levels.nodes.push(NodeOutcome {
                    id: format!("N{k}"),
                    name: format!("node {k}"),
                    due,
                    date: due + Duration::days(late as i64) - Duration::days(k as i64 % 2),
                    days_late: late,
                    least_days_late: 0,
                    hard,
                    weight: 1,
                });
            }
        }
        (base, new)
    }

    #[test]
    fn late_stations_and_nodes_come_first() {
        let (base, new) = plans();
        let date = chrono::NaiveDate::from_ymd_opt(2022, 5, 1).unwrap();
        let v = variance(&base, &new, date);
        // Only what moved is listed; X6 kept its date.
        assert!(v.stations.iter().all(|s| s.heat_ready.0 != s.heat_ready.1));
        assert!(v.stations.iter().all(|s| s.id != "X6"));
        assert!(v.stations.len() >= 5, "{:?}", v.stations);
        // By impact: the latest first, then the most households.
        for w in v.stations.windows(2) {
            let (a, b) = (&w[0], &w[1]);
            assert!(
                (a.days_late.1, a.households) >= (b.days_late.1, b.households),
                "{a:?} before {b:?}"
            );
        }
        let first_on_time = v.stations.iter().position(|s| s.days_late.1 == 0);
        let last_late = v.stations.iter().rposition(|s| s.days_late.1 > 0);
        assert!(last_late < first_on_time || first_on_time.is_none());
        // Time nodes: the latest first, a hard one before a soft one.
        assert!(v.nodes.iter().all(|n| n.date.0 != n.date.1));
        assert_eq!(
            v.nodes.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
            ["N2", "N1", "N3", "N4"]
        );
        // variance.csv: stations, then nodes, then activities.
        let kinds: Vec<String> = v
            .csv()
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_string())
            .collect();
        let rank = |k: &str| ["station", "node", "activity"].iter().position(|x| *x == k);
        assert!(kinds.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
        assert_eq!(kinds.iter().filter(|k| *k == "node").count(), 4);
        let n3 = v
            .csv()
            .lines()
            .find(|l| l.starts_with("node,N3,"))
            .unwrap()
            .to_string();
        assert!(n3.ends_with(",true"), "N3 was on time: {n3}");
        // The terminal lists them in the same order, in both languages.
        for lang in [Lang::En, Lang::Zh] {
            let text = v.summary(lang);
            let at = |id: &str| text.find(&format!("    {id} ")).unwrap();
            let listed: Vec<usize> = v.stations.iter().map(|s| at(&s.id)).collect();
            assert!(listed.windows(2).all(|w| w[0] < w[1]), "{text}");
            let listed: Vec<usize> = v.nodes.iter().map(|n| at(&n.id)).collect();
            assert!(listed.windows(2).all(|w| w[0] < w[1]), "{text}");
        }
    }
}
