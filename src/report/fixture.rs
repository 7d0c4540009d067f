//! Test fixtures: a small scenario and network plans made from schedules
//! built without the search (earliest starts, or a levelled variant).

use crate::plan::cpm::{analyse, NetworkPlan};
use crate::plan::Quality;
use crate::scenario::Source;
use crate::schedule::Schedule;
use crate::Project;

/// A small programme: two districts (one named in Chinese), two contractors,
/// four segments, two stations, a permit task with a link, two milestones,
/// holidays, a make-up day, a ban and a stop-work day.
pub fn scenario(deadline: &str, pipe_crews: u32) -> String {
    format!(
        r#"
sources = [{{ id = "CHP1", node = "N0" }}]
nodes = [{{ id = "N0" }}, {{ id = "N1" }}, {{ id = "N2" }}, {{ id = "N3" }}, {{ id = "N4" }}]
[programme]
name = "Test & <programme>"
window_start = 2022-04-01
window_end = 2022-06-30
deadline = {deadline}
overrun_days = 60

[calendar]
rest_weekdays = ["Sun"]
makeup_days = [2022-04-24]
holidays = [{{ name = "清明", from = 2022-04-03, to = 2022-04-05 }}, {{ name = "劳动节", from = 2022-04-30, to = 2022-05-04 }}]
[[calendar.bans]]
name = "高考"
from = 2022-06-07
to = 2022-06-08
tags = ["near_school"]
districts = ["north"]
[[calendar.stop_work]]
name = "orange alert"
from = 2022-04-20
tags = ["earthworks"]

[templates]
segment = [
  {{ key = "trench", name = "沟槽开挖", crew = "civil", tags = ["earthworks"], rates = [{{ dn_max = 2000, metres_per_day = 100.0 }}] }},
  {{ key = "lay", name = "管道安装", crew = "pipe", link = "ss", lag_days = 2, rates = [{{ dn_max = 2000, metres_per_day = 80.0 }}] }},
  {{ key = "test", name = "试压", crew = "pipe", days = 2.0, supply_ready = true }},
  {{ key = "backfill", name = "回填", crew = "civil", tags = ["earthworks"], days = 2.0 }},
]
station = [
  {{ key = "civil", name = "土建", crew = "civil", days = 5.0 }},
  {{ key = "equip", name = "设备安装", crew = "pipe", days = 4.0 }},
  {{ key = "commission", name = "调试", crew = "pipe", days = 2.0 }},
]

[[segments]]
id = "P1"
from = "N0"
to = "N1"
length_m = 500.0
dn = 500
district = "north"
tags = ["near_school"]
[[segments]]
id = "P2"
from = "N1"
to = "N2"
length_m = 300.0
dn = 300
district = "north"
[[segments]]
id = "P3"
from = "N0"
to = "N3"
length_m = 400.0
dn = 400
district = "south"
[[segments]]
id = "P4"
from = "N3"
to = "N4"
length_m = 200.0
dn = 200
district = "south"
method = "trenchless"

[[stations]]
id = "S1"
name = "幸福小区"
node = "N2"
heated_area_m2 = 50000.0
households = 800
district = "north"
[[stations]]
id = "S2"
name = "Riverside, \"old\" compound"
node = "N4"
heated_area_m2 = 30000.0
households = 500
district = "south"

[[districts]]
id = "north"
name = "北区"
contractors = ["A"]
max_open_trenches = 2
[[districts]]
id = "south"
contractors = ["B"]
max_open_trenches = 1

[[contractors]]
id = "A"
name = "甲公司"
crews = {{ civil = 2, pipe = {pipe_crews} }}
[[contractors]]
id = "B"
crews = {{ civil = 1, pipe = 1 }}
productivity = {{ pipe = 0.8 }}

[[tasks]]
id = "permit"
name = "占道许可"
days = 10.0
calendar_days = true

[[links]]
from = "permit"
to = "P3"

[[links]]
from = "P1"
to = "S1"

[[links]]
from = "P3"
to = "S2"

[[links]]
from = "P2/test"
to = "S1/commission"

[[milestones]]
id = "interconnect"
name = "两网互联"
after = ["P2", "P4"]
due = 2022-06-15

[[milestones]]
id = "north_done"
name = "北区完工"
after = ["north"]
"#
    )
}

/// Loads the fixture scenario.
pub fn project(deadline: &str, pipe_crews: u32) -> Project {
    let source = Source {
        file: "fixture.toml".into(),
        text: scenario(deadline, pipe_crews),
    };
    Project::load(&source).unwrap_or_else(|d| panic!("{d}"))
}

