//! Changes to a scenario's capacity, and variants made of them.

use crate::both;
use crate::lang::Both;
use crate::scenario::validate::closest;
use crate::scenario::{Scenario, Text};
use std::collections::BTreeSet;
use toml::Spanned;

/// Most crews of one type one contractor may have in a variant: far above
/// any real programme, low enough that a typo (`pipe = 30000`) is caught.
pub const MAX_CREWS: u32 = 1000;

/// How a crew count changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrewCount {
    /// Hire this many more crews.
    Add(u32),
    /// Release this many crews.
    Remove(u32),
    /// Have exactly this many.
    Set(u32),
}

/// One change to a scenario's capacity.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Change a contractor's number of crews of one type.
    Crews {
        /// Contractor id.
        contractor: String,
        /// Crew type.
        crew: String,
        /// The new count, relative or absolute.
        count: CrewCount,
    },
    /// Move a contractor between districts: leave `from`, join `to`.
    Move {
        /// Contractor id.
        contractor: String,
        /// District the contractor stops working in.
        from: Option<String>,
        /// District the contractor starts working in.
        to: Option<String>,
    },
    /// Set a contractor's productivity for one crew type (1 = template rate).
    Productivity {
        /// Contractor id.
        contractor: String,
        /// Crew type.
        crew: String,
        /// Factor on the template rates.
        factor: f64,
    },
    /// Set a contractor's cost of one crew-day.
    Cost {
        /// Contractor id.
        contractor: String,
        /// Cost of one crew-day.
        cost_per_crew_day: f64,
    },
}

/// Which part of a change a problem is about (so that a file parser can
/// point at it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The contractor id.
    Contractor,
    /// The crew type.
    Crew,
    /// The crew count.
    Count,
    /// The district left.
    From,
    /// The district joined.
    To,
    /// The productivity factor.
    Factor,
    /// The cost.
    Cost,
}

/// Why a change cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ChangeError {
    /// What is wrong.
    pub message: Both,
    /// How to fix it.
    pub help: Both,
    /// The part of the change at fault.
    pub field: Field,
}

impl ChangeError {
    fn new(field: Field, message: Both, help: Both) -> ChangeError {
        ChangeError {
            message,
            help,
            field,
        }
    }
}

/// A named set of changes and the scenario they give.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Name shown in the results.
    pub name: String,
    /// The changes, in order.
    pub changes: Vec<Change>,
    /// The base scenario with the changes applied.
    pub scenario: Scenario,
}

/// Every crew type the scenario knows: template steps, tasks and
/// contractors' crews.
pub fn crew_types(s: &Scenario) -> BTreeSet<&str> {
    let t = &s.templates;
    t.segment
        .iter()
        .chain(&t.station)
        .map(|st| st.crew.get_ref().as_str())
        .chain(
            s.tasks
                .iter()
                .filter_map(|x| x.crew.as_ref())
                .map(|c| c.get_ref().as_str()),
        )
        .chain(
            s.contractors
                .iter()
                .flat_map(|c| c.crews.keys().map(String::as_str)),
        )
        .collect()
}

fn hint<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> Both {
    match closest(wanted, candidates.clone()) {
        Some(near) => both!("did you mean \"{near}\"? ", "是不是“{near}”？"),
        None => Both::default(),
    }
}

fn some(items: impl IntoIterator<Item = impl AsRef<str>>) -> String {
    let all: Vec<String> = items.into_iter().map(|s| s.as_ref().to_string()).collect();
    let mut text = all.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > 8 {
        text.push_str(", …");
    }
    text
}

/// Index of a contractor, or the error naming the closest id.
pub fn find_contractor(s: &Scenario, id: &str) -> Result<usize, ChangeError> {
    if let Some(i) = s.contractors.iter().position(|c| c.id.get_ref() == id) {
        return Ok(i);
    }
    let ids = s.contractors.iter().map(|c| c.id.get_ref().as_str());
    let Both { en: h, zh: h_zh } = hint(id, ids.clone());
    let all = some(ids);
    Err(ChangeError::new(
        Field::Contractor,
        both!(
            "no contractor \"{id}\" in the scenario",
            "方案中没有施工单位“{id}”"
        ),
        both!(
            "{h}use a contractor id from the scenario's [[contractors]] ({all})",
            "{h_zh}请使用方案 [[contractors]] 中的施工单位编号（{all}）"
        ),
    ))
}

