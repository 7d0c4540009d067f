//! Labels of the reports and the terminal summary in Chinese or English.
//!
//! Only the words heatplan itself writes are translated; names from the
//! scenario (stations, districts, contractors, steps) pass through as written.
//! Machine-read files (plan.csv, ledger.csv, plan.json) keep fixed English
//! headers whatever the language, so re-planning can read them back.

pub use crate::lang::Lang;

impl Lang {
    /// The labels of this language.
    pub fn labels(self) -> &'static Labels {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }
}

/// Every label the reports use.
#[derive(Debug)]
pub struct Labels {
    /// Title of report.html.
    pub report_title: &'static str,
    /// Construction window.
    pub window: &'static str,
    /// Heat-ready deadline.
    pub deadline: &'static str,
    /// Finish of all work.
    pub finish: &'static str,
    /// Note after a finish later than the deadline.
    pub after_deadline: &'static str,
    /// Households heat-ready by the deadline.
    pub heat_ready: &'static str,
    /// "of" in "N of M households".
    pub households_of: &'static str,
    /// Stations on time / late.
    pub stations: &'static str,
    /// On time.
    pub on_time: &'static str,
    /// Late.
    pub late: &'static str,
    /// Crew-days used.
    pub crew_days: &'static str,
    /// Solution quality.
    pub solution: &'static str,
    /// Objective.
    pub objective: &'static str,
    /// Bound.
    pub bound: &'static str,
    /// Gap.
    pub gap: &'static str,
    /// Minimum total float, logic.
    pub min_float_logic: &'static str,
    /// Minimum total float, with hand-overs.
    pub min_float_resource: &'static str,
    /// Logic critical path.
    pub logic_critical_path: &'static str,
    /// Resource-critical path.
    pub resource_critical_path: &'static str,
    /// Late stations (section).
    pub late_stations: &'static str,
    /// Station.
    pub station: &'static str,
    /// District.
    pub district: &'static str,
    /// Contractor.
    pub contractor: &'static str,
    /// Crew instance.
    pub crew: &'static str,
    /// Crew type.
    pub crew_type: &'static str,
    /// Names of the usual crew types in this language (id, name); a crew
    /// type is a free id of the scenario, so others show as their id.
    pub crew_type_names: &'static [(&'static str, &'static str)],
    /// Number of crews.
    pub crews: &'static str,
    /// Households.
    pub households: &'static str,
    /// Heat-ready date.
    pub heat_ready_date: &'static str,
    /// Days late.
    pub days_late: &'static str,
    /// Milestones (section).
    pub milestones: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Station heat-ready milestone.
    pub kind_station: &'static str,
    /// District complete milestone.
    pub kind_district: &'static str,
    /// Scenario milestone.
    pub kind_scenario: &'static str,
    /// Date.
    pub date: &'static str,
    /// Target date.
    pub due: &'static str,
    /// Variance in days.
    pub variance: &'static str,
    /// Crew utilisation (section).
    pub utilisation: &'static str,
    /// Crew-days busy.
    pub busy: &'static str,
    /// Crew-days available.
    pub available: &'static str,
    /// Activities (section).
    pub activities: &'static str,
    /// Id.
    pub id: &'static str,
    /// Name.
    pub name: &'static str,
    /// Element.
    pub element: &'static str,
    /// Planned start.
    pub start: &'static str,
    /// Planned finish.
    pub finish_col: &'static str,
    /// Duration in days.
    pub duration: &'static str,
    /// Earliest start.
    pub es: &'static str,
    /// Earliest finish.
    pub ef: &'static str,
    /// Latest start.
    pub ls: &'static str,
    /// Latest finish.
    pub lf: &'static str,
    /// Total float.
    pub total_float: &'static str,
    /// Free float.
    pub free_float: &'static str,
    /// Critical.
    pub critical: &'static str,
    /// Yes.
    pub yes: &'static str,
    /// Gantt chart (section / title).
    pub gantt: &'static str,
    /// Network diagram (section / title).
    pub network: &'static str,
    /// Holiday.
    pub holiday: &'static str,
    /// Ban.
    pub ban: &'static str,
    /// Stop-work day.
    pub stop_work: &'static str,
    /// Work without a district.
    pub general: &'static str,
    /// Days (unit).
    pub days: &'static str,
    /// Summary (section).
    pub summary: &'static str,
    /// None.
    pub none: &'static str,
    /// Critical (legend).
    pub legend_critical: &'static str,
    /// Milestone (legend).
    pub milestone: &'static str,
    /// Week (axis).
    pub week: &'static str,
    /// Note on floats in tables.
    pub float_note: &'static str,
    /// Note on the collapsed network diagram.
    pub collapsed_note: &'static str,
    /// Why late (section).
    pub why_late: &'static str,
    /// Cause (column of the why-late table).
    pub cause: &'static str,
    /// Cause: a chain of work too long even with unlimited crews.
    pub cause_chain: &'static str,
    /// Cause: waits for crews shared with other work.
    pub cause_crews: &'static str,
    /// Explanation (column of the why-late table).
    pub explanation: &'static str,
    /// Time nodes (milestones with a due date).
    pub time_nodes: &'static str,
    /// Nodes met (after a count).
    pub nodes_met: &'static str,
    /// Nodes missed (after a count).
    pub nodes_missed: &'static str,
    /// Note: the level is proven best.
    pub proven_best: &'static str,
    /// Note: the level is proven best among the plans as good on every
    /// level above it (the whole objective is proven optimal).
    pub proven_given_above: &'static str,
    /// Note: the level is not proven best.
    pub not_proven: &'static str,
    /// Before a figure: at least this much is unavoidable.
    pub unavoidable: &'static str,
    /// Unit: household-days late.
    pub household_days_late: &'static str,
    /// Unit: (weighted) node-days late.
    pub node_days_late: &'static str,
    /// Before a date: no plan can be earlier.
    pub no_earlier_than: &'static str,
    /// Before a figure: no plan needs fewer.
    pub at_least: &'static str,
    /// Column: proven least days late.
    pub least_late: &'static str,
    /// Heading of the reasons for the missed time nodes.
    pub why_nodes_missed: &'static str,
    /// A node met.
    pub met: &'static str,
    /// A node missed by N days (before N).
    pub missed_by: &'static str,
    /// Solver status line (for engineers).
    pub solver: &'static str,
}

