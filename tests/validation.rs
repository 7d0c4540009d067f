//! Scenario validation: one test per kind of mistake, each made in a small
//! valid scenario, checking the message and the line reported.

use heatplan::lang::{has_chinese, Lang};
use heatplan::scenario::{parse, validate::validate, Diagnostic, Source};

/// A small valid scenario: 3 nodes, 2 segments, 1 station, 1 source,
/// 1 district, 1 contractor, templates, 2 tasks, a link and a milestone.
const BASE: &str = r#"
[programme]
name = "Test programme"
window_start = 2022-04-01
window_end = 2022-09-30
deadline = 2022-09-30

[calendar]
rest_weekdays = ["Sun"]
holidays = [{ name = "Labour Day", from = 2022-05-01, to = 2022-05-03 }]
bans = [{ name = "gaokao", from = 2022-06-07, to = 2022-06-09, tags = ["near_school"], districts = ["D1"] }]
productivity = [{ name = "rainy season", from = 2022-07-15, to = 2022-08-15, factor = 0.8, tags = ["earthworks"] }]
stop_work = [{ name = "pollution alert", from = 2022-04-20, tags = ["earthworks"] }]

[[sources]]
id = "NE"
name = "North-east CHP"
node = "N1"

[[nodes]]
id = "N1"

[[nodes]]
id = "N2"

[[nodes]]
id = "N3"

[[segments]]
id = "P1"
from = "N1"
to = "N2"
length_m = 400.0
dn = 500
district = "D1"
tags = ["near_school"]

[[segments]]
id = "P2"
from = "N2"
to = "N3"
length_m = 250.0
dn = 300
district = "D1"

[[stations]]
id = "S1"
node = "N3"
heated_area_m2 = 80000.0
households = 1200
district = "D1"

[templates]
station = [
  { key = "civil", name = "Civil works", crew = "civil", days = 20 },
  { key = "equip", name = "Equipment", crew = "civil", days = 10, days_per_10k_m2 = 1.0 },
]

[[templates.segment]]
key = "trench"
name = "Trench and support"
crew = "earth"
tags = ["earthworks"]
rates = [{ dn_max = 500, metres_per_day = 60.0 }, { dn_max = 1000, metres_per_day = 40.0 }]

[[templates.segment]]
key = "lay"
name = "Lay and weld"
crew = "pipe"
rates = [{ dn_max = 1000, metres_per_day = 50.0 }]

[[templates.segment]]
key = "test"
name = "NDT and hydrostatic test"
crew = "pipe"
days = 2
supply_ready = true

[[templates.segment]]
key = "backfill"
name = "Backfill and restore"
crew = "earth"
days = 2

[[districts]]
id = "D1"
name = "Xincheng"
contractors = ["C1"]
max_open_trenches = 2

[[contractors]]
id = "C1"
name = "City Pipe Co."
crews = { earth = 2, pipe = 2, civil = 1 }
productivity = { pipe = 1.1 }

[[tasks]]
id = "T1"
name = "Road permit"
days = 10
district = "D1"
calendar_days = true

[[tasks]]
id = "T2"
name = "Valve chamber"
days = 5
district = "D1"
crew = "pipe"

[[links]]
from = "T1"
to = "P1"

[[milestones]]
id = "M1"
name = "All heat-ready"
after = ["S1", "P2/test"]
due = 2022-09-30
"#;

/// Parses (which must succeed) and validates a scenario text.
fn check(text: &str) -> Vec<Diagnostic> {
    let src = Source {
        file: "test.toml".into(),
        text: text.to_string(),
    };
    let scenario = parse(&src).unwrap_or_else(|e| panic!("does not parse: {e}"));
    bilingual(validate(&scenario, &src))
}

/// Asserts that every problem is said in Chinese as well as in English:
/// the Chinese message and help hold Chinese characters and differ from
/// the English (a message written once, or copied, fails here). Every test
/// of this file passes what it found through it, so the files of all the
/// tests together are the corpus of mistakes whose messages are checked.
fn bilingual(all: Vec<Diagnostic>) -> Vec<Diagnostic> {
    for d in &all {
        for (what, text) in [("message", &d.message), ("help", &d.help)] {
            assert!(
                has_chinese(&text.zh) && text.zh != text.en,
                "the {what} lacks its Chinese: {d}\nzh: {}",
                d.render(Lang::Zh)
            );
        }
    }
    all
}

/// The base scenario with `old` (which must occur exactly once) replaced.
fn with(old: &str, new: &str) -> String {
    assert_eq!(
        BASE.matches(old).count(),
        1,
        "`{old}` is not unique in BASE"
    );
    BASE.replace(old, new)
}

/// The base scenario with some TOML appended.
fn plus(extra: &str) -> String {
    format!("{BASE}\n{extra}")
}

/// The 1-based line of the only occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    assert_eq!(text.matches(needle).count(), 1, "`{needle}` is not unique");
    let at = text.find(needle).expect("present");
    text[..at].matches('\n').count() + 1
}

/// Asserts that exactly one diagnostic contains `message`, that it is
/// reported on the line of `needle`, and returns it.
fn expect(text: &str, message: &str, needle: &str) -> Diagnostic {
    let all = check(text);
    let found: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.message.en.contains(message))
        .collect();
    assert_eq!(found.len(), 1, "looking for `{message}` in:\n{all:#?}");
    let d = found[0].clone();
    assert_eq!(d.location.line, line_of(text, needle), "{d}");
    assert!(!d.help.en.is_empty(), "{d}");
    d
}

