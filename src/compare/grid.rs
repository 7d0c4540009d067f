//! Grids of variants from `--vary contractor.<id>.<crew-type>=<values>`.
//!
//! Each `--vary` names one contractor's crews of one type and the counts to
//! try: `=3`, a range `=2..5` (both ends included) or a list `=2,4,6`. Several
//! `--vary` give every combination (the cartesian product), in the order of
//! the options with the last one varying fastest.

use super::variant::{
    apply, check_crew_type, find_contractor, Change, CrewCount, Variant, MAX_CREWS,
};
use crate::both;
use crate::lang::{Both, Lang};
use crate::scenario::Scenario;

/// Most variants one grid may have.
pub const MAX_GRID: usize = 1000;

/// One `--vary` option: a contractor's crews of one type and the counts to
/// try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Axis {
    /// Contractor id.
    pub contractor: String,
    /// Crew type.
    pub crew: String,
    /// Crew counts, in the order given.
    pub values: Vec<u32>,
}

/// A problem with one `--vary` option.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--vary {option}: {message}\n  help: {help}")]
pub struct VaryError {
    /// The option as written.
    pub option: String,
    /// What is wrong.
    pub message: Both,
    /// How to fix it.
    pub help: Both,
}

impl VaryError {
    /// The problem in `lang`, as `--vary OPTION: message` and a help line.
    pub fn render(&self, lang: Lang) -> String {
        let help = match lang {
            Lang::En => "help: ",
            Lang::Zh => "提示：",
        };
        format!(
            "--vary {}: {}\n  {help}{}",
            self.option,
            self.message.get(lang),
            self.help.get(lang)
        )
    }
}

/// How a `--vary` option is written.
fn form() -> Both {
    both!(
        "write --vary contractor.<contractor-id>.<crew-type>=<counts>, e.g. \
         contractor.reli.pipe=2..5, =3 or =2,4,6",
        "请写成 --vary contractor.<施工单位编号>.<班组类型>=<班组数>，例如 \
         contractor.reli.pipe=2..5、=3 或 =2,4,6"
    )
}

