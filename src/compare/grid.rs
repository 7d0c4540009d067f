//! Grids of variants from `--vary contractor.<id>.<crew-type>=<values>`.
//!
//! Each `--vary` names one contractor's crews of one type and the counts to
//! try: `=3`, a range `=2..5` (both ends included) or a list `=2,4,6`. Several
//! `--vary` give every combination (the cartesian product), in the order of
//! the options with the last one varying fastest.

use super::variant::{
    apply, check_crew_type, find_contractor, Change, CrewCount, Variant, MAX_CREWS,
};
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
    pub message: String,
    /// How to fix it.
    pub help: String,
}

const FORM: &str =
    "write --vary contractor.<contractor-id>.<crew-type>=<counts>, e.g. contractor.reli.pipe=2..5, =3 or =2,4,6";

/// Parses one option's text (syntax only).
pub fn parse_axis(option: &str) -> Result<Axis, VaryError> {
    let err = |message: String, help: &str| VaryError {
        option: option.to_string(),
        message,
        help: help.to_string(),
    };
    let Some((key, values)) = option.split_once('=') else {
        return Err(err("no `=` and crew counts".into(), FORM));
    };
    let Some(rest) = key.trim().strip_prefix("contractor.") else {
        return Err(err(
            format!("`{}` does not start with `contractor.`", key.trim()),
            FORM,
        ));
    };
    let Some((contractor, crew)) = rest.rsplit_once('.') else {
        return Err(err(format!("`{}` names no crew type", key.trim()), FORM));
    };
    if contractor.is_empty() || crew.is_empty() {
        return Err(err(
            format!("`{}` has an empty contractor id or crew type", key.trim()),
            FORM,
        ));
    }
    let number = |t: &str| -> Result<u32, VaryError> {
        match t.trim().parse::<u32>() {
            Ok(n) if n <= MAX_CREWS => Ok(n),
            _ => Err(err(
                format!("`{}` is not a crew count (0 to {MAX_CREWS})", t.trim()),
                FORM,
            )),
        }
    };
    let values = values.trim();
    let list = if let Some((a, b)) = values.split_once("..") {
        let (a, b) = (number(a)?, number(b.trim_start_matches('='))?);
        if a > b {
            return Err(err(
                format!("the range {a}..{b} is empty"),
                "write the smaller count first, e.g. 2..5",
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
            errors.push(VaryError {
                option: o.clone(),
                message: format!("{}.{} is varied twice", axis.contractor, axis.crew),
                help: "give each contractor and crew type one --vary, e.g. =2,4,6".into(),
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
            message: format!("the grid has more than {MAX_GRID} variants"),
            help: "vary fewer crew types or narrower ranges".into(),
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
        assert!(e[0].help.contains("did you mean \"reli\""));
        assert!(e[1].help.contains("did you mean \"pipe\""));
        assert!(e[2].message.contains("empty"));
    }
}