#[test]
fn the_base_scenario_is_valid() {
    let all = check(BASE);
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn duplicate_node_id() {
    let text = plus("[[nodes]]\nid = \"N2\" # again\n");
    let first = line_of(&text, "id = \"N2\"\n");
    let message = format!("node id \"N2\" is defined twice (first at line {first})");
    expect(&text, &message, "\"N2\" # again");
}

#[test]
fn duplicate_segment_id() {
    let text = with("id = \"P2\"", "id = \"P1\"");
    let d = expect(
        &text,
        "segment id \"P1\" is defined twice (first at line",
        "id = \"P1\"\nfrom = \"N2\"",
    );
    assert!(d.help.en.contains("[[segments]]"), "{d}");
}

#[test]
fn duplicate_contractor_and_source_ids() {
    let text = plus(
        "[[contractors]]\nid = \"C1\" # twice\ncrews = { pipe = 1 }\n\n[[sources]]\nid = \"NE\" # twice\nnode = \"N1\"\n",
    );
    expect(
        &text,
        "contractor id \"C1\" is defined twice",
        "\"C1\" # twice",
    );
    expect(
        &text,
        "heat source id \"NE\" is defined twice",
        "\"NE\" # twice",
    );
}

#[test]
fn an_id_shared_by_a_task_and_a_segment() {
    let text = with("id = \"T2\"", "id = \"P2\"");
    let first = line_of(&text, "id = \"P2\"\nfrom");
    let message = format!("task id \"P2\" is already the id of a segment (line {first})");
    let d = expect(&text, &message, "id = \"P2\"\nname = \"Valve");
    assert!(d.help.en.contains("links and milestones"), "{d}");
}

#[test]
fn unknown_node_of_a_segment_suggests_the_closest() {
    let text = with("to = \"N3\"", "to = \"N33\"");
    let d = expect(
        &text,
        "segment P2: node \"N33\" does not exist",
        "to = \"N33\"",
    );
    assert!(d.help.en.contains("e.g. \"N3\""), "{d}");
    // The network is incomplete: reachability waits until this is fixed.
    assert_eq!(check(&text).len(), 1);
}

#[test]
fn unknown_node_without_a_close_id_lists_the_nodes() {
    let text = with("from = \"N1\"", "from = \"PLANT_OUTLET\"");
    let d = expect(
        &text,
        "segment P1: node \"PLANT_OUTLET\" does not exist",
        "PLANT_OUTLET",
    );
    assert!(d.help.en.contains("N1, N2, N3"), "{d}");
}

#[test]
fn unknown_node_of_a_station_and_a_source() {
    let text = with("node = \"N3\"", "node = \"N4\"");
    expect(
        &text,
        "station S1: node \"N4\" does not exist",
        "node = \"N4\"",
    );
    let text = with("node = \"N1\"", "node = \"N0\"");
    expect(
        &text,
        "heat source NE: node \"N0\" does not exist",
        "node = \"N0\"",
    );
}

#[test]
fn unknown_districts() {
    let text = with("dn = 300\ndistrict = \"D1\"", "dn = 300\ndistrict = \"D2\"");
    let d = expect(
        &text,
        "segment P2: district \"D2\" does not exist",
        "district = \"D2\"",
    );
    assert!(d.help.en.contains("e.g. \"D1\""), "{d}");
    let text = with(
        "households = 1200\ndistrict = \"D1\"",
        "households = 1200\ndistrict = \"Dl\"",
    );
    expect(
        &text,
        "station S1: district \"Dl\" does not exist",
        "\"Dl\"",
    );
    let text = with(
        "days = 10\ndistrict = \"D1\"",
        "days = 10\ndistrict = \"X\"",
    );
    expect(&text, "task T1: district \"X\" does not exist", "\"X\"");
    let text = with("districts = [\"D1\"]", "districts = [\"D7\"]");
    expect(
        &text,
        "ban \"gaokao\": district \"D7\" does not exist",
        "\"D7\"",
    );
}

#[test]
fn unknown_contractor_of_a_district() {
    let text = with("contractors = [\"C1\"]", "contractors = [\"C1\", \"C2\"]");
    let d = expect(
        &text,
        "district D1: contractor \"C2\" does not exist",
        "\"C2\"",
    );
    assert!(d.help.en.contains("e.g. \"C1\""), "{d}");
}

#[test]
fn unknown_link_targets() {
    let text = with("to = \"P1\"", "to = \"P11\"");
    let d = expect(
        &text,
        "link: \"P11\" is not the id of any task, segment, station or milestone",
        "\"P11\"",
    );
    assert!(d.help.en.contains("did you mean \"P1\"?"), "{d}");
    let text = with("to = \"P1\"", "to = \"P1/weld\"");
    let d = expect(&text, "link: segment P1 has no step \"weld\"", "P1/weld");
    assert!(d.help.en.contains("trench, lay, test, backfill"), "{d}");
    let text = with("from = \"T1\"", "from = \"T1/x\"");
    expect(&text, "names a step of task T1, which has no steps", "T1/x");
    let text = with("to = \"P1\"", "to = \"D1\"");
    expect(
        &text,
        "\"D1\" is a district, which cannot be linked",
        "to = \"D1\"",
    );
}

#[test]
fn unknown_milestone_predecessor() {
    let text = with(
        "after = [\"S1\", \"P2/test\"]",
        "after = [\"S2\", \"P2/test\", \"D1\"]",
    );
    let d = expect(
        &text,
        "milestone M1: \"S2\" is not the id of any task, segment, station, milestone or district",
        "\"S2\"",
    );
    assert!(d.help.en.contains("did you mean \"S1\"?"), "{d}");
}

#[test]
fn unknown_tags_in_calendar_periods() {
    let text = with(
        "tags = [\"near_school\"], districts",
        "tags = [\"near_shcool\"], districts",
    );
    let d = expect(
        &text,
        "ban \"gaokao\": no work carries the tag \"near_shcool\"",
        "near_shcool",
    );
    assert!(d.help.en.contains("did you mean \"near_school\"?"), "{d}");
}

#[test]
fn productivity_for_a_crew_type_the_contractor_lacks() {
    let text = with(
        "productivity = { pipe = 1.1 }",
        "productivity = { pipes = 1.1 }",
    );
    let d = expect(
        &text,
        "contractor C1: productivity is given for crew type \"pipes\"",
        "pipes = 1.1",
    );
    assert!(d.help.en.contains("did you mean \"pipe\"?"), "{d}");
}

#[test]
fn non_positive_lengths() {
    let text = with("length_m = 250.0", "length_m = -250.0");
    let d = expect(
        &text,
        "segment P2: length_m is -250, but it must be a number greater than 0",
        "-250.0",
    );
    assert!(d.help.en.contains("metres"), "{d}");
    let text = with("length_m = 250.0", "length_m = nan");
    expect(&text, "segment P2: length_m is NaN", "= nan");
}

#[test]
fn diameter_of_zero() {
    let text = with("dn = 300", "dn = 0");
    expect(&text, "segment P2: dn is 0", "dn = 0");
}

#[test]
fn non_positive_durations_and_rates() {
    let text = with("days = 10\n", "days = 0\n");
    expect(&text, "task T1: days is 0", "days = 0");
    let text = with("days = 2\nsupply_ready", "days = -1\nsupply_ready");
    expect(
        &text,
        "segment template step \"test\": days is -1",
        "days = -1",
    );
    let text = with("metres_per_day = 50.0", "metres_per_day = 0.0");
    expect(
        &text,
        "step \"lay\": metres_per_day (up to DN1000) is 0",
        "metres_per_day = 0.0",
    );
    let text = with("days_per_10k_m2 = 1.0", "days_per_10k_m2 = -1.0");
    expect(
        &text,
        "station template step \"equip\": days_per_10k_m2 is -1",
        "days_per_10k_m2 = -1.0",
    );
}

#[test]
fn productivity_factors_out_of_range() {
    let text = with("factor = 0.8", "factor = 1.5");
    let d = expect(
        &text,
        "productivity period \"rainy season\": factor is 1.5",
        "factor = 1.5",
    );
    assert!(d.message.en.contains("more than 0 and at most 1"), "{d}");
    let text = with("factor = 0.8", "factor = 0.0");
    expect(&text, "factor is 0,", "factor = 0.0");
    let text = with(
        "productivity = { pipe = 1.1 }",
        "productivity = { pipe = 0.0 }",
    );
    expect(
        &text,
        "contractor C1: productivity of \"pipe\" crews is 0",
        "pipe = 0.0",
    );
}

#[test]
fn window_end_before_window_start() {
    let text = with("window_end = 2022-09-30", "window_end = 2021-09-30");
    expect(
        &text,
        "window_end 2021-09-30 is before window_start 2022-04-01",
        "window_end",
    );
}

#[test]
fn deadline_before_the_window() {
    let text = with("deadline = 2022-09-30", "deadline = 2021-09-30");
    expect(
        &text,
        "deadline 2021-09-30 is before the construction window starts",
        "deadline =",
    );
}

#[test]
fn period_ending_before_it_starts() {
    let text = with("to = 2022-05-03", "to = 2022-04-03");
    expect(
        &text,
        "holiday \"Labour Day\": `to` 2022-04-03 is before `from` 2022-05-01",
        "2022-04-03",
    );
}

#[test]
fn period_outside_the_planning_horizon() {
    let text = with("from = 2022-04-20", "from = 2021-04-20");
    let d = expect(
        &text,
        "stop-work period \"pollution alert\" (2021-04-20 to 2021-04-20) lies entirely outside",
        "2021-04-20",
    );
    assert!(d.message.en.contains("2022-04-01 to 2022-12-31"), "{d}");
    // A holiday after the window but within the overrun is fine.
    let text = with(
        "holidays = [{",
        "holidays = [{ name = \"National Day\", from = 2022-10-01, to = 2022-10-07 }, {",
    );
    assert!(check(&text).is_empty());
}

#[test]
fn rest_weekday_that_is_not_a_weekday() {
    let text = with(
        "rest_weekdays = [\"Sun\"]",
        "rest_weekdays = [\"sunday\", \"Sonntag\"]",
    );
    let d = expect(
        &text,
        "rest_weekdays: \"Sonntag\" is not a weekday name",
        "rest_weekdays",
    );
    assert_eq!(d.location.column, 28);
}

#[test]
fn station_without_a_pipe_path() {
    let text = plus(
        "[[nodes]]\nid = \"N4\"\n\n[[stations]]\nid = \"S2\"\nnode = \"N4\" # island\nheated_area_m2 = 1.0\nhouseholds = 1\ndistrict = \"D1\"\n",
    );
    let d = expect(
        &text,
        "station S2 on node \"N4\" has no pipe path to a heat source",
        "# island",
    );
    assert!(d.help.en.contains("connect node \"N4\""), "{d}");
}

#[test]
fn an_interconnection_does_not_supply_a_station() {
    let text = with(
        "district = \"D1\"\n\n[[stations]]",
        "district = \"D1\"\ntags = [\"interconnection\"]\n\n[[stations]]",
    );
    expect(
        &text,
        "station S1 on node \"N3\" has no pipe path",
        "node = \"N3\"",
    );
}

#[test]
fn a_cycle_of_two_links() {
    let text = plus("[[links]]\nfrom = \"P1/lay\" # back\nto = \"T1\"\n");
    let d = expect(
        &text,
        "the links form a cycle: T1 -> P1/trench -> P1/lay -> T1",
        "from = \"T1\"",
    );
    assert!(
        d.help
            .en
            .contains(&format!("line {}", line_of(&text, "# back"))),
        "{d}"
    );
}

#[test]
fn a_cycle_through_elements_and_a_milestone() {
    let text = plus(
        "[[links]]\nfrom = \"S1\"\nto = \"P2\"\n\n[[links]]\nfrom = \"M1\" # closes\nto = \"S1\"\n",
    );
    let d = expect(&text, "the links form a cycle: ", "after = [");
    assert!(
        d.message
            .en
            .ends_with("M1 -> S1 -> P2/trench -> P2/test -> M1"),
        "{d}"
    );
}

#[test]
fn a_task_linked_to_itself() {
    let text = plus("[[links]]\nfrom = \"T2\" # self\nto = \"T2\"\n");
    expect(&text, "the links form a cycle: T2 -> T2", "# self");
}

#[test]
fn crew_type_missing_in_a_district() {
    let text = plus(
        "[[districts]]\nid = \"D2\"\ncontractors = [\"C2\"]\nmax_open_trenches = 1\n\n\
         [[contractors]]\nid = \"C2\"\ncrews = { earth = 1, civil = 1 }\n\n\
         [[segments]]\nid = \"P3\"\nfrom = \"N2\"\nto = \"N3\"\nlength_m = 100.0\ndn = 200\ndistrict = \"D2\"\n",
    );
    let d = expect(
        &text,
        "district D2: segment template step \"lay\" needs \"pipe\" crews, but none of the contractors allowed there (C2) has any; this affects 1 segment(s), e.g. P3",
        "crew = \"pipe\"\nrates",
    );
    assert!(d.help.en.contains("these have some: C1"), "{d}");
    expect(
        &text,
        "step \"test\" needs \"pipe\" crews",
        "crew = \"pipe\"\ndays",
    );
}

#[test]
fn crew_type_no_contractor_has() {
    let text = with("crew = \"pipe\"\nrates", "crew = \"pipes\"\nrates");
    let d = expect(
        &text,
        "segment template step \"lay\": no contractor has any \"pipes\" crews",
        "\"pipes\"",
    );
    assert!(d.help.en.contains("did you mean \"pipe\"?"), "{d}");
}

#[test]
fn task_crew_missing_in_its_district() {
    let text = with(
        "crew = \"pipe\"\n\n[[links]]",
        "crew = \"welding\"\n\n[[links]]",
    )
    .replace(
        "civil = 1 }",
        "civil = 1 }\n\n[[contractors]]\nid = \"C9\"\ncrews = { welding = 1 }\n",
    );
    let d = expect(
        &text,
        "task T2 needs \"welding\" crews, but none of the contractors allowed in district D1 (C1) has any",
        "\"welding\"\n",
    );
    assert!(d.help.en.contains("these have some: C9"), "{d}");
}

#[test]
fn district_without_contractors() {
    let text = with("contractors = [\"C1\"]", "contractors = []");
    let d = expect(
        &text,
        "district D1 has no contractor allowed to work in it",
        "id = \"D1\"",
    );
    assert!(d.help.en.contains("contractors = [\"C1\"]"), "{d}");
}

#[test]
fn no_open_trenches_allowed() {
    let text = with("max_open_trenches = 2", "max_open_trenches = 0");
    expect(
        &text,
        "district D1: max_open_trenches is 0, but 2 open-cut segment(s)",
        "max_open_trenches",
    );
}

#[test]
fn segment_step_with_both_or_neither_duration_rule() {
    let text = with(
        "days = 2\nsupply_ready",
        "days = 2\nrates = [{ dn_max = 1000, metres_per_day = 9.0 }]\nsupply_ready",
    );
    expect(
        &text,
        "segment template step \"test\" has both rates and days",
        "key = \"test\"",
    );
    let text = with(
        "name = \"Backfill and restore\"\ncrew = \"earth\"\ndays = 2",
        "name = \"Backfill and restore\"\ncrew = \"earth\"",
    );
    expect(
        &text,
        "segment template step \"backfill\" has neither rates nor days",
        "key = \"backfill\"",
    );
}

#[test]
fn station_step_without_days_or_with_rates() {
    let text = with("crew = \"civil\", days = 20 }", "crew = \"civil\" }");
    expect(
        &text,
        "station template step \"civil\" has no days",
        "key = \"civil\"",
    );
    let text = with(
        "crew = \"civil\", days = 20 }",
        "crew = \"civil\", days = 20, rates = [{ dn_max = 100, metres_per_day = 1.0 }] }",
    );
    expect(
        &text,
        "station template step \"civil\" has rates",
        "key = \"civil\"",
    );
}

#[test]
fn segment_larger_than_every_rate() {
    let text = with("dn = 500", "dn = 1200");
    let all = check(&text);
    let at_dn: Vec<&Diagnostic> = all
        .iter()
        .filter(|d| d.location.line == line_of(&text, "dn = 1200"))
        .collect();
    assert_eq!(at_dn.len(), 2, "{all:#?}");
    expect(
        &text,
        "segment P1: DN1200 is larger than any rate of step \"trench\" (up to DN1000)",
        "dn = 1200",
    );
}

#[test]
fn duplicate_step_keys() {
    let text = with("key = \"backfill\"", "key = \"trench\"");
    expect(
        &text,
        "segment template: step key \"trench\" is used twice (first at line",
        "key = \"trench\"\nname = \"Backfill",
    );
}

#[test]
fn template_without_steps() {
    let start = BASE.find("station = [").expect("station template");
    let end = BASE
        .find("\n\n[[templates.segment]]")
        .expect("segment template");
    let text = format!("{}station = []{}", &BASE[..start], &BASE[end..]);
    expect(&text, "the station template has no steps", "[templates]");
}

#[test]
fn two_supply_ready_steps() {
    let text = BASE.replace(
        "crew = \"earth\"\ndays = 2",
        "crew = \"earth\"\ndays = 2\nsupply_ready = true",
    );
    expect(
        &text,
        "steps \"test\" and \"backfill\" are both marked supply_ready",
        "key = \"backfill\"",
    );
}

#[test]
fn segment_from_a_node_to_itself() {
    let text = with("to = \"N3\"", "to = \"N2\"");
    expect(
        &text,
        "segment P2: runs from node \"N2\" to itself",
        "to = \"N2\"\nlength_m = 250.0",
    );
}

#[test]
fn contractor_without_crews() {
    let text = with("crews = { earth = 2, pipe = 2, civil = 1 }", "crews = {}");
    expect(&text, "contractor C1 has no crews", "id = \"C1\"");
}

#[test]
fn task_with_crew_but_no_district() {
    let text = with("days = 5\ndistrict = \"D1\"\ncrew", "days = 5\ncrew");
    let d = expect(
        &text,
        "task T2 needs a \"pipe\" crew but has no district",
        "crew = \"pipe\"\n\n",
    );
    assert!(d.help.en.contains("district = "), "{d}");
}

#[test]
fn five_mistakes_are_all_reported_with_their_lines() {
    let text = with("rest_weekdays = [\"Sun\"]", "rest_weekdays = [\"Sonday\"]")
        .replace("dn = 300", "dn = 0")
        .replace("days = 10\n", "days = -3\n")
        .replace("factor = 0.8", "factor = 1.5")
        .replace("to = \"P1\"", "to = \"T9\"");
    let all = check(&text);
    assert_eq!(all.len(), 5, "{all:#?}");
    let lines: Vec<usize> = all.iter().map(|d| d.location.line).collect();
    let expected: Vec<usize> = ["Sonday", "factor = 1.5", "dn = 0", "days = -3", "\"T9\""]
        .iter()
        .map(|n| line_of(&text, n))
        .collect();
    assert_eq!(lines, expected, "{all:#?}");
    for d in &all {
        assert_eq!(d.file, "test.toml");
        assert!(!d.help.en.is_empty(), "{d}");
    }
}

#[test]
fn diagnostics_print_file_line_column_and_help() {
    let text = with("to = \"N3\"", "to = \"N33\"");
    let all = check(&text);
    let d = all
        .iter()
        .find(|d| d.message.en.contains("N33"))
        .expect("diagnostic");
    let shown = d.to_string();
    let line = line_of(&text, "N33");
    assert!(
        shown.starts_with(&format!("test.toml:{line}:6: error: segment P2")),
        "{shown}"
    );
    assert!(shown.contains("\n  help: "), "{shown}");
}

/// Parses a text that must fail, returning its one diagnostic.
fn parse_error(text: &str) -> Diagnostic {
    let src = Source {
        file: "bad.toml".into(),
        text: text.to_string(),
    };
    let mut errors = bilingual(parse(&src).expect_err("must not parse").0);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    errors.remove(0)
}

#[test]
fn unknown_fields_carry_line_and_column() {
    let text = with("dn = 300\n", "dn = 300\ndiameter = 300\n");
    let d = parse_error(&text);
    assert_eq!(d.message.en, "unknown key `diameter`", "{d}");
    assert_eq!(d.location.line, line_of(&text, "diameter"));
    assert_eq!(d.location.column, 1);
    assert!(
        d.help
            .en
            .starts_with("remove it or correct its spelling; the keys here are `id`, `from`"),
        "{d}"
    );
}

#[test]
fn type_errors_carry_line_and_column() {
    let text = with("length_m = 250.0", "length_m = \"long\"");
    let d = parse_error(&text);
    assert_eq!(d.location.line, line_of(&text, "\"long\""), "{d}");
    assert_eq!(d.location.column, 12, "{d}");
    let text = with("deadline = 2022-09-30", "deadline = 2022-09-31");
    let d = parse_error(&text);
    assert_eq!(d.location.line, line_of(&text, "2022-09-31"), "{d}");
}

/// Parses and validates a scenario from a file's bytes, as `check` reads it.
#[allow(clippy::result_large_err)] // a test helper
fn check_bytes(bytes: &[u8]) -> Result<Vec<Diagnostic>, Diagnostic> {
    let src = Source::from_bytes("test.toml", bytes).inspect_err(|d| {
        bilingual(vec![d.clone()]);
    })?;
    let scenario = parse(&src).unwrap_or_else(|e| panic!("does not parse: {e}"));
    Ok(validate(&scenario, &src))
}

#[test]
fn a_scenario_saved_as_gbk_is_read() {
    let text = with("name = \"Xincheng\"", "name = \"新城区\"");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test needs non-UTF-8 bytes"
    );
    assert_eq!(check_bytes(&gbk).expect("decodes"), Vec::new());
    // A mistake in a GBK file is placed like in a UTF-8 one.
    let bad = text.replace("dn = 300", "dn = 0");
    let (gbk, _, _) = encoding_rs::GBK.encode(&bad);
    let all = check_bytes(&gbk).expect("decodes");
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(all[0].location.line, line_of(&bad, "dn = 0"));
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_fine() {
    let text = with("dn = 300", "dn = 0").replace('\n', "\r\n");
    let bytes = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    let all = check_bytes(&bytes).expect("decodes");
    assert_eq!(all.len(), 1, "{all:#?}");
    // The mark takes no column: the mistake is where an editor shows it.
    let d = &all[0];
    assert_eq!(d.location.line, line_of(&text, "dn = 0"), "{d}");
    assert_eq!(d.location.column, 6, "{d}");
}

#[test]
fn bytes_that_are_no_text_are_refused_at_their_line() {
    // Latin-1 "é" followed by a quote is neither UTF-8 nor GB18030.
    let text = with("name = \"Xincheng\"", "name = \"Xinch\u{e9}ng\"");
    let at = text.find('\u{e9}').expect("present");
    let mut bytes = text.as_bytes()[..at].to_vec();
    bytes.extend_from_slice(b"\xE9\"\n");
    let d = check_bytes(&bytes).expect_err("not text");
    let line = line_of(&text, "Xinch");
    assert_eq!(d.location.line, line, "{d}");
    assert_eq!(d.location.column, 14, "{d}");
    let shown = d.to_string();
    assert!(
        shown.starts_with(&format!(
            "test.toml:{line}:14: error: the bytes here are not UTF-8"
        )),
        "{shown}"
    );
    assert!(shown.contains("help: save the file as UTF-8"), "{shown}");
    let chinese = d.render(Lang::Zh);
    assert!(chinese.contains("另存为 UTF-8"), "{chinese}");
    assert!(
        chinese.starts_with(&format!("test.toml:{line}:14: 错误：此处的字节不是 UTF-8")),
        "{chinese}"
    );
}
/// The usual slips of typing a file by hand: each made once in the base
/// scenario (`old` replaced by `new`), with the line (that of `new`), the
/// column, the message and the help expected.
const SLIPS: &[(&str, &str, usize, &str, &str)] = &[
    (
        "deadline = 2022-09-30",
        "deadline = 2022-02-30",
        12,
        "2022-02-30: February 2022 has 28 days",
        "write a day from 1 to 28, e.g. 2022-02-28",
    ),
    (
        "deadline = 2022-09-30",
        "deadline = 2022-9-3",
        12,
        "2022-9-3: a date needs two digits for the month and the day",
        "write 2022-09-03",
    ),
    (
        "deadline = 2022-09-30",
        "deadline = \"2022-02-29\"",
        12,
        "2022-02-29: February 2022 has 28 days",
        "write a day from 1 to 28, e.g. 2022-02-28",
    ),
    (
        "dn = 300",
        "dn = 300.0",
        6,
        "`dn` takes a whole number, not 300.0",
        "write 300",
    ),
    (
        "crews = { earth = 2, pipe = 2, civil = 1 }",
        "crews = { earth = 2, pipe = 1.5, civil = 1 }",
        29,
        "`pipe` takes a whole number, not 1.5",
        "write a whole number, e.g. 2",
    ),
    (
        "max_open_trenches = 2",
        "max_open_trenches = \"2\"",
        21,
        "`max_open_trenches` takes a number, written without quotes",
        "remove the quotes: write 2",
    ),
    (
        "length_m = 250.0",
        "length_m = \"250.0\"",
        12,
        "`length_m` takes a number, written without quotes",
        "remove the quotes: write 250.0",
    ),
    (
        "calendar_days = true",
        "calendar_days = \"true\"",
        17,
        "`calendar_days` takes true or false, written without quotes",
        "remove the quotes: write true",
    ),
    (
        "to = \"N3\"",
        "to = “N3”",
        6,
        "\"“\" (full-width opening quote) is not TOML punctuation",
        "type `\"` instead (switch the input method to English punctuation)",
    ),
    (
        "crews = { earth = 2, pipe = 2, civil = 1 }",
        "crews = { earth = 2， pipe = 2, civil = 1 }",
        20,
        "\"，\" (full-width comma) is not TOML punctuation",
        "type `,` instead (switch the input method to English punctuation)",
    ),
    (
        "name = \"Xincheng\"",
        "name = \"新城，一期\"】",
        15,
        "\"】\" (Chinese closing bracket) is not TOML punctuation",
        "type `]` instead (switch the input method to English punctuation)",
    ),
    (
        "to = \"N3\"",
        "to ＝ \"N3\"",
        4,
        "\"＝\" (full-width equals sign) is not TOML punctuation",
        "type `=` instead (switch the input method to English punctuation)",
    ),
];

#[test]
fn the_usual_slips_in_plain_words() {
    for &(old, new, column, message, help) in SLIPS {
        let text = with(old, new);
        let d = parse_error(&text);
        let line = line_of(&text, new);
        assert_eq!(
            (
                d.location.line,
                d.location.column,
                d.message.en.as_str(),
                d.help.en.as_str()
            ),
            (line, column, message, help),
            "{new}"
        );
        assert!(
            d.to_string().starts_with(&format!(
                "bad.toml:{line}:{column}: error: {message}\n  help: {help}"
            )),
            "{d}"
        );
    }
}

/// Loads a scenario as `check` does, returning every problem.
fn load_problems(text: &str) -> Vec<Diagnostic> {
    let src = Source {
        file: "test.toml".into(),
        text: text.to_string(),
    };
    bilingual(
        heatplan::scenario::load(&src)
            .expect_err("must have problems")
            .0,
    )
}

#[test]
fn misspelt_keys_and_mistakes_in_meaning_are_reported_in_one_run() {
    let text = with("length_m = 250.0", "lenght_m = 250.0\nlength_m = 250.0")
        .replace("dn = 500", "dn = 500\ndiamter = 500")
        .replace(
            "crews = { earth = 2, pipe = 2, civil = 1 }",
            "crews = { earth = 2, pipe = 2, civil = 1 }\nproductivty = { pipe = 1.1 }",
        )
        .replace("to = \"N3\"", "to = \"N33\"")
        .replace("max_open_trenches = 2", "max_open_trenches = 0")
        .replace("days = 10\n", "days = -3\n");
    let all = load_problems(&text);
    let found: Vec<(usize, &str)> = all
        .iter()
        .map(|d| (d.location.line, d.message.en.as_str()))
        .collect();
    assert_eq!(all.len(), 6, "{found:#?}");
    // In the order of the file, whatever kind of mistake.
    let expected_lines: Vec<usize> = [
        "diamter",
        "\"N33\"",
        "lenght_m",
        "max_open_trenches = 0",
        "productivty",
        "days = -3",
    ]
    .iter()
    .map(|n| line_of(&text, n))
    .collect();
    let lines: Vec<usize> = all.iter().map(|d| d.location.line).collect();
    assert_eq!(lines, expected_lines, "{found:#?}");
    assert_eq!(all[0].message.en, "unknown key `diamter`");
    assert_eq!(all[2].message.en, "unknown key `lenght_m`");
    assert!(
        all[2].help.en.starts_with("did you mean `length_m`?"),
        "{}",
        all[2]
    );
    assert!(
        all[4].help.en.starts_with("did you mean `productivity`?"),
        "{}",
        all[4]
    );
    assert_eq!(all[0].location.column, 1);
}

#[test]
fn an_unknown_key_inside_an_inline_table_is_set_aside() {
    let text = with(
        "{ dn_max = 1000, metres_per_day = 40.0 }",
        "{ dn_max = 1000, metres_per_dya = 40.0, metres_per_day = 40.0 }",
    )
    .replace("dn = 300", "dn = 0");
    let all = load_problems(&text);
    assert_eq!(all.len(), 2, "{all:#?}");
    // In the order of the file: the segment comes before the templates.
    assert_eq!(all[0].location.line, line_of(&text, "dn = 0"));
    assert_eq!(all[1].message.en, "unknown key `metres_per_dya`");
    assert_eq!(all[1].location.line, line_of(&text, "metres_per_dya"));
    assert_eq!(
        all[1].location.column,
        line_text(&text, "metres_per_dya")
            .find("metres_per_dya")
            .unwrap()
            + 1
    );
}

/// The line of `text` containing `needle`.
fn line_text<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines().find(|l| l.contains(needle)).expect("present")
}