/// The earliest-start schedule in mode 0 (ignores crews and trenches).
pub fn earliest(project: &Project) -> Schedule {
    let p = &project.model.problem;
    let zero = Schedule {
        starts: vec![0; p.activities.len()],
        modes: vec![0; p.activities.len()],
    };
    let a = analyse(p, &zero, &p.links, p.horizon).expect("acyclic");
    Schedule {
        starts: a.times.iter().map(|t| t.es as u32).collect(),
        modes: zero.modes,
    }
}

/// A serial schedule in mode 0 that respects the crews (not the trench
/// limits): activities in order of earliest start, each at the first day
/// when its links and its crew allow.
pub fn levelled(project: &Project) -> Schedule {
    let p = &project.model.problem;
    let n = p.activities.len();
    let es = earliest(project);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&a| (es.starts[a], a));
    // Respect precedence order: repeat until every predecessor is placed.
    let topo = p.topological_order().expect("acyclic");
    let rank: Vec<usize> = {
        let mut r = vec![0; n];
        for (i, &a) in topo.iter().enumerate() {
            r[a] = i;
        }
        r
    };
    order.sort_by_key(|&a| (es.starts[a], rank[a]));
    let mut placed = vec![false; n];
    let mut starts = vec![0u32; n];
    let mut ends = vec![0u32; n];
    let horizon = p.horizon as usize + 1;
    let mut usage = vec![vec![0u32; horizon]; p.resources.len()];
    let inn = p.in_links();
    let mut queue: Vec<usize> = order;
    while !queue.is_empty() {
        let pos = queue
            .iter()
            .position(|&a| inn[a].iter().all(|&li| placed[p.links[li].from]))
            .expect("a ready activity");
        let a = queue.remove(pos);
        let mut lb = p.activities[a].release;
        for &li in &inn[a] {
            let l = &p.links[li];
            let base = match l.kind {
                crate::schedule::LinkKind::FinishToStart => ends[l.from],
                crate::schedule::LinkKind::StartToStart => starts[l.from],
            } as i64;
            lb = lb.max((base + l.lag as i64).max(0) as u32);
        }
        let mode = &p.activities[a].modes[0];
        let mut s = lb;
        loop {
            if let Some(e) = mode.timing.end(s) {
                let crew_ok = mode.demands.iter().all(|&(r, k)| {
                    (s..e).all(|d| usage[r][d as usize] + k <= p.resources[r].capacity)
                });
                if crew_ok {
                    for &(r, k) in &mode.demands {
                        for d in s..e {
                            usage[r][d as usize] += k;
                        }
                    }
                    starts[a] = s;
                    ends[a] = e;
                    placed[a] = true;
                    break;
                }
            }
            s += 1;
            assert!(s < p.horizon, "no room for {}", p.activities[a].name);
        }
    }
    Schedule {
        starts,
        modes: vec![0; n],
    }
}

/// A network plan of a schedule with a placeholder quality: the
/// schedule's objective, nothing proven (bound 0).
pub fn network(project: &Project, sched: &Schedule) -> NetworkPlan {
    project.network_plan(
        sched,
        Quality {
            status: "test".into(),
            objective: project.model.problem.score(sched).value,
            bound: 0,
            gap: 1.0,
            seconds: 0.0,
            stop_reason: "fixture".into(),
        },
    )
}

/// A larger programme (about a thousand activities) for looking at the
/// pictures: `districts` districts, each with 60 segments and 25 stations.
pub fn big_project(districts: usize) -> Project {
    let mut text =
        scenario("2022-09-30", 2).replace("window_end = 2022-06-30", "window_end = 2022-09-30");
    for d in 0..districts {
        let did = format!("D{d}");
        text += &format!(
            "\n[[districts]]\nid = \"{did}\"\nname = \"第{d}辖区\"\ncontractors = [\"C{d}\"]\nmax_open_trenches = 4\n[[contractors]]\nid = \"C{d}\"\nname = \"施工单位{d}\"\ncrews = {{ civil = 4, pipe = 3 }}\n"
        );
        for k in 0..60 {
            text += &format!(
                "[[segments]]\nid = \"{did}P{k:02}\"\nfrom = \"N0\"\nto = \"N1\"\nlength_m = {}.0\ndn = 300\ndistrict = \"{did}\"\n",
                150 + (k * 37) % 400
            );
        }
        for j in 0..25 {
            text += &format!(
                "[[stations]]\nid = \"{did}S{j:02}\"\nname = \"小区{d}-{j}\"\nnode = \"N2\"\nheated_area_m2 = 40000.0\nhouseholds = {}\ndistrict = \"{did}\"\n[[links]]\nfrom = \"{did}P{:02}\"\nto = \"{did}S{j:02}/commission\"\n",
                300 + 17 * j,
                2 * j + 1
            );
        }
    }
    Project::load(&Source {
        file: "big.toml".into(),
        text,
    })
    .unwrap_or_else(|d| panic!("{d}"))
}