/// Parses one option's text (syntax only).
pub fn parse_axis(option: &str) -> Result<Axis, VaryError> {
    let err = |message: Both, help: Both| VaryError {
        option: option.to_string(),
        message,
        help,
    };
    let Some((key, values)) = option.split_once('=') else {
        return Err(err(
            both!("no `=` and crew counts", "没有 `=` 和班组数"),
            form(),
        ));
    };
    let key = key.trim();
    let Some(rest) = key.strip_prefix("contractor.") else {
        return Err(err(
            both!(
                "`{key}` does not start with `contractor.`",
                "`{key}` 不是以 `contractor.` 开头"
            ),
            form(),
        ));
    };
    let Some((contractor, crew)) = rest.rsplit_once('.') else {
        return Err(err(
            both!("`{key}` names no crew type", "`{key}` 没有写班组类型"),
            form(),
        ));
    };
    if contractor.is_empty() || crew.is_empty() {
        return Err(err(
            both!(
                "`{key}` has an empty contractor id or crew type",
                "`{key}` 的施工单位编号或班组类型为空"
            ),
            form(),
        ));
    }
    let number = |t: &str| -> Result<u32, VaryError> {
        let t = t.trim();
        match t.parse::<u32>() {
            Ok(n) if n <= MAX_CREWS => Ok(n),
            _ => Err(err(
                both!(
                    "`{t}` is not a crew count (0 to {MAX_CREWS})",
                    "`{t}` 不是班组数（0 到 {MAX_CREWS}）"
                ),
                form(),
            )),
        }
    };
    let values = values.trim();
    let list = if let Some((a, b)) = values.split_once("..") {
        let (a, b) = (number(a)?, number(b.trim_start_matches('='))?);
        if a > b {
            return Err(err(
                both!("the range {a}..{b} is empty", "范围 {a}..{b} 是空的"),
                both!(
                    "write the smaller count first, e.g. 2..5",
                    "请先写较小的数，例如 2..5"
                ),
            ));
        }
        (a..=b).collect()
    } else {
        values
            .split(',')
            .map(number)
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(Axis {
        contractor: contractor.to_string(),
        crew: crew.to_string(),
        values: list,
    })
}

/// Checks the axes against the scenario and builds every combination as a
/// variant. Every problem of every option is listed.
pub fn grid(
    base: &Scenario,
    options: &[String],
) -> Result<(Vec<Axis>, Vec<Variant>), Vec<VaryError>> {
    let mut errors = Vec::new();
    let mut axes = Vec::new();
    for o in options {
        let axis = match parse_axis(o) {
            Ok(a) => a,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let mut bad = false;
        for e in [
            find_contractor(base, &axis.contractor).err(),
            check_crew_type(base, &axis.crew).err(),
        ]
        .into_iter()
        .flatten()
        {
            bad = true;
            errors.push(VaryError {
                option: o.clone(),
                message: e.message,
                help: e.help,
            });
        }
        if axes
            .iter()
            .any(|a: &Axis| a.contractor == axis.contractor && a.crew == axis.crew)
        {
            bad = true;
            let (who, crew) = (&axis.contractor, &axis.crew);
            errors.push(VaryError {
                option: o.clone(),
                message: both!("{who}.{crew} is varied twice", "{who}.{crew} 被改变了两次"),
                help: both!(
                    "give each contractor and crew type one --vary, e.g. =2,4,6",
                    "每个施工单位和班组类型只写一个 --vary，例如 =2,4,6"
                ),
            });
        }
        if !bad {
            axes.push(axis);
        }
    }
    let size = axes
        .iter()
        .try_fold(1usize, |n, a| n.checked_mul(a.values.len()));
    if errors.is_empty() && size.is_none_or(|n| n > MAX_GRID) {
        errors.push(VaryError {
            option: options.join(" "),
            message: both!(
                "the grid has more than {MAX_GRID} variants",
                "组合超过 {MAX_GRID} 个变体"
            ),
            help: both!(
                "vary fewer crew types or narrower ranges",
                "请改变更少的班组类型，或缩小范围"
            ),
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut variants = Vec::new();
    for combo in combinations(&axes) {
        let mut scenario = base.clone();
        let mut changes = Vec::new();
        let mut names = Vec::new();
        for (axis, &n) in axes.iter().zip(&combo) {
            let change = Change::Crews {
                contractor: axis.contractor.clone(),
                crew: axis.crew.clone(),
                count: CrewCount::Set(n),
            };
            apply(&mut scenario, &change).expect("checked above");
            changes.push(change);
            names.push(format!("{}.{}={n}", axis.contractor, axis.crew));
        }
        variants.push(Variant {
            name: names.join(" "),
            changes,
            scenario,
        });
    }
    Ok((axes, variants))
}

/// Every combination of the axes' values, last axis fastest.
fn combinations(axes: &[Axis]) -> Vec<Vec<u32>> {
    let mut out = vec![Vec::new()];
    for a in axes {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                a.values.iter().map(move |&v| {
                    let mut p = prefix.clone();
                    p.push(v);
                    p
                })
            })
            .collect();
    }
    out
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
    fn parses_ranges_lists_and_single_counts() {
        let a = parse_axis("contractor.reli.pipe=2..5").unwrap();
        assert_eq!((a.contractor.as_str(), a.crew.as_str()), ("reli", "pipe"));
        assert_eq!(a.values, vec![2, 3, 4, 5]);
        assert_eq!(parse_axis("contractor.a.b=3").unwrap().values, vec![3]);
        assert_eq!(parse_axis("contractor.a.b=2,4").unwrap().values, vec![2, 4]);
        assert_eq!(
            parse_axis("contractor.a.b=2..=3").unwrap().values,
            vec![2, 3]
        );
        for bad in [
            "reli.pipe=2",
            "contractor.reli=2",
            "contractor.reli.pipe",
            "contractor.reli.pipe=5..2",
            "contractor.reli.pipe=x",
            "contractor.reli.pipe=-1",
        ] {
            assert!(parse_axis(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_grid_is_the_cartesian_product() {
        let s = tutorial();
        let (_, v) = grid(
            &s,
            &[
                "contractor.reli.pipe=1..3".into(),
                "contractor.shizheng.earthworks=1,2".into(),
            ],
        )
        .unwrap();
        assert_eq!(v.len(), 6);
        assert_eq!(v[0].name, "reli.pipe=1 shizheng.earthworks=1");
        assert_eq!(v[5].name, "reli.pipe=3 shizheng.earthworks=2");
        let c = super::super::variant::crew_counts(&v[5].scenario);
        assert_eq!(c[&("reli".into(), "pipe".into())], 3);
        assert_eq!(c[&("shizheng".into(), "earthworks".into())], 2);
    }

    #[test]
    fn every_bad_option_is_listed_with_a_hint() {
        let s = tutorial();
        let e = grid(
            &s,
            &[
                "contractor.relli.pipe=1..3".into(),
                "contractor.reli.pipes=2".into(),
                "contractor.reli.pipe=2..1".into(),
            ],
        )
        .unwrap_err();
        assert_eq!(e.len(), 3);
        assert!(e[0].help.en.contains("did you mean \"reli\""));
        assert!(e[1].help.en.contains("did you mean \"pipe\""));
        assert!(e[2].message.en.contains("empty"));
    }
}