#[test]
fn a_list_written_under_the_wrong_table_is_explained() {
    let text = plus("links = [{ from = \"T2\", to = \"P2\" }]\n").replace("dn = 300", "dn = 0");
    let all = load_problems(&text);
    assert_eq!(all.len(), 2, "{all:#?}");
    // In the order of the file: the segment comes before the misplaced list.
    assert_eq!(all[0].location.line, line_of(&text, "dn = 0"));
    assert_eq!(all[1].message.en, "unknown key `links`");
    assert_eq!(all[1].location.line, line_of(&text, "links = ["));
    assert!(
        all[1].help.en.contains("write it as [[links]] tables"),
        "{}",
        all[1]
    );
}

/// More slips, each in the base scenario, with the line of `new`, the
/// column, and the message in English and in Chinese.
const MORE_SLIPS: &[(&str, &str, usize, &str, &str)] = &[
    (
        "households = 1200",
        "households = \"many\"",
        14,
        "`households` takes a whole number, not the text \"many\"",
        "`households` 应为整数，而不是文字“many”",
    ),
    (
        "dn = 300",
        "dn = 300\nmethod = \"opencut\"",
        10,
        "`method`: \"opencut\" is not one of the choices",
        "`method`：“opencut”不是可选的值",
    ),
    (
        "name = \"Xincheng\"",
        "name = \"Xincheng\"\nopen all trenches at once",
        6,
        "this line is not `key = value`: a key is followed by `=` and its value",
        "这一行不是 `键 = 值` 的形式：键后面要有 `=` 和值",
    ),
    (
        "deadline = 2022-09-30",
        "deadline = 2022-02-30",
        12,
        "2022-02-30: February 2022 has 28 days",
        "2022-02-30：2022 年 2 月只有 28 天",
    ),
    (
        "to = \"N3\"",
        "to ＝ \"N3\"",
        4,
        "\"＝\" (full-width equals sign) is not TOML punctuation",
        "“＝”（全角等号）不是 TOML 的标点",
    ),
];

