//! What `heatplan check` prints for a valid scenario: the size of the
//! programme, a critical-path lower bound on its finish, and the crew-days it
//! demands against those the contractors can supply in the window.

use crate::activities::WorkBreakdown;
use crate::both;
use crate::lang::{Both, Lang};
use crate::model::calendar::Calendar;
use crate::model::Model;
use crate::scenario::network::DN_BANDS;
use crate::scenario::Programme;
use crate::schedule::window::Windows;
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::fmt;

/// Demand against supply for one crew type.
#[derive(Debug, Clone, PartialEq)]
pub struct CrewBalance {
    /// Crew-days needed at the best allowed productivity.
    pub demanded: f64,
    /// Crews × the days a crew gives in the window, over all contractors:
    /// working days less stop-work and banned days, slowed days counted at
    /// their output (the average over the crew type's work, weighted by its
    /// demand).
    pub available: f64,
}

/// A scenario's vital statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Inventory {
    /// Programme name.
    pub programme: String,
    /// Counts: segments, stations, tasks, milestones, activities, contractors, districts.
    pub counts: Vec<(&'static str, usize)>,
    /// Kilometres of pipe per DN band.
    pub km_by_band: Vec<(&'static str, f64)>,
    /// Households supplied by all stations.
    pub households: u64,
    /// Heated area in m².
    pub heated_area_m2: f64,
    /// Earliest finish ignoring crews (critical path through the calendar).
    pub critical_path_finish: Option<NaiveDate>,
    /// Why no critical path exists, if so.
    pub critical_path_problem: Option<String>,
    /// The heat-ready deadline.
    pub deadline: NaiveDate,
    /// Crew-days demanded and available per crew type.
    pub crews: BTreeMap<String, CrewBalance>,
}

impl Inventory {
    /// Gathers the statistics of a validated programme.
    pub fn new(s: &Programme, cal: &Calendar, wb: &WorkBreakdown, model: &Model) -> Inventory {
        let (critical_path_finish, critical_path_problem) = match Windows::compute(&model.problem) {
            Ok(w) => (Some(cal.date(w.critical_path_length().max(1) - 1)), None),
            Err(e) => (None, Some(e.to_string())),
        };
        let window_days = (s.window_end - cal.start()).num_days() + 1;
        let working = (0..window_days.max(0) as u32)
            .filter(|&d| cal.is_working_day(d))
            .count() as f64;
        // Per crew type: the crew-days demanded, and the days a crew gives
        // in the window, averaged over the crew type's work weighted by its
        // demand: each item's days count its output on each day (0 on
        // stop-work and banned days, the factor in a slow-down such as the
        // rainy season), so the load is the one the calendar really leaves.
        let days = window_days.max(0) as u32;
        let mut by_type: BTreeMap<String, (f64, f64)> = BTreeMap::new();
        for it in &wb.items {
            let Some(crew) = &it.crew_type else { continue };
            let best = it
                .contractors
                .iter()
                .map(|&c| s[c].productivity(crew))
                .fold(0.0, f64::max);
            let demanded = if best > 0.0 { it.work / best } else { it.work };
            let effective: f64 = (0..days)
                .map(|d| cal.output(d, &it.tags, it.district))
                .sum();
            let entry = by_type.entry(crew.clone()).or_insert((0.0, 0.0));
            entry.0 += demanded;
            entry.1 += demanded * effective;
        }
        let mut crews: BTreeMap<String, CrewBalance> = BTreeMap::new();
        for c in &s.contractors {
            for (crew, n) in &c.crews {
                let per_crew = match by_type.get(crew) {
                    Some(&(demanded, weighted)) if demanded > 0.0 => weighted / demanded,
                    _ => working,
                };
                crews
                    .entry(crew.clone())
                    .or_insert(CrewBalance {
                        demanded: 0.0,
                        available: 0.0,
                    })
                    .available += *n as f64 * per_crew;
            }
        }
        for (crew, &(demanded, _)) in &by_type {
            crews
                .entry(crew.clone())
                .or_insert(CrewBalance {
                    demanded: 0.0,
                    available: 0.0,
                })
                .demanded += demanded;
        }
        Inventory {
            programme: s.name.clone(),
            counts: vec![
                ("pipe segments", s.segments.len()),
                ("stations", s.stations.len()),
                ("extra tasks", s.tasks.len()),
                ("milestones", s.milestones.len()),
                ("activities", wb.items.len()),
                ("districts", s.districts.len()),
                ("contractors", s.contractors.len()),
            ],
            km_by_band: DN_BANDS
                .iter()
                .zip(s.network.km_by_dn_band())
                .map(|(b, k)| (b.label, k))
                .collect(),
            households: s.stations.iter().map(|x| x.households).sum(),
            heated_area_m2: s.stations.iter().map(|x| x.heated_area_m2).sum(),
            critical_path_finish,
            critical_path_problem,
            deadline: s.deadline,
            crews,
        }
    }
}

/// The Chinese name of a count of [`Inventory::counts`] (the English name
/// is the key itself).
fn count_name(what: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return what;
    }
    match what {
        "pipe segments" => "管段",
        "stations" => "换热站",
        "extra tasks" => "其他工作",
        "milestones" => "里程碑",
        "activities" => "工序",
        "districts" => "片区",
        "contractors" => "施工单位",
        other => other,
    }
}

/// `text` followed by spaces up to `width` terminal columns, a Chinese
/// character taking two (so that Chinese labels line up like English ones).
fn pad(text: &str, width: usize) -> String {
    let columns: usize = text
        .chars()
        .map(|c| {
            if crate::lang::has_chinese(c.encode_utf8(&mut [0; 4])) {
                2
            } else {
                1
            }
        })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(columns)))
}