/// Checks that a crew type exists in the scenario.
pub fn check_crew_type(s: &Scenario, crew: &str) -> Result<(), ChangeError> {
    let known = crew_types(s);
    if known.contains(crew) {
        return Ok(());
    }
    let Both { en: h, zh: h_zh } = hint(crew, known.iter().copied());
    let all = some(known.iter());
    Err(ChangeError::new(
        Field::Crew,
        both!(
            "no crew type \"{crew}\" in the scenario",
            "方案中没有班组类型“{crew}”"
        ),
        both!(
            "{h}use a crew type named by the templates or the contractors' crews ({all})",
            "{h_zh}请使用工序模板或施工单位 crews 中的班组类型（{all}）"
        ),
    ))
}

fn find_district(s: &Scenario, id: &str, field: Field) -> Result<usize, ChangeError> {
    if let Some(i) = s.districts.iter().position(|d| d.id.get_ref() == id) {
        return Ok(i);
    }
    let ids = s.districts.iter().map(|d| d.id.get_ref().as_str());
    let Both { en: h, zh: h_zh } = hint(id, ids.clone());
    let all = some(ids);
    Err(ChangeError::new(
        field,
        both!(
            "no district \"{id}\" in the scenario",
            "方案中没有辖区“{id}”"
        ),
        both!(
            "{h}use a district id from the scenario's [[districts]] ({all})",
            "{h_zh}请使用方案 [[districts]] 中的辖区编号（{all}）"
        ),
    ))
}

/// Applies one change to a scenario; on failure the scenario is unchanged
/// and every problem of the change is returned.
pub fn apply(s: &mut Scenario, change: &Change) -> Result<(), Vec<ChangeError>> {
    apply_checked(s, change)
}

fn both<T, U>(
    a: Result<T, ChangeError>,
    b: Result<U, ChangeError>,
) -> Result<(T, U), Vec<ChangeError>> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(a.err().into_iter().chain(b.err()).collect()),
    }
}

