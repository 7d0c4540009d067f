//! Reading PSPLIB single-mode RCPSP instances (`.sm` files) and the table of
//! best-known bounds (`known.csv`).
//!
//! An `.sm` file has a header (number of jobs including the dummy source and
//! sink, a horizon, resource counts) and three sections: `PRECEDENCE
//! RELATIONS:` (job, modes, successor count, successors), `REQUESTS/DURATIONS:`
//! (job, mode, duration, one demand per renewable resource) and
//! `RESOURCEAVAILABILITIES:` (one capacity per renewable resource). Jobs become
//! activities named by their number with one fixed-duration mode, successors
//! become finish-to-start links with lag 0, and the objective is the makespan.

use std::collections::HashMap;

use super::problem::{Activity, Link, LinkKind, Mode, Objective, Problem, Resource, Timing};

/// Best-known bounds on the minimum makespan of one instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// Best known lower bound.
    pub lb: u32,
    /// Best known upper bound (makespan of the best known schedule).
    pub ub: u32,
    /// True when the optimum is proven (`lb == ub`).
    pub optimal: bool,
}

/// The numbers on a line, or an error naming the line.
fn numbers(line_no: usize, line: &str) -> Result<Vec<u32>, String> {
    line.split_whitespace()
        .map(|w| {
            w.parse::<u32>()
                .map_err(|_| format!("line {line_no}: `{w}` is not a whole number"))
        })
        .collect()
}

/// The value after the `:` of a header line such as `horizon : 164`.
fn header_value(line_no: usize, line: &str) -> Result<u32, String> {
    let v = line.split(':').nth(1).unwrap_or("");
    let w = v.split_whitespace().next().unwrap_or("");
    w.parse().map_err(|_| {
        format!(
            "line {line_no}: expected a number after `:` in `{}`",
            line.trim()
        )
    })
}