#[test]
fn more_slips_in_plain_words_in_both_languages() {
    for &(old, new, column, en, zh) in MORE_SLIPS {
        let text = with(old, new);
        let d = parse_error(&text);
        let needle = new.lines().last().expect("a line");
        let line = line_of(&text, needle);
        assert_eq!(
            (d.location.line, d.location.column, d.message.en.as_str()),
            (line, column, en),
            "{new}"
        );
        assert_eq!(d.message.zh, zh, "{new}");
        assert!(
            d.render(Lang::Zh)
                .starts_with(&format!("bad.toml:{line}:{column}: 错误：{zh}\n  提示：")),
            "{}",
            d.render(Lang::Zh)
        );
    }
    // "did you mean" for a misspelt choice.
    let d = parse_error(&with("dn = 300", "dn = 300\nmethod = \"opencut\""));
    assert!(d.help.en.starts_with("did you mean \"open_cut\"?"), "{d}");
}

/// tests/scenarios/ten-mistakes.toml: the base scenario with ten mistakes
/// of different kinds.
const TEN_MISTAKES: &str = include_str!("scenarios/ten-mistakes.toml");

#[test]
fn ten_mistakes_of_different_kinds_are_reported_at_once_in_file_order() {
    let all = load_problems(TEN_MISTAKES);
    let text = TEN_MISTAKES;
    // (the line's text, column, the start of the message)
    let expected: &[(&str, usize, &str)] = &[
        // a date without its leading zero (read on as 2022-09-30)
        (
            "window_end = 2022-9-30",
            14,
            "2022-9-30: a date needs two digits",
        ),
        // an unknown key
        ("diamter = 500", 1, "unknown key `diamter`"),
        // a reference to nothing (a meaning check)
        ("to = \"N33\"", 6, "segment P2: node \"N33\" does not exist"),
        // a decimal where a whole number is needed
        ("dn = 300.0", 6, "`dn` takes a whole number, not 300.0"),
        // a value of the wrong type
        (
            "households = \"many\"",
            14,
            "`households` takes a whole number",
        ),
        // a syntax error: the rest of the file is still read
        (
            "lay the pipe after the trench",
            5,
            "this line is not `key = value`",
        ),
        // a choice that does not exist
        (
            "link = \"finish_start\"",
            8,
            "`link`: \"finish_start\" is not one of",
        ),
        // a meaning check
        (
            "max_open_trenches = 0",
            21,
            "district D1: max_open_trenches is 0",
        ),
        // full-width punctuation
        (
            "earth = 2，",
            20,
            "\"，\" (full-width comma) is not TOML punctuation",
        ),
        // a number out of range (a meaning check)
        ("days = -3", 8, "task T1: days is -3"),
    ];
    let found: Vec<String> = all.iter().map(|d| d.to_string()).collect();
    assert_eq!(all.len(), expected.len(), "{found:#?}");
    for (d, &(needle, column, message)) in all.iter().zip(expected) {
        assert_eq!(
            (d.location.line, d.location.column),
            (line_of(text, needle), column),
            "{d}"
        );
        assert!(d.message.en.starts_with(message), "{d}");
    }
    // The whole list in Chinese: the same places, every message in Chinese.
    let zh = heatplan::scenario::Diagnostics(all).render(Lang::Zh);
    assert!(zh.ends_with("共发现 10 个问题"), "{zh}");
    assert_eq!(zh.matches(": 错误：").count(), 10, "{zh}");
}