fn apply_checked(s: &mut Scenario, change: &Change) -> Result<(), Vec<ChangeError>> {
    match change {
        Change::Crews {
            contractor,
            crew,
            count,
        } => {
            let (c, ()) = both(find_contractor(s, contractor), check_crew_type(s, crew))?;
            let con = &mut s.contractors[c];
            let have = con.crews.get(crew).map_or(0, |n| *n.get_ref());
            let new = match *count {
                CrewCount::Add(k) => have.saturating_add(k),
                CrewCount::Set(k) => k,
                CrewCount::Remove(k) if k > have => {
                    return Err(vec![ChangeError::new(
                        Field::Count,
                        both!(
                            "contractor {contractor} has {have} \"{crew}\" crew(s); cannot remove \
                             {k}",
                            "施工单位 {contractor} 有 {have} 个“{crew}”班组，不能减少 {k} 个"
                        ),
                        both!(
                            "remove at most {have}, or use set = N for an absolute number",
                            "最多减少 {have} 个，或用 set = N 直接给出数量"
                        ),
                    )])
                }
                CrewCount::Remove(k) => have - k,
            };
            if new > MAX_CREWS {
                return Err(vec![ChangeError::new(
                    Field::Count,
                    both!(
                        "contractor {contractor} would have {new} \"{crew}\" crews (at most \
                         {MAX_CREWS})",
                        "施工单位 {contractor} 将有 {new} 个“{crew}”班组（最多 {MAX_CREWS} 个）"
                    ),
                    both!("check the number for a typo", "请检查数字是否写错"),
                )]);
            }
            let span = con.id.span();
            con.crews
                .entry(crew.clone())
                .and_modify(|n| *n.get_mut() = new)
                .or_insert_with(|| Spanned::new(span, new));
            Ok(())
        }
        Change::Move {
            contractor,
            from,
            to,
        } => {
            let c = find_contractor(s, contractor).map_err(|e| vec![e])?;
            let span = s.contractors[c].id.span();
            let from_i = from
                .as_deref()
                .map(|d| find_district(s, d, Field::From))
                .transpose();
            let to_i = to
                .as_deref()
                .map(|d| find_district(s, d, Field::To))
                .transpose();
            let (from_i, to_i) = both(from_i, to_i)?;
            let mut errors = Vec::new();
            if let Some(f) = from_i {
                if !s.districts[f]
                    .contractors
                    .iter()
                    .any(|x| x.get_ref() == contractor)
                {
                    let district = s.districts[f].id.get_ref();
                    let works = some(
                        s.districts
                            .iter()
                            .filter(|d| d.contractors.iter().any(|x| x.get_ref() == contractor))
                            .map(|d| d.id.get_ref().as_str()),
                    );
                    errors.push(ChangeError::new(
                        Field::From,
                        both!(
                            "contractor {contractor} does not work in district {district}",
                            "施工单位 {contractor} 不在辖区 {district} 施工"
                        ),
                        both!(
                            "it works in: {works}; name one of these as `from`, or leave `from` out",
                            "它在这些辖区施工：{works}；请把其中之一写作 `from`，或不写 `from`"
                        ),
                    ));
                }
            }
            if let Some(t) = to_i {
                if s.districts[t]
                    .contractors
                    .iter()
                    .any(|x| x.get_ref() == contractor)
                {
                    let district = s.districts[t].id.get_ref();
                    errors.push(ChangeError::new(
                        Field::To,
                        both!(
                            "contractor {contractor} already works in district {district}",
                            "施工单位 {contractor} 已经在辖区 {district} 施工"
                        ),
                        both!(
                            "name a district it does not work in yet as `to`, or leave `to` out",
                            "请把它尚未施工的辖区写作 `to`，或不写 `to`"
                        ),
                    ));
                }
            }
            if !errors.is_empty() {
                return Err(errors);
            }
            if let Some(f) = from_i {
                s.districts[f]
                    .contractors
                    .retain(|x| x.get_ref() != contractor);
            }
            if let Some(t) = to_i {
                s.districts[t]
                    .contractors
                    .push(Text::new(span, contractor.clone()));
            }
            Ok(())
        }
        Change::Productivity {
            contractor,
            crew,
            factor,
        } => {
            let (c, ()) = both(find_contractor(s, contractor), check_crew_type(s, crew))?;
            if !(factor.is_finite() && *factor > 0.0 && *factor <= 10.0) {
                return Err(vec![ChangeError::new(
                    Field::Factor,
                    both!(
                        "productivity factor {factor} is out of range",
                        "效率系数 {factor} 超出范围"
                    ),
                    both!(
                        "use a factor more than 0 and at most 10 (1.0 = the template rates, 1.2 = \
                         20 % faster)",
                        "请用大于 0 且不大于 10 的系数（1.0 = 模板定额，1.2 = 快 20 %）"
                    ),
                )]);
            }
            let con = &mut s.contractors[c];
            let span = con.id.span();
            con.productivity
                .insert(crew.clone(), Spanned::new(span, *factor));
            Ok(())
        }
        Change::Cost {
            contractor,
            cost_per_crew_day,
        } => {
            let c = find_contractor(s, contractor).map_err(|e| vec![e])?;
            if !(cost_per_crew_day.is_finite() && *cost_per_crew_day >= 0.0) {
                return Err(vec![ChangeError::new(
                    Field::Cost,
                    both!(
                        "cost per crew-day {cost_per_crew_day} is not a non-negative number",
                        "每班组工日费用 {cost_per_crew_day} 不是非负数"
                    ),
                    both!(
                        "give the cost of one crew-day, e.g. 5200.0",
                        "请给出一个班组工日的费用，例如 5200.0"
                    ),
                )]);
            }
            s.contractors[c].cost_per_crew_day = Some(*cost_per_crew_day);
            Ok(())
        }
    }
}