impl Inventory {
    /// The summary `heatplan check` prints, every label and sentence in
    /// `lang` (the [`Display`](fmt::Display) form is the English one).
    pub fn render(&self, lang: Lang) -> String {
        use std::fmt::Write;
        let mut f = String::new();
        let t = |b: Both| b.get(lang).to_string();
        let programme = &self.programme;
        let _ = writeln!(
            f,
            "{}",
            t(both!(
                "{programme}: no problems found",
                "{programme}：未发现问题"
            ))
        );
        for (what, n) in &self.counts {
            let _ = writeln!(f, "  {} {n:>6}", pad(count_name(what, lang), 16));
        }
        let total: f64 = self.km_by_band.iter().map(|x| x.1).sum();
        let _ = writeln!(
            f,
            "  {} {total:>8.1} km",
            pad(&t(both!("pipe", "管道")), 16)
        );
        for (band, km) in &self.km_by_band {
            let _ = writeln!(f, "    {band:<14} {km:>8.1} km");
        }
        let area = self.heated_area_m2 / 1e4;
        let _ = writeln!(
            f,
            "  {} {:>6}  {}",
            pad(&t(both!("households", "户数")), 16),
            self.households,
            t(both!(
                "(heated area {area:.0} ×10⁴ m²)",
                "（供热面积 {area:.0} 万 m²）"
            ))
        );
        let finish = pad(&t(both!("earliest finish", "最早完工")), 16);
        match (&self.critical_path_finish, &self.critical_path_problem) {
            (Some(d), _) => {
                let deadline = self.deadline;
                let late = *d > self.deadline;
                let note = match (late, lang) {
                    (false, _) => String::new(),
                    (true, Lang::En) => " — cannot be met".into(),
                    (true, Lang::Zh) => "——无法满足".into(),
                };
                let _ = writeln!(
                    f,
                    "  {finish} {d}  {}",
                    t(both!(
                        "(critical path with unlimited crews; deadline {deadline}{note})",
                        "（班组不限时的关键路径；供热期限 {deadline}{note}）"
                    ))
                );
            }
            (None, Some(why)) => {
                let _ = writeln!(f, "  {finish} {}", t(both!("none: {why}", "无：{why}")));
            }
            _ => {}
        }
        let _ = writeln!(
            f,
            "  {} {}",
            pad(&t(both!("crew-days", "班组工日")), 16),
            t(both!(
                "demanded  available  load",
                "    需求       可供  负荷"
            ))
        );
        for (crew, b) in &self.crews {
            let load = if b.available > 0.0 {
                100.0 * b.demanded / b.available
            } else {
                f64::INFINITY
            };
            let _ = writeln!(
                f,
                "    {crew:<14} {:>8.0}  {:>9.0}  {load:>3.0} %",
                b.demanded, b.available
            );
        }
        if !self.crews.is_empty() {
            let _ = writeln!(
                f,
                "    {}",
                t(both!(
                    "(available: crews × working days in the window, less stop-work days, slowed days such as the rainy season at their output)",
                    "（可供：班组数 × 窗口内工作日，扣除停工日，雨季等降效日按其产出折算）"
                ))
            );
        }
        f
    }
}

/// The English summary ([`Inventory::render`] in English).
impl fmt::Display for Inventory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Source;
    use crate::Project;

    #[test]
    fn tutorial_inventory() {
        let text = include_str!("../../scenarios/tutorial.toml").to_string();
        let pr = Project::load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap();
        let inv = pr.inventory();
        assert_eq!(inv.households, 3870);
        let km: f64 = inv.km_by_band.iter().map(|b| b.1).sum();
        let metres: f64 = pr.programme.segments.iter().map(|s| s.length_m).sum();
        assert!((km - metres / 1000.0).abs() < 1e-9);
        // Unlimited crews finish well before the deadline.
        assert!(inv.critical_path_finish.unwrap() < inv.deadline);
        // Every crew type demanded is also supplied, and demand is positive.
        for (crew, b) in &inv.crews {
            assert!(
                b.demanded > 0.0 && b.available > b.demanded,
                "{crew}: {b:?}"
            );
        }
        // Available crew-days count the rainy season's output (80 % in July
        // and August): an outdoor crew type gives less than crews × working
        // days, but more than 80 % of them.
        let cal = &pr.calendar;
        let window = (pr.programme.window_end - cal.start()).num_days() as u32 + 1;
        let working = (0..window).filter(|&d| cal.is_working_day(d)).count() as f64;
        let crews = |crew: &str| -> f64 {
            pr.programme
                .contractors
                .iter()
                .map(|c| *c.crews.get(crew).unwrap_or(&0) as f64)
                .sum()
        };
        let pipe = &inv.crews["pipe"];
        assert!(pipe.available < crews("pipe") * working - 1.0, "{pipe:?}");
        assert!(pipe.available > crews("pipe") * working * 0.8, "{pipe:?}");
        let text = inv.to_string();
        assert!(text.contains("no problems found") && text.contains("crew-days"));
        assert!(text.contains("less stop-work days"), "{text}");
        assert_eq!(text, inv.render(crate::lang::Lang::En));
        let zh = inv.render(crate::lang::Lang::Zh);
        for word in ["未发现问题", "换热站", "最早完工", "班组工日", "户数"] {
            assert!(zh.contains(word), "{word} missing in {zh}");
        }
        for word in [
            "no problems",
            "stations",
            "earliest",
            "crew-days",
            "households",
        ] {
            assert!(!zh.contains(word), "{word} left in {zh}");
        }
    }
}