impl Labels {
    /// A crew type as shown in this language: the usual ones by name with
    /// the scenario's id beside it (`土方（earthworks）`), any other as its id.
    pub fn crew_type_name(&self, id: &str) -> String {
        match self.crew_type_names.iter().find(|(k, _)| *k == id) {
            Some((_, name)) => format!("{name}（{id}）"),
            None => id.to_string(),
        }
    }
}

/// Simplified Chinese labels.
pub static ZH: Labels = Labels {
    report_title: "施工网络计划",
    window: "施工期",
    deadline: "具备供热条件期限",
    finish: "全部完工",
    after_deadline: "（晚于期限）",
    heat_ready: "期限前具备供热条件",
    households_of: "户 / 共",
    stations: "热力站",
    on_time: "按期",
    late: "延误",
    crew_days: "班组工日",
    solution: "求解",
    objective: "目标值",
    bound: "下界",
    gap: "差距",
    min_float_logic: "最小总时差（逻辑）",
    min_float_resource: "最小总时差（含资源衔接）",
    logic_critical_path: "关键线路（逻辑）",
    resource_critical_path: "资源关键线路",
    late_stations: "延误热力站",
    station: "热力站",
    district: "辖区",
    contractor: "施工单位",
    crew: "班组",
    crew_type: "班组类型",
    crew_type_names: &[
        ("earthworks", "土方"),
        ("pipe", "管道安装"),
        ("testing", "试压"),
        ("station_civil", "换热站土建"),
        ("station_mep", "换热站机电"),
        ("civil", "土建"),
        ("mep", "机电"),
        ("welding", "焊接"),
    ],
    crews: "班组数",
    households: "户数",
    heat_ready_date: "具备供热条件日期",
    days_late: "延误天数",
    milestones: "里程碑（时间节点）",
    kind: "类型",
    kind_station: "热力站具备供热条件",
    kind_district: "辖区完工",
    kind_scenario: "里程碑",
    date: "日期",
    due: "目标日期",
    variance: "偏差（天）",
    utilisation: "班组利用率",
    busy: "占用工日",
    available: "可用工日",
    activities: "工作",
    id: "编号",
    name: "名称",
    element: "工程部位",
    start: "计划开始",
    finish_col: "计划完成",
    duration: "工期（天）",
    es: "最早开始",
    ef: "最早完成",
    ls: "最迟开始",
    lf: "最迟完成",
    total_float: "总时差",
    free_float: "自由时差",
    critical: "关键工作",
    yes: "是",
    gantt: "横道图",
    network: "单代号网络图",
    holiday: "节假日",
    ban: "禁止施工",
    stop_work: "停工",
    general: "公共",
    days: "天",
    summary: "概况",
    none: "无",
    legend_critical: "关键工作",
    milestone: "里程碑",
    week: "周",
    float_note: "时差以日历天计，含班组与沟槽衔接（资源时差）。",
    collapsed_note: "按工程部位合并显示；红色为关键线路。",
    why_late: "延误原因",
    cause: "原因",
    cause_chain: "工作链过长",
    cause_crews: "等待班组",
    explanation: "说明",
    time_nodes: "时间节点",
    nodes_met: "个按期",
    nodes_missed: "个延误",
    proven_best: "已证明为最优",
    proven_given_above: "在更高优先级不变时已证明为最优",
    not_proven: "未证明为最优",
    unavoidable: "至少不可避免",
    household_days_late: "户·天延误",
    node_days_late: "节点·天延误",
    no_earlier_than: "任何计划不早于",
    at_least: "任何计划不少于",
    least_late: "已证明最少延误（天）",
    why_nodes_missed: "时间节点延误原因",
    met: "按期",
    missed_by: "延误",
    solver: "求解器",
};