/// `check` of a valid scenario prints its summary in the language asked
/// for, and English by default.
#[test]
fn check_summarises_a_valid_scenario_in_either_language() {
    let run = |lang: Option<&str>| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_heatplan"));
        cmd.args(["check", "scenarios/tutorial.toml"])
            .env_remove("HEATPLAN_LANG");
        if let Some(l) = lang {
            cmd.args(["--lang", l]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let (default, en, zh) = (run(None), run(Some("en")), run(Some("zh")));
    assert_eq!(default, en);
    for word in [
        "no problems found",
        "stations",
        "households",
        "earliest finish",
        "crew-days",
    ] {
        assert!(en.contains(word), "{word} missing in {en}");
    }
    assert!(!has_chinese(&en), "{en}");
    for word in [
        "未发现问题",
        "换热站",
        "户数",
        "最早完工",
        "班组工日",
        "供热期限",
    ] {
        assert!(zh.contains(word), "{word} missing in {zh}");
    }
    for word in [
        "no problems",
        "stations",
        "households",
        "earliest",
        "crew-days",
        "deadline",
    ] {
        assert!(!zh.contains(word), "{word} left in {zh}");
    }
    // The figures are the same in both (households, earliest finish).
    for figure in ["3870", "2022-06-08", "2022-09-30"] {
        assert!(en.contains(figure) && zh.contains(figure), "{figure}");
    }
}

/// A slip file's name, line, column, and message and help in English and
/// in Chinese.
type SlipFile = (
    &'static str,
    usize,
    usize,
    [&'static str; 2],
    [&'static str; 2],
);

/// tests/scenarios/slips/: one file per kind of slip, each the base
/// scenario with that one slip. Per file: the line and column, and the
/// message and help in English and in Chinese, exactly as `check` prints
/// them.
const SLIP_FILES: &[SlipFile] = &[
    (
        "date-that-does-not-exist",
        6,
        12,
        [
            "2022-02-30: February 2022 has 28 days",
            "write a day from 1 to 28, e.g. 2022-02-28",
        ],
        [
            "2022-02-30：2022 年 2 月只有 28 天",
            "请写 1 到 28 之间的日，例如 2022-02-28",
        ],
    ),
    (
        "date-without-leading-zeros",
        6,
        12,
        [
            "2022-9-3: a date needs two digits for the month and the day",
            "write 2022-09-03",
        ],
        ["2022-9-3：日期的月和日都要写两位数", "请写成 2022-09-03"],
    ),
    (
        "decimal-for-whole-number",
        43,
        6,
        ["`dn` takes a whole number, not 300.0", "write 300"],
        ["`dn` 应为整数，不能是 300.0", "请写成 300"],
    ),
    (
        "full-width-quote",
        41,
        6,
        [
            "\"“\" (full-width opening quote) is not TOML punctuation",
            "type `\"` instead (switch the input method to English punctuation)",
        ],
        [
            "““”（全角左双引号）不是 TOML 的标点",
            "请改为 `\"`（把输入法切换到英文标点）",
        ],
    ),
    (
        "full-width-comma",
        94,
        20,
        [
            "\"，\" (full-width comma) is not TOML punctuation",
            "type `,` instead (switch the input method to English punctuation)",
        ],
        [
            "“，”（全角逗号）不是 TOML 的标点",
            "请改为 `,`（把输入法切换到英文标点）",
        ],
    ),
    (
        "quoted-number",
        89,
        21,
        [
            "`max_open_trenches` takes a number, written without quotes",
            "remove the quotes: write 2",
        ],
        ["`max_open_trenches` 应为数，不加引号", "请去掉引号：写成 2"],
    ),
    (
        "list-in-wrong-table",
        120,
        1,
        [
            "unknown key `links`",
            "`links` belongs at the top of the file, but a `key = value` line belongs to the \
             [table] header above it; write it as [[links]] tables, or move the line above the \
             first [header]",
        ],
        [
            "未知的键 `links`",
            "`links` 属于文件顶层，但 `键 = 值` 这一行归属于它上面的 [表] 标题；\
             请改写成 [[links]] 表，或把这一行移到第一个 [标题] 之前",
        ],
    ),
    (
        "misspelt-key",
        42,
        1,
        [
            "unknown key `lenght_m`",
            "did you mean `length_m`? docs/scenario.md lists every key",
        ],
        [
            "未知的键 `lenght_m`",
            "是不是 `length_m`？docs/scenario.md 列出了所有的键",
        ],
    ),
    (
        // Saved as GBK, with Chinese text before the slip: read, and the
        // slip placed as in a UTF-8 file.
        "gbk",
        43,
        6,
        ["`dn` takes a whole number, not 300.0", "write 300"],
        ["`dn` 应为整数，不能是 300.0", "请写成 300"],
    ),
];

/// `heatplan check FILE --lang LANG`: its exit code and stderr.
fn check_cli(file: &str, lang: &str) -> (Option<i32>, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_heatplan"))
        .args(["check", file, "--lang", lang])
        .env_remove("HEATPLAN_LANG")
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn slips_one_file_per_kind() {
    let dir = "tests/scenarios/slips";
    let mut listed: Vec<String> = SLIP_FILES.iter().map(|s| format!("{}.toml", s.0)).collect();
    let mut present: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    listed.sort();
    present.sort();
    assert_eq!(listed, present, "every slip file has its row");
    for &(name, line, column, [en, en_help], [zh, zh_help]) in SLIP_FILES {
        let file = format!("{dir}/{name}.toml");
        let (code, err) = check_cli(&file, "en");
        assert_eq!(code, Some(2), "{err}");
        assert_eq!(
            err,
            format!("{file}:{line}:{column}: error: {en}\n  help: {en_help}\n1 problem found\n"),
        );
        let (code, err) = check_cli(&file, "zh");
        assert_eq!(code, Some(2), "{err}");
        assert_eq!(
            err,
            format!("{file}:{line}:{column}: 错误：{zh}\n  提示：{zh_help}\n共发现 1 个问题\n"),
        );
    }
    // The GBK file is not UTF-8: it is read as GBK, not refused.
    let bytes = std::fs::read(format!("{dir}/gbk.toml")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err());
}

/// A misspelt required key is read as the key it surely meant: its value
/// is checked, no "missing key" follows, and the mistakes after it are
/// reported in the same run.
#[test]
fn a_misspelt_required_key_does_not_hide_the_rest() {
    let text = with("length_m = 250.0", "lenght_m = -5.0").replace("dn = 300", "dn = 0");
    let all = load_problems(&text);
    let found: Vec<String> = all.iter().map(|d| d.to_string()).collect();
    assert_eq!(all.len(), 3, "{found:#?}");
    assert_eq!(all[0].message.en, "unknown key `lenght_m`");
    assert!(all[1].message.en.contains("length_m is -5"), "{}", all[1]);
    assert_eq!(all[1].location.line, line_of(&text, "lenght_m"));
    assert_eq!(all[2].location.line, line_of(&text, "dn = 0"));
    // Without a known key close to it, the key is set aside, and the
    // missing one is named in plain words.
    let text = with("length_m = 250.0", "route = 250.0");
    let all = load_problems(&text);
    assert!(
        all.iter().any(|d| d.message.en == "missing key `length_m`"
            && d.message.zh == "缺少必填的键 `length_m`"),
        "{all:#?}"
    );
}

/// Every message and help of every slip file and of ten-mistakes.toml has
/// its Chinese (`bilingual` fails on one that lacks it). The type makes it
/// hard to forget: a `Diagnostic`'s message and help are `lang::Both`
/// values, built with `both!(english, chinese)`, which does not compile
/// without both; this test catches a Chinese text left empty, copied from
/// the English, or a parser's English passed through.
#[test]
fn every_message_of_the_slip_files_is_in_both_languages() {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir("tests/scenarios/slips")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push("tests/scenarios/ten-mistakes.toml".into());
    let mut seen = 0;
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let src = Source::from_bytes(path.display().to_string(), &bytes).expect("text");
        let all = heatplan::scenario::load(&src).expect_err("has mistakes").0;
        seen += all.len();
        let zh = heatplan::scenario::Diagnostics(bilingual(all)).render(Lang::Zh);
        assert!(!zh.contains("error:") && !zh.contains("help:"), "{zh}");
    }
    assert_eq!(seen, 9 + 10);
}

/// A bad option value is refused in the language asked for, even though
/// clap reads it before the language is settled.
#[test]
fn a_bad_option_value_is_refused_in_the_language_asked_for() {
    let refuse = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_heatplan"))
            .args(args)
            .env_remove("HEATPLAN_LANG")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        String::from_utf8(out.stderr).unwrap()
    };
    let zh = refuse(&["--lang", "zh", "plan", "x.toml", "--time-limit", "abc"]);
    assert!(zh.contains("`abc` 不是秒数"), "{zh}");
    let zh = refuse(&["plan", "x.toml", "--gap", "2", "--lang=zh"]);
    assert!(zh.contains("不是 0 到 1 之间的相对差距"), "{zh}");
    let en = refuse(&["plan", "x.toml", "--time-limit", "abc"]);
    assert!(en.contains("`abc` is not a number of seconds"), "{en}");
    let cn = refuse(&["--lang", "cn", "check", "x.toml"]);
    assert!(
        cn.contains("unknown language `cn`") && cn.contains("未知的语言"),
        "{cn}"
    );
}