/// Crews of every contractor and crew type the scenario lists (zero
/// included): `(contractor, crew) → count`.
pub fn crew_counts(s: &Scenario) -> std::collections::BTreeMap<(String, String), u32> {
    s.contractors
        .iter()
        .flat_map(|c| {
            c.crews
                .iter()
                .map(|(k, n)| ((c.id.get_ref().clone(), k.clone()), *n.get_ref()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load_file as load, Source};

    fn tutorial() -> Scenario {
        let text = include_str!("../../scenarios/tutorial.toml").to_string();
        load(&Source {
            file: "tutorial.toml".into(),
            text,
        })
        .unwrap()
    }

    #[test]
    fn crew_changes_add_remove_and_set() {
        let mut s = tutorial();
        let crews = |s: &Scenario| crew_counts(s)[&("reli".to_string(), "pipe".to_string())];
        apply(
            &mut s,
            &Change::Crews {
                contractor: "reli".into(),
                crew: "pipe".into(),
                count: CrewCount::Add(2),
            },
        )
        .unwrap();
        assert_eq!(crews(&s), 4);
        apply(
            &mut s,
            &Change::Crews {
                contractor: "reli".into(),
                crew: "pipe".into(),
                count: CrewCount::Remove(3),
            },
        )
        .unwrap();
        assert_eq!(crews(&s), 1);
        let e = apply(
            &mut s,
            &Change::Crews {
                contractor: "reli".into(),
                crew: "pipe".into(),
                count: CrewCount::Remove(2),
            },
        )
        .unwrap_err();
        assert_eq!(e[0].field, Field::Count);
        // A crew type the contractor did not have yet.
        apply(
            &mut s,
            &Change::Crews {
                contractor: "shizheng".into(),
                crew: "testing".into(),
                count: CrewCount::Set(1),
            },
        )
        .unwrap();
        assert_eq!(
            crew_counts(&s)[&("shizheng".to_string(), "testing".to_string())],
            1
        );
    }

    #[test]
    fn unknown_ids_get_a_hint() {
        let mut s = tutorial();
        let e = apply(
            &mut s,
            &Change::Crews {
                contractor: "relli".into(),
                crew: "pipe".into(),
                count: CrewCount::Add(1),
            },
        )
        .unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, Field::Contractor);
        assert!(
            e[0].help.en.contains("did you mean \"reli\""),
            "{}",
            e[0].help
        );
        let e = apply(
            &mut s,
            &Change::Crews {
                contractor: "reli".into(),
                crew: "pipes".into(),
                count: CrewCount::Add(1),
            },
        )
        .unwrap_err();
        assert_eq!(e[0].field, Field::Crew);
        assert!(
            e[0].help.en.contains("did you mean \"pipe\""),
            "{}",
            e[0].help
        );
        // Both ids wrong: both reported.
        let e = apply(
            &mut s,
            &Change::Crews {
                contractor: "relli".into(),
                crew: "pipes".into(),
                count: CrewCount::Add(1),
            },
        )
        .unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn moving_a_contractor_changes_district_lists() {
        let mut s = tutorial();
        apply(
            &mut s,
            &Change::Move {
                contractor: "shizheng".into(),
                from: Some("hexi".into()),
                to: Some("hedong".into()),
            },
        )
        .unwrap();
        let has = |s: &Scenario, d: usize| {
            s.districts[d]
                .contractors
                .iter()
                .any(|x| x.get_ref() == "shizheng")
        };
        assert!(has(&s, 0) && !has(&s, 1));
        let e = apply(
            &mut s,
            &Change::Move {
                contractor: "shizheng".into(),
                from: Some("hexi".into()),
                to: None,
            },
        )
        .unwrap_err();
        assert_eq!(e[0].field, Field::From);
    }
}