/// English labels.
pub static EN: Labels = Labels {
    report_title: "Construction network plan",
    window: "Window",
    deadline: "Heat-ready deadline",
    finish: "Finish",
    after_deadline: " (after the deadline)",
    heat_ready: "Heat-ready by the deadline",
    households_of: "of",
    stations: "Stations",
    on_time: "on time",
    late: "late",
    crew_days: "Crew-days",
    solution: "Solution",
    objective: "objective",
    bound: "bound",
    gap: "gap",
    min_float_logic: "Minimum total float (logic)",
    min_float_resource: "Minimum total float (with hand-overs)",
    logic_critical_path: "Critical path (logic)",
    resource_critical_path: "Resource-critical path",
    late_stations: "Late stations",
    station: "Station",
    district: "District",
    contractor: "Contractor",
    crew: "Crew",
    crew_type: "Crew type",
    crew_type_names: &[],
    crews: "Crews",
    households: "Households",
    heat_ready_date: "Heat-ready",
    days_late: "Days late",
    milestones: "Milestones",
    kind: "Kind",
    kind_station: "station heat-ready",
    kind_district: "district complete",
    kind_scenario: "milestone",
    date: "Date",
    due: "Target",
    variance: "Variance (d)",
    utilisation: "Crew utilisation",
    busy: "Busy crew-days",
    available: "Available crew-days",
    activities: "Activities",
    id: "Id",
    name: "Name",
    element: "Element",
    start: "Start",
    finish_col: "Finish",
    duration: "Duration (d)",
    es: "ES",
    ef: "EF",
    ls: "LS",
    lf: "LF",
    total_float: "TF",
    free_float: "FF",
    critical: "Critical",
    yes: "yes",
    gantt: "Gantt chart",
    network: "Network diagram (activity on node)",
    holiday: "holiday",
    ban: "ban",
    stop_work: "stop-work",
    general: "general",
    days: "d",
    summary: "Summary",
    none: "none",
    legend_critical: "critical",
    milestone: "milestone",
    week: "wk",
    float_note: "Floats in calendar days, including crew and trench hand-overs (resource-driven).",
    collapsed_note: "Collapsed to elements; the critical path is red.",
    why_late: "Why late",
    cause: "Cause",
    cause_chain: "chain",
    cause_crews: "crews",
    explanation: "Explanation",
    time_nodes: "Time nodes",
    nodes_met: "met",
    nodes_missed: "missed",
    proven_best: "proven best",
    proven_given_above: "proven best given the levels above",
    not_proven: "not proven best",
    unavoidable: "at least unavoidable:",
    household_days_late: "household-days late",
    node_days_late: "node-days late",
    no_earlier_than: "no plan earlier than",
    at_least: "no plan below",
    least_late: "Least late, proven (d)",
    why_nodes_missed: "Why time nodes are missed",
    met: "met",
    missed_by: "missed by",
    solver: "Solver",
};