/// The lines of the table after `title` that start with a number, with their
/// 1-based line numbers; stops at the first line of `*`.
fn section<'t>(lines: &[(usize, &'t str)], title: &str) -> Result<Vec<(usize, &'t str)>, String> {
    let at = lines
        .iter()
        .position(|(_, l)| l.trim_start().starts_with(title))
        .ok_or_else(|| format!("no `{title}` section"))?;
    Ok(lines[at + 1..]
        .iter()
        .take_while(|(_, l)| !l.trim_start().starts_with('*'))
        .filter(|(_, l)| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .copied()
        .collect())
}

/// Parses a PSPLIB single-mode `.sm` file into a makespan problem named
/// `name`. The horizon is the file's horizon or the sum of the durations,
/// whichever is larger.
pub fn parse(name: &str, text: &str) -> Result<Problem, String> {
    let lines: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
    let find = |key: &str| -> Result<u32, String> {
        let (no, line) = lines
            .iter()
            .find(|(_, l)| l.trim_start().starts_with(key))
            .ok_or_else(|| format!("no `{key}` line"))?;
        header_value(*no, line)
    };
    let jobs = find("jobs")? as usize;
    let file_horizon = find("horizon")?;
    let renewable = find("- renewable")? as usize;

    let prec = section(&lines, "PRECEDENCE RELATIONS:")?;
    let reqs = section(&lines, "REQUESTS/DURATIONS:")?;
    let avail = section(&lines, "RESOURCEAVAILABILITIES:")?;
    if prec.len() != jobs || reqs.len() != jobs {
        return Err(format!(
            "expected {jobs} jobs, found {} precedence lines and {} request lines",
            prec.len(),
            reqs.len()
        ));
    }

    let mut links = Vec::new();
    for &(no, line) in &prec {
        let v = numbers(no, line)?;
        if v.len() < 3 || v.len() != 3 + v[2] as usize {
            return Err(format!(
                "line {no}: expected job, modes, successor count and that many successors"
            ));
        }
        let from = v[0] as usize;
        for &succ in &v[3..] {
            let to = succ as usize;
            if from == 0 || from > jobs || to == 0 || to > jobs {
                return Err(format!("line {no}: job number out of range 1..={jobs}"));
            }
            links.push(Link {
                from: from - 1,
                to: to - 1,
                kind: LinkKind::FinishToStart,
                lag: 0,
            });
        }
    }

    let mut activities = Vec::with_capacity(jobs);
    for (i, &(no, line)) in reqs.iter().enumerate() {
        let v = numbers(no, line)?;
        if v.len() != 3 + renewable {
            return Err(format!(
                "line {no}: expected job, mode, duration and {renewable} demands"
            ));
        }
        if v[0] as usize != i + 1 {
            return Err(format!(
                "line {no}: expected job {} but found {}",
                i + 1,
                v[0]
            ));
        }
        let demands = v[3..]
            .iter()
            .enumerate()
            .filter(|(_, &d)| d > 0)
            .map(|(r, &d)| (r, d))
            .collect();
        activities.push(Activity {
            name: v[0].to_string(),
            modes: vec![Mode {
                label: "1".into(),
                demands,
                timing: Timing::Fixed(v[2]),
                cost_per_day: 0,
            }],
            release: 0,
        });
    }

    let &(no, line) = avail.first().ok_or("no resource availabilities")?;
    let caps = numbers(no, line)?;
    if caps.len() != renewable {
        return Err(format!(
            "line {no}: expected {renewable} capacities, found {}",
            caps.len()
        ));
    }
    let resources = caps
        .iter()
        .enumerate()
        .map(|(r, &c)| Resource {
            name: format!("R{}", r + 1),
            capacity: c,
        })
        .collect();

    let total: u32 = activities
        .iter()
        .map(|a| a.modes[0].timing.min_duration())
        .sum();
    Ok(Problem {
        name: name.to_string(),
        horizon: file_horizon.max(total),
        resources,
        activities,
        links,
        spans: vec![],
        groups: vec![],
        objective: Objective::default(),
        baseline: None,
    })
}

/// Parses `known.csv` (`instance,lb,ub,optimal` with a header line) into a
/// map from instance name to its bounds. Fields are trimmed; blank lines are
/// skipped; errors name the line.
pub fn load_known(csv_text: &str) -> Result<HashMap<String, Known>, String> {
    let records = crate::csv_text::records(csv_text)
        .map_err(|line| format!("line {line}: a quoted field is never closed"))?;
    let mut map = HashMap::new();
    for record in records.iter().skip(1) {
        let no = record.line;
        let f: Vec<&str> = record.fields.iter().map(|x| x.trim()).collect();
        if f.len() != 4 {
            return Err(format!("line {no}: expected 4 fields, found {}", f.len()));
        }
        let num = |s: &str| {
            s.parse::<u32>()
                .map_err(|_| format!("line {no}: `{s}` is not a whole number"))
        };
        let optimal = match f[3] {
            "true" => true,
            "false" => false,
            other => return Err(format!("line {no}: `{other}` is neither true nor false")),
        };
        map.insert(
            f[0].to_string(),
            Known {
                lb: num(f[1])?,
                ub: num(f[2])?,
                optimal,
            },
        );
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "\
************************************************************************
jobs (incl. supersource/sink ):  4
horizon                       :  5
RESOURCES
  - renewable                 :  1   R
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       2
  3      1     4       1
  4      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    2
************************************************************************
";

    #[test]
    fn parses_small_file() {
        let p = parse("small", SMALL).unwrap();
        assert_eq!(p.activities.len(), 4);
        assert_eq!(p.links.len(), 4);
        assert_eq!(p.resources[0].capacity, 2);
        assert_eq!(p.activities[2].modes[0].demands, vec![(0, 1)]);
        assert_eq!(p.horizon, 7);
    }

    #[test]
    fn errors_name_the_line() {
        let bad = SMALL.replace("  3      1     4       1", "  3      1     x       1");
        let e = parse("bad", &bad).unwrap_err();
        assert!(e.contains("line 19"), "{e}");
    }

    #[test]
    fn known_csv() {
        let k =
            load_known("instance,lb,ub,optimal\nj301_1,43,43,true\nj601_1,70,77,false\n").unwrap();
        assert_eq!(
            k["j601_1"],
            Known {
                lb: 70,
                ub: 77,
                optimal: false
            }
        );
        assert!(load_known("h\nx,1,2\n").unwrap_err().contains("line 2"));
        let e =
            load_known("instance,lb,ub,optimal\n\n a , 1 , 2 , true \nb,1,x,true\n").unwrap_err();
        assert_eq!(e, "line 4: `x` is not a whole number");
    }
}
