//! The solver's status and stop reasons in Chinese and English.
//!
//! A solve ends with a status (`optimal`, `feasible (gap 1.20 %)`, …) and a
//! stop reason (`time limit`, `proven optimal by branch and bound (41
//! nodes)`, …). Their English sentences are data: plan.json records them
//! (as `quality.status` and `quality.stop_reason`) and compare.csv writes
//! them, and programs read both back, so they stay as they are. What a
//! person reads — the terminal summary, report.html, compare's table, the
//! "no plan" messages — shows them through [`solver_words`], which reads
//! the recorded sentence and gives it in both languages.
//!
//! The sentences come from a closed set (the `Display` of
//! `schedule::outcome::Status` and `StopReason`, and the few reasons the
//! solver's phases give for an infeasible problem), so each is recognised
//! by its fixed words with the figures in between carried over. A sentence
//! it does not know (a HiGHS error text, a new reason) is shown as written
//! in both languages, with a Chinese lead-in when it has a known prefix. The
//! tests build every status and stop reason and check that each has its
//! Chinese, so a new variant without a translation fails them.

use crate::both;
use crate::lang::Both;

/// A recorded solver status or stop reason (see the module docs) in both
/// languages.
pub fn solver_words(text: &str) -> Both {
    let t = text.trim();
    let fixed: &[(&str, &str)] = &[
        ("optimal", "最优"),
        ("feasible", "可行"),
        ("infeasible", "无可行解"),
        ("no solution found", "未找到解"),
        ("heuristic", "启发式"),
        ("proven optimal", "已证明最优"),
        ("time limit", "达到时间限制"),
        ("interrupted", "已中断"),
        ("work limit reached", "达到工作量限制"),
        (
            "the heuristic's plan meets the lower bound",
            "启发式计划已达到下界",
        ),
        (
            "heuristic only (no solver requested)",
            "仅启发式（未调用求解器）",
        ),
        ("memory limit", "达到内存限制"),
        ("proven infeasible", "已证明无可行解"),
        (
            "branch and bound: no schedule ends within the horizon",
            "分支定界：没有能在计划期内完成的进度",
        ),
        (
            "the precedence links contain a cycle",
            "工序逻辑关系中有循环",
        ),
        ("not run (interrupted)", "未计算（已中断）"),
    ];
    if let Some((en, zh)) = fixed.iter().find(|(en, _)| *en == t) {
        return both!("{en}", "{zh}");
    }
    let between = |pre: &str, post: &str| {
        t.strip_prefix(pre)
            .and_then(|r| r.strip_suffix(post))
            .map(str::to_string)
    };
    if let Some(g) = between("feasible (gap ", ")") {
        return both!("{t}", "可行（差距 {g}）");
    }
    if let Some(n) = between("proven optimal by branch and bound (", " nodes)") {
        return both!("{t}", "分支定界已证明最优（{n} 个节点）");
    }
    if let Some(rest) = between("relative gap ", " level") {
        if let Some((g, level)) = rest.split_once(" reached on the ") {
            let level = match level {
                "household-day" => "户·天延误",
                "time-node" => "时间节点",
                "finish" => "完工日",
                "crew-day" => "班组工日",
                other => other,
            };
            return both!("{t}", "已在{level}层级达到相对差距 {g}");
        }
    }
    if let Some(g) = between("relative gap ", " reached") {
        return both!("{t}", "已达到相对差距 {g}");
    }
    if let Some(rest) = between("model too large: ", ")") {
        if let Some((cols, limit)) = rest.split_once(" start columns (limit ") {
            return both!("{t}", "模型过大：{cols} 个开始变量列（上限 {limit}）");
        }
    }
    if let Some(rest) = between("activity `", ")") {
        let no_room = "` cannot be scheduled before the horizon (earliest start ";
        if let Some((name, rest)) = rest.split_once(no_room) {
            if let Some((es, ls)) = rest.split_once(", latest start ") {
                let ls = match ls.strip_prefix("Some(").and_then(|d| d.strip_suffix(')')) {
                    Some(d) => format!("第 {d} 天"),
                    None => "无".to_string(),
                };
                return both!(
                    "{t}",
                    "工序 `{name}` 无法在计划期内安排（最早开始第 {es} 天，最晚开始{ls}）"
                );
            }
        }
    }
    if let Some(name) = between("activity `", "` has no allowed start") {
        return both!("{t}", "工序 `{name}` 没有允许的开始日");
    }
    if let Some(name) = between("activity `", "` has an empty start domain") {
        return both!("{t}", "工序 `{name}` 的开始日范围为空");
    }
    if let Some(s) = t.strip_prefix("HiGHS status ") {
        return both!("{t}", "HiGHS 状态 {s}");
    }
    if let Some(e) = t.strip_prefix("HiGHS error: ") {
        return both!("{t}", "HiGHS 出错：{e}");
    }
    if let Some(why) = t.strip_prefix("infeasible: ") {
        let why = solver_words(why).zh;
        return both!("{t}", "无可行解：{why}");
    }
    Both::same(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::has_chinese;
    use crate::schedule::outcome::{ObjectiveLevel, Status, StopReason};
    use crate::schedule::window::WindowError;

    /// Every status, one of each kind: the `match` lists every variant, so
    /// a new one does not compile until it is added here (and then must
    /// have its Chinese).
    fn every_status() -> Vec<Status> {
        let all = vec![
            Status::Optimal,
            Status::Feasible { gap: 0.0123 },
            Status::Infeasible,
            Status::NoSolution,
        ];
        for s in &all {
            match s {
                Status::Optimal
                | Status::Feasible { .. }
                | Status::Infeasible
                | Status::NoSolution => {}
            }
        }
        all
    }

    /// Every stop reason, with each reason the solver gives for an
    /// infeasible problem (see the `match`, as for [`every_status`]).
    fn every_stop_reason() -> Vec<StopReason> {
        let infeasible = vec![
            "proven infeasible".to_string(),
            "branch and bound: no schedule ends within the horizon".to_string(),
            WindowError::Cycle.to_string(),
            WindowError::NoRoom {
                activity: 3,
                name: "S1/pipe".into(),
                es: 40,
                ls: Some(12),
            }
            .to_string(),
            WindowError::NoRoom {
                activity: 3,
                name: "S1/pipe".into(),
                es: 40,
                ls: None,
            }
            .to_string(),
            format!("infeasible: {}", WindowError::Cycle),
            "infeasible: activity `S1/pipe` has no allowed start".to_string(),
            "infeasible: activity `S1/pipe` has an empty start domain".to_string(),
        ];
        let mut all = vec![
            StopReason::Proven,
            StopReason::ProvenByBranchAndBound { nodes: 41 },
            StopReason::GapReached {
                gap: 0.01,
                level: None,
            },
            StopReason::GapReached {
                gap: 0.01,
                level: Some(ObjectiveLevel::CrewDays),
            },
            StopReason::GapReached {
                gap: 0.01,
                level: Some(ObjectiveLevel::Households),
            },
            StopReason::GapReached {
                gap: 0.01,
                level: Some(ObjectiveLevel::Nodes),
            },
            StopReason::GapReached {
                gap: 0.01,
                level: Some(ObjectiveLevel::Finish),
            },
            StopReason::TimeLimit,
            StopReason::Interrupted,
            StopReason::WorkLimit,
            StopReason::NoImprovementPossible,
            StopReason::HeuristicOnly,
            StopReason::ModelTooLarge {
                columns: 9_000_000,
                limit: 4_000_000,
            },
            StopReason::MemoryLimit,
            StopReason::SolverStatus {
                status: "kUnknown".into(),
            },
            StopReason::SolverError {
                error: "bad option".into(),
            },
        ];
        all.extend(
            infeasible
                .into_iter()
                .map(|why| StopReason::Infeasible { why }),
        );
        for s in &all {
            match s {
                StopReason::Proven
                | StopReason::ProvenByBranchAndBound { .. }
                | StopReason::GapReached { .. }
                | StopReason::TimeLimit
                | StopReason::Interrupted
                | StopReason::WorkLimit
                | StopReason::NoImprovementPossible
                | StopReason::HeuristicOnly
                | StopReason::ModelTooLarge { .. }
                | StopReason::Infeasible { .. }
                | StopReason::MemoryLimit
                | StopReason::SolverStatus { .. }
                | StopReason::SolverError { .. } => {}
            }
        }
        all
    }

    #[test]
    fn every_status_and_stop_reason_has_its_chinese() {
        let texts: Vec<String> = every_status()
            .iter()
            .map(ToString::to_string)
            .chain(every_stop_reason().iter().map(ToString::to_string))
            .collect();
        for t in texts {
            let w = solver_words(&t);
            assert_eq!(w.en, t, "the English is the recorded sentence");
            assert!(has_chinese(&w.zh), "`{t}` has no Chinese: {}", w.zh);
        }
    }

    #[test]
    fn figures_are_carried_over() {
        let w = solver_words(&Status::Feasible { gap: 0.0123 }.to_string());
        assert_eq!(w.zh, "可行（差距 1.23 %）");
        let w = solver_words(&StopReason::ProvenByBranchAndBound { nodes: 41 }.to_string());
        assert_eq!(w.zh, "分支定界已证明最优（41 个节点）");
        let w = solver_words(
            &WindowError::NoRoom {
                activity: 3,
                name: "S1/pipe".into(),
                es: 40,
                ls: Some(12),
            }
            .to_string(),
        );
        assert_eq!(
            w.zh,
            "工序 `S1/pipe` 无法在计划期内安排（最早开始第 40 天，最晚开始第 12 天）"
        );
    }

    #[test]
    fn an_unknown_sentence_is_shown_as_written() {
        let w = solver_words("something new");
        assert_eq!(
            (w.en.as_str(), w.zh.as_str()),
            ("something new", "something new")
        );
    }
}