/// Display width of a string in a terminal (Unicode East Asian width:
/// Chinese characters and full-width punctuation take two columns).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Labels of the schedule-risk outputs (`heatplan risk`).
#[derive(Debug)]
pub struct RiskLabels {
    /// Title of risk.html.
    pub title: &'static str,
    /// Probability of heat-ready by the deadline.
    pub p_on_time: &'static str,
    /// Standard error.
    pub se: &'static str,
    /// The whole city (every station).
    pub city: &'static str,
    /// Expected households heat-ready.
    pub expected_households: &'static str,
    /// Samples.
    pub samples: &'static str,
    /// Seed.
    pub seed: &'static str,
    /// Samples the plan could not be executed in.
    pub failed: &'static str,
    /// Time nodes.
    pub nodes: &'static str,
    /// Probability a time node is met.
    pub p_met: &'static str,
    /// Criticality index.
    pub criticality: &'static str,
    /// Tornado (section).
    pub tornado: &'static str,
    /// Correlation with the last station's heat-ready date.
    pub correlation: &'static str,
    /// Uncertainty (column).
    pub driver: &'static str,
    /// Rain driver.
    pub rain: &'static str,
    /// Alert driver prefix.
    pub alert: &'static str,
    /// Productivity driver prefix.
    pub productivity: &'static str,
    /// Delay driver prefix.
    pub delay: &'static str,
    /// Cumulative probability (CDF axis / title).
    pub cdf: &'static str,
    /// Histogram title.
    pub histogram: &'static str,
    /// Planned heat-ready date.
    pub planned: &'static str,
    /// Level column of risk.csv (city, district, station, node, activity, driver).
    pub level: &'static str,
    /// Note under the results: the method in one sentence.
    pub method_note: &'static str,
    /// First uncertain day.
    pub data_date: &'static str,
}

impl Lang {
    /// The labels of the schedule-risk outputs in this language.
    pub fn risk_labels(self) -> &'static RiskLabels {
        match self {
            Lang::Zh => &RISK_ZH,
            Lang::En => &RISK_EN,
        }
    }
}

static RISK_EN: RiskLabels = RiskLabels {
    title: "Schedule risk",
    p_on_time: "P(heat-ready by deadline)",
    se: "std. error",
    city: "City (every station)",
    expected_households: "Expected households heat-ready",
    samples: "Samples",
    seed: "Seed",
    failed: "Samples not executable",
    nodes: "Time nodes",
    p_met: "P(met)",
    criticality: "Criticality index",
    tornado: "What moves the result most",
    correlation: "Correlation with the last heat-ready date",
    driver: "Uncertainty",
    rain: "Rainy days",
    alert: "Pollution alert",
    productivity: "Productivity",
    delay: "Delay",
    cdf: "Probability the last station is heat-ready by date",
    histogram: "Heat-ready date of the last station (samples)",
    planned: "Planned",
    level: "level",
    method_note: "Monte Carlo: the plan's order of work and contractors executed in each sampled future (rain, pollution alerts, productivity, delays).",
    data_date: "Uncertain from",
};

static RISK_ZH: RiskLabels = RiskLabels {
    title: "工期风险",
    p_on_time: "按期具备供热条件的概率",
    se: "标准误差",
    city: "全市（全部热力站）",
    expected_households: "按期供热户数期望值",
    samples: "样本数",
    seed: "随机种子",
    failed: "无法执行的样本",
    nodes: "时间节点",
    p_met: "按期达成概率",
    criticality: "关键性指数",
    tornado: "影响最大的不确定因素",
    correlation: "与最后一座热力站具备供热条件日期的相关系数",
    driver: "不确定因素",
    rain: "降雨天数",
    alert: "重污染预警",
    productivity: "工效",
    delay: "延误",
    cdf: "最后一座热力站按日期具备供热条件的概率",
    histogram: "最后一座热力站具备供热条件日期（样本）",
    planned: "计划",
    level: "层级",
    method_note: "蒙特卡洛模拟：在每个抽样情景（降雨、重污染预警、工效、延误）中按计划的工作顺序和施工单位执行。",
    data_date: "不确定起始日",
};

/// Labels of the risk columns of `heatplan compare --risk-samples`.
#[derive(Debug)]
pub struct CompareRiskLabels {
    /// Probability that every station is heat-ready by the deadline (column).
    pub p_on_time: &'static str,
    /// Expected households heat-ready by the deadline (column).
    pub expected_households: &'static str,
    /// The plan the probability is of (column).
    pub plan: &'static str,
    /// The variant's own plan.
    pub own_plan: &'static str,
    /// Before the name of the variant whose plan was used.
    pub plan_of: &'static str,
    /// Note under the table: what the figures are.
    pub note: &'static str,
}

impl Lang {
    /// The labels of the risk columns of `heatplan compare`.
    pub fn compare_risk_labels(self) -> &'static CompareRiskLabels {
        match self {
            Lang::Zh => &COMPARE_RISK_ZH,
            Lang::En => &COMPARE_RISK_EN,
        }
    }
}

static COMPARE_RISK_EN: CompareRiskLabels = CompareRiskLabels {
    p_on_time: "P(all on time)",
    expected_households: "exp. households",
    plan: "risk plan",
    own_plan: "own",
    plan_of: "plan of",
    note: "P(all on time): the probability that every station is heat-ready by the deadline, ± one standard error, from the same sampled futures for every variant (the scenario's [risk] model, each plan's order of work and contractors followed). A variant may follow the plan of a variant with no more crews of any type; its figure is the best such plan's, named under \"risk plan\".",
};

static COMPARE_RISK_ZH: CompareRiskLabels = CompareRiskLabels {
    p_on_time: "全部按期概率",
    expected_households: "期望按期户数",
    plan: "风险所用计划",
    own_plan: "本方案",
    plan_of: "采用",
    note: "全部按期概率：所有换热站在期限前具备供热条件的概率（± 一个标准误差），各方案使用相同的抽样未来（情景的 [risk] 模型，按各计划的工作顺序和施工单位执行）。方案可以采用各类班组都不多于它的方案的计划；其数值取这些计划中最好的一个，在“风险所用计划”中注明。",
};

/// Pads `s` with spaces on the right to `width` display columns.
pub fn pad(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

/// Pads `s` with spaces on the left to `width` display columns.
pub fn pad_left(s: &str, width: usize) -> String {
    let w = display_width(s);
    format!("{}{s}", " ".repeat(width.saturating_sub(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_parsing() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("热力站"), 6);
        assert_eq!(display_width("（一）、"), 8);
        assert_eq!(pad("站", 4), "站  ");
        assert_eq!(pad_left("7", 3), "  7");
    }
}
